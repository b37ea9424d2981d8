//! Alikes: privacy of the index, scoring, updates, determinism, and agreement with a full scan.

use std::collections::HashMap;

use kindred_community::alikes::{AlikeFeatures, AlikeIndex, AlikeMatch, IDF_FLOOR, ReasonKind};
use kindred_community::profile::{ConditionChoice, Field, Profile, TreatmentReport};
use kindred_community::synthetic::{SyntheticCatalog, members};
use kindred_community::vocab::{AgeBand, OnsetBand, Visibility};

fn features(conditions: &[&str], regions: &[&str]) -> AlikeFeatures {
    AlikeFeatures {
        conditions: conditions.iter().map(|s| s.to_string()).collect(),
        regions: regions.iter().map(|s| s.to_string()).collect(),
        ..AlikeFeatures::default()
    }
}

fn profile(conditions: (&[&str], Visibility), regions: (&[&str], Visibility)) -> Profile {
    Profile {
        conditions: Field::new(
            conditions
                .0
                .iter()
                .map(|c| ConditionChoice {
                    condition: c.to_string(),
                    subtype: None,
                })
                .collect(),
            conditions.1,
        ),
        regions: Field::new(regions.0.iter().map(|r| r.to_string()).collect(), regions.1),
        open_to_matching: true,
        ..Profile::default()
    }
}

fn ids(found: &[AlikeMatch]) -> Vec<i64> {
    found.iter().map(|m| m.member).collect()
}

/// An index with filler members so that idf is not degenerate.
fn index_with_filler(n_filler: i64) -> AlikeIndex {
    let mut index = AlikeIndex::new();
    for member in 1000..1000 + n_filler {
        index.upsert(member, &features(&["filler"], &["trunk"]));
    }
    index
}

#[test]
fn a_private_field_never_makes_a_match() {
    let mut index = index_with_filler(20);
    // Member 1 has the rare condition only privately, and a region the query does not have.
    let private_condition = profile(
        (&["rare-condition"], Visibility::Private),
        (&["jaw"], Visibility::Members),
    );
    index.upsert(1, &AlikeFeatures::shared(&private_condition));
    // Member 2 has the query's region only privately.
    let private_region = profile(
        (&["other-condition"], Visibility::Public),
        (&["neck"], Visibility::Private),
    );
    index.upsert(2, &AlikeFeatures::shared(&private_region));
    let query = AlikeFeatures::own(&profile(
        (&["rare-condition"], Visibility::Private),
        (&["neck"], Visibility::Private),
    ));
    assert_eq!(
        query.conditions,
        ["rare-condition"],
        "own features include private fields"
    );
    let found = index.top(&query, 99, 20);
    assert_eq!(ids(&found), Vec::<i64>::new());
}

#[test]
fn a_private_field_never_appears_as_a_reason() {
    let mut index = index_with_filler(20);
    let member = profile(
        (&["rare-condition"], Visibility::Private),
        (&["neck"], Visibility::Members),
    );
    index.upsert(1, &AlikeFeatures::shared(&member));
    let query = features(&["rare-condition"], &["neck"]);
    let found = index.top(&query, 99, 20);
    assert_eq!(ids(&found), [1]);
    let reasons: Vec<_> = found[0]
        .reasons
        .iter()
        .map(|r| (r.kind, r.key.as_str()))
        .collect();
    assert_eq!(reasons, [(ReasonKind::Region, "neck")]);
}

