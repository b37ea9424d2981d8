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
    /// An evaluation file is malformed.
    #[error("{path}: {message}")]
    EvalInput {
        /// File at fault.
        path: String,
        /// What was wrong.
        message: String,
    },
    /// The documents of the live library could not be loaded.
    #[error("library documents are unavailable: {0}")]
    DocumentsUnavailable(String),
    /// The bundled library is damaged (a build problem, not a user one).
    #[error("bundled library: {0}")]
    Bundle(String),
}
