//! The HTTP edge over real sockets (issue 9, finding 3): the real server on 127.0.0.1:0, raw TCP
//! clients that stall. A half-sent head is closed after the header timeout, an idle keep-alive
//! connection likewise, a slow body gets a JSON 408, and at the connection cap a real request is
//! still answered at once.

use std::time::{Duration, Instant};

use kindred_web::EdgeLimits;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A running server and the way to stop it.
struct Server {
    addr: std::net::SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Server {
    async fn start(limits: EdgeLimits) -> Server {
        let state = crate::support::state().await;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("address");
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let app = kindred_web::router_with(state, &limits);
        let task = tokio::spawn(kindred_web::serve_router(listener, app, limits, async {
            let _ = stopped.await;
        }));
        Server {
            addr,
            stop: Some(stop),
            task,
        }
    }

    async fn connect(&self) -> TcpStream {
        TcpStream::connect(self.addr).await.expect("connect")
    }

    /// Stops the server and waits (at most `within`) for it to return.
    async fn stop(mut self, within: Duration) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        tokio::time::timeout(within, &mut self.task)
            .await
            .expect("the server stops in time")
            .expect("the server task")
            .expect("the server returns Ok");
    }
}

fn limits(header_read_secs: u64, request_secs: u64, max_connections: usize) -> EdgeLimits {
    EdgeLimits {
        header_read_timeout: Duration::from_secs(header_read_secs),
        request_timeout: Duration::from_secs(request_secs),
        max_connections,
    }
}

/// Reads until the server closes the connection (EOF or reset), at most `within`; returns what was
/// read and when it closed, or `None` when it stayed open.
async fn read_until_closed(stream: &mut TcpStream, within: Duration) -> Option<(Vec<u8>, Instant)> {
    let mut seen = Vec::new();
    let deadline = Instant::now() + within;
    loop {
        let mut buffer = [0u8; 4096];
        let left = deadline.checked_duration_since(Instant::now())?;
        match tokio::time::timeout(left, stream.read(&mut buffer)).await {
            Err(_) => return None,
            Ok(Ok(0) | Err(_)) => return Some((seen, Instant::now())),
            Ok(Ok(n)) => seen.extend_from_slice(&buffer[..n]),
        }
    }
}

