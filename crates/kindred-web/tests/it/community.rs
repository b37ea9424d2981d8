//! The community over HTTP, on SQLite and on a real PostgreSQL server: the authorization matrix
//! (every community API route × anonymous, the owner, another member, a moderator, an
//! administrator) and the security properties (CSRF, session fixation, XSS, SQL injection, the login
//! rate limit, password hashes never sent, private fields never leaking).

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use kindred_app::community::CommunityLimits;
use kindred_store::Backend;
use kindred_store::testing::TestDb;
use kindred_web::AppState;
use serde_json::{Value, json};

use crate::support::{Reply, assert_api_error, send_to};

/// Values only the owner's private fields hold: no response to anyone else may contain them.
const PRIVATE_MARKERS: &[&str] = &["privatemedicine-q7", "privateabout-z9", "privateeffect-k3"];
const PASSWORD: &str = "a long passphrase 1";

/// A fresh community over `backend`, sharing the run's library.
pub(crate) async fn fresh_state(backend: Backend) -> (TestDb, AppState) {
    let db = TestDb::new(backend).await;
    let state = state_over(&db, CommunityLimits::default()).await;
    (db, state)
}

/// A community (as a server starting up would open it) over an existing database.
async fn state_over(db: &TestDb, limits: CommunityLimits) -> AppState {
    let community = kindred_app::community::Community::open_with(db.store.clone(), limits)
        .await
        .expect("open the community");
    AppState::from_parts(crate::support::library(), std::sync::Arc::new(community))
}

/// Limits under which a member's reports count from their first day (as an operator may choose).
fn reports_count_at_once() -> CommunityLimits {
    CommunityLimits {
        aggregate_min_account_days: 0,
        aggregate_min_active_days: 1,
        ..CommunityLimits::default()
    }
}

/// One visitor: a cookie jar of one session cookie and the session's CSRF token.
#[derive(Clone)]
pub(crate) struct Client {
    state: AppState,
    cookie: Option<String>,
    csrf: Option<String>,
    /// The handle, once signed in.
    pub(crate) handle: String,
}

impl Client {
    pub(crate) fn anonymous(state: &AppState) -> Client {
        Client {
            state: state.clone(),
            cookie: None,
            csrf: None,
            handle: String::new(),
        }
    }

    /// Registers (and signs in) a member.
    pub(crate) async fn register(state: &AppState, handle: &str) -> Client {
        let mut client = Client::anonymous(state);
        let reply = client
            .call(
                Method::POST,
                "/api/v1/accounts",
                Some(json!({"handle": handle, "password": PASSWORD})),
            )
            .await;
        reply.assert_status(StatusCode::CREATED);
        client.adopt(&reply);
        client.handle = handle.to_owned();
        client
    }

    /// Signs in again (a new session).
    pub(crate) async fn login(state: &AppState, handle: &str) -> Client {
        let mut client = Client::anonymous(state);
        let reply = client
            .call(
                Method::POST,
                "/api/v1/session",
                Some(json!({"handle": handle, "password": PASSWORD})),
            )
            .await;
        reply.assert_status(StatusCode::OK);
        client.adopt(&reply);
        client.handle = handle.to_owned();
        client
    }

    /// Takes the session cookie and CSRF token of a sign-in reply.
    fn adopt(&mut self, reply: &Reply) {
        let set_cookie = reply.header(header::SET_COOKIE);
        let value = set_cookie
            .split(';')
            .next()
            .and_then(|pair| pair.strip_prefix("kindred_session="))
            .expect("a session cookie");
        self.cookie = Some(value.to_owned());
        self.csrf = reply.json()["csrf_token"].as_str().map(str::to_owned);
    }

    /// Sends a request as this visitor (with the CSRF header when signed in).
    pub(crate) async fn call(&self, method: Method, uri: &str, body: Option<Value>) -> Reply {
        let mut builder = Request::builder().method(method.clone()).uri(uri);
        if let Some(cookie) = &self.cookie {
            builder = builder.header(header::COOKIE, format!("kindred_session={cookie}"));
        }
        if let Some(csrf) = &self.csrf {
            builder = builder.header("x-csrf-token", csrf);
        }
        let request = match body {
            Some(body) => builder
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.to_string())),
            None => builder.body(Body::empty()),
        }
        .expect("a valid request");
        send_to(self.state.clone(), request).await
    }
}

/// Defines each async test `fn(Backend)` once per backend.
macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name(kindred_store::Backend::Sqlite).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name(kindred_store::Backend::Postgres).await;
                }
            )*
        }
    };
}

