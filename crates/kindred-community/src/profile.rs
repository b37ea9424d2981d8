//! A member's profile: what they choose to say about their condition, each field with its own
//! visibility, and what each kind of viewer is shown of it.
//!
//! Everything defaults to empty and [`Visibility::Private`]: a new member shares nothing until they
//! choose to, and is not matched as an Alike until they opt in with
//! [`Profile::open_to_matching`].

use std::collections::HashSet;

use kindred_text::{Lines, TypedTextProblem};
use serde::{Deserialize, Deserializer, Serialize};

use crate::Error;
use crate::vocab::{AgeBand, OnsetBand, Outcome, Sex, Visibility, treatment};

/// Most conditions a profile may list.
pub const MAX_CONDITIONS: usize = 10;
/// Most body regions a profile may list (there are eleven).
pub const MAX_REGIONS: usize = 11;
/// Most treatments a profile may report.
pub const MAX_TREATMENTS: usize = 30;
/// Most side effects one treatment report may list.
pub const MAX_SIDE_EFFECTS: usize = 20;
/// Most medicines a profile may list.
pub const MAX_MEDICINES: usize = 30;
/// Most characters of a side effect or a medicine, after trimming.
pub const MAX_ITEM_CHARS: usize = 100;
/// Most characters of a key (a condition slug or a body-region key).
pub const MAX_KEY_CHARS: usize = 200;
/// Most characters of the free text about the member.
pub const MAX_ABOUT_CHARS: usize = 2000;

/// A profile value with who may see it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field<T> {
    /// The value.
    pub value: T,
    /// Who may see it.
    #[serde(default)]
    pub visibility: Visibility,
}

impl<T> Field<T> {
    /// A value with a visibility.
    pub fn new(value: T, visibility: Visibility) -> Self {
        Field { value, visibility }
    }

    /// The value if `viewer` may see it.
    fn for_viewer(&self, viewer: Viewer) -> Option<&T> {
        viewer.may_see(self.visibility).then_some(&self.value)
    }
}

/// A condition the member lives with, as catalog slugs.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConditionChoice {
    /// The library catalog slug, e.g. `dystonia`.
    pub condition: String,
    /// The slug of a narrower catalog condition, e.g. `cervical-dystonia`.
    #[serde(default)]
    pub subtype: Option<String>,
}

/// How a treatment went for the member.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TreatmentReport {
    /// A key from [`crate::vocab::TREATMENTS`].
    pub treatment: String,
    /// How it went, if the member says.
    #[serde(default)]
    pub outcome: Option<Outcome>,
    /// Side effects in the member's words.
    #[serde(default)]
    pub side_effects: Vec<String>,
}

/// A member's profile.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct Profile {
    /// Conditions, most important first.
    pub conditions: Field<Vec<ConditionChoice>>,
    /// Body-region keys (validated against the region list by the caller).
    pub regions: Field<Vec<String>>,
    /// Age band.
    pub age_band: Field<Option<AgeBand>>,
    /// When symptoms began.
    pub onset_band: Field<Option<OnsetBand>>,
    /// Sex.
    pub sex: Field<Option<Sex>>,
    /// Treatments tried and how they went.
    pub treatments: Field<Vec<TreatmentReport>>,
    /// Medicines in the member's words.
    pub medicines: Field<Vec<String>>,
    /// Free text about the member; plain text, always shown escaped.
    pub about: Field<String>,
    /// Whether the member may be suggested to others as an Alike. Only the member sees this.
    pub open_to_matching: bool,
}

