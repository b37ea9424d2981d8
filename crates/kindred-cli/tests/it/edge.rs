//! The real `kindred serve` at its edge (issue 9, finding 3): the timeout flags reach the server, a
//! half-sent request is closed after `--header-read-timeout`, and SIGTERM still ends the server
//! cleanly while a slow client holds a connection.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::durability::start_server;

#[test]
fn serve_closes_half_sent_requests_and_stops_on_sigterm() {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let db = runtime.block_on(kindred_store::testing::TestDb::new(
        kindred_store::Backend::Sqlite,
    ));
    let (mut child, base) = start_server(
        &db.url,
        &["--header-read-timeout", "1", "--max-connections", "32"],
    );
    let address = base.trim_start_matches("http://").to_owned();

    // A half-sent head: closed after about a second, not held open.
    let mut slow = TcpStream::connect(&address).expect("connect");
    slow.set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    slow.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\n")
        .expect("write");
    let sent = Instant::now();
    let mut rest = Vec::new();
    let _ = slow.read_to_end(&mut rest);
    let after = sent.elapsed();
    assert!(
        after >= Duration::from_millis(900) && after < Duration::from_secs(5),
        "a half-sent request was closed after {after:?}, expected about 1 s"
    );

    // SIGTERM with a slow client connected: the server stops by itself, successfully.
    let mut stalled = TcpStream::connect(&address).expect("connect");
    stalled.write_all(b"GET / HTTP/1.1\r\n").expect("write");
    let status = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let exit = loop {
        if let Some(exit) = child.try_wait().expect("wait") {
            break exit;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the server did not stop within 10 s of SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(exit.success(), "kindred serve exited with {exit}");
    drop(stalled);
    runtime.block_on(db.finish());
}
