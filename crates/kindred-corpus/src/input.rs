//! What an input path may be, and reading it within limits.
//!
//! Every file any reader opens goes through [`read_file`]: its metadata is read without following
//! links before it is opened, so a symbolic link never brings in a file from elsewhere and a FIFO or
//! device never blocks the ingest, and its bytes are read through a cap, so neither a file nor an
//! archive entry can make us allocate more than [`MAX_FILE_BYTES`], whatever its header declares.
//! [`read_input`] then recognises what the path holds from its content.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::error::decode_text;
use crate::{Document, Error, SourceContent, WebMetadata};

/// Largest file, or archive entry, read: 32 MiB. MedQuAD's largest document is under 1 MiB, its
/// judged-answers CSV 3.5 MB, and a web page a few hundred KB.
pub const MAX_FILE_BYTES: u64 = 32 << 20;

/// Largest archive, compressed or decompressed: 1 GiB (the bundled MedQuAD is 6 MB compressed, 48 MB
/// decompressed).
pub const MAX_ARCHIVE_BYTES: u64 = 1 << 30;

/// Deepest nesting of elements in an HTML page or an XML document. Real pages stay under 100; the
/// HTML reader walks the tree recursively, so this bounds its stack.
pub const MAX_NESTING_DEPTH: usize = 512;

/// What an input path holds, recognised from its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// MedQuAD itself: every document lies in the collection folder of its own source
    /// (`6_NINDS_QA/…` for NINDS), as in MedQuAD's release, under at most one enclosing folder.
    MedquadCollection,
    /// Documents in MedQuAD's XML format that are not laid out as MedQuAD: one file, or a folder or
    /// archive of them.
    MedquadDocuments,
    /// Web pages: one `.txt` or `.html` file, or a folder of them.
    WebPages,
    /// A judged-answers CSV.
    JudgedAnswers,
}

/// One input path, read.
#[derive(Debug)]
pub struct Input {
    /// The path's file name (`pages`, `medquad.tar.gz`).
    pub name: String,
    /// What it turned out to hold.
    pub kind: InputKind,
    /// What was read.
    pub content: SourceContent,
}

/// What a path is, from metadata read without following links. Refuses anything but a regular file
/// or a directory, before anything opens it.
pub(crate) fn check_kind(path: &Path) -> Result<std::fs::Metadata, Error> {
    let metadata = std::fs::symlink_metadata(path).map_err(|e| Error::io(path, e))?;
    let file_type = metadata.file_type();
    if file_type.is_file() || file_type.is_dir() {
        return Ok(metadata);
    }
    Err(Error::NotRegularFile {
        path: path.to_owned(),
        what: describe(file_type),
    })
}

fn describe(file_type: std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if file_type.is_symlink() {
        "symbolic link"
    } else if file_type.is_fifo() {
        "FIFO"
    } else if file_type.is_socket() {
        "socket"
    } else if file_type.is_block_device() || file_type.is_char_device() {
        "device"
    } else if file_type.is_dir() {
        "directory"
    } else {
        "special file"
    }
}

/// Opens a regular file checked by [`check_kind`], and checks that what was opened is still that
/// file (not swapped for a link or FIFO in between) and no larger than `limit`.
pub(crate) fn open_file(path: &Path, limit: u64) -> Result<std::fs::File, Error> {
    use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
    let before = check_kind(path)?;
    if !before.is_file() {
        return Err(Error::NotRegularFile {
            path: path.to_owned(),
            what: describe(before.file_type()),
        });
    }
    if before.len() > limit {
        return Err(Error::TooLarge {
            path: path.to_owned(),
            limit,
        });
    }
    // Should the path have become a link or a FIFO since it was checked, O_NOFOLLOW makes the open
    // fail and O_NONBLOCK keeps it from waiting for a writer; the check below then refuses it.
    // Reads from a regular file ignore O_NONBLOCK.
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| match e.raw_os_error() {
            Some(libc::ELOOP) => Error::NotRegularFile {
                path: path.to_owned(),
                what: "symbolic link",
            },
            _ => Error::io(path, e),
        })?;
    let opened = file.metadata().map_err(|e| Error::io(path, e))?;
    if !opened.is_file() || opened.ino() != before.ino() || opened.dev() != before.dev() {
        return Err(Error::NotRegularFile {
            path: path.to_owned(),
            what: "file replaced while being opened",
        });
    }
    Ok(file)
}

/// Reads a whole regular file of at most [`MAX_FILE_BYTES`].
pub(crate) fn read_file(path: &Path) -> Result<Vec<u8>, Error> {
    let file = open_file(path, MAX_FILE_BYTES)?;
    read_capped(file, path, MAX_FILE_BYTES)
}