impl Profile {
    /// Checks every limit; the error names the first field at fault, e.g. `treatments[2].treatment`.
    ///
    /// Text is checked as given: run free text through [`normalize_text`] first if it may come from
    /// a form (browsers send `\r\n`).
    pub fn validate(&self) -> Result<(), Error> {
        let conditions = &self.conditions.value;
        check_count("conditions", conditions.len(), MAX_CONDITIONS)?;
        let mut seen_conditions = HashSet::new();
        for (i, choice) in conditions.iter().enumerate() {
            check_key(&format!("conditions[{i}].condition"), &choice.condition)?;
            if let Some(subtype) = &choice.subtype {
                check_key(&format!("conditions[{i}].subtype"), subtype)?;
            }
            if !seen_conditions.insert((&choice.condition, &choice.subtype)) {
                let value = match &choice.subtype {
                    Some(subtype) => format!("{} / {subtype}", choice.condition),
                    None => choice.condition.clone(),
                };
                return Err(Error::Duplicate {
                    field: format!("conditions[{i}]"),
                    value,
                });
            }
        }

        let regions = &self.regions.value;
        check_count("regions", regions.len(), MAX_REGIONS)?;
        let mut seen_regions = HashSet::new();
        for (i, region) in regions.iter().enumerate() {
            let field = format!("regions[{i}]");
            check_key(&field, region)?;
            if !seen_regions.insert(region) {
                return Err(Error::Duplicate {
                    field,
                    value: region.clone(),
                });
            }
        }

        let treatments = &self.treatments.value;
        check_count("treatments", treatments.len(), MAX_TREATMENTS)?;
        let mut seen_treatments = HashSet::new();
        for (i, report) in treatments.iter().enumerate() {
            let field = format!("treatments[{i}].treatment");
            if treatment(&report.treatment).is_none() {
                return Err(Error::UnknownTreatment {
                    field,
                    value: report.treatment.clone(),
                });
            }
            if !seen_treatments.insert(&report.treatment) {
                return Err(Error::Duplicate {
                    field,
                    value: report.treatment.clone(),
                });
            }
            check_count(
                &format!("treatments[{i}].side_effects"),
                report.side_effects.len(),
                MAX_SIDE_EFFECTS,
            )?;
            for (j, side_effect) in report.side_effects.iter().enumerate() {
                check_item(&format!("treatments[{i}].side_effects[{j}]"), side_effect)?;
            }
        }

        let medicines = &self.medicines.value;
        check_count("medicines", medicines.len(), MAX_MEDICINES)?;
        for (i, medicine) in medicines.iter().enumerate() {
            check_item(&format!("medicines[{i}]"), medicine)?;
        }

        let about = &self.about.value;
        if about.chars().count() > MAX_ABOUT_CHARS {
            return Err(Error::TooLong {
                field: "about".into(),
                max: MAX_ABOUT_CHARS,
            });
        }
        // Checked after `normalize_text`: line breaks are `\n` alone here, so a `\r` or a tab is
        // refused before the shared rule (which allows them in multi-line text).
        if let Some(character) = about.chars().find(|&c| c.is_control() && c != '\n') {
            return Err(Error::ControlCharacter {
                field: "about".into(),
                character,
            });
        }
        typed_text("about", about, Lines::Many)
    }

    /// What `viewer` is shown of this profile.
    pub fn visible_to(&self, viewer: Viewer) -> ProfileView {
        let owner = viewer == Viewer::Owner;
        ProfileView {
            conditions: self.conditions.for_viewer(viewer).cloned(),
            regions: self.regions.for_viewer(viewer).cloned(),
            age_band: self.age_band.for_viewer(viewer).copied(),
            onset_band: self.onset_band.for_viewer(viewer).copied(),
            sex: self.sex.for_viewer(viewer).copied(),
            treatments: self.treatments.for_viewer(viewer).cloned(),
            medicines: self.medicines.for_viewer(viewer).cloned(),
            about: self.about.for_viewer(viewer).cloned(),
            open_to_matching: owner.then_some(self.open_to_matching),
            visibility: owner.then(|| self.visibility()),
        }
    }

    /// The visibility of every field.
    pub fn visibility(&self) -> ProfileVisibility {
        ProfileVisibility {
            conditions: self.conditions.visibility,
            regions: self.regions.visibility,
            age_band: self.age_band.visibility,
            onset_band: self.onset_band.visibility,
            sex: self.sex.visibility,
            treatments: self.treatments.visibility,
            medicines: self.medicines.visibility,
            about: self.about.visibility,
        }
    }
}

