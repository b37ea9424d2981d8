//! Dates as the tracker writes them: ISO `YYYY-MM-DD` in serde and FHIR, and `1 Mar 2024` for
//! people.
//!
//! Serde goes through these functions rather than `time`'s own impls, whose shape depends on
//! which `time` features the whole build happens to enable.

use serde::{Deserialize, Deserializer, Serializer};
use time::{Date, Month, macros::format_description};

/// The earliest date the tracker accepts: nothing a member records is older.
pub(crate) const EARLIEST: Date = time::macros::date!(1900 - 01 - 01);

/// `2024-03-01`. Years outside 0..=9999 (never accepted by validation) print with a sign.
pub(crate) fn iso(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// Parses `2024-03-01` (exactly; no time part).
pub(crate) fn parse_iso(text: &str) -> Option<Date> {
    Date::parse(text, format_description!("[year]-[month]-[day]")).ok()
}

/// `1 Mar 2024`.
pub(crate) fn human(date: Date) -> String {
    format!("{} {} {}", date.day(), month_short(date.month()), date.year())
}

/// `1 Mar`: axis labels, where the year is in the title.
pub(crate) fn day_month(date: Date) -> String {
    format!("{} {}", date.day(), month_short(date.month()))
}

fn month_short(month: Month) -> &'static str {
    match month {
        Month::January => "Jan",
        Month::February => "Feb",
        Month::March => "Mar",
        Month::April => "Apr",
        Month::May => "May",
        Month::June => "Jun",
        Month::July => "Jul",
        Month::August => "Aug",
        Month::September => "Sep",
        Month::October => "Oct",
        Month::November => "Nov",
        Month::December => "Dec",
    }
}

/// `#[serde(with = "crate::dates::serde_iso")]` for a `Date`.
pub(crate) mod serde_iso {
    use super::*;

    pub(crate) fn serialize<S: Serializer>(date: &Date, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&iso(*date))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Date, D::Error> {
        let text = String::deserialize(deserializer)?;
        parse_iso(&text).ok_or_else(|| {
            serde::de::Error::custom(format_args!("invalid date {text:?}, expected YYYY-MM-DD"))
        })
    }
}

/// `#[serde(with = "crate::dates::serde_iso_option")]` for an `Option<Date>`.
pub(crate) mod serde_iso_option {
    use super::*;

    pub(crate) fn serialize<S: Serializer>(date: &Option<Date>, serializer: S) -> Result<S::Ok, S::Error> {
        match date {
            Some(date) => serializer.serialize_some(&iso(*date)),
            None => serializer.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Date>, D::Error> {
        match Option::<String>::deserialize(deserializer)? {
            None => Ok(None),
            Some(text) => parse_iso(&text).map(Some).ok_or_else(|| {
                serde::de::Error::custom(format_args!("invalid date {text:?}, expected YYYY-MM-DD"))
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn iso_round_trips_and_rejects_other_shapes() {
        for date in [
            date!(2024 - 02 - 29),
            date!(1900 - 01 - 01),
            date!(2100 - 12 - 31),
        ] {
            assert_eq!(parse_iso(&iso(date)), Some(date));
        }
        assert_eq!(iso(date!(2024 - 03 - 01)), "2024-03-01");
        for bad in ["2024-3-1", "2023-02-29", "2024-03-01T00:00:00", "", "01/03/2024"] {
            assert_eq!(parse_iso(bad), None, "{bad}");
        }
    }

    #[test]
    fn human_dates() {
        assert_eq!(human(date!(2024 - 03 - 01)), "1 Mar 2024");
        assert_eq!(day_month(date!(2024 - 12 - 25)), "25 Dec");
    }
}
