//! The OpenAPI document: OpenAPI 3, and it lists every `/api/v1` route the router serves.

use axum::http::StatusCode;
use serde_json::Value;

use crate::support::get;

/// The `/api/v1` routes of `kindred_web::router`, as OpenAPI writes them.
const API_ROUTES: &[&str] = &[
    "/api/v1/ask",
    "/api/v1/conditions",
    "/api/v1/conditions/{slug}",
    "/api/v1/search",
    "/api/v1/sources/{id}",
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
    for (path, _) in paths {
        assert!(
            API_ROUTES.contains(&path.as_str()) || path == "/healthz",
            "the document lists {path}, which the router does not serve"
        );
    }
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

/// Every documented path, with its parameters filled in, is served.
#[tokio::test]
async fn every_documented_path_is_served() {
    let doc = document().await;
    for path in doc["paths"].as_object().expect("paths").keys() {
        let uri = path.replace("{slug}", "dystonia").replace("{id}", "seed-000");
        let uri = if path.ends_with("/ask") || path.ends_with("/search") {
            format!("{uri}?q=dystonia")
        } else {
            uri
        };
        get(&uri).await.assert_status(StatusCode::OK);
    }
}