#[test]
fn shared_features_take_only_shared_fields_of_open_members() {
    let mut member = Profile {
        conditions: Field::new(
            vec![
                ConditionChoice {
                    condition: "dystonia".into(),
                    subtype: Some("cervical-dystonia".into()),
                },
                ConditionChoice {
                    condition: "dystonia".into(),
                    subtype: Some("blepharospasm".into()),
                },
            ],
            Visibility::Public,
        ),
        regions: Field::new(vec!["neck".into()], Visibility::Private),
        treatments: Field::new(
            vec![
                TreatmentReport {
                    treatment: "baclofen".into(),
                    outcome: None,
                    side_effects: vec!["tiredness".into()],
                },
                TreatmentReport {
                    treatment: "other".into(),
                    outcome: None,
                    side_effects: vec![],
                },
            ],
            Visibility::Members,
        ),
        onset_band: Field::new(Some(OnsetBand::Childhood), Visibility::Members),
        age_band: Field::new(Some(AgeBand::Under18), Visibility::Private),
        open_to_matching: true,
        ..Profile::default()
    };
    let shared = AlikeFeatures::shared(&member);
    assert_eq!(
        shared,
        AlikeFeatures {
            conditions: vec!["dystonia".into()],
            subtypes: vec!["blepharospasm".into(), "cervical-dystonia".into()],
            regions: vec![],
            treatments: vec!["baclofen".into()],
            onset_band: Some(OnsetBand::Childhood),
            age_band: None,
        }
    );
    let own = AlikeFeatures::own(&member);
    assert_eq!(own.regions, ["neck"]);
    assert_eq!(own.age_band, Some(AgeBand::Under18));

    member.open_to_matching = false;
    assert!(AlikeFeatures::shared(&member).is_empty());
    let mut index = AlikeIndex::new();
    index.upsert(1, &AlikeFeatures::shared(&member));
    assert_eq!(index.len(), 0);
    assert!(index.top(&own, 2, 20).is_empty());
}

#[test]
fn upsert_replaces_the_previous_features() {
    let mut index = index_with_filler(10);
    index.upsert(1, &features(&["alpha"], &["neck"]));
    assert_eq!(ids(&index.top(&features(&["alpha"], &[]), 0, 5)), [1]);
    index.upsert(1, &features(&["beta"], &["jaw"]));
    assert_eq!(index.len(), 11);
    assert!(index.top(&features(&["alpha"], &["neck"]), 0, 5).is_empty());
    let found = index.top(&features(&["beta"], &[]), 0, 5);
    assert_eq!(ids(&found), [1]);
    assert_eq!(found[0].reasons.len(), 1);
    // Empty features take the member out.
    index.upsert(1, &AlikeFeatures::default());
    assert_eq!(index.len(), 10);
    assert!(index.top(&features(&["beta"], &["jaw"]), 0, 5).is_empty());
}

#[test]
fn remove_takes_a_member_out() {
    let mut index = AlikeIndex::new();
    for member in 1..=3 {
        index.upsert(member, &features(&["dystonia"], &[]));
    }
    index.remove(2);
    index.remove(2);
    index.remove(12345);
    assert_eq!(index.len(), 2);
    assert_eq!(ids(&index.top(&features(&["dystonia"], &[]), 0, 10)), [1, 3]);
    index.upsert(2, &features(&["dystonia"], &[]));
    assert_eq!(ids(&index.top(&features(&["dystonia"], &[]), 0, 10)), [1, 2, 3]);
    assert_eq!(index.n_postings(), 3);
}

#[test]
fn ties_are_ordered_by_member_id_whatever_the_insertion_order() {
    let order_a: Vec<i64> = (1..=40).collect();
    let order_b: Vec<i64> = (1..=40).rev().collect();
    let build = |order: &[i64]| {
        let mut index = AlikeIndex::new();
        for &member in order {
            let region = if member % 3 == 0 { "neck" } else { "jaw" };
            index.upsert(member, &features(&["dystonia"], &[region]));
        }
        index
    };
    let query = features(&["dystonia"], &["neck"]);
    let a = build(&order_a).top(&query, 3, 10);
    let b = build(&order_b).top(&query, 3, 10);
    assert_eq!(a, b);
    // Multiples of 3 share the region too and come first, lowest id first, 3 itself excluded.
    assert_eq!(ids(&a), [6, 9, 12, 15, 18, 21, 24, 27, 30, 33]);
    assert_eq!(
        ids(&build(&order_a).top(&features(&["dystonia"], &["jaw"]), 0, 3)),
        [1, 2, 4]
    );
}

