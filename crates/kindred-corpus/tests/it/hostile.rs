//! Issue 9: hostile and malformed inputs. The regression corpus (`tests/corpus/reject`, one small file
//! per way a reader was fooled) must be refused with an error naming the file, and `tests/corpus/accept`
//! read; inputs too big or too strange to commit (a FIFO, symlinks, a 50,000-deep page, archive entries
//! past the limit) are made here.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use kindred_corpus::{Error, Input, MAX_FILE_BYTES, MAX_NESTING_DEPTH, read_input};

fn corpus(kind: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(kind);
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

fn read(path: &Path) -> Result<Input, Error> {
    read_input(path, &mut |_| {})
}

/// Reads `path` on another thread, failing the test if that takes more than ten seconds (a FIFO
/// opened for reading would block for ever).
fn read_with_deadline(path: &Path) -> Result<Input, Error> {
    let (send, receive) = mpsc::channel();
    let owned = path.to_owned();
    std::thread::spawn(move || send.send(read(&owned)));
    receive
        .recv_timeout(Duration::from_secs(10))
        .unwrap_or_else(|_| panic!("reading {} blocked", path.display()))
}

/// `path` is refused with a message naming `name`; returns the message.
fn assert_refused(path: &Path, name: &str) -> String {
    let message = match read_with_deadline(path) {
        Ok(input) => panic!("{} was read: {:?} {}", path.display(), input.kind, input.name),
        Err(e) => e.to_string(),
    };
    assert!(
        message.contains(name),
        "the error does not name {name}: {message}"
    );
    message
}

#[test]
fn regression_corpus_is_refused() {
    let files = corpus("reject");
    assert!(files.len() >= 25, "{files:?}");
    for path in files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let message = assert_refused(&path, &name);
        // Where the reader knows the line, it says so (a control character is placed by its byte).
        if name.starts_with("csv_") && !name.contains("control") {
            assert!(message.contains("line "), "{message}");
        }
    }
}

#[test]
fn regression_corpus_accepts_good_files() {
    for path in corpus("accept") {
        if let Err(e) = read(&path) {
            panic!("{}: {e}", path.display());
        }
    }
}

#[test]
fn symlinks_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let target = corpus("accept")
        .into_iter()
        .find(|p| p.ends_with("page.txt"))
        .unwrap();
    let link = dir.path().join("p.txt");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let message = assert_refused(&link, "p.txt");
    assert!(message.contains("symbolic link"), "{message}");

    // Inside a folder of pages, and inside a MedQuAD tree, whether to a file or to a folder.
    let pages = dir.path().join("pages");
    std::fs::create_dir(&pages).unwrap();
    std::fs::copy(&target, pages.join("real.txt")).unwrap();
    std::os::unix::fs::symlink(&target, pages.join("linked.txt")).unwrap();
    assert_refused(&pages, "linked.txt");

    let tree = dir.path().join("tree");
    std::fs::create_dir_all(tree.join("6_NINDS_QA")).unwrap();
    let xml = corpus("accept")
        .into_iter()
        .find(|p| p.ends_with("medquad.xml"))
        .unwrap();
    std::fs::copy(&xml, tree.join("6_NINDS_QA/a.xml")).unwrap();
    std::os::unix::fs::symlink("/etc", tree.join("etc")).unwrap();
    assert_refused(&tree, "etc");
}

#[test]
fn fifos_are_refused_without_blocking() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.txt");
    let status = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(status.success());
    let message = assert_refused(&fifo, "pipe.txt");
    assert!(message.contains("FIFO"), "{message}");

    let pages = dir.path().join("pages");
    std::fs::create_dir(&pages).unwrap();
    std::fs::write(
        pages.join("real.txt"),
        "Dystonia\n\nDystonia is a movement disorder.\n",
    )
    .unwrap();
    let status = std::process::Command::new("mkfifo")
        .arg(pages.join("inner.html"))
        .status()
        .unwrap();
    assert!(status.success());
    assert_refused(&pages, "inner.html");
}

#[test]
fn files_past_the_size_limit_are_refused_unread() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["big.txt", "big.xml", "big.csv", "big.tar.gz"] {
        // Sparse: the size is declared, the disk holds nothing.
        let path = dir.path().join(name);
        let file = std::fs::File::create(&path).unwrap();
        let limit = if name.ends_with(".tar.gz") {
            kindred_corpus::MAX_ARCHIVE_BYTES
        } else {
            MAX_FILE_BYTES
        };
        file.set_len(limit + 1).unwrap();
        let message = assert_refused(&path, name);
        assert!(message.contains("limit"), "{message}");
    }
}

fn deep_html(depth: usize) -> String {
    let mut html = String::from("<html><body><h1>Dystonia</h1>");
    html.push_str(&"<div>".repeat(depth));
    html.push_str("<p>Dystonia is a movement disorder that causes muscles to contract.</p>");
    html.push_str(&"</div>".repeat(depth));
    html.push_str("</body></html>");
    html
}

