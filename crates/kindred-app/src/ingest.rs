//! Ingest: read sources, build a new library generation aside, index it, and swap it in atomically.
//!
//! A malformed source stops the ingest before anything is swapped: the live library stays exactly as
//! it was, and the half-built generation is removed.

use std::io::Write;
use std::path::{Path, PathBuf};

use kindred_corpus::{InputKind, SourceContent};
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

/// Reads one input path into a source. Its id comes from what it holds: MedQuAD in its own layout is
/// the source `medquad` whatever the path is called; anything else is named by its file name, and may
/// not take the name `medquad`.
fn read_source(path: &Path, progress: &mut dyn Progress) -> Result<SourceData, Error> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    progress.stage(&format!("reading {name}"), None);
    let input = kindred_corpus::read_input(path, &mut |n| progress.set(n))?;
    let (id, kind) = match input.kind {
        InputKind::MedquadCollection => (MEDQUAD_SOURCE.to_owned(), SourceKind::Medquad),
        InputKind::MedquadDocuments => (input.name, SourceKind::Medquad),
        InputKind::WebPages => (input.name, SourceKind::Web),
        InputKind::JudgedAnswers => (input.name, SourceKind::JudgedAnswers),
    };
    if id.eq_ignore_ascii_case(MEDQUAD_SOURCE) && input.kind != InputKind::MedquadCollection {
        return Err(Error::ReservedSourceName {
            path: path.to_owned(),
            id,
        });
    }
    let (documents, judged) = match input.content {
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

/// Refuses, unless `replace` is set, to replace a source with one of another kind or with fewer than
/// half its items: a mistaken path must not silently empty the library. `path` is the input read.
fn check_replacement(
    sources: &[SourceData],
    source: &SourceData,
    path: &Path,
    replace: bool,
) -> Result<(), Error> {
    let Some(existing) = sources.iter().find(|s| s.record.id == source.record.id) else {
        return Ok(());
    };
    if replace {
        return Ok(());
    }
    let (before, after) = (&existing.record, &source.record);
    if before.kind != after.kind || after.n_items.saturating_mul(2) < before.n_items {
        return Err(Error::WouldShrink {
            path: path.to_owned(),
            id: before.id.clone(),
            before: before.n_items,
            after: after.n_items,
        });
    }
    Ok(())
}

/// Replaces the source with the same id, or adds it.
fn replace_or_add(sources: &mut Vec<SourceData>, source: SourceData) {
    match sources.iter_mut().find(|s| s.record.id == source.record.id) {
        Some(existing) => *existing = source,
        None => sources.push(source),
    }
}

/// How an ingest may change the library.
#[derive(Debug, Clone, Copy, Default)]
pub struct IngestOptions {
    /// Allow replacing a source with one of another kind or with fewer than half its items (the
    /// CLI's `--replace`). Without it such an ingest stops before anything is written.
    pub replace: bool,
}

/// Ingests `paths` (or, with none, the bundled default library) into the library under `data_dir`.
/// When the data directory has no library yet, the bundled one is built first and `paths` added to it.
pub fn ingest(
    data_dir: &Path,
    paths: &[PathBuf],
    progress: &mut dyn Progress,
) -> Result<IngestReport, Error> {
    ingest_with(data_dir, paths, IngestOptions::default(), progress)
}

/// [`ingest`] with options.
pub fn ingest_with(
    data_dir: &Path,
    paths: &[PathBuf],
    options: IngestOptions,
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
                // Not eprintln!: a closed standard error must not panic an ingest.
                let _ = writeln!(
                    std::io::stderr(),
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
        check_replacement(&sources, &source, path, options.replace)?;
        ingested.push(source.record.clone());
        replace_or_add(&mut sources, source);
    }
    progress.stage("building the catalog", None);
    let mut library = Library::build(&sources)?;
    progress.stage("reading the phenotype ontology", None);
    let started = std::time::Instant::now();
    let (ontology, annotations) = crate::bundle::phenotype_ontology()?;
    tracing::info!(
        elapsed_ms = started.elapsed().as_millis() as u64,
        "read the phenotype ontology"
    );
    // HPO concepts enrich the catalog before it is indexed and saved: its synonyms name the
    // conditions in the index, and its broader links steer focus.
    crate::phenotype::apply_concepts(&mut library.catalog, &ontology);
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
                    text: library.text_of(passage),
                    question: passage.heading.as_deref().unwrap_or(""),
                    names: passage
                        .condition
                        .map(|c| names[c.0 as usize].as_str())
                        .unwrap_or(""),
                    condition: passage.condition.map(|c| c.0),
                }
            }),
        )?;
        progress.stage("bridging phenotypes", None);
        let search = kindred_index::SearchIndex::open(&generation.index_dir())?;
        let doc_fraction = |stem: &str| {
            let (freq, n) = search.text_doc_freq(stem);
            freq as f32 / n.max(1) as f32
        };
        let started = std::time::Instant::now();
        let phenotypes = crate::phenotype::build_index(&library, &ontology, &annotations, &doc_fraction);
        tracing::info!(
            elapsed_ms = started.elapsed().as_millis() as u64,
            "built the phenotype index"
        );
        drop(search);
        progress.stage("saving", None);
        generation.save(&sources, &library)?;
        generation.save_phenotypes(&phenotypes.to_bytes()?)?;
        generation.save_focus(&kindred_answer::FocusRecognizer::new(
            library
                .catalog
                .names()
                .map(|(name, id, preferred)| (name, id.0, preferred)),
        ))?;
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
