//! Who a request acts for, and the defences around it.
//!
//! - The session lives in an `HttpOnly`, `SameSite=Lax` cookie holding a random token; the store
//!   keeps only its hash. Log-in and registration always start a new session (no fixation).
//! - Every form carries a CSRF token: the session's own when signed in, otherwise a random token that
//!   must match a `SameSite=Strict` cookie set with the form (double submit).
//! - JSON calls that change something as a signed-in member send the session's token in the
//!   `X-CSRF-Token` header; JSON bodies need `Content-Type: application/json`, which a cross-site
//!   form cannot send.
//! - Any unsafe method from another site (`Sec-Fetch-Site: cross-site`, or an `Origin` that is not
//!   this host) is refused before it reaches a handler.

use axum::extract::{FromRequest, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use kindred_app::community::Actor;
use serde::de::DeserializeOwned;

use crate::api::request_id;
use crate::error::ApiError;
use crate::state::AppState;

/// The session cookie.
pub const SESSION_COOKIE: &str = "kindred_session";
/// The cookie of an anonymous form's CSRF token.
pub const FORM_COOKIE: &str = "kindred_form";
/// The header JSON calls carry the session's CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The member a request acts for, if signed in.
pub struct MaybeActor(pub Option<Actor>);

impl FromRequestParts<AppState> for MaybeActor {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if let Some(read) = parts.extensions.get::<SessionRead>() {
            read.0.store(true, std::sync::atomic::Ordering::Relaxed);
        }
        let jar = CookieJar::from_headers(&parts.headers);
        let Some(token) = jar.get(SESSION_COOKIE).map(|c| c.value().to_owned()) else {
            return Ok(MaybeActor(None));
        };
        state
            .community
            .session(&token)
            .await
            .map(MaybeActor)
            .map_err(|e| ApiError::community(e).with_request_id(&request_id(parts)))
    }
}

/// A signed-in member, for the JSON API: 401 otherwise. On unsafe methods the `X-CSRF-Token`
/// header must carry the session's token (403 otherwise).
pub struct ApiActor(pub Actor, pub String);

impl FromRequestParts<AppState> for ApiActor {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let id = request_id(parts);
        let MaybeActor(actor) = MaybeActor::from_request_parts(parts, state).await?;
        let Some(actor) = actor else {
            return Err(
                ApiError::new(StatusCode::UNAUTHORIZED, "unauthenticated", "sign in to do this")
                    .with_request_id(&id),
            );
        };
        if !is_safe(&parts.method) {
            let sent = parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            if !kindred_auth::tokens_equal(sent, &actor.csrf_token) {
                return Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    "csrf",
                    "missing or wrong X-CSRF-Token header: send the csrf_token from sign-in",
                )
                .with_request_id(&id));
            }
        }
        Ok(ApiActor(actor, id))
    }
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// A JSON request body, with errors in Kindred's shape (400 `bad_body`, 415 `bad_content_type`).
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let id = request
            .headers()
            .get(crate::REQUEST_ID)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(JsonBody(value)),
            Err(rejection) => {
                let status = rejection.status();
                let code = if status == StatusCode::UNSUPPORTED_MEDIA_TYPE {
                    "bad_content_type"
                } else {
                    "bad_body"
                };
                Err(ApiError::new(status, code, rejection.body_text()).with_request_id(&id))
            }
        }
    }
}

/// Set by [`MaybeActor`] (and so every extractor of the member) when a handler reads the session.
#[derive(Clone, Default)]
struct SessionRead(std::sync::Arc<std::sync::atomic::AtomicBool>);

/// Private means uncacheable: every answer that depends on the session is `Cache-Control:
/// private, no-store` with `Vary: Cookie`. An answer depends on the session when its handler read
/// the member (whether or not one was signed in: a profile or group page differs by viewer), when
/// it sets a cookie, or when the request carried the session cookie and the handler did not say
/// otherwise (the stylesheet stays public). Library pages asked without a session stay cacheable.
pub(crate) async fn private_responses(mut request: Request, next: Next) -> Response {
    let read = SessionRead::default();
    request.extensions_mut().insert(read.clone());
    let with_session = CookieJar::from_headers(request.headers())
        .get(SESSION_COOKIE)
        .is_some();
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let read_session = read.0.load(std::sync::atomic::Ordering::Relaxed);
    let sets_cookie = headers.contains_key(header::SET_COOKIE);
    let unsaid = !headers.contains_key(header::CACHE_CONTROL);
    if read_session || sets_cookie || (with_session && unsaid) {
        headers.insert(
            header::CACHE_CONTROL,
            header::HeaderValue::from_static("private, no-store"),
        );
        headers.append(header::VARY, header::HeaderValue::from_static("cookie"));
    }
    response
}