both_backends!(
    authorization_matrix,
    csrf_is_required,
    sessions_cannot_be_fixed_and_end_on_logout,
    xss_payloads_are_inert,
    sql_injection_payloads_are_harmless,
    login_is_rate_limited,
    private_fields_never_reach_aggregates,
    a_burst_of_new_accounts_cannot_swing_member_reports,
    deleting_an_account_erases_it,
);

/// The owner's profile: some fields shared with members, one public, the rest private.
fn owner_profile() -> Value {
    json!({
        "conditions": {"value": [{"condition": "dystonia", "subtype": null}], "visibility": "members"},
        "regions": {"value": ["neck", "right-arm"], "visibility": "public"},
        "age_band": {"value": "45-59", "visibility": "members"},
        "onset_band": {"value": "early-adult", "visibility": "private"},
        "sex": {"value": "female", "visibility": "private"},
        "treatments": {"value": [{"treatment": "botulinum-toxin", "outcome": "helped",
            "side_effects": ["privateeffect-k3"]}], "visibility": "private"},
        "medicines": {"value": ["privatemedicine-q7"], "visibility": "private"},
        "about": {"value": "privateabout-z9", "visibility": "private"},
        "open_to_matching": true
    })
}

fn shared_profile() -> Value {
    json!({
        "conditions": {"value": [{"condition": "dystonia", "subtype": null}], "visibility": "members"},
        "regions": {"value": ["neck"], "visibility": "members"},
        "age_band": {"value": "45-59", "visibility": "members"},
        "open_to_matching": true
    })
}

struct Cast {
    anonymous: Client,
    owner: Client,
    other: Client,
    moderator: Client,
    admin: Client,
    post: i64,
    hidden_post: i64,
}

async fn cast(state: &AppState) -> Cast {
    let admin_record = state
        .community
        .create_admin("root-admin", PASSWORD)
        .await
        .expect("create the admin");
    let admin = Client::login(state, &admin_record.handle).await;
    let owner = Client::register(state, "owner-owl").await;
    let other = Client::register(state, "other-fox").await;
    let moderator = Client::register(state, "mod-kestrel").await;
    admin
        .call(
            Method::PUT,
            "/api/v1/members/mod-kestrel/role",
            Some(json!({"role": "moderator"})),
        )
        .await
        .assert_status(StatusCode::NO_CONTENT);
    // A new session sees the new role.
    let moderator = Client::login(state, &moderator.handle).await;
    owner
        .call(Method::PUT, "/api/v1/me/profile", Some(owner_profile()))
        .await
        .assert_status(StatusCode::OK);
    other
        .call(Method::PUT, "/api/v1/me/profile", Some(shared_profile()))
        .await
        .assert_status(StatusCode::OK);
    let created = |reply: Reply| {
        reply.assert_status(StatusCode::CREATED);
        reply.json()["id"].as_i64().expect("an id")
    };
    let post = created(
        owner
            .call(
                Method::POST,
                "/api/v1/groups/dystonia/posts",
                Some(json!({"title": "Hello", "body": "My **first** post"})),
            )
            .await,
    );
    let hidden_post = created(
        owner
            .call(
                Method::POST,
                "/api/v1/groups/dystonia/posts",
                Some(json!({"title": "Hidden", "body": "to be hidden"})),
            )
            .await,
    );
    moderator
        .call(
            Method::POST,
            &format!("/api/v1/posts/{hidden_post}/moderation"),
            Some(json!({"hidden": true, "reason": "test"})),
        )
        .await
        .assert_status(StatusCode::NO_CONTENT);
    Cast {
        anonymous: Client::anonymous(state),
        owner,
        other,
        moderator,
        admin,
        post,
        hidden_post,
    }
}

/// Expected statuses for one route, by visitor: anonymous, owner, other member, moderator, admin.
struct Row {
    method: Method,
    uri: String,
    body: Option<Value>,
    expect: [u16; 5],
}

fn row(method: Method, uri: impl Into<String>, body: Option<Value>, expect: [u16; 5]) -> Row {
    Row {
        method,
        uri: uri.into(),
        body,
        expect,
    }
}

