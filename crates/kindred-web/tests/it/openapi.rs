//! The OpenAPI document: OpenAPI 3, and it lists every `/api/v1` route the router serves.

use axum::http::StatusCode;
use serde_json::Value;

use crate::support::get;

/// The library's read-only `/api/v1` routes, as OpenAPI writes them.
const API_ROUTES: &[&str] = &[
    "/api/v1/ask",
    "/api/v1/conditions",
    "/api/v1/conditions/{slug}",
    "/api/v1/search",
    "/api/v1/sources/{id}",
];

/// Every operation of `kindred_web::router` under `/api/v1`: method and path.
const OPERATIONS: &[(&str, &str)] = &[
    ("get", "/api/v1/ask"),
    ("get", "/api/v1/conditions"),
    ("get", "/api/v1/conditions/{slug}"),
    ("get", "/api/v1/search"),
    ("get", "/api/v1/sources/{id}"),
    ("post", "/api/v1/accounts"),
    ("post", "/api/v1/session"),
    ("delete", "/api/v1/session"),
    ("get", "/api/v1/me"),
    ("delete", "/api/v1/me"),
    ("get", "/api/v1/me/profile"),
    ("put", "/api/v1/me/profile"),
    ("get", "/api/v1/me/alikes"),
    ("get", "/api/v1/me/export"),
    ("post", "/api/v1/me/password"),
    ("get", "/api/v1/members/{handle}"),
    ("put", "/api/v1/members/{handle}/role"),
    ("get", "/api/v1/groups"),
    ("get", "/api/v1/groups/{slug}"),
    ("put", "/api/v1/groups/{slug}/membership"),
    ("delete", "/api/v1/groups/{slug}/membership"),
    ("post", "/api/v1/groups/{slug}/posts"),
    ("get", "/api/v1/posts/{id}"),
    ("post", "/api/v1/posts/{id}/replies"),
    ("post", "/api/v1/posts/{id}/reports"),
    ("post", "/api/v1/posts/{id}/moderation"),
    ("get", "/api/v1/moderation/reports"),
    ("get", "/api/v1/moderation/audit"),
    ("get", "/api/v1/wisdom"),
    ("get", "/api/v1/me/tracker/entries"),
    ("post", "/api/v1/me/tracker/entries"),
    ("delete", "/api/v1/me/tracker/entries/{id}"),
    ("get", "/api/v1/me/tracker/injections"),
    ("post", "/api/v1/me/tracker/injections"),
    ("delete", "/api/v1/me/tracker/injections/{id}"),
    ("get", "/api/v1/me/tracker/medicines"),
    ("post", "/api/v1/me/tracker/medicines"),
    ("delete", "/api/v1/me/tracker/medicines/{id}"),
    ("post", "/api/v1/me/tracker/restore"),
    ("get", "/api/v1/me/tracker/settings"),
    ("put", "/api/v1/me/tracker/settings"),
    ("get", "/api/v1/me/tracker/distribution"),
    ("get", "/api/v1/me/tracker/due"),
    ("get", "/api/v1/me/tracker/wearing-off"),
    ("get", "/api/v1/me/tracker/report"),
    ("get", "/api/v1/me/tracker/export.fhir.json"),
    ("get", "/api/v1/me/tracker/entries.csv"),
    ("get", "/api/v1/me/tracker/injections.csv"),
    ("get", "/api/v1/me/tracker/medicines.csv"),
    ("post", "/api/v1/me/tracker/import"),
];

async fn document() -> Value {
    let reply = get("/api/openapi.json").await;
    reply.assert_status(StatusCode::OK);
    assert!(reply.content_type().starts_with("application/json"));
    reply.json()
}

