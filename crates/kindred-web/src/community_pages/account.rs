//! Registration, sign-in and sign-out, the member's dashboard, and account settings: password,
//! data export and deletion.

use askama::Template;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::{Form, FormRejection};
use kindred_app::community::{CommunityError, GroupView};
use serde::Deserialize;

use super::{
    DISCLAIMER, DoneParams, Errors, TokenForm, Visitor, error_page, local_path, refusal, render, role_label,
};
use crate::api::StrictQuery;
use crate::community_api::ClientAddress;
use crate::error::ApiError;
use crate::session::{cleared_session_cookie, form_cookie, session_cookie};
use crate::state::AppState;

// ---- registration, sign-in, sign-out -----------------------------------------------------------

/// Parameters of `/login`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct LoginParams {
    next: Option<String>,
}

/// The sign-in and registration forms.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct CredentialsForm {
    csrf: String,
    handle: String,
    password: String,
    next: String,
}

#[derive(Template)]
#[template(path = "community_register.html")]
struct RegisterPage<'a> {
    csrf: &'a str,
    handle: &'a str,
    errors: Errors,
    disclaimer: &'a str,
}

#[derive(Template)]
#[template(path = "community_login.html")]
struct LoginPage<'a> {
    csrf: &'a str,
    handle: &'a str,
    next: &'a str,
    errors: Errors,
    disclaimer: &'a str,
}

/// A page with an anonymous form: renders it and (re)sets the form cookie holding its token.
fn anonymous_form(state: &AppState, visitor: &Visitor, token: String, page: Response) -> Response {
    let jar = visitor.jar.clone().add(form_cookie(token, state.secure_cookies));
    (jar, page).into_response()
}

/// `GET /register`: the registration form.
pub(super) async fn register_form(State(state): State<AppState>, visitor: Visitor) -> Response {
    if visitor.actor.is_some() {
        return Redirect::to("/me").into_response();
    }
    let token = visitor.anonymous_token();
    let page = render(
        &RegisterPage {
            csrf: &token,
            handle: "",
            errors: Errors::default(),
            disclaimer: DISCLAIMER,
        },
        StatusCode::OK,
    );
    anonymous_form(&state, &visitor, token, page)
}

/// `POST /register`: a new member, signed in, on to their profile.
pub(super) async fn register(
    State(state): State<AppState>,
    visitor: Visitor,
    ClientAddress(address): ClientAddress,
    form: Result<Form<CredentialsForm>, FormRejection>,
) -> Response {
    let form = match visitor.form(form) {
        Ok(form) => form,
        Err(page) => return page,
    };
    if let Err(page) = visitor.check_token(&form.csrf, true) {
        return page;
    }
    match state
        .community
        .register(&form.handle, &form.password, address.as_deref())
        .await
    {
        Ok(session) => {
            let jar = visitor
                .jar
                .add(session_cookie(session.token, state.secure_cookies));
            (jar, Redirect::to("/me/profile")).into_response()
        }
        Err(error) => {
            let (status, errors, retry_after) = match error {
                CommunityError::RateLimited { retry_after } => {
                    let minutes = retry_after.div_ceil(60).max(1);
                    let errors = Errors::on(
                        "",
                        format!(
                            "Too many accounts were registered from this network recently. Try again in \
                             {minutes} minute{}.",
                            if minutes == 1 { "" } else { "s" }
                        ),
                    );
                    (StatusCode::TOO_MANY_REQUESTS, errors, Some(retry_after))
                }
                error => match refusal(&visitor, error, "/register", |field| match field {
                    "handle" => Some(("handle", "Handle")),
                    "password" => Some(("password", "Password")),
                    _ => None,
                }) {
                    Ok((status, errors)) => (status, errors, None),
                    Err(page) => return page,
                },
            };
            let token = visitor.anonymous_token();
            let mut page = render(
                &RegisterPage {
                    csrf: &token,
                    handle: form.handle.trim(),
                    errors,
                    disclaimer: DISCLAIMER,
                },
                status,
            );
            if let Some(seconds) = retry_after {
                page.headers_mut().insert(header::RETRY_AFTER, seconds.into());
            }
            anonymous_form(&state, &visitor, token, page)
        }
    }
}

