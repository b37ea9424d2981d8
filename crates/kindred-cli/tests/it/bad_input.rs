//! Malformed sources are refused with a message naming the file, and leave the library untouched;
//! a good one is added once.

use std::path::Path;
use std::process::Output;

use crate::{
    ask_json, default_library_stats, library_copy, run, stats_json, stats_json_text, success, temp_dir,
};

/// A valid MedQuAD document (the sample of `kindred-corpus`' own tests).
const NINDS_SAMPLE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Document id="0000112" source="NINDS" url="http://www.ninds.nih.gov/disorders/dystonias/dystonias.htm">
<Focus>Dystonias</Focus>
<FocusAnnotations><UMLS><CUIs><CUI>C0013421</CUI></CUIs><SemanticTypes><SemanticType>T047</SemanticType></SemanticTypes><SemanticGroup>Disorders</SemanticGroup></UMLS>
<Synonyms><Synonym>Dystonia</Synonym></Synonyms></FocusAnnotations>
<QAPairs>
<QAPair pid="1"><Question qid="0000112-1" qtype="information">What is (are) Dystonias ?</Question><Answer>Dystonias are movement disorders &amp; more.</Answer></QAPair>
<QAPair pid="2"><Question qid="0000112-2" qtype="treatment">What are the treatments for Dystonias ?</Question><Answer>There is no cure.</Answer></QAPair>
</QAPairs></Document>"#;

/// A MedQuAD document about a condition no other document names.
pub(crate) const KINDRED_TEST_SYNDROME: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Document id="9999999" source="NINDS" url="http://www.ninds.nih.gov/disorders/kindred_test/kindred_test.htm">
<Focus>Kindred test syndrome</Focus>
<FocusAnnotations><Synonyms><Synonym>Kindred syndrome</Synonym></Synonyms></FocusAnnotations>
<QAPairs>
<QAPair pid="1"><Question qid="9999999-1" qtype="information">What is (are) Kindred test syndrome ?</Question><Answer>Kindred test syndrome is a made-up movement disorder that exists only to test how Kindred ingests a MedQuAD document.</Answer></QAPair>
<QAPair pid="2"><Question qid="9999999-2" qtype="treatment">What are the treatments for Kindred test syndrome ?</Question><Answer>Treatment for Kindred test syndrome is zorbulation therapy, given twice a week by a specialist.</Answer></QAPair>
</QAPairs></Document>"#;

/// What must not change when an ingest fails.
#[derive(Debug, PartialEq)]
struct Snapshot {
    stats: String,
    current: String,
    entries: Vec<String>,
}

fn snapshot(data_dir: &Path, stats: String) -> Snapshot {
    let library = data_dir.join("library");
    let mut entries: Vec<String> = std::fs::read_dir(&library)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    entries.sort();
    Snapshot {
        stats,
        current: std::fs::read_to_string(library.join("CURRENT")).unwrap(),
        entries,
    }
}

/// Ingesting `path` into a copy of the default library fails, names `name` on stderr, and leaves the
/// library as it was.
pub(crate) fn assert_rejected_path(path: &Path, name: &str) {
    assert_rejected_by(name, |data_dir| {
        run(data_dir, &["ingest", path.to_str().unwrap()])
    });
}

/// Runs `ingest` (through `run_ingest`, given the data directory) on a copy of the default library:
/// it must fail, name `name` on stderr, and leave the library as it was. Returns its stderr.
pub(crate) fn assert_rejected_by(name: &str, run_ingest: impl FnOnce(&Path) -> Output) -> String {
    let data = library_copy();
    // A fresh copy's stats are the default library's (computed once rather than per test).
    let before = snapshot(data.path(), default_library_stats().to_owned());
    let output = run_ingest(data.path());
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(
        !output.status.success(),
        "ingest of {name} succeeded\nstdout:\n{}\nstderr:\n{stderr}",
        String::from_utf8_lossy(&output.stdout)
    );
    assert!(
        output.status.code().is_some(),
        "ingest of {name} was killed by a signal ({}):\n{stderr}",
        output.status
    );
    assert!(
        !stderr.contains("panicked"),
        "ingest of {name} panicked:\n{stderr}"
    );
    assert!(stderr.contains(name), "stderr does not name {name}:\n{stderr}");
    let after = snapshot(data.path(), stats_json_text(data.path()));
    assert_eq!(before, after, "a failed ingest of {name} changed the library");
    stderr
}

