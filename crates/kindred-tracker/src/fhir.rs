//! FHIR R4 (4.0.1) export and import of a member's tracker, so they can hand it to a clinic's
//! system and bring it back.
//!
//! [`to_fhir_bundle`] writes a `collection` Bundle:
//!
//! | tracker | FHIR R4 |
//! |---|---|
//! | the member | `Patient`, pseudonymous: only an `identifier` (system `urn:kindred:member`, value the handle); no name, no birth date |
//! | a tracked condition | `Condition` with its ICD-10-CM code when known, the catalog slug as an `identifier`, asserted by the patient |
//! | each region rated in a diary entry | `Observation` (category `survey`, performer the patient), `valueInteger` 0-10, `bodySite` coded with the region key |
//! | a medicine | `MedicationStatement`, dosage text exactly as prescribed, `effectivePeriod` |
//! | an injection | `Procedure` "Botulinum toxin injection", a `bodySite` per muscle, the product in `usedCode`, side effects as `complication` |
//!
//! Kindred's own data sits in valid R4 places so that [`from_fhir_bundle`] restores exactly what
//! was exported: code systems under `https://kindred.example/fhir/CodeSystem/`, identifiers
//! under `urn:kindred:` and extensions under `https://kindred.example/fhir/StructureDefinition/`:
//!
//! - on `Patient`: `injection-due-interval` (sub-extensions `min-weeks` and `max-weeks`),
//!   `family-history` and one `appointment-question` per question;
//! - on `Observation`: one `trigger` per trigger, and the `urn:kindred:diary-entry` identifier
//!   that groups the observations of one diary entry;
//! - on each `bodySite` of a `Procedure`: `recorded-units`, the units as the clinician recorded
//!   them;
//! - on `MedicationStatement`: one `side-effect` per side effect;
//! - on every `Annotation` Kindred writes: `annotation-kind`, `member-note` for the member's own
//!   words (restored on import) or `summary` for a sentence Kindred wrote for human readers
//!   (ignored on import).
//!
//! Ids are deterministic (a hash of the handle, the kind of record and its position), so the
//! same data always exports to the same bundle. The round trip is exact for data that passes
//! [`TrackerData::validate`]: empty texts are left out of the bundle (FHIR forbids empty
//! strings) and come back empty.

mod export;
mod icd10;
mod import;

pub use crate::data::{TrackedCondition, TrackerData};
pub use export::to_fhir_bundle;
pub use icd10::{ICD10CM_G24, icd10cm_display, icd10cm_for};
pub use import::from_fhir_bundle;

/// The identifier system of a member's handle.
pub const SYSTEM_MEMBER: &str = "urn:kindred:member";
/// The identifier system of a condition's catalog slug.
pub const SYSTEM_CATALOG_SLUG: &str = "urn:kindred:catalog-slug";
/// The identifier system that groups the observations of one diary entry.
pub const SYSTEM_DIARY_ENTRY: &str = "urn:kindred:diary-entry";
/// ICD-10-CM, as FHIR names it.
pub const SYSTEM_ICD10CM: &str = "http://hl7.org/fhir/sid/icd-10-cm";
/// Kindred's code system of body regions (codes are [`crate::Region::key`]).
pub const SYSTEM_BODY_REGION: &str = "https://kindred.example/fhir/CodeSystem/body-region";
/// Kindred's code system of botulinum toxin products (codes are [`crate::Product::key`]).
pub const SYSTEM_PRODUCT: &str = "https://kindred.example/fhir/CodeSystem/botulinum-toxin-product";
/// Kindred's code system of diary triggers (codes are [`crate::Trigger::key`]).
pub const SYSTEM_TRIGGER: &str = "https://kindred.example/fhir/CodeSystem/trigger";
/// Kindred's code system of observation codes (`dystonia-severity`).
pub const SYSTEM_OBSERVATION: &str = "https://kindred.example/fhir/CodeSystem/observation";
/// The prefix of Kindred's extension URLs.
pub const EXTENSION_BASE: &str = "https://kindred.example/fhir/StructureDefinition/";

const CONDITION_CLINICAL: &str = "http://terminology.hl7.org/CodeSystem/condition-clinical";
const OBSERVATION_CATEGORY: &str = "http://terminology.hl7.org/CodeSystem/observation-category";
const SEVERITY_CODE: &str = "dystonia-severity";
const INJECTION_TEXT: &str = "Botulinum toxin injection";

const EXT_DUE: &str = "injection-due-interval";
const EXT_FAMILY_HISTORY: &str = "family-history";
const EXT_QUESTION: &str = "appointment-question";
const EXT_TRIGGER: &str = "trigger";
const EXT_UNITS: &str = "recorded-units";
const EXT_SIDE_EFFECT: &str = "side-effect";
const EXT_ANNOTATION_KIND: &str = "annotation-kind";
const KIND_MEMBER_NOTE: &str = "member-note";
const KIND_SUMMARY: &str = "summary";

fn extension_url(name: &str) -> String {
    format!("{EXTENSION_BASE}{name}")
}