async fn authorization_matrix(backend: Backend) {
    let (db, state) = fresh_state(backend).await;
    let cast = cast(&state).await;
    let (post, hidden) = (cast.post, cast.hidden_post);
    let text = |t: &str| Some(json!({"text": t}));
    let rows = vec![
        row(Method::GET, "/api/v1/me", None, [401, 200, 200, 200, 200]),
        row(Method::GET, "/api/v1/me/profile", None, [401, 200, 200, 200, 200]),
        row(
            Method::PUT,
            "/api/v1/me/profile",
            Some(json!({})),
            [401, 200, 200, 200, 200],
        ),
        row(Method::GET, "/api/v1/me/alikes", None, [401, 200, 200, 200, 200]),
        row(Method::GET, "/api/v1/me/export", None, [401, 200, 200, 200, 200]),
        row(
            Method::GET,
            "/api/v1/members/owner-owl",
            None,
            [200, 200, 200, 200, 200],
        ),
        row(
            Method::GET,
            "/api/v1/members/nobody-here",
            None,
            [404, 404, 404, 404, 404],
        ),
        // (Re-appoints the moderator: only an admin may, and nobody else's role changes.)
        row(
            Method::PUT,
            "/api/v1/members/mod-kestrel/role",
            Some(json!({"role": "moderator"})),
            [401, 403, 403, 403, 204],
        ),
        row(Method::GET, "/api/v1/groups", None, [200, 200, 200, 200, 200]),
        row(
            Method::GET,
            "/api/v1/groups/dystonia",
            None,
            [200, 200, 200, 200, 200],
        ),
        row(
            Method::PUT,
            "/api/v1/groups/dystonia/membership",
            None,
            [401, 204, 204, 204, 204],
        ),
        row(
            Method::DELETE,
            "/api/v1/groups/dystonia/membership",
            None,
            [401, 204, 204, 204, 204],
        ),
        row(
            Method::POST,
            "/api/v1/groups/dystonia/posts",
            Some(json!({"title": "t", "body": "b"})),
            [401, 201, 201, 201, 201],
        ),
        row(
            Method::GET,
            format!("/api/v1/posts/{post}"),
            None,
            [200, 200, 200, 200, 200],
        ),
        row(
            Method::GET,
            format!("/api/v1/posts/{hidden}"),
            None,
            [404, 404, 404, 200, 200],
        ),
        row(
            Method::POST,
            format!("/api/v1/posts/{post}/replies"),
            text("a reply"),
            [401, 201, 201, 201, 201],
        ),
        row(
            Method::POST,
            format!("/api/v1/posts/{hidden}/replies"),
            text("a reply"),
            [401, 404, 404, 201, 201],
        ),
        row(
            Method::POST,
            format!("/api/v1/posts/{post}/reports"),
            text("spam"),
            [401, 204, 204, 204, 204],
        ),
        row(
            Method::POST,
            format!("/api/v1/posts/{post}/moderation"),
            Some(json!({"hidden": false, "reason": "fine"})),
            [401, 403, 403, 204, 204],
        ),
        row(
            Method::GET,
            "/api/v1/moderation/reports",
            None,
            [401, 403, 403, 200, 200],
        ),
        row(
            Method::GET,
            "/api/v1/moderation/audit",
            None,
            [401, 403, 403, 200, 200],
        ),
        row(
            Method::GET,
            "/api/v1/wisdom?condition=dystonia&treatment=botulinum-toxin",
            None,
            [200, 200, 200, 200, 200],
        ),
        row(
            Method::GET,
            "/api/v1/search?q=privateabout-z9",
            None,
            [200, 200, 200, 200, 200],
        ),
        row(
            Method::GET,
            "/api/v1/ask?q=privatemedicine-q7",
            None,
            [200, 200, 200, 200, 200],
        ),
    ];
    let visitors = [
        ("anonymous", &cast.anonymous),
        ("owner", &cast.owner),
        ("other member", &cast.other),
        ("moderator", &cast.moderator),
        ("admin", &cast.admin),
    ];
    for row in &rows {
        for ((name, client), expected) in visitors.iter().zip(row.expect) {
            let reply = client.call(row.method.clone(), &row.uri, row.body.clone()).await;
            assert_eq!(
                reply.status.as_u16(),
                expected,
                "{} {} as {name}: {}",
                row.method,
                row.uri,
                reply.text()
            );
            if !reply.status.is_success() {
                assert_api_error(&reply, reply.status);
            }
            // Private means uncacheable (issue 9): whatever a signed-in visitor gets is never
            // stored by a cache along the way.
            if *name != "anonymous" {
                assert!(
                    reply.header(header::CACHE_CONTROL).contains("no-store"),
                    "{} {} as {name}: Cache-Control {:?}",
                    row.method,
                    row.uri,
                    reply.header(header::CACHE_CONTROL)
                );
            }
            // Search and ask echo the query; what they find must not be a profile.
            if row.uri.contains("?q=") {
                let found = reply.json();
                for list in ["conditions", "passages", "answers"] {
                    let empty = found
                        .get(list)
                        .and_then(Value::as_array)
                        .is_none_or(Vec::is_empty);
                    assert!(empty, "{} found {list} for a private marker: {found}", row.uri);
                }
                continue;
            }
            // Private fields reach their owner only — through any route.
            if *name != "owner" {
                for marker in PRIVATE_MARKERS {
                    assert!(
                        !reply.text().contains(marker),
                        "{} {} as {name} leaks {marker}: {}",
                        row.method,
                        row.uri,
                        reply.text()
                    );
                }
            }
        }
    }

    // The PUT rows above reset everyone's profile: set the owner's and the other member's again.
    cast.owner
        .call(Method::PUT, "/api/v1/me/profile", Some(owner_profile()))
        .await
        .assert_status(StatusCode::OK);
    cast.other
        .call(Method::PUT, "/api/v1/me/profile", Some(shared_profile()))
        .await
        .assert_status(StatusCode::OK);

    // What each visitor sees of the owner's page: public fields for everyone, members' fields for
    // members (moderators and admins are members here), private ones for the owner alone.
    let page = |client: &Client| {
        let client = client.clone();
        async move {
            client
                .call(Method::GET, "/api/v1/members/owner-owl", None)
                .await
                .json()["profile"]
                .clone()
        }
    };
    let anonymous = page(&cast.anonymous).await;
    assert_eq!(anonymous["regions"], json!(["neck", "right-arm"]));
    assert!(anonymous.get("conditions").is_none() && anonymous.get("age_band").is_none());
    for client in [&cast.other, &cast.moderator, &cast.admin] {
        let seen = page(client).await;
        assert_eq!(seen["conditions"][0]["condition"], "dystonia");
        assert_eq!(seen["age_band"], "45-59");
        for hidden in [
            "sex",
            "onset_band",
            "treatments",
            "medicines",
            "about",
            "open_to_matching",
            "visibility",
        ] {
            assert!(
                seen.get(hidden).is_none(),
                "{hidden} shown to {}: {seen}",
                client.handle
            );
        }
    }
    let own = page(&cast.owner).await;
    assert_eq!(own["medicines"], json!(["privatemedicine-q7"]));
    assert_eq!(own["visibility"]["sex"], "private");

    // Alikes: the other member finds the owner for what the owner shares with members, and the
    // reasons name only shared fields.
    let alikes = cast
        .other
        .call(Method::GET, "/api/v1/me/alikes", None)
        .await
        .json();
    let found = alikes
        .as_array()
        .expect("a list")
        .iter()
        .find(|a| a["member"]["handle"] == "owner-owl")
        .expect("the owner is the other member's Alike");
    let kinds: Vec<&str> = found["reasons"]
        .as_array()
        .expect("reasons")
        .iter()
        .filter_map(|r| r["kind"].as_str())
        .collect();
    assert!(
        kinds.contains(&"condition") && kinds.contains(&"region"),
        "{kinds:?}"
    );
    assert!(
        !kinds.contains(&"treatment") && !kinds.contains(&"onset-band"),
        "private fields matched: {kinds:?}"
    );
    db.finish().await;
}