/// `GET /login?next=`: the sign-in form.
pub(super) async fn login_form(
    State(state): State<AppState>,
    visitor: Visitor,
    query: Result<StrictQuery<LoginParams>, ApiError>,
) -> Response {
    let params = match query {
        Ok(StrictQuery(params, _)) => params,
        Err(e) => return error_page(e),
    };
    let next = params
        .next
        .as_deref()
        .and_then(local_path)
        .unwrap_or("/me")
        .to_owned();
    if visitor.actor.is_some() {
        return Redirect::to(&next).into_response();
    }
    let token = visitor.anonymous_token();
    let page = render(
        &LoginPage {
            csrf: &token,
            handle: "",
            next: &next,
            errors: Errors::default(),
            disclaimer: DISCLAIMER,
        },
        StatusCode::OK,
    );
    anonymous_form(&state, &visitor, token, page)
}

/// `POST /login`: a new session, then back to `next`.
pub(super) async fn login(
    State(state): State<AppState>,
    visitor: Visitor,
    ClientAddress(address): ClientAddress,
    form: Result<Form<CredentialsForm>, FormRejection>,
) -> Response {
    let form = match visitor.form(form) {
        Ok(form) => form,
        Err(page) => return page,
    };
    if let Err(page) = visitor.check_token(&form.csrf, true) {
        return page;
    }
    let next = local_path(&form.next).unwrap_or("/me").to_owned();
    let result = state
        .community
        .login(&form.handle, &form.password, address.as_deref())
        .await;
    let (status, errors, retry_after) = match result {
        Ok(session) => {
            let jar = visitor
                .jar
                .add(session_cookie(session.token, state.secure_cookies));
            return (jar, Redirect::to(&next)).into_response();
        }
        Err(CommunityError::RateLimited { retry_after }) => {
            let minutes = retry_after.div_ceil(60).max(1);
            let errors = Errors::on(
                "",
                format!(
                    "Too many sign-in attempts for this handle or from this network. Wait {minutes} \
                     minute{} and try again; nothing you type before then is checked.",
                    if minutes == 1 { "" } else { "s" }
                ),
            );
            (StatusCode::TOO_MANY_REQUESTS, errors, Some(retry_after))
        }
        Err(error) => match refusal(&visitor, error, "/login", |field| match field {
            "handle" => Some(("handle", "Handle")),
            "password" => Some(("password", "Password")),
            _ => None,
        }) {
            Ok((status, errors)) => (status, errors, None),
            Err(page) => return page,
        },
    };
    let token = visitor.anonymous_token();
    let mut page = render(
        &LoginPage {
            csrf: &token,
            handle: form.handle.trim(),
            next: &next,
            errors,
            disclaimer: DISCLAIMER,
        },
        status,
    );
    if let Some(seconds) = retry_after {
        page.headers_mut().insert(header::RETRY_AFTER, seconds.into());
    }
    anonymous_form(&state, &visitor, token, page)
}

/// `POST /logout`: ends the session.
pub(super) async fn logout(
    State(state): State<AppState>,
    visitor: Visitor,
    form: Result<Form<TokenForm>, FormRejection>,
) -> Response {
    let form = match visitor.form(form) {
        Ok(form) => form,
        Err(page) => return page,
    };
    let jar = visitor
        .jar
        .clone()
        .add(cleared_session_cookie(state.secure_cookies));
    let Some(actor) = &visitor.actor else {
        return (jar, Redirect::to("/")).into_response();
    };
    if let Err(page) = visitor.check_token(&form.csrf, false) {
        return page;
    }
    if let Err(error) = state.community.logout(actor).await {
        return visitor.failure(error, "/me");
    }
    (jar, Redirect::to("/")).into_response()
}

// ---- the member's own pages --------------------------------------------------------------------

#[derive(Template)]
#[template(path = "community_me.html")]
struct DashboardPage<'a> {
    handle: &'a str,
    role: &'static str,
    moderator: bool,
    admin: bool,
    joined: Vec<GroupView>,
    csrf: &'a str,
    disclaimer: &'a str,
}

/// `GET /me`: the member's dashboard.
pub(super) async fn dashboard(State(state): State<AppState>, visitor: Visitor) -> Response {
    let actor = match visitor.member("/me") {
        Ok(actor) => actor,
        Err(page) => return page,
    };
    let joined = match state.community.groups(Some(actor), &state.kindred).await {
        Ok(groups) => groups.into_iter().filter(|g| g.joined).collect(),
        Err(error) => return visitor.failure(error, "/me"),
    };
    render(
        &DashboardPage {
            handle: &actor.member.handle,
            role: role_label(actor.member.role),
            moderator: actor.member.role.can_moderate(),
            admin: actor.member.role.can_appoint(),
            joined,
            csrf: visitor.csrf(),
            disclaimer: DISCLAIMER,
        },
        StatusCode::OK,
    )
}
// ---- account settings --------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "community_account.html")]
struct AccountPage<'a> {
    handle: &'a str,
    csrf: &'a str,
    /// What was just done, for the status message.
    done: &'a str,
    password_errors: Errors,
    delete_errors: Errors,
    disclaimer: &'a str,
}

