//! CSV files parse back to what the member recorded.

use kindred_tracker::{entries_csv, injections_csv, medicines_csv};

use crate::support;

fn parse(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes())
        .records()
        .map(|record| record.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

fn rows(expected: &[&[&str]]) -> Vec<Vec<String>> {
    expected
        .iter()
        .map(|row| row.iter().map(|cell| (*cell).to_owned()).collect())
        .collect()
}

#[test]
fn entries_one_row_per_rated_region() {
    let data = support::typical();
    assert_eq!(
        parse(&entries_csv(&data)),
        rows(&[
            &["date", "region", "severity", "triggers", "note"],
            &[
                "2024-03-01",
                "Neck",
                "7",
                "Stress",
                "Head pulling to the left all day."
            ],
            &["2024-03-20", "Neck", "4", "Tiredness; Stress", ""],
            &["2024-03-20", "Right arm", "2", "Tiredness; Stress", ""],
            &[
                "2024-05-02",
                "Neck",
                "6",
                "Activity",
                "Writing made the arm tremble."
            ],
            &[
                "2024-05-02",
                "Right arm",
                "3",
                "Activity",
                "Writing made the arm tremble."
            ],
            &["2024-06-10", "Neck", "3", "", ""],
        ])
    );
}

#[test]
fn awkward_text_survives_and_formulas_are_defused() {
    let data = support::awkward();
    let parsed = parse(&entries_csv(&data));
    assert_eq!(parsed.len(), 1 + 11 + 1 + 2 + 1);
    assert_eq!(
        parsed[1],
        [
            "1900-01-01",
            "Upper face",
            "10",
            "Stress; Tiredness; Anxiety; Activity; Something else",
            "'=SUM(A1:A9)\nline two\t\"quoted\" <b>bold</b> & more",
        ]
    );
    assert_eq!(parsed[12][4], "声が出にくい 🙂");
    assert_eq!(parsed[15][4], "ü".repeat(2000));

    let injections = parse(&injections_csv(&data));
    assert_eq!(
        injections,
        rows(&[
            &["date", "product", "muscle", "units", "side_effects", "note"],
            &[
                "2024-06-30",
                "Another product",
                "",
                "",
                "",
                "Product name: something new; muscles not told."
            ],
            &[
                "2020-12-31",
                "rimabotulinumtoxinB (Myobloc, NeuroBloc)",
                "Orbicularis oculi, pretarsal",
                "2.5",
                "Droopy eyelid (ptosis); Dry eye",
                ""
            ],
            &[
                "2020-12-31",
                "rimabotulinumtoxinB (Myobloc, NeuroBloc)",
                "Orbicularis oculi, pretarsal",
                "0.1",
                "Droopy eyelid (ptosis); Dry eye",
                ""
            ],
            &[
                "2020-12-31",
                "rimabotulinumtoxinB (Myobloc, NeuroBloc)",
                "Procerus",
                "",
                "Droopy eyelid (ptosis); Dry eye",
                ""
            ],
            &[
                "2020-12-31",
                "rimabotulinumtoxinB (Myobloc, NeuroBloc)",
                "'-Frontalis",
                "0",
                "Droopy eyelid (ptosis); Dry eye",
                ""
            ],
            &[
                "2020-12-31",
                "rimabotulinumtoxinB (Myobloc, NeuroBloc)",
                "Corrugator",
                "1234.5678",
                "Droopy eyelid (ptosis); Dry eye",
                ""
            ],
        ])
    );

    let medicines = parse(&medicines_csv(&data));
    assert_eq!(
        medicines,
        rows(&[
            &["name", "dose_as_prescribed", "started", "stopped", "side_effects"],
            &["'@Baclofen", "", "", "", "Sleepy; \"foggy\""],
        ])
    );
}

#[test]
fn medicines_with_dates() {
    let parsed = parse(&medicines_csv(&support::typical()));
    assert_eq!(
        parsed,
        rows(&[
            &["name", "dose_as_prescribed", "started", "stopped", "side_effects"],
            &[
                "Trihexyphenidyl",
                "2 mg three times a day",
                "2023-09-01",
                "2024-01-15",
                "Dry mouth; Blurred vision"
            ],
            &["Clonazepam", "0.5 mg at night", "2024-02-01", "", ""],
        ])
    );
}

#[test]
fn empty_data_gives_headers_only() {
    let data = support::empty();
    assert_eq!(entries_csv(&data), "date,region,severity,triggers,note\n");
    assert_eq!(
        injections_csv(&data),
        "date,product,muscle,units,side_effects,note\n"
    );
    assert_eq!(
        medicines_csv(&data),
        "name,dose_as_prescribed,started,stopped,side_effects\n"
    );
}