async fn csrf_is_required(backend: Backend) {
    let (db, state) = fresh_state(backend).await;
    let owner = Client::register(&state, "owner-owl").await;
    let mut no_token = owner.clone();
    no_token.csrf = None;
    let reply = no_token
        .call(Method::PUT, "/api/v1/me/profile", Some(json!({})))
        .await;
    assert_eq!(assert_api_error(&reply, StatusCode::FORBIDDEN), "csrf");
    let mut wrong = owner.clone();
    wrong.csrf = Some("x".repeat(43));
    let reply = wrong
        .call(
            Method::POST,
            "/api/v1/groups/dystonia/posts",
            Some(json!({"title": "t", "body": "b"})),
        )
        .await;
    assert_eq!(assert_api_error(&reply, StatusCode::FORBIDDEN), "csrf");
    // Another session's token is not this session's.
    let second = Client::login(&state, "owner-owl").await;
    let mut crossed = owner.clone();
    crossed.csrf = second.csrf.clone();
    let reply = crossed.call(Method::DELETE, "/api/v1/session", None).await;
    assert_eq!(assert_api_error(&reply, StatusCode::FORBIDDEN), "csrf");
    // A cross-site request is refused even with the right token.
    let request = Request::builder()
        .method(Method::PUT)
        .uri("/api/v1/me/profile")
        .header(header::HOST, "kindred.example")
        .header(header::ORIGIN, "https://evil.example")
        .header(
            header::COOKIE,
            format!("kindred_session={}", owner.cookie.clone().unwrap_or_default()),
        )
        .header("x-csrf-token", owner.csrf.clone().unwrap_or_default())
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{}"))
        .expect("request");
    let reply = send_to(state.clone(), request).await;
    assert_eq!(assert_api_error(&reply, StatusCode::FORBIDDEN), "cross_site");
    // A form-encoded body (what a cross-site HTML form can send) is not accepted by the JSON API.
    let request = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/session")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("handle=owner-owl&password=x"))
        .expect("request");
    let reply = send_to(state.clone(), request).await;
    assert_eq!(
        assert_api_error(&reply, StatusCode::UNSUPPORTED_MEDIA_TYPE),
        "bad_content_type"
    );
    // Nothing changed.
    let profile = owner.call(Method::GET, "/api/v1/me/profile", None).await.json();
    assert_eq!(profile["open_to_matching"], false);
    db.finish().await;
}

