//! Everything one member keeps in their tracker, as one value: what export, import, CSV and the
//! appointment report work from.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::{
    Error, check,
    diary::Entry,
    injection::{DueSettings, Injection},
    medicine::Medicine,
};

/// A condition the member tracks, linked to the library's catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackedCondition {
    /// The condition's name as the catalog shows it, e.g. `Cervical dystonia`.
    pub name: String,
    /// The catalog's slug for it, e.g. `cervical-dystonia`; empty when not in the catalog.
    pub catalog_slug: String,
    /// Its ICD-10-CM code when known (see [`crate::fhir::icd10cm_for`]), e.g. `G24.3`.
    pub icd10cm: Option<String>,
}

/// One member's whole tracker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrackerData {
    /// The member's public handle; the only identity the tracker knows.
    pub member_handle: String,
    /// Conditions the member tracks.
    pub conditions: Vec<TrackedCondition>,
    /// Diary entries, in the order kept.
    pub entries: Vec<Entry>,
    /// Injections, in the order kept.
    pub injections: Vec<Injection>,
    /// Medicines, in the order kept.
    pub medicines: Vec<Medicine>,
    /// The interval between injections the member's clinician gave.
    pub due: DueSettings,
    /// What the member wrote about dystonia or related conditions in their family; may be empty.
    pub family_history: String,
    /// The member's own questions for their next appointment.
    pub questions: Vec<String>,
}

impl TrackerData {
    /// Validates every record; the error names the first record at fault (e.g. `entries[2]`)
    /// and, as its source, the field. Data that passes survives FHIR export and import
    /// unchanged.
    pub fn validate(&self, today: Date) -> Result<(), Error> {
        check::short_text("member_handle", &self.member_handle, check::MAX_SHORT_CHARS)?;
        for (i, condition) in self.conditions.iter().enumerate() {
            check::short_text("name", &condition.name, check::MAX_SHORT_CHARS)
                .and_then(|()| {
                    check::max_chars("catalog_slug", &condition.catalog_slug, check::MAX_SHORT_CHARS)
                })
                .and_then(|()| match &condition.icd10cm {
                    Some(code) => check::short_text("icd10cm", code, 16),
                    None => Ok(()),
                })
                .map_err(|e| e.in_record(format!("conditions[{i}]")))?;
        }
        for (i, entry) in self.entries.iter().enumerate() {
            entry
                .validate(today)
                .map_err(|e| e.in_record(format!("entries[{i}]")))?;
        }
        for (i, injection) in self.injections.iter().enumerate() {
            injection
                .validate(today)
                .map_err(|e| e.in_record(format!("injections[{i}]")))?;
        }
        for (i, medicine) in self.medicines.iter().enumerate() {
            medicine
                .validate()
                .map_err(|e| e.in_record(format!("medicines[{i}]")))?;
        }
        self.due.validate().map_err(|e| e.in_record("due"))?;
        check::note("family_history", &self.family_history, check::MAX_NOTE_CHARS)?;
        for (i, question) in self.questions.iter().enumerate() {
            check::short_text(format!("questions[{i}]"), question, check::MAX_NOTE_CHARS)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Region, Severity};
    use std::error::Error as _;
    use time::macros::date;

    fn data() -> TrackerData {
        TrackerData {
            member_handle: "calm-heron".into(),
            conditions: vec![],
            entries: vec![Entry {
                date: date!(2024 - 01 - 01),
                severities: vec![(Region::Neck, Severity::new(3).unwrap())],
                triggers: vec![],
                note: String::new(),
            }],
            injections: vec![],
            medicines: vec![],
            due: DueSettings::default(),
            family_history: String::new(),
            questions: vec!["Why?".into()],
        }
    }

    #[test]
    fn errors_name_the_record_then_the_field() {
        let today = date!(2024 - 01 - 31);
        assert_eq!(data().validate(today), Ok(()));

        let mut bad = data();
        bad.entries.push(Entry {
            severities: vec![],
            ..bad.entries[0].clone()
        });
        let error = bad.validate(today).unwrap_err();
        assert_eq!(error.to_string(), "entries[1]");
        assert_eq!(
            error.source().map(|source| source.to_string()),
            Some("entry of 2024-01-01: severities: mark at least one body region".into())
        );

        let mut bad = data();
        bad.due.max_weeks = 0;
        assert_eq!(
            bad.validate(today),
            Err(Error::WeeksOutOfRange {
                field: "max_weeks",
                weeks: 0
            }
            .in_record("due"))
        );

        let mut bad = data();
        bad.questions.push(" ".into());
        assert_eq!(
            bad.validate(today),
            Err(Error::Empty {
                field: "questions[1]".into()
            })
        );

        let mut bad = data();
        bad.member_handle.clear();
        assert!(bad.validate(today).is_err());
    }
}
