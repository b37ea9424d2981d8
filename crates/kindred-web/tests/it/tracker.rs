//! The care tracker over HTTP: privacy (no other member, moderator or administrator reaches anyone's
//! tracker through any route, and tracker data never shows in member pages, Alikes, search or
//! member reports), the forms with undo, the report and its PDF, CSV and FHIR export, and import
//! of an export into a fresh account (on SQLite and on a real PostgreSQL server).

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use kindred_store::Backend;
use kindred_store::testing::TestDb;
use kindred_web::AppState;
use serde_json::{Value, json};

use crate::support::{Reply, assert_api_error, assert_page_shell};

const PASSWORD: &str = "a long passphrase 1";
/// A word only the owner's tracker holds: no response to anyone else may contain it.
const MARKER: &str = "zqxprivate";

/// A fresh community over `backend`, sharing the run's library.
async fn fresh_state(backend: Backend) -> (TestDb, AppState) {
    let db = TestDb::new(backend).await;
    let community = kindred_app::community::Community::open(db.store.clone())
        .await
        .expect("open the community");
    let state = AppState::from_parts(crate::support::library(), std::sync::Arc::new(community));
    (db, state)
}

/// One visitor with their session cookie and CSRF token.
#[derive(Clone)]
struct Visitor {
    state: AppState,
    cookie: Option<String>,
    csrf: String,
    handle: String,
}

enum Payload {
    None,
    Json(Value),
    Form(Vec<(String, String)>),
    Multipart { boundary: String, body: Vec<u8> },
}

impl Visitor {
    fn anonymous(state: &AppState) -> Visitor {
        Visitor {
            state: state.clone(),
            cookie: None,
            csrf: String::new(),
            handle: String::new(),
        }
    }

    async fn signed_in(state: &AppState, uri: &str, handle: &str) -> Visitor {
        let reply = Visitor::anonymous(state)
            .send(
                Method::POST,
                uri,
                Payload::Json(json!({"handle": handle, "password": PASSWORD})),
            )
            .await;
        assert!(reply.status.is_success(), "{uri}: {}", reply.text());
        let cookie = reply
            .headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("kindred_session="))
            .and_then(|v| v.split(';').next())
            .expect("a session cookie")
            .to_owned();
        Visitor {
            state: state.clone(),
            cookie: Some(cookie),
            csrf: reply.json()["csrf_token"]
                .as_str()
                .expect("csrf_token")
                .to_owned(),
            handle: handle.to_owned(),
        }
    }

    async fn register(state: &AppState, handle: &str) -> Visitor {
        Visitor::signed_in(state, "/api/v1/accounts", handle).await
    }

    async fn send(&self, method: Method, uri: &str, payload: Payload) -> Reply {
        let mut request = Request::builder().method(method).uri(uri);
        if let Some(cookie) = &self.cookie {
            request = request
                .header(header::COOKIE, cookie)
                .header("x-csrf-token", &self.csrf);
        }
        let body = match payload {
            Payload::None => Body::empty(),
            Payload::Json(value) => {
                request = request.header(header::CONTENT_TYPE, "application/json");
                Body::from(value.to_string())
            }
            Payload::Form(mut pairs) => {
                if !pairs.iter().any(|(k, _)| k == "csrf") {
                    pairs.insert(0, ("csrf".into(), self.csrf.clone()));
                }
                request = request.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
                let encoded: Vec<String> = pairs
                    .iter()
                    .map(|(k, v)| format!("{}={}", crate::support::encode(k), crate::support::encode(v)))
                    .collect();
                Body::from(encoded.join("&"))
            }
            Payload::Multipart { boundary, body } => {
                request = request.header(
                    header::CONTENT_TYPE,
                    format!("multipart/form-data; boundary={boundary}"),
                );
                Body::from(body)
            }
        };
        crate::support::send_to(self.state.clone(), request.body(body).expect("a valid request")).await
    }

    async fn get(&self, uri: &str) -> Reply {
        self.send(Method::GET, uri, Payload::None).await
    }

    async fn json(&self, method: Method, uri: &str, body: Value) -> Reply {
        self.send(method, uri, Payload::Json(body)).await
    }

    async fn form(&self, uri: &str, pairs: &[(&str, &str)]) -> Reply {
        let pairs = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        self.send(Method::POST, uri, Payload::Form(pairs)).await
    }

    /// Uploads `file` on the import form (multipart), with the "replace" box ticked or not.
    async fn import_form(&self, file: &[u8], replace: bool) -> Reply {
        let boundary = "kindredtestboundary7".to_owned();
        let mut body = Vec::new();
        let mut part = |name: &str, filename: Option<&str>, content: &[u8]| {
            body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            match filename {
                Some(filename) => body.extend_from_slice(
                    format!(
                        "Content-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\n\
                         Content-Type: application/json\r\n\r\n"
                    )
                    .as_bytes(),
                ),
                None => body.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
                ),
            }
            body.extend_from_slice(content);
            body.extend_from_slice(b"\r\n");
        };
        part("csrf", None, self.csrf.as_bytes());
        part("file", Some("tracker.fhir.json"), file);
        if replace {
            part("replace", None, b"yes");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        self.send(
            Method::POST,
            "/tracker/import",
            Payload::Multipart { boundary, body },
        )
        .await
    }

    async fn add_records(&self, marker: &str) -> (i64, i64, i64) {
        let entry = self
            .json(
                Method::POST,
                "/api/v1/me/tracker/entries",
                json!({"date": "2024-03-01", "severities": [["neck", 6], ["right-arm", 2]],
                       "triggers": ["stress"], "note": format!("note {marker}")}),
            )
            .await;
        entry.assert_status(StatusCode::CREATED);
        let injection = self
            .json(
                Method::POST,
                "/api/v1/me/tracker/injections",
                json!({"date": "2024-02-20", "product": "incobotulinumtoxin-a",
                       "muscles": [{"muscle": format!("Left splenius {marker}"), "units": 50.0},
                                   {"muscle": "Right trapezius", "units": null}],
                       "side_effects": [format!("weak {marker}")], "note": ""}),
            )
            .await;
        injection.assert_status(StatusCode::CREATED);
        let medicine = self
            .json(
                Method::POST,
                "/api/v1/me/tracker/medicines",
                json!({"name": format!("Medicine {marker}"), "dose_as_prescribed": "as on the label",
                       "started": "2023-01-10", "stopped": null, "side_effects": ["Dry mouth"]}),
            )
            .await;
        medicine.assert_status(StatusCode::CREATED);
        self.json(
            Method::PUT,
            "/api/v1/me/tracker/settings",
            json!({"due": {"min_weeks": 10, "max_weeks": 14}, "family_history": format!("aunt {marker}"),
                   "questions": [format!("question {marker}")]}),
        )
        .await
        .assert_status(StatusCode::OK);
        (
            entry.json()["id"].as_i64().expect("id"),
            injection.json()["id"].as_i64().expect("id"),
            medicine.json()["id"].as_i64().expect("id"),
        )
    }
}