async fn sessions_cannot_be_fixed_and_end_on_logout(backend: Backend) {
    let (db, state) = fresh_state(backend).await;
    Client::register(&state, "owner-owl").await;
    // An attacker plants a session id in the victim's browser before they sign in.
    let planted = "attacker-chosen-session-id-0123456789abcdef";
    let request = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/session")
        .header(header::COOKIE, format!("kindred_session={planted}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            json!({"handle": "owner-owl", "password": PASSWORD}).to_string(),
        ))
        .expect("request");
    let reply = send_to(state.clone(), request).await;
    reply.assert_status(StatusCode::OK);
    let set_cookie = reply.header(header::SET_COOKIE).to_owned();
    assert!(
        !set_cookie.contains(planted),
        "the planted id was kept: {set_cookie}"
    );
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(
            set_cookie.contains(attribute),
            "{attribute} missing: {set_cookie}"
        );
    }
    let mut attacker = Client::anonymous(&state);
    attacker.cookie = Some(planted.to_owned());
    attacker
        .call(Method::GET, "/api/v1/me", None)
        .await
        .assert_status(StatusCode::UNAUTHORIZED);

    // Each sign-in is a new session; signing out ends exactly that one.
    let first = Client::login(&state, "owner-owl").await;
    let second = Client::login(&state, "owner-owl").await;
    assert_ne!(first.cookie, second.cookie);
    first
        .call(Method::DELETE, "/api/v1/session", None)
        .await
        .assert_status(StatusCode::NO_CONTENT);
    first
        .call(Method::GET, "/api/v1/me", None)
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
    second
        .call(Method::GET, "/api/v1/me", None)
        .await
        .assert_status(StatusCode::OK);
    // A password change ends the other sessions but keeps the one that made it.
    second
        .call(
            Method::POST,
            "/api/v1/me/password",
            Some(json!({"current_password": PASSWORD, "new_password": "another long passphrase"})),
        )
        .await
        .assert_status(StatusCode::NO_CONTENT);
    second
        .call(Method::GET, "/api/v1/me", None)
        .await
        .assert_status(StatusCode::OK);
    db.finish().await;
}

/// Payloads that must stay inert wherever members can write.
pub(crate) const XSS_PAYLOADS: &[&str] = &[
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "[click](javascript:alert(1))",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<iframe src=\"https://evil.example\"></iframe>",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "&#106;avascript:alert(1)",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "\"><script>alert(1)</script>",
];

async fn xss_payloads_are_inert(backend: Backend) {
    let (db, state) = fresh_state(backend).await;
    let owner = Client::register(&state, "owner-owl").await;
    for payload in XSS_PAYLOADS {
        let reply = owner
            .call(
                Method::POST,
                "/api/v1/groups/dystonia/posts",
                Some(json!({"title": payload, "body": payload})),
            )
            .await;
        reply.assert_status(StatusCode::CREATED);
        let id = reply.json()["id"].as_i64().expect("id");
        let thread = owner
            .call(Method::GET, &format!("/api/v1/posts/{id}"), None)
            .await
            .json();
        let html = thread["post"]["body_html"].as_str().expect("html").to_lowercase();
        assert_inert(&html, payload);
        // The title is plain text, returned as written (pages escape it).
        assert_eq!(thread["post"]["title"], *payload);
    }
    // Profiles keep free text as text; the API returns it as JSON data, never markup.
    let mut profile = shared_profile();
    profile["about"] = json!({"value": XSS_PAYLOADS.join("\n"), "visibility": "public"});
    owner
        .call(Method::PUT, "/api/v1/me/profile", Some(profile))
        .await
        .assert_status(StatusCode::OK);
    let reply = Client::anonymous(&state)
        .call(Method::GET, "/api/v1/members/owner-owl", None)
        .await;
    assert!(reply.content_type().starts_with("application/json"));
    assert_eq!(reply.json()["profile"]["about"], XSS_PAYLOADS.join("\n"));
    db.finish().await;
}

