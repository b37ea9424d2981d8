//! The library store: generations, the `CURRENT` pointer, the ingest lock, and unreadable files.

use std::path::{Path, PathBuf};

use kindred_corpus::SectionKind;
use kindred_library::{Error, Library, LibraryStore, SourceData, SourceKind, SourceRecord};

use crate::{page_section, paragraph, web};

fn sources(n_pages: usize) -> Vec<SourceData> {
    let documents: Vec<_> = (0..n_pages)
        .map(|page_idx| kindred_corpus::Document {
            sections: vec![page_section(
                SectionKind::Overview,
                "Overview",
                vec![paragraph(&format!(
                    "Page {page_idx} says dystonia is a movement disorder."
                ))],
            )],
            ..web(&format!("web:page-{page_idx}"), "Dystonia")
        })
        .collect();
    vec![SourceData {
        record: SourceRecord {
            id: "pages".into(),
            kind: SourceKind::Web,
            ingested_at: "2025-01-01T00:00:00Z".into(),
            n_items: documents.len(),
        },
        documents,
        judged: Vec::new(),
    }]
}

/// Builds, saves and commits a library of `n_pages` pages; returns the committed generation's dir.
fn ingest(store: &LibraryStore, n_pages: usize) -> PathBuf {
    let lock = store.lock().unwrap();
    let sources = sources(n_pages);
    let library = Library::build(&sources).unwrap();
    let generation = store.begin(&lock).unwrap();
    generation.save(&sources, &library).unwrap();
    store.commit(&lock, &generation).unwrap();
    generation.dir
}