/// Who is looking at a profile. Moderators and administrators are [`Viewer::Member`] here: their
/// role gives them no more of anyone's profile (least privilege).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Viewer {
    /// The member whose profile it is.
    Owner,
    /// Another signed-in member.
    Member,
    /// Someone not signed in.
    Anonymous,
}

impl Viewer {
    /// Whether this viewer may see a field with `visibility`.
    pub fn may_see(self, visibility: Visibility) -> bool {
        match self {
            Viewer::Owner => true,
            Viewer::Member => visibility.is_shared(),
            Viewer::Anonymous => visibility == Visibility::Public,
        }
    }
}

/// The visibility of each field of a profile; shown only to its owner.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileVisibility {
    /// Of [`Profile::conditions`].
    pub conditions: Visibility,
    /// Of [`Profile::regions`].
    pub regions: Visibility,
    /// Of [`Profile::age_band`].
    pub age_band: Visibility,
    /// Of [`Profile::onset_band`].
    pub onset_band: Visibility,
    /// Of [`Profile::sex`].
    pub sex: Visibility,
    /// Of [`Profile::treatments`].
    pub treatments: Visibility,
    /// Of [`Profile::medicines`].
    pub medicines: Visibility,
    /// Of [`Profile::about`].
    pub about: Visibility,
}

/// A profile as one viewer is shown it: `None` is a field hidden from that viewer (and is left out
/// of JSON); `Some(None)` on an optional field is a visible field the member left empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileView {
    /// Conditions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conditions: Option<Vec<ConditionChoice>>,
    /// Body-region keys.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regions: Option<Vec<String>>,
    /// Age band.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "visible_option"
    )]
    pub age_band: Option<Option<AgeBand>>,
    /// When symptoms began.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "visible_option"
    )]
    pub onset_band: Option<Option<OnsetBand>>,
    /// Sex.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "visible_option"
    )]
    pub sex: Option<Option<Sex>>,
    /// Treatments and how they went.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub treatments: Option<Vec<TreatmentReport>>,
    /// Medicines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub medicines: Option<Vec<String>>,
    /// Free text; escape it when showing it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub about: Option<String>,
    /// Whether the member may be suggested as an Alike; owner only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open_to_matching: Option<bool>,
    /// Each field's visibility; owner only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visibility: Option<ProfileVisibility>,
}

/// A present key (even `null`) is a visible field; an absent key (serde's `default`) is hidden.
fn visible_option<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// Member text as it should be stored: `\r\n` and lone `\r` become `\n`, tabs become spaces.
/// Browsers send form text with `\r\n`, which [`Profile::validate`] would refuse.
pub fn normalize_text(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n").replace('\t', " ")
}

fn check_count(field: &str, count: usize, max: usize) -> Result<(), Error> {
    if count > max {
        return Err(Error::TooMany {
            field: field.into(),
            count,
            max,
        });
    }
    Ok(())
}

/// A short one-line item in the member's words: 1..=100 characters after trimming.
fn check_item(field: &str, text: &str) -> Result<(), Error> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(Error::Empty { field: field.into() });
    }
    if trimmed.chars().count() > MAX_ITEM_CHARS {
        return Err(Error::TooLong {
            field: field.into(),
            max: MAX_ITEM_CHARS,
        });
    }
    typed_text(field, text, Lines::One)
}

/// Kindred's one rule for typed text ([`kindred_text::check_typed_text`]), as this crate's error.
fn typed_text(field: &str, text: &str, lines: Lines) -> Result<(), Error> {
    match kindred_text::check_typed_text(text, lines) {
        Ok(()) => Ok(()),
        Err(TypedTextProblem::Control(character)) => Err(Error::ControlCharacter {
            field: field.into(),
            character,
        }),
        Err(TypedTextProblem::Invisible) => Err(Error::Invisible { field: field.into() }),
    }
}