/// Every tag in sanitised HTML is on the allow-list, with no event handler, style or script URL.
/// (Text is escaped, so each `<` in the output opens a real tag.)
pub(crate) fn assert_inert(html: &str, payload: &str) {
    const ALLOWED: &[&str] = &[
        "p",
        "br",
        "em",
        "strong",
        "del",
        "code",
        "pre",
        "blockquote",
        "ul",
        "ol",
        "li",
        "a",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
    ];
    for tag in html.split('<').skip(1) {
        let tag = tag.split('>').next().unwrap_or_default();
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        assert!(
            ALLOWED.contains(&name.as_str()),
            "{payload:?}: tag <{tag}> in {html:?}"
        );
        for (key, value) in attributes(tag) {
            assert!(
                matches!(key.as_str(), "href" | "rel" | "title"),
                "{payload:?}: attribute {key:?} in {html:?}"
            );
            assert!(
                !value.contains("javascript:") && !value.contains("data:"),
                "{payload:?}: {key}={value:?}"
            );
        }
    }
}

/// The attributes of a tag's source (`a href="x" rel="a b"`), as (name, value) pairs.
fn attributes(tag: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let rest = tag.trim_end_matches('/');
    let mut chars = rest.chars().skip_while(|c| !c.is_whitespace()).peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let key: String = std::iter::from_fn(|| chars.next_if(|c| !c.is_whitespace() && *c != '=')).collect();
        if key.is_empty() {
            break;
        }
        let mut value = String::new();
        if chars.next_if_eq(&'=').is_some() {
            match chars.next_if(|c| *c == '"' || *c == '\'') {
                Some(quote) => value = std::iter::from_fn(|| chars.next_if(|c| *c != quote)).collect(),
                None => value = std::iter::from_fn(|| chars.next_if(|c| !c.is_whitespace())).collect(),
            }
            chars.next();
        }
        out.push((key, value));
    }
    out
}

async fn sql_injection_payloads_are_harmless(backend: Backend) {
    let (db, state) = fresh_state(backend).await;
    let owner = Client::register(&state, "owner-owl").await;
    let payloads = [
        "'; DROP TABLE members; --",
        "' OR '1'='1",
        "1; DELETE FROM posts",
        "$1') RETURNING password_hash --",
    ];
    for payload in payloads {
        // Handles are refused by their rules, before any SQL.
        let reply = Client::anonymous(&state)
            .call(
                Method::POST,
                "/api/v1/accounts",
                Some(json!({"handle": payload, "password": PASSWORD})),
            )
            .await;
        assert_eq!(assert_api_error(&reply, StatusCode::BAD_REQUEST), "invalid");
        // Sign-in with a payload is just a wrong handle.
        let reply = Client::anonymous(&state)
            .call(
                Method::POST,
                "/api/v1/session",
                Some(json!({"handle": payload, "password": payload})),
            )
            .await;
        assert_eq!(
            assert_api_error(&reply, StatusCode::UNAUTHORIZED),
            "bad_credentials"
        );
        // Posts store it as text.
        let reply = owner
            .call(
                Method::POST,
                "/api/v1/groups/dystonia/posts",
                Some(json!({"title": payload, "body": payload})),
            )
            .await;
        let id = reply.json()["id"].as_i64().expect("id");
        let thread = owner
            .call(Method::GET, &format!("/api/v1/posts/{id}"), None)
            .await
            .json();
        assert_eq!(thread["post"]["title"], payload);
        // Paths with it find nothing.
        let uri = format!("/api/v1/members/{}", crate::support::encode(payload));
        let reply = owner.call(Method::GET, &uri, None).await;
        assert_eq!(assert_api_error(&reply, StatusCode::NOT_FOUND), "not_found");
    }
    // Everything is still there.
    assert_eq!(db.store.count_members().await.expect("count"), 1);
    assert_eq!(db.store.count_posts().await.expect("count"), 4);
    owner
        .call(Method::GET, "/api/v1/me", None)
        .await
        .assert_status(StatusCode::OK);
    db.finish().await;
}

