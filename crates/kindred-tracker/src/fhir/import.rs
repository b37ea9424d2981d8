//! A FHIR R4 Bundle written by [`super::to_fhir_bundle`] back to tracker data.
//!
//! Import is strict about what Kindred needs and says where a bundle is wrong: every error
//! names the bundle entry by its index in `Bundle.entry` and the field inside it. It reads
//! Kindred's own codes, identifiers and extensions, and ignores the sentences Kindred wrote
//! for human readers (annotations of kind `summary`).

use serde_json::Value;
use time::Date;

use super::*;
use crate::{
    Error, dates,
    diary::{Entry, Severity, Trigger},
    injection::{DueSettings, Injection, MuscleDose, Product},
    medicine::Medicine,
    region::Region,
};

/// Restores the tracker data that [`super::to_fhir_bundle`] exported into `bundle`.
pub fn from_fhir_bundle(bundle: &Value) -> Result<TrackerData, Error> {
    let bundle_error = |field: &str, problem: &str| Error::FhirBundle {
        field: field.into(),
        problem: problem.into(),
    };
    if bundle.get("resourceType").and_then(Value::as_str) != Some("Bundle") {
        return Err(bundle_error("resourceType", "expected \"Bundle\""));
    }
    if bundle.get("type").and_then(Value::as_str) != Some("collection") {
        return Err(bundle_error("type", "expected \"collection\""));
    }
    let entries = match bundle.get("entry") {
        Some(Value::Array(entries)) => entries.as_slice(),
        Some(_) => return Err(bundle_error("entry", "expected an array")),
        None => &[],
    };

    let mut patient: Option<PatientPart> = None;
    let mut data = TrackerData {
        member_handle: String::new(),
        conditions: Vec::new(),
        entries: Vec::new(),
        injections: Vec::new(),
        medicines: Vec::new(),
        due: DueSettings::default(),
        family_history: String::new(),
        questions: Vec::new(),
    };
    // The diary-entry identifier of each of data.entries, to group observations.
    let mut entry_keys: Vec<String> = Vec::new();
    for (idx, bundle_entry) in entries.iter().enumerate() {
        let at = At {
            entry: idx,
            resource: bundle_entry.get("resource").ok_or(Error::FhirEntry {
                entry: idx,
                field: "resource".into(),
                problem: "missing".into(),
            })?,
        };
        match at.str("resourceType")? {
            "Patient" => {
                if patient.is_some() {
                    return Err(at.error("resourceType", "a second Patient"));
                }
                patient = Some(read_patient(&at)?);
            }
            "Condition" => data.conditions.push(read_condition(&at)?),
            "Observation" => read_observation(&at, &mut data.entries, &mut entry_keys)?,
            "MedicationStatement" => data.medicines.push(read_medicine(&at)?),
            "Procedure" => data.injections.push(read_injection(&at)?),
            other => {
                return Err(at.error(
                    "resourceType",
                    &format!("{other} is not a resource Kindred exports"),
                ));
            }
        }
    }
    let patient = patient.ok_or_else(|| bundle_error("entry", "no Patient resource"))?;
    data.member_handle = patient.handle;
    data.due = patient.due;
    data.family_history = patient.family_history;
    data.questions = patient.questions;
    Ok(data)
}

struct PatientPart {
    handle: String,
    due: DueSettings,
    family_history: String,
    questions: Vec<String>,
}

/// One bundle entry's resource, and where it is, for errors.
struct At<'a> {
    entry: usize,
    resource: &'a Value,
}

impl<'a> At<'a> {
    fn error(&self, field: &str, problem: &str) -> Error {
        Error::FhirEntry {
            entry: self.entry,
            field: format!("resource.{field}"),
            problem: problem.into(),
        }
    }