#[test]
fn idf_prefers_rare_shared_features() {
    let mut index = AlikeIndex::new();
    for member in 100..200 {
        index.upsert(member, &features(&["common"], &[]));
    }
    index.upsert(1, &features(&["common"], &[]));
    index.upsert(2, &features(&["rare"], &[]));
    let found = index.top(&features(&["common", "rare"], &[]), 0, 3);
    assert_eq!(ids(&found), [2, 1, 100]);
    assert!(found[0].score > 5.0 * found[1].score, "{found:?}");
    // The exact weight: kind 3.0 × (ln((N + 1) / (df + 1)) + floor), N = 102, df = 1.
    let expected = 3.0 * ((103.0f64 / 2.0).ln() + IDF_FLOOR);
    assert!((f64::from(found[0].score) - expected).abs() < 1e-4, "{found:?}");
}

#[test]
fn kinds_weigh_differently() {
    let mut index = index_with_filler(50);
    let one = |kind: &str| {
        let mut f = AlikeFeatures::default();
        match kind {
            "condition" => f.conditions.push("x".into()),
            "subtype" => f.subtypes.push("x".into()),
            "region" => f.regions.push("x".into()),
            "treatment" => f.treatments.push("x".into()),
            "onset" => f.onset_band = Some(OnsetBand::Later),
            _ => f.age_band = Some(AgeBand::From75),
        }
        f
    };
    let kinds = ["condition", "subtype", "region", "treatment", "onset", "age"];
    for (member, kind) in (1..).zip(kinds) {
        index.upsert(member, &one(kind));
    }
    let mut query = AlikeFeatures::default();
    for kind in kinds {
        let f = one(kind);
        query.conditions.extend(f.conditions);
        query.subtypes.extend(f.subtypes);
        query.regions.extend(f.regions);
        query.treatments.extend(f.treatments);
        query.onset_band = query.onset_band.or(f.onset_band);
        query.age_band = query.age_band.or(f.age_band);
    }
    let found = index.top(&query, 0, 10);
    // Same df everywhere, so the order is the kind weights': 3, 2.5, 1 (region, treatment: tie
    // broken by member id), 0.75, 0.5.
    assert_eq!(ids(&found), [1, 2, 3, 4, 5, 6]);
    let ratio = found[1].score / found[0].score;
    assert!((ratio - 2.5 / 3.0).abs() < 1e-5);
    let ratio = found[5].score / found[0].score;
    assert!((ratio - 0.5 / 3.0).abs() < 1e-5);
    let kinds_found: Vec<_> = found.iter().map(|m| m.reasons[0].kind).collect();
    assert_eq!(kinds_found, ReasonKind::ALL);
}

#[test]
fn an_adjacent_onset_band_counts_half() {
    let mut index = index_with_filler(30);
    let with_onset = |band| AlikeFeatures {
        onset_band: Some(band),
        ..AlikeFeatures::default()
    };
    index.upsert(1, &with_onset(OnsetBand::EarlyAdult));
    index.upsert(2, &with_onset(OnsetBand::MidAdult));
    index.upsert(3, &with_onset(OnsetBand::Later));
    index.upsert(4, &with_onset(OnsetBand::Adolescence));
    let found = index.top(&with_onset(OnsetBand::MidAdult), 0, 10);
    // Same band first, then both neighbours at half weight (same df, so tied), never two away.
    assert_eq!(ids(&found), [2, 1, 3]);
    assert!((found[1].score / found[0].score - 0.5).abs() < 1e-5);
    assert_eq!(found[1].score, found[2].score);
    assert_eq!(found[1].reasons[0].key, "early-adult");
    assert_eq!(found[1].reasons[0].kind, ReasonKind::OnsetBand);
}

