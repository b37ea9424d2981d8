//! A member's private care tracker: the symptom diary, botulinum toxin injections, medicines,
//! and what is built from them (the body-distribution name of the regions marked, the next
//! injection's window, the wearing-off table, the severity chart, the appointment report, CSV
//! files and a FHIR R4 export that imports back).
//!
//! Pure domain code: no IO, no SQL, no HTTP. The store keeps these types, the web layer renders
//! them. Health data from here never enters the search index.
//!
//! Kindred only records what the member or their clinician entered. Nothing here suggests a
//! treatment or a dose: [`MuscleDose::units`] and [`Medicine::dose_as_prescribed`] are kept
//! exactly as entered, and the distribution always travels with [`CLINICIAN_NOTICE`].
//!
//! ```
//! use kindred_tracker::{Region, DistributionClass, classify};
//!
//! let distribution = classify(&[Region::Neck, Region::RightArm]).unwrap();
//! assert_eq!(distribution.class, DistributionClass::Segmental);
//! assert_eq!(
//!     distribution.explanation,
//!     "Two or more regions that touch each other: neck and right arm. \
//!      This pattern is called segmental."
//! );
//! ```

pub mod chart;
mod check;
pub mod csv_export;
mod data;
mod dates;
pub mod diary;
pub mod distribution;
mod error;
pub mod fhir;
pub mod injection;
pub mod medicine;
pub mod region;
pub mod report;

pub use chart::{Chart, ChartRow, severity_chart};
pub use check::{MAX_NOTE_CHARS, MAX_SHORT_CHARS};
pub use csv_export::{entries_csv, injections_csv, medicines_csv};
pub use data::{TrackedCondition, TrackerData};
pub use diary::{Entry, Severity, Trigger};
pub use distribution::{CLINICIAN_NOTICE, Distribution, DistributionClass, classify};
pub use error::Error;
pub use fhir::{from_fhir_bundle, icd10cm_for, to_fhir_bundle};
pub use injection::{
    DueSettings, DueStatus, DueWindow, Injection, MuscleDose, Product, WearingOff, WearingOffCycle,
    WearingOffRow, due_window, wearing_off,
};
pub use medicine::Medicine;
pub use region::{Region, Side, adjacent};
pub use report::{
    AppointmentReport, CitedQuestion, DatedNote, InjectionSummary, NextInjection, RegionSummary,
    SideEffectMention, SideEffectSource, TriggerCount, report,
};