#[tokio::test]
async fn openapi_is_version_3_and_lists_every_api_route() {
    let doc = document().await;
    let version = doc["openapi"].as_str().expect("openapi is a string");
    assert!(version.starts_with("3."), "openapi {version}");
    assert_eq!(doc["info"]["title"], "Kindred API");
    let paths = doc["paths"].as_object().expect("paths");
    for route in API_ROUTES {
        let item = paths
            .get(*route)
            .unwrap_or_else(|| panic!("{route} is not in the OpenAPI paths"));
        let get = &item["get"];
        assert!(get.is_object(), "{route}: no GET operation");
        assert!(get["responses"]["200"].is_object(), "{route}: no 200 response");
    }
    assert!(paths.contains_key("/healthz"));
    let mut documented: Vec<(String, String)> = Vec::new();
    for (path, item) in paths {
        if path == "/healthz" {
            continue;
        }
        for method in item.as_object().expect("path item").keys() {
            documented.push((method.clone(), path.clone()));
        }
    }
    documented.sort();
    let mut expected: Vec<(String, String)> = OPERATIONS
        .iter()
        .map(|(m, p)| ((*m).to_owned(), (*p).to_owned()))
        .collect();
    expected.sort();
    assert_eq!(
        documented, expected,
        "the document and the router list the same operations"
    );
}

#[tokio::test]
async fn openapi_documents_parameters_and_errors() {
    let doc = document().await;
    let names = |path: &str| -> Vec<String> {
        doc["paths"][path]["get"]["parameters"]
            .as_array()
            .map(|ps| {
                ps.iter()
                    .map(|p| p["name"].as_str().unwrap_or_default().to_owned())
                    .collect()
            })
            .unwrap_or_default()
    };
    assert_eq!(names("/api/v1/ask"), ["q", "limit"]);
    assert_eq!(names("/api/v1/search"), ["q", "limit"]);
    assert_eq!(names("/api/v1/conditions"), ["letter", "page"]);
    assert_eq!(names("/api/v1/conditions/{slug}"), ["slug"]);
    assert_eq!(names("/api/v1/sources/{id}"), ["id"]);
    let error = &doc["components"]["schemas"]["ErrorBody"];
    assert!(error.is_object(), "ErrorBody schema");
    let mut required: Vec<&str> = error["required"]
        .as_array()
        .expect("required fields")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    required.sort_unstable();
    assert_eq!(required, ["code", "message", "request_id"]);
    for path in ["/api/v1/ask", "/api/v1/search", "/api/v1/conditions"] {
        assert!(
            doc["paths"][path]["get"]["responses"]["400"].is_object(),
            "{path}: 400"
        );
    }
    for path in ["/api/v1/conditions/{slug}", "/api/v1/sources/{id}"] {
        assert!(
            doc["paths"][path]["get"]["responses"]["404"].is_object(),
            "{path}: 404"
        );
    }
    for schema in [
        "AnswerJson",
        "ConditionsPage",
        "ConditionView",
        "SearchView",
        "SourceView",
    ] {
        assert!(
            doc["components"]["schemas"][schema].is_object(),
            "no {schema} schema"
        );
    }
}

/// Every documented library path, with its parameters filled in, is served to anyone; every other
/// documented operation is routed (an anonymous call is refused with our error body, never a 404
/// or 405 from the router).
#[tokio::test]
async fn every_documented_path_is_served() {
    let doc = document().await;
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("path item").keys() {
            let uri = path
                .replace("{slug}", "dystonia")
                .replace("{handle}", "nobody-here")
                .replace(
                    "{id}",
                    // An id no test makes (the shared state may hold a few posts).
                    if path.contains("/posts/") || path.contains("/tracker/") {
                        "999999999"
                    } else {
                        "seed-000"
                    },
                );
            let uri = if path.ends_with("/ask") || path.ends_with("/search") {
                format!("{uri}?q=dystonia")
            } else if path.ends_with("/wisdom") {
                format!("{uri}?condition=dystonia&treatment=botulinum-toxin")
            } else {
                uri
            };
            let method: axum::http::Method = method.to_uppercase().parse().expect("a method");
            let reply = crate::support::send(method.clone(), &uri).await;
            if API_ROUTES.contains(&path.as_str())
                || path == "/healthz"
                || path.ends_with("/groups")
                || path.ends_with("/wisdom")
                || path.ends_with("/groups/{slug}")
            {
                reply.assert_status(StatusCode::OK);
            } else if path.starts_with("/api/v1/me/tracker") {
                // The tracker is only ever its owner's: anonymous calls are refused as such.
                assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{method} {uri}");
                assert_eq!(reply.json()["code"], "unauthenticated", "{method} {uri}");
            } else {
                assert_ne!(reply.status, StatusCode::METHOD_NOT_ALLOWED, "{method} {uri}");
                assert!(reply.status.is_client_error(), "{method} {uri}: {}", reply.status);
                let body = reply.json();
                assert!(body["code"].is_string(), "{method} {uri}: {body}");
            }
        }
    }
}

