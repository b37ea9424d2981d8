//! The stored form of a built library, `library.bin`.
//!
//! ```text
//! format version  u32
//! checksum        u64   xxh3 of every byte after it
//! meta_len        u64
//! text_len        u64
//! blocks_len      u64
//! meta            postcard: sources, documents, catalog, passages (with their spans), copies
//! text            every passage's text, UTF-8, one after another
//! blocks          every passage's blocks, postcard-encoded, one after another
//! ```
//!
//! Only the meta is deserialised on load. The text is read as one buffer and checked as UTF-8 once,
//! and a passage's blocks are decoded when a page shows them. Deserialising every passage's text
//! and blocks as strings of their own (about fifty thousand allocations, and as many frees at exit)
//! was most of the time a one-question `kindred ask` took.
//!
//! A damaged file is [`Error::Corrupt`] on load, never a panic or a wrong text later: the lengths
//! must add up to the file's size before anything is allocated, the checksum must match, and every
//! passage's spans must lie inside the arena (text spans on character boundaries).

use std::fs::File;
use std::io::{Read, Write};
use std::path::Path;

use kindred_corpus::DocumentId;
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::Xxh3;

use crate::build::Arena;
use crate::{Catalog, DocumentInfo, Error, Library, Passage, SourceRecord};

/// Bytes before the meta.
const HEADER_LEN: usize = 4 + 8 * 4;

/// Everything of a library but its arena, as written.
#[derive(Serialize)]
struct MetaRef<'a> {
    sources: &'a [SourceRecord],
    documents: &'a [DocumentInfo],
    catalog: &'a Catalog,
    passages: &'a [Passage],
    copies: &'a [Vec<DocumentId>],
}

/// Everything of a library but its arena, as read.
#[derive(Deserialize)]
struct Meta {
    sources: Vec<SourceRecord>,
    documents: Vec<DocumentInfo>,
    catalog: Catalog,
    passages: Vec<Passage>,
    copies: Vec<Vec<DocumentId>>,
}

/// Writes `library` to `path` (and syncs it).
pub(crate) fn write(path: &Path, format_version: u32, library: &Library) -> Result<(), Error> {
    let corrupt = |source| Error::Corrupt {
        path: path.to_owned(),
        source,
    };
    let meta = postcard::to_stdvec(&MetaRef {
        sources: &library.sources,
        documents: &library.documents,
        catalog: &library.catalog,
        passages: &library.passages,
        copies: &library.copies,
    })
    .map_err(corrupt)?;
    let Arena { text, blocks } = &library.arena;
    let lengths: Vec<u8> = [meta.len(), text.len(), blocks.len()]
        .iter()
        .flat_map(|&n| (n as u64).to_le_bytes())
        .collect();
    let mut hasher = Xxh3::new();
    for part in [&lengths[..], &meta, text.as_bytes(), blocks] {
        hasher.update(part);
    }
    let mut file = File::create(path).map_err(|e| Error::io(path, e))?;
    let mut out = std::io::BufWriter::with_capacity(1 << 20, &mut file);
    for part in [
        &format_version.to_le_bytes()[..],
        &hasher.digest().to_le_bytes(),
        &lengths,
        &meta,
        text.as_bytes(),
        blocks,
    ] {
        out.write_all(part).map_err(|e| Error::io(path, e))?;
    }
    out.flush().map_err(|e| Error::io(path, e))?;
    drop(out);
    file.sync_all().map_err(|e| Error::io(path, e))
}

/// Reads the library at `path`, checking it whole.
pub(crate) fn read(path: &Path, format_version: u32) -> Result<Library, Error> {
    let corrupt = |source| Error::Corrupt {
        path: path.to_owned(),
        source,
    };
    let mut file = File::open(path).map_err(|e| Error::io(path, e))?;
    let file_len = file.metadata().map_err(|e| Error::io(path, e))?.len();
    let mut header = [0u8; HEADER_LEN];
    read_exact(&mut file, &mut header, path)?;
    let field = |idx: usize| -> u64 {
        let start = 4 + 8 * idx;
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(&header[start..start + 8]);
        u64::from_le_bytes(bytes)
    };
    if header[..4] != format_version.to_le_bytes() {
        return Err(corrupt(postcard::Error::DeserializeBadEncoding));
    }
    let (checksum, meta_len, text_len, blocks_len) = (field(0), field(1), field(2), field(3));
    // The declared lengths must be the file's own before anything is allocated from them.
    let declared = [meta_len, text_len, blocks_len]
        .iter()
        .try_fold(HEADER_LEN as u64, |sum, &n| sum.checked_add(n));
    if declared != Some(file_len) {
        return Err(corrupt(postcard::Error::DeserializeUnexpectedEnd));
    }
    let mut meta = vec![0u8; meta_len as usize];
    read_exact(&mut file, &mut meta, path)?;
    let mut text = vec![0u8; text_len as usize];
    read_exact(&mut file, &mut text, path)?;
    let mut blocks = vec![0u8; blocks_len as usize];
    read_exact(&mut file, &mut blocks, path)?;

    let mut hasher = Xxh3::new();
    for part in [&header[12..], &meta, &text, &blocks] {
        hasher.update(part);
    }
    if hasher.digest() != checksum {
        return Err(corrupt(postcard::Error::DeserializeBadEncoding));
    }
    let text = String::from_utf8(text).map_err(|_| corrupt(postcard::Error::DeserializeBadUtf8))?;
    let meta: Meta = postcard::from_bytes(&meta).map_err(corrupt)?;
    let library = Library {
        sources: meta.sources,
        documents: meta.documents,
        catalog: meta.catalog,
        passages: meta.passages,
        copies: meta.copies,
        arena: Arena { text, blocks },
    };
    let spans_fit = library.passages.iter().all(|passage| {
        let text_fits = passage
            .body
            .text
            .range()
            .is_some_and(|range| library.arena.text.get(range).is_some());
        let blocks_fit = passage
            .body
            .blocks
            .range()
            .is_some_and(|range| library.arena.blocks.get(range).is_some());
        text_fits && blocks_fit
    });
    if !spans_fit {
        return Err(corrupt(postcard::Error::DeserializeBadEncoding));
    }
    Ok(library)
}

/// Fills `buffer`; a file that ends first is corrupt (truncated), not an IO failure.
fn read_exact(file: &mut File, buffer: &mut [u8], path: &Path) -> Result<(), Error> {
    file.read_exact(buffer).map_err(|e| match e.kind() {
        std::io::ErrorKind::UnexpectedEof => Error::Corrupt {
            path: path.to_owned(),
            source: postcard::Error::DeserializeUnexpectedEnd,
        },
        _ => Error::io(path, e),
    })
}
