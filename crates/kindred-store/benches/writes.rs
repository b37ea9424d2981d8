//! Post write throughput on SQLite and PostgreSQL: `cargo bench -p kindred-store --bench writes`.
//!
//! Each backend gets a fresh database (PostgreSQL's from `KINDRED_TEST_POSTGRES_URL`; skipped with a
//! note when it is not set). Posts are written through the store exactly as the server writes them
//! (one committed transaction each, durable before it returns), first by one writer, then by
//! eight at once. Prints posts per second and latency percentiles.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use kindred_store::testing::{POSTGRES_URL_VAR, TestDb};
use kindred_store::{Backend, MemberId, NewPost, Role, Store};

const POSTS_PER_WRITER: usize = 500;
const CONCURRENT_WRITERS: usize = 8;

async fn write_posts(store: Store, author: MemberId, n: usize) -> Vec<Duration> {
    let body = "A post of ordinary length. ".repeat(12);
    let html = format!("<p>{body}</p>");
    let mut latencies = Vec::with_capacity(n);
    for i in 0..n {
        let title = format!("post {i}");
        let started = Instant::now();
        store
            .create_post(&NewPost {
                group: "dystonia",
                parent: None,
                author,
                title: &title,
                body: &body,
                body_html: &html,
                now: 1,
            })
            .await
            .expect("write a post");
        latencies.push(started.elapsed());
    }
    latencies
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index].as_secs_f64() * 1000.0
}

async fn bench(backend: Backend) {
    let db = TestDb::new(backend).await;
    let mut authors = Vec::new();
    for w in 0..CONCURRENT_WRITERS {
        let handle = format!("writer-{w}");
        authors.push(
            db.store
                .create_member(&handle, &handle, Some("x"), Role::Member, false, 1)
                .await
                .expect("member"),
        );
    }
    for (label, writers) in [("1 writer", 1), ("8 writers", CONCURRENT_WRITERS)] {
        let started = Instant::now();
        let tasks: Vec<_> = authors[..writers]
            .iter()
            .map(|author| tokio::spawn(write_posts(db.store.clone(), *author, POSTS_PER_WRITER)))
            .collect();
        let mut latencies = Vec::new();
        for task in tasks {
            latencies.extend(task.await.expect("writer"));
        }
        let elapsed = started.elapsed().as_secs_f64();
        latencies.sort_unstable();
        println!(
            "post writes: backend={} {label}: {} posts in {elapsed:.2} s = {:.0} posts/s; latency p50={:.2}ms p95={:.2}ms p99={:.2}ms",
            backend.name(),
            latencies.len(),
            latencies.len() as f64 / elapsed,
            percentile(&latencies, 0.50),
            percentile(&latencies, 0.95),
            percentile(&latencies, 0.99),
        );
    }
    db.finish().await;
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    bench(Backend::Sqlite).await;
    if std::env::var(POSTGRES_URL_VAR).is_ok() {
        bench(Backend::Postgres).await;
    } else {
        println!("post writes: backend=postgres skipped: {POSTGRES_URL_VAR} is not set");
    }
}
