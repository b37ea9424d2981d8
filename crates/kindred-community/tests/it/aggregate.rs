//! Suppression under ten members, percentages and member counts.

use kindred_community::aggregate::{MIN_MEMBERS, OutcomeShare, OutcomeTally, member_count_label};

fn tally(helped: u32, no_change: u32, worse: u32) -> OutcomeTally {
    OutcomeTally {
        helped,
        no_change,
        worse,
    }
}

#[test]
fn nine_members_are_suppressed_ten_are_shown() {
    assert_eq!(MIN_MEMBERS, 10);
    let nine = tally(5, 3, 1);
    assert_eq!(nine.members(), 9);
    assert!(matches!(nine.share(), OutcomeShare::Suppressed { .. }));
    let ten = tally(5, 3, 2);
    assert_eq!(
        ten.share(),
        OutcomeShare::Shown {
            members: 10,
            helped_pct: 50,
            no_change_pct: 30,
            worse_pct: 20
        }
    );
}

#[test]
fn suppressed_share_reveals_no_count() {
    let share = tally(1, 0, 0).share();
    let json = serde_json::to_string(&share).unwrap_or_default();
    assert_eq!(
        json,
        r#"{"status":"suppressed","reason":"fewer than 10 members reported an outcome, so none is shown"}"#
    );
    assert!(matches!(tally(0, 0, 0).share(), OutcomeShare::Suppressed { .. }));
}

#[test]
fn percentages_always_sum_to_100() {
    for helped in 0..40 {
        for no_change in 0..40 {
            for worse in [0, 1, 7, 13, 29] {
                let tally = tally(helped, no_change, worse);
                match tally.share() {
                    OutcomeShare::Suppressed { .. } => assert!(tally.members() < 10),
                    OutcomeShare::Shown {
                        members,
                        helped_pct,
                        no_change_pct,
                        worse_pct,
                    } => {
                        assert_eq!(members, tally.members());
                        assert_eq!(helped_pct + no_change_pct + worse_pct, 100, "{tally:?}");
                        // Largest remainder never moves a share by more than one point.
                        let exact = f64::from(helped) * 100.0 / members as f64;
                        assert!((f64::from(helped_pct) - exact).abs() < 1.0, "{tally:?}");
                    }
                }
            }
        }
    }
}

#[test]
fn largest_remainder_rounding() {
    // 1/3, 1/3, 1/3 of 30 → 33.3 each: the first gets the spare point.
    assert_eq!(
        tally(10, 10, 10).share(),
        OutcomeShare::Shown {
            members: 30,
            helped_pct: 34,
            no_change_pct: 33,
            worse_pct: 33
        }
    );
    // 2/11 = 18.18, 4/11 = 36.36, 5/11 = 45.45: floors 18+36+45 = 99, largest remainder (.45 of
    // 45.45) gets the point.
    assert_eq!(
        tally(2, 4, 5).share(),
        OutcomeShare::Shown {
            members: 11,
            helped_pct: 18,
            no_change_pct: 36,
            worse_pct: 46
        }
    );
}

#[test]
fn member_count_labels() {
    for (n, label) in [
        (0, "fewer than 10 members"),
        (9, "fewer than 10 members"),
        (10, "10 members"),
        (999, "999 members"),
        (1_234, "1,234 members"),
        (1_000_000, "1,000,000 members"),
    ] {
        assert_eq!(member_count_label(n), label);
    }
}