    /// The value at a dotted path inside the resource (`code.text`; `note.0.text` indexes an
    /// array).
    fn get(&self, path: &str) -> Option<&'a Value> {
        path.split('.').try_fold(self.resource, |value, key| match value {
            Value::Array(items) => key.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => value.get(key),
        })
    }

    fn str(&self, path: &str) -> Result<&'a str, Error> {
        match self.get(path) {
            Some(Value::String(text)) => Ok(text),
            Some(_) => Err(self.error(path, "expected a string")),
            None => Err(self.error(path, "missing")),
        }
    }

    /// A string that may be missing (Kindred leaves out empty texts).
    fn text_or_empty(&self, path: &str) -> Result<String, Error> {
        match self.get(path) {
            None => Ok(String::new()),
            Some(Value::String(text)) => Ok(text.clone()),
            Some(_) => Err(self.error(path, "expected a string")),
        }
    }

    fn array(&self, path: &str) -> Result<&'a [Value], Error> {
        match self.get(path) {
            None => Ok(&[]),
            Some(Value::Array(items)) => Ok(items),
            Some(_) => Err(self.error(path, "expected an array")),
        }
    }

    fn date(&self, path: &str) -> Result<Date, Error> {
        let text = self.str(path)?;
        dates::parse_iso(text).ok_or_else(|| self.error(path, "expected a date YYYY-MM-DD"))
    }

    fn optional_date(&self, path: &str) -> Result<Option<Date>, Error> {
        match self.get(path) {
            None => Ok(None),
            Some(_) => self.date(path).map(Some),
        }
    }

    /// The `code` of the first coding of `path` (a CodeableConcept) in `system`.
    fn code_in(&self, path: &str, system: &str) -> Result<Option<&'a str>, Error> {
        let codings = self.array(&format!("{path}.coding"))?;
        for (i, coding) in codings.iter().enumerate() {
            if coding.get("system").and_then(Value::as_str) == Some(system) {
                return match coding.get("code") {
                    Some(Value::String(code)) => Ok(Some(code)),
                    _ => Err(self.error(&format!("{path}.coding.{i}.code"), "missing")),
                };
            }
        }
        Ok(None)
    }

    /// The extensions at `path` (`extension`, or `bodySite.0.extension`) with Kindred's `name`.
    fn extensions(&self, path: &str, name: &str) -> Result<Vec<(String, &'a Value)>, Error> {
        let url = extension_url(name);
        Ok(self
            .array(path)?
            .iter()
            .enumerate()
            .filter(|(_, extension)| extension.get("url").and_then(Value::as_str) == Some(&url))
            .map(|(i, extension)| (format!("{path}.{i}"), extension))
            .collect())
    }

    /// The `value[x]` of an extension found by [`At::extensions`].
    fn extension_value(
        &self,
        (path, extension): &(String, &'a Value),
        value_key: &str,
    ) -> Result<&'a Value, Error> {
        extension
            .get(value_key)
            .ok_or_else(|| self.error(&format!("{path}.{value_key}"), "missing"))
    }

    /// The text of the member's own annotation in `note`, or empty.
    fn member_note(&self) -> Result<String, Error> {
        for (i, note) in self.array("note")?.iter().enumerate() {
            let path = format!("note.{i}");
            let kinds = self.extensions(&format!("{path}.extension"), EXT_ANNOTATION_KIND)?;
            let is_member_note = kinds
                .iter()
                .any(|kind| kind.1.get("valueCode").and_then(Value::as_str) == Some(KIND_MEMBER_NOTE));
            if is_member_note {
                return match note.get("text") {
                    Some(Value::String(text)) => Ok(text.clone()),
                    _ => Err(self.error(&format!("{path}.text"), "missing")),
                };
            }
        }
        Ok(String::new())
    }

    fn string_extensions(&self, name: &str) -> Result<Vec<String>, Error> {
        self.extensions("extension", name)?
            .iter()
            .map(|extension| {
                self.extension_value(extension, "valueString").and_then(|value| {
                    value.as_str().map(str::to_owned).ok_or_else(|| {
                        self.error(&format!("{}.valueString", extension.0), "expected a string")
                    })
                })
            })
            .collect()
    }
}

fn read_patient(at: &At<'_>) -> Result<PatientPart, Error> {
    let mut handle = None;
    for (i, identifier) in at.array("identifier")?.iter().enumerate() {
        if identifier.get("system").and_then(Value::as_str) == Some(SYSTEM_MEMBER) {
            handle = Some(at.text_or_empty(&format!("identifier.{i}.value"))?);
        }
    }
    let handle = handle.ok_or_else(|| {
        at.error(
            "identifier",
            &format!("no identifier with system {SYSTEM_MEMBER}"),
        )
    })?;

    let due_extensions = at.extensions("extension", EXT_DUE)?;
    let Some((due_path, due_extension)) = due_extensions.first() else {
        return Err(at.error("extension", &format!("no {EXT_DUE} extension")));
    };
    let weeks = |name: &str| -> Result<u8, Error> {
        let path = format!("{due_path}.extension");
        let parts = due_extension
            .get("extension")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let (i, part) = parts
            .iter()
            .enumerate()
            .find(|(_, part)| part.get("url").and_then(Value::as_str) == Some(name))
            .ok_or_else(|| at.error(&path, &format!("no {name} extension")))?;
        let value = part
            .get("valueInteger")
            .and_then(Value::as_u64)
            .ok_or_else(|| at.error(&format!("{path}.{i}.valueInteger"), "missing"))?;
        u8::try_from(value)
            .map_err(|_| at.error(&format!("{path}.{i}.valueInteger"), "weeks must be 1 to 52"))
    };
    let due = DueSettings {
        min_weeks: weeks("min-weeks")?,
        max_weeks: weeks("max-weeks")?,
    };
    due.validate()
        .map_err(|e| at.error(&format!("{due_path}.extension"), &e.to_string()))?;
    let family_history = at
        .string_extensions(EXT_FAMILY_HISTORY)?
        .into_iter()
        .next()
        .unwrap_or_default();
    let questions = at.string_extensions(EXT_QUESTION)?;
    Ok(PatientPart {
        handle,
        due,
        family_history,
        questions,
    })
}