#[test]
fn reasons_explain_the_score_heaviest_first() {
    let mut index = index_with_filler(100);
    for member in 1..=30 {
        index.upsert(member, &features(&["dystonia"], &["neck"]));
    }
    let mut special = features(&["dystonia", "rare"], &["neck", "jaw"]);
    special.subtypes.push("cervical-dystonia".into());
    special.age_band = Some(AgeBand::From30To44);
    index.upsert(50, &special);
    let mut query = special.clone();
    query.treatments.push("baclofen".into());
    let found = index.top(&query, 0, 5);
    assert_eq!(found[0].member, 50);
    let best = &found[0];
    let keys: Vec<_> = best.reasons.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(
        keys,
        ["rare", "cervical-dystonia", "dystonia", "jaw", "30-44", "neck"]
    );
    assert!(best.reasons.windows(2).all(|w| w[0].weight >= w[1].weight));
    let sum: f32 = best.reasons.iter().map(|r| r.weight).sum();
    assert!((sum - best.score).abs() < 1e-4);
    let json = serde_json::to_value(&best.reasons[1]).unwrap_or_default();
    assert_eq!(json["kind"], "subtype");
    assert_eq!(
        serde_json::to_value(ReasonKind::OnsetBand).unwrap_or_default(),
        "onset-band"
    );
}

#[test]
fn k_and_exclude_are_honoured() {
    let mut index = AlikeIndex::new();
    for member in 1..=100 {
        index.upsert(member, &features(&["dystonia"], &[]));
    }
    let query = features(&["dystonia"], &[]);
    assert!(index.top(&query, 0, 0).is_empty());
    assert_eq!(index.top(&query, 0, 20).len(), 20);
    assert_eq!(ids(&index.top(&query, 1, 2)), [2, 3]);
    assert_eq!(index.top(&query, 1, 1000).len(), 99);
    assert!(index.top(&AlikeFeatures::default(), 0, 20).is_empty());
    assert!(index.top(&features(&["unknown"], &[]), 0, 20).is_empty());
    assert!(AlikeIndex::new().top(&query, 0, 20).is_empty());
}

/// The scores of a full scan, written independently of the index.
fn brute_force(shared: &HashMap<i64, AlikeFeatures>, query: &AlikeFeatures, exclude: i64) -> Vec<(i64, f64)> {
    let keys = |f: &AlikeFeatures| -> Vec<(ReasonKind, String)> {
        let mut keys = Vec::new();
        keys.extend(f.conditions.iter().map(|k| (ReasonKind::Condition, k.clone())));
        keys.extend(f.subtypes.iter().map(|k| (ReasonKind::Subtype, k.clone())));
        keys.extend(f.regions.iter().map(|k| (ReasonKind::Region, k.clone())));
        keys.extend(f.treatments.iter().map(|k| (ReasonKind::Treatment, k.clone())));
        keys.extend(f.onset_band.map(|b| (ReasonKind::OnsetBand, b.key().to_string())));
        keys.extend(f.age_band.map(|b| (ReasonKind::AgeBand, b.key().to_string())));
        keys
    };
    let live: Vec<(i64, Vec<(ReasonKind, String)>)> = shared
        .iter()
        .filter(|(_, f)| !f.is_empty())
        .map(|(&m, f)| (m, keys(f)))
        .collect();
    let n = live.len() as f64;
    let mut df: HashMap<&(ReasonKind, String), f64> = HashMap::new();
    for (_, keys) in &live {
        for key in keys {
            *df.entry(key).or_default() += 1.0;
        }
    }
    let mut query_weights: HashMap<(ReasonKind, String), f64> = HashMap::new();
    for key in keys(query) {
        query_weights.insert(key, 1.0);
    }
    if let Some(band) = query.onset_band {
        for neighbour in [band.ordinal().wrapping_sub(1), band.ordinal() + 1] {
            if let Some(neighbour) = OnsetBand::from_ordinal(neighbour) {
                query_weights.insert((ReasonKind::OnsetBand, neighbour.key().to_string()), 0.5);
            }
        }
    }
    let mut scored: Vec<(i64, f64)> = live
        .iter()
        .filter(|(m, _)| *m != exclude)
        .filter_map(|(m, keys)| {
            let score: f64 = keys
                .iter()
                .filter_map(|key| {
                    let factor = query_weights.get(key)?;
                    let idf = ((n + 1.0) / (df[key] + 1.0)).ln() + IDF_FLOOR;
                    Some(key.0.weight() * idf * factor)
                })
                .sum();
            (score > 0.0).then_some((*m, score))
        })
        .collect();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    scored
}