#[test]
fn nesting_past_the_limit_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let deep = dir.path().join("deep.html");
    std::fs::write(&deep, deep_html(50_000)).unwrap();
    let message = assert_refused(&deep, "deep.html");
    assert!(message.contains("nested"), "{message}");

    // Just inside the limit is fine (the page's own html and body count too).
    let ok = dir.path().join("ok.html");
    std::fs::write(&ok, deep_html(MAX_NESTING_DEPTH - 10)).unwrap();
    read(&ok).unwrap();

    let xml = dir.path().join("deep.xml");
    let mut text = String::from(r#"<Document id="1" source="NINDS"><Focus>x</Focus>"#);
    text.push_str(&"<a>".repeat(50_000));
    text.push_str(&"</a>".repeat(50_000));
    text.push_str("</Document>");
    std::fs::write(&xml, text).unwrap();
    let message = assert_refused(&xml, "deep.xml");
    assert!(message.contains("nested"), "{message}");
}

/// A `.tar.gz` of `entries`, each given as a header (path, declared size) and the bytes that follow.
fn write_tar_gz(path: &Path, entries: &[(&str, tar::EntryType, Vec<u8>)]) {
    let file = std::fs::File::create(path).unwrap();
    let mut builder = tar::Builder::new(flate2::write::GzEncoder::new(file, flate2::Compression::fast()));
    for (name, kind, contents) in entries {
        let mut header = tar::Header::new_ustar();
        header.set_size(contents.len() as u64);
        header.set_mode(0o644);
        header.set_entry_type(*kind);
        builder
            .append_data(&mut header, name, contents.as_slice())
            .unwrap();
    }
    builder.into_inner().unwrap().finish().unwrap().flush().unwrap();
}

#[test]
fn archive_entries_past_the_limit_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let xml = std::fs::read(
        corpus("accept")
            .into_iter()
            .find(|p| p.ends_with("medquad.xml"))
            .unwrap(),
    )
    .unwrap();
    let too_big = vec![b' '; MAX_FILE_BYTES as usize + 1];

    // A regular entry one byte past the limit.
    let archive = dir.path().join("big_entry.tar.gz");
    write_tar_gz(
        &archive,
        &[
            ("medquad/6_NINDS_QA/a.xml", tar::EntryType::Regular, xml.clone()),
            (
                "medquad/6_NINDS_QA/b.xml",
                tar::EntryType::Regular,
                too_big.clone(),
            ),
        ],
    );
    let message = assert_refused(&archive, "big_entry.tar.gz");
    assert!(
        message.contains("b.xml") && message.contains("limit"),
        "{message}"
    );

    // An entry the reader would skip (not XML) is refused too rather than decompressed to nowhere.
    let archive = dir.path().join("big_other.tar.gz");
    write_tar_gz(
        &archive,
        &[
            ("medquad/6_NINDS_QA/a.xml", tar::EntryType::Regular, xml.clone()),
            ("medquad/notes.bin", tar::EntryType::Regular, too_big.clone()),
        ],
    );
    assert_refused(&archive, "big_other.tar.gz");

    // A pax extended header the tar reader would load whole into memory.
    let archive = dir.path().join("big_pax.tar.gz");
    write_tar_gz(
        &archive,
        &[
            ("medquad/6_NINDS_QA/a.xml", tar::EntryType::Regular, xml.clone()),
            ("pax", tar::EntryType::XHeader, too_big),
            ("medquad/6_NINDS_QA/c.xml", tar::EntryType::Regular, xml),
        ],
    );
    let message = assert_refused(&archive, "big_pax.tar.gz");
    assert!(message.contains("limit"), "{message}");
}

#[test]
fn medquad_is_recognised_by_layout_not_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let xml = std::fs::read(
        corpus("accept")
            .into_iter()
            .find(|p| p.ends_with("medquad.xml"))
            .unwrap(),
    )
    .unwrap();
    let layout = |name: &str, folder: &str| {
        let archive = dir.path().join(name);
        write_tar_gz(&archive, &[(folder, tar::EntryType::Regular, xml.clone())]);
        read(&archive).unwrap().kind
    };
    use kindred_corpus::InputKind;
    assert_eq!(
        layout("medquad.tar.gz", "x/kindred.xml"),
        InputKind::MedquadDocuments
    );
    assert_eq!(
        layout("a.tar.gz", "MedQuAD-master/6_NINDS_QA/kindred.xml"),
        InputKind::MedquadCollection
    );
    // The folder says NINDS, the document says otherwise: not MedQuAD's layout.
    assert_eq!(
        layout("b.tar.gz", "medquad/2_GARD_QA/kindred.xml"),
        InputKind::MedquadDocuments
    );

    let folder = dir.path().join("medquad");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("one.xml"), &xml).unwrap();
    assert_eq!(read(&folder).unwrap().kind, InputKind::MedquadDocuments);

    // The bundled archive is MedQuAD.
    let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/medquad.tar.gz");
    let input = read(&bundled).unwrap();
    assert_eq!(input.kind, InputKind::MedquadCollection);
}
