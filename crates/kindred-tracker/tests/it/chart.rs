//! The severity chart's SVG: well-formed, accessible, self-contained, and drawing what the
//! diary holds.

use kindred_tracker::{Chart, ChartRow, Region, severity_chart};
use quick_xml::events::Event;
use time::macros::date;

use crate::support::{self, entry};

/// The SVG's elements (name and attributes, in document order) and its text, after checking it
/// is well-formed XML with a single root.
struct Parsed {
    elements: Vec<(String, Vec<(String, String)>)>,
    text: String,
}

impl Parsed {
    fn named(&self, name: &str) -> Vec<&Vec<(String, String)>> {
        self.elements
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, attributes)| attributes)
            .collect()
    }
}

fn attribute<'a>(attributes: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attributes
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

fn parse(svg: &str) -> Parsed {
    let mut reader = quick_xml::Reader::from_str(svg);
    let mut elements = Vec::new();
    let mut text = String::new();
    let mut depth = 0i32;
    let mut n_roots = 0;
    loop {
        let event = reader.read_event().unwrap();
        let start = match &event {
            Event::Start(e) | Event::Empty(e) => Some(e.clone()),
            _ => None,
        };
        if let Some(e) = start {
            if depth == 0 {
                n_roots += 1;
            }
            let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
            let attributes = e
                .attributes()
                .map(|a| {
                    let a = a.unwrap();
                    let key = String::from_utf8(a.key.as_ref().to_vec()).unwrap();
                    (key, a.unescape_value().unwrap().into_owned())
                })
                .collect();
            elements.push((name, attributes));
        }
        match event {
            Event::Start(_) => depth += 1,
            Event::Empty(_) => {}
            Event::End(_) => depth -= 1,
            Event::Text(t) => {
                text.push_str(&t.decode().unwrap());
                text.push(' ');
            }
            Event::GeneralRef(r) => {
                let name = r.decode().unwrap();
                text.push_str(match name.as_ref() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    other => panic!("entity &{other}; is not XML"),
                });
            }
            Event::Eof => break,
            other => panic!("unexpected XML event {other:?}"),
        }
    }
    assert_eq!(depth, 0, "unclosed elements");
    assert_eq!(n_roots, 1, "one root element");
    Parsed { elements, text }
}

/// What every chart must have, with or without data.
fn check_common(chart: &Chart, prefix: &str) -> Parsed {
    let parsed = parse(&chart.svg);
    let (root, root_attributes) = &parsed.elements[0];
    assert_eq!(root, "svg");
    assert_eq!(attribute(root_attributes, "role"), Some("img"));
    assert_eq!(attribute(root_attributes, "viewBox"), Some("0 0 720 400"));
    assert_eq!(
        attribute(root_attributes, "aria-labelledby"),
        Some(format!("{prefix}-title {prefix}-desc").as_str())
    );
    // The ids it points at exist, once each, on <title> and <desc> directly inside the svg.
    assert_eq!(parsed.elements[1].0, "title");
    assert_eq!(
        attribute(&parsed.elements[1].1, "id"),
        Some(format!("{prefix}-title").as_str())
    );
    assert_eq!(parsed.elements[2].0, "desc");
    assert_eq!(
        attribute(&parsed.elements[2].1, "id"),
        Some(format!("{prefix}-desc").as_str())
    );
    let ids: Vec<&str> = parsed
        .elements
        .iter()
        .filter_map(|(_, attributes)| attribute(attributes, "id"))
        .collect();
    assert_eq!(ids.len(), 2);
    assert!(parsed.text.contains(&chart.title));
    assert!(parsed.text.contains(&chart.description));
    // Self-contained and inert.
    for (name, attributes) in &parsed.elements {
        assert!(
            !matches!(
                name.as_str(),
                "script" | "style" | "image" | "use" | "a" | "foreignObject"
            ),
            "{name}"
        );
        for (key, value) in attributes {
            assert!(!key.starts_with("on"), "{key}");
            assert!(!key.contains("href"), "{key}");
            assert!(!value.contains("url("), "{value}");
        }
    }
    parsed
}

