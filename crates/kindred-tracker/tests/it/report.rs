//! The appointment report restates the member's records, section by section.

use kindred_tracker::{
    CLINICIAN_NOTICE, CitedQuestion, DistributionClass, DueStatus, DueWindow, Product, Region, RegionSummary,
    SideEffectMention, SideEffectSource, Trigger, TriggerCount, report,
};
use time::macros::date;

use crate::support::{self, entry};

fn library_questions() -> Vec<CitedQuestion> {
    vec![CitedQuestion {
        text: "What are the possible side effects of the injections?".into(),
        source_title: "Cervical dystonia: preparing for your appointment".into(),
        source_id: "page-42".into(),
    }]
}

#[test]
fn report_of_a_typical_member() {
    let data = support::typical();
    let today = date!(2024 - 06 - 30);
    let report = report(&data, library_questions(), today);

    assert_eq!(report.member_handle, "calm-heron");
    assert_eq!(report.generated_on, today);
    assert_eq!(report.conditions, data.conditions);

    // Symptoms and when they began.
    assert_eq!(
        report.symptoms,
        [
            RegionSummary {
                region: Region::Neck,
                first_rated: date!(2024 - 03 - 01),
                last_rated: date!(2024 - 06 - 10),
                last_severity: 3,
                highest_severity: 7,
                n_ratings: 4,
            },
            RegionSummary {
                region: Region::RightArm,
                first_rated: date!(2024 - 03 - 20),
                last_rated: date!(2024 - 05 - 02),
                last_severity: 3,
                highest_severity: 3,
                n_ratings: 2,
            },
        ]
    );

    // What makes them worse: most marked first, ties in form order.
    assert_eq!(
        report.triggers,
        [
            TriggerCount {
                trigger: Trigger::Stress,
                n_entries: 2
            },
            TriggerCount {
                trigger: Trigger::Fatigue,
                n_entries: 1
            },
            TriggerCount {
                trigger: Trigger::Activity,
                n_entries: 1
            },
        ]
    );
    let notes: Vec<&str> = report.notes.iter().map(|n| n.text.as_str()).collect();
    assert_eq!(
        notes,
        [
            "Head pulling to the left all day.",
            "Writing made the arm tremble."
        ]
    );

    // Treatments.
    let injection_dates: Vec<_> = report.injections.iter().map(|i| i.date).collect();
    assert_eq!(injection_dates, [date!(2024 - 03 - 05), date!(2024 - 06 - 04)]);
    assert_eq!(report.injections[0].product, Product::OnabotulinumtoxinA);
    assert_eq!(report.injections[0].muscles, data.injections[0].muscles);
    assert_eq!(report.medicines, data.medicines);

    // Side effects, from injections then medicines.
    assert_eq!(
        report.side_effects,
        [
            SideEffectMention {
                text: "Mild neck weakness".into(),
                source: SideEffectSource::Injection {
                    date: date!(2024 - 03 - 05),
                    product: Product::OnabotulinumtoxinA
                },
            },
            SideEffectMention {
                text: "Dry mouth".into(),
                source: SideEffectSource::Medicine {
                    name: "Trihexyphenidyl".into()
                },
            },
            SideEffectMention {
                text: "Blurred vision".into(),
                source: SideEffectSource::Medicine {
                    name: "Trihexyphenidyl".into()
                },
            },
        ]
    );

    assert_eq!(report.family_history, "My aunt had writer's cramp.");
    assert_eq!(report.member_questions, data.questions);
    assert_eq!(report.library_questions, library_questions());
    assert_eq!(report.library_questions[0].source_id, "page-42");

    // Distribution, with the notice.
    let distribution = report.distribution.as_ref().unwrap();
    assert_eq!(distribution.class, DistributionClass::Segmental);
    assert_eq!(distribution.regions, [Region::Neck, Region::RightArm]);
    assert!(distribution.explanation.contains("neck and right arm"));
    assert_eq!(report.clinician_notice, CLINICIAN_NOTICE);

    // Next injection: 12 to 14 weeks after 4 June 2024.
    let next = report.next_injection.unwrap();
    assert_eq!(next.last_injection, date!(2024 - 06 - 04));
    assert_eq!(
        next.window,
        DueWindow {
            opens: date!(2024 - 08 - 27),
            closes: date!(2024 - 09 - 10),
        }
    );
    assert_eq!(next.status, DueStatus::NotYet { days_until_open: 58 });
}

#[test]
fn an_empty_tracker_gives_an_empty_report() {
    let report = report(&support::empty(), vec![], date!(2024 - 06 - 30));
    assert!(report.symptoms.is_empty());
    assert!(report.triggers.is_empty());
    assert!(report.notes.is_empty());
    assert!(report.injections.is_empty());
    assert!(report.side_effects.is_empty());
    assert_eq!(report.distribution, None);
    assert_eq!(report.next_injection, None);
    assert_eq!(report.clinician_notice, CLINICIAN_NOTICE);
}

#[test]
fn regions_only_ever_rated_zero_do_not_count_towards_the_distribution() {
    let mut data = support::empty();
    data.entries = vec![
        entry(
            date!(2024 - 01 - 02),
            &[(Region::Neck, 4), (Region::LeftLeg, 0)],
            &[],
            "",
        ),
        entry(date!(2024 - 01 - 01), &[(Region::LeftLeg, 0)], &[], ""),
    ];
    let report = report(&data, vec![], date!(2024 - 01 - 31));
    // Both appear as symptoms rated, but only the neck is affected.
    assert_eq!(report.symptoms.len(), 2);
    assert_eq!(report.symptoms[1].first_rated, date!(2024 - 01 - 01));
    let distribution = report.distribution.unwrap();
    assert_eq!(distribution.class, DistributionClass::Focal);
    assert_eq!(distribution.regions, [Region::Neck]);
}

#[test]
fn report_serialises_with_kebab_case_values_and_iso_dates() {
    let report = report(&support::typical(), library_questions(), date!(2024 - 06 - 30));
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["generated_on"], "2024-06-30");
    assert_eq!(json["symptoms"][1]["region"], "right-arm");
    assert_eq!(json["distribution"]["class"], "segmental");
    assert_eq!(json["next_injection"]["status"]["state"], "not-yet");
    assert_eq!(json["side_effects"][0]["source"]["kind"], "injection");
    assert_eq!(json["injections"][0]["product"], "onabotulinumtoxin-a");
}
