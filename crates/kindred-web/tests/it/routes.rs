//! Every route, data-driven: method, URI, status, content type and strings the body must contain.

use axum::http::{Method, StatusCode};

use crate::support::{assert_api_error, assert_page_shell, send};

struct Case {
    method: Method,
    uri: &'static str,
    status: StatusCode,
    content_type: &'static str,
    contains: &'static [&'static str],
}

const fn case(
    method: Method,
    uri: &'static str,
    status: StatusCode,
    content_type: &'static str,
    contains: &'static [&'static str],
) -> Case {
    Case {
        method,
        uri,
        status,
        content_type,
        contains,
    }
}

const HTML: &str = "text/html";
const JSON: &str = "application/json";
const OK: StatusCode = StatusCode::OK;
const GET: Method = Method::GET;

fn cases() -> Vec<Case> {
    vec![
        // Pages.
        case(
            GET,
            "/",
            OK,
            HTML,
            &["Health answers you can check", r#"href="/conditions/dystonia""#],
        ),
        case(
            GET,
            "/conditions",
            OK,
            HTML,
            &[
                "<h1>Conditions A–Z</h1>",
                "Page 1 of",
                r#"href="/conditions?letter=d""#,
            ],
        ),
        case(
            GET,
            "/conditions?letter=d&page=2",
            OK,
            HTML,
            &["<h1>Conditions A–Z: D</h1>", "Page 2 of", r#"rel="prev""#],
        ),
        case(
            GET,
            "/conditions/dystonia",
            OK,
            HTML,
            &["<h1>Dystonia</h1>", "Other names", r#"href="/sources/seed-000""#],
        ),
        case(
            GET,
            "/ask",
            OK,
            HTML,
            &["<h1>Ask a question</h1>", r#"action="/ask""#],
        ),
        case(
            GET,
            "/ask?q=how+often+do+I+need+botox+shots%3F",
            OK,
            HTML,
            &["every 3 to 4 months", "Cited passages"],
        ),
        case(
            GET,
            "/search",
            OK,
            HTML,
            &["<h1>Search</h1>", r#"action="/search""#],
        ),
        case(
            GET,
            "/search?q=dystonia",
            OK,
            HTML,
            &[r#"href="/conditions/dystonia""#, "passages-heading"],
        ),
        case(
            GET,
            "/sources/seed-000",
            OK,
            HTML,
            &["Mayo Clinic Care Network", "Removed as boilerplate"],
        ),
        case(
            GET,
            "/sources/NINDS_0000112",
            OK,
            HTML,
            &[
                "<h1>Dystonias</h1>",
                "National Institute of Neurological Disorders and Stroke (NINDS)",
            ],
        ),
        case(
            GET,
            "/static/kindred.css",
            OK,
            "text/css",
            &[".skip-link", ":root"],
        ),
        case(GET, "/healthz", OK, "text/plain", &["ok"]),
        // API.
        case(
            GET,
            "/api/openapi.json",
            OK,
            JSON,
            &[r#""openapi""#, "/api/v1/ask"],
        ),
        case(
            GET,
            "/api/v1/ask?q=how+often+do+I+need+botox+shots%3F",
            OK,
            JSON,
            &[r#""abstained":false"#, "every 3 to 4 months"],
        ),
        case(
            GET,
            "/api/v1/conditions",
            OK,
            JSON,
            &[r#""items""#, r#""n_pages""#],
        ),
        case(
            GET,
            "/api/v1/conditions/dystonia",
            OK,
            JSON,
            &[r#""slug":"dystonia""#, r#""sections""#],
        ),
        case(
            GET,
            "/api/v1/search?q=dystonia",
            OK,
            JSON,
            &[r#""slug":"dystonia""#, r#""passages""#],
        ),
        case(
            GET,
            "/api/v1/groups",
            OK,
            JSON,
            &[r#""slug":"dystonia""#, "members"],
        ),
        case(
            GET,
            "/api/v1/groups/dystonia",
            OK,
            JSON,
            &[r#""group":"#, r#""posts":"#],
        ),
        case(
            GET,
            "/api/v1/groups/no-such-condition",
            StatusCode::NOT_FOUND,
            JSON,
            &["not_found"],
        ),
        case(
            GET,
            "/api/v1/wisdom?condition=dystonia&treatment=botulinum-toxin",
            OK,
            JSON,
            &[r#""status":"suppressed""#, "Member reports, not medical evidence"],
        ),
        case(
            GET,
            "/api/v1/wisdom?condition=dystonia&treatment=snake-oil",
            StatusCode::NOT_FOUND,
            JSON,
            &["not_found"],
        ),
        case(
            GET,
            "/api/v1/sources/seed-000",
            OK,
            JSON,
            &[r#""id":"seed-000""#, "Mayo Clinic Care Network"],
        ),
        case(
            GET,
            "/api/v1/sources/NINDS_0000112",
            OK,
            JSON,
            &[r#""id":"NINDS_0000112""#],
        ),
        // Fallback and methods.
        case(
            GET,
            "/no/such/page",
            StatusCode::NOT_FOUND,
            HTML,
            &["Page not found"],
        ),
        case(
            GET,
            "/api/v1/no-such-route",
            StatusCode::NOT_FOUND,
            JSON,
            &[r#""code":"not_found""#],
        ),
        case(
            Method::POST,
            "/api/v1/ask",
            StatusCode::METHOD_NOT_ALLOWED,
            JSON,
            &[],
        ),
        case(Method::POST, "/ask", StatusCode::METHOD_NOT_ALLOWED, HTML, &[]),
    ]
}

#[tokio::test]
async fn every_route_answers_with_its_status_type_and_content() {
    for case in cases() {
        let reply = send(case.method.clone(), case.uri).await;
        reply.assert_status(case.status);
        assert!(
            reply.content_type().starts_with(case.content_type),
            "{} {}: content-type {:?}, expected {}",
            case.method,
            case.uri,
            reply.content_type(),
            case.content_type
        );
        let body = reply.text();
        for needle in case.contains {
            assert!(
                body.contains(needle),
                "{} {}: body lacks {needle:?}",
                case.method,
                case.uri
            );
        }
        if case.content_type == HTML {
            assert_page_shell(&reply);
        }
        if case.content_type == JSON && !case.status.is_success() {
            assert_api_error(&reply, case.status);
        }
    }
}

/// The table covers every public GET route the OpenAPI document lists (with its parameters filled
/// in). Routes about members, their posts and their own data need accounts: the community tests
/// (`community.rs`) cover them for every kind of visitor.
#[tokio::test]
async fn the_table_covers_every_documented_route() {
    let doc = send(GET, "/api/openapi.json").await.json();
    let cases = cases();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        let needs_accounts = [
            "/api/v1/me",
            "/api/v1/members/",
            "/api/v1/posts/",
            "/api/v1/moderation/",
        ]
        .iter()
        .any(|p| path.starts_with(p));
        if item.get("get").is_none() || needs_accounts {
            continue;
        }
        let prefix = path.split('{').next().unwrap_or(path);
        assert!(
            cases
                .iter()
                .any(|c| c.uri.split('?').next().unwrap_or(c.uri).starts_with(prefix) && c.status == OK),
            "no successful case for documented route {path}"
        );
    }
}