async fn login_is_rate_limited(backend: Backend) {
    let (db, state) = fresh_state(backend).await;
    Client::register(&state, "owner-owl").await;
    let attempt = |password: &'static str| {
        let state = state.clone();
        async move {
            Client::anonymous(&state)
                .call(
                    Method::POST,
                    "/api/v1/session",
                    Some(json!({"handle": "Owner-Owl", "password": password})),
                )
                .await
        }
    };
    for _ in 0..kindred_app::community::LOGIN_MAX_FAILURES {
        let reply = attempt("wrong password!").await;
        assert_eq!(
            assert_api_error(&reply, StatusCode::UNAUTHORIZED),
            "bad_credentials"
        );
    }
    // Locked: even the right password is refused until the window passes, and says when.
    let reply = attempt(PASSWORD).await;
    assert_eq!(
        assert_api_error(&reply, StatusCode::TOO_MANY_REQUESTS),
        "rate_limited"
    );
    let retry: u64 = reply
        .header(header::RETRY_AFTER)
        .parse()
        .expect("Retry-After seconds");
    assert!(retry > 0 && retry <= kindred_app::community::LOGIN_MAX_LOCK_SECONDS);
    // Another member is not locked out by it.
    Client::register(&state, "other-fox").await;
    Client::login(&state, "other-fox").await;
    db.finish().await;
}

/// The dystonia × botulinum toxin share of "What members report", as anyone sees it.
async fn wisdom(state: &AppState) -> Value {
    Client::anonymous(state)
        .call(
            Method::GET,
            "/api/v1/wisdom?condition=dystonia&treatment=botulinum-toxin",
            None,
        )
        .await
        .json()["share"]
        .clone()
}

/// A profile sharing dystonia and one botulinum toxin outcome at `visibility`.
fn sharing(outcome: &str, visibility: &str) -> Value {
    json!({
        "conditions": {"value": [{"condition": "dystonia", "subtype": null}], "visibility": "members"},
        "treatments": {"value": [{"treatment": "botulinum-toxin", "outcome": outcome, "side_effects": []}],
            "visibility": visibility},
    })
}

/// Issue 9: 11 accounts made a moment ago, all reporting "worse", turned the panel from suppressed
/// to "100 % worse". Reports count only from accounts at least a week old, active on two days.
async fn a_burst_of_new_accounts_cannot_swing_member_reports(backend: Backend) {
    let db = TestDb::new(backend).await;
    let state = state_over(&db, CommunityLimits::default()).await;
    let now = kindred_app::community::now();
    let report = |state: AppState, prefix: &'static str, outcome: &'static str| async move {
        let mut handles = Vec::new();
        for i in 0..11 {
            let handle = format!("{prefix}-{i}");
            Client::register(&state, &handle)
                .await
                .call(
                    Method::PUT,
                    "/api/v1/me/profile",
                    Some(sharing(outcome, "members")),
                )
                .await
                .assert_status(StatusCode::OK);
            handles.push(handle);
        }
        handles
    };
    let established = report(state.clone(), "settled", "helped").await;
    // Registered a moment ago: nothing counts yet, not even these.
    assert_eq!(wisdom(&state).await["status"], "suppressed");
    let age = |handles: Vec<String>| {
        let store = db.store.clone();
        async move {
            for handle in handles {
                let member = store.member_by_handle(&handle).await.unwrap().unwrap();
                store
                    .backdate_member(member.id, now - 30 * 24 * 3600, 12, Some(now - 20 * 24 * 3600))
                    .await
                    .unwrap();
            }
        }
    };
    age(established).await;
    // A server starting now loads who counts: eleven members of a month's standing.
    let state = state_over(&db, CommunityLimits::default()).await;
    let share = wisdom(&state).await;
    assert_eq!(
        (share["status"].as_str(), share["members"].as_u64()),
        (Some("shown"), Some(11))
    );
    assert_eq!(share["helped_pct"].as_u64(), Some(100));
    // The burst: eleven new accounts report "worse". The panel does not move.
    let burst = report(state.clone(), "burst", "worse").await;
    let share = wisdom(&state).await;
    assert_eq!(
        (share["members"].as_u64(), share["worse_pct"].as_u64()),
        (Some(11), Some(0)),
        "{share}"
    );
    // Signing in again the same day is not a second active day either.
    Client::login(&state, "burst-0").await;
    assert_eq!(wisdom(&state).await["worse_pct"].as_u64(), Some(0));
    // Once those accounts are old and active enough, they count like anyone's.
    age(burst).await;
    let state = state_over(&db, CommunityLimits::default()).await;
    let share = wisdom(&state).await;
    assert_eq!(
        (share["members"].as_u64(), share["worse_pct"].as_u64()),
        (Some(22), Some(50)),
        "{share}"
    );
    db.finish().await;
}

