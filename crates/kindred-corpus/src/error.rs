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
    /// Control characters (other than tab, newline and carriage return) in text: terminal escapes,
    /// NULs, or binary data that happens to be UTF-8.
    #[error("{path}: control character U+{code:04X} at byte {offset}; sources must be plain text")]
    ControlCharacter {
        /// File at fault.
        path: PathBuf,
        /// The character.
        code: u32,
        /// Byte offset in the file's text (or in the decoded field, for a character reference).
        offset: usize,
    },
    /// Not a regular file or directory: a symbolic link, FIFO, socket or device. Never opened, so a
    /// FIFO cannot block the ingest and a link cannot bring in a file from elsewhere.
    #[error("{path}: is a {what}; only regular files and directories are read")]
    NotRegularFile {
        /// File at fault.
        path: PathBuf,
        /// What it is instead ("symbolic link", "FIFO"…).
        what: &'static str,
    },
    /// A file, archive entry or archive larger than the limit (declared or once decompressed).
    #[error("{path}: larger than the limit of {limit} bytes")]
    TooLarge {
        /// File (or `archive/entry`) at fault.
        path: PathBuf,
        /// The limit it passed.
        limit: u64,
    },
    /// Elements nested deeper than the limit.
    #[error("{path}: elements nested deeper than the limit of {limit}")]
    TooDeep {
        /// File at fault.
        path: PathBuf,
        /// The limit it passed.
        limit: usize,
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
    check_controls(path, &text)?;
    Ok(text)
}

/// Refuses control characters other than tab, newline, carriage return and form feed (which page
/// text uses as a break): NUL, terminal escapes (ESC, C1 controls such as CSI), DEL. They never occur
/// in real text, and a passage holding one would reach a member's terminal or page verbatim.
pub(crate) fn check_controls(path: &std::path::Path, text: &str) -> Result<(), Error> {
    match text
        .char_indices()
        .find(|(_, c)| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
    {
        Some((offset, c)) => Err(Error::ControlCharacter {
            path: path.to_owned(),
            code: c as u32,
            offset,
        }),
        None => Ok(()),
    }
}
