//! Integration tests of `kindred-library`, one binary for the whole crate.
//!
//! Documents are built by hand here (or parsed from a small inline MedQuAD XML), so that each test
//! shows exactly the names, CUIs and sections it depends on.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod article;
mod build;
mod catalog;
mod store;

use kindred_corpus::{Block, Collection, Document, DocumentId, Section, SectionKind};

/// A document with an id and a focus and nothing else: fill the rest with struct update syntax.
pub fn document(id: &str, collection: Collection, focus: &str) -> Document {
    Document {
        id: DocumentId(id.to_owned()),
        collection,
        publisher: match collection {
            Collection::Medquad => "NIH".to_owned(),
            Collection::Web => "Example Clinic".to_owned(),
        },
        title: focus.to_owned(),
        url: None,
        licence: "test".to_owned(),
        focus: Some(focus.to_owned()).filter(|f| !f.is_empty()),
        synonyms: Vec::new(),
        cuis: Vec::new(),
        semantic_types: Vec::new(),
        semantic_group: None,
        category: None,
        sections: Vec::new(),
        removed: Vec::new(),
        origin: format!("{id}.txt"),
    }
}

/// A web page about `focus`.
pub fn web(id: &str, focus: &str) -> Document {
    document(id, Collection::Web, focus)
}

/// A MedQuAD document about `focus`.
pub fn medquad(id: &str, focus: &str) -> Document {
    document(id, Collection::Medquad, focus)
}

/// Owned strings.
pub fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

/// A page section of paragraphs under a heading.
pub fn page_section(kind: SectionKind, heading: &str, blocks: Vec<Block>) -> Section {
    Section {
        kind,
        heading: Some(heading.to_owned()),
        question: None,
        qtype: None,
        answer_id: None,
        blocks,
    }
}

/// A paragraph block.
pub fn paragraph(text: &str) -> Block {
    Block::Paragraph {
        text: text.to_owned(),
    }
}

/// A MedQuAD question/answer pair; an empty `answer` is a pair whose answer was removed upstream.
pub fn pair(answer_id: &str, question: &str, answer: &str) -> Section {
    Section {
        kind: SectionKind::Overview,
        heading: None,
        question: Some(question.to_owned()),
        qtype: Some("information".to_owned()),
        answer_id: Some(answer_id.to_owned()),
        blocks: if answer.is_empty() {
            Vec::new()
        } else {
            vec![paragraph(answer)]
        },
    }
}
