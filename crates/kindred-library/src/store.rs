//! Persisting the library as generations under the data directory.
//!
//! ```text
//! <data-dir>/library/CURRENT          name of the live generation ("gen-000004")
//! <data-dir>/library/gen-000004/      sources.bin, library.bin, phenotypes.bin, focus.bin, index/
//!                                     (written by kindred-index)
//! <data-dir>/library/ingest.lock      held (flock) by the one ingest that may run
//! ```
//!
//! An ingest builds a whole new generation aside and only then replaces `CURRENT` by an atomic rename,
//! so a failed or interrupted ingest leaves the live library exactly as it was, and readers never see
//! a half-written one. The previous generation is kept (a reader may still have it open); older ones are
//! removed.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::{Error, Library, SourceData};

/// Bumped whenever a stored type changes shape; older generations are then rebuilt, not misread.
/// 4: generations store the focus recogniser (`focus.bin`). 5: terms join irregular forms to their
/// base ("feet" → "foot"), so the index and the stored recognisers must be rebuilt. 6: contractions
/// ("wont", "cant") became stopwords, which changes the same.
const FORMAT_VERSION: u32 = 6;

/// The phenotype index of a generation, written by `kindred-app` with the phenotype crate's format.
const PHENOTYPES: &str = "phenotypes.bin";

/// The focus recogniser of a generation, built at ingest so that start-up reads rather than
/// builds it.
const FOCUS: &str = "focus.bin";

/// The library area of a data directory.
#[derive(Debug, Clone)]
pub struct LibraryStore {
    root: PathBuf,
}

/// A generation directory being written, or the live one.
#[derive(Debug, Clone)]
pub struct Generation {
    /// Its directory.
    pub dir: PathBuf,
}

impl Generation {
    /// Where the search index lives.
    pub fn index_dir(&self) -> PathBuf {
        self.dir.join("index")
    }

    /// Loads the built library (what `ask` needs).
    pub fn load_library(&self) -> Result<Library, Error> {
        crate::library_file::read(&self.dir.join("library.bin"), FORMAT_VERSION)
    }

    /// Loads the sources (what a re-ingest needs).
    pub fn load_sources(&self) -> Result<Vec<SourceData>, Error> {
        read_postcard(&self.dir.join("sources.bin"))
    }

    /// The stored phenotype index (its bytes, which the phenotype crate reads), or `None` for a
    /// generation built without one.
    pub fn load_phenotypes(&self) -> Result<Option<Vec<u8>>, Error> {
        let path = self.phenotypes_path();
        match std::fs::read(&path) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::io(path, e)),
        }
    }

    /// Where the phenotype index is stored, for errors that name it.
    pub fn phenotypes_path(&self) -> PathBuf {
        self.dir.join(PHENOTYPES)
    }

    /// Writes the phenotype index's bytes.
    pub fn save_phenotypes(&self, bytes: &[u8]) -> Result<(), Error> {
        let path = self.phenotypes_path();
        let mut file = File::create(&path).map_err(|e| Error::io(&path, e))?;
        file.write_all(bytes).map_err(|e| Error::io(&path, e))?;
        file.sync_all().map_err(|e| Error::io(&path, e))
    }

    /// Loads the stored focus recogniser (its type is the answer engine's; this crate only keeps
    /// it). A missing, damaged or older file is [`Error::Io`] or [`Error::Corrupt`] naming it.
    pub fn load_focus<T: serde::de::DeserializeOwned>(&self) -> Result<T, Error> {
        read_postcard(&self.dir.join(FOCUS))
    }

    /// Writes the focus recogniser, built from this generation's catalog.
    pub fn save_focus<T: serde::Serialize>(&self, focus: &T) -> Result<(), Error> {
        write_postcard(&self.dir.join(FOCUS), focus)
    }

    /// Writes sources and built library.
    pub fn save(&self, sources: &[SourceData], library: &Library) -> Result<(), Error> {
        write_postcard(&self.dir.join("sources.bin"), &sources)?;
        crate::library_file::write(&self.dir.join("library.bin"), FORMAT_VERSION, library)
    }
}

/// Writes `value` as the format version, the xxh3 checksum of the body, and the postcard body: a
/// damaged file is then an error on load, not a table that parses but is wrong.
fn write_postcard<T: serde::Serialize + ?Sized>(path: &Path, value: &T) -> Result<(), Error> {
    let body = postcard::to_stdvec(value).map_err(|source| Error::Corrupt {
        path: path.to_owned(),
        source,
    })?;
    let mut bytes = FORMAT_VERSION.to_le_bytes().to_vec();
    bytes.extend(xxhash_rust::xxh3::xxh3_64(&body).to_le_bytes());
    bytes.extend(body);
    let mut file = File::create(path).map_err(|e| Error::io(path, e))?;
    file.write_all(&bytes).map_err(|e| Error::io(path, e))?;
    file.sync_all().map_err(|e| Error::io(path, e))
}

