//! Answers are cached and deterministic: the same question gives byte-identical bodies.

use axum::http::StatusCode;

use crate::support::get;

#[tokio::test]
async fn the_same_ask_twice_is_byte_identical() {
    for uri in [
        "/api/v1/ask?q=is+there+a+cure+for+dystonia%3F",
        "/api/v1/ask?q=is+there+a+cure+for+dystonia%3F&limit=3",
        "/api/v1/ask?q=what+is+the+capital+of+France%3F",
    ] {
        let first = get(uri).await;
        first.assert_status(StatusCode::OK);
        let second = get(uri).await;
        second.assert_status(StatusCode::OK);
        assert_eq!(first.body, second.body, "{uri}");
        assert_eq!(first.content_type(), second.content_type(), "{uri}");
    }
}

#[tokio::test]
async fn surrounding_whitespace_gives_the_same_answer() {
    let plain = get("/api/v1/ask?q=what+causes+dystonia%3F").await;
    let padded = get("/api/v1/ask?q=++what+causes+dystonia%3F++").await;
    plain.assert_status(StatusCode::OK);
    padded.assert_status(StatusCode::OK);
    assert_eq!(plain.body, padded.body);
}

#[tokio::test]
async fn a_cached_answer_matches_an_uncached_one() {
    // Another router over a fresh state (empty cache) gives the same bytes as the shared, warm one.
    let uri = "/api/v1/ask?q=can+dystonia+be+inherited%3F";
    let warm = get(uri).await;
    let warm_again = get(uri).await;
    let state = crate::support::state().await;
    let fresh = kindred_web::AppState {
        answers: std::sync::Arc::new(quick_cache::sync::Cache::new(16)),
        ..state
    };
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let response = kindred_web::router(fresh)
        .oneshot(
            axum::http::Request::builder()
                .uri(uri)
                .body(axum::body::Body::empty())
                .expect("request"),
        )
        .await
        .expect("infallible");
    assert_eq!(response.status(), StatusCode::OK);
    let cold = response.into_body().collect().await.expect("body").to_bytes();
    assert_eq!(warm.body, warm_again.body);
    assert_eq!(warm.body, cold);
}
