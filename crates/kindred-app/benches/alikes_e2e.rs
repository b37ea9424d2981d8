//! Alikes end to end at 1,000,000 members: `cargo bench -p kindred-app --bench alikes_e2e`.
//!
//! Builds the bundled library, adds `KINDRED_ALIKES_MEMBERS` (default 1,000,000) clearly-labelled
//! synthetic members to a fresh SQLite database exactly as `kindred demo --members N` does, reopens
//! the community as the server does at start-up (loading the Alikes index from the database), then
//! asks for 1,000 random members' Alikes through `Community::alikes` — the top 20 with reasons,
//! each with the other member's record and profile read from the database — and prints the latency
//! percentiles. Exits non-zero when p95 exceeds 50 ms (the target on 2 cores).

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::time::{Duration, Instant};

use kindred_app::Kindred;
use kindred_app::community::{Actor, Community};
use kindred_store::{MemberId, Store};

const QUERIES: usize = 1000;
const TARGET_P95_MS: f64 = 50.0;

struct Quiet;
impl kindred_app::Progress for Quiet {
    fn stage(&mut self, _name: &str, _total: Option<u64>) {}
    fn set(&mut self, _done: u64) {}
    fn finish(&mut self) {}
}

fn vm_hwm_mb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|kb| kb.parse::<u64>().ok()))
        })
        .map_or(0, |kb| kb / 1024)
}

fn main() {
    let n: usize = std::env::var("KINDRED_ALIKES_MEMBERS")
        .ok()
        .map(|v| v.parse().expect("KINDRED_ALIKES_MEMBERS is a number"))
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir().expect("temporary directory");
    let data_dir = dir.path().join("data");
    kindred_app::ingest(&data_dir, &[], &mut Quiet).expect("build the bundled library");
    let kindred = Kindred::open(&data_dir).expect("open").expect("a library");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let url = kindred_store::sqlite_url(&data_dir);
    runtime.block_on(async {
        let community = Community::open(Store::open(&url).await.expect("store")).await.expect("community");
        let started = Instant::now();
        community
            .add_synthetic_members(&kindred, n, 2013, |_| {})
            .await
            .expect("add synthetic members");
        let insert = started.elapsed();
        drop(community);

        // As the server starts: open the database and load the index from it.
        let started = Instant::now();
        let store = Store::open(&url).await.expect("store");
        let community = Community::open(store.clone()).await.expect("community");
        let load = started.elapsed();
        let indexed = community.n_matchable();

        // Random members (a fixed LCG, so runs are comparable) ask for their Alikes.
        let mut seed: u64 = 0x2013;
        let mut latencies = Vec::with_capacity(QUERIES);
        let mut returned = 0usize;
        for _ in 0..QUERIES {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let id = 1 + (seed >> 33) as i64 % n as i64;
            let member = store.member(MemberId(id)).await.expect("read").expect("a member");
            let actor = Actor {
                member,
                csrf_token: String::new(),
                token_hash: String::new(),
            };
            let started = Instant::now();
            let alikes = community.alikes(&actor, &kindred).await.expect("alikes");
            latencies.push(started.elapsed());
            returned += alikes.len();
        }
        latencies.sort_unstable();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let at = |p: f64| ms(latencies[((latencies.len() - 1) as f64 * p).round() as usize]);
        let p95 = at(0.95);
        println!(
            "alikes end to end: members={n} indexed={indexed} insert={:.1}s start-up load={:.2}s rss={}MB \
             queries={QUERIES} mean results={:.1} p50={:.2}ms p95={p95:.2}ms p99={:.2}ms max={:.2}ms target p95<={TARGET_P95_MS}ms {}",
            insert.as_secs_f64(),
            load.as_secs_f64(),
            vm_hwm_mb(),
            returned as f64 / QUERIES as f64,
            at(0.5),
            at(0.99),
            ms(*latencies.last().expect("latencies")),
            if p95 <= TARGET_P95_MS { "PASS" } else { "FAIL" }
        );
        if p95 > TARGET_P95_MS {
            std::process::exit(1);
        }
    });
}