fn read_postcard<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, Error> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let corrupt = |source| Error::Corrupt {
        path: path.to_owned(),
        source,
    };
    let (header, body) = bytes
        .split_at_checked(12)
        .ok_or(corrupt(postcard::Error::DeserializeUnexpectedEnd))?;
    let (version, checksum) = header.split_at(4);
    if version != FORMAT_VERSION.to_le_bytes() || checksum != xxhash_rust::xxh3::xxh3_64(body).to_le_bytes() {
        return Err(corrupt(postcard::Error::DeserializeBadEncoding));
    }
    postcard::from_bytes(body).map_err(corrupt)
}

/// Held while an ingest runs; released on drop (the OS releases it if the process dies).
#[derive(Debug)]
pub struct IngestLock {
    _file: File,
}

impl LibraryStore {
    /// The library area of `data_dir` (created on first write).
    pub fn new(data_dir: &Path) -> LibraryStore {
        LibraryStore {
            root: data_dir.join("library"),
        }
    }

    /// The live generation, if a library was ever built.
    pub fn current(&self) -> Result<Option<Generation>, Error> {
        let pointer = self.root.join("CURRENT");
        match std::fs::read_to_string(&pointer) {
            Ok(name) => Ok(Some(Generation {
                dir: self.root.join(name.trim()),
            })),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::io(pointer, e)),
        }
    }

    /// Takes the ingest lock, failing at once if another ingest holds it.
    pub fn lock(&self) -> Result<IngestLock, Error> {
        std::fs::create_dir_all(&self.root).map_err(|e| Error::io(&self.root, e))?;
        let path = self.root.join("ingest.lock");
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        match file.try_lock() {
            Ok(()) => Ok(IngestLock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => Err(Error::Locked { path }),
            Err(std::fs::TryLockError::Error(e)) => Err(Error::io(path, e)),
        }
    }

    /// Creates a fresh generation directory to build into.
    pub fn begin(&self, _lock: &IngestLock) -> Result<Generation, Error> {
        let mut highest = 0u32;
        if let Ok(entries) = std::fs::read_dir(&self.root) {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if let Some(n) = name.strip_prefix("gen-").and_then(|n| n.parse::<u32>().ok()) {
                    highest = highest.max(n);
                }
            }
        }
        let dir = self.root.join(format!("gen-{:06}", highest + 1));
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        Ok(Generation { dir })
    }

    /// Makes `generation` the live one by an atomic rename of `CURRENT`, then removes generations
    /// older than the previous one and any abandoned ones.
    pub fn commit(&self, _lock: &IngestLock, generation: &Generation) -> Result<(), Error> {
        let previous = self.current()?;
        let name = generation
            .dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = self.root.join("CURRENT.tmp");
        let mut file = File::create(&tmp).map_err(|e| Error::io(&tmp, e))?;
        file.write_all(name.as_bytes()).map_err(|e| Error::io(&tmp, e))?;
        file.sync_all().map_err(|e| Error::io(&tmp, e))?;
        let pointer = self.root.join("CURRENT");
        std::fs::rename(&tmp, &pointer).map_err(|e| Error::io(&pointer, e))?;
        if let Ok(dir) = File::open(&self.root) {
            let _ = dir.sync_all();
        }
        let keep: Vec<PathBuf> = [Some(generation.dir.clone()), previous.map(|g| g.dir)]
            .into_iter()
            .flatten()
            .collect();
        if let Ok(entries) = std::fs::read_dir(&self.root) {
            for entry in entries.flatten() {
                let path = entry.path();
                let is_generation = entry.file_name().to_string_lossy().starts_with("gen-");
                if is_generation && !keep.contains(&path) {
                    // Best effort: a leftover directory costs disk, never correctness.
                    let _ = std::fs::remove_dir_all(&path);
                }
            }
        }
        Ok(())
    }

    /// Removes a generation whose build failed.
    pub fn abandon(&self, generation: Generation) {
        let _ = std::fs::remove_dir_all(generation.dir);
    }
}

/// The current time as RFC 3339 UTC, for ingest records.
pub fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| "unknown".to_owned())
}
