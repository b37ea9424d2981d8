//! Tracker data to a FHIR R4 Bundle (see the parent module for the mapping).

use serde_json::{Map, Value, json};
use time::OffsetDateTime;

use super::*;
use crate::{
    dates,
    diary::Entry,
    injection::{DueSettings, Injection},
    medicine::Medicine,
};

/// Exports `data` as a FHIR R4 Bundle of type `collection`, stamped with `generated_at`
/// (truncated to whole seconds). Pass data that passes [`TrackerData::validate`]: the export
/// writes what it is given, and empty texts are left out.
pub fn to_fhir_bundle(data: &TrackerData, generated_at: OffsetDateTime) -> Value {
    let ids = Ids {
        handle: &data.member_handle,
    };
    let patient_id = ids.id("patient", 0);
    let patient_ref = json!({ "reference": format!("urn:uuid:{patient_id}") });
    let mut entries = vec![bundle_entry(&patient_id, patient(data))];
    for (i, condition) in data.conditions.iter().enumerate() {
        let id = ids.id("condition", i);
        entries.push(bundle_entry(&id, self::condition(condition, &patient_ref)));
    }
    for (entry_idx, entry) in data.entries.iter().enumerate() {
        for severity_idx in 0..entry.severities.len() {
            let id = ids.id(&format!("entry-{entry_idx}"), severity_idx);
            entries.push(bundle_entry(
                &id,
                observation(entry, entry_idx, severity_idx, &patient_ref),
            ));
        }
    }
    for (i, medicine) in data.medicines.iter().enumerate() {
        let id = ids.id("medicine", i);
        entries.push(bundle_entry(&id, medication_statement(medicine, &patient_ref)));
    }
    for (i, injection) in data.injections.iter().enumerate() {
        let id = ids.id("injection", i);
        entries.push(bundle_entry(&id, procedure(injection, &patient_ref)));
    }
    json!({
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": instant(generated_at),
        "entry": entries,
    })
}

/// Deterministic ids: a 128-bit hash of the handle, the kind of record and its position, laid
/// out as a UUID (version 8, "custom", of RFC 9562).
struct Ids<'a> {
    handle: &'a str,
}

impl Ids<'_> {
    fn id(&self, kind: &str, idx: usize) -> String {
        let key = format!("kindred\u{0}{}\u{0}{kind}\u{0}{idx}", self.handle);
        let high = fnv1a(0xcbf2_9ce4_8422_2325, key.as_bytes());
        let low = fnv1a(0x6c62_272e_07bb_0142, key.as_bytes());
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&high.to_be_bytes());
        bytes[8..].copy_from_slice(&low.to_be_bytes());
        bytes[6] = (bytes[6] & 0x0f) | 0x80; // version 8
        bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 9562 variant
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        format!(
            "{}-{}-{}-{}-{}",
            &hex[..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..]
        )
    }
}