#[test]
fn empty_range_says_there_are_no_entries() {
    let data = support::typical();
    let chart = severity_chart(
        &data.entries,
        &data.injections,
        date!(2023 - 01 - 01),
        date!(2023 - 01 - 31),
        "empty",
    );
    assert!(chart.table.is_empty());
    assert_eq!(chart.title, "Severity by body region, 1 Jan 2023 to 31 Jan 2023");
    assert_eq!(
        chart.description,
        "No diary entries from 1 Jan 2023 to 31 Jan 2023."
    );
    let parsed = check_common(&chart, "empty");
    assert!(parsed.named("polyline").is_empty());
    assert!(parsed.text.contains("No diary entries"));
}

#[test]
fn no_data_at_all() {
    let chart = severity_chart(&[], &[], date!(2024 - 01 - 01), date!(2024 - 01 - 01), "c");
    check_common(&chart, "c");
    assert!(chart.table.is_empty());
}

#[test]
fn draws_one_distinct_series_per_region_and_marks_injections() {
    let data = support::typical();
    let chart = severity_chart(
        &data.entries,
        &data.injections,
        date!(2024 - 03 - 01),
        date!(2024 - 06 - 30),
        "severity-1",
    );
    let parsed = check_common(&chart, "severity-1");

    let polylines = parsed.named("polyline");
    assert_eq!(polylines.len(), 2, "neck and right arm");
    let dashes: Vec<Option<&str>> = polylines
        .iter()
        .map(|a| attribute(a, "stroke-dasharray"))
        .collect();
    assert_ne!(dashes[0], dashes[1], "lines differ without colour");
    let colours: Vec<Option<&str>> = polylines.iter().map(|a| attribute(a, "stroke")).collect();
    assert_ne!(colours[0], colours[1]);
    // Neck: 4 points; right arm: 2 points.
    let n_points: Vec<usize> = polylines
        .iter()
        .map(|a| attribute(a, "points").unwrap().split(' ').count())
        .collect();
    assert_eq!(n_points, [4, 2]);
    assert_eq!(parsed.named("circle").len(), 6);

    // Two injections in range, each a vertical line labelled "Injection".
    assert_eq!(chart.svg.matches(">Injection</text>").count(), 2);
    assert!(parsed.text.contains("Injection on 5 Mar 2024"));
    assert!(parsed.text.contains("Injection on 4 Jun 2024"));

    // The y axis has every tick from 0 to 10.
    for tick in 0..=10 {
        assert!(chart.svg.contains(&format!(">{tick}</text>")), "tick {tick}");
    }
    // The legend names each region.
    assert!(parsed.text.contains("Neck"));
    assert!(parsed.text.contains("Right arm"));

    assert_eq!(
        chart.description,
        "Line chart of severity from 0 (none) to 10 (worst), 1 Mar 2024 to 30 Jun 2024: \
         6 ratings for neck, right arm. Vertical lines mark the injections on 5 Mar 2024, 4 Jun 2024."
    );
}

#[test]
fn table_is_filtered_and_sorted() {
    let entries = [
        entry(
            date!(2024 - 01 - 10),
            &[(Region::RightLeg, 4), (Region::Neck, 5)],
            &[],
            "",
        ),
        entry(date!(2024 - 01 - 05), &[(Region::Jaw, 1)], &[], ""),
        entry(date!(2023 - 12 - 31), &[(Region::Jaw, 9)], &[], ""),
        entry(date!(2024 - 01 - 11), &[(Region::Jaw, 9)], &[], ""),
    ];
    // Given the wrong way round: swapped.
    let chart = severity_chart(&entries, &[], date!(2024 - 01 - 10), date!(2024 - 01 - 01), "t");
    let row = |date, region, severity| ChartRow {
        date,
        region,
        severity,
    };
    assert_eq!(
        chart.table,
        [
            row(date!(2024 - 01 - 05), Region::Jaw, 1),
            row(date!(2024 - 01 - 10), Region::Neck, 5),
            row(date!(2024 - 01 - 10), Region::RightLeg, 4),
        ]
    );
    let parsed = check_common(&chart, "t");
    assert_eq!(parsed.named("polyline").len(), 3);
    assert!(chart.title.ends_with("1 Jan 2024 to 10 Jan 2024"));
}

