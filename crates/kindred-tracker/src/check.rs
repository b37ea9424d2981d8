//! Field checks shared by the records' `validate` methods.

use kindred_text::Lines;
use time::Date;

use crate::{Error, dates};

/// Longest free-text note, in characters.
pub const MAX_NOTE_CHARS: usize = 2000;
/// Longest short text (a muscle, a side effect, a medicine's name or dose), in characters.
pub const MAX_SHORT_CHARS: usize = 200;

/// At most `max` characters (Unicode scalar values, not bytes).
pub(crate) fn max_chars(field: impl Into<String>, text: &str, max: usize) -> Result<(), Error> {
    let len = text.chars().count();
    if len > max {
        return Err(Error::TooLong {
            field: field.into(),
            len,
            max,
        });
    }
    Ok(())
}

/// Typed text by Kindred's one rule ([`kindred_text::check_typed_text`]): no control characters
/// (line breaks and tabs only in [`Lines::Many`]), not only invisible characters, and at most `max`
/// characters.
pub(crate) fn typed_text(
    field: impl Into<String>,
    text: &str,
    lines: Lines,
    max: usize,
) -> Result<(), Error> {
    let field = field.into();
    if let Err(problem) = kindred_text::check_typed_text(text, lines) {
        return Err(Error::BadText { field, problem });
    }
    max_chars(field, text, max)
}

/// A short text that may be empty (a dose when unknown). Short texts may hold line breaks, as
/// they always could: FHIR bundles exported before carry them, and must import again.
pub(crate) fn line(field: impl Into<String>, text: &str, max: usize) -> Result<(), Error> {
    typed_text(field, text, Lines::Many, max)
}

/// A free-text note: several lines, may be empty.
pub(crate) fn note(field: impl Into<String>, text: &str, max: usize) -> Result<(), Error> {
    typed_text(field, text, Lines::Many, max)
}

/// A short text, not empty or only whitespace, and at most `max` characters.
pub(crate) fn short_text(field: impl Into<String>, text: &str, max: usize) -> Result<(), Error> {
    let field = field.into();
    if text.trim().is_empty() {
        return Err(Error::Empty { field });
    }
    line(field, text, max)
}

/// Not before [`dates::EARLIEST`].
pub(crate) fn not_too_early(field: &'static str, date: Date) -> Result<(), Error> {
    if date < dates::EARLIEST {
        return Err(Error::DateTooEarly {
            field,
            date,
            earliest: dates::EARLIEST,
        });
    }
    Ok(())
}

/// Not before [`dates::EARLIEST`] and not after `today`.
pub(crate) fn past_date(field: &'static str, date: Date, today: Date) -> Result<(), Error> {
    not_too_early(field, date)?;
    if date > today {
        return Err(Error::FutureDate { field, date, today });
    }
    Ok(())
}
