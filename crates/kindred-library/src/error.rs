//! Errors of the library.

use std::path::PathBuf;

/// What can go wrong building, saving or loading the library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Reading or writing the data directory failed.
    #[error("cannot access {path}")]
    Io {
        /// Path at fault.
        path: PathBuf,
        /// Cause.
        #[source]
        source: std::io::Error,
    },
    /// A stored library file is corrupt or from another version.
    #[error(
        "{path}: stored library is unreadable or from another version of Kindred; run `kindred ingest` to rebuild it"
    )]
    Corrupt {
        /// File at fault.
        path: PathBuf,
        /// Cause.
        #[source]
        source: postcard::Error,
    },
    /// A judged-answers file names answers that no stored MedQuAD document has.
    #[error(
        "{origin}: {n_unknown} answer ids match no MedQuAD document in the library (first: {first}); ingest MedQuAD first"
    )]
    UnknownAnswerIds {
        /// The CSV at fault.
        origin: String,
        /// How many ids were unknown.
        n_unknown: usize,
        /// The first unknown id.
        first: String,
    },
    /// Another process is ingesting into the same data directory.
    #[error("{path}: another ingest is running on this data directory")]
    Locked {
        /// The lock file.
        path: PathBuf,
    },
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}
