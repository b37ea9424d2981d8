//! Security headers and request ids on every response, errors included.
//!
//! `support::send` checks the security headers on every response of every test; this module lists
//! one response of each kind explicitly and checks the exact values.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

use crate::support::{assert_security_headers, send};

const RESPONSES: &[(&str, &str, StatusCode)] = &[
    ("GET", "/", StatusCode::OK),
    ("GET", "/conditions/dystonia", StatusCode::OK),
    ("GET", "/static/kindred.css", StatusCode::OK),
    ("GET", "/healthz", StatusCode::OK),
    ("GET", "/api/openapi.json", StatusCode::OK),
    ("GET", "/api/v1/ask?q=dystonia", StatusCode::OK),
    ("GET", "/api/v1/ask", StatusCode::BAD_REQUEST),
    ("GET", "/ask?q=dystonia&limit=0", StatusCode::BAD_REQUEST),
    ("GET", "/conditions/%FF", StatusCode::BAD_REQUEST),
    ("GET", "/conditions/no-such-condition", StatusCode::NOT_FOUND),
    ("GET", "/api/v1/sources/no-such-source", StatusCode::NOT_FOUND),
    ("GET", "/no/such/page", StatusCode::NOT_FOUND),
    ("GET", "/api/no/such/route", StatusCode::NOT_FOUND),
    ("POST", "/api/v1/ask", StatusCode::METHOD_NOT_ALLOWED),
    ("DELETE", "/conditions/dystonia", StatusCode::METHOD_NOT_ALLOWED),
    ("HEAD", "/", StatusCode::OK),
];

#[tokio::test]
async fn every_kind_of_response_has_the_security_headers() {
    for (method, uri, status) in RESPONSES {
        let method: Method = method.parse().expect("method");
        let reply = send(method.clone(), uri).await;
        reply.assert_status(*status);
        assert_security_headers(&reply);
        assert_eq!(
            reply.header(header::CONTENT_SECURITY_POLICY),
            kindred_web::CONTENT_SECURITY_POLICY,
            "{method} {uri}"
        );
        assert_eq!(
            reply.header(header::REFERRER_POLICY),
            "same-origin",
            "{method} {uri}"
        );
    }
}

#[test]
fn the_policy_allows_no_script_and_no_elsewhere() {
    let csp = kindred_web::CONTENT_SECURITY_POLICY;
    assert!(csp.starts_with("default-src 'none'"));
    assert!(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"));
    assert!(!csp.contains("script-src"), "no script is ever allowed");
    assert!(csp.contains("frame-ancestors 'none'"));
    assert!(
        !csp.contains("http:") && !csp.contains("https:") && !csp.contains('*'),
        "nothing from elsewhere"
    );
}

#[tokio::test]
async fn request_ids_are_unique() {
    // One router, as a server runs it (ids count per router).
    let router = kindred_web::router(crate::support::state().await);
    let mut ids = std::collections::BTreeSet::new();
    for uri in ["/healthz", "/healthz", "/no/such/page", "/api/v1/ask", "/"] {
        let request = Request::builder().uri(uri).body(Body::empty()).expect("request");
        let response = router.clone().oneshot(request).await.expect("infallible");
        let id = response
            .headers()
            .get("x-request-id")
            .expect("an id")
            .to_str()
            .expect("ASCII");
        assert!(ids.insert(id.to_owned()), "a repeated id {id}");
    }
}

#[tokio::test]
async fn method_not_allowed_says_what_is() {
    for uri in ["/api/v1/ask", "/conditions/dystonia"] {
        let reply = send(Method::POST, uri).await;
        reply.assert_status(StatusCode::METHOD_NOT_ALLOWED);
        assert!(
            reply.header(header::ALLOW).contains("GET"),
            "{uri}: allow {:?}",
            reply.header(header::ALLOW)
        );
    }
}

async fn with_request_id(
    uri: &str,
    id: impl TryInto<axum::http::HeaderValue, Error: std::fmt::Debug>,
) -> (StatusCode, String, serde_json::Value) {
    let id: axum::http::HeaderValue = id.try_into().expect("a header value");
    let request = Request::builder()
        .uri(uri)
        .header("x-request-id", id)
        .body(Body::empty())
        .expect("request");
    let response = kindred_web::router(crate::support::state().await)
        .oneshot(request)
        .await
        .expect("infallible");
    let status = response.status();
    let header = response
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = response.into_body().collect().await.expect("body").to_bytes();
    let json = serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null);
    (status, header, json)
}

#[tokio::test]
async fn a_client_request_id_is_kept() {
    let (status, header, body) = with_request_id("/api/v1/conditions/no-such-condition", "client-42").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(header, "client-42");
    assert_eq!(body["request_id"], "client-42");
}

#[tokio::test]
async fn an_unquotable_client_request_id_is_replaced() {
    for id in [&b""[..], b"\xff\xfe"] {
        let id = axum::http::HeaderValue::from_bytes(id).expect("a header value");
        let (status, header, body) =
            with_request_id("/api/v1/conditions/no-such-condition", id.clone()).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(
            !header.is_empty(),
            "{id:?}: the client's id is echoed, not replaced"
        );
        assert_eq!(body["request_id"], header.as_str(), "{id:?}");
    }
}