fn fnv1a(offset_basis: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(offset_basis, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

fn bundle_entry(id: &str, mut resource: Value) -> Value {
    if let Some(object) = resource.as_object_mut() {
        object.insert("id".into(), id.into());
    }
    json!({ "fullUrl": format!("urn:uuid:{id}"), "resource": resource })
}

/// `2024-05-01T10:00:00Z`: an R4 `instant`, to the second, in UTC.
fn instant(at: OffsetDateTime) -> String {
    let utc = at.to_offset(time::UtcOffset::UTC);
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        dates::iso(utc.date()),
        utc.hour(),
        utc.minute(),
        utc.second()
    )
}

fn patient(data: &TrackerData) -> Value {
    let mut extensions = vec![due_extension(&data.due)];
    if !data.family_history.is_empty() {
        extensions.push(json!({
            "url": extension_url(EXT_FAMILY_HISTORY),
            "valueString": data.family_history,
        }));
    }
    for question in &data.questions {
        if !question.is_empty() {
            extensions.push(json!({
                "url": extension_url(EXT_QUESTION),
                "valueString": question,
            }));
        }
    }
    let mut identifier = Map::new();
    identifier.insert("system".into(), SYSTEM_MEMBER.into());
    put_text(&mut identifier, "value", &data.member_handle);
    json!({
        "resourceType": "Patient",
        "extension": extensions,
        "identifier": [identifier],
    })
}

fn due_extension(due: &DueSettings) -> Value {
    json!({
        "url": extension_url(EXT_DUE),
        "extension": [
            { "url": "min-weeks", "valueInteger": due.min_weeks },
            { "url": "max-weeks", "valueInteger": due.max_weeks },
        ],
    })
}

fn condition(condition: &TrackedCondition, patient_ref: &Value) -> Value {
    let mut resource = Map::new();
    resource.insert("resourceType".into(), "Condition".into());
    if !condition.catalog_slug.is_empty() {
        resource.insert(
            "identifier".into(),
            json!([{ "system": SYSTEM_CATALOG_SLUG, "value": condition.catalog_slug }]),
        );
    }
    resource.insert(
        "clinicalStatus".into(),
        json!({ "coding": [{ "system": CONDITION_CLINICAL, "code": "active", "display": "Active" }] }),
    );
    let mut code = Map::new();
    if let Some(icd) = &condition.icd10cm {
        let mut coding = Map::new();
        coding.insert("system".into(), SYSTEM_ICD10CM.into());
        put_text(&mut coding, "code", icd);
        if let Some(display) = icd10cm_display(icd) {
            coding.insert("display".into(), display.into());
        }
        code.insert("coding".into(), json!([coding]));
    }
    put_text(&mut code, "text", &condition.name);
    resource.insert("code".into(), code.into());
    resource.insert("subject".into(), patient_ref.clone());
    resource.insert("asserter".into(), patient_ref.clone());
    resource.into()
}

fn observation(entry: &Entry, entry_idx: usize, severity_idx: usize, patient_ref: &Value) -> Value {
    let (region, severity) = entry.severities[severity_idx];
    let mut resource = Map::new();
    resource.insert("resourceType".into(), "Observation".into());
    if !entry.triggers.is_empty() {
        let triggers: Vec<Value> = entry
            .triggers
            .iter()
            .map(|trigger| {
                json!({
                    "url": extension_url(EXT_TRIGGER),
                    "valueCoding": {
                        "system": SYSTEM_TRIGGER,
                        "code": trigger.key(),
                        "display": trigger.label(),
                    },
                })
            })
            .collect();
        resource.insert("extension".into(), triggers.into());
    }
    resource.insert(
        "identifier".into(),
        json!([{ "system": SYSTEM_DIARY_ENTRY, "value": format!("entry-{entry_idx}") }]),
    );
    resource.insert("status".into(), "final".into());
    resource.insert(
        "category".into(),
        json!([{ "coding": [{ "system": OBSERVATION_CATEGORY, "code": "survey", "display": "Survey" }] }]),
    );
    resource.insert(
        "code".into(),
        json!({
            "coding": [{
                "system": SYSTEM_OBSERVATION,
                "code": SEVERITY_CODE,
                "display": "Dystonia severity",
            }],
            "text": format!("Dystonia severity, {}", region.label()),
        }),
    );
    resource.insert("subject".into(), patient_ref.clone());
    resource.insert("effectiveDateTime".into(), dates::iso(entry.date).into());
    resource.insert("performer".into(), json!([patient_ref]));
    resource.insert("valueInteger".into(), severity.get().into());
    let mut notes = Vec::new();
    if !entry.triggers.is_empty() {
        let labels: Vec<String> = entry
            .triggers
            .iter()
            .map(|trigger| trigger.label().to_lowercase())
            .collect();
        notes.push(annotation(
            KIND_SUMMARY,
            &format!("Made worse by, as the member marked it: {}.", labels.join(", ")),
        ));
    }
    if !entry.note.is_empty() {
        notes.push(annotation(KIND_MEMBER_NOTE, &entry.note));
    }
    if !notes.is_empty() {
        resource.insert("note".into(), notes.into());
    }
    resource.insert(
        "bodySite".into(),
        json!({
            "coding": [{ "system": SYSTEM_BODY_REGION, "code": region.key(), "display": region.label() }],
            "text": region.label(),
        }),
    );
    resource.into()
}

fn medication_statement(medicine: &Medicine, patient_ref: &Value) -> Value {
    let mut resource = Map::new();
    resource.insert("resourceType".into(), "MedicationStatement".into());
    let side_effects: Vec<Value> = medicine
        .side_effects
        .iter()
        .filter(|side_effect| !side_effect.is_empty())
        .map(|side_effect| json!({ "url": extension_url(EXT_SIDE_EFFECT), "valueString": side_effect }))
        .collect();
    if !side_effects.is_empty() {
        resource.insert("extension".into(), side_effects.into());
    }
    let status = if medicine.stopped.is_some() {
        "completed"
    } else {
        "active"
    };
    resource.insert("status".into(), status.into());
    let mut medication = Map::new();
    put_text(&mut medication, "text", &medicine.name);
    resource.insert("medicationCodeableConcept".into(), medication.into());
    resource.insert("subject".into(), patient_ref.clone());
    if medicine.started.is_some() || medicine.stopped.is_some() {
        let mut period = Map::new();
        if let Some(started) = medicine.started {
            period.insert("start".into(), dates::iso(started).into());
        }
        if let Some(stopped) = medicine.stopped {
            period.insert("end".into(), dates::iso(stopped).into());
        }
        resource.insert("effectivePeriod".into(), period.into());
    }
    resource.insert("informationSource".into(), patient_ref.clone());
    if !medicine.side_effects.is_empty() {
        resource.insert(
            "note".into(),
            json!([annotation(
                KIND_SUMMARY,
                &format!(
                    "Side effects the member noticed: {}.",
                    medicine.side_effects.join("; ")
                ),
            )]),
        );
    }
    if !medicine.dose_as_prescribed.is_empty() {
        resource.insert("dosage".into(), json!([{ "text": medicine.dose_as_prescribed }]));
    }
    resource.into()
}

fn procedure(injection: &Injection, patient_ref: &Value) -> Value {
    let mut resource = Map::new();
    resource.insert("resourceType".into(), "Procedure".into());
    resource.insert("status".into(), "completed".into());
    resource.insert("code".into(), json!({ "text": INJECTION_TEXT }));
    resource.insert("subject".into(), patient_ref.clone());
    resource.insert("performedDateTime".into(), dates::iso(injection.date).into());
    if !injection.muscles.is_empty() {
        let sites: Vec<Value> = injection
            .muscles
            .iter()
            .map(|dose| {
                let mut site = Map::new();
                if let Some(units) = dose.units {
                    site.insert(
                        "extension".into(),
                        json!([{ "url": extension_url(EXT_UNITS), "valueDecimal": units }]),
                    );
                }
                put_text(&mut site, "text", &dose.muscle);
                Value::from(site)
            })
            .collect();
        resource.insert("bodySite".into(), sites.into());
    }
    let mut notes = vec![annotation(KIND_SUMMARY, &injection_summary(injection))];
    if !injection.note.is_empty() {
        notes.push(annotation(KIND_MEMBER_NOTE, &injection.note));
    }
    resource.insert("note".into(), notes.into());
    let complications: Vec<Value> = injection
        .side_effects
        .iter()
        .filter(|side_effect| !side_effect.is_empty())
        .map(|side_effect| json!({ "text": side_effect }))
        .collect();
    if !complications.is_empty() {
        resource.insert("complication".into(), complications.into());
    }
    resource.insert(
        "usedCode".into(),
        json!([{
            "coding": [{
                "system": SYSTEM_PRODUCT,
                "code": injection.product.key(),
                "display": injection.product.label(),
            }],
            "text": injection.product.label(),
        }]),
    );
    resource.into()
}

/// `Product: onabotulinumtoxinA (Botox). Units as recorded by the clinician: Left splenius
/// capitis 50; Right trapezius not recorded.`
fn injection_summary(injection: &Injection) -> String {
    let mut text = format!("Product: {}.", injection.product.label());
    if !injection.muscles.is_empty() {
        let doses: Vec<String> = injection
            .muscles
            .iter()
            .map(|dose| match dose.units {
                Some(units) => format!("{} {units}", dose.muscle),
                None => format!("{} not recorded", dose.muscle),
            })
            .collect();
        text.push_str(&format!(
            " Units as recorded by the clinician: {}.",
            doses.join("; ")
        ));
    }
    text
}

fn annotation(kind: &str, text: &str) -> Value {
    json!({
        "extension": [{ "url": extension_url(EXT_ANNOTATION_KIND), "valueCode": kind }],
        "text": text,
    })
}

/// Inserts `key: text` unless `text` is empty (FHIR strings may not be empty).
fn put_text(object: &mut Map<String, Value>, key: &str, text: &str) {
    if !text.is_empty() {
        object.insert(key.into(), text.into());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_uuids_stable_and_distinct() {
        let ids = Ids { handle: "calm-heron" };
        let a = ids.id("patient", 0);
        assert_eq!(a, ids.id("patient", 0));
        assert_ne!(a, ids.id("patient", 1));
        assert_ne!(a, Ids { handle: "other" }.id("patient", 0));
        assert_eq!(a.len(), 36);
        let parts: Vec<&str> = a.split('-').collect();
        assert_eq!(
            parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12]
        );
        assert!(parts[2].starts_with('8'), "{a}");
        assert!(matches!(parts[3].chars().next(), Some('8' | '9' | 'a' | 'b')));
    }

    #[test]
    fn instants_are_utc_seconds() {
        let at = time::macros::datetime!(2024-05-01 12:30:15.75 +02:00);
        assert_eq!(instant(at), "2024-05-01T10:30:15Z");
    }
}