#[test]
fn a_hostile_prefix_cannot_break_out() {
    let data = support::typical();
    let chart = severity_chart(
        &data.entries,
        &[],
        date!(2024 - 03 - 01),
        date!(2024 - 03 - 31),
        "\"><script>alert(1)</script>",
    );
    assert!(!chart.svg.contains("<script"));
    check_common(&chart, "scriptalert1script");
}

#[test]
fn every_region_gets_its_own_style() {
    let entries = [entry(
        date!(2024 - 02 - 01),
        &Region::ALL.map(|r| (r, 5)),
        &[],
        "",
    )];
    let chart = severity_chart(&entries, &[], date!(2024 - 01 - 01), date!(2024 - 03 - 01), "all");
    let parsed = check_common(&chart, "all");
    let polylines = parsed.named("polyline");
    assert_eq!(polylines.len(), 11);
    let mut styles: Vec<(Option<&str>, Option<&str>)> = polylines
        .iter()
        .map(|a| (attribute(a, "stroke"), attribute(a, "stroke-dasharray")))
        .collect();
    let mut dashes: Vec<Option<&str>> = styles.iter().map(|s| s.1).collect();
    dashes.sort();
    dashes.dedup();
    assert_eq!(dashes.len(), 11, "a distinct dash pattern per region");
    styles.sort();
    styles.dedup();
    assert_eq!(styles.len(), 11);
}