/// Sends one whole GET and reads the answer's head and (Content-Length) body.
async fn get(stream: &mut TcpStream, path: &str) -> String {
    stream
        .write_all(format!("GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n").as_bytes())
        .await
        .expect("write");
    let mut seen = Vec::new();
    loop {
        let mut buffer = [0u8; 4096];
        let n = stream.read(&mut buffer).await.expect("read");
        assert!(
            n > 0,
            "closed before the answer: {}",
            String::from_utf8_lossy(&seen)
        );
        seen.extend_from_slice(&buffer[..n]);
        let text = String::from_utf8_lossy(&seen).to_string();
        if let Some(head_end) = text.find("\r\n\r\n") {
            let length = text[..head_end]
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length: ")
                        .map(str::to_owned)
                })
                .and_then(|l| l.trim().parse::<usize>().ok())
                .unwrap_or(0);
            if seen.len() >= head_end + 4 + length {
                return text;
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_half_sent_head_is_closed_after_the_header_timeout() {
    let server = Server::start(limits(1, 30, 64)).await;
    let mut stream = server.connect().await;
    let sent = Instant::now();
    stream
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n")
        .await
        .expect("write");
    let (_, closed) = read_until_closed(&mut stream, Duration::from_secs(10))
        .await
        .expect("the server closes a half-sent request (it stayed open 10 s)");
    let after = closed - sent;
    assert!(
        after >= Duration::from_millis(900) && after < Duration::from_secs(3),
        "closed after {after:?}, expected about the 1 s header timeout"
    );
    // A connection that sends nothing at all is closed the same way.
    let mut silent = server.connect().await;
    let opened = Instant::now();
    let (_, closed) = read_until_closed(&mut silent, Duration::from_secs(10))
        .await
        .expect("a silent connection is closed");
    assert!(closed - opened < Duration::from_secs(3), "{:?}", closed - opened);
    server.stop(Duration::from_secs(5)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_keep_alive_connection_is_closed_after_the_header_timeout() {
    let server = Server::start(limits(1, 30, 64)).await;
    let mut stream = server.connect().await;
    let answer = get(&mut stream, "/healthz").await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    // Kept alive: a second request on the same connection is answered.
    let again = get(&mut stream, "/healthz").await;
    assert!(again.starts_with("HTTP/1.1 200"), "{again}");
    let answered = Instant::now();
    let (_, closed) = read_until_closed(&mut stream, Duration::from_secs(10))
        .await
        .expect("an idle keep-alive connection is closed");
    let idle = closed - answered;
    assert!(idle < Duration::from_secs(3), "idle for {idle:?}");
    server.stop(Duration::from_secs(5)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_body_gets_a_json_408_after_the_request_timeout() {
    let server = Server::start(limits(10, 1, 64)).await;
    let mut stream = server.connect().await;
    let sent = Instant::now();
    stream
        .write_all(
            b"POST /api/v1/accounts HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n\
              Content-Length: 100\r\n\r\n{\"handle\":",
        )
        .await
        .expect("write");
    let (answer, closed) = read_until_closed(&mut stream, Duration::from_secs(10))
        .await
        .expect("the server answers and closes a slow body");
    let answer = String::from_utf8_lossy(&answer).to_string();
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains(r#""code":"request_timeout""#), "{answer}");
    assert!(
        answer.contains(r#""request_id":""#) && !answer.contains(r#""request_id":"""#),
        "{answer}"
    );
    assert!(closed - sent < Duration::from_secs(4), "{:?}", closed - sent);
    server.stop(Duration::from_secs(5)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_the_connection_cap_a_real_request_is_answered_at_once() {
    // Header timeout far longer than the test: only the cap's policy can make room.
    const CAP: usize = 16;
    const HALF_OPEN: usize = 60;
    let server = Server::start(limits(60, 60, CAP)).await;
    let mut stalled = Vec::new();
    for _ in 0..HALF_OPEN {
        let mut stream = server.connect().await;
        stream
            .write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
            .await
            .expect("write");
        stalled.push(stream);
    }
    let started = Instant::now();
    let mut real = server.connect().await;
    let answer = tokio::time::timeout(Duration::from_secs(1), get(&mut real, "/healthz"))
        .await
        .expect("a real request is answered within 1 s beside the half-open connections");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    eprintln!(
        "answered in {:?} beside {HALF_OPEN} half-open connections (cap {CAP})",
        started.elapsed()
    );
    // Never more than the cap open: the oldest stalled connections were closed to make room.
    let mut closed = 0;
    for stream in &mut stalled {
        if read_until_closed(stream, Duration::from_millis(50))
            .await
            .is_some()
        {
            closed += 1;
        }
    }
    assert!(
        closed >= HALF_OPEN + 1 - CAP,
        "only {closed} of {HALF_OPEN} stalled connections were closed under a cap of {CAP}"
    );
    drop(stalled);
    server.stop(Duration::from_secs(5)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_stops_accepting_and_returns() {
    let server = Server::start(limits(1, 2, 64)).await;
    let mut stream = server.connect().await;
    assert!(get(&mut stream, "/healthz").await.starts_with("HTTP/1.1 200"));
    let mut stalled = server.connect().await;
    stalled.write_all(b"GET / HTTP/1.1\r\n").await.expect("write");
    let addr = server.addr;
    // Graceful: returns once the open connections are done, bounded by the timeouts.
    server.stop(Duration::from_secs(5)).await;
    assert!(
        TcpStream::connect(addr).await.is_err(),
        "still accepting after shutdown"
    );
}
