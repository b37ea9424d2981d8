//! Botulinum toxin injections as the member's clinician gave them, when the next one falls due
//! by the interval the member set, and how symptoms changed over each injection cycle.
//!
//! Kindred never suggests a product, a muscle or a dose: [`MuscleDose::units`] holds the number
//! the clinician recorded, or nothing, and the due window only adds the member's own interval
//! to the last injection date.

use serde::{Deserialize, Serialize};
use time::{Date, Duration};

use crate::{Error, check, diary::Entry};

/// A botulinum toxin product, by nonproprietary name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Product {
    /// onabotulinumtoxinA (Botox).
    OnabotulinumtoxinA,
    /// abobotulinumtoxinA (Dysport).
    AbobotulinumtoxinA,
    /// incobotulinumtoxinA (Xeomin).
    IncobotulinumtoxinA,
    /// rimabotulinumtoxinB (Myobloc, NeuroBloc).
    RimabotulinumtoxinB,
    /// Another product (the note can say which).
    Other,
}

impl Product {
    /// Every product, in the order forms list them.
    pub const ALL: [Product; 5] = [
        Product::OnabotulinumtoxinA,
        Product::AbobotulinumtoxinA,
        Product::IncobotulinumtoxinA,
        Product::RimabotulinumtoxinB,
        Product::Other,
    ];

    /// The stable key, e.g. `onabotulinumtoxin-a`.
    pub fn key(self) -> &'static str {
        match self {
            Product::OnabotulinumtoxinA => "onabotulinumtoxin-a",
            Product::AbobotulinumtoxinA => "abobotulinumtoxin-a",
            Product::IncobotulinumtoxinA => "incobotulinumtoxin-a",
            Product::RimabotulinumtoxinB => "rimabotulinumtoxin-b",
            Product::Other => "other",
        }
    }

    /// The name shown to people, with a brand name, e.g. `onabotulinumtoxinA (Botox)`.
    pub fn label(self) -> &'static str {
        match self {
            Product::OnabotulinumtoxinA => "onabotulinumtoxinA (Botox)",
            Product::AbobotulinumtoxinA => "abobotulinumtoxinA (Dysport)",
            Product::IncobotulinumtoxinA => "incobotulinumtoxinA (Xeomin)",
            Product::RimabotulinumtoxinB => "rimabotulinumtoxinB (Myobloc, NeuroBloc)",
            Product::Other => "Another product",
        }
    }

    /// The product whose [`key`](Product::key) is `key`.
    pub fn from_key(key: &str) -> Result<Product, Error> {
        Product::ALL
            .into_iter()
            .find(|product| product.key() == key)
            .ok_or_else(|| Error::UnknownProduct {
                field: "product",
                key: key.to_owned(),
            })
    }
}

/// One muscle injected, with the units exactly as the clinician recorded them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MuscleDose {
    /// The muscle as the clinician named it, e.g. `Left splenius capitis`.
    pub muscle: String,
    /// Units as recorded by the clinician; `None` when the member does not know. Kindred never
    /// suggests, converts or checks a dose: products' units are not interchangeable.
    pub units: Option<f64>,
}

/// One injection appointment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Injection {
    /// The day of the injections.
    #[serde(with = "crate::dates::serde_iso")]
    pub date: Date,
    /// The product used.
    pub product: Product,
    /// The muscles injected, in the order entered; may be empty when the member does not know.
    pub muscles: Vec<MuscleDose>,
    /// Side effects the member noticed afterwards, one per item, in their own words.
    pub side_effects: Vec<String>,
    /// The member's own words; may be empty.
    pub note: String,
}

