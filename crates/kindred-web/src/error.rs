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
