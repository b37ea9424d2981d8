//! Errors of the tracker: what a member entered that cannot be recorded, and what an imported
//! FHIR bundle got wrong.
//!
//! Every variant names the field (and the entry, row or bundle entry) at fault, so the web layer
//! can show the message next to the right form field. All of them are caused by the input; the
//! tracker does no IO and has no internal failures of its own.

use time::Date;

/// What can be wrong with tracker data.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// A body region key that Kindred does not know.
    #[error("{field}: unknown body region {key:?}")]
    UnknownRegion {
        /// Field at fault.
        field: &'static str,
        /// The key as given.
        key: String,
    },
    /// A severity outside 0 to 10.
    #[error("{field}: severity {value} is outside 0 to 10")]
    SeverityOutOfRange {
        /// Field at fault.
        field: &'static str,
        /// The value as given.
        value: i64,
    },
    /// A diary entry that marks no body region.
    #[error("entry of {date}: severities: mark at least one body region")]
    NoRegions {
        /// Date of the entry.
        date: Date,
    },
    /// A diary entry that rates one body region twice.
    #[error("entry of {date}: severities: {region} is rated more than once")]
    DuplicateRegion {
        /// Date of the entry.
        date: Date,
        /// Label of the region rated twice.
        region: &'static str,
    },
    /// A diary entry that marks one trigger twice.
    #[error("entry of {date}: triggers: {trigger} is marked more than once")]
    DuplicateTrigger {
        /// Date of the entry.
        date: Date,
        /// Label of the trigger marked twice.
        trigger: &'static str,
    },
    /// A text longer than its field allows.
    #[error("{field}: {len} characters is more than the {max} allowed")]
    TooLong {
        /// Field at fault, e.g. `note`.
        field: String,
        /// Length in characters.
        len: usize,
        /// Largest length allowed.
        max: usize,
    },
    /// A text with a control character, or only invisible characters.
    #[error("{field}: {problem}")]
    BadText {
        /// Field at fault.
        field: String,
        /// What is wrong with it.
        problem: kindred_text::TypedTextProblem,
    },
    /// A text field that must not be empty (or only spaces).
    #[error("{field}: must not be empty")]
    Empty {
        /// Field at fault.
        field: String,
    },
    /// A date after today.
    #[error("{field}: {date} is in the future (today is {today})")]
    FutureDate {
        /// Field at fault.
        field: &'static str,
        /// The date as given.
        date: Date,
        /// The caller's today.
        today: Date,
    },
    /// A date too early to be a real record.
    #[error("{field}: {date} is before {earliest}")]
    DateTooEarly {
        /// Field at fault.
        field: &'static str,
        /// The date as given.
        date: Date,
        /// Earliest date accepted.
        earliest: Date,
    },
    /// A medicine stopped before it was started.
    #[error("medicine {name:?}: stopped {stopped} is before started {started}")]
    StoppedBeforeStarted {
        /// Name of the medicine.
        name: String,
        /// Start date.
        started: Date,
        /// Stop date.
        stopped: Date,
    },
    /// Units that are not a finite number of zero or more.
    #[error("{field}: units {units} must be a number of zero or more")]
    InvalidUnits {
        /// Field at fault, e.g. `muscles[2].units`.
        field: String,
        /// The value as given.
        units: f64,
    },
    /// A number of weeks outside 1 to 52 in the injection due settings.
    #[error("{field}: {weeks} weeks is outside 1 to 52")]
    WeeksOutOfRange {
        /// `min_weeks` or `max_weeks`.
        field: &'static str,
        /// The value as given.
        weeks: i64,
    },
    /// Due settings whose earliest week is after their latest.
    #[error("min_weeks: {min_weeks} is more than max_weeks {max_weeks}")]
    WeeksInverted {
        /// Earliest week.
        min_weeks: u8,
        /// Latest week.
        max_weeks: u8,
    },
    /// A product key that Kindred does not know.
    #[error("{field}: unknown product {key:?}")]
    UnknownProduct {
        /// Field at fault.
        field: &'static str,
        /// The key as given.
        key: String,
    },
    /// A trigger key that Kindred does not know.
    #[error("{field}: unknown trigger {key:?}")]
    UnknownTrigger {
        /// Field at fault.
        field: &'static str,
        /// The key as given.
        key: String,
    },
    /// A record inside the tracker data is invalid; `source` says how.
    #[error("{record}")]
    Record {
        /// Which record, e.g. `entries[3]`.
        record: String,
        /// What is wrong with it.
        #[source]
        source: Box<Error>,
    },
    /// The JSON given for import is not a FHIR Bundle of type collection.
    #[error("bundle: {field}: {problem}")]
    FhirBundle {
        /// Field of the bundle at fault.
        field: String,
        /// What is wrong, e.g. `missing` or `expected "collection"`.
        problem: String,
    },
    /// A bundle entry that Kindred cannot import.
    #[error("bundle entry {entry}: {field}: {problem}")]
    FhirEntry {
        /// Index of the entry in `Bundle.entry`.
        entry: usize,
        /// Field at fault, a FHIR path inside the entry such as `resource.valueInteger`.
        field: String,
        /// What is wrong, e.g. `missing`.
        problem: String,
    },
}

impl Error {
    /// Wraps `self` as the error of the record named `record` (e.g. `entries[3]`).
    pub(crate) fn in_record(self, record: impl Into<String>) -> Self {
        Error::Record {
            record: record.into(),
            source: Box::new(self),
        }
    }
}