/// The session cookie for a new session.
pub fn session_cookie(token: String, secure: bool) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, token))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .max_age(time_seconds(kindred_app::community::SESSION_SECONDS))
        .build()
}

/// A cookie that removes the session cookie.
pub fn cleared_session_cookie(secure: bool) -> Cookie<'static> {
    let mut cookie = Cookie::build((SESSION_COOKIE, ""))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .build();
    cookie.make_removal();
    cookie
}

/// The cookie of an anonymous form's CSRF token.
pub fn form_cookie(token: String, secure: bool) -> Cookie<'static> {
    Cookie::build((FORM_COOKIE, token))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(secure)
        .build()
}

fn time_seconds(seconds: i64) -> time::Duration {
    time::Duration::seconds(seconds)
}

/// Whether a submitted form's CSRF token is right: the session's when signed in, else the one in
/// the anonymous form cookie.
pub fn form_token_ok(actor: Option<&Actor>, jar: &CookieJar, submitted: &str) -> bool {
    let expected = match actor {
        Some(actor) => actor.csrf_token.clone(),
        None => match jar.get(FORM_COOKIE) {
            Some(cookie) => cookie.value().to_owned(),
            None => return false,
        },
    };
    !submitted.is_empty() && kindred_auth::tokens_equal(submitted, &expected)
}

/// Refuses unsafe methods sent from another site, whatever the route.
pub async fn same_origin_only(State(_state): State<AppState>, request: Request, next: Next) -> Response {
    if !is_safe(request.method()) && is_cross_site(request.headers()) {
        let id = request
            .headers()
            .get(crate::REQUEST_ID)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        return ApiError::new(
            StatusCode::FORBIDDEN,
            "cross_site",
            "requests that change something must come from Kindred's own pages",
        )
        .with_request_id(&id)
        .into_response();
    }
    next.run(request).await
}

fn is_cross_site(headers: &axum::http::HeaderMap) -> bool {
    match headers.get("sec-fetch-site").map(|v| v.as_bytes()) {
        Some(b"cross-site") => return true,
        // The browser vouches the request comes from one of our own pages. It wins over `Origin`,
        // which some browsers send as `null` on a same-origin form POST under strict referrer
        // policies.
        Some(b"same-origin") => return false,
        _ => {}
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    // `Origin: null` (sandboxed frames, some redirects) is not our origin either.
    let origin_host = origin
        .split_once("://")
        .map(|(_, rest)| rest.trim_end_matches('/'))
        .unwrap_or("");
    origin_host.is_empty() || !origin_host.eq_ignore_ascii_case(host)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::{HeaderMap, HeaderValue};

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn cross_site_requests_are_recognised() {
        assert!(!is_cross_site(&headers(&[("host", "localhost:8080")])));
        assert!(!is_cross_site(&headers(&[
            ("host", "localhost:8080"),
            ("origin", "http://localhost:8080")
        ])));
        assert!(is_cross_site(&headers(&[
            ("host", "localhost:8080"),
            ("origin", "http://evil.example")
        ])));
        assert!(is_cross_site(&headers(&[
            ("host", "localhost:8080"),
            ("origin", "null")
        ])));
        assert!(is_cross_site(&headers(&[
            ("host", "a"),
            ("sec-fetch-site", "cross-site")
        ])));
        assert!(!is_cross_site(&headers(&[
            ("host", "a"),
            ("sec-fetch-site", "same-origin")
        ])));
        // A form posted from our own page under `Referrer-Policy: no-referrer`.
        assert!(!is_cross_site(&headers(&[
            ("host", "a"),
            ("origin", "null"),
            ("sec-fetch-site", "same-origin")
        ])));
        assert!(is_cross_site(&headers(&[
            ("host", "a"),
            ("origin", "http://a"),
            ("sec-fetch-site", "cross-site")
        ])));
    }
}