async fn private_fields_never_reach_aggregates(backend: Backend) {
    let db = TestDb::new(backend).await;
    let state = state_over(&db, reports_count_at_once()).await;
    for i in 0..9 {
        let member = Client::register(&state, &format!("member-{i}")).await;
        member
            .call(
                Method::PUT,
                "/api/v1/me/profile",
                Some(sharing("helped", "members")),
            )
            .await
            .assert_status(StatusCode::OK);
    }
    // Nine members: suppressed, and the count is not given away.
    let share = wisdom(&state).await;
    assert_eq!(share["status"], "suppressed", "{share}");
    assert!(share.get("members").is_none());
    // A tenth member who keeps treatments private does not count.
    let private = Client::register(&state, "private-one").await;
    private
        .call(
            Method::PUT,
            "/api/v1/me/profile",
            Some(sharing("worse", "private")),
        )
        .await
        .assert_status(StatusCode::OK);
    assert_eq!(wisdom(&state).await["status"], "suppressed");
    // A tenth who shares: shown, over exactly the ten who share.
    let tenth = Client::register(&state, "tenth-one").await;
    tenth
        .call(
            Method::PUT,
            "/api/v1/me/profile",
            Some(sharing("no-change", "members")),
        )
        .await
        .assert_status(StatusCode::OK);
    let share = wisdom(&state).await;
    assert_eq!(share["status"], "shown", "{share}");
    assert_eq!(
        (share["members"].as_u64(), share["helped_pct"].as_u64()),
        (Some(10), Some(90))
    );
    assert_eq!(share["worse_pct"].as_u64(), Some(0), "the private report counted");
    // Making it private again takes it out.
    tenth
        .call(
            Method::PUT,
            "/api/v1/me/profile",
            Some(sharing("no-change", "private")),
        )
        .await
        .assert_status(StatusCode::OK);
    assert_eq!(wisdom(&state).await["status"], "suppressed");
    db.finish().await;
}

async fn deleting_an_account_erases_it(backend: Backend) {
    let (db, state) = fresh_state(backend).await;
    let owner = Client::register(&state, "owner-owl").await;
    let other = Client::register(&state, "other-fox").await;
    owner
        .call(Method::PUT, "/api/v1/me/profile", Some(owner_profile()))
        .await
        .assert_status(StatusCode::OK);
    let reply = owner
        .call(
            Method::POST,
            "/api/v1/groups/dystonia/posts",
            Some(json!({"title": "Mine", "body": "my words"})),
        )
        .await;
    let post = reply.json()["id"].as_i64().expect("id");
    other
        .call(Method::PUT, "/api/v1/me/profile", Some(shared_profile()))
        .await
        .assert_status(StatusCode::OK);
    let export = owner.call(Method::GET, "/api/v1/me/export", None).await;
    assert!(export.text().contains("privatemedicine-q7") && export.text().contains("my words"));
    // A wrong password deletes nothing.
    let reply = owner
        .call(
            Method::DELETE,
            "/api/v1/me",
            Some(json!({"password": "not it at all"})),
        )
        .await;
    assert_eq!(assert_api_error(&reply, StatusCode::BAD_REQUEST), "invalid");
    owner
        .call(Method::DELETE, "/api/v1/me", Some(json!({"password": PASSWORD})))
        .await
        .assert_status(StatusCode::NO_CONTENT);
    owner
        .call(Method::GET, "/api/v1/me", None)
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
    other
        .call(Method::GET, "/api/v1/members/owner-owl", None)
        .await
        .assert_status(StatusCode::NOT_FOUND);
    let thread = other
        .call(Method::GET, &format!("/api/v1/posts/{post}"), None)
        .await
        .json();
    assert_eq!(thread["post"]["author"], "deleted member");
    let alikes = other.call(Method::GET, "/api/v1/me/alikes", None).await;
    assert!(
        !alikes.text().contains("owner-owl"),
        "a deleted member is still an Alike"
    );
    let reply = Client::anonymous(&state)
        .call(
            Method::POST,
            "/api/v1/session",
            Some(json!({"handle": "owner-owl", "password": PASSWORD})),
        )
        .await;
    assert_eq!(
        assert_api_error(&reply, StatusCode::UNAUTHORIZED),
        "bad_credentials"
    );
    // The handle is free again.
    Client::register(&state, "owner-owl").await;
    db.finish().await;
}
