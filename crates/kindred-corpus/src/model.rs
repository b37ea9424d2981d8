//! The document model every reader produces.

use serde::{Deserialize, Serialize};

use crate::SectionKind;

/// Where a document comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Collection {
    /// MedQuAD (NIH question/answer pairs, CC BY 4.0).
    Medquad,
    /// A web page (text or HTML) from a publisher.
    Web,
}

impl Collection {
    /// Stable lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Collection::Medquad => "medquad",
            Collection::Web => "web",
        }
    }
}

/// A document's stable id: `NINDS_0000112` for MedQuAD (`SOURCE_DOCID`), `web:<slug>` for pages.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DocumentId(pub String);

impl std::fmt::Display for DocumentId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// One article or MedQuAD document, cleaned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Stable id.
    pub id: DocumentId,
    /// Which collection it belongs to.
    pub collection: Collection,
    /// Who published it: `NINDS`, `Mayo Clinic`, `Alike`…
    pub publisher: String,
    /// Title for people.
    pub title: String,
    /// Where it was published, when known.
    pub url: Option<String>,
    /// Licence or terms under which Kindred shows it.
    pub licence: String,
    /// The condition (or drug, test…) the document is about.
    pub focus: Option<String>,
    /// Other names for the focus.
    pub synonyms: Vec<String>,
    /// UMLS concept ids.
    pub cuis: Vec<String>,
    /// UMLS semantic types (`T047`…).
    pub semantic_types: Vec<String>,
    /// UMLS semantic group (`Disorders`…).
    pub semantic_group: Option<String>,
    /// MedlinePlus focus category (`Disease`, `Drug`, `Other`).
    pub category: Option<String>,
    /// Sections in reading order.
    pub sections: Vec<Section>,
    /// Lines removed as boilerplate, kept for transparency.
    pub removed: Vec<String>,
    /// The file it was read from, relative to the source root.
    pub origin: String,
}

impl Document {
    /// All displayable text of the document, used for copy detection.
    pub fn plain_text(&self) -> String {
        let mut out = String::new();
        for section in &self.sections {
            for block in &section.blocks {
                for text in block.statements() {
                    out.push_str(text);
                    out.push('\n');
                }
            }
        }
        out
    }
}

/// A section: a heading (or MedQuAD question) and its blocks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// What the section is about.
    pub kind: SectionKind,
    /// The heading as published, if there was one.
    pub heading: Option<String>,
    /// MedQuAD: the templated question, e.g. "What are the treatments for Dystonia ?".
    pub question: Option<String>,
    /// MedQuAD: the `qtype` attribute.
    pub qtype: Option<String>,
    /// MedQuAD: the answer id in MedQuAD's own convention, `SOURCE_DOCID_SecPID`.
    pub answer_id: Option<String>,
    /// The content. Empty when the answer was removed upstream (A.D.A.M., drugs, herbs).
    pub blocks: Vec<Block>,
}

impl Section {
    /// Whether the section has text to show.
    pub fn has_text(&self) -> bool {
        self.blocks.iter().any(|b| !b.statements().is_empty())
    }
}

/// A block of text within a section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Block {
    /// A paragraph.
    Paragraph {
        /// The text.
        text: String,
    },
    /// A bullet list, with the sentence that introduced it.
    List {
        /// "Additional symptoms of dystonia may include:".
        intro: Option<String>,
        /// The items.
        items: Vec<String>,
    },
    /// A list intro whose items were lost in scraping ("Muscle spasms might:"). Kept so a reader of
    /// the source page sees it, never presented as a statement.
    Incomplete {
        /// The dangling intro.
        text: String,
    },
}

impl Block {
    /// The statements a block makes: paragraph text, or the list's intro and items. Incomplete
    /// intros make none.
    pub fn statements(&self) -> Vec<&str> {
        match self {
            Block::Paragraph { text } => vec![text.as_str()],
            Block::List { intro, items } => intro
                .iter()
                .map(String::as_str)
                .chain(items.iter().map(String::as_str))
                .collect(),
            Block::Incomplete { .. } => Vec::new(),
        }
    }

    /// The block as one passage of text: a list becomes its intro followed by "item; item; item."
    pub fn passage_text(&self) -> Option<String> {
        match self {
            Block::Paragraph { text } => Some(text.clone()),
            Block::List { intro, items } => {
                let mut out = intro.clone().unwrap_or_default();
                for (item_idx, item) in items.iter().enumerate() {
                    if !out.is_empty() {
                        out.push_str(if item_idx == 0 { " " } else { "; " });
                    }
                    out.push_str(item.trim_end_matches(['.', ';']));
                }
                if !items.is_empty() {
                    out.push('.');
                }
                Some(out)
            }
            Block::Incomplete { .. } => None,
        }
    }
}

/// Refuses a document any of whose texts holds a control character (other than tab, newline and
/// carriage return). Readers check their input too; this catches what decoding made, such as an XML
/// or HTML character reference to ESC, and names in archives.
pub(crate) fn check_document(path: &std::path::Path, document: &Document) -> Result<(), crate::Error> {
    let mut texts: Vec<&str> = vec![
        &document.id.0,
        &document.publisher,
        &document.title,
        &document.licence,
        &document.origin,
    ];
    texts.extend(document.url.as_deref());
    texts.extend(document.focus.as_deref());
    texts.extend(document.semantic_group.as_deref());
    texts.extend(document.category.as_deref());
    texts.extend(document.synonyms.iter().map(String::as_str));
    texts.extend(document.cuis.iter().map(String::as_str));
    texts.extend(document.semantic_types.iter().map(String::as_str));
    texts.extend(document.removed.iter().map(String::as_str));
    for section in &document.sections {
        texts.extend(section.heading.as_deref());
        texts.extend(section.question.as_deref());
        texts.extend(section.qtype.as_deref());
        texts.extend(section.answer_id.as_deref());
        for block in &section.blocks {
            match block {
                Block::Paragraph { text } | Block::Incomplete { text } => texts.push(text),
                Block::List { intro, items } => {
                    texts.extend(intro.as_deref());
                    texts.extend(items.iter().map(String::as_str));
                }
            }
        }
    }
    texts
        .into_iter()
        .try_for_each(|text| crate::error::check_controls(path, text))
}
