//! Private means uncacheable (issue 9, finding 7): every answer that depends on the session is
//! `Cache-Control: private, no-store` with `Vary: Cookie`, on every route; library pages asked
//! without a session stay cacheable.
//!
//! The GET routes come from the OpenAPI document (every API route) and from the page routers'
//! lists below, with their parameters filled in, so a new route is covered without being listed.

use axum::http::{Method, StatusCode, header};
use kindred_store::Backend;
use serde_json::json;

use crate::community::{Client, fresh_state};
use crate::support::{Reply, send};

/// Every page that reads the session (community and tracker pages), as a signed-in member sees it.
const SESSION_PAGES: &[&str] = &[
    "/login",
    "/register",
    "/me",
    "/me/profile",
    "/me/alikes",
    "/me/account",
    "/members/cache-owl",
    "/groups",
    "/groups/dystonia",
    "/posts/{post}",
    "/moderation",
    "/admin",
    "/tracker",
    "/tracker/diary",
    "/tracker/injections",
    "/tracker/medicines",
    "/tracker/charts",
    "/tracker/report",
    "/tracker/report.pdf",
    "/tracker/settings",
    "/tracker/export",
];

/// Library pages: the same for everyone, cacheable without a session.
const LIBRARY_PAGES: &[&str] = &[
    "/",
    "/conditions",
    "/conditions?letter=d",
    "/conditions/dystonia",
    "/ask?q=what+causes+dystonia%3F",
    "/search?q=dystonia",
    "/sources/seed-000",
    "/api/v1/ask?q=what+causes+dystonia%3F",
    "/api/v1/conditions",
    "/api/v1/conditions/dystonia",
    "/api/v1/search?q=dystonia",
    "/api/v1/sources/seed-000",
];

fn is_no_store(reply: &Reply) -> bool {
    reply
        .headers
        .get_all(header::CACHE_CONTROL)
        .iter()
        .any(|v| v.to_str().is_ok_and(|v| v.contains("no-store")))
}

fn varies_by_cookie(reply: &Reply) -> bool {
    reply.headers.get_all(header::VARY).iter().any(|v| {
        v.to_str()
            .is_ok_and(|v| v.to_ascii_lowercase().contains("cookie"))
    })
}

/// Every GET route of the OpenAPI document, its path parameters and required query parameters
/// filled in.
async fn api_get_routes(post: i64) -> Vec<String> {
    let doc = send(Method::GET, "/api/openapi.json").await.json();
    let mut routes = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        let Some(get) = item.get("get") else { continue };
        let mut uri = path
            .replace("{handle}", "cache-owl")
            .replace("{slug}", "dystonia")
            .replace(
                "{id}",
                &if path.contains("/posts/") {
                    post.to_string()
                } else {
                    "seed-000".into()
                },
            );
        let required: Vec<String> = get["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|p| p["in"] == "query" && p["required"] == true)
            .map(|p| {
                let name = p["name"].as_str().unwrap_or_default();
                let value = match name {
                    "treatment" => "botulinum-toxin",
                    "condition" => "dystonia",
                    _ => "dystonia",
                };
                format!("{name}={value}")
            })
            .collect();
        if !required.is_empty() {
            uri = format!("{uri}?{}", required.join("&"));
        }
        routes.push(uri);
    }
    assert!(routes.len() > 20, "too few routes from the document: {routes:?}");
    routes
}

async fn private_answers_are_never_stored(backend: Backend) {
    let (db, state) = fresh_state(backend).await;
    let member = Client::register(&state, "cache-owl").await;
    let anonymous = Client::anonymous(&state);
    let post = member
        .call(
            Method::POST,
            "/api/v1/groups/dystonia/posts",
            Some(json!({"title": "Cache", "body": "a post"})),
        )
        .await;
    post.assert_status(StatusCode::CREATED);
    let post = post.json()["id"].as_i64().expect("post id");

    let api = api_get_routes(post).await;
    let pages: Vec<String> = SESSION_PAGES
        .iter()
        .map(|p| p.replace("{post}", &post.to_string()))
        .collect();
    let library: Vec<String> = LIBRARY_PAGES.iter().map(|p| (*p).to_owned()).collect();

    // Signed in, everything is private, whatever the route: the API (the CSRF token in /me, the
    // profile, Alikes, the export, the tracker), the pages, and the library pages too.
    for uri in api.iter().chain(&pages).chain(&library) {
        let reply = member.call(Method::GET, uri, None).await;
        assert!(
            is_no_store(&reply),
            "GET {uri} signed in ({}) lacks Cache-Control: no-store: {:?}",
            reply.status,
            reply.headers.get(header::CACHE_CONTROL)
        );
        assert!(varies_by_cookie(&reply), "GET {uri} signed in lacks Vary: Cookie");
    }
    // The named findings, explicitly.
    for uri in [
        "/api/v1/me",
        "/api/v1/me/profile",
        "/api/v1/me/alikes",
        "/api/v1/me/export",
    ] {
        let reply = member.call(Method::GET, uri, None).await;
        reply.assert_status(StatusCode::OK);
        assert!(reply.header(header::CACHE_CONTROL).contains("no-store"), "{uri}");
    }
    // Without a session, what reads the session still varies by viewer (a member's page, a group),
    // or is a refusal that must not be stored in place of the member's answer.
    let library_api = [
        "/api/v1/ask",
        "/api/v1/conditions",
        "/api/v1/search",
        "/api/v1/sources/",
        "/api/v1/wisdom",
    ];
    for uri in api
        .iter()
        .filter(|u| {
            !library_api.iter().any(|l| u.starts_with(l))
                && !u.starts_with("/api/openapi")
                && *u != "/healthz"
        })
        .chain(&pages)
    {
        let reply = anonymous.call(Method::GET, uri, None).await;
        assert!(
            is_no_store(&reply) && varies_by_cookie(&reply),
            "GET {uri} anonymously ({}) is cacheable though it reads the session",
            reply.status
        );
    }
    // Answers that set a cookie are never stored.
    let signed_in = anonymous
        .call(
            Method::POST,
            "/api/v1/session",
            Some(json!({"handle": "cache-owl", "password": "a long passphrase 1"})),
        )
        .await;
    signed_in.assert_status(StatusCode::OK);
    assert!(
        is_no_store(&signed_in),
        "the sign-in answer carries the CSRF token"
    );
    // Library pages without a session: no no-store, so caches may keep them.
    for uri in &library {
        let reply = anonymous.call(Method::GET, uri, None).await;
        reply.assert_status(StatusCode::OK);
        assert!(
            !is_no_store(&reply),
            "GET {uri} without a session is needlessly uncacheable"
        );
    }
    // The stylesheet keeps its own public caching, signed in or not.
    let css = member.call(Method::GET, "/static/kindred.css", None).await;
    assert!(
        css.header(header::CACHE_CONTROL).starts_with("public"),
        "{:?}",
        css.headers
    );
    db.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn private_answers_are_never_stored_sqlite() {
    private_answers_are_never_stored(Backend::Sqlite).await;
}
