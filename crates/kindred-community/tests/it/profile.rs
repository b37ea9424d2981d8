//! Profile validation and what each viewer is shown.

use kindred_community::Error;
use kindred_community::profile::{
    ConditionChoice, Field, MAX_ABOUT_CHARS, Profile, ProfileView, TreatmentReport, Viewer,
};
use kindred_community::vocab::{AgeBand, OnsetBand, Outcome, Sex, Visibility};

/// A profile with every field filled and every field at `visibility`.
fn full_profile(visibility: Visibility) -> Profile {
    Profile {
        conditions: Field::new(
            vec![ConditionChoice {
                condition: "dystonia".into(),
                subtype: Some("cervical-dystonia".into()),
            }],
            visibility,
        ),
        regions: Field::new(vec!["neck".into()], visibility),
        age_band: Field::new(Some(AgeBand::From45To59), visibility),
        onset_band: Field::new(Some(OnsetBand::EarlyAdult), visibility),
        sex: Field::new(Some(Sex::Female), visibility),
        treatments: Field::new(
            vec![TreatmentReport {
                treatment: "botulinum-toxin".into(),
                outcome: Some(Outcome::Helped),
                side_effects: vec!["dry mouth".into()],
            }],
            visibility,
        ),
        medicines: Field::new(vec!["a medicine".into()], visibility),
        about: Field::new("About me".into(), visibility),
        open_to_matching: true,
    }
}

fn shown_fields(view: &ProfileView) -> Vec<&'static str> {
    let mut shown = Vec::new();
    let fields = [
        ("conditions", view.conditions.is_some()),
        ("regions", view.regions.is_some()),
        ("age_band", view.age_band.is_some()),
        ("onset_band", view.onset_band.is_some()),
        ("sex", view.sex.is_some()),
        ("treatments", view.treatments.is_some()),
        ("medicines", view.medicines.is_some()),
        ("about", view.about.is_some()),
        ("open_to_matching", view.open_to_matching.is_some()),
        ("visibility", view.visibility.is_some()),
    ];
    for (name, is_shown) in fields {
        if is_shown {
            shown.push(name);
        }
    }
    shown
}

const ALL_FIELDS: [&str; 8] = [
    "conditions",
    "regions",
    "age_band",
    "onset_band",
    "sex",
    "treatments",
    "medicines",
    "about",
];

#[test]
fn visible_to_each_viewer_for_each_visibility() {
    let owner_sees: Vec<&str> = ALL_FIELDS
        .iter()
        .copied()
        .chain(["open_to_matching", "visibility"])
        .collect();
    let cases = [
        (Viewer::Owner, Visibility::Private, owner_sees.clone()),
        (Viewer::Owner, Visibility::Members, owner_sees.clone()),
        (Viewer::Owner, Visibility::Public, owner_sees),
        (Viewer::Member, Visibility::Private, vec![]),
        (Viewer::Member, Visibility::Members, ALL_FIELDS.to_vec()),
        (Viewer::Member, Visibility::Public, ALL_FIELDS.to_vec()),
        (Viewer::Anonymous, Visibility::Private, vec![]),
        (Viewer::Anonymous, Visibility::Members, vec![]),
        (Viewer::Anonymous, Visibility::Public, ALL_FIELDS.to_vec()),
    ];
    for (viewer, visibility, expected) in cases {
        let profile = full_profile(visibility);
        let view = profile.visible_to(viewer);
        assert_eq!(shown_fields(&view), expected, "{viewer:?} × {visibility:?}");
        if view.conditions.is_some() {
            assert_eq!(view.conditions.as_ref(), Some(&profile.conditions.value));
            assert_eq!(view.age_band, Some(Some(AgeBand::From45To59)));
            assert_eq!(view.about.as_deref(), Some("About me"));
        }
    }
}

#[test]
fn fields_are_judged_one_by_one() {
    let mut profile = full_profile(Visibility::Private);
    profile.regions.visibility = Visibility::Members;
    profile.about.visibility = Visibility::Public;
    let member = profile.visible_to(Viewer::Member);
    assert_eq!(shown_fields(&member), ["regions", "about"]);
    let anonymous = profile.visible_to(Viewer::Anonymous);
    assert_eq!(shown_fields(&anonymous), ["about"]);
    let owner = profile.visible_to(Viewer::Owner);
    let visibility = owner.visibility.unwrap_or_default();
    assert_eq!(visibility.regions, Visibility::Members);
    assert_eq!(visibility.about, Visibility::Public);
    assert_eq!(visibility.sex, Visibility::Private);
    assert_eq!(owner.open_to_matching, Some(true));
}

