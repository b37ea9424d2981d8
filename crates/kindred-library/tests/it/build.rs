//! Building a library from source data: passages and their ids, judged answers, copies, counts.
//!
//! Passage lists are compared through [`render_passages`]; refresh the snapshots with
//! `UPDATE_EXPECT=1 cargo test -p kindred-library` and read the diff.

use std::path::Path;

use expect_test::{Expect, expect};
use kindred_corpus::{Block, Document, DocumentId, JudgedAnswer, SectionKind};
use kindred_library::{Error, Library, LibraryStats, PassageId, SourceData, SourceKind, SourceRecord};

use crate::{medquad, page_section, pair, paragraph, strings, web};

const NINDS_XML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Document id="0000112" source="NINDS" url="https://www.ninds.nih.gov/dystonias">
<Focus>Dystonias</Focus>
<FocusAnnotations><UMLS><CUIs><CUI>C0013421</CUI></CUIs><SemanticTypes><SemanticType>T047</SemanticType></SemanticTypes><SemanticGroup>Disorders</SemanticGroup></UMLS>
<Synonyms><Synonym>Dystonia</Synonym></Synonyms></FocusAnnotations>
<QAPairs>
<QAPair pid="1"><Question qid="0000112-1" qtype="information">What is (are) Dystonias ?</Question><Answer>Dystonias are movement disorders in which sustained muscle contractions cause twisting.</Answer></QAPair>
<QAPair pid="2"><Question qid="0000112-2" qtype="treatment">What are the treatments for Dystonias ?</Question><Answer></Answer></QAPair>
<QAPair pid="4"><Question qid="0000112-4" qtype="outlook">What is the outlook for Dystonias ?</Question><Answer>The outlook varies with the form of dystonia.</Answer></QAPair>
</QAPairs></Document>"#;

fn ninds_dystonias() -> Document {
    kindred_corpus::read_medquad_xml(Path::new("0000112.xml"), "0000112.xml", NINDS_XML.as_bytes()).unwrap()
}

fn source(id: &str, kind: SourceKind, documents: Vec<Document>) -> SourceData {
    SourceData {
        record: SourceRecord {
            id: id.to_owned(),
            kind,
            ingested_at: "2025-01-01T00:00:00Z".to_owned(),
            n_items: documents.len(),
        },
        documents,
        judged: Vec::new(),
    }
}

fn judged(id: &str, answers: &[(&str, &str)]) -> SourceData {
    SourceData {
        judged: answers
            .iter()
            .map(|(answer_id, text)| JudgedAnswer {
                answer_id: (*answer_id).to_owned(),
                text: (*text).to_owned(),
            })
            .collect(),
        ..source(id, SourceKind::JudgedAnswers, Vec::new())
    }
}

/// One line per passage: `id [section] <- copy_of @source/document/condition: heading`, then its text
/// quoted (so that the blank line between a section's blocks shows as `\n\n`).
fn render_passages(library: &Library) -> String {
    let mut out = String::new();
    for passage in &library.passages {
        let copy_of = passage
            .copy_of
            .as_ref()
            .map(|c| format!(" <- {}", c.0))
            .unwrap_or_default();
        let condition = passage
            .condition
            .and_then(|c| library.catalog.get(c))
            .map(|c| c.slug.as_str())
            .unwrap_or("-");
        let document = &library.documents[passage.document_idx as usize];
        assert_eq!(document.id, passage.document);
        out.push_str(&format!(
            "{} [{}]{copy_of} @{}/{}/{condition}: {}\n  {:?}\n",
            passage.id.0,
            passage.section.as_str(),
            passage.source,
            passage.document,
            passage.heading.as_deref().unwrap_or("-"),
            library.text_of(passage),
        ));
    }
    out
}

fn check(sources: &[SourceData], expect: Expect) -> Library {
    let library = Library::build(sources).unwrap();
    expect.assert_eq(&render_passages(&library));
    library
}

