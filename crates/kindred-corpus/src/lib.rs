//! Source readers: MedQuAD XML (a directory, one file, or `medquad.tar.gz` streamed), MedQuAD's
//! judged-answers CSV, and web pages as text or HTML.
//!
//! Every reader produces [`Document`]s: cleaned text split into [`Section`]s of [`Block`]s, with the
//! provenance a clinician needs to check it. This crate stores nothing and knows no index; it only turns
//! bytes into documents and says precisely which file (and line or element) was at fault when it cannot.

mod copies;
mod error;
mod judged;
mod medquad;
mod model;
mod section_kind;
mod web;

pub use copies::{COPY_THRESHOLD, CopyGroup, find_copies};
pub use error::Error;
pub use judged::{JudgedAnswer, read_judged_csv};
pub use medquad::{MEDQUAD_LICENCE, MedquadSource, read_medquad, read_medquad_archive, read_medquad_xml};
pub use model::{Block, Collection, Document, DocumentId, Section};
pub use section_kind::SectionKind;
pub use web::{WebMetadata, read_web_dir, read_web_html, read_web_text};

/// What one input path turned out to hold.
#[derive(Debug)]
pub enum SourceContent {
    /// Documents to add or replace.
    Documents(Vec<Document>),
    /// Judged answers that fill MedQuAD pairs whose answers were removed upstream.
    JudgedAnswers(Vec<JudgedAnswer>),
}
