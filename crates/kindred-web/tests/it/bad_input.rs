//! Bad input: each gets the right 4xx, as `{code, message, request_id}` JSON under `/api` and as an
//! HTML error page elsewhere; never a 5xx, never a panic. Input at the limits is accepted.

use axum::http::{Method, StatusCode};

use crate::support::{assert_api_error, assert_page_error, assert_page_shell, encode, get, send};

const BAD: StatusCode = StatusCode::BAD_REQUEST;
const MISSING: StatusCode = StatusCode::NOT_FOUND;

/// A question of exactly `n` characters (ASCII, no surrounding whitespace).
fn question(n: usize) -> String {
    let mut q = "how often do I need botox shots for dystonia ".repeat(n / 40 + 1);
    q.truncate(n - 1);
    q.push('?');
    assert_eq!(q.chars().count(), n);
    q
}

/// An 8 KB query value.
fn eight_kb() -> String {
    "dystonia+".repeat(8 * 1024 / 9 + 1)
}

/// API requests and the error code each must get.
fn api_cases() -> Vec<(Method, String, StatusCode, &'static str)> {
    let too_long = encode(&question(1001));
    let get = Method::GET;
    let mut cases = Vec::new();
    for route in ["/api/v1/ask", "/api/v1/search"] {
        cases.extend([
            (
                get.clone(),
                format!("{route}?q={too_long}"),
                BAD,
                "question_too_long",
            ),
            (
                get.clone(),
                format!("{route}?q={}", eight_kb()),
                BAD,
                "question_too_long",
            ),
            (get.clone(), format!("{route}?q="), BAD, "empty_question"),
            (get.clone(), format!("{route}?q=+%20%09"), BAD, "empty_question"),
            (get.clone(), route.to_owned(), BAD, "bad_query"),
            (get.clone(), format!("{route}?limit=3"), BAD, "bad_query"),
            (get.clone(), format!("{route}?q=dystonia&foo=1"), BAD, "bad_query"),
            (
                get.clone(),
                format!("{route}?q=dystonia&q=botox"),
                BAD,
                "bad_query",
            ),
            (get.clone(), format!("{route}?q=%FF%FE"), BAD, "bad_query"),
            (get.clone(), format!("{route}?q=dystonia%FF"), BAD, "bad_query"),
            (
                get.clone(),
                format!("{route}?q=dystonia&limit=0"),
                BAD,
                "bad_limit",
            ),
            (
                get.clone(),
                format!("{route}?q=dystonia&limit=21"),
                BAD,
                "bad_limit",
            ),
            (
                get.clone(),
                format!("{route}?q=dystonia&limit=abc"),
                BAD,
                "bad_query",
            ),
            (
                get.clone(),
                format!("{route}?q=dystonia&limit=-1"),
                BAD,
                "bad_query",
            ),
            (
                get.clone(),
                format!("{route}?q=dystonia&limit=99999999999999999999999"),
                BAD,
                "bad_query",
            ),
        ]);
    }
    cases.extend([
        (
            get.clone(),
            "/api/v1/conditions?foo=1".to_owned(),
            BAD,
            "bad_query",
        ),
        (
            get.clone(),
            "/api/v1/conditions?page=abc".to_owned(),
            BAD,
            "bad_query",
        ),
        (
            get.clone(),
            "/api/v1/conditions?page=-1".to_owned(),
            BAD,
            "bad_query",
        ),
        (
            get.clone(),
            "/api/v1/conditions?letter=%FF".to_owned(),
            BAD,
            "bad_query",
        ),
        (
            get.clone(),
            "/api/v1/conditions/no-such-condition".to_owned(),
            MISSING,
            "not_found",
        ),
        (get.clone(), "/api/v1/conditions/%FF".to_owned(), BAD, "bad_path"),
        (
            get.clone(),
            "/api/v1/conditions/".to_owned(),
            MISSING,
            "not_found",
        ),
        (
            get.clone(),
            format!("/api/v1/conditions/{}", "a".repeat(8 * 1024)),
            MISSING,
            "not_found",
        ),
        (
            get.clone(),
            "/api/v1/sources/no-such-source".to_owned(),
            MISSING,
            "not_found",
        ),
        (get.clone(), "/api/v1/sources/%FF".to_owned(), BAD, "bad_path"),
        (
            get.clone(),
            "/api/v1/sources/..%2F..%2Fetc%2Fpasswd".to_owned(),
            MISSING,
            "not_found",
        ),
        (
            get.clone(),
            "/api/v1/no-such-route".to_owned(),
            MISSING,
            "not_found",
        ),
        (get.clone(), "/api/v1/ask/extra".to_owned(), MISSING, "not_found"),
        (
            Method::POST,
            "/api/v1/ask".to_owned(),
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
        ),
        (
            Method::PUT,
            "/api/v1/conditions/dystonia".to_owned(),
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
        ),
        (
            Method::DELETE,
            "/api/v1/sources/seed-000".to_owned(),
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
        ),
    ]);
    cases
}