/// Storage-backed tests run on SQLite and on PostgreSQL.
macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let (db, state) = super::fresh_state(kindred_store::Backend::Sqlite).await;
                    super::$name(&state).await;
                    db.finish().await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let (db, state) = super::fresh_state(kindred_store::Backend::Postgres).await;
                    super::$name(&state).await;
                    db.finish().await;
                }
            )*
        }
    };
}

both_backends!(
    no_one_else_reaches_a_members_tracker,
    fhir_export_imports_into_a_fresh_account_unchanged,
    a_bad_import_names_the_entry_and_field_and_changes_nothing,
);

/// Every tracker route of the API (method, path with `{id}` for a record id).
const API_ROUTES: &[(&str, &str)] = &[
    ("GET", "/api/v1/me/tracker/entries"),
    ("POST", "/api/v1/me/tracker/entries"),
    ("DELETE", "/api/v1/me/tracker/entries/{id}"),
    ("GET", "/api/v1/me/tracker/injections"),
    ("POST", "/api/v1/me/tracker/injections"),
    ("DELETE", "/api/v1/me/tracker/injections/{id}"),
    ("GET", "/api/v1/me/tracker/medicines"),
    ("POST", "/api/v1/me/tracker/medicines"),
    ("DELETE", "/api/v1/me/tracker/medicines/{id}"),
    ("POST", "/api/v1/me/tracker/restore"),
    ("GET", "/api/v1/me/tracker/settings"),
    ("PUT", "/api/v1/me/tracker/settings"),
    ("GET", "/api/v1/me/tracker/distribution"),
    ("GET", "/api/v1/me/tracker/due"),
    ("GET", "/api/v1/me/tracker/wearing-off"),
    ("GET", "/api/v1/me/tracker/report"),
    ("GET", "/api/v1/me/tracker/export.fhir.json"),
    ("GET", "/api/v1/me/tracker/entries.csv"),
    ("GET", "/api/v1/me/tracker/injections.csv"),
    ("GET", "/api/v1/me/tracker/medicines.csv"),
    ("POST", "/api/v1/me/tracker/import"),
];

/// Every tracker page route.
const PAGE_ROUTES: &[(&str, &str)] = &[
    ("GET", "/tracker"),
    ("GET", "/tracker/diary"),
    ("POST", "/tracker/diary"),
    ("POST", "/tracker/diary/{id}/delete"),
    ("GET", "/tracker/injections"),
    ("POST", "/tracker/injections"),
    ("POST", "/tracker/injections/{id}/delete"),
    ("GET", "/tracker/medicines"),
    ("POST", "/tracker/medicines"),
    ("POST", "/tracker/medicines/{id}/delete"),
    ("POST", "/tracker/restore"),
    ("GET", "/tracker/charts"),
    ("GET", "/tracker/report"),
    ("GET", "/tracker/report.pdf"),
    ("GET", "/tracker/settings"),
    ("POST", "/tracker/settings"),
    ("GET", "/tracker/export"),
    ("POST", "/tracker/import"),
];

