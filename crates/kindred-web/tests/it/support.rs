//! The shared fixture (the real bundled library, built once per test run) and request helpers.

use std::path::Path;
use std::sync::OnceLock;

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use kindred_web::AppState;
use tower::ServiceExt;

/// Ingest without a progress bar.
struct NoProgress;

impl kindred_app::Progress for NoProgress {
    fn stage(&mut self, _name: &str, _total: Option<u64>) {}
    fn set(&mut self, _done: u64) {}
    fn finish(&mut self) {}
}

/// The library's directory (kept for the whole run: the index is read from it) and the state over it.
struct Fixture {
    _dir: tempfile::TempDir,
    kindred: std::sync::Arc<kindred_app::Kindred>,
}

static FIXTURE: OnceLock<Fixture> = OnceLock::new();

/// Fixture directories go under the target directory with this prefix. Statics are never dropped,
/// so a run's directory outlives its process: each run removes the ones of runs that are over.
const FIXTURE_PREFIX: &str = "kindred-web-it-";
/// The file in a fixture directory naming the process that uses it.
const OWNER_FILE: &str = "owner.pid";

/// Whether a fixture directory belongs to a run that is over: its process is gone (where `/proc`
/// tells), or, where it cannot be told, it is untouched for a day.
fn is_stale(dir: &Path) -> bool {
    let owner = std::fs::read_to_string(dir.join(OWNER_FILE))
        .ok()
        .and_then(|pid| pid.trim().parse::<u32>().ok());
    if let Some(pid) = owner
        && Path::new("/proc/self").exists()
    {
        return pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists();
    }
    std::fs::metadata(dir)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|modified| modified.elapsed().ok())
        .is_some_and(|age| age > std::time::Duration::from_secs(24 * 3600))
}

fn remove_stale_fixtures(parent: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let is_fixture = entry.file_name().to_string_lossy().starts_with(FIXTURE_PREFIX);
        if is_fixture && is_stale(&entry.path()) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// The state shared by the tests that need no database of their own: the library, a SQLite
/// community, and one answer cache.
static SHARED: tokio::sync::OnceCell<(kindred_store::testing::TestDb, AppState)> =
    tokio::sync::OnceCell::const_new();

/// The shared state over the bundled library (ingested on first use, about 10–20 s in debug) and a
/// shared SQLite community.
pub(crate) async fn state() -> AppState {
    let (_, state) = SHARED
        .get_or_init(|| async {
            let db = kindred_store::testing::TestDb::sqlite().await;
            let community = kindred_app::community::Community::open(db.store.clone())
                .await
                .expect("open the community");
            let state = AppState::from_parts(library(), std::sync::Arc::new(community));
            (db, state)
        })
        .await;
    state.clone()
}

/// The library, shared by every test of the run.
pub(crate) fn library() -> std::sync::Arc<kindred_app::Kindred> {
    FIXTURE
        .get_or_init(|| {
            let parent = Path::new(env!("CARGO_TARGET_TMPDIR"));
            std::fs::create_dir_all(parent).expect("create the target's tmp directory");
            remove_stale_fixtures(parent);
            let dir = tempfile::Builder::new()
                .prefix(FIXTURE_PREFIX)
                .tempdir_in(parent)
                .expect("create a temporary directory");
            std::fs::write(dir.path().join(OWNER_FILE), std::process::id().to_string())
                .expect("write the owner file");
            let data_dir = dir.path().join("data");
            kindred_app::ingest(&data_dir, &[], &mut NoProgress).expect("ingest the bundled library");
            let kindred = kindred_app::Kindred::open(&data_dir)
                .expect("open the library")
                .expect("the ingest built a library");
            kindred.warm_up().expect("load the source documents");
            Fixture {
                _dir: dir,
                kindred: std::sync::Arc::new(kindred),
            }
        })
        .kindred
        .clone()
}

/// A response, read whole.
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) uri: String,
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

impl Reply {
    /// The body as text (every Kindred response is UTF-8).
    pub(crate) fn text(&self) -> &str {
        std::str::from_utf8(&self.body).unwrap_or_else(|e| panic!("{}: body is not UTF-8: {e}", self.uri))
    }

    /// The body as JSON.
    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("{}: body is not JSON ({e}): {}", self.uri, self.text()))
    }

    /// A header as text, or "" when absent.
    pub(crate) fn header(&self, name: impl header::AsHeaderName) -> &str {
        self.headers
            .get(name)
            .map(|v| v.to_str().expect("header is visible ASCII"))
            .unwrap_or_default()
    }

    pub(crate) fn content_type(&self) -> &str {
        self.header(header::CONTENT_TYPE)
    }

    pub(crate) fn request_id(&self) -> &str {
        self.header("x-request-id")
    }

    /// Asserts the status, with the body in the message when it differs.
    #[track_caller]
    pub(crate) fn assert_status(&self, expected: StatusCode) -> &Reply {
        assert_eq!(
            self.status,
            expected,
            "{}: unexpected status; body: {}",
            self.uri,
            String::from_utf8_lossy(&self.body)
                .chars()
                .take(2000)
                .collect::<String>()
        );
        self
    }
}

