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
}

impl ApiError {
    /// 400 with a message.
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            code,
            message: message.into(),
            request_id: String::new(),
        }
    }

    /// 404 with a message.
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::NOT_FOUND,
            code: "not_found",
            message: message.into(),
            request_id: String::new(),
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
        (self.status, Json(self.body())).into_response()
    }
}
