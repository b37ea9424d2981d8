//! Errors as HTTP responses: `{code, message, request_id}` JSON for the API, an HTML page for pages.
//!
//! A 4xx shows its actionable message. A 5xx shows an opaque message with the request id; the whole
//! cause is logged, never sent (no file path, no internal detail reaches a client).

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// The body of every API error.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ErrorBody {
    /// Stable machine-readable code: `bad_query`, `bad_path`, `bad_limit`, `empty_question`,
    /// `question_too_long`, `not_found`, `method_not_allowed` or `internal`.
    pub code: String,
    /// What went wrong, for people.
    pub message: String,
    /// The request's id, to quote in a report.
    pub request_id: String,
}

/// An error a handler returns.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// Stable code.
    pub code: &'static str,
    /// Message for people (opaque for 5xx).
    pub message: String,
    /// Request id, when known.
    pub request_id: String,
    /// Seconds to wait before retrying (429s and 503s), sent as `Retry-After`.
    pub retry_after: Option<u64>,
}

impl ApiError {
    /// 400 with a message.
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            code,
            message: message.into(),
            request_id: String::new(),
            retry_after: None,
        }
    }

    /// Any status with a code and message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            request_id: String::new(),
            retry_after: None,
        }
    }

    /// The community's error as HTTP: what the person can act on for 4xx, opaque for 5xx.
    pub fn community(error: kindred_app::community::CommunityError) -> ApiError {
        use kindred_app::community::CommunityError as E;
        match &error {
            E::Unauthenticated => {
                ApiError::new(StatusCode::UNAUTHORIZED, "unauthenticated", error.to_string())
            }
            E::Forbidden => ApiError::new(StatusCode::FORBIDDEN, "forbidden", error.to_string()),
            E::NotFound { .. } => ApiError::new(StatusCode::NOT_FOUND, "not_found", error.to_string()),
            E::Invalid { .. } => ApiError::new(StatusCode::BAD_REQUEST, "invalid", error.to_string()),
            E::BadCredentials => {
                ApiError::new(StatusCode::UNAUTHORIZED, "bad_credentials", error.to_string())
            }
            E::HandleTaken => ApiError::new(StatusCode::CONFLICT, "handle_taken", error.to_string()),
            E::RateLimited { retry_after } => {
                let mut e = ApiError::new(StatusCode::TOO_MANY_REQUESTS, "rate_limited", error.to_string());
                e.retry_after = Some(*retry_after);
                e
            }
            // A flood of sign-ins is the clients' doing: 429, so the server's own health (5xx)
            // stays a signal of its own.
            E::Busy { retry_after } => {
                let mut e = ApiError::new(StatusCode::TOO_MANY_REQUESTS, "busy", error.to_string());
                e.retry_after = Some(*retry_after);
                e
            }
            E::Unavailable { retry_after } => {
                let mut e = ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", error.to_string());
                e.retry_after = Some(*retry_after);
                e
            }
            E::Store(_) | E::Hash => ApiError::internal(&error),
        }
    }

    /// 404 with a message.
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::NOT_FOUND,
            code: "not_found",
            message: message.into(),
            request_id: String::new(),
            retry_after: None,
        }
    }

    /// 500: logs the cause, shows nothing of it.
    pub fn internal(cause: &dyn std::error::Error) -> ApiError {
        let mut chain = cause.to_string();
        let mut source = cause.source();
        while let Some(next) = source {
            chain.push_str(": ");
            chain.push_str(&next.to_string());
            source = next.source();
        }
        tracing::error!(error = %chain, "internal error");
        ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            code: "internal",
            message:
                "Something went wrong on our side. Please try again; if it persists, quote the request id."
                    .to_owned(),
            request_id: String::new(),
            retry_after: None,
        }
    }

    /// The same error, tagged with the request id.
    pub fn with_request_id(mut self, request_id: &str) -> ApiError {
        self.request_id = request_id.to_owned();
        self
    }

    /// The JSON body.
    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            code: self.code.to_owned(),
            message: self.message.clone(),
            request_id: self.request_id.clone(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(self.body())).into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
        response
    }
}

/// The stable code of a body-less error answer made outside a handler (by a layer or a limit).
fn code_of(status: StatusCode) -> &'static str {
    match status {
        StatusCode::REQUEST_TIMEOUT => "request_timeout",
        StatusCode::PAYLOAD_TOO_LARGE => "body_too_large",
        StatusCode::URI_TOO_LONG => "uri_too_long",
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => "headers_too_large",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::NOT_FOUND => "not_found",
        s if s.is_server_error() => "internal",
        _ => "bad_request",
    }
}

/// What a person can do about a body-less error answer made outside a handler.
fn message_of(status: StatusCode) -> String {
    match status {
        StatusCode::REQUEST_TIMEOUT => {
            "the request was not received and answered in time; send it again, whole".to_owned()
        }
        StatusCode::URI_TOO_LONG => format!(
            "the address is longer than {} bytes; shorten the query",
            crate::MAX_URI_BYTES
        ),
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => format!(
            "more than {} headers or {} bytes of headers; send fewer or smaller ones (cookies?)",
            crate::MAX_HEADERS,
            crate::MAX_HEADER_BYTES
        ),
        other => other
            .canonical_reason()
            .unwrap_or("the request could not be answered")
            .to_owned(),
    }
}

/// Gives every error answer that has no body (a timeout, a limit of a layer) the standard JSON
/// error body, so that no client ever sees an empty 4xx or 5xx.
pub(crate) async fn fill_empty_errors(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let id = request_id_of(request.headers());
    let response = next.run(request).await;
    let status = response.status();
    let empty = !response.headers().contains_key(axum::http::header::CONTENT_TYPE)
        && axum::body::HttpBody::size_hint(response.body()).exact() == Some(0);
    if !(status.is_client_error() || status.is_server_error()) || !empty {
        return response;
    }
    let (mut parts, _) = response.into_parts();
    let error = ApiError::new(status, code_of(status), message_of(status)).with_request_id(&id);
    let mut filled = error.into_response();
    // Keep what the layer set (Allow, Retry-After, …) but the new body's type and length.
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    for (name, value) in filled.headers() {
        parts.headers.insert(name.clone(), value.clone());
    }
    *filled.headers_mut() = parts.headers;
    filled
}

/// Refuses, with the JSON error body, a request target longer than [`crate::MAX_URI_BYTES`] (414)
/// or more than [`crate::MAX_HEADERS`] headers or [`crate::MAX_HEADER_BYTES`] bytes of them (431).
/// hyper's own limits are higher, and it answers them with an empty body.
pub(crate) async fn refuse_oversized_heads(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let uri_bytes = request
        .uri()
        .path_and_query()
        .map_or(0, |target| target.as_str().len());
    let headers = request.headers();
    let header_bytes: usize = headers
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len())
        .sum();
    let status = if uri_bytes > crate::MAX_URI_BYTES {
        StatusCode::URI_TOO_LONG
    } else if headers.len() > crate::MAX_HEADERS || header_bytes > crate::MAX_HEADER_BYTES {
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE
    } else {
        return next.run(request).await;
    };
    ApiError::new(status, code_of(status), message_of(status))
        .with_request_id(&request_id_of(headers))
        .into_response()
}

/// The request's id, as the request-id layer set it (empty if none).
pub(crate) fn request_id_of(headers: &axum::http::HeaderMap) -> String {
    headers
        .get(crate::REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}