/// Issue 9: every query parameter was declared `"in": "path", "required": true`, which OpenAPI
/// validators reject. For every operation of the router (`OPERATIONS`): a parameter is in the path
/// exactly when the route has a `{name}` segment for it (and then required), every other one is a
/// query parameter, and every path segment is documented.
#[tokio::test]
async fn parameters_sit_where_the_router_puts_them() {
    let doc = document().await;
    for (method, path) in OPERATIONS {
        let operation = &doc["paths"][*path][*method];
        assert!(operation.is_object(), "{method} {path} is not documented");
        let segments: Vec<&str> = path
            .split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .collect();
        let parameters = operation["parameters"].as_array().cloned().unwrap_or_default();
        for parameter in &parameters {
            let name = parameter["name"].as_str().expect("a parameter name");
            let location = parameter["in"].as_str().expect("a parameter location");
            if segments.contains(&name) {
                assert_eq!(location, "path", "{method} {path}: {name} is a path segment");
                assert_eq!(
                    parameter["required"], true,
                    "{method} {path}: path {name} is required"
                );
            } else {
                assert_eq!(
                    location, "query",
                    "{method} {path}: {name} is not in the route's path"
                );
            }
        }
        for segment in &segments {
            assert!(
                parameters
                    .iter()
                    .any(|p| p["name"] == *segment && p["in"] == "path"),
                "{method} {path}: the segment {{{segment}}} is not documented"
            );
        }
    }
    // The query parameters by name, where they are.
    for (path, query) in [
        ("/api/v1/ask", &["q", "limit"][..]),
        ("/api/v1/search", &["q", "limit"]),
        ("/api/v1/conditions", &["letter", "page"]),
        ("/api/v1/wisdom", &["condition", "treatment"]),
        ("/api/v1/groups/{slug}", &["before"]),
    ] {
        for name in query {
            let parameter = doc["paths"][path]["get"]["parameters"]
                .as_array()
                .and_then(|ps| ps.iter().find(|p| p["name"] == *name).cloned())
                .unwrap_or_else(|| panic!("{path}: no parameter {name}"));
            assert_eq!(parameter["in"], "query", "{path}: {name}");
        }
    }
    let q = doc["paths"]["/api/v1/ask"]["get"]["parameters"][0].clone();
    assert_eq!(
        (q["name"].clone(), q["required"].clone()),
        (Value::from("q"), Value::from(true))
    );
    let limit = doc["paths"]["/api/v1/ask"]["get"]["parameters"][1].clone();
    assert_ne!(limit["required"], true, "limit is optional: {limit}");
}

/// OpenAPI requires each operationId once; the tracker's report and a post's reports were both
/// `report`, which openapi-spec-validator rejects.
#[tokio::test]
async fn operation_ids_are_unique() {
    let doc = document().await;
    let mut seen = std::collections::BTreeMap::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("path item") {
            if let Some(id) = operation["operationId"].as_str()
                && let Some(first) = seen.insert(id.to_owned(), format!("{method} {path}"))
            {
                panic!("operationId {id} is used by {first} and {method} {path}");
            }
        }
    }
}
