//! Ingest: read sources, build a new library generation aside, index it, and swap it in atomically.
//!
//! A malformed source stops the ingest before anything is swapped: the live library stays exactly as
//! it was, and the half-built generation is removed.

use std::path::{Path, PathBuf};

use kindred_corpus::SourceContent;
use kindred_library::{
    Library, LibraryStats, LibraryStore, SourceData, SourceKind, SourceRecord, now_rfc3339,
};

use crate::Error;
use crate::bundle::{MEDQUAD_SOURCE, default_sources};

/// Progress reporting, drawn as a bar on a terminal by the CLI.
pub trait Progress {
    /// A new stage begins, with a known total of steps or not.
    fn stage(&mut self, name: &str, total: Option<u64>);
    /// Steps done so far in this stage.
    fn set(&mut self, done: u64);
    /// The ingest is over.
    fn finish(&mut self);
}

/// What an ingest did.
#[derive(Debug, Clone)]
pub struct IngestReport {
    /// Sources read by this ingest.
    pub ingested: Vec<SourceRecord>,
    /// Whether the bundled library was built first because the data directory had none.
    pub built_default: bool,
    /// Counts of the new library.
    pub stats: LibraryStats,
}

/// Reads one input path into a source.
fn read_source(path: &Path, progress: &mut dyn Progress) -> Result<SourceData, Error> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let lower = name.to_ascii_lowercase();
    let metadata = std::fs::metadata(path).map_err(|e| kindred_corpus::Error::io(path, e))?;
    progress.stage(&format!("reading {name}"), None);
    let (id, kind, content) = if metadata.is_dir() {
        if has_web_pages(path) {
            (
                name,
                SourceKind::Web,
                SourceContent::Documents(kindred_corpus::read_web_dir(path)?),
            )
        } else {
            let docs = kindred_corpus::read_medquad(path, &mut |n| progress.set(n))?;
            (
                MEDQUAD_SOURCE.to_owned(),
                SourceKind::Medquad,
                SourceContent::Documents(docs),
            )
        }
    } else if lower.ends_with(".tar.gz") || lower.ends_with(".tgz") {
        let docs = kindred_corpus::read_medquad(path, &mut |n| progress.set(n))?;
        (
            MEDQUAD_SOURCE.to_owned(),
            SourceKind::Medquad,
            SourceContent::Documents(docs),
        )
    } else if lower.ends_with(".xml") {
        let docs = kindred_corpus::read_medquad(path, &mut |n| progress.set(n))?;
        (name, SourceKind::Medquad, SourceContent::Documents(docs))
    } else if lower.ends_with(".csv") {
        (
            name,
            SourceKind::JudgedAnswers,
            SourceContent::JudgedAnswers(kindred_corpus::read_judged_csv(path)?),
        )
    } else if lower.ends_with(".txt") || lower.ends_with(".html") || lower.ends_with(".htm") {
        let bytes = std::fs::read(path).map_err(|e| kindred_corpus::Error::io(path, e))?;
        let text = String::from_utf8(bytes).map_err(|e| kindred_corpus::Error::NotUtf8 {
            path: path.to_owned(),
            offset: e.utf8_error().valid_up_to(),
        })?;
        let metadata = kindred_corpus::WebMetadata::default();
        let doc = if lower.ends_with(".txt") {
            kindred_corpus::read_web_text(path, &text, &metadata)?
        } else {
            kindred_corpus::read_web_html(path, &text, &metadata)?
        };
        (name, SourceKind::Web, SourceContent::Documents(vec![doc]))
    } else {
        return Err(kindred_corpus::Error::Unsupported {
            path: path.to_owned(),
        }
        .into());
    };
    let (documents, judged) = match content {
        SourceContent::Documents(documents) => (documents, Vec::new()),
        SourceContent::JudgedAnswers(judged) => (Vec::new(), judged),
    };
    let n_items = documents.len() + judged.len();
    Ok(SourceData {
        record: SourceRecord {
            id,
            kind,
            ingested_at: now_rfc3339(),
            n_items,
        },
        documents,
        judged,
    })
}