fn read_condition(at: &At<'_>) -> Result<TrackedCondition, Error> {
    let mut catalog_slug = String::new();
    for (i, identifier) in at.array("identifier")?.iter().enumerate() {
        if identifier.get("system").and_then(Value::as_str) == Some(SYSTEM_CATALOG_SLUG) {
            catalog_slug = at.text_or_empty(&format!("identifier.{i}.value"))?;
        }
    }
    Ok(TrackedCondition {
        name: at.text_or_empty("code.text")?,
        catalog_slug,
        icd10cm: at.code_in("code", SYSTEM_ICD10CM)?.map(str::to_owned),
    })
}

fn read_observation(
    at: &At<'_>,
    entries: &mut Vec<Entry>,
    entry_keys: &mut Vec<String>,
) -> Result<(), Error> {
    if at.code_in("code", SYSTEM_OBSERVATION)? != Some(SEVERITY_CODE) {
        return Err(at.error(
            "code.coding",
            &format!("not a Kindred {SEVERITY_CODE} observation"),
        ));
    }
    let mut key = None;
    for (i, identifier) in at.array("identifier")?.iter().enumerate() {
        if identifier.get("system").and_then(Value::as_str) == Some(SYSTEM_DIARY_ENTRY) {
            key = Some(at.str(&format!("identifier.{i}.value"))?);
        }
    }
    let key = key.ok_or_else(|| {
        at.error(
            "identifier",
            &format!("no identifier with system {SYSTEM_DIARY_ENTRY}"),
        )
    })?;
    let region_key = at
        .code_in("bodySite", SYSTEM_BODY_REGION)?
        .ok_or_else(|| at.error("bodySite.coding", "no Kindred body region"))?;
    let region = Region::from_key(region_key)
        .map_err(|_| at.error("bodySite.coding", &format!("unknown body region {region_key:?}")))?;
    let value = match at.get("valueInteger") {
        Some(Value::Number(number)) => number
            .as_i64()
            .ok_or_else(|| at.error("valueInteger", "expected an integer"))?,
        Some(_) => return Err(at.error("valueInteger", "expected an integer")),
        None => return Err(at.error("valueInteger", "missing")),
    };
    let severity = u8::try_from(value)
        .ok()
        .and_then(|value| Severity::new(value).ok())
        .ok_or_else(|| at.error("valueInteger", &format!("severity {value} is outside 0 to 10")))?;
    let date = at.date("effectiveDateTime")?;

    if let Some(idx) = entry_keys.iter().position(|known| known == key) {
        let entry = &mut entries[idx];
        if entry.date != date {
            return Err(at.error(
                "effectiveDateTime",
                &format!("{key} is dated {} elsewhere", dates::iso(entry.date)),
            ));
        }
        entry.severities.push((region, severity));
        return Ok(());
    }
    let triggers = at
        .extensions("extension", EXT_TRIGGER)?
        .iter()
        .map(|extension| {
            let path = format!("{}.valueCoding.code", extension.0);
            let code = extension
                .1
                .get("valueCoding")
                .and_then(|coding| coding.get("code"))
                .and_then(Value::as_str)
                .ok_or_else(|| at.error(&path, "missing"))?;
            Trigger::from_key(code).map_err(|_| at.error(&path, &format!("unknown trigger {code:?}")))
        })
        .collect::<Result<Vec<Trigger>, Error>>()?;
    entries.push(Entry {
        date,
        severities: vec![(region, severity)],
        triggers,
        note: at.member_note()?,
    });
    entry_keys.push(key.to_owned());
    Ok(())
}

fn read_medicine(at: &At<'_>) -> Result<Medicine, Error> {
    Ok(Medicine {
        name: at.text_or_empty("medicationCodeableConcept.text")?,
        dose_as_prescribed: at.text_or_empty("dosage.0.text")?,
        started: at.optional_date("effectivePeriod.start")?,
        stopped: at.optional_date("effectivePeriod.end")?,
        side_effects: at.string_extensions(EXT_SIDE_EFFECT)?,
    })
}

fn read_injection(at: &At<'_>) -> Result<Injection, Error> {
    let product_key = at
        .code_in("usedCode.0", SYSTEM_PRODUCT)?
        .ok_or_else(|| at.error("usedCode", "no Kindred product code"))?;
    let product = Product::from_key(product_key)
        .map_err(|_| at.error("usedCode", &format!("unknown product {product_key:?}")))?;
    let mut muscles = Vec::new();
    for i in 0..at.array("bodySite")?.len() {
        let units_extensions = at.extensions(&format!("bodySite.{i}.extension"), EXT_UNITS)?;
        let units = match units_extensions.first() {
            None => None,
            Some(extension) => Some(
                at.extension_value(extension, "valueDecimal")?
                    .as_f64()
                    .ok_or_else(|| at.error(&format!("{}.valueDecimal", extension.0), "expected a number"))?,
            ),
        };
        muscles.push(MuscleDose {
            muscle: at.text_or_empty(&format!("bodySite.{i}.text"))?,
            units,
        });
    }
    let side_effects = (0..at.array("complication")?.len())
        .map(|i| at.text_or_empty(&format!("complication.{i}.text")))
        .collect::<Result<Vec<String>, Error>>()?;
    Ok(Injection {
        date: at.date("performedDateTime")?,
        product,
        muscles,
        side_effects,
        note: at.member_note()?,
    })
}
