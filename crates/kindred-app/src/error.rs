//! Errors of the façade: each wraps the capability crate's error with its cause kept.

/// What can go wrong in a Kindred operation.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A source could not be read.
    #[error(transparent)]
    Corpus(#[from] kindred_corpus::Error),
    /// The library could not be built, saved or loaded.
    #[error(transparent)]
    Library(#[from] kindred_library::Error),
    /// The search index failed.
    #[error(transparent)]
    Index(#[from] kindred_index::Error),
    /// The phenotype data could not be read or loaded.
    #[error(transparent)]
    Phenotype(#[from] kindred_phenotype::Error),
    /// An evaluation file is malformed.
    #[error("{path}: {message}")]
    EvalInput {
        /// File at fault.
        path: String,
        /// What was wrong.
        message: String,
    },
    /// An ingest would replace a source with one of another kind or with fewer than half its items,
    /// and `--replace` was not given. Nothing was written.
    #[error(
        "{path}: would replace the source \"{id}\" ({before} items) with {after} items; the library \
         is unchanged (run ingest again with --replace if that is what you want)"
    )]
    WouldShrink {
        /// The input read.
        path: std::path::PathBuf,
        /// The source it would replace.
        id: String,
        /// Items the source holds now.
        before: usize,
        /// Items the input holds.
        after: usize,
    },
    /// An input that is not MedQuAD in its own layout is named like the MedQuAD source.
    #[error(
        "{path}: only MedQuAD in its own layout (folders such as 6_NINDS_QA) can be the source \"{id}\"; \
         rename the input"
    )]
    ReservedSourceName {
        /// The input read.
        path: std::path::PathBuf,
        /// The name it would take.
        id: String,
    },
    /// The documents of the live library could not be loaded.
    #[error("library documents are unavailable: {0}")]
    DocumentsUnavailable(String),
    /// The bundled library is damaged (a build problem, not a user one).
    #[error("bundled library: {0}")]
    Bundle(String),
}
