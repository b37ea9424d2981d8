//! Synthetic members: deterministic, valid, labelled, and shaped like the community.

use kindred_community::synthetic::{
    BODY_REGIONS, DYSTONIA_SUBTYPES, SYNTHETIC_HANDLE_PREFIX, SyntheticCatalog, member, members,
};
use kindred_community::vocab::Visibility;

#[test]
fn same_seed_same_members_other_seed_others() {
    let catalog = SyntheticCatalog::with_dystonia(50);
    let a: Vec<_> = members(200, 7, &catalog).collect();
    let b: Vec<_> = members(200, 7, &catalog).collect();
    let c: Vec<_> = members(200, 8, &catalog).collect();
    assert_eq!(a, b);
    assert_ne!(a, c);
    assert_eq!(member(123, 7, &catalog), a[123]);
}

#[test]
fn handles_are_labelled_synthetic() {
    let catalog = SyntheticCatalog::with_dystonia(10);
    let all: Vec<_> = members(50, 1, &catalog).collect();
    assert_eq!(all[42].handle, "synthetic-0000042");
    assert!(all.iter().all(|m| m.handle.starts_with(SYNTHETIC_HANDLE_PREFIX)));
}

#[test]
fn every_member_is_valid_and_the_mix_is_plausible() {
    let catalog = SyntheticCatalog::with_dystonia(300);
    let n = 5_000;
    let (mut dystonia, mut open, mut with_subtype) = (0, 0, 0);
    let mut visibilities = [0usize; 3];
    for synthetic in members(n, 42, &catalog) {
        let profile = &synthetic.profile;
        if let Err(error) = profile.validate() {
            panic!("{}: {error}", synthetic.handle);
        }
        let conditions = &profile.conditions.value;
        assert!(!conditions.is_empty());
        dystonia += usize::from(conditions.iter().any(|c| c.condition == "dystonia"));
        with_subtype += usize::from(conditions.iter().any(|c| c.subtype.is_some()));
        for choice in conditions {
            if let Some(subtype) = &choice.subtype {
                let subtypes = catalog
                    .conditions
                    .iter()
                    .find(|(slug, _)| *slug == choice.condition);
                assert!(subtypes.is_some_and(|(_, s)| s.contains(subtype)));
            }
        }
        let regions = &profile.regions.value;
        assert!((1..=4).contains(&regions.len()));
        assert!(regions.iter().all(|r| BODY_REGIONS.contains(&r.as_str())));
        assert!(profile.treatments.value.len() <= 4);
        open += usize::from(profile.open_to_matching);
        visibilities[profile.conditions.visibility as usize] += 1;
    }
    let share = |count: usize| count as f64 / n as f64;
    assert!(
        (0.6..0.8).contains(&share(dystonia)),
        "dystonia {}",
        share(dystonia)
    );
    assert!((0.75..0.85).contains(&share(open)), "open {}", share(open));
    assert!(share(with_subtype) > 0.2, "subtypes {}", share(with_subtype));
    let [private, shared_members, public] = visibilities;
    assert!(shared_members > public && shared_members > private && public > 0 && private > 0);
    assert_eq!(Visibility::Private as usize, 0);
}

#[test]
fn catalog_puts_dystonia_first() {
    let catalog = SyntheticCatalog::with_dystonia(300);
    assert_eq!(catalog.conditions.len(), 300);
    assert_eq!(catalog.conditions[0].0, "dystonia");
    assert_eq!(catalog.conditions[0].1, DYSTONIA_SUBTYPES);
    assert_eq!(catalog.conditions[299].0, "synthetic-condition-299");
}
