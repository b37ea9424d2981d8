//! Kindred on the web: server-rendered pages and the `/api/v1` JSON API, described by an OpenAPI
//! document generated from the handlers.
//!
//! This is the only crate that knows HTTP. Pages work without JavaScript and load nothing from
//! elsewhere; every response carries a strict Content-Security-Policy and a request id. Handlers call
//! `kindred-app` and render what it returns; they hold no health logic of their own.

mod api;
mod community_api;
mod community_pages;
mod edge;
mod error;
mod pages;
mod session;
mod state;
mod tracker_api;
mod tracker_pages;

use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, Request, StatusCode, header};
use axum::routing::{get, post, put};
use tower_http::request_id::{MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

pub use api::ApiDoc;
pub use edge::{EdgeLimits, RESERVED_FILES, fit_connection_cap, serve, serve_router};
pub use error::{ApiError, ErrorBody};
pub use state::AppState;

/// The header carrying each request's id, in requests (if the client set one) and responses.
pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The Content-Security-Policy of every response: nothing but our own styles, no script at all.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; \
form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// Request ids: a process-unique counter, prefixed with the start time so ids do not repeat across
/// restarts. Short and readable for people quoting them in a bug report.
/// The counter is process-wide, so two routers in one process never hand out the same id.
#[derive(Clone)]
struct Counter {
    prefix: Arc<str>,
}

static NEXT_REQUEST: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

impl MakeRequestId for Counter {
    fn make_request_id<B>(&mut self, _request: &Request<B>) -> Option<RequestId> {
        let n = NEXT_REQUEST.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        HeaderValue::from_str(&format!("{}-{n}", self.prefix))
            .ok()
            .map(RequestId::new)
    }
}

/// Longest request target (path and query) answered; longer ones get a JSON 414.
pub const MAX_URI_BYTES: usize = 16 * 1024;
/// Most request headers answered; more get a JSON 431.
pub const MAX_HEADERS: usize = 100;
/// Most bytes of request headers (names and values) answered; more get a JSON 431.
pub const MAX_HEADER_BYTES: usize = 16 * 1024;

/// The whole application with the default [`EdgeLimits`] (see [`router_with`]).
pub fn router(state: AppState) -> Router {
    router_with(state, &EdgeLimits::default())
}

/// The whole application: pages, API, static files, and the layers every response passes,
/// including the request timeout of `limits` (the connection-level limits are applied by
/// [`serve_router`]).
pub fn router_with(state: AppState, limits: &EdgeLimits) -> Router {
    let started = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let counter = Counter {
        prefix: format!("{started:x}").into(),
    };
    Router::new()
        .route("/", get(pages::home))
        .route("/conditions", get(pages::conditions))
        .route("/conditions/{slug}", get(pages::condition))
        .route("/ask", get(pages::ask))
        .route("/search", get(pages::search))
        .route("/sources/{id}", get(pages::source))
        .route("/static/kindred.css", get(pages::stylesheet))
        .route("/healthz", get(api::healthz))
        .route("/api/openapi.json", get(api::openapi))
        .route("/api/v1/ask", get(api::ask))
        .route("/api/v1/conditions", get(api::conditions))
        .route("/api/v1/conditions/{slug}", get(api::condition))
        .route("/api/v1/search", get(api::search))
        .route("/api/v1/sources/{id}", get(api::source))
        .route("/api/v1/accounts", post(community_api::register))
        .route(
            "/api/v1/session",
            post(community_api::login).delete(community_api::logout),
        )
        .route("/api/v1/me", get(community_api::me).delete(community_api::delete_account))
        .route(
            "/api/v1/me/profile",
            get(community_api::own_profile).put(community_api::save_profile),
        )
        .route("/api/v1/me/alikes", get(community_api::alikes))
        .route("/api/v1/me/export", get(community_api::export))
        .route("/api/v1/me/password", post(community_api::change_password))
        .route("/api/v1/members/{handle}", get(community_api::member))
        .route("/api/v1/members/{handle}/role", put(community_api::set_role))
        .route("/api/v1/groups", get(community_api::groups))
        .route("/api/v1/groups/{slug}", get(community_api::group))
        .route(
            "/api/v1/groups/{slug}/membership",
            put(community_api::join).delete(community_api::leave),
        )
        .route("/api/v1/groups/{slug}/posts", post(community_api::create_post))
        .route("/api/v1/posts/{id}", get(community_api::thread))
        .route("/api/v1/posts/{id}/replies", post(community_api::reply))
        .route("/api/v1/posts/{id}/reports", post(community_api::report))
        .route("/api/v1/posts/{id}/moderation", post(community_api::moderate))
        .route("/api/v1/moderation/reports", get(community_api::reports))
        .route("/api/v1/moderation/audit", get(community_api::audit))
        .route("/api/v1/wisdom", get(community_api::wisdom))
        .merge(community_pages::routes())
        .merge(tracker_pages::routes())
        .merge(tracker_api::routes())
        // After every route: it applies to the routes already added.
        .method_not_allowed_fallback(pages::method_not_allowed)
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            session::same_origin_only,
        ))
        .with_state(state)
        .layer(axum::middleware::from_fn(session::private_responses))
        // The body must arrive and the answer be ready within the request timeout; the 408 it
        // gives is filled in with a JSON body below, like every other body-less error.
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            limits.request_timeout,
        ))
        .layer(axum::middleware::from_fn(error::fill_empty_errors))
        .layer(axum::middleware::from_fn(error::refuse_oversized_heads))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
            let id = request
                .headers()
                .get(REQUEST_ID)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-");
            tracing::info_span!("request", id, method = %request.method(), path = %request.uri().path())
        })
        .on_response(tower_http::trace::DefaultOnResponse::new().level(tracing::Level::INFO).latency_unit(tower_http::LatencyUnit::Micros))
        .on_failure(tower_http::trace::DefaultOnFailure::new().level(tracing::Level::ERROR)))
        .layer(SetRequestIdLayer::new(REQUEST_ID, counter))
        // Outermost: a client's id is kept only when it can be quoted (not empty, visible ASCII);
        // otherwise it is dropped and the layer above makes one.
        .layer(tower::util::MapRequestLayer::new(
            drop_unquotable_request_id::<axum::body::Body>,
        ))
}

