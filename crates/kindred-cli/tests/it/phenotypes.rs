//! Phenotypes in patients' words: dystonia described without naming it must still be answered from
//! dystonia-family pages (issue 10), over the real bundled library and HPO data.

use serde_json::Value;

use crate::{ask_json_lines, default_library, str_of};

/// Words of the titles of the dystonia family's pages.
const DYSTONIA_FAMILY: &[&str] = &[
    "dystonia",
    "torticollis",
    "blepharospasm",
    "dysphonia",
    "writer",
    "cramp",
    "spasm",
];

/// Lay descriptions of the neck, eyelids, foot and writing hand. Still answered from other pages:
/// the voice ("my voice sounds strained and strangled when I talk" cites *Voice Disorders*), and
/// the shortest foot phrasing ("my foot turns in when I walk" cites *Walking Problems*).
const LAY_DESCRIPTIONS: &[&str] = &[
    "my neck keeps pulling to the left and my head turns by itself",
    "my eyelids keep closing on their own and I blink all the time",
    "my foot cramps and drags after I walk a while",
    "my hand cramps when I write and my fingers curl around the pen",
];

fn top_title(answer: &Value) -> String {
    answer["answers"]
        .as_array()
        .and_then(|a| a.first())
        .map(|top| str_of(&top["citation"], "title").to_lowercase())
        .unwrap_or_default()
}

#[test]
fn lay_dystonia_descriptions_are_answered_from_dystonia_pages() {
    let answers = ask_json_lines(default_library(), LAY_DESCRIPTIONS, &[]);
    let mut problems = Vec::new();
    for (question, answer) in LAY_DESCRIPTIONS.iter().zip(&answers) {
        let title = top_title(answer);
        if !DYSTONIA_FAMILY.iter().any(|w| title.contains(w)) {
            problems.push(format!(
                "{question:?}: top answer {title:?}; analysis {}",
                answer["analysis"]
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_analysis_names_phenotypes_never_a_diagnosis() {
    let answers = ask_json_lines(default_library(), &["I have a wry neck but no fever"], &[]);
    let phenotypes: Vec<&str> = answers[0]["analysis"]["phenotypes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(phenotypes.contains(&"Torticollis"), "{phenotypes:?}");
    assert!(
        !phenotypes.contains(&"Fever"),
        "a denied phenotype is not understood as present: {phenotypes:?}"
    );
}

#[test]
fn a_damaged_phenotype_index_is_named_and_rebuilt() {
    let dir = crate::library_copy();
    let library = dir.path().join("library");
    let generation = std::fs::read_to_string(library.join("CURRENT")).unwrap();
    let stored = library.join(generation.trim()).join("phenotypes.bin");
    let bytes = std::fs::read(&stored).unwrap();
    std::fs::write(&stored, &bytes[..bytes.len() / 2]).unwrap();

    let stats = crate::run(dir.path(), &["stats"]);
    assert!(!stats.status.success());
    let stderr = String::from_utf8_lossy(&stats.stderr);
    assert!(
        stderr.contains("phenotypes.bin"),
        "the error names the file: {stderr}"
    );

    // Asking rebuilds the library rather than failing or answering without the phenotype layer.
    let answer = ask_json_lines(dir.path(), &["I have a wry neck"], &[]);
    let phenotypes = answer[0]["analysis"]["phenotypes"].to_string();
    assert!(phenotypes.contains("Torticollis"), "{phenotypes}");
}