#[tokio::test]
async fn anonymous_visitors_are_asked_to_sign_in_everywhere() {
    let (db, state) = fresh_state(Backend::Sqlite).await;
    let anonymous = Visitor::anonymous(&state);
    for (method, path) in API_ROUTES {
        let uri = path.replace("{id}", "1");
        let method: Method = method.parse().expect("a method");
        let payload = if method == Method::GET || method == Method::DELETE {
            Payload::None
        } else {
            Payload::Json(json!({}))
        };
        let reply = anonymous.send(method.clone(), &uri, payload).await;
        assert_eq!(
            assert_api_error(&reply, StatusCode::UNAUTHORIZED),
            "unauthenticated",
            "{method} {uri}"
        );
    }
    for (method, path) in PAGE_ROUTES {
        let uri = path.replace("{id}", "1");
        let method: Method = method.parse().expect("a method");
        let payload = if method == Method::GET {
            Payload::None
        } else {
            Payload::Form(vec![("csrf".into(), "x".into())])
        };
        let reply = anonymous.send(method.clone(), &uri, payload).await;
        reply.assert_status(StatusCode::UNAUTHORIZED);
        assert_page_shell(&reply);
        assert!(
            reply.text().contains("Sign in to use your tracker"),
            "{method} {uri}"
        );
        assert!(reply.text().contains(r#"href="/me""#), "{method} {uri}");
    }
    db.finish().await;
}

/// Every route a signed-in visitor can call about the tracker, with another member's ids.
async fn every_tracker_route(visitor: &Visitor, ids: (i64, i64, i64)) -> Vec<Reply> {
    let (entry, injection, medicine) = ids;
    let mut replies = Vec::new();
    for (method, path) in API_ROUTES.iter().chain(PAGE_ROUTES) {
        let id = if path.contains("injections") {
            injection
        } else if path.contains("medicines") {
            medicine
        } else {
            entry
        };
        let uri = path.replace("{id}", &id.to_string());
        let method: Method = method.parse().expect("a method");
        let reply = match (method.as_str(), uri.starts_with("/api/")) {
            ("GET", _) => visitor.get(&uri).await,
            ("DELETE", _) => visitor.send(Method::DELETE, &uri, Payload::None).await,
            // Bodies that are not anyone's data: refused, and nothing of the owner's changes.
            (_, true) => visitor.json(method.clone(), &uri, json!({})).await,
            (_, false) if uri.ends_with("/import") => visitor.import_form(b"{}", true).await,
            (_, false) if uri.ends_with("/delete") => visitor.form(&uri, &[]).await,
            (_, false) => visitor.form(&uri, &[("note", "")]).await,
        };
        if uri.contains("/delete") || (method == Method::DELETE) {
            assert_eq!(
                reply.status,
                StatusCode::NOT_FOUND,
                "{method} {uri}: {}",
                reply.text()
            );
        }
        replies.push(reply);
    }
    replies
}

async fn no_one_else_reaches_a_members_tracker(state: &AppState) {
    let owner = Visitor::register(state, "tracker-owner").await;
    // The owner shares their profile with members and is open to matching, so they show up in
    // Alikes, member pages and groups: their tracker must not come with them.
    owner
        .json(
            Method::PUT,
            "/api/v1/me/profile",
            json!({
                "conditions": {"value": [{"condition": "dystonia", "subtype": null}], "visibility": "public"},
                "regions": {"value": ["neck"], "visibility": "public"},
                "open_to_matching": true
            }),
        )
        .await
        .assert_status(StatusCode::OK);
    let ids = owner.add_records(MARKER).await;

    let admin_record = state
        .community
        .create_admin("tracker-admin", PASSWORD)
        .await
        .expect("create the admin");
    let admin = Visitor::signed_in(state, "/api/v1/session", &admin_record.handle).await;
    let moderator = Visitor::register(state, "tracker-moderator").await;
    admin
        .json(
            Method::PUT,
            "/api/v1/members/tracker-moderator/role",
            json!({"role": "moderator"}),
        )
        .await
        .assert_status(StatusCode::NO_CONTENT);
    let other = Visitor::register(state, "tracker-other").await;
    other
        .json(
            Method::PUT,
            "/api/v1/me/profile",
            json!({
                "conditions": {"value": [{"condition": "dystonia", "subtype": null}], "visibility": "members"},
                "regions": {"value": ["neck"], "visibility": "members"},
                "open_to_matching": true
            }),
        )
        .await
        .assert_status(StatusCode::OK);

    for visitor in [&other, &moderator, &admin] {
        for reply in every_tracker_route(visitor, ids).await {
            assert!(
                !reply.text_lossy().contains(MARKER),
                "{} reached the owner's tracker through {}",
                visitor.handle,
                reply.uri
            );
        }
        // Whatever they sent, they changed nothing of the owner's: the lists are their own, empty.
        for list in ["entries", "injections", "medicines"] {
            let reply = visitor.get(&format!("/api/v1/me/tracker/{list}")).await;
            reply.assert_status(StatusCode::OK);
            assert_eq!(reply.json(), json!([]), "{} {list}", visitor.handle);
        }
    }

    // Public and community routes never carry tracker data.
    let anonymous = Visitor::anonymous(state);
    let owner_member_page = "/api/v1/members/tracker-owner";
    for visitor in [&anonymous, &other, &moderator, &admin] {
        for uri in [
            owner_member_page.to_owned(),
            format!("/api/v1/search?q={MARKER}"),
            format!("/search?q={MARKER}"),
            format!("/ask?q={MARKER}"),
            "/api/v1/groups/dystonia".to_owned(),
            "/api/v1/wisdom?condition=dystonia&treatment=botulinum-toxin".to_owned(),
            "/members/tracker-owner".to_owned(),
        ] {
            let reply = visitor.get(&uri).await;
            // Search and ask repeat the query: look for the owner's records around the word.
            let text = reply.text_lossy().replace(&format!("q={MARKER}"), "");
            let leaked = ["note ", "splenius ", "weak ", "Medicine ", "aunt ", "question "]
                .iter()
                .any(|before| text.contains(&format!("{before}{MARKER}")));
            assert!(!leaked, "{uri} as {:?}", visitor.handle);
            if !uri.contains("q=") {
                assert!(!text.contains(MARKER), "{uri} as {:?}", visitor.handle);
            }
        }
    }
    let alikes = other.get("/api/v1/me/alikes").await;
    alikes.assert_status(StatusCode::OK);
    assert!(
        alikes.text().contains("tracker-owner"),
        "the owner is an Alike: the check below means something"
    );
    assert!(!alikes.text().contains(MARKER), "Alikes carry tracker data");

    // The owner still has everything.
    for list in ["entries", "injections", "medicines"] {
        let reply = owner.get(&format!("/api/v1/me/tracker/{list}")).await;
        assert_eq!(reply.json().as_array().map(Vec::len), Some(1), "{list}");
        assert!(reply.text().contains(MARKER), "{list}");
    }
    let settings = owner.get("/api/v1/me/tracker/settings").await;
    assert!(
        settings.text().contains(MARKER),
        "the owner's settings are unchanged"
    );
}

/// The records of a tracker, ids left out.
async fn records(visitor: &Visitor) -> Value {
    let mut all = serde_json::Map::new();
    for (list, field) in [
        ("entries", "entry"),
        ("injections", "injection"),
        ("medicines", "medicine"),
    ] {
        let reply = visitor.get(&format!("/api/v1/me/tracker/{list}")).await;
        reply.assert_status(StatusCode::OK);
        let items: Vec<Value> = reply
            .json()
            .as_array()
            .expect("a list")
            .iter()
            .map(|record| record[field].clone())
            .collect();
        all.insert(list.to_owned(), Value::Array(items));
    }
    all.insert(
        "settings".to_owned(),
        visitor.get("/api/v1/me/tracker/settings").await.json(),
    );
    Value::Object(all)
}

async fn fhir_export_imports_into_a_fresh_account_unchanged(state: &AppState) {
    let owner = Visitor::register(state, "fhir-owner").await;
    owner.add_records("roundtrip").await;
    // A second entry on another day, with no triggers or note, and every trigger on a third.
    owner
        .json(
            Method::POST,
            "/api/v1/me/tracker/entries",
            json!({"date": "2024-03-08", "severities": [["upper-face", 0]], "triggers": [], "note": ""}),
        )
        .await
        .assert_status(StatusCode::CREATED);
    owner
        .json(
            Method::POST,
            "/api/v1/me/tracker/entries",
            json!({"date": "2024-03-09", "severities": [["left-leg", 10], ["tongue", 1]],
                   "triggers": ["stress", "fatigue", "anxiety", "activity", "other"], "note": "Ünïcode ✓\nline two"}),
        )
        .await
        .assert_status(StatusCode::CREATED);
    let before = records(&owner).await;

    let export = owner.get("/api/v1/me/tracker/export.fhir.json").await;
    export.assert_status(StatusCode::OK);
    assert_eq!(export.content_type(), "application/fhir+json");
    assert!(
        export
            .header(header::CONTENT_DISPOSITION)
            .starts_with("attachment")
    );
    assert_eq!(export.header(header::CACHE_CONTROL), "private, no-store");
    let bundle = export.json();
    assert_eq!(bundle["resourceType"], "Bundle");

    // Into a fresh account through the API...
    let fresh = Visitor::register(state, "fhir-fresh").await;
    let imported = fresh
        .json(Method::POST, "/api/v1/me/tracker/import", bundle.clone())
        .await;
    imported.assert_status(StatusCode::OK);
    assert_eq!(imported.json()["n_entries"], 3);
    assert_eq!(records(&fresh).await, before);

    // ... and into another through the page's upload form.
    let by_page = Visitor::register(state, "fhir-page").await;
    by_page
        .json(
            Method::POST,
            "/api/v1/me/tracker/entries",
            json!({"date": "2020-01-01", "severities": [["jaw", 3]], "triggers": [], "note": "replaced"}),
        )
        .await
        .assert_status(StatusCode::CREATED);
    let refused = by_page.import_form(&export.body, false).await;
    refused.assert_status(StatusCode::BAD_REQUEST);
    assert!(refused.text().contains("tick the box"), "{}", refused.text());
    let uploaded = by_page.import_form(&export.body, true).await;
    uploaded.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(
        uploaded.header(header::LOCATION),
        "/tracker/export?saved=imported"
    );
    assert_eq!(records(&by_page).await, before);
    let page = by_page.get("/tracker/export?saved=imported").await;
    assert!(page.text().contains("Import done"));
    assert!(
        page.text()
            .contains("3 diary entries, 1 injection and 1 medicine")
    );
}

async fn a_bad_import_names_the_entry_and_field_and_changes_nothing(state: &AppState) {
    let owner = Visitor::register(state, "bad-import").await;
    owner.add_records("kept").await;
    let before = records(&owner).await;
    let mut bundle = owner.get("/api/v1/me/tracker/export.fhir.json").await.json();
    let entries = bundle["entry"].as_array_mut().expect("entries");
    let (idx, observation) = entries
        .iter_mut()
        .enumerate()
        .find(|(_, e)| e["resource"]["resourceType"] == "Observation")
        .expect("an observation");
    observation["resource"]
        .as_object_mut()
        .expect("a resource")
        .remove("valueInteger");

    let reply = owner
        .json(Method::POST, "/api/v1/me/tracker/import", bundle.clone())
        .await;
    assert_eq!(assert_api_error(&reply, StatusCode::BAD_REQUEST), "invalid");
    let message = reply.json()["message"].as_str().unwrap_or_default().to_owned();
    assert!(message.starts_with(&format!("bundle entry {idx}: ")), "{message}");
    assert!(message.contains("valueInteger"), "{message}");
    assert_eq!(records(&owner).await, before);

    // A severity out of range is refused by the tracker's own checks, naming the record.
    let mut out_of_range = owner.get("/api/v1/me/tracker/export.fhir.json").await.json();
    for entry in out_of_range["entry"].as_array_mut().expect("entries") {
        if entry["resource"]["resourceType"] == "Procedure" {
            entry["resource"]["performedDateTime"] = json!("2999-01-01");
        }
    }
    let reply = owner
        .json(Method::POST, "/api/v1/me/tracker/import", out_of_range)
        .await;
    let text = reply.text().to_owned();
    reply.assert_status(StatusCode::BAD_REQUEST);
    assert!(
        text.contains("injections[0]") || text.contains("bundle entry"),
        "{text}"
    );
    assert_eq!(records(&owner).await, before);

    // Through the page: not JSON at all, and a wrong bundle; the page says so and keeps the data.
    let page = owner.import_form(b"this is not json", true).await;
    page.assert_status(StatusCode::BAD_REQUEST);
    assert_page_shell(&page);
    assert!(page.text().contains("not a JSON file"), "{}", page.text());
    assert!(page.text().contains("nothing was changed"));
    let page = owner.import_form(bundle.to_string().as_bytes(), true).await;
    page.assert_status(StatusCode::BAD_REQUEST);
    assert!(
        page.text().contains(&format!("bundle entry {idx}")),
        "{}",
        page.text()
    );
    assert_eq!(records(&owner).await, before);
}

#[tokio::test]
async fn changes_need_the_sessions_token() {
    let (db, state) = fresh_state(Backend::Sqlite).await;
    let member = Visitor::register(&state, "token-member").await;
    let mut forged = member.clone();
    forged.csrf = "not-the-token".into();
    let reply = forged
        .json(
            Method::POST,
            "/api/v1/me/tracker/entries",
            json!({"date": "2024-03-01", "severities": [["neck", 1]], "triggers": [], "note": ""}),
        )
        .await;
    assert_eq!(assert_api_error(&reply, StatusCode::FORBIDDEN), "csrf");
    let page = forged
        .form("/tracker/diary", &[("date", "2024-03-01"), ("sev-neck", "3")])
        .await;
    page.assert_status(StatusCode::FORBIDDEN);
    assert_page_shell(&page);
    assert_eq!(member.get("/api/v1/me/tracker/entries").await.json(), json!([]));
    db.finish().await;
}

#[tokio::test]
async fn the_diary_form_saves_keeps_mistakes_and_undoes_a_delete() {
    let (db, state) = fresh_state(Backend::Sqlite).await;
    let member = Visitor::register(&state, "diary-member").await;
    let page = member.get("/tracker/diary").await;
    page.assert_status(StatusCode::OK);
    assert_page_shell(&page);
    assert_eq!(page.header(header::CACHE_CONTROL), "private, no-store");
    let html = page.text();
    assert!(html.contains(r#"name="sev-neck" value="10""#));
    assert!(!html.contains(r#"type="range""#), "no sliders");
    assert!(html.contains(&format!(r#"name="csrf" value="{}""#, member.csrf)));

    // A mistake: no region rated. The form comes back with what was typed and says what to fix.
    let mistake = member
        .form(
            "/tracker/diary",
            &[
                ("date", "2024-03-01"),
                ("trigger", "fatigue"),
                ("note", "kept <b>note</b>"),
            ],
        )
        .await;
    mistake.assert_status(StatusCode::BAD_REQUEST);
    let html = mistake.text();
    assert!(html.contains("role=\"alert\""));
    assert!(html.contains("choose a severity from 0 to 10 for at least one region"));
    assert!(
        html.contains("kept &#60;b&#62;note&#60;/b&#62;"),
        "the note is kept, escaped"
    );
    assert!(html.contains(r#"value="fatigue" checked"#));

    let saved = member
        .form(
            "/tracker/diary",
            &[
                ("date", "2024-03-01"),
                ("sev-neck", "7"),
                ("sev-jaw", ""),
                ("trigger", "stress"),
                ("note", "Long drive"),
            ],
        )
        .await;
    saved.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(saved.header(header::LOCATION), "/tracker/diary?saved=entry");
    let list = member.get("/tracker/diary?saved=entry").await;
    assert!(list.text().contains("Diary entry saved."));
    assert!(list.text().contains("Neck: 7"));
    let entries = member.get("/api/v1/me/tracker/entries").await.json();
    let id = entries[0]["id"].as_i64().expect("an id");
    assert_eq!(entries[0]["entry"]["severities"], json!([["neck", 7]]));

    // Delete: no question first; the page says it is done and offers Undo.
    let deleted = member.form(&format!("/tracker/diary/{id}/delete"), &[]).await;
    deleted.assert_status(StatusCode::OK);
    let html = deleted.text();
    assert!(html.contains("Deleted the diary entry of 1 Mar 2024."));
    assert!(html.contains(r#"action="/tracker/restore""#));
    assert!(html.contains(">Undo</button>"));
    assert_eq!(member.get("/api/v1/me/tracker/entries").await.json(), json!([]));
    let record = html
        .split(r#"name="record" value=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the record to put back")
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&#38;", "&")
        .replace("&#60;", "<")
        .replace("&#62;", ">");
    let undone = member.form("/tracker/restore", &[("record", &record)]).await;
    undone.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(undone.header(header::LOCATION), "/tracker/diary?saved=restored");
    let back = member.get("/api/v1/me/tracker/entries").await.json();
    assert_eq!(back[0]["entry"], entries[0]["entry"]);
    // Deleting it twice is a plain 404.
    member
        .form(&format!("/tracker/diary/{id}/delete"), &[])
        .await
        .assert_status(StatusCode::NOT_FOUND);
    db.finish().await;
}

#[tokio::test]
async fn injections_and_medicines_keep_what_the_clinician_recorded() {
    let (db, state) = fresh_state(Backend::Sqlite).await;
    let member = Visitor::register(&state, "injection-member").await;
    let page = member.get("/tracker/injections").await;
    assert!(page.text().contains("As recorded by your clinician."));
    assert!(page.text().contains("never suggests, converts or checks a dose"));
    let saved = member
        .form(
            "/tracker/injections",
            &[
                ("date", "2024-01-10"),
                ("product", "abobotulinumtoxin-a"),
                ("muscle", "Left sternocleidomastoid"),
                ("units", "12,5"),
                ("muscle", ""),
                ("units", ""),
                ("side_effects", "Tired\r\nSore neck"),
            ],
        )
        .await;
    saved.assert_status(StatusCode::SEE_OTHER);
    let injections = member.get("/api/v1/me/tracker/injections").await.json();
    assert_eq!(
        injections[0]["injection"]["muscles"],
        json!([{"muscle": "Left sternocleidomastoid", "units": 12.5}])
    );
    assert_eq!(
        injections[0]["injection"]["side_effects"],
        json!(["Tired", "Sore neck"])
    );
    let bad = member
        .form(
            "/tracker/injections",
            &[
                ("date", "2024-01-10"),
                ("product", "other"),
                ("muscle", "Masseter"),
                ("units", "a lot"),
            ],
        )
        .await;
    bad.assert_status(StatusCode::BAD_REQUEST);
    assert!(bad.text().contains("muscles[0].units"), "{}", bad.text());
    assert!(bad.text().contains(r#"value="Masseter""#));

    let medicine = member
        .form(
            "/tracker/medicines",
            &[
                ("name", "Baclofen"),
                ("dose", "as the label says"),
                ("started", "2023-05-01"),
                ("stopped", "2023-04-01"),
            ],
        )
        .await;
    medicine.assert_status(StatusCode::BAD_REQUEST);
    assert!(
        medicine
            .text()
            .contains("stopped 2023-04-01 is before started 2023-05-01")
    );
    member
        .form(
            "/tracker/medicines",
            &[
                ("name", "Baclofen"),
                ("dose", "as the label says"),
                ("started", "2023-05-01"),
            ],
        )
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let medicines = member.get("/tracker/medicines").await;
    assert!(
        medicines
            .text()
            .contains("Dose as prescribed: as the label says. Since 1 May 2023.")
    );

    // The due window and the distribution, from the API.
    let due = member.get("/api/v1/me/tracker/due").await.json();
    assert_eq!(
        due["next_injection"]["window"],
        json!({"opens": "2024-04-03", "closes": "2024-05-01"})
    );
    let overview = member.get("/tracker").await;
    assert_page_shell(&overview);
    assert!(
        overview
            .text()
            .contains("From 3 Apr 2024 to 1 May 2024: 12–16 weeks after your injection on 10 Jan 2024")
    );
    db.finish().await;
}

#[tokio::test]
async fn the_report_has_every_section_and_the_librarys_cited_questions() {
    let (db, state) = fresh_state(Backend::Sqlite).await;
    let member = Visitor::register(&state, "report-member").await;
    member.add_records("reported").await;
    let report = member.get("/tracker/report").await;
    report.assert_status(StatusCode::OK);
    assert_page_shell(&report);
    let html = report.text();
    for heading in [
        "Conditions",
        "Symptoms and when they began",
        "Body distribution of the regions rated",
        "What makes symptoms worse",
        "Treatments and how they went",
        "Side effects",
        "Family history",
        "My questions",
        "From the library: preparing for your appointment",
    ] {
        assert!(html.contains(&format!("{heading}</h2>")), "no section {heading}");
    }
    for text in [
        "question reported",
        "aunt reported",
        "Left splenius reported: 50 units",
        "weak reported",
        "Segmental",
        "it is not a diagnosis",
        "Stress: marked in 1 diary entry",
    ] {
        assert!(html.contains(text), "the report does not show {text:?}");
    }

    // The library's questions come with their citations, exactly as the library words them.
    let json = member.get("/api/v1/me/tracker/report").await.json();
    let questions = json["library_questions"].as_array().expect("library questions");
    assert!(!questions.is_empty());
    let condition = crate::support::get("/api/v1/conditions/dystonia").await.json();
    let appointment = condition["sections"]
        .as_array()
        .and_then(|sections| sections.iter().find(|s| s["kind"] == "appointment"))
        .expect("the library has an appointment section");
    for question in questions {
        let text = question["text"].as_str().expect("text");
        let source = question["source_id"].as_str().expect("source id");
        assert!(
            appointment
                .to_string()
                .contains(&serde_json::to_string(text).expect("json")),
            "{text} is the library's own wording"
        );
        assert!(
            html.contains(&format!(r#"href="/sources/{source}""#)),
            "cited: {source}"
        );
        assert!(html.contains(&crate::support::html_escape(text)), "{text}");
    }

    let pdf = member.get("/tracker/report.pdf").await;
    pdf.assert_status(StatusCode::OK);
    assert_eq!(pdf.content_type(), "application/pdf");
    assert_eq!(pdf.header(header::CACHE_CONTROL), "private, no-store");
    assert!(pdf.body.starts_with(b"%PDF-1."));
    let raw = String::from_utf8_lossy(&pdf.body);
    assert!(raw.contains("/ToUnicode") && raw.contains("/FontFile2") && raw.trim_end().ends_with("%%EOF"));
    db.finish().await;
}

#[tokio::test]
async fn csv_files_charts_settings_and_the_member_export() {
    let (db, state) = fresh_state(Backend::Sqlite).await;
    let member = Visitor::register(&state, "csv-member").await;
    member.add_records("=1+1").await;
    let csv = member.get("/api/v1/me/tracker/entries.csv").await;
    csv.assert_status(StatusCode::OK);
    assert_eq!(csv.content_type(), "text/csv; charset=utf-8");
    assert!(
        csv.text()
            .starts_with("date,region,severity,triggers,note\n2024-03-01,Neck,6,Stress,note =1+1\n")
    );
    let injections = member.get("/api/v1/me/tracker/injections.csv").await;
    assert!(
        injections.text().contains("Left splenius =1+1,50,"),
        "{}",
        injections.text()
    );
    let medicines = member.get("/api/v1/me/tracker/medicines.csv").await;
    assert!(
        medicines
            .text()
            .starts_with("name,dose_as_prescribed,started,stopped,side_effects\n")
    );

    let charts = member.get("/tracker/charts?days=all").await;
    charts.assert_status(StatusCode::OK);
    assert_page_shell(&charts);
    let html = charts.text();
    assert!(html.contains("<svg") && html.contains("<title id=\"severity-chart-title\">"));
    assert!(html.contains("The chart's data as a table"));
    assert!(html.contains("<td>1 Mar 2024</td><td>Neck</td><td>6</td>"));
    assert!(html.contains("After 20 Feb 2024"), "the wearing-off table");
    assert_eq!(
        member.get("/tracker/charts?days=7").await.status,
        StatusCode::BAD_REQUEST
    );

    let bad = member
        .form(
            "/tracker/settings",
            &[("min_weeks", "16"), ("max_weeks", "12"), ("questions", "")],
        )
        .await;
    bad.assert_status(StatusCode::BAD_REQUEST);
    assert!(bad.text().contains("min_weeks: 16 is more than max_weeks 12"));
    member
        .form(
            "/tracker/settings",
            &[
                ("min_weeks", "8"),
                ("max_weeks", "10"),
                ("family_history", ""),
                ("questions", "One?\r\n\r\nTwo?"),
            ],
        )
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let settings = member.get("/api/v1/me/tracker/settings").await.json();
    assert_eq!(settings["questions"], json!(["One?", "Two?"]));
    assert_eq!(settings["due"], json!({"min_weeks": 8, "max_weeks": 10}));

    let export = member.get("/api/v1/me/export").await.json();
    assert_eq!(export["tracker"]["member_handle"], "csv-member");
    assert_eq!(export["tracker"]["entries"][0]["note"], "note =1+1");
    assert_eq!(export["tracker"]["questions"], json!(["One?", "Two?"]));

    for page in [
        "/tracker",
        "/tracker/medicines",
        "/tracker/settings",
        "/tracker/export",
    ] {
        let reply = member.get(page).await;
        reply.assert_status(StatusCode::OK);
        assert_page_shell(&reply);
    }
    db.finish().await;
}

impl Reply {
    /// The body as text, whatever it is (a PDF is bytes).
    fn text_lossy(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Issue 9: control characters in notes, names made only of zero-width characters and unknown JSON
/// fields were stored. Each is refused with a 400 naming the field, and nothing is stored.
#[tokio::test]
async fn strict_input_names_the_field_and_stores_nothing() {
    let (db, state) = fresh_state(Backend::Sqlite).await;
    let member = Visitor::register(&state, "strict-member").await;
    let entry =
        |note: &str| json!({"date": "2024-03-01", "severities": [["neck", 1]], "triggers": [], "note": note});
    let medicine = |name: &str| json!({"name": name, "dose_as_prescribed": "2 mg", "started": null, "stopped": null, "side_effects": []});
    let mut unknown = entry("fine");
    unknown["mood"] = json!("sneaky");
    let mut unknown_medicine = medicine("Baclofen");
    unknown_medicine["dose_mg"] = json!(2);
    for (uri, body, field) in [
        (
            "/api/v1/me/tracker/entries",
            entry("bell \u{0007} and escape \u{001b}[31m"),
            "note",
        ),
        ("/api/v1/me/tracker/entries", entry("nul \u{0000}"), "note"),
        ("/api/v1/me/tracker/entries", unknown, "mood"),
        (
            "/api/v1/me/tracker/medicines",
            medicine("\u{200B}\u{200C}\u{200D}"),
            "name",
        ),
        (
            "/api/v1/me/tracker/medicines",
            medicine("\u{FEFF} \u{2060}"),
            "name",
        ),
        ("/api/v1/me/tracker/medicines", unknown_medicine, "dose_mg"),
    ] {
        let reply = member.json(Method::POST, uri, body.clone()).await;
        assert!(reply.status.is_client_error(), "{uri} {body}: {}", reply.status);
        assert_api_error(&reply, reply.status);
        let message = reply.json()["message"].as_str().unwrap_or_default().to_owned();
        assert!(
            message.contains(field),
            "{uri} {body}: {message:?} does not name {field}"
        );
    }
    assert_eq!(member.get("/api/v1/me/tracker/entries").await.json(), json!([]));
    assert_eq!(member.get("/api/v1/me/tracker/medicines").await.json(), json!([]));
    // Multi-line notes keep their line breaks and tabs; ordinary names pass.
    member
        .json(
            Method::POST,
            "/api/v1/me/tracker/entries",
            entry("line one\r\nline two\tindented"),
        )
        .await
        .assert_status(StatusCode::CREATED);
    member
        .json(
            Method::POST,
            "/api/v1/me/tracker/medicines",
            medicine("Trihexyphenidyl"),
        )
        .await
        .assert_status(StatusCode::CREATED);
    // Posts and profiles follow the same rule.
    let title = member
        .json(
            Method::POST,
            "/api/v1/groups/dystonia/posts",
            json!({"title": "\u{200B}\u{200B}", "body": "body"}),
        )
        .await;
    assert_api_error(&title, StatusCode::BAD_REQUEST);
    assert!(
        title.json()["message"]
            .as_str()
            .unwrap_or_default()
            .contains("title")
    );
    let profile = member
        .json(
            Method::PUT,
            "/api/v1/me/profile",
            json!({"medicines": {"value": ["\u{200D}"], "visibility": "private"}}),
        )
        .await;
    assert_api_error(&profile, StatusCode::BAD_REQUEST);
    assert!(
        profile.json()["message"]
            .as_str()
            .unwrap_or_default()
            .contains("medicines[0]")
    );
    let unknown_profile = member
        .json(Method::PUT, "/api/v1/me/profile", json!({"nickname": "x"}))
        .await;
    assert_api_error(&unknown_profile, unknown_profile.status);
    assert!(unknown_profile.status.is_client_error());
    assert!(
        unknown_profile.json()["message"]
            .as_str()
            .unwrap_or_default()
            .contains("nickname")
    );
    db.finish().await;
}