/// Longest client-sent request id kept; longer ones are replaced rather than echoed and logged.
const MAX_CLIENT_REQUEST_ID: usize = 128;

/// Removes a client-sent request id that errors could not quote: empty, too long, or not visible
/// ASCII.
fn drop_unquotable_request_id<B>(mut request: Request<B>) -> Request<B> {
    let unquotable = request
        .headers()
        .get(REQUEST_ID)
        .is_some_and(|id| id.is_empty() || id.len() > MAX_CLIENT_REQUEST_ID || id.to_str().is_err());
    if unquotable {
        request.headers_mut().remove(REQUEST_ID);
    }
    request
}

/// Everything Kindred holds about a member, for their export: the community side (account,
/// profile, groups, posts) and the tracker.
pub(crate) async fn member_export(
    state: &AppState,
    actor: &kindred_app::community::Actor,
) -> Result<serde_json::Value, kindred_app::community::CommunityError> {
    use kindred_app::community::CommunityError;
    use kindred_app::tracker::TrackerError;
    let community = state.community.export(actor).await?;
    let tracker = async {
        let conditions = kindred_app::tracker::conditions(&state.community, actor, &state.kindred).await?;
        kindred_app::tracker::Tracker::of(&state.community, actor)
            .data(conditions)
            .await
    }
    .await
    .map_err(|e| match e {
        TrackerError::Store(source) => CommunityError::Store(source),
        TrackerError::Community(source) => source,
        other @ (TrackerError::Invalid { .. } | TrackerError::NotFound { .. }) => CommunityError::Invalid {
            field: "tracker".into(),
            message: other.to_string(),
        },
    })?;
    Ok(serde_json::json!({
        "format": "kindred-member-export",
        "version": 1,
        "community": community,
        "tracker": tracker,
    }))
}
