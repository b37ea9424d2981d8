//! Medicines the member takes or took, with the dose written exactly as prescribed.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::{Error, check};

/// A medicine, as the member recorded it from their prescription.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Medicine {
    /// The medicine's name, e.g. `Trihexyphenidyl`.
    pub name: String,
    /// The dose exactly as prescribed, in the prescriber's words, e.g. `2 mg three times a day`.
    /// Kindred stores and shows it; it never interprets, converts or suggests a dose.
    pub dose_as_prescribed: String,
    /// When the member started it, if they know.
    #[serde(with = "crate::dates::serde_iso_option")]
    pub started: Option<Date>,
    /// When the member stopped it; `None` while they still take it.
    #[serde(with = "crate::dates::serde_iso_option")]
    pub stopped: Option<Date>,
    /// Side effects the member noticed, one per item, in their own words.
    pub side_effects: Vec<String>,
}

impl Medicine {
    /// Checks a name, a dose of at most [`check::MAX_SHORT_CHARS`] characters (may be empty
    /// when unknown), dates from 1900, `stopped` not before `started`, and non-empty side
    /// effects.
    pub fn validate(&self) -> Result<(), Error> {
        check::short_text("name", &self.name, check::MAX_SHORT_CHARS)?;
        check::line(
            "dose_as_prescribed",
            &self.dose_as_prescribed,
            check::MAX_SHORT_CHARS,
        )?;
        if let Some(started) = self.started {
            check::not_too_early("started", started)?;
        }
        if let Some(stopped) = self.stopped {
            check::not_too_early("stopped", stopped)?;
        }
        if let (Some(started), Some(stopped)) = (self.started, self.stopped)
            && stopped < started
        {
            return Err(Error::StoppedBeforeStarted {
                name: self.name.clone(),
                started,
                stopped,
            });
        }
        for (i, side_effect) in self.side_effects.iter().enumerate() {
            check::short_text(format!("side_effects[{i}]"), side_effect, check::MAX_SHORT_CHARS)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn medicine() -> Medicine {
        Medicine {
            name: "Trihexyphenidyl".into(),
            dose_as_prescribed: "2 mg three times a day".into(),
            started: Some(date!(2023 - 01 - 10)),
            stopped: Some(date!(2023 - 01 - 10)),
            side_effects: vec!["Dry mouth".into()],
        }
    }

    #[test]
    fn same_day_stop_is_allowed_and_earlier_is_not() {
        assert_eq!(medicine().validate(), Ok(()));
        let bad = Medicine {
            stopped: Some(date!(2023 - 01 - 09)),
            ..medicine()
        };
        assert_eq!(
            bad.validate().map_err(|e| e.to_string()),
            Err("medicine \"Trihexyphenidyl\": stopped 2023-01-09 is before started 2023-01-10".into())
        );
    }

    #[test]
    fn unknown_dates_and_dose_are_fine_but_a_name_is_needed() {
        let minimal = Medicine {
            dose_as_prescribed: String::new(),
            started: None,
            stopped: None,
            side_effects: vec![],
            ..medicine()
        };
        assert_eq!(minimal.validate(), Ok(()));
        let only_stop = Medicine {
            started: None,
            ..medicine()
        };
        assert_eq!(only_stop.validate(), Ok(()));
        let unnamed = Medicine {
            name: "  ".into(),
            ..medicine()
        };
        assert_eq!(unnamed.validate(), Err(Error::Empty { field: "name".into() }));
        let blank_effect = Medicine {
            side_effects: vec!["Dry mouth".into(), String::new()],
            ..medicine()
        };
        assert_eq!(
            blank_effect.validate(),
            Err(Error::Empty {
                field: "side_effects[1]".into()
            })
        );
    }
}