/// Writes `contents` as `name` and checks that ingesting it is rejected.
pub(crate) fn assert_rejected(name: &str, contents: &[u8]) {
    let input = temp_dir();
    let path = input.path().join(name);
    std::fs::write(&path, contents).unwrap();
    assert_rejected_path(&path, name);
}

#[test]
fn truncated_medquad_xml() {
    let cut = &NINDS_SAMPLE[..NINDS_SAMPLE.len() / 2];
    assert_rejected("truncated.xml", cut.as_bytes());
}

#[test]
fn binary_xml() {
    // Deterministic pseudo-random bytes (xorshift), with NULs among them.
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut bytes: Vec<u8> = (0..4096)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect();
    bytes[0] = 0;
    bytes[100] = 0;
    bytes[2000] = 0;
    assert_rejected("random.xml", &bytes);
}

#[test]
fn empty_txt() {
    assert_rejected("empty.txt", b"");
}

#[test]
fn empty_csv() {
    assert_rejected("empty.csv", b"");
}

#[test]
fn utf16_txt() {
    let text = "Dystonia\n\nDystonia is a movement disorder. Caf\u{e9} r\u{e9}sum\u{e9}.\n";
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    assert_rejected("utf16.txt", &bytes);
}

#[test]
fn latin1_txt() {
    let bytes = b"Dystonia\n\nDystonia is a movement disorder. Caf\xe9 r\xe9sum\xe9, na\xefve.\n";
    assert_rejected("latin1.txt", bytes);
}

#[test]
fn judged_csv_with_unknown_ids() {
    assert_rejected(
        "unknown_ids.csv",
        b"AnswerID,Answer\nADAM_9999999_Sec1.txt,\"Question: x\nURL: y\nAnswer: z\"\n",
    );
}

#[test]
fn csv_with_wrong_header() {
    assert_rejected(
        "wrong_header.csv",
        b"Id,Text\nGHR_0000148_Sec1.txt,\"Question: x\nURL: y\nAnswer: z\"\n",
    );
}

#[test]
fn unsupported_extension() {
    assert_rejected(
        "leaflet.pdf",
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< >>\nendobj\n",
    );
}

#[test]
fn nonexistent_path() {
    let input = temp_dir();
    let path = input.path().join("no_such_file.xml");
    assert_rejected_path(&path, "no_such_file.xml");
}

#[test]
fn good_medquad_xml_is_added_once() {
    let data = library_copy();
    let input = temp_dir();
    let path = input.path().join("kindred_test.xml");
    std::fs::write(&path, KINDRED_TEST_SYNDROME).unwrap();
    let path = path.to_str().unwrap();

    let before: serde_json::Value = serde_json::from_str(default_library_stats()).unwrap();
    success(&run(data.path(), &["ingest", path]), "ingest of kindred_test.xml");
    let after = stats_json(data.path());
    assert_eq!(
        after["n_documents"].as_u64().unwrap(),
        before["n_documents"].as_u64().unwrap() + 1,
        "document count after adding one document"
    );

    let answer = ask_json(
        data.path(),
        "what is the treatment for kindred test syndrome",
        &[],
    );
    let answers = answer["answers"].as_array().unwrap();
    assert!(
        answers
            .iter()
            .any(|a| a["id"].as_str().unwrap().starts_with("NINDS_9999999_Sec")),
        "the new document is not cited: {answer:#}"
    );
    let top = &answers[0];
    assert_eq!(top["citation"]["document"], "NINDS_9999999", "{answer:#}");
    assert_eq!(top["citation"]["section"], "treatment", "{answer:#}");

    success(
        &run(data.path(), &["ingest", path]),
        "second ingest of kindred_test.xml",
    );
    let again = stats_json(data.path());
    assert_eq!(
        again["n_documents"], after["n_documents"],
        "ingesting the same file twice duplicated it"
    );
    assert_eq!(again["n_passages"], after["n_passages"]);
    assert_eq!(
        again["sources"].as_array().unwrap().len(),
        after["sources"].as_array().unwrap().len()
    );
}