impl Injection {
    /// Checks what the member entered: a date from 1900 up to `today`, named muscles, units (when
    /// recorded) that are finite and not negative, non-empty side effects, and a note of at most
    /// [`check::MAX_NOTE_CHARS`] characters. It never judges whether a dose is usual.
    pub fn validate(&self, today: Date) -> Result<(), Error> {
        check::past_date("date", self.date, today)?;
        for (i, dose) in self.muscles.iter().enumerate() {
            check::short_text(
                format!("muscles[{i}].muscle"),
                &dose.muscle,
                check::MAX_SHORT_CHARS,
            )?;
            if let Some(units) = dose.units
                && !(units.is_finite() && units >= 0.0)
            {
                return Err(Error::InvalidUnits {
                    field: format!("muscles[{i}].units"),
                    units,
                });
            }
        }
        for (i, side_effect) in self.side_effects.iter().enumerate() {
            check::short_text(format!("side_effects[{i}]"), side_effect, check::MAX_SHORT_CHARS)?;
        }
        check::note("note", &self.note, check::MAX_NOTE_CHARS)
    }
}

/// The interval the member's clinician gave between injections, in weeks after the last one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DueSettings {
    /// The next injection is due from this many weeks after the last (1..=52).
    pub min_weeks: u8,
    /// ... and should have happened by this many weeks (min_weeks..=52).
    pub max_weeks: u8,
}

impl Default for DueSettings {
    /// 12 to 16 weeks, until the member enters what their clinician said.
    fn default() -> Self {
        DueSettings {
            min_weeks: 12,
            max_weeks: 16,
        }
    }
}

impl DueSettings {
    /// Checks both weeks are within 1..=52 and `min_weeks <= max_weeks`.
    pub fn validate(&self) -> Result<(), Error> {
        for (field, weeks) in [("min_weeks", self.min_weeks), ("max_weeks", self.max_weeks)] {
            if !(1..=52).contains(&weeks) {
                return Err(Error::WeeksOutOfRange {
                    field,
                    weeks: i64::from(weeks),
                });
            }
        }
        if self.min_weeks > self.max_weeks {
            return Err(Error::WeeksInverted {
                min_weeks: self.min_weeks,
                max_weeks: self.max_weeks,
            });
        }
        Ok(())
    }
}

/// When the next injection falls due: from `opens` to `closes`, both days included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueWindow {
    /// The last injection plus `min_weeks` weeks.
    #[serde(with = "crate::dates::serde_iso")]
    pub opens: Date,
    /// The last injection plus `max_weeks` weeks.
    #[serde(with = "crate::dates::serde_iso")]
    pub closes: Date,
}

/// Where `today` falls relative to a [`DueWindow`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "state")]
pub enum DueStatus {
    /// Before the window opens.
    NotYet {
        /// Days from today until `opens` (at least 1).
        days_until_open: i64,
    },
    /// Within the window.
    Open {
        /// Days from today until `closes` (0 on the last day).
        days_until_close: i64,
    },
    /// After the window closed.
    Overdue {
        /// Days since `closes` (at least 1).
        days_since_close: i64,
    },
}

/// The due window after an injection on `last`. Dates past the end of the calendar `time`
/// supports (year 9999) stop at its last day.
pub fn due_window(last: Date, settings: &DueSettings) -> DueWindow {
    let after = |weeks: u8| {
        last.checked_add(Duration::weeks(i64::from(weeks)))
            .unwrap_or(Date::MAX)
    };
    DueWindow {
        opens: after(settings.min_weeks),
        closes: after(settings.max_weeks),
    }
}

impl DueWindow {
    /// Where `today` falls.
    pub fn status(&self, today: Date) -> DueStatus {
        if today < self.opens {
            DueStatus::NotYet {
                days_until_open: (self.opens - today).whole_days(),
            }
        } else if today <= self.closes {
            DueStatus::Open {
                days_until_close: (self.closes - today).whole_days(),
            }
        } else {
            DueStatus::Overdue {
                days_since_close: (today - self.closes).whole_days(),
            }
        }
    }
}

/// Mean severity by week since each injection: a table for spotting when an injection wears off.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WearingOff {
    /// The columns: one injection cycle each, named by its injection date, oldest first.
    pub cycles: Vec<WearingOffCycle>,
    /// The rows: week 0 to `max_weeks` since the injection.
    pub rows: Vec<WearingOffRow>,
}

