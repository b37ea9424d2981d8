//! The HTTP edge: how connections are accepted, how long a client may take, and how many
//! connections may be open at once.
//!
//! - **Header read timeout** (hyper's HTTP/1 `header_read_timeout`): a request's head must arrive
//!   whole within it. hyper starts the same timer whenever a connection waits for its next request,
//!   so it is also the idle keep-alive timeout.
//! - **Request timeout** (tower-http's `TimeoutLayer`, see [`crate::router_with`]): the body must be
//!   received and the answer produced within it, or the answer is 408.
//! - **Connection cap**: at most [`EdgeLimits::max_connections`] connections are open, and never
//!   more than the file-descriptor limit allows, so `accept` never fails with "too many open files".
//!   When the cap is reached, the oldest connection that has no request in progress (one that never
//!   finished sending a head first, else the longest idle) is closed to make room: a few thousand
//!   half-sent requests cannot keep a real request waiting for the header timeout.
//!
//! Only HTTP/1.1 is served: Kindred sits behind an HTTPS proxy, which speaks HTTP/1.1 to it, and
//! HTTP/1 is where hyper's header timeout applies.

use std::collections::HashMap;
use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::connect_info::ConnectInfo;
use axum::http::Request;
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::{Notify, Semaphore};
use tower::ServiceExt;

/// File descriptors kept free for everything that is not a client connection: the database
/// pool, the index, logs, the listener itself.
pub const RESERVED_FILES: u64 = 128;

/// How long clients may take, and how many may be connected. Each is a `kindred serve` flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EdgeLimits {
    /// A request head must arrive whole within this; also the idle keep-alive timeout.
    pub header_read_timeout: Duration,
    /// The body must be received and the answer produced within this (408 otherwise).
    pub request_timeout: Duration,
    /// Most connections open at once (lowered to fit the file-descriptor limit).
    pub max_connections: usize,
}

impl Default for EdgeLimits {
    fn default() -> EdgeLimits {
        EdgeLimits {
            header_read_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            max_connections: 1024,
        }
    }
}

/// Raises the soft limit of open files to the hard limit and returns the connection cap that fits
/// under it: `max_connections`, or fewer when the limit leaves less room after
/// [`RESERVED_FILES`].
pub fn fit_connection_cap(max_connections: usize) -> usize {
    let files = match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(files) => files,
        Err(error) => {
            tracing::warn!(%error, "could not read or raise the open-file limit");
            return max_connections.max(1);
        }
    };
    let room = usize::try_from(files.saturating_sub(RESERVED_FILES)).unwrap_or(usize::MAX);
    if room < max_connections {
        tracing::warn!(
            files,
            max_connections,
            cap = room.max(1),
            "the open-file limit lowers the connection cap"
        );
    }
    max_connections.min(room).max(1)
}

/// One open connection, as the accept loop sees it.
struct Connection {
    /// Requests whose answer has not been sent yet (until its body is dropped).
    in_flight: AtomicUsize,
    /// Requests whose head arrived.
    n_requests: AtomicU64,
    /// Milliseconds since the server started, at the last request start or end.
    last_active_ms: AtomicU64,
    /// Asks the connection's task to drop it.
    close: Notify,
}

/// The open connections, so that one can be chosen to close when the cap is reached.
struct Open {
    started: Instant,
    next_id: AtomicU64,
    connections: Mutex<HashMap<u64, Arc<Connection>>>,
}

