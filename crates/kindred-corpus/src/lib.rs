//! Source readers: MedQuAD XML (a directory, one file, or `medquad.tar.gz` streamed), MedQuAD's
//! judged-answers CSV, and web pages as text or HTML.
//!
//! Every reader produces [`Document`]s: cleaned text split into [`Section`]s of [`Block`]s, with the
//! provenance a clinician needs to check it. This crate stores nothing and knows no index; it only turns
//! bytes into documents and says precisely which file (and line or element) was at fault when it cannot.
//!
//! Input is never trusted: [`read_input`] refuses links and special files before opening anything,
//! every file and archive entry is read within [`MAX_FILE_BYTES`], pages and XML may not nest deeper
//! than [`MAX_NESTING_DEPTH`], CSV and XML are parsed strictly, and no document holds a control
//! character. MedQuAD is recognised by its layout ([`has_medquad_layout`]), not by a file name.

mod copies;
mod error;
mod input;
mod judged;
mod medquad;
mod model;
mod section_kind;
mod web;

pub use copies::{COPY_THRESHOLD, CopyGroup, find_copies};
pub use error::Error;
pub use input::{
    Input, InputKind, MAX_ARCHIVE_BYTES, MAX_FILE_BYTES, MAX_NESTING_DEPTH, read_input, read_web_file,
};
pub use judged::{JudgedAnswer, parse_judged_csv, read_judged_csv};
pub use medquad::{
    MEDQUAD_LICENCE, MedquadSource, has_medquad_layout, read_medquad, read_medquad_archive, read_medquad_xml,
};
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