/// One column of [`WearingOff`]: from an injection to the next (or open-ended for the last).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WearingOffCycle {
    /// The injection that starts the cycle.
    #[serde(with = "crate::dates::serde_iso")]
    pub injection_date: Date,
    /// The day of the next injection, which ends the cycle (not included); `None` for the last.
    #[serde(with = "crate::dates::serde_iso_option")]
    pub next_injection_date: Option<Date>,
}

/// One row of [`WearingOff`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WearingOffRow {
    /// Whole weeks since the injection: days 0-6 are week 0.
    pub week: u8,
    /// One cell per cycle, in the order of [`WearingOff::cycles`]: the mean of every severity
    /// of every region in every entry of that week, or `None` when there is no entry.
    pub cells: Vec<Option<f64>>,
}

/// Builds the [`WearingOff`] table. Entries before the first injection, and entries more than
/// `max_weeks` whole weeks after their injection, are left out. An entry on the day of an
/// injection belongs to the new cycle (week 0). Injections on the same day give an empty cycle.
pub fn wearing_off(entries: &[Entry], injections: &[Injection], max_weeks: u8) -> WearingOff {
    let mut dates: Vec<Date> = injections.iter().map(|injection| injection.date).collect();
    dates.sort_unstable();
    let cycles: Vec<WearingOffCycle> = dates
        .iter()
        .enumerate()
        .map(|(i, &injection_date)| WearingOffCycle {
            injection_date,
            next_injection_date: dates.get(i + 1).copied(),
        })
        .collect();
    let n_weeks = usize::from(max_weeks) + 1;
    // sums[week][cycle] = (sum of severities, number of severities)
    let mut sums = vec![vec![(0u32, 0u32); cycles.len()]; n_weeks];
    for entry in entries {
        // The last cycle that started on or before the entry.
        let Some(cycle_idx) = cycles
            .iter()
            .rposition(|cycle| cycle.injection_date <= entry.date)
        else {
            continue;
        };
        let days = (entry.date - cycles[cycle_idx].injection_date).whole_days();
        let Some(cells) = usize::try_from(days / 7).ok().and_then(|week| sums.get_mut(week)) else {
            continue;
        };
        let cell = &mut cells[cycle_idx];
        for (_, severity) in &entry.severities {
            cell.0 += u32::from(severity.get());
            cell.1 += 1;
        }
    }
    let rows = sums
        .into_iter()
        .zip(0..=max_weeks)
        .map(|(cells, week)| WearingOffRow {
            week,
            cells: cells
                .into_iter()
                .map(|(sum, n)| (n > 0).then(|| f64::from(sum) / f64::from(n)))
                .collect(),
        })
        .collect();
    WearingOff { cycles, rows }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{diary::Severity, region::Region};
    use time::macros::date;

    fn settings(min_weeks: u8, max_weeks: u8) -> DueSettings {
        DueSettings { min_weeks, max_weeks }
    }

    #[test]
    fn due_window_dates_are_spelled_out() {
        // (last injection, min weeks, max weeks, opens, closes), computed by hand.
        let cases = [
            // Leap day to late May / June.
            (
                date!(2024 - 02 - 29),
                12,
                16,
                date!(2024 - 05 - 23),
                date!(2024 - 06 - 20),
            ),
            // Across the year end and through 29 February 2024.
            (
                date!(2023 - 11 - 15),
                12,
                16,
                date!(2024 - 02 - 07),
                date!(2024 - 03 - 06),
            ),
            // 2100 is not a leap year: 28 February is followed by 1 March.
            (
                date!(2099 - 12 - 20),
                10,
                11,
                date!(2100 - 02 - 28),
                date!(2100 - 03 - 07),
            ),
            // The same in 2096, which is a leap year: one day earlier.
            (
                date!(2095 - 12 - 20),
                10,
                11,
                date!(2096 - 02 - 28),
                date!(2096 - 03 - 06),
            ),
            // Across a year end.
            (
                date!(2024 - 10 - 10),
                12,
                12,
                date!(2025 - 01 - 02),
                date!(2025 - 01 - 02),
            ),
            // Month ends: 31 January plus one week.
            (
                date!(2025 - 01 - 31),
                1,
                52,
                date!(2025 - 02 - 07),
                date!(2026 - 01 - 30),
            ),
        ];
        for (last, min_weeks, max_weeks, opens, closes) in cases {
            assert_eq!(
                due_window(last, &settings(min_weeks, max_weeks)),
                DueWindow { opens, closes },
                "{last}"
            );
        }
    }

    #[test]
    fn due_window_saturates_at_the_end_of_the_calendar() {
        let window = due_window(Date::MAX, &DueSettings::default());
        assert_eq!(window.opens, Date::MAX);
        assert_eq!(window.closes, Date::MAX);
    }

    #[test]
    fn status_before_within_and_after() {
        let window = due_window(date!(2024 - 02 - 29), &DueSettings::default());
        let cases = [
            (date!(2024 - 03 - 01), DueStatus::NotYet { days_until_open: 83 }),
            (date!(2024 - 05 - 22), DueStatus::NotYet { days_until_open: 1 }),
            (date!(2024 - 05 - 23), DueStatus::Open { days_until_close: 28 }),
            (date!(2024 - 06 - 20), DueStatus::Open { days_until_close: 0 }),
            (date!(2024 - 06 - 21), DueStatus::Overdue { days_since_close: 1 }),
            (
                date!(2025 - 06 - 20),
                DueStatus::Overdue {
                    days_since_close: 365,
                },
            ),
        ];
        for (today, status) in cases {
            assert_eq!(window.status(today), status, "{today}");
        }
    }

    #[test]
    fn due_status_serde_shape() {
        let json = serde_json::to_string(&DueStatus::NotYet { days_until_open: 3 }).unwrap();
        assert_eq!(json, r#"{"state":"not-yet","days_until_open":3}"#);
    }

    #[test]
    fn due_settings_limits() {
        assert_eq!(DueSettings::default(), settings(12, 16));
        assert_eq!(DueSettings::default().validate(), Ok(()));
        assert_eq!(settings(1, 52).validate(), Ok(()));
        assert_eq!(settings(8, 8).validate(), Ok(()));
        assert_eq!(
            settings(0, 12).validate(),
            Err(Error::WeeksOutOfRange {
                field: "min_weeks",
                weeks: 0
            })
        );
        assert_eq!(
            settings(12, 53).validate(),
            Err(Error::WeeksOutOfRange {
                field: "max_weeks",
                weeks: 53
            })
        );
        assert_eq!(
            settings(16, 12).validate().map_err(|e| e.to_string()),
            Err("min_weeks: 16 is more than max_weeks 12".into())
        );
    }

    fn injection() -> Injection {
        Injection {
            date: date!(2024 - 03 - 01),
            product: Product::IncobotulinumtoxinA,
            muscles: vec![
                MuscleDose {
                    muscle: "Left splenius capitis".into(),
                    units: Some(50.0),
                },
                MuscleDose {
                    muscle: "Right sternocleidomastoid".into(),
                    units: None,
                },
            ],
            side_effects: vec!["Neck weakness".into()],
            note: String::new(),
        }
    }

    #[test]
    fn injection_validation_never_judges_a_dose() {
        let today = date!(2024 - 03 - 01);
        assert_eq!(injection().validate(today), Ok(()));
        // A large number is the clinician's business, not Kindred's.
        let mut large = injection();
        large.muscles[0].units = Some(1000.0);
        assert_eq!(large.validate(today), Ok(()));
        let mut negative = injection();
        negative.muscles[1].units = Some(-5.0);
        assert_eq!(
            negative.validate(today).map_err(|e| e.to_string()),
            Err("muscles[1].units: units -5 must be a number of zero or more".into())
        );
        let mut nan = injection();
        nan.muscles[0].units = Some(f64::NAN);
        assert!(matches!(
            nan.validate(today),
            Err(Error::InvalidUnits { field, .. }) if field == "muscles[0].units"
        ));
        let mut unnamed = injection();
        unnamed.muscles[1].muscle = " ".into();
        assert_eq!(
            unnamed.validate(today),
            Err(Error::Empty {
                field: "muscles[1].muscle".into()
            })
        );
        assert_eq!(
            injection().validate(date!(2024 - 02 - 29)),
            Err(Error::FutureDate {
                field: "date",
                date: date!(2024 - 03 - 01),
                today: date!(2024 - 02 - 29)
            })
        );
    }

    #[test]
    fn product_keys_match_serde() {
        for product in Product::ALL {
            assert_eq!(Product::from_key(product.key()), Ok(product));
            assert_eq!(
                serde_json::to_value(product).ok(),
                Some(serde_json::Value::from(product.key()))
            );
        }
    }

    fn rated(date: Date, severities: &[(Region, u8)]) -> Entry {
        Entry {
            date,
            severities: severities
                .iter()
                .map(|&(region, value)| (region, Severity::new(value).unwrap()))
                .collect(),
            triggers: vec![],
            note: String::new(),
        }
    }

    fn injected(date: Date) -> Injection {
        Injection { date, ..injection() }
    }

    #[test]
    fn wearing_off_means_by_week_and_cycle() {
        let neck = Region::Neck;
        let entries = [
            rated(date!(2023 - 12 - 31), &[(neck, 10)]), // before the first injection
            rated(date!(2024 - 01 - 01), &[(neck, 8), (Region::LeftArm, 4)]),
            rated(date!(2024 - 01 - 07), &[(neck, 2)]), // day 6: still week 0
            rated(date!(2024 - 01 - 08), &[(neck, 3)]), // day 7: week 1
            rated(date!(2024 - 01 - 21), &[(neck, 7)]), // day 20: week 2
            rated(date!(2024 - 01 - 22), &[(neck, 9)]), // the next injection's day: its week 0
            rated(date!(2024 - 02 - 19), &[(neck, 1)]), // day 28 of cycle 2: week 4
            rated(date!(2024 - 02 - 26), &[(neck, 5)]), // day 35: past max_weeks
        ];
        // Given newest first: the table sorts them.
        let injections = [injected(date!(2024 - 01 - 22)), injected(date!(2024 - 01 - 01))];
        let table = wearing_off(&entries, &injections, 4);
        assert_eq!(
            table.cycles,
            [
                WearingOffCycle {
                    injection_date: date!(2024 - 01 - 01),
                    next_injection_date: Some(date!(2024 - 01 - 22)),
                },
                WearingOffCycle {
                    injection_date: date!(2024 - 01 - 22),
                    next_injection_date: None,
                },
            ]
        );
        let weeks: Vec<u8> = table.rows.iter().map(|row| row.week).collect();
        assert_eq!(weeks, [0, 1, 2, 3, 4]);
        let cells: Vec<Vec<Option<f64>>> = table.rows.into_iter().map(|row| row.cells).collect();
        assert_eq!(
            cells,
            [
                vec![Some(14.0 / 3.0), Some(9.0)],
                vec![Some(3.0), None],
                vec![Some(7.0), None],
                vec![None, None],
                vec![None, Some(1.0)],
            ]
        );
    }

    #[test]
    fn wearing_off_without_injections_has_rows_but_no_columns() {
        let entries = [rated(date!(2024 - 01 - 01), &[(Region::Neck, 3)])];
        let table = wearing_off(&entries, &[], 2);
        assert!(table.cycles.is_empty());
        assert_eq!(table.rows.len(), 3);
        assert!(table.rows.iter().all(|row| row.cells.is_empty()));
    }
}
