//! A sign-in flood against the real server (issue 9): 300 clients at once, each from an address of
//! its own (through `--trusted-proxy`, as a botnet behind the recommended HTTPS proxy would look),
//! guessing for a fixed time, while one signed-in member keeps reading her tracker.
//!
//! Run with `cargo bench -p kindred-cli --bench flood`. Prints a Markdown table for the README.
//! Targets: server peak RSS ≤ 300 MB and 0 × 5xx during the flood; the member's reads ≤ 200 ms p95.
#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use serde_json::json;

const BIN: &str = env!("CARGO_BIN_EXE_kindred");
const CLIENTS: usize = 300;
const FLOOD: Duration = Duration::from_secs(10);
const PASSWORD: &str = "a long passphrase 1";

fn vm_hwm_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.split_whitespace().next()?.parse().ok())
        })
        .unwrap_or(0)
}

fn main() {
    let data = tempfile::tempdir().expect("a data directory");
    // The library is built by its own process first, so the server's peak is the serving peak.
    let built = Command::new(BIN)
        .arg("--data-dir")
        .arg(data.path())
        .arg("ingest")
        .stdout(Stdio::null())
        .status()
        .expect("build the library");
    assert!(built.success(), "ingest failed");
    let mut server = Command::new(BIN)
        .arg("--data-dir")
        .arg(data.path())
        .args(["serve", "--addr", "127.0.0.1:0", "--trusted-proxy", "127.0.0.1"])
        .env("KINDRED_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start kindred serve");
    let mut lines = BufReader::new(server.stderr.take().expect("stderr")).lines();
    let base = loop {
        let line = lines.next().expect("server exited").expect("stderr");
        if let Some(address) = line.strip_prefix("Kindred is ready at ") {
            break address.trim().to_owned();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    let agent = ureq::AgentBuilder::new().timeout(Duration::from_secs(30)).build();

    // The member who keeps reading: a month of diary entries.
    let response = agent
        .post(&format!("{base}/api/v1/accounts"))
        .set("x-forwarded-for", "192.0.2.1")
        .send_json(json!({"handle": "reader-rose", "password": PASSWORD}))
        .expect("register");
    let cookie = response
        .header("set-cookie")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let csrf = response.into_json::<serde_json::Value>().unwrap()["csrf_token"]
        .as_str()
        .unwrap()
        .to_owned();
    for day in 1..=28 {
        agent
            .post(&format!("{base}/api/v1/me/tracker/entries"))
            .set("cookie", &cookie)
            .set("x-csrf-token", &csrf)
            .send_json(
                json!({"date": format!("2026-02-{day:02}"), "severities": [["neck", 5]],
                "triggers": [], "note": ""}),
            )
            .expect("add an entry");
    }
    let read = |agent: &ureq::Agent| {
        let start = Instant::now();
        let status = match agent
            .get(&format!("{base}/api/v1/me/tracker/entries"))
            .set("cookie", &cookie)
            .call()
        {
            Ok(r) => r.status(),
            Err(ureq::Error::Status(s, _)) => s,
            Err(e) => panic!("read failed: {e}"),
        };
        assert_eq!(status, 200);
        start.elapsed()
    };
    let idle: Vec<Duration> = (0..50).map(|_| read(&agent)).collect();
    let baseline_kb = vm_hwm_kb(server.id());

    let stop = Arc::new(AtomicBool::new(false));
    let counts: Arc<[AtomicU64; 6]> = Arc::new(Default::default()); // 200, 401, 429, 5xx, other, sent
    let barrier = Arc::new(Barrier::new(CLIENTS + 1));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|i| {
            let (stop, counts, barrier, base) = (stop.clone(), counts.clone(), barrier.clone(), base.clone());
            std::thread::spawn(move || {
                let agent = ureq::AgentBuilder::new().timeout(Duration::from_secs(30)).build();
                let address = format!("198.18.{}.{}", i / 250, i % 250 + 1);
                barrier.wait();
                let mut n = 0;
                while !stop.load(Ordering::Relaxed) {
                    n += 1;
                    let status = match agent
                        .post(&format!("{base}/api/v1/session"))
                        .set("x-forwarded-for", &address)
                        .send_json(json!({"handle": format!("victim-{}", (i + n) % 50),
                            "password": format!("guess number {n}")}))
                    {
                        Ok(r) => r.status(),
                        Err(ureq::Error::Status(s, _)) => s,
                        Err(_) => 0,
                    };
                    let slot = match status {
                        200 => 0,
                        401 => 1,
                        429 => 2,
                        500..=599 => 3,
                        _ => 4,
                    };
                    counts[slot].fetch_add(1, Ordering::Relaxed);
                    counts[5].fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    barrier.wait();
    let started = Instant::now();
    let mut during = Vec::new();
    let mut peak_kb = 0;
    while started.elapsed() < FLOOD {
        during.push(read(&agent));
        peak_kb = peak_kb.max(vm_hwm_kb(server.id()));
        std::thread::sleep(Duration::from_millis(20));
    }
    stop.store(true, Ordering::Relaxed);
    for client in clients {
        client.join().expect("a client");
    }
    peak_kb = peak_kb.max(vm_hwm_kb(server.id()));
    server.kill().ok();
    server.wait().ok();

    let p = |samples: &mut Vec<Duration>, q: f64| {
        samples.sort();
        let at = ((samples.len() as f64 * q).ceil() as usize).clamp(1, samples.len()) - 1;
        samples[at].as_secs_f64() * 1000.0
    };
    let mut idle = idle;
    let n = |i: usize| counts[i].load(Ordering::Relaxed);
    println!("| measure | value | target |");
    println!("|---|---|---|");
    println!(
        "| sign-in attempts in {} s from {CLIENTS} clients at once | {} ({} × 401, {} × 429, {} × 200) | — |",
        FLOOD.as_secs(),
        n(5),
        n(1),
        n(2),
        n(0)
    );
    println!("| 5xx answers / other failures | {} / {} | 0 |", n(3), n(4));
    println!(
        "| server peak RSS | {} MB (before the flood {} MB) | ≤ 300 MB |",
        peak_kb / 1024,
        baseline_kb / 1024
    );
    println!(
        "| member's tracker read, idle p50 / p95 | {:.1} / {:.1} ms | — |",
        p(&mut idle, 0.5),
        p(&mut idle, 0.95)
    );
    println!(
        "| member's tracker read during the flood p50 / p95 / max ({} reads) | {:.1} / {:.1} / {:.1} ms | p95 ≤ 200 ms |",
        during.len(),
        p(&mut during, 0.5),
        p(&mut during, 0.95),
        p(&mut during, 1.0)
    );
    let ok = n(3) == 0 && n(4) == 0 && peak_kb <= 300 * 1024 && p(&mut during, 0.95) <= 200.0;
    assert!(ok, "a sign-in flood target was missed");
}
