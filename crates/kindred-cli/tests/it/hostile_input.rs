//! Issue 9, finding 6: ingest must never lose or corrupt the library, whatever it is handed. Each test
//! reproduces one way the reporter broke it, through the real binary, and checks that the input is
//! refused with a message naming the file and that the library is exactly as it was.
//!
//! The regression corpus of small bad files lives in `kindred-corpus/tests/corpus` and is replayed
//! there; the inputs here are the ones that need the whole binary (a FIFO, a symlink, a 2 GB archive
//! entry, a 50,000-deep page, a source that would shrink) or that the reporter ran by hand.

use std::io::Write;
use std::path::Path;
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::bad_input::{KINDRED_TEST_SYNDROME, assert_rejected, assert_rejected_by, assert_rejected_path};
use crate::{
    default_library, default_library_stats, kindred, library_copy, run, stats_json, success, temp_dir,
};

/// Documents of MedQuAD in the bundled library.
fn medquad_items(stats: &Value) -> u64 {
    stats["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "medquad")
        .and_then(|s| s["n_items"].as_u64())
        .expect("the library has the source medquad")
}

/// A `.tar.gz` holding `entries` (path, contents).
fn tar_gz(path: &Path, entries: &[(&str, &[u8])]) {
    let file = std::fs::File::create(path).unwrap();
    let mut builder = tar::Builder::new(flate2::write::GzEncoder::new(file, flate2::Compression::fast()));
    for (name, contents) in entries {
        let mut header = tar::Header::new_gnu();
        header.set_size(contents.len() as u64);
        header.set_mode(0o644);
        header.set_entry_type(tar::EntryType::Regular);
        builder.append_data(&mut header, name, *contents).unwrap();
    }
    builder.into_inner().unwrap().finish().unwrap();
}

#[test]
fn issue9_folder_with_one_medquad_xml_is_not_medquad() {
    let data = library_copy();
    let input = temp_dir();
    let folder = input.path().join("one");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("kindred_test.xml"), KINDRED_TEST_SYNDROME).unwrap();
    let before: Value = serde_json::from_str(default_library_stats()).unwrap();

    success(
        &run(data.path(), &["ingest", folder.to_str().unwrap()]),
        "ingest of one/",
    );
    let after = stats_json(data.path());
    assert_eq!(medquad_items(&after), medquad_items(&before), "{after:#}");
    assert_eq!(
        after["n_documents"].as_u64().unwrap(),
        before["n_documents"].as_u64().unwrap() + 1,
        "{after:#}"
    );
}

#[test]
fn issue9_any_tar_gz_is_not_medquad() {
    let data = library_copy();
    let input = temp_dir();
    let archive = input.path().join("any.tar.gz");
    tar_gz(
        &archive,
        &[("pages/kindred_test.xml", KINDRED_TEST_SYNDROME.as_bytes())],
    );
    let before: Value = serde_json::from_str(default_library_stats()).unwrap();

    success(
        &run(data.path(), &["ingest", archive.to_str().unwrap()]),
        "ingest of any.tar.gz",
    );
    let after = stats_json(data.path());
    assert_eq!(medquad_items(&after), medquad_items(&before), "{after:#}");
    assert!(
        after["sources"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["id"] == "any.tar.gz"),
        "{after:#}"
    );
}

#[test]
fn issue9_shrinking_medquad_needs_replace() {
    // In MedQuAD's own layout, so it is MedQuAD: but 1 document where there were 11,279.
    let input = temp_dir();
    let archive = input.path().join("small.tar.gz");
    tar_gz(
        &archive,
        &[("medquad/6_NINDS_QA/9999999.xml", KINDRED_TEST_SYNDROME.as_bytes())],
    );
    let archive = archive.to_str().unwrap();
    let stderr = assert_rejected_by("medquad", |data_dir| run(data_dir, &["ingest", archive]));
    assert!(stderr.contains("--replace"), "{stderr}");

    let data = library_copy();
    success(
        &run(data.path(), &["ingest", "--replace", archive]),
        "ingest --replace of small.tar.gz",
    );
    let after = stats_json(data.path());
    assert_eq!(medquad_items(&after), 1, "{after:#}");
}

