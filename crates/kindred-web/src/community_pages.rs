//! The community's HTML pages: registration and sign-in, the member's dashboard, profile form,
//! Alikes and account settings, member pages, groups and their posts, moderation and
//! administration. Every rule lives in `kindred_app::community`; these handlers read forms, check
//! their anti-forgery token, call the service and render what it returns.
//!
//! Conventions, the same on every page:
//! - Every form is a `POST` of `application/x-www-form-urlencoded` with a `csrf` field: the
//!   session's token when signed in, or, on the sign-in and registration forms, the token of the
//!   anonymous form cookie (double submit). A missing or wrong token is a 403 page.
//! - A successful `POST` answers 303 to a page (Post/Redirect/Get), so reloading never resubmits.
//! - A refused field re-renders the form with status 400, the values kept (never passwords), and
//!   the message in a `role="alert"` element that the field names with `aria-describedby`.
//! - Pages for members send anonymous visitors to `/login?next=<path>`; `next` is only ever a
//!   local path.
//! - Responses are `Cache-Control: no-store`: they hold form tokens and members' data.
//!
//! This module holds the routes and what every page shares (rendering, errors, the [`Visitor`]
//! extractor, form messages); the pages are in `account` (registration, sign-in, dashboard,
//! settings), `profile` (the profile form, Alikes, member pages), `groups` (groups, posts,
//! replies, reports) and `moderation` (moderation and administration).

// The helpers' error is the page to answer with (a `Response`, 128 bytes), moved once per request:
// boxing it would only add an allocation.
#![allow(clippy::result_large_err)]

mod account;
mod groups;
mod moderation;
mod profile;

use askama::Template;
use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::cookie::CookieJar;
use axum_extra::extract::{Form, FormRejection};
use kindred_app::Kindred;
use kindred_app::community::{Actor, CommunityError, DELETED_MEMBER};
use kindred_auth::Role;
use serde::Deserialize;

use crate::api::request_id;
use crate::error::ApiError;
use crate::session::{FORM_COOKIE, MaybeActor, form_token_ok};
use crate::state::AppState;

/// The "not a substitute" notice every page carries.
const DISCLAIMER: &str = kindred_app::DISCLAIMER;

/// The routes of this module, merged into [`crate::router`].
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/register", get(account::register_form).post(account::register))
        .route("/login", get(account::login_form).post(account::login))
        .route("/logout", post(account::logout))
        .route("/me", get(account::dashboard))
        .route(
            "/me/profile",
            get(profile::profile_form).post(profile::save_profile),
        )
        .route("/me/alikes", get(profile::alikes))
        .route("/me/account", get(account::account))
        .route("/me/password", post(account::change_password))
        .route("/me/delete", post(account::delete_account))
        .route("/account-deleted", get(account::account_deleted))
        .route("/members/{handle}", get(profile::member))
        .route("/groups", get(groups::groups))
        .route("/groups/{slug}", get(groups::group))
        .route("/groups/{slug}/join", post(groups::join))
        .route("/groups/{slug}/leave", post(groups::leave))
        .route("/groups/{slug}/posts", post(groups::create_post))
        .route("/posts/{id}", get(groups::thread))
        .route("/posts/{id}/replies", post(groups::reply))
        .route("/posts/{id}/report", post(groups::report))
        .route("/posts/{id}/moderation", post(groups::moderate))
        .route("/moderation", get(moderation::moderation))
        .route("/admin", get(moderation::admin))
        .route("/admin/role", post(moderation::set_role))
}

// ---- rendering and errors ----------------------------------------------------------------------

/// A page, not to be stored by any cache.
fn render(template: &impl Template, status: StatusCode) -> Response {
    match template.render() {
        Ok(html) => (
            status,
            [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))],
            Html(html),
        )
            .into_response(),
        Err(e) => ApiError::internal(&e).into_response(),
    }
}

/// An error as a page (the site's error template), with its request id.
#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    title: &'a str,
    message: &'a str,
    request_id: &'a str,
    disclaimer: &'a str,
}

fn error_page(error: ApiError) -> Response {
    let title = match error.status {
        StatusCode::NOT_FOUND => "Page not found",
        StatusCode::BAD_REQUEST => "We could not read that request",
        StatusCode::FORBIDDEN => "You cannot do this",
        StatusCode::TOO_MANY_REQUESTS => "Too many attempts",
        StatusCode::SERVICE_UNAVAILABLE => "Busy for a moment",
        _ => "Something went wrong",
    };
    let mut response = render(
        &ErrorPage {
            title,
            message: &error.message,
            request_id: &error.request_id,
            disclaimer: DISCLAIMER,
        },
        error.status,
    );
    if let Some(seconds) = error.retry_after {
        response.headers_mut().insert(header::RETRY_AFTER, seconds.into());
    }
    response
}

