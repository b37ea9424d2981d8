//! The façade both front ends (the CLI, and later the web server) call: ingest, ask, stats and eval,
//! composed from the capability crates. Plain data in, plain data out.
//!
//! Invariant: this is the only crate that knows both the library and the index; it is where a
//! question meets the passages.

mod answer;
mod bundle;
pub mod community;
mod error;
mod eval;
mod ingest;
mod phenotype;
pub mod tracker;
mod views;

pub use answer::{AnalysisJson, AnswerJson, CitationJson, ExternalLink, Kindred, PassageJson};
pub use bundle::default_sources;
pub use error::Error;
pub use eval::{
    EvalReport, LayMetrics, LayOutcome, LayQuestion, LayReport, Metrics, read_lay_questions,
    read_liveqa_questions, read_qrels,
};
pub use ingest::{IngestOptions, IngestReport, Progress, ingest, ingest_with};
pub use kindred_answer::DISCLAIMER;
pub use kindred_library::Error as LibraryError;
pub use kindred_phenotype::acknowledgement as hpo_acknowledgement;
pub use phenotype::PhenotypeFocus;
pub use views::{
    BlockView, CONDITIONS_PER_PAGE, ConditionLink, ConditionSummary, ConditionView, ConditionsPage,
    LetterCount, SearchView, SectionView, SourceSectionView, SourceUsed, SourceView, StatementCitation,
    StatementView, section_title,
};

/// The HPO release bundled in `data/hpo/` (a test checks it against the file's `data-version`).
pub const HPO_VERSION: &str = "hp/releases/2025-01-16";
/// The acknowledgement the HPO licence asks for, shown on every page and by `kindred stats`.
pub const HPO_ACKNOWLEDGEMENT: &str =
    "This service uses the Human Phenotype Ontology (version hp/releases/2025-01-16)";

/// The condition Kindred is deepest on; questions that name no condition are read in its context.
pub const FLAGSHIP: &str = "dystonia";
