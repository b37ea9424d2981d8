//! `kill -9` of the server during a burst of writes loses no acknowledged write, on SQLite and on
//! PostgreSQL: every post the server answered 201 for is in the database after the crash, whole.

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use kindred_store::testing::TestDb;
use kindred_store::{Backend, PostId};
use serde_json::{Value, json};

use crate::{default_library, kindred};

/// Writers posting at once.
const WRITERS: usize = 4;
/// Acknowledged posts after which the server is killed (while the writers keep going).
const KILL_AFTER: usize = 150;

/// Starts `kindred serve` on the database at `url` on a free port, with `extra` serve options;
/// returns the child and base URL.
pub(crate) fn start_server(url: &str, extra: &[&str]) -> (Child, String) {
    let mut child = kindred(default_library())
        .args(["--database-url", url, "serve", "--addr", "127.0.0.1:0"])
        .args(extra)
        .env("KINDRED_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start kindred serve");
    let stderr = child.stderr.take().expect("stderr is piped");
    let mut lines = BufReader::new(stderr).lines();
    let base = loop {
        let line = lines
            .next()
            .expect("the server exited before it was ready")
            .expect("read the server's stderr");
        if let Some(address) = line.strip_prefix("Kindred is ready at ") {
            break address.trim().to_owned();
        }
    };
    // Keep draining stderr so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (child, base)
}

/// Registers a member; returns (cookie header, csrf token).
fn register(base: &str, handle: &str) -> (String, String) {
    let response = ureq::post(&format!("{base}/api/v1/accounts"))
        .send_json(json!({"handle": handle, "password": "a long passphrase 1"}))
        .expect("register");
    let cookie = response
        .header("set-cookie")
        .and_then(|c| c.split(';').next())
        .expect("a session cookie")
        .to_owned();
    let body: Value = response.into_json().expect("json");
    (cookie, body["csrf_token"].as_str().expect("csrf").to_owned())
}

fn burst_then_kill(backend: Backend) {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let db = runtime.block_on(TestDb::new(backend));
    let (mut server, base) = start_server(&db.url, &[]);
    let acknowledged: Arc<Mutex<Vec<(i64, String)>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let (cookie, csrf) = register(&base, &format!("writer-{w}"));
            let base = base.clone();
            let acknowledged = acknowledged.clone();
            let stop = stop.clone();
            std::thread::spawn(move || {
                let agent = ureq::AgentBuilder::new().timeout(Duration::from_secs(5)).build();
                for n in 0.. {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let body = format!("writer {w} post {n}: *still here*");
                    let sent = agent
                        .post(&format!("{base}/api/v1/groups/dystonia/posts"))
                        .set("cookie", &cookie)
                        .set("x-csrf-token", &csrf)
                        .send_json(json!({"title": format!("w{w} n{n}"), "body": body}));
                    match sent {
                        Ok(response) if response.status() == 201 => {
                            let created: Value = response.into_json().expect("json");
                            let id = created["id"].as_i64().expect("id");
                            acknowledged.lock().expect("lock").push((id, body));
                        }
                        // The server is gone: nothing more will be acknowledged.
                        _ => break,
                    }
                }
            })
        })
        .collect();
    let started = Instant::now();
    while acknowledged.lock().expect("lock").len() < KILL_AFTER {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the burst is too slow"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    // SIGKILL, mid-burst: no shutdown hook runs.
    server.kill().expect("kill -9 the server");
    server.wait().expect("reap the server");
    stop.store(true, Ordering::Relaxed);
    for writer in writers {
        writer.join().expect("writer thread");
    }
    let acknowledged = acknowledged.lock().expect("lock").clone();
    assert!(acknowledged.len() >= KILL_AFTER);

    // Every acknowledged post survived, whole — read back directly and through a restarted server.
    runtime.block_on(async {
        let store = kindred_store::Store::open(&db.url)
            .await
            .expect("reopen the database");
        for (id, body) in &acknowledged {
            let post = store
                .post(PostId(*id))
                .await
                .expect("read")
                .unwrap_or_else(|| panic!("{}: acknowledged post {id} was lost", backend.name()));
            assert_eq!(&post.body, body);
        }
        assert!(store.count_posts().await.expect("count") >= acknowledged.len() as u64);
        store.close().await;
    });
    let (mut server, base) = start_server(&db.url, &[]);
    let (id, body) = acknowledged.last().expect("one post");
    let thread: Value = ureq::get(&format!("{base}/api/v1/posts/{id}"))
        .call()
        .expect("read a post after the restart")
        .into_json()
        .expect("json");
    assert!(
        thread["post"]["body_html"]
            .as_str()
            .unwrap_or_default()
            .contains("still here"),
        "{body}"
    );
    server.kill().expect("stop the server");
    server.wait().expect("reap");
    eprintln!(
        "{}: {} acknowledged posts, all present after kill -9",
        backend.name(),
        acknowledged.len()
    );
    runtime.block_on(db.finish());
}

#[test]
fn kill_9_during_writes_loses_nothing_on_sqlite() {
    burst_then_kill(Backend::Sqlite);
}

#[test]
fn kill_9_during_writes_loses_nothing_on_postgres() {
    burst_then_kill(Backend::Postgres);
}
