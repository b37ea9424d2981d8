//! The community's HTML pages in-process: the shared page shell, sign-in redirects, the
//! anti-forgery token on every form, Post/Redirect/Get, and forms shown again with their message
//! when a field is refused.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use kindred_store::testing::TestDb;
use kindred_web::AppState;

use crate::support::{Reply, assert_page_error, assert_page_shell, send_to, state};

const PASSWORD: &str = "correct horse battery staple";

/// Posts on one page of a group (the web crate's `POSTS_PER_PAGE`, which is not exported).
const POSTS_PER_PAGE: usize = 30;

/// A handle no other test of this run uses.
fn handle(prefix: &str) -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    format!(
        "{prefix}{}x{}",
        std::process::id() % 100_000,
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// Percent-encodes a form value.
fn enc(value: &str) -> String {
    crate::support::encode(value)
}

/// A community of its own over the shared library, for tests that write posts (other tests expect
/// the shared database to have none) or count failed sign-ins.
async fn own_state() -> (Arc<TestDb>, AppState) {
    let db = TestDb::sqlite().await;
    let community = kindred_app::community::Community::open(db.store.clone())
        .await
        .expect("open the community");
    let state = AppState::from_parts(crate::support::library(), Arc::new(community));
    (Arc::new(db), state)
}

/// A browser in miniature: keeps cookies between requests. Talks to the shared state, or to a
/// community of its own.
#[derive(Default)]
struct Browser {
    cookies: BTreeMap<String, String>,
    own: Option<(Arc<TestDb>, AppState)>,
}

impl Browser {
    /// A browser on a community of its own.
    async fn isolated() -> Browser {
        Browser {
            cookies: BTreeMap::new(),
            own: Some(own_state().await),
        }
    }

    async fn send(&mut self, method: Method, uri: &str, form: Option<&str>) -> Reply {
        let mut request = Request::builder().method(method).uri(uri);
        if !self.cookies.is_empty() {
            let cookie = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ");
            request = request.header(header::COOKIE, cookie);
        }
        let body = match form {
            Some(form) => {
                request = request.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
                Body::from(form.to_owned())
            }
            None => Body::empty(),
        };
        let state = match &self.own {
            Some((_, own)) => own.clone(),
            None => state().await,
        };
        let reply = send_to(state, request.body(body).expect("a valid request")).await;
        for cookie in reply.headers.get_all(header::SET_COOKIE) {
            let cookie = cookie.to_str().expect("a cookie is ASCII");
            let pair = cookie.split(';').next().unwrap_or_default();
            let (name, value) = pair.split_once('=').expect("name=value");
            if value.is_empty() || cookie.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
        reply
    }

    async fn get(&mut self, uri: &str) -> Reply {
        self.send(Method::GET, uri, None).await
    }

    async fn post(&mut self, uri: &str, form: &str) -> Reply {
        self.send(Method::POST, uri, Some(form)).await
    }

    /// A page that must render with 200 and the shared shell.
    async fn page(&mut self, uri: &str) -> String {
        let reply = self.get(uri).await;
        reply.assert_status(StatusCode::OK);
        assert_page_shell(&reply);
        reply.text().to_owned()
    }

    /// Registers through the form; the browser is then signed in.
    async fn register(&mut self, handle: &str) {
        let html = self.page("/register").await;
        let token = csrf_of(&html);
        let reply = self
            .post(
                "/register",
                &format!("csrf={}&handle={handle}&password={}", enc(&token), enc(PASSWORD)),
            )
            .await;
        assert_redirect(&reply, "/me/profile");
        assert!(self.cookies.contains_key("kindred_session"), "signed in");
    }
}

/// The first form token in a page.
fn csrf_of(html: &str) -> String {
    let marker = r#"name="csrf" value=""#;
    let start = html.find(marker).expect("the page has a form token") + marker.len();
    html[start..].split('"').next().unwrap_or_default().to_owned()
}

#[track_caller]
fn assert_redirect(reply: &Reply, location: &str) {
    reply.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(reply.header(header::LOCATION), location, "{}", reply.uri);
}

#[tokio::test]
async fn anonymous_visitors_are_sent_to_sign_in_and_back() {
    let mut browser = Browser::default();
    for path in [
        "/me",
        "/me/profile",
        "/me/alikes",
        "/me/account",
        "/moderation",
        "/admin",
    ] {
        let reply = browser.get(path).await;
        assert_redirect(&reply, &format!("/login?next={path}"));
    }
    // The sign-in form carries `next` on; a foreign `next` is dropped.
    let html = browser.page("/login?next=/me/alikes").await;
    assert!(html.contains(r#"name="next" value="/me/alikes""#));
    for foreign in ["//evil.example/x", "https://evil.example", "/\\evil.example"] {
        let html = browser.page(&format!("/login?next={}", enc(foreign))).await;
        assert!(html.contains(r#"name="next" value="/me""#), "{foreign}");
    }
}

#[tokio::test]
async fn anonymous_forms_need_the_token_of_their_cookie() {
    let mut browser = Browser::default();
    let html = browser.page("/register").await;
    let token = csrf_of(&html);
    assert_eq!(browser.cookies.get("kindred_form"), Some(&token), "double submit");
    // Reloading keeps the token, so two open tabs both work.
    assert_eq!(csrf_of(&browser.page("/login").await), token);

    let name = handle("tok");
    let body = format!("handle={name}&password={}", enc(PASSWORD));
    for path in ["/register", "/login"] {
        let missing = browser.post(path, &body).await;
        assert_page_error(&missing, StatusCode::FORBIDDEN);
        let wrong = browser.post(path, &format!("csrf=not-the-token&{body}")).await;
        assert_page_error(&wrong, StatusCode::FORBIDDEN);
    }
    // Without the cookie, even the right value is refused.
    let mut stranger = Browser::default();
    let forged = stranger
        .post("/register", &format!("csrf={}&{body}", enc(&token)))
        .await;
    assert_page_error(&forged, StatusCode::FORBIDDEN);
    assert!(!stranger.cookies.contains_key("kindred_session"));
}

#[tokio::test]
async fn signed_in_forms_need_the_session_token() {
    let mut browser = Browser::default();
    browser.register(&handle("csrf")).await;
    let forms = [
        ("/me/profile", "about=x"),
        ("/groups/dystonia/join", ""),
        ("/groups/dystonia/posts", "title=t&body=b"),
        ("/me/password", "current_password=x&new_password=y"),
        ("/me/delete", "password=x"),
        ("/logout", ""),
    ];
    for (path, body) in forms {
        let missing = browser.post(path, body).await;
        assert_page_error(&missing, StatusCode::FORBIDDEN);
        let wrong = browser.post(path, &format!("csrf=wrong&{body}")).await;
        assert_page_error(&wrong, StatusCode::FORBIDDEN);
    }
    // The anonymous form token is not a session token.
    let form_token = browser.cookies.get("kindred_form").cloned().unwrap_or_default();
    let reply = browser
        .post("/groups/dystonia/join", &format!("csrf={}", enc(&form_token)))
        .await;
    assert_page_error(&reply, StatusCode::FORBIDDEN);
    // Still signed in: nothing above did anything.
    browser.page("/me").await;
}

#[tokio::test]
async fn registering_signs_in_and_opens_the_profile_form() {
    let mut browser = Browser::default();
    let name = handle("reg");
    browser.register(&name).await;
    let html = browser.page("/me/profile").await;
    for part in [
        r#"action="/me/profile""#,
        r#"name="condition""#,
        r#"<datalist id="condition-names">"#,
        r#"name="regions" value="neck""#,
        r#"name="conditions_visibility""#,
        r#"name="tried" value="botulinum-toxin""#,
        r#"name="open_to_matching""#,
    ] {
        assert!(html.contains(part), "the profile form has {part}");
    }
    assert!(
        !html.contains(r#"name="open_to_matching" value="yes" checked"#),
        "not matched until opting in"
    );
    assert!(
        html.contains(r#"<option value="private" selected>"#),
        "private by default"
    );
    let html = browser.page("/me").await;
    assert!(html.contains(&name));
    assert!(html.contains(r#"action="/logout""#));
}

#[tokio::test]
async fn refused_fields_come_back_with_their_message() {
    let mut browser = Browser::default();
    let html = browser.page("/register").await;
    let token = csrf_of(&html);
    let reply = browser
        .post(
            "/register",
            &format!(
                "csrf={}&handle=ok-handle-{}&password=short",
                enc(&token),
                std::process::id()
            ),
        )
        .await;
    reply.assert_status(StatusCode::BAD_REQUEST);
    assert_page_shell(&reply);
    let html = reply.text();
    assert!(html.contains(r#"id="password-error" role="alert""#), "{html}");
    assert!(html.contains(r#"aria-describedby="password-error password-hint" aria-invalid="true""#));
    assert!(
        html.contains(&format!(r#"value="ok-handle-{}""#, std::process::id())),
        "the handle is kept"
    );

    // Profile: an unknown condition names its row; the typed text is kept (escaped).
    browser.register(&handle("prof")).await;
    let token = csrf_of(&browser.page("/me/profile").await);
    let reply = browser
        .post(
            "/me/profile",
            &format!(
                "csrf={}&condition={}&subtype=&conditions_visibility=private",
                enc(&token),
                enc("<b>Made-up itis</b>")
            ),
        )
        .await;
    reply.assert_status(StatusCode::BAD_REQUEST);
    assert_page_shell(&reply);
    let html = reply.text();
    assert!(html.contains(r#"id="condition-0-error" role="alert""#));
    assert!(html.contains("Condition 1: Kindred"));
    assert!(
        html.contains("&#60;b&#62;Made-up itis&#60;/b&#62;"),
        "kept and escaped"
    );
    assert!(!html.contains("<b>Made-up"));
}

#[tokio::test]
async fn a_saved_profile_shows_what_was_chosen() {
    let mut browser = Browser::default();
    let name = handle("save");
    browser.register(&name).await;
    let token = csrf_of(&browser.page("/me/profile").await);
    let form = format!(
        "csrf={}&condition=dystonia&subtype=focal-dystonia&condition=&subtype=&conditions_visibility=members\
         &regions=neck&regions=jaw&regions_visibility=members&age_band=30-44&age_band_visibility=private\
         &tried=botulinum-toxin&outcome_botulinum-toxin=helped&side_effects_botulinum-toxin={}\
         &treatments_visibility=members&medicines={}&about={}&about_visibility=public&open_to_matching=yes",
        enc(&token),
        enc("dry mouth, weak neck"),
        enc("Botox\r\nBaclofen"),
        enc("Diagnosed in 2019.\r\nI <3 walks"),
    );
    let reply = browser.post("/me/profile", &form).await;
    assert_redirect(&reply, "/me/profile?saved=1");
    let html = browser.page("/me/profile?saved=1").await;
    assert!(html.contains(r#"role="status""#));
    assert!(html.contains(r#"value="Dystonia""#), "the condition by name");
    assert!(html.contains(r#"<option value="focal-dystonia" selected>"#));
    assert!(html.contains(r#"value="neck" checked"#) && html.contains(r#"value="jaw" checked"#));
    assert!(html.contains(r#"value="botulinum-toxin" checked"#));
    assert!(html.contains(r#"<option value="helped" selected>"#));
    assert!(html.contains(r#"value="dry mouth, weak neck""#));
    assert!(html.contains(r#"name="open_to_matching" value="yes" checked"#));

    // Visitors see only the public field; members also see the shared ones; never the private one.
    let mut visitor = Browser::default();
    let public = visitor.page(&format!("/members/{name}")).await;
    assert!(public.contains("I &#60;3 walks"), "public text, escaped");
    assert!(!public.contains("Focal dystonia"));
    assert!(public.contains("Not shared"));
    let mut other = Browser::default();
    other.register(&handle("peer")).await;
    let shared = other.page(&format!("/members/{name}")).await;
    assert!(shared.contains("Dystonia (Focal dystonia)"));
    assert!(shared.contains("Neck"));
    assert!(!shared.contains("30–44"), "age is private");
    assert!(!shared.contains("Baclofen"), "medicines are private");
}

#[tokio::test]
async fn every_community_page_has_the_shell() {
    let mut browser = Browser::isolated().await;
    for path in [
        "/register",
        "/login",
        "/groups",
        "/groups/dystonia",
        "/account-deleted",
    ] {
        browser.page(path).await;
    }
    let name = handle("shell");
    browser.register(&name).await;
    let token = csrf_of(&browser.page("/groups/dystonia").await);
    let reply = browser
        .post(
            "/groups/dystonia/posts",
            &format!(
                "csrf={}&title={}&body={}",
                enc(&token),
                enc("Hello <script>alert(1)</script>"),
                enc("**bold** and <script>alert(1)</script> <img src=x onerror=alert(1)>")
            ),
        )
        .await;
    reply.assert_status(StatusCode::SEE_OTHER);
    let post = reply.header(header::LOCATION).to_owned();
    assert!(post.starts_with("/posts/"), "{post}");
    for path in [
        "/me",
        "/me/profile",
        "/me/alikes",
        "/me/account",
        "/groups",
        "/groups/dystonia",
        &format!("/members/{name}"),
        &post,
    ] {
        browser.page(path).await;
    }
    let html = browser.page(&post).await;
    assert!(html.contains("<strong>bold</strong>"), "Markdown renders");
    assert!(
        !html.to_lowercase().contains("<script"),
        "no script, even as a title"
    );
    assert!(!html.contains("<img"));
    assert!(html.contains("&lt;script&gt;") || html.contains("&#60;script&#62;"));
    // Members are not moderators or administrators.
    for path in ["/moderation", "/admin"] {
        assert_page_error(&browser.get(path).await, StatusCode::FORBIDDEN);
    }
    assert_page_error(
        &browser.get("/members/no-such-member-here").await,
        StatusCode::NOT_FOUND,
    );
    assert_page_error(&browser.get("/groups/no-such-group").await, StatusCode::NOT_FOUND);
    assert_page_error(&browser.get("/posts/999999999").await, StatusCode::NOT_FOUND);
    assert_page_error(&browser.get("/posts/nope").await, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn signing_out_ends_the_session() {
    let mut browser = Browser::default();
    browser.register(&handle("out")).await;
    let token = csrf_of(&browser.page("/me").await);
    let reply = browser.post("/logout", &format!("csrf={}", enc(&token))).await;
    assert_redirect(&reply, "/");
    assert!(!browser.cookies.contains_key("kindred_session"));
    assert_redirect(&browser.get("/me").await, "/login?next=/me");
}

#[tokio::test]
async fn the_ask_page_shows_member_reports_apart_from_the_answer() {
    let mut browser = Browser::default();
    let html = browser
        .page(&format!("/ask?q={}", enc("does botox help cervical dystonia?")))
        .await;
    let aside = html
        .find(r#"<aside class="member-reports""#)
        .expect("a member reports panel");
    let answer = html.find(r#"<section class="answer""#).expect("the answer");
    let passages = html.find("</ol>").expect("the cited passages");
    assert!(
        answer < passages && passages < aside,
        "the panel comes after the cited answer"
    );
    let panel = &html[aside..html[aside..].find("</aside>").map_or(html.len(), |e| aside + e)];
    assert!(panel.contains("What members report"));
    assert!(panel.contains("not medical evidence"));
    assert!(
        panel.contains("fewer than 10 members"),
        "too few members: suppressed"
    );
    // A question naming no treatment has no panel.
    let html = browser
        .page(&format!("/ask?q={}", enc("what is dystonia?")))
        .await;
    assert!(!html.contains("member-reports"));
}

#[tokio::test]
async fn password_change_and_account_deletion_take_the_password() {
    let mut browser = Browser::default();
    let name = handle("acct");
    browser.register(&name).await;
    let token = csrf_of(&browser.page("/me/account").await);

    let wrong = browser
        .post(
            "/me/password",
            &format!(
                "csrf={}&current_password=wrong-password-here&new_password=another+long+one",
                enc(&token)
            ),
        )
        .await;
    wrong.assert_status(StatusCode::BAD_REQUEST);
    assert_page_shell(&wrong);
    assert!(
        wrong
            .text()
            .contains(r#"id="current-password-error" role="alert""#)
    );
    let changed = browser
        .post(
            "/me/password",
            &format!(
                "csrf={}&current_password={}&new_password={}",
                enc(&token),
                enc(PASSWORD),
                enc("a brand new passphrase")
            ),
        )
        .await;
    assert_redirect(&changed, "/me/account?done=password");
    assert!(
        browser
            .page("/me/account?done=password")
            .await
            .contains(r#"role="status""#)
    );

    let refused = browser
        .post(
            "/me/delete",
            &format!("csrf={}&password={}", enc(&token), enc(PASSWORD)),
        )
        .await;
    refused.assert_status(StatusCode::BAD_REQUEST);
    assert!(
        refused
            .text()
            .contains(r#"id="delete-password-error" role="alert""#)
    );
    let deleted = browser
        .post(
            "/me/delete",
            &format!("csrf={}&password={}", enc(&token), enc("a brand new passphrase")),
        )
        .await;
    assert_redirect(&deleted, "/account-deleted");
    assert!(!browser.cookies.contains_key("kindred_session"), "signed out");
    assert_page_error(
        &Browser::default().get(&format!("/members/{name}")).await,
        StatusCode::NOT_FOUND,
    );
}

#[tokio::test]
async fn too_many_failed_sign_ins_are_a_429_page_with_the_form() {
    // A community of its own: the sign-in limiter counts per address, and these requests have none.
    let mut browser = Browser::isolated().await;
    let token = csrf_of(&browser.page("/login").await);
    let form = format!(
        "csrf={}&handle=nobody-here&password=wrong+password+again",
        enc(&token)
    );
    let mut last = None;
    for _ in 0..=kindred_app::community::LOGIN_MAX_FAILURES {
        last = Some(browser.post("/login", &form).await);
    }
    let reply = last.expect("a reply");
    reply.assert_status(StatusCode::TOO_MANY_REQUESTS);
    assert_page_shell(&reply);
    assert!(!reply.header(header::RETRY_AFTER).is_empty(), "Retry-After");
    let html = reply.text();
    assert!(html.contains(r#"role="alert""#) && html.contains("Too many sign-in attempts"));
    assert!(html.contains(r#"value="nobody-here""#), "the handle is kept");
    assert!(html.contains(r#"action="/login""#), "the form is still there");
}

#[tokio::test]
async fn a_group_pages_back_to_older_posts() {
    let mut browser = Browser::isolated().await;
    browser.register(&handle("pager")).await;
    let token = csrf_of(&browser.page("/groups/limb-dystonia").await);
    for n in 0..=POSTS_PER_PAGE {
        let reply = browser
            .post(
                "/groups/limb-dystonia/posts",
                &format!("csrf={}&title=Post+number+{n}&body=Hello", enc(&token)),
            )
            .await;
        reply.assert_status(StatusCode::SEE_OTHER);
    }
    let html = browser.page("/groups/limb-dystonia").await;
    let newest = format!("Post number {POSTS_PER_PAGE}");
    assert!(html.contains(&newest));
    let marker = "/groups/limb-dystonia?before=";
    let at = html.find(marker).expect("an Older posts link") + marker.len();
    let before: String = html[at..].chars().take_while(char::is_ascii_digit).collect();
    let older = browser
        .page(&format!("/groups/limb-dystonia?before={before}"))
        .await;
    assert!(older.contains("Older posts"));
    assert!(!older.contains(&newest), "older posts only");
    assert!(older.contains("Post number 0"));
}
