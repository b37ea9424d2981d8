//! The symptom diary: on a day, how severe each marked body region was, what the member thinks
//! made it worse, and a note.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::{Error, check, region::Region};

/// Something the member felt made symptoms worse that day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Trigger {
    /// Stress.
    Stress,
    /// Tiredness.
    Fatigue,
    /// Anxiety.
    Anxiety,
    /// Physical activity, such as writing, walking or talking.
    Activity,
    /// Something else (the note can say what).
    Other,
}

impl Trigger {
    /// Every trigger, in the order forms list them.
    pub const ALL: [Trigger; 5] = [
        Trigger::Stress,
        Trigger::Fatigue,
        Trigger::Anxiety,
        Trigger::Activity,
        Trigger::Other,
    ];

    /// The stable key, e.g. `fatigue`.
    pub fn key(self) -> &'static str {
        match self {
            Trigger::Stress => "stress",
            Trigger::Fatigue => "fatigue",
            Trigger::Anxiety => "anxiety",
            Trigger::Activity => "activity",
            Trigger::Other => "other",
        }
    }

    /// The name shown to people, e.g. `Tiredness`.
    pub fn label(self) -> &'static str {
        match self {
            Trigger::Stress => "Stress",
            Trigger::Fatigue => "Tiredness",
            Trigger::Anxiety => "Anxiety",
            Trigger::Activity => "Activity",
            Trigger::Other => "Something else",
        }
    }

    /// The trigger whose [`key`](Trigger::key) is `key`.
    pub fn from_key(key: &str) -> Result<Trigger, Error> {
        Trigger::ALL
            .into_iter()
            .find(|trigger| trigger.key() == key)
            .ok_or_else(|| Error::UnknownTrigger {
                field: "trigger",
                key: key.to_owned(),
            })
    }
}

/// How severe a region felt, from 0 (not at all) to 10 (the worst imaginable), as the member
/// rated it. Always within 0..=10: the only ways to make one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Severity(u8);

impl Severity {
    /// The largest severity.
    pub const MAX: u8 = 10;

    /// A severity, if `value` is within 0..=10.
    pub fn new(value: u8) -> Result<Severity, Error> {
        if value > Self::MAX {
            return Err(Error::SeverityOutOfRange {
                field: "severity",
                value: i64::from(value),
            });
        }
        Ok(Severity(value))
    }