/// Percent-encodes a query value (everything but RFC 3986 unreserved characters and `/`).
fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len() * 3);
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// `next` if it is a path on this site: it starts with one `/` (not `//` or `/\`, which browsers
/// read as another host), is short, and has no control characters or backslashes.
fn local_path(next: &str) -> Option<&str> {
    let local = next.starts_with('/')
        && !next.starts_with("//")
        && next.len() <= 1000
        && !next.chars().any(|c| c.is_control() || c == '\\');
    local.then_some(next)
}

/// The sign-in page, coming back to `next` afterwards.
fn to_login(next: &str) -> Response {
    Redirect::to(&format!("/login?next={}", encode(next))).into_response()
}

/// Who a page is for: the signed-in member (if any), the request id and the cookies.
struct Visitor {
    actor: Option<Actor>,
    request_id: String,
    jar: CookieJar,
}

impl FromRequestParts<AppState> for Visitor {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let MaybeActor(actor) = MaybeActor::from_request_parts(parts, state)
            .await
            .map_err(error_page)?;
        Ok(Visitor {
            actor,
            request_id: request_id(parts),
            jar: CookieJar::from_headers(&parts.headers),
        })
    }
}

impl Visitor {
    /// The signed-in member, or a redirect to sign in and come back to `next`.
    fn member(&self, next: &str) -> Result<&Actor, Response> {
        self.actor.as_ref().ok_or_else(|| to_login(next))
    }

    /// The token this visitor's session forms carry ("" when not signed in).
    fn csrf(&self) -> &str {
        self.actor.as_ref().map_or("", |a| a.csrf_token.as_str())
    }

    /// A 403 page unless `submitted` is the session's token (or, with `anonymous`, the form cookie's).
    fn check_token(&self, submitted: &str, anonymous: bool) -> Result<(), Response> {
        let actor = if anonymous { None } else { self.actor.as_ref() };
        if form_token_ok(actor, &self.jar, submitted) {
            Ok(())
        } else {
            Err(self.page_error(ApiError::new(
                StatusCode::FORBIDDEN,
                "csrf",
                "This form did not come from a Kindred page you have open, or it is from before you \
                 signed in or out. Go back, reload the page, and send the form again.",
            )))
        }
    }

    /// The form's fields, or a 400 page when the body is not a form.
    fn form<T>(&self, form: Result<Form<T>, FormRejection>) -> Result<T, Response> {
        form.map(|Form(value)| value).map_err(|rejection| {
            self.page_error(ApiError::bad_request(
                "bad_form",
                format!("That form could not be read: {}.", rejection.body_text()),
            ))
        })
    }

    /// An error page tagged with this request's id.
    fn page_error(&self, error: ApiError) -> Response {
        error_page(error.with_request_id(&self.request_id))
    }

    /// The service's refusal as a page: sign in (coming back to `next`), 403, 404, or an opaque 500.
    fn failure(&self, error: CommunityError, next: &str) -> Response {
        match error {
            CommunityError::Unauthenticated => to_login(next),
            other => {
                let mut error = ApiError::community(other);
                if error.status.is_client_error() {
                    error.message = sentence("", &error.message);
                }
                self.page_error(error)
            }
        }
    }

    /// A token for an anonymous form: the one already in the form cookie (so two open tabs both
    /// work), or a fresh one.
    fn anonymous_token(&self) -> String {
        self.jar
            .get(FORM_COOKIE)
            .map(|c| c.value().to_owned())
            .filter(|t| (32..=100).contains(&t.len()))
            .unwrap_or_else(kindred_auth::new_token)
    }
}

/// A refused field: the id of the element it is about ("" for the whole form) and what to do.
#[derive(Debug, Clone, Default)]
struct FormError {
    field: String,
    message: String,
}

/// What a form shows of a refusal (the service refuses one field at a time).
#[derive(Debug, Clone, Default)]
struct Errors(Option<FormError>);

impl Errors {
    fn on(field: impl Into<String>, message: impl Into<String>) -> Errors {
        Errors(Some(FormError {
            field: field.into(),
            message: message.into(),
        }))
    }

    /// The message about the element `id`, if any.
    fn of(&self, id: &str) -> Option<&str> {
        self.0
            .as_ref()
            .filter(|e| e.field == id)
            .map(|e| e.message.as_str())
    }

    /// The message about the whole form, if any.
    fn general(&self) -> Option<&str> {
        self.of("")
    }

    /// The element the refusal is about ("" for the whole form or none).
    fn field(&self) -> &str {
        self.0.as_ref().map_or("", |e| e.field.as_str())
    }