/// Reads at most `limit` bytes, refusing more: the buffer grows with what actually arrives, never
/// from a declared size.
pub(crate) fn read_capped(reader: impl Read, path: &Path, limit: u64) -> Result<Vec<u8>, Error> {
    let mut bytes = Vec::new();
    read_capped_into(reader, path, limit, &mut bytes)?;
    Ok(bytes)
}

/// [`read_capped`] into a buffer the caller reuses (cleared first).
pub(crate) fn read_capped_into(
    reader: impl Read,
    path: &Path,
    limit: u64,
    bytes: &mut Vec<u8>,
) -> Result<(), Error> {
    bytes.clear();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(bytes)
        .map_err(|e| Error::io(path, e))?;
    if bytes.len() as u64 > limit {
        return Err(Error::TooLarge {
            path: path.to_owned(),
            limit,
        });
    }
    Ok(())
}

/// The entries of a directory, sorted, each checked by [`check_kind`] (so links and special files
/// inside are refused too, naming them).
pub(crate) fn dir_entries(dir: &Path) -> Result<Vec<(PathBuf, std::fs::Metadata)>, Error> {
    let mut entries = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let path = entry.map_err(|e| Error::io(dir, e))?.path();
        let metadata = check_kind(&path)?;
        entries.push((path, metadata));
    }
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(entries)
}

fn is_archive(lower_name: &str) -> bool {
    lower_name.ends_with(".tar.gz") || lower_name.ends_with(".tgz")
}

fn is_page(lower_name: &str) -> bool {
    lower_name.ends_with(".txt") || lower_name.ends_with(".html") || lower_name.ends_with(".htm")
}

/// Reads one input path, recognising what it holds: MedQuAD (by its layout and documents, see
/// [`InputKind::MedquadCollection`]), other MedQuAD-format documents, web pages, or judged answers.
/// A directory holding `.xml` files (at any depth) and no `metadata.toml` is MedQuAD-format; any
/// other directory is a folder of pages. `progress` counts files read.
pub fn read_input(path: &Path, progress: &mut dyn FnMut(u64)) -> Result<Input, Error> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let lower = name.to_ascii_lowercase();
    let metadata = check_kind(path)?;
    let medquad = |documents: Vec<Document>| Input {
        name: name.clone(),
        kind: if crate::medquad::has_medquad_layout(&documents) {
            InputKind::MedquadCollection
        } else {
            InputKind::MedquadDocuments
        },
        content: SourceContent::Documents(documents),
    };
    if metadata.is_dir() {
        if holds_medquad_xml(path)? {
            return Ok(medquad(crate::read_medquad(path, progress)?));
        }
        return Ok(Input {
            name: name.clone(),
            kind: InputKind::WebPages,
            content: SourceContent::Documents(crate::read_web_dir(path)?),
        });
    }
    if is_archive(&lower) {
        let documents = crate::read_medquad(path, progress)?;
        return Ok(medquad(documents));
    }
    if lower.ends_with(".xml") {
        let bytes = read_file(path)?;
        let document = crate::read_medquad_xml(path, &name, &bytes)?;
        progress(1);
        return Ok(Input {
            name: name.clone(),
            kind: InputKind::MedquadDocuments,
            content: SourceContent::Documents(vec![document]),
        });
    }
    if lower.ends_with(".csv") {
        return Ok(Input {
            name: name.clone(),
            kind: InputKind::JudgedAnswers,
            content: SourceContent::JudgedAnswers(crate::read_judged_csv(path)?),
        });
    }
    if is_page(&lower) {
        let document = read_web_file(path, &WebMetadata::default())?;
        progress(1);
        return Ok(Input {
            name: name.clone(),
            kind: InputKind::WebPages,
            content: SourceContent::Documents(vec![document]),
        });
    }
    Err(Error::Unsupported {
        path: path.to_owned(),
    })
}

/// Whether a directory is MedQuAD-format: it has no `metadata.toml` and holds `.xml` files.
fn holds_medquad_xml(dir: &Path) -> Result<bool, Error> {
    if dir.join("metadata.toml").exists() {
        return Ok(false);
    }
    let mut pending = vec![dir.to_owned()];
    while let Some(dir) = pending.pop() {
        for (path, metadata) in dir_entries(&dir)? {
            if metadata.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("xml")) {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

/// Reads one page file, `.txt` as text and anything else as HTML, within the limits.
pub fn read_web_file(path: &Path, metadata: &WebMetadata) -> Result<Document, Error> {
    let text = decode_text(path, read_file(path)?)?;
    if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("txt")) {
        crate::read_web_text(path, &text, metadata)
    } else {
        crate::read_web_html(path, &text, metadata)
    }
}