#[test]
fn medquad_pairs_become_passages_named_by_answer_id() {
    // The empty second pair gives no passage; the third keeps its positional id `Sec3` (its `pid`
    // is 4).
    let library = check(
        &[source("medquad", SourceKind::Medquad, vec![ninds_dystonias()])],
        expect![[r#"
            NINDS_0000112_Sec1 [overview] @medquad/NINDS_0000112/dystonias: What is (are) Dystonias ?
              "Dystonias are movement disorders in which sustained muscle contractions cause twisting."
            NINDS_0000112_Sec3 [outlook] @medquad/NINDS_0000112/dystonias: What is the outlook for Dystonias ?
              "The outlook varies with the form of dystonia."
        "#]],
    );
    assert_eq!(library.passages[1].qtype.as_deref(), Some("outlook"));
    assert_eq!(library.documents[0].source, "medquad");
}

#[test]
fn page_sections_become_passages_numbered_by_section() {
    // A section with only an incomplete list intro gives no passage and takes no number; within a
    // section, paragraphs and lists join into one passage and the dangling intro is dropped.
    let page = Document {
        sections: vec![
            page_section(
                SectionKind::Overview,
                "Overview",
                vec![paragraph("Dystonia is a movement disorder.")],
            ),
            page_section(
                SectionKind::Symptoms,
                "Symptoms",
                vec![Block::Incomplete {
                    text: "Muscle spasms might:".into(),
                }],
            ),
            page_section(
                SectionKind::Treatment,
                "Treatment",
                vec![
                    paragraph("Injections of botulinum toxin can help."),
                    Block::Incomplete {
                        text: "Side effects might include:".into(),
                    },
                    Block::List {
                        intro: Some("Medications include:".into()),
                        items: strings(&["Carbidopa-levodopa.", "Trihexyphenidyl;", "Baclofen"]),
                    },
                    paragraph("   "),
                ],
            ),
        ],
        ..web("web:mayo-dystonia", "Dystonia")
    };
    let library = check(
        &[source("seeds", SourceKind::Web, vec![page])],
        expect![[r#"
        web:mayo-dystonia-s1 [overview] @seeds/web:mayo-dystonia/dystonia: Overview
          "Dystonia is a movement disorder."
        web:mayo-dystonia-s2 [treatment] @seeds/web:mayo-dystonia/dystonia: Treatment
          "Injections of botulinum toxin can help.\n\nMedications include: Carbidopa-levodopa; Trihexyphenidyl; Baclofen."
    "#]],
    );
    for passage in &library.passages {
        assert!(!library.text_of(passage).contains("might"), "{passage:?}");
    }
}

#[test]
fn equal_passage_texts_point_to_the_first() {
    // Two MedQuAD documents with the same answer: the second is a copy of the first. Texts that
    // differ in one word are not copies.
    let first = Document {
        sections: vec![pair(
            "GARD_0000001_Sec1",
            "What causes Focal dystonia ?",
            "The cause of this condition is not known.",
        )],
        ..medquad("GARD_0000001", "Focal dystonia")
    };
    let second = Document {
        sections: vec![
            pair(
                "GARD_0000002_Sec1",
                "What causes Cervical dystonia ?",
                "The cause of this condition is not known.",
            ),
            pair(
                "GARD_0000002_Sec2",
                "What causes Cervical dystonia ?",
                "The cause of this condition is unknown.",
            ),
        ],
        ..medquad("GARD_0000002", "Cervical dystonia")
    };
    check(
        &[source("medquad", SourceKind::Medquad, vec![first, second])],
        expect![[r#"
            GARD_0000001_Sec1 [overview] @medquad/GARD_0000001/focal-dystonia: What causes Focal dystonia ?
              "The cause of this condition is not known."
            GARD_0000002_Sec1 [overview] <- GARD_0000001_Sec1 @medquad/GARD_0000002/cervical-dystonia: What causes Cervical dystonia ?
              "The cause of this condition is not known."
            GARD_0000002_Sec2 [overview] @medquad/GARD_0000002/cervical-dystonia: What causes Cervical dystonia ?
              "The cause of this condition is unknown."
        "#]],
    );
}

#[test]
fn judged_answers_fill_removed_answers_only() {
    let adam = Document {
        sections: vec![
            pair("ADAM_0003147_Sec1", "What is Dystonia ?", ""),
            pair(
                "ADAM_0003147_Sec2",
                "What causes Dystonia ?",
                "MedQuAD's own text.",
            ),
            pair("ADAM_0003147_Sec3", "How to prevent Dystonia ?", ""),
        ],
        ..medquad("ADAM_0003147", "Dystonia")
    };
    check(
        &[
            source("medquad", SourceKind::Medquad, vec![adam]),
            judged(
                "judged.csv",
                &[
                    ("ADAM_0003147_Sec1", "Dystonia is a movement disorder."),
                    ("ADAM_0003147_Sec2", "The judged text does not replace MedQuAD's."),
                    ("ADAM_0003147_Sec3", ""),
                ],
            ),
        ],
        expect![[r#"
            ADAM_0003147_Sec1 [overview] @medquad/ADAM_0003147/dystonia: What is Dystonia ?
              "Dystonia is a movement disorder."
            ADAM_0003147_Sec2 [overview] @medquad/ADAM_0003147/dystonia: What causes Dystonia ?
              "MedQuAD's own text."
        "#]],
    );
}

#[test]
fn unknown_judged_answer_ids_fail_naming_the_source() {
    let sources = [
        source("medquad", SourceKind::Medquad, vec![ninds_dystonias()]),
        judged(
            "QA-TestSet-LiveQA-Med-Qrels.csv",
            &[
                ("NINDS_0000112_Sec2", "Botulinum toxin."),
                ("ADAM_9999999_Sec1", "Unknown."),
                ("ADAM_9999999_Sec2", "Unknown too."),
            ],
        ),
    ];
    let err = Library::build(&sources).unwrap_err();
    let message = err.to_string();
    let Error::UnknownAnswerIds {
        origin,
        n_unknown,
        first,
    } = err
    else {
        panic!("expected UnknownAnswerIds, got {message}");
    };
    assert_eq!(
        (origin.as_str(), n_unknown, first.as_str()),
        ("QA-TestSet-LiveQA-Med-Qrels.csv", 2, "ADAM_9999999_Sec1")
    );
    assert!(
        message.starts_with("QA-TestSet-LiveQA-Med-Qrels.csv: 2 answer ids"),
        "{message}"
    );
}

const OVERVIEW: &str = "Dystonia is a movement disorder in which your muscles contract involuntarily, causing \
    repetitive or twisting movements. The condition can affect one body part, two or more adjacent body \
    parts, or all parts of your body. The muscle spasms can range from mild to severe and may be painful, \
    and they can interfere with your performance of day-to-day tasks.";
const SYMPTOMS_START: &str = "Dystonia affects different people in different ways. Muscle contractions might \
    begin in a single area, such as your leg, neck or arm, and focal dystonia that begins after age 21 \
    usually starts in the neck, arm or face and tends to remain focal or segmental.";
const SYMPTOMS_END: &str = "Contractions often occur during a specific action, such as handwriting, and they may \
    worsen with stress, fatigue or anxiety and become more noticeable over time.";
const TREATMENT: &str = "To manage your signs and symptoms, your doctor might recommend a combination of \
    medications, therapy or surgery. Injections of botulinum toxin into specific muscles might reduce or \
    eliminate your muscle contractions and improve your abnormal postures. Injections usually are repeated \
    every three to four months.";

/// The whole article, and the same article scraped from another site: cut after half of its
/// symptoms, with a footer of its own.
fn article_and_truncated_copy() -> (Document, Document) {
    let article = Document {
        sections: vec![
            page_section(SectionKind::Overview, "Overview", vec![paragraph(OVERVIEW)]),
            page_section(
                SectionKind::Symptoms,
                "Symptoms",
                vec![paragraph(&format!("{SYMPTOMS_START} {SYMPTOMS_END}"))],
            ),
            page_section(SectionKind::Treatment, "Treatment", vec![paragraph(TREATMENT)]),
        ],
        ..web("web:mayo-dystonia", "Dystonia")
    };
    let copy = Document {
        sections: vec![
            page_section(SectionKind::Overview, "Overview", vec![paragraph(OVERVIEW)]),
            page_section(SectionKind::Symptoms, "Symptoms", vec![paragraph(SYMPTOMS_START)]),
            page_section(
                SectionKind::Other,
                "More",
                vec![paragraph("Subscribe to our newsletter today.")],
            ),
        ],
        ..web("web:mirror-dystonia", "Dystonia")
    };
    (article, copy)
}

#[test]
fn a_truncated_copy_counts_once_whatever_the_order() {
    // The longer article is canonical in either order; the copy's overlapping passages point at
    // the article's, its own footer is no copy, and no passage of the article is marked a copy
    // (the engine drops passages marked as copies, so marking both sides would lose the text).
    // BUG: with the copy ingested first, the article's overview becomes a copy of the copy's (equal
    // text) and the copy's a copy of the article's: each points at the other.
    let (article, copy) = article_and_truncated_copy();
    for documents in [vec![article.clone(), copy.clone()], vec![copy, article]] {
        let library = Library::build(&[source("pages", SourceKind::Web, documents)]).unwrap();
        let copy_of = |id: &str| {
            let passage = library.passages.iter().find(|p| p.id.0 == id).unwrap();
            passage.copy_of.as_ref().map(|c| c.0.as_str())
        };
        let expected = [
            ("web:mayo-dystonia-s1", None),
            ("web:mayo-dystonia-s2", None),
            ("web:mayo-dystonia-s3", None),
            ("web:mirror-dystonia-s1", Some("web:mayo-dystonia-s1")),
            ("web:mirror-dystonia-s2", Some("web:mayo-dystonia-s2")),
            ("web:mirror-dystonia-s3", None),
        ];
        let order: Vec<&str> = library.documents.iter().map(|d| d.id.0.as_str()).collect();
        let actual: Vec<(&str, Option<&str>)> = expected.iter().map(|(id, _)| (*id, copy_of(id))).collect();
        assert_eq!(actual, expected, "documents in order {order:?}");
        assert_eq!(
            library.copies,
            vec![vec![
                DocumentId("web:mayo-dystonia".into()),
                DocumentId("web:mirror-dystonia".into())
            ]],
            "documents in order {order:?}"
        );
    }
}

#[test]
fn stats_count_documents_passages_copies_and_conditions() {
    let (article, copy) = article_and_truncated_copy();
    let no_text = medquad("MPlusDrugs_0000001", "Botulinum toxin");
    let sources = [
        source("pages", SourceKind::Web, vec![article, copy]),
        source("medquad", SourceKind::Medquad, vec![ninds_dystonias(), no_text]),
    ];
    let library = Library::build(&sources).unwrap();
    assert_eq!(
        library.stats(),
        LibraryStats {
            sources: sources.iter().map(|s| s.record.clone()).collect(),
            n_documents: 4,
            // The drug document has no answers.
            n_documents_with_text: 3,
            // 3 article + 3 copy + 2 NINDS.
            n_passages: 8,
            // The copy's overview and the start of its symptoms.
            n_copied_passages: 2,
            // Dystonia (the pages and NINDS "Dystonias") and Botulinum toxin.
            n_conditions: 2,
            copies: vec![strings(&["web:mayo-dystonia", "web:mirror-dystonia"])],
        }
    );
    let ninds = library
        .passages
        .iter()
        .find(|p| p.id == PassageId("NINDS_0000112_Sec1".into()))
        .unwrap();
    let provenance = library.document_of(ninds).unwrap();
    assert_eq!(
        (
            provenance.id.0.as_str(),
            provenance.source.as_str(),
            provenance.url.as_deref()
        ),
        (
            "NINDS_0000112",
            "medquad",
            Some("https://www.ninds.nih.gov/dystonias")
        )
    );
}