impl Open {
    fn now_ms(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    fn add(&self) -> (u64, Arc<Connection>) {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let connection = Arc::new(Connection {
            in_flight: AtomicUsize::new(0),
            n_requests: AtomicU64::new(0),
            last_active_ms: AtomicU64::new(self.now_ms()),
            close: Notify::new(),
        });
        if let Ok(mut connections) = self.connections.lock() {
            connections.insert(id, connection.clone());
        }
        (id, connection)
    }

    fn remove(&self, id: u64) {
        if let Ok(mut connections) = self.connections.lock() {
            connections.remove(&id);
        }
    }

    /// Closes the connection least worth keeping: no request in progress, and first those that
    /// never sent a whole head, oldest first; then the longest idle. False when every connection is
    /// busy answering.
    fn close_one(&self) -> bool {
        let Ok(mut connections) = self.connections.lock() else {
            return false;
        };
        let victim = connections
            .iter()
            .filter(|(_, c)| c.in_flight.load(Ordering::Acquire) == 0)
            .min_by_key(|(id, c)| {
                (
                    c.n_requests.load(Ordering::Relaxed) > 0,
                    c.last_active_ms.load(Ordering::Relaxed),
                    **id,
                )
            })
            .map(|(id, _)| *id);
        match victim.and_then(|id| connections.remove(&id)) {
            Some(connection) => {
                connection.close.notify_one();
                true
            }
            None => false,
        }
    }
}

/// Counts a request as in progress until its answer's body is dropped.
struct InFlight {
    connection: Arc<Connection>,
    open: Arc<Open>,
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.connection
            .last_active_ms
            .store(self.open.now_ms(), Ordering::Relaxed);
        self.connection.in_flight.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Serves `app` on `listener` until `shutdown` completes, then stops accepting, lets the requests in
/// flight finish (for at most the two timeouts) and returns.
pub async fn serve_router(
    listener: TcpListener,
    app: Router,
    limits: EdgeLimits,
    shutdown: impl Future<Output = ()> + Send,
) -> std::io::Result<()> {
    let max_connections = limits.max_connections.max(1);
    let slots = Arc::new(Semaphore::new(max_connections));
    let open = Arc::new(Open {
        started: Instant::now(),
        next_id: AtomicU64::new(0),
        connections: Mutex::new(HashMap::new()),
    });
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        // Above the router's own limit (see `crate::MAX_HEADERS`), so that too many headers get
        // Kindred's JSON 431 rather than hyper's empty one.
        .max_headers(crate::MAX_HEADERS * 2);
    tokio::pin!(shutdown);
    loop {
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Not expected under the cap; never spin on it.
                    tracing::warn!(%error, "accept error");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // At the cap, make room by closing the connection least worth keeping; if every one is
        // busy answering, this one waits for a slot (and nothing else is accepted meanwhile, so
        // at most one socket more than the cap is ever open).
        let permit = match slots.clone().try_acquire_owned() {
            Ok(permit) => permit,
            Err(_) => {
                open.close_one();
                tokio::select! {
                    permit = slots.clone().acquire_owned() => match permit {
                        Ok(permit) => permit,
                        Err(_) => break,
                    },
                    () = &mut shutdown => break,
                }
            }
        };
        let (id, connection) = open.add();
        let service = {
            let app = app.clone();
            let connection = connection.clone();
            let open = open.clone();
            hyper::service::service_fn(move |mut request: Request<Incoming>| {
                request.extensions_mut().insert(ConnectInfo(remote));
                connection.in_flight.fetch_add(1, Ordering::AcqRel);
                connection.n_requests.fetch_add(1, Ordering::Relaxed);
                let guard = InFlight {
                    connection: connection.clone(),
                    open: open.clone(),
                };
                let answer = app.clone().oneshot(request.map(Body::new));
                async move {
                    let response = match answer.await {
                        Ok(response) => response,
                        Err(never) => match never {},
                    };
                    Ok::<_, Infallible>(response.map(move |body| {
                        Body::new(body.map_frame(move |frame| {
                            let _still_answering = &guard;
                            frame
                        }))
                    }))
                }
            })
        };
        let serving = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        let open = open.clone();
        tokio::spawn(async move {
            tokio::select! {
                result = serving => {
                    if let Err(error) = result {
                        tracing::debug!(%error, %remote, "connection ended with an error");
                    }
                }
                () = connection.close.notified() => {
                    tracing::debug!(%remote, "connection closed to make room for another");
                }
            }
            open.remove(id);
            // The socket is closed (the connection was dropped above) before the slot is freed.
            drop(permit);
        });
    }
    drop(listener);
    let grace = limits.header_read_timeout + limits.request_timeout;
    if tokio::time::timeout(grace, graceful.shutdown()).await.is_err() {
        tracing::warn!("connections still open after the grace period; closing them");
    }
    Ok(())
}

/// Binds `addr` and serves the whole application with `limits` until Ctrl-C or SIGTERM (see
/// [`serve_router`]). Raises the open-file limit first and fits the connection cap under it.
pub async fn serve(addr: SocketAddr, state: crate::AppState, limits: EdgeLimits) -> std::io::Result<()> {
    let limits = EdgeLimits {
        max_connections: fit_connection_cap(limits.max_connections),
        ..limits
    };
    let listener = TcpListener::bind(addr).await?;
    tracing::info!(
        %addr,
        header_read_timeout_s = limits.header_read_timeout.as_secs_f64(),
        request_timeout_s = limits.request_timeout.as_secs_f64(),
        max_connections = limits.max_connections,
        "kindred is listening"
    );
    eprintln!("Kindred is ready at http://{}", listener.local_addr()?);
    let app = crate::router_with(state, &limits);
    serve_router(listener, app, limits, shutdown_signal()).await
}

/// Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