#[tokio::test]
async fn api_errors_are_json_with_the_request_id() {
    for (method, uri, status, code) in api_cases() {
        let reply = send(method.clone(), &uri).await;
        let short: String = uri.chars().take(80).collect();
        let got = assert_api_error(&reply, status);
        assert_eq!(got, code, "{method} {short}: code");
    }
}

/// Page requests and the status of the error page each must get.
fn page_cases() -> Vec<(Method, String, StatusCode)> {
    let too_long = encode(&question(1001));
    let get = Method::GET;
    let mut cases = Vec::new();
    for route in ["/ask", "/search"] {
        cases.extend([
            (get.clone(), format!("{route}?q={too_long}"), BAD),
            (get.clone(), format!("{route}?q={}", eight_kb()), BAD),
            (get.clone(), format!("{route}?q=dystonia&foo=1"), BAD),
            (get.clone(), format!("{route}?q=%FF%FE"), BAD),
            (get.clone(), format!("{route}?q=dystonia&limit=0"), BAD),
            (get.clone(), format!("{route}?q=dystonia&limit=21"), BAD),
            (get.clone(), format!("{route}?q=dystonia&limit=abc"), BAD),
        ]);
    }
    cases.extend([
        (get.clone(), "/conditions?foo=1".to_owned(), BAD),
        (get.clone(), "/conditions?page=abc".to_owned(), BAD),
        (get.clone(), "/conditions?letter=%FF".to_owned(), BAD),
        (get.clone(), "/conditions/no-such-condition".to_owned(), MISSING),
        (get.clone(), "/conditions/%FF".to_owned(), BAD),
        (
            get.clone(),
            format!("/conditions/{}", "a".repeat(8 * 1024)),
            MISSING,
        ),
        (get.clone(), "/sources/no-such-source".to_owned(), MISSING),
        (get.clone(), "/sources/%FF".to_owned(), BAD),
        (get.clone(), "/no/such/page".to_owned(), MISSING),
        (get.clone(), "/conditions/dystonia/extra".to_owned(), MISSING),
        (get.clone(), "/api".to_owned(), MISSING),
        (Method::POST, "/ask".to_owned(), StatusCode::METHOD_NOT_ALLOWED),
        (
            Method::POST,
            "/conditions/dystonia".to_owned(),
            StatusCode::METHOD_NOT_ALLOWED,
        ),
    ]);
    cases
}

#[tokio::test]
async fn page_errors_are_html_pages_with_the_request_id() {
    for (method, uri, status) in page_cases() {
        let reply = send(method, &uri).await;
        assert_page_error(&reply, status);
    }
}

#[tokio::test]
async fn page_errors_say_what_went_wrong() {
    let reply = get(&format!("/ask?q={}", encode(&question(1001)))).await;
    assert!(
        reply
            .text()
            .contains("the question has 1001 characters; the most is 1000")
    );
    let reply = get("/conditions/no-such-condition").await;
    assert!(reply.text().contains("<h1>Page not found</h1>"));
    assert!(
        reply
            .text()
            .contains("no condition page called &#34;no-such-condition&#34;")
    );
    let reply = get("/ask?q=dystonia&limit=21").await;
    assert!(reply.text().contains("limit must be between 1 and 20, not 21"));
}

#[tokio::test]
async fn questions_at_the_limit_are_accepted() {
    let ascii = encode(&question(1000));
    // 1,000 characters of two bytes each: the limit counts characters, not bytes.
    let accented = encode(&"é".repeat(1000));
    for q in [&ascii, &accented] {
        let api = get(&format!("/api/v1/ask?q={q}")).await;
        api.assert_status(StatusCode::OK);
        assert_eq!(
            api.json()["question"].as_str().map(|s| s.chars().count()),
            Some(1000)
        );
        for page in ["/ask", "/search"] {
            let reply = get(&format!("{page}?q={q}")).await;
            reply.assert_status(StatusCode::OK);
            assert_page_shell(&reply);
        }
        get(&format!("/api/v1/search?q={q}"))
            .await
            .assert_status(StatusCode::OK);
    }
    // Whitespace around a question does not count.
    let padded = format!("++{ascii}++");
    get(&format!("/api/v1/ask?q={padded}"))
        .await
        .assert_status(StatusCode::OK);
}

