//! Alikes at scale: builds an index of synthetic members (1,000,000 unless
//! `KINDRED_ALIKES_MEMBERS` says otherwise), then times 1000 top-20 queries, each by a random
//! member's own features, excluding that member.
//!
//! Prints build time, memory (VmRSS and VmHWM from /proc/self/status) and query latency
//! percentiles, and exits non-zero if p95 is over the 50 ms budget.
//!
//! Run: `cargo bench -p kindred-community --bench alikes`.

use std::hint::black_box;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use kindred_community::alikes::{AlikeFeatures, AlikeIndex};
use kindred_community::synthetic::{SyntheticCatalog, member, members};

const DEFAULT_MEMBERS: usize = 1_000_000;
const N_CONDITIONS: usize = 300;
const N_QUERIES: usize = 1000;
const K: usize = 20;
const SEED: u64 = 0x004b_494e_4452_4544;
const P95_BUDGET_MS: f64 = 50.0;

fn main() -> ExitCode {
    let n_members = match std::env::var("KINDRED_ALIKES_MEMBERS") {
        Ok(value) => match value.replace('_', "").parse::<usize>() {
            Ok(n) if n > 0 => n,
            _ => {
                eprintln!("KINDRED_ALIKES_MEMBERS must be a positive whole number, not {value:?}");
                return ExitCode::FAILURE;
            }
        },
        Err(_) => DEFAULT_MEMBERS,
    };
    let catalog = SyntheticCatalog::with_dystonia(N_CONDITIONS);
    let rss_before = proc_status_kib("VmRSS");

    let started = Instant::now();
    let mut index = AlikeIndex::new();
    let mut n_dystonia = 0usize;
    for (i, synthetic) in members(n_members, SEED, &catalog).enumerate() {
        let features = AlikeFeatures::shared(&synthetic.profile);
        n_dystonia += usize::from(features.conditions.iter().any(|c| c == "dystonia"));
        index.upsert(member_id(i), &features);
    }
    index.shrink_to_fit();
    let build = started.elapsed();
    let rss_after = proc_status_kib("VmRSS");
    println!(
        "build: {n_members} synthetic members ({} indexed, {} with dystonia shared, {} postings) in {:.2} s",
        index.len(),
        n_dystonia,
        index.n_postings(),
        build.as_secs_f64()
    );
    match (rss_before, rss_after, proc_status_kib("VmHWM")) {
        (Some(before), Some(after), Some(peak)) => println!(
            "memory: VmRSS {} MiB after build (+{} MiB for the index and its inputs), VmHWM {} MiB",
            after / 1024,
            after.saturating_sub(before) / 1024,
            peak / 1024
        ),
        _ => println!("memory: /proc/self/status not readable"),
    }

    // Query features are generated outside the timed section.
    let mut rng = SplitMix64(SEED ^ 0xA11C);
    let queries: Vec<(usize, AlikeFeatures)> = (0..N_QUERIES)
        .map(|_| {
            let i = (rng.next() % n_members as u64) as usize;
            (i, AlikeFeatures::own(&member(i, SEED, &catalog).profile))
        })
        .collect();
    for (i, query) in queries.iter().take(20) {
        black_box(index.top(query, member_id(*i), K));
    }
    let mut latencies: Vec<Duration> = Vec::with_capacity(N_QUERIES);
    let mut n_results = 0usize;
    for (i, query) in &queries {
        let started = Instant::now();
        let found = index.top(black_box(query), member_id(*i), K);
        latencies.push(started.elapsed());
        n_results += found.len();
        black_box(found);
    }
    latencies.sort_unstable();
    let ms = |q: f64| {
        let rank = ((latencies.len() as f64 * q).ceil() as usize).clamp(1, latencies.len());
        latencies[rank - 1].as_secs_f64() * 1000.0
    };
    let (p50, p95, p99, max) = (ms(0.50), ms(0.95), ms(0.99), ms(1.0));
    let mean = latencies.iter().sum::<Duration>().as_secs_f64() * 1000.0 / latencies.len() as f64;
    println!(
        "queries: {N_QUERIES} top-{K}, {:.1} results each on average, mean {mean:.2} ms",
        n_results as f64 / N_QUERIES as f64
    );
    let pass = p95 <= P95_BUDGET_MS;
    println!(
        "alikes: members={n_members} build={:.1}s rss={}MiB p50={p50:.2}ms p95={p95:.2}ms p99={p99:.2}ms max={max:.2}ms budget=p95<={P95_BUDGET_MS}ms {}",
        build.as_secs_f64(),
        rss_after.map_or(0, |kib| kib / 1024),
        if pass { "PASS" } else { "FAIL" }
    );
    if pass {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Member ids start at 1, like database ids.
fn member_id(index: usize) -> i64 {
    index as i64 + 1
}

/// A `kB` line of /proc/self/status, in KiB.
fn proc_status_kib(key: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(key))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}
