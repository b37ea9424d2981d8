//! The one error type of the readers. Every variant names the file at fault.

use std::path::PathBuf;

/// A source that could not be read. Messages are lowercase and name the file, plus the line or element
/// where known.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be opened or read.
    #[error("cannot read {path}")]
    Io {
        /// File at fault.
        path: PathBuf,
        /// Underlying cause.
        #[source]
        source: std::io::Error,
    },
    /// The file is empty.
    #[error("{path}: file is empty")]
    Empty {
        /// File at fault.
        path: PathBuf,
    },
    /// The bytes are not UTF-8 text (binary data or another encoding).
    #[error("{path}: binary data or not UTF-8 text (at byte {offset}); sources must be UTF-8 text")]
    NotUtf8 {
        /// File at fault.
        path: PathBuf,
        /// First invalid byte.
        offset: usize,
    },
    /// Malformed XML.
    #[error("{path}: malformed XML at byte {position}: {message}")]
    Xml {
        /// File at fault.
        path: PathBuf,
        /// Byte position in the file.
        position: u64,
        /// What the parser said.
        message: String,
    },
    /// Well-formed XML that is not a MedQuAD document.
    #[error("{path}: not a MedQuAD document: {message}")]
    NotMedquad {
        /// File at fault.
        path: PathBuf,
        /// What was missing.
        message: String,
    },
    /// Malformed CSV.
    #[error("{path}: line {line}: {message}")]
    Csv {
        /// File at fault.
        path: PathBuf,
        /// 1-based line.
        line: u64,
        /// What was wrong.
        message: String,
    },
    /// A gzip or tar archive that is truncated or corrupt.
    #[error("{path}: corrupt or truncated archive")]
    Archive {
        /// File at fault.
        path: PathBuf,
        /// Underlying cause.
        #[source]
        source: std::io::Error,
    },
    /// A sidecar metadata file that does not parse.
    #[error("{path}: bad metadata: {message}")]
    Metadata {
        /// File at fault.
        path: PathBuf,
        /// What was wrong.
        message: String,
    },
    /// A path whose kind we do not read.
    #[error("{path}: unsupported source (expected a directory, .tar.gz, .xml, .csv, .txt or .html)")]
    Unsupported {
        /// File at fault.
        path: PathBuf,
    },
    /// The source held nothing usable.
    #[error("{path}: no documents found")]
    NoDocuments {
        /// File at fault.
        path: PathBuf,
    },
}

impl Error {
    /// Wraps an IO error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

/// Decodes bytes as UTF-8 text, rejecting empty files, binary data and other encodings with an error
/// that names the file. A UTF-8 byte-order mark is dropped.
pub(crate) fn decode_text(path: &std::path::Path, bytes: Vec<u8>) -> Result<String, Error> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::Empty {
            path: path.to_owned(),
        });
    }
    let mut text = String::from_utf8(bytes).map_err(|e| Error::NotUtf8 {
        path: path.to_owned(),
        offset: e.utf8_error().valid_up_to(),
    })?;
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    // NUL and most C0 controls never occur in real text: treat them as binary data.
    if let Some(offset) = text.find(|c: char| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}')) {
        return Err(Error::NotUtf8 {
            path: path.to_owned(),
            offset,
        });
    }
    Ok(text)
}