/// A key: non-empty, at most [`MAX_KEY_CHARS`], no whitespace or control characters. Whether the
/// key exists (in the catalog, in the region list) is for the caller to check.
fn check_key(field: &str, key: &str) -> Result<(), Error> {
    let well_formed = !key.is_empty()
        && key.chars().count() <= MAX_KEY_CHARS
        && !key.chars().any(|c| c.is_whitespace() || c.is_control());
    if !well_formed {
        return Err(Error::InvalidKey {
            field: field.into(),
            value: key.chars().take(MAX_KEY_CHARS).collect(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(profile: &Profile) -> Option<String> {
        match profile.validate() {
            Ok(()) => None,
            Err(
                Error::TooMany { field, .. }
                | Error::TooLong { field, .. }
                | Error::Empty { field }
                | Error::ControlCharacter { field, .. }
                | Error::Invisible { field }
                | Error::InvalidKey { field, .. }
                | Error::UnknownTreatment { field, .. }
                | Error::Duplicate { field, .. },
            ) => Some(field),
        }
    }

    fn report(key: &str) -> TreatmentReport {
        TreatmentReport {
            treatment: key.into(),
            outcome: None,
            side_effects: Vec::new(),
        }
    }

    #[test]
    fn default_is_empty_private_and_valid() {
        let profile = Profile::default();
        assert_eq!(profile.validate(), Ok(()));
        assert!(!profile.open_to_matching);
        assert_eq!(profile.visibility(), ProfileVisibility::default());
        assert_eq!(profile.about.visibility, Visibility::Private);
    }

    #[test]
    fn names_the_treatment_at_fault() {
        let mut profile = Profile::default();
        profile.treatments.value = vec![report("baclofen"), report("diazepam"), report("leeches")];
        assert_eq!(field_of(&profile).as_deref(), Some("treatments[2].treatment"));
        profile.treatments.value[2] = report("baclofen");
        assert_eq!(
            profile.validate(),
            Err(Error::Duplicate {
                field: "treatments[2].treatment".into(),
                value: "baclofen".into()
            })
        );
    }

    #[test]
    fn item_length_counts_characters_after_trimming() {
        let mut profile = Profile::default();
        profile.medicines.value = vec![format!("  {}  ", "é".repeat(100))];
        assert_eq!(profile.validate(), Ok(()));
        profile.medicines.value = vec!["é".repeat(101)];
        assert_eq!(field_of(&profile).as_deref(), Some("medicines[0]"));
        profile.medicines.value = vec!["   ".into()];
        assert_eq!(
            profile.validate(),
            Err(Error::Empty {
                field: "medicines[0]".into()
            })
        );
    }

    #[test]
    fn about_allows_newlines_only() {
        let mut profile = Profile::default();
        profile.about.value = "line one\nline two".into();
        assert_eq!(profile.validate(), Ok(()));
        profile.about.value = "a\r\nb".into();
        assert_eq!(
            profile.validate(),
            Err(Error::ControlCharacter {
                field: "about".into(),
                character: '\r'
            })
        );
        profile.about.value = normalize_text("a\r\nb\rc\td");
        assert_eq!(profile.about.value, "a\nb\nc d");
        assert_eq!(profile.validate(), Ok(()));
    }

    #[test]
    fn visible_option_keeps_visible_empty_apart_from_hidden() {
        let view = ProfileView {
            age_band: Some(None),
            ..ProfileView::default()
        };
        let json = serde_json::to_string(&view).unwrap_or_default();
        assert_eq!(json, r#"{"age_band":null}"#);
        let back: ProfileView = serde_json::from_str(&json).unwrap_or_default();
        assert_eq!(back, view);
        let hidden: ProfileView = serde_json::from_str("{}").unwrap_or_default();
        assert_eq!(hidden.age_band, None);
    }
}