#[test]
fn issue9_symlink_is_refused() {
    let input = temp_dir();
    let target = input.path().join("target.txt");
    std::fs::write(
        &target,
        "Symlinked page\n\nroot:x:0:0:root:/root:/bin/bash is not a statement about health.\n",
    )
    .unwrap();
    let link = input.path().join("p.txt");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    assert_rejected_path(&link, "p.txt");
}

#[test]
fn issue9_control_characters_in_single_files() {
    let body = "Dystonia is a movement disorder that causes muscles to contract involuntarily.";
    assert_rejected("nul.txt", format!("Dystonia\n\n{body}\0 More text.\n").as_bytes());
    assert_rejected(
        "escape.txt",
        format!("Dystonia\n\n{body} \u{1b}[2J\u{1b}[31mred\n").as_bytes(),
    );
    assert_rejected(
        "escape.html",
        format!("<html><body><h1>Dystonia</h1><p>{body} \u{1b}]0;pwned\u{7}</p></body></html>").as_bytes(),
    );
    assert_rejected(
        "entity.html",
        format!("<html><body><h1>Dystonia</h1><p>{body} &#27;[31m red</p></body></html>").as_bytes(),
    );
}

#[test]
fn issue9_deeply_nested_html() {
    let depth = 50_000;
    let mut html = String::from("<html><body><h1>Dystonia</h1>");
    html.push_str(&"<div>".repeat(depth));
    html.push_str("<p>Dystonia is a movement disorder that causes muscles to contract.</p>");
    html.push_str(&"</div>".repeat(depth));
    html.push_str("</body></html>");
    assert_rejected("deep.html", html.as_bytes());
}

/// A gzipped tar holding one entry of `size` zero bytes, made without compressing them all: after a
/// full flush the compressor starts afresh, so every later megabyte of zeros compresses to the same
/// bytes, which are repeated. The trailer's CRC is that of the real contents, so the file is valid.
fn zeros_tar_gz(path: &Path, entry: &str, size: u64) {
    use flate2::{Compress, Compression, Crc, FlushCompress};
    const CHUNK: usize = 1 << 20;
    assert_eq!(size % CHUNK as u64, 0);
    let mut header = tar::Header::new_gnu();
    header.set_path(entry).unwrap();
    header.set_size(size);
    header.set_mode(0o644);
    header.set_entry_type(tar::EntryType::Regular);
    header.set_cksum();

    let mut compress = Compress::new(Compression::best(), false);
    let mut deflate = |input: &[u8], flush: FlushCompress| -> Vec<u8> {
        let mut out = Vec::with_capacity(input.len() / 4 + 1024);
        let start_in = compress.total_in();
        loop {
            let consumed = (compress.total_in() - start_in) as usize;
            out.reserve(64 * 1024);
            compress
                .compress_vec(&input[consumed..], &mut out, flush)
                .unwrap();
            if (compress.total_in() - start_in) as usize == input.len() && out.len() < out.capacity() {
                return out;
            }
        }
    };
    let zeros = vec![0u8; CHUNK];
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut crc = Crc::new();
    // gzip header: deflate, no flags, no time, unknown OS.
    file.write_all(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]).unwrap();
    file.write_all(&deflate(header.as_bytes(), FlushCompress::Full))
        .unwrap();
    crc.update(header.as_bytes());
    let first = deflate(&zeros, FlushCompress::Full);
    let second = deflate(&zeros, FlushCompress::Full);
    file.write_all(&first).unwrap();
    file.write_all(&second).unwrap();
    let n_chunks = size / CHUNK as u64;
    for chunk_idx in 2..n_chunks {
        let third = if chunk_idx == 2 {
            deflate(&zeros, FlushCompress::Full)
        } else {
            second.clone()
        };
        assert_eq!(third, second, "zeros after a full flush compress alike");
        file.write_all(&third).unwrap();
    }
    for _ in 0..n_chunks {
        crc.update(&zeros);
    }
    // The end of the archive: two zero blocks.
    let end = [0u8; 1024];
    file.write_all(&deflate(&end, FlushCompress::Finish)).unwrap();
    crc.update(&end);
    file.write_all(&crc.sum().to_le_bytes()).unwrap();
    file.write_all(&((512 + size + 1024) as u32).to_le_bytes())
        .unwrap();
    file.flush().unwrap();
}

