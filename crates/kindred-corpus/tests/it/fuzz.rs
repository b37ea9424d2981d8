//! Property tests (proptest) of every reader on hostile input: random bytes, and good files cut short,
//! spliced with markup, quotes, entities and control characters. Whatever the input, a reader returns
//! either documents free of control characters or an error naming the file, and never panics.
//!
//! Cases per property: `PROPTEST_CASES` (256 when unset; CI runs 20,000, see `.ci/run`). A failing case is
//! shrunk and printed; add it to `tests/corpus/reject` so it is replayed for ever.

use std::path::Path;

use kindred_corpus::{
    Document, Error, WebMetadata, parse_judged_csv, read_medquad_archive, read_medquad_xml, read_web_html,
    read_web_text,
};
use proptest::prelude::*;

const MEDQUAD: &str = include_str!("../corpus/accept/medquad.xml");
const JUDGED: &str = include_str!("../corpus/accept/judged.csv");
const PAGE_HTML: &str = include_str!("../corpus/accept/page.html");
const PAGE_TEXT: &str = include_str!("../corpus/accept/page.txt");

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256);
    ProptestConfig {
        cases,
        // Failures are reported with their shrunk input; nothing is written beside the sources.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Every text a document holds.
fn texts(document: &Document) -> Vec<String> {
    let mut texts = vec![
        document.id.0.clone(),
        document.title.clone(),
        document.publisher.clone(),
        document.origin.clone(),
    ];
    texts.extend(document.url.clone());
    texts.extend(document.focus.clone());
    texts.extend(document.synonyms.iter().cloned());
    texts.extend(document.removed.iter().cloned());
    for section in &document.sections {
        texts.extend(section.heading.clone());
        texts.extend(section.question.clone());
        for block in &section.blocks {
            texts.extend(block.statements().into_iter().map(str::to_owned));
            if let kindred_corpus::Block::Incomplete { text } = block {
                texts.push(text.clone());
            }
        }
    }
    texts
}

fn has_control(text: &str) -> bool {
    text.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
}

/// The outcome every reader must give: clean documents, or an error naming `name`.
fn check(name: &str, result: Result<Vec<Document>, Error>) -> Result<(), TestCaseError> {
    match result {
        Ok(documents) => {
            for document in &documents {
                for text in texts(document) {
                    prop_assert!(!has_control(&text), "control character in {text:?}");
                }
            }
        }
        Err(error) => {
            let message = error.to_string();
            prop_assert!(message.contains(name), "error does not name {name}: {message}");
        }
    }
    Ok(())
}

/// Pieces that break parsers: markup, quotes, entities, control characters, odd Unicode.
fn hostile_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("<".to_owned()),
        Just(">".to_owned()),
        Just("</".to_owned()),
        Just("/>".to_owned()),
        Just("\"".to_owned()),
        Just("'".to_owned()),
        Just(",".to_owned()),
        Just("\n".to_owned()),
        Just("\r".to_owned()),
        Just("&".to_owned()),
        Just("&amp;".to_owned()),
        Just("&bogus;".to_owned()),
        Just("&#27;".to_owned()),
        Just("&#x0;".to_owned()),
        Just("&#1114112;".to_owned()),
        Just("<![CDATA[x]]>".to_owned()),
        Just("<!-- c -->".to_owned()),
        Just("<!DOCTYPE x [<!ENTITY e \"boom\">]>".to_owned()),
        Just("<div>".to_owned()),
        Just("</div>".to_owned()),
        Just("<li>".to_owned()),
        Just("<ul>".to_owned()),
        Just("<table><tr><td>".to_owned()),
        Just("<h2>Causes</h2>".to_owned()),
        Just("<script>".to_owned()),
        Just("<Document id=\"1\" source=\"NINDS\">".to_owned()),
        Just("</Document>".to_owned()),
        Just("<Answer>".to_owned()),
        Just("</Answer>".to_owned()),
        Just("\u{0}".to_owned()),
        Just("\u{1b}[2J".to_owned()),
        Just("\u{9b}".to_owned()),
        Just("\u{feff}".to_owned()),
        Just("\u{202e}".to_owned()),
        Just("Ã©".to_owned()),
        "[a-zA-Z ]{0,12}".prop_map(|s| s),
        any::<char>().prop_map(String::from),
    ]
}