#[test]
fn agrees_with_a_full_scan_through_updates() {
    let catalog = SyntheticCatalog::with_dystonia(40);
    let synthetic: Vec<_> = members(3_000, 9, &catalog).collect();
    let mut index = AlikeIndex::new();
    let mut shared = HashMap::new();
    for (i, m) in synthetic.iter().enumerate() {
        let features = AlikeFeatures::shared(&m.profile);
        index.upsert(i as i64, &features);
        shared.insert(i as i64, features);
    }
    // Updates and removals in between, as members edit their profiles.
    for i in (0..3_000).step_by(7) {
        let replacement = AlikeFeatures::shared(&synthetic[(i * 13 + 5) % 3_000].profile);
        index.upsert(i as i64, &replacement);
        shared.insert(i as i64, replacement);
    }
    for i in (0..3_000).step_by(11) {
        index.remove(i as i64);
        shared.remove(&(i as i64));
    }
    assert_eq!(index.len(), shared.values().filter(|f| !f.is_empty()).count());

    for q in (0..3_000).step_by(61) {
        let query = AlikeFeatures::own(&synthetic[q].profile);
        let found = index.top(&query, q as i64, 20);
        let expected = brute_force(&shared, &query, q as i64);
        assert_eq!(found.len(), expected.len().min(20), "query {q}");
        for (rank, (got, want)) in found.iter().zip(&expected).enumerate() {
            assert!(
                (f64::from(got.score) - want.1).abs() < 1e-3,
                "query {q} rank {rank}: {got:?} vs {want:?}"
            );
            let sum: f32 = got.reasons.iter().map(|r| r.weight).sum();
            assert!((sum - got.score).abs() < 1e-3);
        }
        // Members clearly above the cut-off are the same ones (near-ties may differ in float
        // rounding between the two).
        if let Some(last) = found.last() {
            let clear = |members: Vec<i64>| {
                let mut members = members;
                members.sort_unstable();
                members
            };
            let cut = f64::from(last.score) + 1e-3;
            let got = clear(
                found
                    .iter()
                    .filter(|m| f64::from(m.score) > cut)
                    .map(|m| m.member)
                    .collect(),
            );
            let want = clear(expected.iter().filter(|e| e.1 > cut).map(|e| e.0).collect());
            assert_eq!(got, want, "query {q}");
        }
        assert!(found.iter().all(|m| m.member != q as i64));
    }
}

#[test]
fn parallel_queries_agree_with_sequential_ones() {
    let catalog = SyntheticCatalog::with_dystonia(30);
    let synthetic: Vec<_> = members(2_000, 3, &catalog).collect();
    let mut index = AlikeIndex::new();
    for (i, m) in synthetic.iter().enumerate() {
        index.upsert(i as i64, &AlikeFeatures::shared(&m.profile));
    }
    let queries: Vec<(i64, AlikeFeatures)> = (0..2_000)
        .step_by(37)
        .map(|i| (i as i64, AlikeFeatures::own(&synthetic[i].profile)))
        .collect();
    let sequential: Vec<_> = queries.iter().map(|(i, q)| index.top(q, *i, 10)).collect();
    let index = std::sync::RwLock::new(index);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..4)
            .map(|_| {
                scope.spawn(|| {
                    let index = index.read().unwrap_or_else(std::sync::PoisonError::into_inner);
                    queries
                        .iter()
                        .map(|(i, q)| index.top(q, *i, 10))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for handle in handles {
            assert_eq!(handle.join().ok().as_ref(), Some(&sequential));
        }
    });
}