fn has_web_pages(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries.flatten().any(|e| {
                let name = e.file_name().to_string_lossy().to_ascii_lowercase();
                name == "metadata.toml"
                    || name.ends_with(".txt")
                    || name.ends_with(".html")
                    || name.ends_with(".htm")
            })
        })
        .unwrap_or(false)
}

/// Replaces the source with the same id, or adds it.
fn replace_or_add(sources: &mut Vec<SourceData>, source: SourceData) {
    match sources.iter_mut().find(|s| s.record.id == source.record.id) {
        Some(existing) => *existing = source,
        None => sources.push(source),
    }
}

/// Ingests `paths` (or, with none, the bundled default library) into the library under `data_dir`.
/// When the data directory has no library yet, the bundled one is built first and `paths` added to it.
pub fn ingest(
    data_dir: &Path,
    paths: &[PathBuf],
    progress: &mut dyn Progress,
) -> Result<IngestReport, Error> {
    let store = LibraryStore::new(data_dir);
    let lock = store.lock()?;
    let current = store.current()?;
    let mut built_default = false;
    // Start from the live library's sources; with none yet, from the bundled ones. With no PATH,
    // the bundled sources are read again and replace their earlier versions; sources the user
    // added stay.
    // A generation written by another version of Kindred cannot be read back: start again from the
    // bundled sources (sources the user added must then be ingested again; we say so).
    let (mut sources, readable): (Vec<SourceData>, bool) = match &current {
        Some(generation) => match generation.load_sources() {
            Ok(sources) => (sources, true),
            Err(kindred_library::Error::Corrupt { path, .. }) => {
                tracing::warn!(path = %path.display(), "stored library is from another version; rebuilding from the bundled sources");
                eprintln!(
                    "the stored library is from another version of Kindred: rebuilding it from the bundled sources"
                );
                (Vec::new(), false)
            }
            Err(e) => return Err(e.into()),
        },
        None => (Vec::new(), false),
    };
    let mut ingested = Vec::new();
    if paths.is_empty() || !readable {
        progress.stage("reading the bundled library", Some(11_300));
        built_default = !readable;
        for source in default_sources(&mut |n| progress.set(n))? {
            if paths.is_empty() {
                ingested.push(source.record.clone());
            }
            replace_or_add(&mut sources, source);
        }
    }
    for path in paths {
        let source = read_source(path, progress)?;
        ingested.push(source.record.clone());
        replace_or_add(&mut sources, source);
    }
    progress.stage("building the catalog", None);
    let library = Library::build(&sources)?;
    let generation = store.begin(&lock)?;
    let result = (|| -> Result<(), Error> {
        progress.stage("indexing passages", Some(library.passages.len() as u64));
        let names: Vec<String> = library
            .catalog
            .conditions
            .iter()
            .map(|c| {
                std::iter::once(c.name.as_str())
                    .chain(c.synonyms.iter().map(String::as_str))
                    .collect::<Vec<_>>()
                    .join(" ; ")
            })
            .collect();
        let mut n_indexed = 0u64;
        kindred_index::build(
            &generation.index_dir(),
            library.passages.iter().enumerate().map(|(passage_idx, passage)| {
                n_indexed += 1;
                if n_indexed.is_multiple_of(1024) {
                    progress.set(n_indexed);
                }
                kindred_index::IndexPassage {
                    passage_idx: passage_idx as u32,
                    text: &passage.text,
                    question: passage.heading.as_deref().unwrap_or(""),
                    names: passage
                        .condition
                        .map(|c| names[c.0 as usize].as_str())
                        .unwrap_or(""),
                    condition: passage.condition.map(|c| c.0),
                }
            }),
        )?;
        progress.stage("saving", None);
        generation.save(&sources, &library)?;
        Ok(())
    })();
    if let Err(e) = result {
        store.abandon(generation);
        return Err(e);
    }
    store.commit(&lock, &generation)?;
    progress.finish();
    Ok(IngestReport {
        ingested,
        built_default,
        stats: library.stats(),
    })
}
