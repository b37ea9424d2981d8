//! The 2013 consensus body-distribution classes, checked against expectations written out by
//! hand: every pair of regions, then triples and edge cases.

use kindred_tracker::{DistributionClass, Region, classify};

use DistributionClass::{Focal as F, Generalized as G, Hemidystonia as H, Multifocal as M, Segmental as S};
use Region::{
    Jaw as J, Larynx as Lx, LeftArm as LA, LeftLeg as LL, LowerFace as LF, Neck as N, RightArm as RA,
    RightLeg as RL, Tongue as T, Trunk as Tr, UpperFace as UF,
};

/// Every unordered pair of the 11 regions with the class a clinician reading the module docs
/// would expect. S: the two touch (the cranial regions among themselves, the larynx with jaw,
/// tongue and neck, the neck with jaw, arms and trunk, the arms together, the trunk with the
/// limbs, the legs together). H: the arm and leg of one side. M: everything else.
const PAIRS: [(Region, Region, DistributionClass); 55] = [
    (UF, LF, S),
    (UF, J, S),
    (UF, T, S),
    (UF, Lx, M),
    (UF, N, M),
    (UF, LA, M),
    (UF, RA, M),
    (UF, Tr, M),
    (UF, LL, M),
    (UF, RL, M),
    (LF, J, S),
    (LF, T, S),
    (LF, Lx, M),
    (LF, N, M),
    (LF, LA, M),
    (LF, RA, M),
    (LF, Tr, M),
    (LF, LL, M),
    (LF, RL, M),
    (J, T, S),
    (J, Lx, S),
    (J, N, S),
    (J, LA, M),
    (J, RA, M),
    (J, Tr, M),
    (J, LL, M),
    (J, RL, M),
    (T, Lx, S),
    (T, N, M),
    (T, LA, M),
    (T, RA, M),
    (T, Tr, M),
    (T, LL, M),
    (T, RL, M),
    (Lx, N, S),
    (Lx, LA, M),
    (Lx, RA, M),
    (Lx, Tr, M),
    (Lx, LL, M),
    (Lx, RL, M),
    (N, LA, S),
    (N, RA, S),
    (N, Tr, S),
    (N, LL, M),
    (N, RL, M),
    (LA, RA, S),
    (LA, Tr, S),
    (LA, LL, H),
    (LA, RL, M),
    (RA, Tr, S),
    (RA, LL, M),
    (RA, RL, H),
    (Tr, LL, S),
    (Tr, RL, S),
    (LL, RL, S),
];

#[test]
fn the_pair_table_covers_every_pair_once() {
    for (i, a) in Region::ALL.into_iter().enumerate() {
        for b in Region::ALL.into_iter().skip(i + 1) {
            let n = PAIRS
                .iter()
                .filter(|(x, y, _)| (*x, *y) == (a, b) || (*x, *y) == (b, a))
                .count();
            assert_eq!(n, 1, "{a:?}-{b:?}");
        }
    }
}

#[test]
fn every_pair_in_both_orders() {
    let mut failures = Vec::new();
    for (a, b, expected) in PAIRS {
        for marked in [[a, b], [b, a]] {
            let got = classify(&marked).map(|d| d.class);
            if got != Some(expected) {
                failures.push(format!("{marked:?}: expected {expected:?}, got {got:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn adjacency_agrees_with_the_pair_table() {
    for (a, b, expected) in PAIRS {
        assert_eq!(kindred_tracker::adjacent(a, b), expected == S, "{a:?}-{b:?}");
    }
}

#[test]
fn triples_and_edge_cases() {
    let cases: &[(&[Region], Option<DistributionClass>)] = &[
        (&[], None),
        (&[N], Some(F)),
        (&[N, N, N], Some(F)),
        (&[Tr], Some(F)),
        (&[Tr, N], Some(S)),
        // Generalized: the trunk and at least two others, wherever they are.
        (&[Tr, N, LA], Some(G)),
        (&[Tr, LL, RL], Some(G)),
        (&[Tr, UF, LL], Some(G)),
        (&Region::ALL, Some(G)),
        // Generalized wins over hemidystonia.
        (&[Tr, LA, LL], Some(G)),
        // Hemidystonia: unsided regions neither count nor block.
        (&[LA, LL, UF], Some(H)),
        (&[LA, LL, N], Some(H)),
        (&[RA, RL, T, Lx], Some(H)),
        // One sided region is not hemidystonia.
        (&[LA, N], Some(S)),
        (&[LA, UF], Some(M)),
        // Both sides: not hemidystonia.
        (&[LA, LL, RA], Some(M)),
        (&[LL, RL, RA], Some(M)),
        // Cranial segment.
        (&[UF, LF, J], Some(S)),
        (&[UF, T], Some(S)),
        (&[UF, J, T, LF], Some(S)),
        // Connected through a marked region.
        (&[UF, N], Some(M)),
        (&[UF, J, N], Some(S)),
        (&[UF, Lx], Some(M)),
        (&[UF, T, Lx], Some(S)),
        (&[J, LA], Some(M)),
        (&[J, N, LA], Some(S)),
        (&[N, LA, RA], Some(S)),
        (&[LF, N, RA], Some(M)),
        // Two separate groups.
        (&[UF, LF, LA, RA], Some(M)),
    ];
    for (marked, expected) in cases {
        assert_eq!(classify(marked).map(|d| d.class), *expected, "{marked:?}");
    }
}

#[test]
fn regions_come_back_once_and_head_to_foot() {
    let d = classify(&[RL, N, UF, N]).unwrap();
    assert_eq!(d.regions, [UF, N, RL]);
}

#[test]
fn explanations_name_the_rule_and_the_regions() {
    let explain = |marked: &[Region]| classify(marked).unwrap().explanation;
    assert_eq!(explain(&[N]), "One region: neck. This pattern is called focal.");
    assert_eq!(
        explain(&[RA, N]),
        "Two or more regions that touch each other: neck and right arm. This pattern is called segmental."
    );
    assert_eq!(
        explain(&[UF, LL]),
        "Two or more regions that do not all touch each other: upper face and left leg. \
         This pattern is called multifocal."
    );
    assert_eq!(
        explain(&[N, Tr, LA]),
        "The trunk and at least two other regions: neck, left arm and trunk. \
         This pattern is called generalized."
    );
    assert_eq!(
        explain(&[LL, LA]),
        "Two or more regions on the left side of the body only: left arm and left leg. \
         This pattern is called hemidystonia."
    );
    assert_eq!(
        explain(&[RA, RL, N]),
        "Two or more regions on the right side of the body only: right arm and right leg. \
         Also marked, and not split by side in the tracker: neck. This pattern is called hemidystonia."
    );
}

#[test]
fn the_notice_says_it_is_not_a_diagnosis() {
    let notice = kindred_tracker::CLINICIAN_NOTICE;
    assert!(notice.contains("regions you marked"), "{notice}");
    assert!(notice.contains("not a diagnosis"), "{notice}");
    assert!(notice.contains("clinician"), "{notice}");
}