/// Sends one request to a fresh router over the shared state. Every response is checked for the
/// security headers and a request id, whatever its status, and must never be a 5xx.
pub(crate) async fn send(method: Method, uri: &str) -> Reply {
    let request = Request::builder()
        .method(method)
        .uri(uri)
        .body(Body::empty())
        .expect("a valid request");
    send_to(state().await, request).await
}

/// Sends one request to a fresh router over `state`: the one path every test request takes.
/// Every response, whatever its status, must carry the security headers and a request id, must
/// never be a 5xx, and must never contain a password hash.
pub(crate) async fn send_to(state: AppState, request: Request<Body>) -> Reply {
    let uri = request.uri().to_string();
    let response = kindred_web::router(state)
        .oneshot(request)
        .await
        .expect("the router is infallible");
    let (parts, body) = response.into_parts();
    let body = body.collect().await.expect("read the body").to_bytes();
    let reply = Reply {
        uri: uri.clone(),
        status: parts.status,
        headers: parts.headers,
        body,
    };
    assert!(
        !reply.status.is_server_error(),
        "{uri}: server error {}: {}",
        reply.status,
        String::from_utf8_lossy(&reply.body)
    );
    assert_security_headers(&reply);
    assert!(
        !String::from_utf8_lossy(&reply.body).contains("$argon2"),
        "{uri}: a password hash left the store"
    );
    reply
}

/// `GET uri`.
pub(crate) async fn get(uri: &str) -> Reply {
    send(Method::GET, uri).await
}

/// The headers every response carries.
#[track_caller]
pub(crate) fn assert_security_headers(reply: &Reply) {
    let uri = &reply.uri;
    let csp = reply.header(header::CONTENT_SECURITY_POLICY);
    assert!(csp.contains("default-src 'none'"), "{uri}: CSP {csp:?}");
    assert!(!csp.contains("unsafe-inline"), "{uri}: CSP {csp:?}");
    assert!(!csp.contains("unsafe-eval"), "{uri}: CSP {csp:?}");
    assert_eq!(reply.header(header::X_CONTENT_TYPE_OPTIONS), "nosniff", "{uri}");
    assert!(
        !reply.header(header::REFERRER_POLICY).is_empty(),
        "{uri}: no referrer-policy"
    );
    assert_eq!(reply.header(header::X_FRAME_OPTIONS), "DENY", "{uri}");
    assert!(!reply.request_id().is_empty(), "{uri}: no x-request-id");
}

/// Percent-encodes a query value or path segment (everything but RFC 3986 unreserved characters).
pub(crate) fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len() * 3);
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Text as the templates escape it (askama's HTML escaper writes numeric references).
pub(crate) fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&#38;"),
            '<' => out.push_str("&#60;"),
            '>' => out.push_str("&#62;"),
            '"' => out.push_str("&#34;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The structure every HTML page shares: one `<h1>`, a `<main>` landmark, a skip link to it, and the
/// "not a substitute" disclaimer.
#[track_caller]
pub(crate) fn assert_page_shell(reply: &Reply) {
    let uri = &reply.uri;
    assert!(
        reply.content_type().starts_with("text/html"),
        "{uri}: content-type {:?}",
        reply.content_type()
    );
    let html = reply.text();
    assert_eq!(html.matches("<h1").count(), 1, "{uri}: exactly one <h1>");
    assert!(html.contains("<main"), "{uri}: no <main> landmark");
    assert!(
        html.contains(r##"<main id="main""##),
        "{uri}: <main> is not the skip link's target"
    );
    assert!(
        html.contains(r##"class="skip-link" href="#main""##),
        "{uri}: no skip link"
    );
    assert!(
        html.to_lowercase()
            .contains("not a substitute for professional medical advice"),
        "{uri}: no disclaimer"
    );
    assert!(html.starts_with("<!doctype html>"), "{uri}: no doctype");
}

/// An API error: the status, `{code, message, request_id}` JSON, and the request id equal to the
/// response's `x-request-id`. Returns the `code`.
#[track_caller]
pub(crate) fn assert_api_error(reply: &Reply, status: StatusCode) -> String {
    let uri = &reply.uri;
    reply.assert_status(status);
    assert!(
        reply.content_type().starts_with("application/json"),
        "{uri}: content-type {:?}",
        reply.content_type()
    );
    let body = reply.json();
    let object = body.as_object().expect("an error body is an object");
    let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["code", "message", "request_id"], "{uri}: {body}");
    let code = body["code"].as_str().expect("code is a string");
    assert!(!code.is_empty(), "{uri}: empty code");
    let message = body["message"].as_str().expect("message is a string");
    assert!(!message.is_empty(), "{uri}: empty message");
    let request_id = body["request_id"].as_str().expect("request_id is a string");
    assert!(!request_id.is_empty(), "{uri}: empty request_id");
    assert_eq!(
        request_id,
        reply.request_id(),
        "{uri}: request_id differs from x-request-id"
    );
    code.to_owned()
}

/// A page error: the status, an HTML error page with the page shell, and the request id shown.
#[track_caller]
pub(crate) fn assert_page_error(reply: &Reply, status: StatusCode) {
    let uri = &reply.uri;
    reply.assert_status(status);
    assert_page_shell(reply);
    let html = reply.text();
    assert!(
        html.contains(&format!("<code>{}</code>", html_escape(reply.request_id()))),
        "{uri}: the error page does not show the request id"
    );
}