/// `GET /me/account`: password, data export and account deletion.
pub(super) async fn account(visitor: Visitor, query: Result<StrictQuery<DoneParams>, ApiError>) -> Response {
    let params = match query {
        Ok(StrictQuery(params, _)) => params,
        Err(e) => return error_page(e),
    };
    let actor = match visitor.member("/me/account") {
        Ok(actor) => actor,
        Err(page) => return page,
    };
    let done = match params.done.as_deref() {
        Some("password") => "password",
        _ => "",
    };
    render(
        &AccountPage {
            handle: &actor.member.handle,
            csrf: &actor.csrf_token,
            done,
            password_errors: Errors::default(),
            delete_errors: Errors::default(),
            disclaimer: DISCLAIMER,
        },
        StatusCode::OK,
    )
}

/// The password change form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct PasswordForm {
    csrf: String,
    current_password: String,
    new_password: String,
}

/// `POST /me/password`: a new password; other sessions end.
pub(super) async fn change_password(
    State(state): State<AppState>,
    visitor: Visitor,
    form: Result<Form<PasswordForm>, FormRejection>,
) -> Response {
    let actor = match visitor.member("/me/account") {
        Ok(actor) => actor,
        Err(page) => return page,
    };
    let form = match visitor.form(form) {
        Ok(form) => form,
        Err(page) => return page,
    };
    if let Err(page) = visitor.check_token(&form.csrf, false) {
        return page;
    }
    let result = state
        .community
        .change_password(actor, &form.current_password, &form.new_password)
        .await;
    match result {
        Ok(()) => Redirect::to("/me/account?done=password").into_response(),
        Err(error) => {
            let place = |field: &str| match field {
                "current_password" => Some(("current-password", "Current password")),
                "password" => Some(("new-password", "New password")),
                _ => None,
            };
            match refusal(&visitor, error, "/me/account", place) {
                Ok((status, errors)) => render(
                    &AccountPage {
                        handle: &actor.member.handle,
                        csrf: &actor.csrf_token,
                        done: "",
                        password_errors: errors,
                        delete_errors: Errors::default(),
                        disclaimer: DISCLAIMER,
                    },
                    status,
                ),
                Err(page) => page,
            }
        }
    }
}

/// The account deletion form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct DeleteForm {
    csrf: String,
    password: String,
}

/// `POST /me/delete`: erases the account after the password check.
pub(super) async fn delete_account(
    State(state): State<AppState>,
    visitor: Visitor,
    form: Result<Form<DeleteForm>, FormRejection>,
) -> Response {
    let actor = match visitor.member("/me/account") {
        Ok(actor) => actor,
        Err(page) => return page,
    };
    let form = match visitor.form(form) {
        Ok(form) => form,
        Err(page) => return page,
    };
    if let Err(page) = visitor.check_token(&form.csrf, false) {
        return page;
    }
    match state.community.delete_account(actor, &form.password).await {
        Ok(()) => {
            let jar = visitor
                .jar
                .clone()
                .add(cleared_session_cookie(state.secure_cookies));
            (jar, Redirect::to("/account-deleted")).into_response()
        }
        Err(error) => {
            let place = |field: &str| match field {
                "current_password" => Some(("delete-password", "Password")),
                _ => None,
            };
            match refusal(&visitor, error, "/me/account", place) {
                Ok((status, errors)) => render(
                    &AccountPage {
                        handle: &actor.member.handle,
                        csrf: &actor.csrf_token,
                        done: "",
                        password_errors: Errors::default(),
                        delete_errors: errors,
                        disclaimer: DISCLAIMER,
                    },
                    status,
                ),
                Err(page) => page,
            }
        }
    }
}

#[derive(Template)]
#[template(path = "community_deleted.html")]
struct DeletedPage<'a> {
    disclaimer: &'a str,
}

/// `GET /account-deleted`: what happened after an account was erased.
pub(super) async fn account_deleted() -> Response {
    render(
        &DeletedPage {
            disclaimer: DISCLAIMER,
        },
        StatusCode::OK,
    )
}
