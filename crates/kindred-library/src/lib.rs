//! The library: sources, their documents, the condition catalog and passages with provenance.
//!
//! This crate is the only owner of library data. It turns the documents of every source into one
//! condition catalog (merged by name, synonym and UMLS CUI), cuts documents into passages that carry
//! full provenance, finds copies so that copies count once, and persists all of it as one generation
//! under the data directory. It knows nothing of the search index or of HTTP: the index is built by
//! `kindred-index` from [`Library::passages`], into the generation directory this crate hands out.

mod article;
mod build;
mod catalog;
mod error;
mod library_file;
mod store;

pub use article::{Article, ArticleSection, PARAPHRASE_THRESHOLD, Statement, StatementSource};
pub use build::{
    DocumentInfo, Library, LibraryStats, Passage, PassageId, SourceData, SourceKind, SourceRecord,
};
pub use catalog::{Catalog, Condition, ConditionId, name_key};
pub use error::Error;
pub use store::{Generation, IngestLock, LibraryStore, now_rfc3339};
