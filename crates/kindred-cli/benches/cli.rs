//! Whole-process benchmarks of the `kindred` binary, as a user meets it: wall time and peak resident
//! memory of a full default ingest, and of `ask` answering a batch of questions (process start,
//! library load and every answer included).
//!
//! Run with `cargo bench -p kindred-cli --bench cli`. Results print as a Markdown table for the
//! README. Targets (issue 2): ingest ≤ 4 s on 2 cores; ask ≤ 2 ms per question; ask peak RSS ≤ 200 MB.
//! Issue 10: one `kindred ask` process, one question, ≤ 150 ms wall (the median of [`SINGLE_RUNS`]).
#![allow(clippy::expect_used, missing_docs)]

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_kindred");
const QUESTIONS: &str = include_str!("../../../data/bench/questions.txt");
const BATCH: usize = 1000;
const RUNS: usize = 3;
/// One-question processes are short, and a shared machine makes single runs noisy.
const SINGLE_RUNS: usize = 11;

/// Runs a command to completion, returning wall time and peak RSS (kB) of the child. The peak is
/// the kernel's high-water mark (`VmHWM`), polled from `/proc` while the child runs: it only grows,
/// so the last reading before exit is the peak up to within the last millisecond.
fn measure(mut command: Command, stdin: Option<&str>) -> (Duration, u64) {
    command.stdout(Stdio::null()).stderr(Stdio::inherit());
    if stdin.is_some() {
        command.stdin(Stdio::piped());
    }
    let start = Instant::now();
    let mut child = command.spawn().expect("start kindred");
    let status_path = format!("/proc/{}/status", child.id());
    let writer = stdin.map(|input| {
        let mut pipe = child.stdin.take().expect("stdin");
        let input = input.to_owned();
        std::thread::spawn(move || {
            use std::io::Write;
            pipe.write_all(input.as_bytes()).expect("write questions");
        })
    });
    let mut peak_kb = 0;
    let status = loop {
        if let Some(kb) = std::fs::read_to_string(&status_path)
            .ok()
            .and_then(|s| vm_hwm_kb(&s))
        {
            peak_kb = peak_kb.max(kb);
        }
        if let Some(status) = child.try_wait().expect("wait for kindred") {
            break status;
        }
        std::thread::sleep(Duration::from_millis(1));
    };
    let elapsed = start.elapsed();
    if let Some(writer) = writer {
        writer.join().expect("writer thread");
    }
    assert!(status.success(), "kindred failed: {status}");
    (elapsed, peak_kb)
}

fn vm_hwm_kb(status: &str) -> Option<u64> {
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() {
    // `cargo bench` passes `--bench`; ignore arguments.
    let dir = std::env::temp_dir().join(format!("kindred-bench-{}", std::process::id()));
    let data_dir = dir.join("data");
    let mut ingest_secs = Vec::new();
    let mut ingest_rss = 0;
    for _ in 0..RUNS {
        let _ = std::fs::remove_dir_all(&data_dir);
        let mut command = Command::new(BIN);
        command.arg("--data-dir").arg(&data_dir).arg("ingest");
        let (elapsed, rss) = measure(command, None);
        ingest_secs.push(elapsed.as_secs_f64());
        ingest_rss = ingest_rss.max(rss);
    }
    let questions: Vec<&str> = QUESTIONS.lines().filter(|l| !l.trim().is_empty()).collect();
    let batch: String = questions
        .iter()
        .cycle()
        .take(BATCH)
        .map(|q| format!("{q}\n"))
        .collect();
    let mut ask_ms = Vec::new();
    let mut ask_rss = 0;
    for _ in 0..RUNS {
        let mut command = Command::new(BIN);
        command.arg("--data-dir").arg(&data_dir).args(["ask", "--json"]);
        let (elapsed, rss) = measure(command, Some(&batch));
        ask_ms.push(elapsed.as_secs_f64() * 1000.0 / BATCH as f64);
        ask_rss = ask_rss.max(rss);
    }
    let mut single = Vec::new();
    let mut stats = Vec::new();
    for _ in 0..SINGLE_RUNS {
        let mut command = Command::new(BIN);
        command
            .arg("--data-dir")
            .arg(&data_dir)
            .args(["ask", "--json", "Is there a cure for dystonia?"]);
        single.push(measure(command, None).0.as_secs_f64() * 1000.0);
        let mut command = Command::new(BIN);
        command.arg("--data-dir").arg(&data_dir).arg("stats");
        stats.push(measure(command, None).0.as_secs_f64() * 1000.0);
    }
    let _ = std::fs::remove_dir_all(&dir);
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    println!("| benchmark ({cores} cores, median of {RUNS}) | result | target |");
    println!("|---|---|---|");
    println!(
        "| full default ingest (seeds + MedQuAD), wall time | {:.2} s | ≤ 4 s |",
        median(ingest_secs)
    );
    println!("| ingest peak RSS | {} MB | — |", ingest_rss / 1024);
    println!(
        "| `ask --json`, {BATCH} questions in one process, per question (start-up included) | {:.2} ms | ≤ 2 ms |",
        median(ask_ms)
    );
    println!("| `ask` peak RSS | {} MB | ≤ 200 MB |", ask_rss / 1024);
    println!(
        "| one `ask` process, one question (start-up dominated; median of {SINGLE_RUNS}) | {:.0} ms | ≤ 150 ms |",
        median(single)
    );
    println!(
        "| one `stats` process (median of {SINGLE_RUNS}) | {:.0} ms | — |",
        median(stats)
    );
}