#[test]
fn hidden_fields_are_absent_from_json() {
    let mut profile = full_profile(Visibility::Private);
    profile.about.visibility = Visibility::Public;
    profile.sex = Field::new(None, Visibility::Public);
    let json = serde_json::to_string(&profile.visible_to(Viewer::Anonymous)).unwrap_or_default();
    assert_eq!(json, r#"{"sex":null,"about":"About me"}"#);
    assert!(!json.contains("open_to_matching") && !json.contains("private"));
}

#[test]
fn profile_json_uses_kebab_case_keys() {
    let json = serde_json::to_value(full_profile(Visibility::Members)).unwrap_or_default();
    assert_eq!(json["age_band"]["value"], "45-59");
    assert_eq!(json["onset_band"]["value"], "early-adult");
    assert_eq!(json["treatments"]["value"][0]["outcome"], "helped");
    assert_eq!(json["regions"]["visibility"], "members");
    let back: Profile = serde_json::from_value(json).unwrap_or_default();
    assert_eq!(back, full_profile(Visibility::Members));
    let empty: Profile = serde_json::from_str("{}").unwrap_or_else(|_| full_profile(Visibility::Public));
    assert_eq!(empty, Profile::default());
}

/// Validates `profile` after `edit`; `None` if valid, else the error message.
fn check(edit: impl FnOnce(&mut Profile)) -> Option<String> {
    let mut profile = full_profile(Visibility::Members);
    edit(&mut profile);
    profile.validate().err().map(|e| e.to_string())
}

fn report(key: &str) -> TreatmentReport {
    TreatmentReport {
        treatment: key.into(),
        outcome: None,
        side_effects: vec![],
    }
}

fn condition(slug: &str, subtype: Option<&str>) -> ConditionChoice {
    ConditionChoice {
        condition: slug.into(),
        subtype: subtype.map(Into::into),
    }
}

/// A change to a valid profile.
type Edit = Box<dyn FnOnce(&mut Profile)>;

#[test]
fn validation_limits() {
    assert_eq!(check(|_| {}), None);
    let cases: Vec<(Edit, Option<&str>)> = vec![
        (
            Box::new(|p: &mut Profile| {
                p.conditions.value = (0..10).map(|i| condition(&format!("c{i}"), None)).collect()
            }),
            None,
        ),
        (
            Box::new(|p: &mut Profile| {
                p.conditions.value = (0..11).map(|i| condition(&format!("c{i}"), None)).collect()
            }),
            Some("conditions has 11 entries, more than the 10 allowed"),
        ),
        (
            Box::new(|p: &mut Profile| {
                p.conditions.value = vec![
                    condition("dystonia", None),
                    condition("dystonia", Some("blepharospasm")),
                    condition("dystonia", Some("blepharospasm")),
                ]
            }),
            Some("conditions[2] repeats an earlier entry: \"dystonia / blepharospasm\""),
        ),
        (
            Box::new(|p: &mut Profile| p.conditions.value = vec![condition("dystonia", Some(""))]),
            Some("conditions[0].subtype is not a valid key: \"\""),
        ),
        (
            Box::new(|p: &mut Profile| p.conditions.value = vec![condition("two words", None)]),
            Some("conditions[0].condition is not a valid key: \"two words\""),
        ),
        (
            Box::new(|p: &mut Profile| p.regions.value = (0..12).map(|i| format!("r{i}")).collect()),
            Some("regions has 12 entries, more than the 11 allowed"),
        ),
        (
            Box::new(|p: &mut Profile| p.regions.value = vec!["neck".into(), "jaw".into(), "neck".into()]),
            Some("regions[2] repeats an earlier entry: \"neck\""),
        ),
        (
            Box::new(|p: &mut Profile| {
                p.treatments.value = vec![report("baclofen"), report("diazepam"), report("Baclofen")]
            }),
            Some("treatments[2].treatment is not a known treatment: \"Baclofen\""),
        ),
        (
            Box::new(|p: &mut Profile| p.treatments.value = vec![report("baclofen"), report("baclofen")]),
            Some("treatments[1].treatment repeats an earlier entry: \"baclofen\""),
        ),
        (
            Box::new(|p: &mut Profile| p.treatments.value = (0..31).map(|_| report("other")).collect()),
            Some("treatments has 31 entries, more than the 30 allowed"),
        ),
        (
            Box::new(|p: &mut Profile| p.treatments.value[0].side_effects = vec!["ok".into(), " \t ".into()]),
            Some("treatments[0].side_effects[1] is empty"),
        ),
        (
            Box::new(|p: &mut Profile| p.treatments.value[0].side_effects = vec!["x".repeat(101)]),
            Some("treatments[0].side_effects[0] is longer than 100 characters"),
        ),
        (
            Box::new(|p: &mut Profile| p.treatments.value[0].side_effects = vec!["a\nb".into()]),
            Some("treatments[0].side_effects[0] contains the control character U+000A"),
        ),
        (
            Box::new(|p: &mut Profile| p.medicines.value = (0..30).map(|i| format!("m{i}")).collect()),
            None,
        ),
        (
            Box::new(|p: &mut Profile| p.medicines.value = (0..31).map(|i| format!("m{i}")).collect()),
            Some("medicines has 31 entries, more than the 30 allowed"),
        ),
        (
            Box::new(|p: &mut Profile| p.medicines.value = vec!["x".repeat(100)]),
            None,
        ),
        (
            Box::new(|p: &mut Profile| p.medicines.value = vec!["".into()]),
            Some("medicines[0] is empty"),
        ),
        (
            Box::new(|p: &mut Profile| p.about.value = "é".repeat(MAX_ABOUT_CHARS)),
            None,
        ),
        (
            Box::new(|p: &mut Profile| p.about.value = "x".repeat(MAX_ABOUT_CHARS + 1)),
            Some("about is longer than 2000 characters"),
        ),
        (
            Box::new(|p: &mut Profile| p.about.value = "bell\u{7}".into()),
            Some("about contains the control character U+0007"),
        ),
        (
            Box::new(|p: &mut Profile| p.about.value = "one\ntwo\n".into()),
            None,
        ),
    ];
    for (i, (edit, expected)) in cases.into_iter().enumerate() {
        assert_eq!(check(edit).as_deref(), expected, "case {i}");
    }
}

#[test]
fn validation_errors_are_structured() {
    let mut profile = Profile::default();
    profile.treatments.value = vec![report("baclofen"), report("diazepam"), report("leeches")];
    assert_eq!(
        profile.validate(),
        Err(Error::UnknownTreatment {
            field: "treatments[2].treatment".into(),
            value: "leeches".into()
        })
    );
}