#[test]
fn small_chart_snapshot() {
    let entries = [
        entry(date!(2024 - 01 - 01), &[(Region::Neck, 6)], &[], ""),
        entry(date!(2024 - 01 - 07), &[(Region::Neck, 2)], &[], ""),
    ];
    let mut injection = support::typical().injections[0].clone();
    injection.date = date!(2024 - 01 - 03);
    let chart = severity_chart(
        &entries,
        &[injection],
        date!(2024 - 01 - 01),
        date!(2024 - 01 - 07),
        "s",
    );
    // One element per line, to read the snapshot.
    let svg = chart.svg.replace("><", ">\n<");
    expect_test::expect![[r##"
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 720 400" role="img" aria-labelledby="s-title s-desc" font-family="sans-serif" font-size="12">
        <title id="s-title">Severity by body region, 1 Jan 2024 to 7 Jan 2024</title>
        <desc id="s-desc">Line chart of severity from 0 (none) to 10 (worst), 1 Jan 2024 to 7 Jan 2024: 2 ratings for neck. A vertical line marks the injection on 3 Jan 2024.</desc>
        <line x1="56" y1="340.0" x2="550" y2="340.0" stroke="#e0e0e0"/>
        <line x1="51" y1="340.0" x2="56" y2="340.0" stroke="#333333"/>
        <text x="48" y="344.0" text-anchor="end">0</text>
        <line x1="56" y1="308.8" x2="550" y2="308.8" stroke="#e0e0e0"/>
        <line x1="51" y1="308.8" x2="56" y2="308.8" stroke="#333333"/>
        <text x="48" y="312.8" text-anchor="end">1</text>
        <line x1="56" y1="277.6" x2="550" y2="277.6" stroke="#e0e0e0"/>
        <line x1="51" y1="277.6" x2="56" y2="277.6" stroke="#333333"/>
        <text x="48" y="281.6" text-anchor="end">2</text>
        <line x1="56" y1="246.4" x2="550" y2="246.4" stroke="#e0e0e0"/>
        <line x1="51" y1="246.4" x2="56" y2="246.4" stroke="#333333"/>
        <text x="48" y="250.4" text-anchor="end">3</text>
        <line x1="56" y1="215.2" x2="550" y2="215.2" stroke="#e0e0e0"/>
        <line x1="51" y1="215.2" x2="56" y2="215.2" stroke="#333333"/>
        <text x="48" y="219.2" text-anchor="end">4</text>
        <line x1="56" y1="184.0" x2="550" y2="184.0" stroke="#e0e0e0"/>
        <line x1="51" y1="184.0" x2="56" y2="184.0" stroke="#333333"/>
        <text x="48" y="188.0" text-anchor="end">5</text>
        <line x1="56" y1="152.8" x2="550" y2="152.8" stroke="#e0e0e0"/>
        <line x1="51" y1="152.8" x2="56" y2="152.8" stroke="#333333"/>
        <text x="48" y="156.8" text-anchor="end">6</text>
        <line x1="56" y1="121.6" x2="550" y2="121.6" stroke="#e0e0e0"/>
        <line x1="51" y1="121.6" x2="56" y2="121.6" stroke="#333333"/>
        <text x="48" y="125.6" text-anchor="end">7</text>
        <line x1="56" y1="90.4" x2="550" y2="90.4" stroke="#e0e0e0"/>
        <line x1="51" y1="90.4" x2="56" y2="90.4" stroke="#333333"/>
        <text x="48" y="94.4" text-anchor="end">8</text>
        <line x1="56" y1="59.2" x2="550" y2="59.2" stroke="#e0e0e0"/>
        <line x1="51" y1="59.2" x2="56" y2="59.2" stroke="#333333"/>
        <text x="48" y="63.2" text-anchor="end">9</text>
        <line x1="56" y1="28.0" x2="550" y2="28.0" stroke="#e0e0e0"/>
        <line x1="51" y1="28.0" x2="56" y2="28.0" stroke="#333333"/>
        <text x="48" y="32.0" text-anchor="end">10</text>
        <line x1="56" y1="28" x2="56" y2="340" stroke="#333333"/>
        <line x1="56" y1="340" x2="550" y2="340" stroke="#333333"/>
        <text x="16" y="184.0" text-anchor="middle" transform="rotate(-90 16 184.0)">Severity (0 none, 10 worst)</text>
        <text x="303.0" y="388" text-anchor="middle">Date</text>
        <line x1="56.0" y1="340" x2="56.0" y2="345" stroke="#333333"/>
        <text x="56.0" y="360" text-anchor="middle">1 Jan</text>
        <line x1="138.3" y1="340" x2="138.3" y2="345" stroke="#333333"/>
        <text x="138.3" y="360" text-anchor="middle">2 Jan</text>
        <line x1="220.7" y1="340" x2="220.7" y2="345" stroke="#333333"/>
        <text x="220.7" y="360" text-anchor="middle">3 Jan</text>
        <line x1="303.0" y1="340" x2="303.0" y2="345" stroke="#333333"/>
        <text x="303.0" y="360" text-anchor="middle">4 Jan</text>
        <line x1="385.3" y1="340" x2="385.3" y2="345" stroke="#333333"/>
        <text x="385.3" y="360" text-anchor="middle">5 Jan</text>
        <line x1="467.7" y1="340" x2="467.7" y2="345" stroke="#333333"/>
        <text x="467.7" y="360" text-anchor="middle">6 Jan</text>
        <line x1="550.0" y1="340" x2="550.0" y2="345" stroke="#333333"/>
        <text x="550.0" y="360" text-anchor="middle">7 Jan</text>
        <g>
        <title>Injection on 3 Jan 2024</title>
        <line x1="220.7" y1="28" x2="220.7" y2="340" stroke="#444444" stroke-width="1.5"/>
        <text x="223.7" y="22" font-size="11">Injection</text>
        </g>
        <g>
        <title>Neck</title>
        <polyline points="56.0,152.8 550.0,277.6" fill="none" stroke="#000000" stroke-width="2" stroke-dasharray="12 3 3 3 3 3"/>
        <circle cx="56.0" cy="152.8" r="3" fill="#000000"/>
        <circle cx="550.0" cy="277.6" r="3" fill="#000000"/>
        </g>
        <line x1="570" y1="36.0" x2="602.0" y2="36.0" stroke="#000000" stroke-width="2" stroke-dasharray="12 3 3 3 3 3"/>
        <text x="608.0" y="40.0">Neck</text>
        </svg>"##]].assert_eq(&svg);
}