/// Names of the generation directories under `<data>/library`, sorted.
fn generation_dirs(data_dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(data_dir.join("library"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("gen-"))
        .collect();
    names.sort();
    names
}

#[test]
fn a_committed_generation_is_current_and_round_trips() {
    let data = tempfile::tempdir().unwrap();
    let store = LibraryStore::new(data.path());
    assert!(store.current().unwrap().is_none());

    let lock = store.lock().unwrap();
    let sources = sources(2);
    let library = Library::build(&sources).unwrap();
    let generation = store.begin(&lock).unwrap();
    assert_eq!(generation.dir, data.path().join("library/gen-000001"));
    assert_eq!(
        generation.index_dir(),
        data.path().join("library/gen-000001/index")
    );
    generation.save(&sources, &library).unwrap();
    // Saved but not committed: not live yet.
    assert!(store.current().unwrap().is_none());
    store.commit(&lock, &generation).unwrap();

    let current = store.current().unwrap().unwrap();
    assert_eq!(current.dir, generation.dir);
    assert_eq!(
        std::fs::read_to_string(data.path().join("library/CURRENT")).unwrap(),
        "gen-000001"
    );
    assert_eq!(current.load_library().unwrap(), library);
    assert_eq!(current.load_sources().unwrap(), sources);
    assert_eq!(current.load_library().unwrap().passages.len(), 2);
}

#[test]
fn a_second_lock_fails_while_the_first_is_held() {
    let data = tempfile::tempdir().unwrap();
    let store = LibraryStore::new(data.path());
    let other = LibraryStore::new(data.path());
    let lock = store.lock().unwrap();
    match other.lock() {
        Err(Error::Locked { path }) => assert_eq!(path, data.path().join("library/ingest.lock")),
        other => panic!("expected Error::Locked, got {other:?}"),
    }
    let message = store.lock().unwrap_err().to_string();
    assert!(
        message.contains("ingest.lock") && message.contains("another ingest"),
        "{message}"
    );
    drop(lock);
    other.lock().unwrap();
}

#[test]
fn an_abandoned_generation_leaves_current_unchanged() {
    let data = tempfile::tempdir().unwrap();
    let store = LibraryStore::new(data.path());
    let first = ingest(&store, 1);
    let lock = store.lock().unwrap();
    let failed = store.begin(&lock).unwrap();
    assert_eq!(failed.dir, data.path().join("library/gen-000002"));
    std::fs::create_dir_all(failed.index_dir()).unwrap();
    let failed_dir = failed.dir.clone();
    store.abandon(failed);
    drop(lock);

    assert!(!failed_dir.exists());
    let current = store.current().unwrap().unwrap();
    assert_eq!(current.dir, first);
    assert_eq!(current.load_library().unwrap().passages.len(), 1);
    assert_eq!(generation_dirs(data.path()), vec!["gen-000001"]);
}

#[test]
fn commits_keep_the_current_and_previous_generations_only() {
    let data = tempfile::tempdir().unwrap();
    let store = LibraryStore::new(data.path());
    let mut committed = Vec::new();
    for n_pages in 1..=3 {
        committed.push(ingest(&store, n_pages));
    }
    assert_eq!(generation_dirs(data.path()), vec!["gen-000002", "gen-000003"]);
    let current = store.current().unwrap().unwrap();
    assert_eq!(current.dir, committed[2]);
    assert_eq!(current.load_library().unwrap().passages.len(), 3);
    // A reader that opened the previous generation can still load it.
    let previous = kindred_library::Generation {
        dir: committed[1].clone(),
    };
    assert_eq!(previous.load_library().unwrap().passages.len(), 2);
}

#[test]
fn a_leftover_generation_of_a_killed_ingest_is_removed_on_the_next_commit() {
    let data = tempfile::tempdir().unwrap();
    let store = LibraryStore::new(data.path());
    ingest(&store, 1);
    // An ingest killed after `begin`: its directory stays behind, never committed.
    std::fs::create_dir_all(data.path().join("library/gen-000002/index")).unwrap();
    let next = ingest(&store, 2);
    assert_eq!(next, data.path().join("library/gen-000003"));
    assert_eq!(generation_dirs(data.path()), vec!["gen-000001", "gen-000003"]);
}

#[test]
fn an_unreadable_library_file_is_corrupt_and_named() {
    let data = tempfile::tempdir().unwrap();
    let store = LibraryStore::new(data.path());
    let dir = ingest(&store, 1);
    let library_bin = dir.join("library.bin");
    let valid = std::fs::read(&library_bin).unwrap();
    // Passage texts are read as one buffer and never deserialised one by one: a damaged byte in
    // them must still be caught on load, not shown later.
    let mut flipped_text = valid.clone();
    let text_at = flipped_text
        .windows(b"movement disorder".len())
        .position(|w| w == b"movement disorder")
        .unwrap();
    flipped_text[text_at] ^= 0x20;
    let cases: [(&str, Vec<u8>); 7] = [
        ("empty", Vec::new()),
        ("shorter than the version", vec![1, 0]),
        (
            "another format version",
            [&[99u8, 0, 0, 0][..], &valid[4..]].concat(),
        ),
        ("truncated body", valid[..valid.len() / 2].to_vec()),
        ("last byte missing", valid[..valid.len() - 1].to_vec()),
        ("a byte appended", [&valid[..], &[0u8][..]].concat()),
        ("a flipped byte in a passage's text", flipped_text),
    ];
    for (case, bytes) in cases {
        std::fs::write(&library_bin, bytes).unwrap();
        let current = store.current().unwrap().unwrap();
        let err = current.load_library().unwrap_err();
        let message = err.to_string();
        match err {
            Error::Corrupt { path, .. } => assert_eq!(path, library_bin, "{case}"),
            other => panic!("{case}: expected Error::Corrupt, got {other:?}"),
        }
        assert!(
            message.starts_with(&library_bin.display().to_string()),
            "{case}: {message}"
        );
        assert!(message.contains("kindred ingest"), "{case}: {message}");
        // The sources beside it are untouched and still load.
        assert_eq!(current.load_sources().unwrap().len(), 1, "{case}");
    }
}

#[test]
fn a_damaged_focus_file_is_corrupt_and_named() {
    let data = tempfile::tempdir().unwrap();
    let store = LibraryStore::new(data.path());
    let dir = ingest(&store, 1);
    let current = store.current().unwrap().unwrap();
    let focus: Vec<(String, u32)> = vec![("dystonia".into(), 7), ("noonan syndrome".into(), 9)];
    current.save_focus(&focus).unwrap();
    assert_eq!(current.load_focus::<Vec<(String, u32)>>().unwrap(), focus);
    let focus_bin = dir.join("focus.bin");
    let valid = std::fs::read(&focus_bin).unwrap();
    // A flipped count still parses: only the checksum tells.
    let mut flipped = valid.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 0x01;
    let cases: [(&str, Vec<u8>); 4] = [
        ("empty", Vec::new()),
        (
            "another format version",
            [&[99u8, 0, 0, 0][..], &valid[4..]].concat(),
        ),
        ("truncated", valid[..valid.len() - 3].to_vec()),
        ("a flipped byte", flipped),
    ];
    for (case, bytes) in cases {
        std::fs::write(&focus_bin, bytes).unwrap();
        match current.load_focus::<Vec<(String, u32)>>() {
            Err(Error::Corrupt { path, .. }) => assert_eq!(path, focus_bin, "{case}"),
            other => panic!("{case}: expected Error::Corrupt, got {other:?}"),
        }
    }
}

#[test]
fn a_missing_library_file_is_an_io_error_naming_it() {
    let data = tempfile::tempdir().unwrap();
    let store = LibraryStore::new(data.path());
    let dir = ingest(&store, 1);
    std::fs::remove_file(dir.join("library.bin")).unwrap();
    match store.current().unwrap().unwrap().load_library() {
        Err(Error::Io { path, source }) => {
            assert_eq!(path, dir.join("library.bin"));
            assert_eq!(source.kind(), std::io::ErrorKind::NotFound);
        }
        other => panic!("expected Error::Io, got {other:?}"),
    }
}
