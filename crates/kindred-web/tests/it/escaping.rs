//! What a visitor types is escaped wherever a page shows it.

use axum::http::StatusCode;

use crate::support::{assert_page_shell, encode, get, html_escape};

const PAYLOADS: &[&str] = &[
    "<script>alert(1)</script>",
    r#""><img src=x onerror=alert(1)>"#,
    "'><svg onload=alert(1)>",
    "dystonia <script>alert(1)</script>",
];

#[track_caller]
fn assert_inert(uri: &str, html: &str, payload: &str) {
    let lower = html.to_lowercase();
    assert!(!lower.contains("<script"), "{uri}: raw <script> in the page");
    assert!(!lower.contains("<img"), "{uri}: raw <img> in the page");
    assert!(!lower.contains("<svg"), "{uri}: raw <svg> in the page");
    assert!(!html.contains(payload), "{uri}: the payload is shown raw");
    assert!(
        html.contains(&html_escape(payload)),
        "{uri}: the payload is not shown escaped"
    );
}

#[tokio::test]
async fn questions_are_escaped_on_ask_and_search_pages() {
    for payload in PAYLOADS {
        for page in ["/ask", "/search"] {
            let uri = format!("{page}?q={}", encode(payload));
            let reply = get(&uri).await;
            reply.assert_status(StatusCode::OK);
            assert_page_shell(&reply);
            let html = reply.text();
            assert_inert(&uri, html, payload);
            // In the input's value attribute, the quote cannot close it.
            assert!(
                html.contains(&format!(r#"value="{}""#, html_escape(payload))),
                "{uri}: the box does not keep the escaped question"
            );
        }
    }
}

#[tokio::test]
async fn paths_are_escaped_on_error_pages() {
    for payload in PAYLOADS {
        for page in ["/conditions", "/sources"] {
            let uri = format!("{page}/{}", encode(payload));
            let reply = get(&uri).await;
            reply.assert_status(StatusCode::NOT_FOUND);
            assert_page_shell(&reply);
            assert_inert(&uri, reply.text(), payload);
        }
    }
}

#[tokio::test]
async fn error_messages_with_input_are_escaped() {
    // A client-chosen request id is shown on error pages.
    let request = axum::http::Request::builder()
        .uri("/conditions/no-such-condition")
        .header("x-request-id", "<b>id</b>")
        .body(axum::body::Body::empty())
        .expect("request");
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let response = kindred_web::router(crate::support::state().await)
        .oneshot(request)
        .await
        .expect("infallible");
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let body = response.into_body().collect().await.expect("body").to_bytes();
    let html = std::str::from_utf8(&body).expect("UTF-8");
    assert!(!html.contains("<b>id</b>"));
    assert!(html.contains(&html_escape("<b>id</b>")));
}

#[tokio::test]
async fn api_echoes_payloads_only_as_json() {
    let uri = format!("/api/v1/ask?q={}", encode(PAYLOADS[0]));
    let reply = get(&uri).await;
    reply.assert_status(StatusCode::OK);
    assert!(reply.content_type().starts_with("application/json"));
    assert_eq!(reply.json()["question"], PAYLOADS[0]);
}