    /// The ARIA attributes of the element `id` (ids are Kindred's own, never member text): its
    /// error message (`<id>-error`) and hints in `aria-describedby`, and `aria-invalid` when
    /// refused.
    fn attrs(&self, id: &str, hints: &str) -> String {
        let refused = self.of(id).is_some();
        let mut described = Vec::new();
        if refused {
            described.push(format!("{id}-error"));
        }
        described.extend(hints.split_whitespace().map(str::to_owned));
        let mut out = String::new();
        if !described.is_empty() {
            out.push_str(&format!(r#" aria-describedby="{}""#, described.join(" ")));
        }
        if refused {
            out.push_str(r#" aria-invalid="true""#);
        }
        out
    }
}

/// A field's message for people: "Handle: must be at least 3 characters." style.
fn sentence(label: &str, message: &str) -> String {
    let message = message.trim_end_matches('.');
    if label.is_empty() {
        let mut chars = message.chars();
        return match chars.next() {
            Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
            None => String::new(),
        };
    }
    format!("{label}: {message}.")
}

/// A service refusal as a message on a form, with the page status; anything that is not about a
/// field (forbidden, not found, storage) becomes a page.
fn refusal(
    visitor: &Visitor,
    error: CommunityError,
    next: &str,
    place: impl Fn(&str) -> Option<(&'static str, &'static str)>,
) -> Result<(StatusCode, Errors), Response> {
    match error {
        CommunityError::Invalid { field, message } => match place(&field) {
            Some((id, label)) => Ok((StatusCode::BAD_REQUEST, Errors::on(id, sentence(label, &message)))),
            None => Ok((
                StatusCode::BAD_REQUEST,
                Errors::on("", sentence("", &format!("{field}: {message}"))),
            )),
        },
        CommunityError::HandleTaken => Ok((
            StatusCode::BAD_REQUEST,
            Errors::on("handle", "That handle is taken. Choose another."),
        )),
        CommunityError::BadCredentials => Ok((
            StatusCode::BAD_REQUEST,
            Errors::on(
                "",
                "That handle and password do not match. Check both and try again.",
            ),
        )),
        other => Err(visitor.failure(other, next)),
    }
}

/// A form with nothing but its token.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct TokenForm {
    csrf: String,
}

/// Parameters of pages that confirm what was just done (`?done=`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DoneParams {
    done: Option<String>,
}

/// People's words for roles.
fn role_label(role: Role) -> &'static str {
    match role {
        Role::Member => "Member",
        Role::Moderator => "Moderator",
        Role::Admin => "Administrator",
    }
}

/// Unix seconds as a date for people, in UTC: `22 November 2026`.
fn human_date(seconds: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(seconds)
        .map(|t| format!("{} {} {}", t.day(), t.month(), t.year()))
        .unwrap_or_default()
}

/// Unix seconds as an RFC 3339 timestamp for `<time datetime>`.
fn machine_date(seconds: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(seconds)
        .ok()
        .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
        .unwrap_or_default()
}

/// Whether a post's author has a member page (not once they deleted their account).
fn author_has_page(author: &str) -> bool {
    author != DELETED_MEMBER
}

/// A key and its label, for `<select>`s, checkboxes and datalists.
#[derive(Debug, Clone)]
struct Choice {
    key: String,
    label: String,
}

fn choices<T: Copy>(all: &[T], key: fn(T) -> &'static str, label: fn(T) -> &'static str) -> Vec<Choice> {
    all.iter()
        .map(|&v| Choice {
            key: key(v).to_owned(),
            label: label(v).to_owned(),
        })
        .collect()
}

/// A catalog condition's name (the slug itself if the catalog has no such condition).
fn condition_name(kindred: &Kindred, slug: &str) -> String {
    kindred
        .library()
        .catalog
        .by_slug(slug)
        .map_or_else(|| slug.to_owned(), |c| c.name.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(local_path("/me"), Some("/me"));
        assert_eq!(
            local_path("/groups/dystonia?before=3"),
            Some("/groups/dystonia?before=3")
        );
        for bad in [
            "",
            "me",
            "//evil.example",
            "/\\evil.example",
            "https://evil.example",
            "/a\nb",
        ] {
            assert_eq!(local_path(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn errors_point_fields_at_their_message() {
        let errors = Errors::on("handle", "Handle: must be at least 3 characters.");
        assert_eq!(
            errors.attrs("handle", "handle-hint"),
            r#" aria-describedby="handle-error handle-hint" aria-invalid="true""#
        );
        assert_eq!(
            errors.attrs("password", "password-hint"),
            r#" aria-describedby="password-hint""#
        );
        assert_eq!(errors.attrs("password", ""), "");
        assert_eq!(errors.general(), None);
        assert_eq!(Errors::on("", "x").general(), Some("x"));
    }

    #[test]
    fn dates_are_for_people() {
        assert_eq!(human_date(0), "1 January 1970");
        assert_eq!(human_date(1_795_000_000), "18 November 2026");
        assert_eq!(machine_date(0), "1970-01-01T00:00:00Z");
    }

    #[test]
    fn next_is_encoded() {
        assert_eq!(encode("/groups/a b?x=1&y"), "/groups/a%20b%3Fx%3D1%26y");
    }
}