/// A good file with up to eight edits: a hostile piece inserted, a span deleted, or the file cut.
fn mutated(good: &'static str) -> impl Strategy<Value = Vec<u8>> {
    let edits = prop::collection::vec(
        (
            any::<prop::sample::Index>(),
            0usize..3,
            hostile_piece(),
            0usize..40,
        ),
        0..8,
    );
    edits.prop_map(move |edits| {
        let mut bytes = good.as_bytes().to_vec();
        for (at, kind, piece, len) in edits {
            let at = at.index(bytes.len() + 1);
            match kind {
                0 => {
                    bytes.splice(at..at, piece.into_bytes());
                }
                1 => {
                    let end = (at + len).min(bytes.len());
                    bytes.drain(at..end);
                }
                _ => bytes.truncate(at),
            }
        }
        bytes
    })
}

/// Random bytes, or a mutated good file.
fn input(good: &'static str) -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        1 => prop::collection::vec(any::<u8>(), 0..512),
        4 => mutated(good),
    ]
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn medquad_xml_never_panics(bytes in input(MEDQUAD)) {
        let path = Path::new("fuzz.xml");
        check("fuzz.xml", read_medquad_xml(path, "fuzz.xml", &bytes).map(|d| vec![d]))?;
    }

    #[test]
    fn judged_csv_never_panics(bytes in input(JUDGED)) {
        let result = parse_judged_csv(Path::new("fuzz.csv"), bytes);
        match result {
            Ok(answers) => {
                for answer in answers {
                    prop_assert!(!answer.text.is_empty());
                    prop_assert!(!has_control(&answer.text), "{:?}", answer.text);
                    prop_assert!(!has_control(&answer.answer_id), "{:?}", answer.answer_id);
                }
            }
            Err(error) => {
                let message = error.to_string();
                prop_assert!(message.contains("fuzz.csv"), "{message}");
            }
        }
    }

    #[test]
    fn web_html_never_panics(bytes in input(PAGE_HTML)) {
        let path = Path::new("fuzz.html");
        check("fuzz.html", read_web_html(path, &lossy(&bytes), &WebMetadata::default()).map(|d| vec![d]))?;
    }

    #[test]
    fn web_text_never_panics(bytes in input(PAGE_TEXT)) {
        let path = Path::new("fuzz.txt");
        check("fuzz.txt", read_web_text(path, &lossy(&bytes), &WebMetadata::default()).map(|d| vec![d]))?;
    }

    #[test]
    fn medquad_archive_never_panics(flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..6), cut in any::<prop::sample::Index>()) {
        let mut bytes = archive();
        for (at, byte) in flips {
            let at = at.index(bytes.len());
            bytes[at] = byte;
        }
        if bytes.len() > 64 {
            bytes.truncate(64 + cut.index(bytes.len() - 63));
        }
        let path = Path::new("fuzz.tar.gz");
        check("fuzz.tar.gz", read_medquad_archive(bytes.as_slice(), path, &mut |_| {}))?;
    }
}

/// Every prefix of a MedQuAD document that ends before its `</Document>` is complete is refused (all
/// of them: the file is small enough to try every cut).
#[test]
fn medquad_xml_cut_short_is_refused() {
    let complete = MEDQUAD.trim_end().len();
    for cut in (0..complete).filter(|i| MEDQUAD.is_char_boundary(*i)) {
        let result = read_medquad_xml(Path::new("cut.xml"), "cut.xml", &MEDQUAD.as_bytes()[..cut]);
        assert!(result.is_err(), "a file cut at byte {cut} was read");
    }
}

/// Every prefix of a judged-answers CSV that ends inside a quoted field is refused.
#[test]
fn judged_csv_cut_inside_a_quoted_field_is_refused() {
    for cut in (0..JUDGED.len()).filter(|i| JUDGED.is_char_boundary(*i)) {
        let prefix = &JUDGED[..cut];
        // Inside a quoted field exactly when an odd number of quotes came before.
        if prefix.matches('"').count() % 2 == 1 {
            let result = parse_judged_csv(Path::new("cut.csv"), prefix.as_bytes().to_vec());
            assert!(
                result.is_err(),
                "a file cut at byte {cut} inside a quoted field was read"
            );
        }
    }
}

/// A small good archive: two MedQuAD documents in MedQuAD's layout.
fn archive() -> Vec<u8> {
    let mut builder = tar::Builder::new(flate2::write::GzEncoder::new(
        Vec::new(),
        flate2::Compression::fast(),
    ));
    for name in ["medquad/6_NINDS_QA/a.xml", "medquad/6_NINDS_QA/b.xml"] {
        let mut header = tar::Header::new_gnu();
        header.set_size(MEDQUAD.len() as u64);
        header.set_mode(0o644);
        builder
            .append_data(&mut header, name, MEDQUAD.as_bytes())
            .unwrap();
    }
    builder.into_inner().unwrap().finish().unwrap()
}
