//! The crate's one error type: every variant names the file, and the line where known.

use std::path::PathBuf;

/// Why HPO data could not be read or the stored index not loaded.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// `hp.obo` is not valid OBO.
    #[error("{}:{line}: not valid OBO", path.display())]
    Obo {
        /// The file.
        path: PathBuf,
        /// 1-based line, 0 when the parser gave none.
        line: usize,
        /// The parser's error.
        #[source]
        source: Box<fastobo::error::Error>,
    },
    /// `hp.obo` has no `data-version` header, so the release cannot be shown as the licence asks.
    #[error("{}: no data-version header", path.display())]
    NoVersion {
        /// The file.
        path: PathBuf,
    },
    /// A row of `phenotype.hpoa` cannot be read.
    #[error("{}:{line}: {message}", path.display())]
    Hpoa {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: u64,
        /// What is wrong.
        message: String,
    },
    /// `phenotype.hpoa` is not valid tab-separated text.
    #[error("{}:{line}: not valid tab-separated values", path.display())]
    Tsv {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: u64,
        /// The reader's error.
        #[source]
        source: csv::Error,
    },
    /// The stored phenotype index is from another version or damaged.
    #[error("phenotype index is damaged or from another version")]
    Corrupt(#[source] postcard::Error),
}
