//! End-to-end tests of the `kindred` binary: each runs the real executable in a temporary data
//! directory. The bundled default library is built once per test binary (see [`default_library`]);
//! tests that change a library work on their own copy of it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod answers;
mod bad_input;
mod contract;
mod durability;
mod edge;
mod hostile_input;
mod phenotypes;
mod safety;
mod sign_in;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Mutex, Once, OnceLock};

use serde_json::Value;
use tempfile::TempDir;

/// Prefix of the shared fixture directory under `CARGO_TARGET_TMPDIR`, followed by the process id.
const FIXTURE_PREFIX: &str = "kindred-it-default-library-";

/// A `kindred` command on `data_dir`, isolated from the caller's environment.
pub fn kindred(data_dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kindred"));
    command
        .env_remove("KINDRED_DATA_DIR")
        .env_remove("KINDRED_LOG")
        .arg("--data-dir")
        .arg(data_dir)
        .stdin(Stdio::null());
    command
}

/// Runs `kindred --data-dir DATA_DIR ARGS...`.
pub fn run(data_dir: &Path, args: &[&str]) -> Output {
    kindred(data_dir)
        .args(args)
        .output()
        .expect("cannot run the kindred binary")
}

/// Runs `kindred --data-dir DATA_DIR ARGS...` with `stdin` as standard input.
pub fn run_with_stdin(data_dir: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = kindred(data_dir)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cannot run the kindred binary");
    let mut input = child.stdin.take().expect("stdin is piped");
    let stdin = stdin.to_owned();
    // Written from another thread so that a large answer on stdout cannot deadlock us.
    let writer = std::thread::spawn(move || input.write_all(stdin.as_bytes()));
    let output = child.wait_with_output().expect("kindred did not finish");
    writer
        .join()
        .expect("stdin writer panicked")
        .expect("cannot write stdin");
    output
}

/// Standard output of a run that must succeed.
pub fn success(output: &Output, what: &str) -> String {
    assert!(
        output.status.success(),
        "{what} failed with {}\nstdout:\n{}\nstderr:\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).expect("stdout is not UTF-8")
}

/// `kindred ask --json ARGS... QUESTION` as JSON.
pub fn ask_json(data_dir: &Path, question: &str, extra: &[&str]) -> Value {
    let mut args = vec!["ask", "--json"];
    args.extend_from_slice(extra);
    args.push(question);
    let stdout = success(&run(data_dir, &args), &format!("ask {question:?}"));
    serde_json::from_str(stdout.trim()).expect("ask --json printed invalid JSON")
}

/// `kindred ask --json ARGS...` with one question per line on stdin: one JSON value per line.
pub fn ask_json_lines(data_dir: &Path, questions: &[&str], extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["ask", "--json"];
    args.extend_from_slice(extra);
    let mut stdin = questions.join("\n");
    stdin.push('\n');
    let stdout = success(&run_with_stdin(data_dir, &args, &stdin), "ask --json (stdin)");
    stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("ask --json printed an invalid JSON line"))
        .collect()
}

/// `kindred stats --json`, verbatim.
pub fn stats_json_text(data_dir: &Path) -> String {
    success(&run(data_dir, &["stats", "--json"]), "stats --json")
}

/// `kindred stats --json`, parsed.
pub fn stats_json(data_dir: &Path) -> Value {
    serde_json::from_str(&stats_json_text(data_dir)).expect("stats --json printed invalid JSON")
}

/// The data directory holding the bundled default library, built once per test binary by
/// `kindred ingest`. Read-only: tests that change the library use [`library_copy`].
pub fn default_library() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let root = Path::new(env!("CARGO_TARGET_TMPDIR"));
        remove_stale_fixtures(root);
        let dir = root.join(format!("{FIXTURE_PREFIX}{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir).unwrap();
        }
        std::fs::create_dir_all(&dir).unwrap();
        // The other slow build, started now so that the two overlap on a two-core machine.
        if may_run(FRESH_ASK_TEST) {
            start_fresh_ask();
        }
        success(&run(&dir, &["ingest"]), "ingest of the default library");
        dir
    })
}

/// The test that uses [`fresh_ask`].
const FRESH_ASK_TEST: &str = "contract::ask_on_an_empty_data_dir_builds_the_default_library";
/// The question [`fresh_ask`] asks.
pub const FRESH_QUESTION: &str = "what causes dystonia";

/// `kindred ask --json FRESH_QUESTION` running on a data directory that has no library yet.
struct FreshAsk {
    dir: TempDir,
    child: Child,
}

static FRESH_ASK: Mutex<Option<FreshAsk>> = Mutex::new(None);

fn start_fresh_ask() {
    static STARTED: Once = Once::new();
    STARTED.call_once(|| {
        let dir = temp_dir();
        let child = kindred(&dir.path().join("fresh"))
            .args(["ask", "--json", FRESH_QUESTION])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("cannot run the kindred binary");
        *FRESH_ASK.lock().unwrap() = Some(FreshAsk { dir, child });
    });
}

/// Runs (or finishes, when [`default_library`] already started it) `kindred ask --json
/// FRESH_QUESTION` on an empty data directory; returns the directory and the data directory in it.
/// Can be called once.
pub fn fresh_ask() -> (TempDir, PathBuf, Output) {
    start_fresh_ask();
    let job = FRESH_ASK
        .lock()
        .unwrap()
        .take()
        .expect("fresh_ask() is called once");
    let output = job.child.wait_with_output().expect("kindred did not finish");
    let data_dir = job.dir.path().join("fresh");
    (job.dir, data_dir, output)
}

/// Whether the test named `test` may run in this process, judging by the test filters on the command
/// line (a guess that errs towards yes: it only decides whether to start work early).
fn may_run(test: &str) -> bool {
    let filters: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    filters.is_empty() || filters.iter().any(|f| test.contains(f.as_str()))
}

/// Removes fixtures left by earlier test processes that are gone (statics are never dropped, so each
/// run leaves its fixture behind). Only where `/proc` tells which processes are alive.
fn remove_stale_fixtures(root: &Path) {
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(root) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name.strip_prefix(FIXTURE_PREFIX) else {
            continue;
        };
        if pid.parse::<u32>().is_ok() && !proc.join(pid).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// `kindred stats --json` of the default library, verbatim: also that of any fresh [`library_copy`].
pub fn default_library_stats() -> &'static str {
    static STATS: OnceLock<String> = OnceLock::new();
    STATS.get_or_init(|| stats_json_text(default_library()))
}

/// A fresh temporary directory.
pub fn temp_dir() -> TempDir {
    tempfile::Builder::new().prefix("kindred-it-").tempdir().unwrap()
}

/// A data directory of its own holding a copy of the default library.
pub fn library_copy() -> TempDir {
    let dir = temp_dir();
    copy_dir(&default_library().join("library"), &dir.path().join("library"));
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Text of a JSON string field, or "" when absent or not a string.
pub fn str_of<'a>(value: &'a Value, key: &str) -> &'a str {
    value.get(key).and_then(Value::as_str).unwrap_or("")
}