    /// The number, 0..=10.
    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for Severity {
    type Error = Error;

    fn try_from(value: u8) -> Result<Self, Self::Error> {
        Severity::new(value)
    }
}

impl From<Severity> for u8 {
    fn from(severity: Severity) -> u8 {
        severity.0
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// One day's diary entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The day the entry is about.
    #[serde(with = "crate::dates::serde_iso")]
    pub date: Date,
    /// The regions the member marked, each with its severity, in the order entered.
    pub severities: Vec<(Region, Severity)>,
    /// What the member felt made it worse.
    pub triggers: Vec<Trigger>,
    /// The member's own words; may be empty.
    pub note: String,
}

impl Entry {
    /// Checks what the member entered: at least one region, no region twice, no trigger twice, a
    /// note of at most [`check::MAX_NOTE_CHARS`] characters, and a date from 1900 up to `today`.
    pub fn validate(&self, today: Date) -> Result<(), Error> {
        check::past_date("date", self.date, today)?;
        if self.severities.is_empty() {
            return Err(Error::NoRegions { date: self.date });
        }
        for (i, (region, _)) in self.severities.iter().enumerate() {
            if self.severities[..i].iter().any(|(seen, _)| seen == region) {
                return Err(Error::DuplicateRegion {
                    date: self.date,
                    region: region.label(),
                });
            }
        }
        for (i, trigger) in self.triggers.iter().enumerate() {
            if self.triggers[..i].contains(trigger) {
                return Err(Error::DuplicateTrigger {
                    date: self.date,
                    trigger: trigger.label(),
                });
            }
        }
        check::note("note", &self.note, check::MAX_NOTE_CHARS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2024 - 06 - 15);

    fn entry() -> Entry {
        Entry {
            date: date!(2024 - 06 - 14),
            severities: vec![(Region::Neck, Severity(6)), (Region::RightArm, Severity(2))],
            triggers: vec![Trigger::Stress, Trigger::Fatigue],
            note: "Worse after a long drive.".into(),
        }
    }

    #[test]
    fn severity_is_checked_everywhere_it_is_made() {
        for value in 0..=10 {
            assert_eq!(Severity::new(value).map(Severity::get), Ok(value));
        }
        assert_eq!(
            Severity::new(11),
            Err(Error::SeverityOutOfRange {
                field: "severity",
                value: 11
            })
        );
        assert!(serde_json::from_str::<Severity>("10").is_ok());
        assert!(serde_json::from_str::<Severity>("11").is_err());
        assert!(serde_json::from_str::<Severity>("-1").is_err());
    }

    #[test]
    fn a_good_entry_passes() {
        assert_eq!(entry().validate(TODAY), Ok(()));
        let today_entry = Entry {
            date: TODAY,
            ..entry()
        };
        assert_eq!(today_entry.validate(TODAY), Ok(()));
    }

    #[test]
    fn each_rule_names_its_field() {
        let check = |entry: Entry| entry.validate(TODAY).map_err(|e| e.to_string());
        assert_eq!(
            check(Entry {
                severities: vec![],
                ..entry()
            }),
            Err("entry of 2024-06-14: severities: mark at least one body region".into())
        );
        assert_eq!(
            check(Entry {
                severities: vec![(Region::Neck, Severity(1)), (Region::Neck, Severity(2))],
                ..entry()
            }),
            Err("entry of 2024-06-14: severities: Neck is rated more than once".into())
        );
        assert_eq!(
            check(Entry {
                triggers: vec![Trigger::Stress, Trigger::Stress],
                ..entry()
            }),
            Err("entry of 2024-06-14: triggers: Stress is marked more than once".into())
        );
        assert_eq!(
            check(Entry {
                date: date!(2024 - 06 - 16),
                ..entry()
            }),
            Err("date: 2024-06-16 is in the future (today is 2024-06-15)".into())
        );
        assert_eq!(
            check(Entry {
                date: date!(1899 - 12 - 31),
                ..entry()
            }),
            Err("date: 1899-12-31 is before 1900-01-01".into())
        );
    }

    #[test]
    fn note_limit_counts_characters_not_bytes() {
        let at_limit = Entry {
            note: "é".repeat(MAX),
            ..entry()
        };
        assert_eq!(at_limit.validate(TODAY), Ok(()));
        let over = Entry {
            note: "a".repeat(MAX + 1),
            ..entry()
        };
        assert_eq!(
            over.validate(TODAY),
            Err(Error::TooLong {
                field: "note".into(),
                len: MAX + 1,
                max: MAX
            })
        );
    }

    const MAX: usize = check::MAX_NOTE_CHARS;

    #[test]
    fn serde_shape_is_stable() {
        let json = serde_json::to_string(&entry()).unwrap_or_default();
        assert_eq!(
            json,
            r#"{"date":"2024-06-14","severities":[["neck",6],["right-arm",2]],"triggers":["stress","fatigue"],"note":"Worse after a long drive."}"#
        );
        let back: Result<Entry, _> = serde_json::from_str(&json);
        assert_eq!(back.ok(), Some(entry()));
    }

    #[test]
    fn trigger_keys_match_serde() {
        for trigger in Trigger::ALL {
            assert_eq!(Trigger::from_key(trigger.key()), Ok(trigger));
            assert_eq!(
                serde_json::to_value(trigger).ok(),
                Some(serde_json::Value::from(trigger.key()))
            );
        }
        assert!(Trigger::from_key("weather").is_err());
    }
}