#[tokio::test]
async fn limits_at_the_bounds_are_accepted() {
    for limit in [1, 20] {
        for route in ["/api/v1/ask", "/api/v1/search", "/ask", "/search"] {
            get(&format!("{route}?q=dystonia&limit={limit}"))
                .await
                .assert_status(StatusCode::OK);
        }
    }
}

/// Issue 9: `letter=ab` or `page=0` were silently replaced by the whole list or page 1. Now each is
/// refused, naming the parameter; a page past the last is a 404. A well-formed letter no condition
/// starts with is an empty list, not the whole catalog.
#[tokio::test]
async fn bad_pages_and_letters_are_refused_not_coerced() {
    for (query, status, field) in [
        ("page=0", BAD, "page"),
        ("letter=d&page=0", BAD, "page"),
        ("page=-1", BAD, "page"),
        ("letter=ab", BAD, "letter"),
        ("letter=zz", BAD, "letter"),
        ("letter=", BAD, "letter"),
        ("letter=%C3%A9", BAD, "letter"),
        ("letter=1", BAD, "letter"),
        ("page=999999", MISSING, "page"),
        ("page=18446744073709551615", MISSING, "page"),
        ("letter=d&page=999999", MISSING, "page"),
    ] {
        let reply = get(&format!("/api/v1/conditions?{query}")).await;
        assert_api_error(&reply, status);
        let message = reply.json()["message"].as_str().unwrap_or_default().to_owned();
        assert!(
            message.contains(field),
            "{query}: {message:?} does not name {field}"
        );
        assert_page_error(&get(&format!("/conditions?{query}")).await, status);
    }
    let all = get("/api/v1/conditions").await.json();
    for (query, page, letter) in [
        ("letter=d&page=1", 1, "d"),
        ("letter=D", 1, "d"),
        ("page=1", 1, ""),
    ] {
        let reply = get(&format!("/api/v1/conditions?{query}")).await;
        reply.assert_status(StatusCode::OK);
        let body = reply.json();
        assert_eq!(body["page"], page, "{query}");
        assert_eq!(body["letter"].as_str().unwrap_or(""), letter, "{query}");
        assert!(!body["items"].as_array().expect("items").is_empty(), "{query}");
        if letter.is_empty() {
            assert_eq!(body["total"], all["total"], "{query}");
        }
    }
    // A letter with no conditions: an empty list, saying so.
    let letters: Vec<String> = all["letters"]
        .as_array()
        .expect("letters")
        .iter()
        .filter_map(|l| l["letter"].as_str().map(str::to_owned))
        .collect();
    if let Some(absent) = ('a'..='z').map(String::from).find(|l| !letters.contains(l)) {
        let body = get(&format!("/api/v1/conditions?letter={absent}")).await.json();
        assert_eq!(body["total"], 0, "letter {absent}: {body}");
        assert_eq!(body["letter"], absent.as_str());
    }
}

/// Issue 9: 414 and 431 answers had an empty body. Too long a request target or too many (or too
/// large) headers get Kindred's JSON error, with the request id.
#[tokio::test]
async fn oversized_heads_get_a_json_414_or_431() {
    let long = "a".repeat(kindred_web::MAX_URI_BYTES);
    for uri in [
        format!("/api/v1/search?q={long}"),
        format!("/conditions?letter={long}"),
    ] {
        let reply = get(&uri).await;
        assert_eq!(assert_api_error(&reply, StatusCode::URI_TOO_LONG), "uri_too_long");
    }
    let many = (0..=kindred_web::MAX_HEADERS).fold(
        axum::http::Request::builder().uri("/api/v1/conditions"),
        |request, i| request.header(format!("x-filler-{i}"), "1"),
    );
    let big = axum::http::Request::builder()
        .uri("/api/v1/conditions")
        .header("cookie", "c".repeat(kindred_web::MAX_HEADER_BYTES + 1));
    for request in [many, big] {
        let request = request.body(axum::body::Body::empty()).expect("request");
        let reply = crate::support::send_to(crate::support::state().await, request).await;
        assert_eq!(
            assert_api_error(&reply, StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE),
            "headers_too_large"
        );
    }
}