#[test]
fn issue9_archive_entry_of_2_gb() {
    let input = temp_dir();
    let archive = input.path().join("bomb.tar.gz");
    zeros_tar_gz(&archive, "medquad/6_NINDS_QA/0000001.xml", 2 << 30);
    let size = std::fs::metadata(&archive).unwrap().len();
    assert!(size < 8 << 20, "the archive is {size} bytes");
    let stderr = assert_rejected_by("bomb.tar.gz", |data_dir| {
        run(data_dir, &["ingest", archive.to_str().unwrap()])
    });
    assert!(stderr.contains("0000001.xml"), "{stderr}");
}

/// Runs `kindred ARGS...` on `data_dir`, killing it if it has not finished in `limit`.
fn run_with_deadline(data_dir: &Path, args: &[&str], limit: Duration) -> Output {
    let mut child = kindred(data_dir)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > limit {
            child.kill().unwrap();
            let output = child.wait_with_output().unwrap();
            panic!(
                "kindred {args:?} still running after {limit:?}\nstderr:\n{}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().unwrap()
}

#[test]
fn issue9_fifo_is_refused() {
    let input = temp_dir();
    let fifo = input.path().join("pipe.txt");
    let status = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(status.success());
    let fifo = fifo.to_str().unwrap();
    assert_rejected_by("pipe.txt", |data_dir| {
        run_with_deadline(data_dir, &["ingest", fifo], Duration::from_secs(60))
    });
}

#[test]
fn issue9_malformed_csv_is_refused() {
    // Real judged-answer ids, so that only the CSV's form is at fault.
    let good = "AnswerID,Answer\nADAM_0003147_Sec1.txt,\"Question: What is PCOS ?\nURL: https://x\nAnswer: PCOS is a condition of hormones.\"\n";
    let cut = &good[..good.len() - 20];
    assert_rejected("truncated.csv", cut.as_bytes());
    assert_rejected(
        "bad_quoting.csv",
        b"AnswerID,Answer\nADAM_0003147_Sec1.txt,\"Question: What is \"PCOS\" ?\nAnswer: PCOS is a condition.\"\n",
    );
    assert_rejected(
        "quote_in_field.csv",
        b"AnswerID,Answer\nADAM_0003147_Sec1.txt,Answer: PCOS is a \"condition\".\n",
    );
    assert_rejected(
        "short_record.csv",
        b"AnswerID,Answer\nADAM_0003147_Sec1.txt,\"Answer: PCOS is a condition.\"\nADAM_0003147_Sec2.txt\n",
    );
}

#[test]
fn issue9_malformed_xml_is_refused() {
    let body = KINDRED_TEST_SYNDROME;
    // An attribute without quotes.
    assert_rejected(
        "unquoted.xml",
        body.replace(r#"id="9999999""#, "id=9999999").as_bytes(),
    );
    // A second root element after the document.
    assert_rejected(
        "two_roots.xml",
        format!("{body}\n<Document id=\"1\"/>").as_bytes(),
    );
    // An entity nobody defined, outside the fields read.
    assert_rejected(
        "entity.xml",
        body.replace("<QAPairs>", "<QAPairs>&bogus;").as_bytes(),
    );
    // A control character written as a character reference.
    assert_rejected(
        "control.xml",
        body.replace("made-up movement", "made-up &#27;[2J movement")
            .as_bytes(),
    );
}

#[test]
fn issue9_broken_pipe_is_quiet() {
    let data = default_library();
    for args in [
        &["stats"][..],
        &["stats", "--json"],
        &["ask", "what causes dystonia"],
    ] {
        let (reader, writer) = std::io::pipe().unwrap();
        // The reader is gone before kindred writes anything: every write fails with EPIPE.
        drop(reader);
        let output = kindred(data)
            .args(args)
            .stdout(writer)
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success(),
            "kindred {args:?} into a closed pipe: {}\n{stderr}",
            output.status
        );
        assert!(
            stderr.is_empty(),
            "kindred {args:?} into a closed pipe said:\n{stderr}"
        );
    }
}

#[test]
fn issue9_broken_pipe_with_head() {
    // The reporter's own command line.
    let data = default_library();
    let output = std::process::Command::new("bash")
        .arg("-c")
        .arg(r#"set -o pipefail; "$0" --data-dir "$1" stats | head -1"#)
        .arg(env!("CARGO_BIN_EXE_kindred"))
        .arg(data)
        .env_remove("KINDRED_LOG")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{}\n{stderr}", output.status);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("sources:"));
}
