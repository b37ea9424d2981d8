//! Moderation (open reports with hide forms, and the audit log) and administration (members'
//! roles).

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::{Form, FormRejection};
use kindred_app::community::{Actor, CommunityError};
use kindred_auth::Role;
use kindred_store::{AuditRecord, ReportRecord};
use serde::Deserialize;

use super::{
    Choice, DISCLAIMER, DoneParams, Errors, Visitor, error_page, human_date, render, role_label, sentence,
};
use crate::api::StrictQuery;
use crate::error::ApiError;
use crate::state::AppState;

// ---- moderation and administration -------------------------------------------------------------

/// An open report, as listed, with what it is about.
#[derive(Debug, Clone)]
struct ReportItem {
    report: ReportRecord,
    date: String,
    /// The page of the reported post or reply (its thread, at its place).
    link: String,
    /// The thread's title.
    title: String,
    /// Whether a reply was reported (not the thread's first post).
    reply: bool,
    /// Who wrote it.
    author: String,
}

/// An audit log entry, as listed.
#[derive(Debug, Clone)]
struct AuditItem {
    entry: AuditRecord,
    action: &'static str,
    date: String,
}

fn audit_action(action: &str) -> &'static str {
    match action {
        "hide-post" => "hid post",
        "show-post" => "restored post",
        "set-role" => "changed the role of",
        _ => "acted on",
    }
}

#[derive(Template)]
#[template(path = "community_moderation.html")]
struct ModerationPage<'a> {
    reports: Vec<ReportItem>,
    audit: Vec<AuditItem>,
    csrf: &'a str,
    done: &'a str,
    /// The report's post whose form the errors are about, and the reason typed.
    open_form: Option<i64>,
    reason: &'a str,
    errors: Errors,
    disclaimer: &'a str,
}

impl ModerationPage<'_> {
    /// Whether the hide form of post `post` was refused (it starts open, with the reason kept).
    fn is_open(&self, post: &i64) -> bool {
        self.open_form == Some(*post)
    }
}

pub(super) async fn moderation_page(
    state: &AppState,
    visitor: &Visitor,
    actor: &Actor,
    done: &str,
    refused: Option<(i64, &str)>,
    errors: Errors,
    status: StatusCode,
) -> Response {
    let reports = match state.community.reports(actor).await {
        Ok(reports) => reports,
        Err(error) => return visitor.failure(error, "/moderation"),
    };
    let audit = match state.community.audit_log(actor).await {
        Ok(audit) => audit,
        Err(error) => return visitor.failure(error, "/moderation"),
    };
    let mut items = Vec::with_capacity(reports.len());
    for report in reports {
        let post = report.post.0;
        let (link, title, reply, author) = match state.community.thread(Some(actor), post).await {
            Ok(thread) => {
                let root = thread.post.id;
                let author = if root == post {
                    thread.post.author.clone()
                } else {
                    thread
                        .replies
                        .iter()
                        .find(|r| r.id == post)
                        .map_or_else(String::new, |r| r.author.clone())
                };
                let link = if root == post {
                    format!("/posts/{root}")
                } else {
                    format!("/posts/{root}#post-{post}")
                };
                (link, thread.post.title, root != post, author)
            }
            Err(CommunityError::NotFound { .. }) => (
                format!("/posts/{post}"),
                format!("Post {post}"),
                false,
                String::new(),
            ),
            Err(error) => return visitor.failure(error, "/moderation"),
        };
        items.push(ReportItem {
            date: human_date(report.created_at),
            report,
            link,
            title,
            reply,
            author,
        });
    }
    render(
        &ModerationPage {
            reports: items,
            audit: audit
                .into_iter()
                .map(|entry| AuditItem {
                    action: audit_action(&entry.action),
                    date: human_date(entry.created_at),
                    entry,
                })
                .collect(),
            csrf: &actor.csrf_token,
            done,
            open_form: refused.map(|(id, _)| id),
            reason: refused.map_or("", |(_, reason)| reason),
            errors,
            disclaimer: DISCLAIMER,
        },
        status,
    )
}

/// `GET /moderation`: open reports and the audit log (moderators).
pub(super) async fn moderation(
    State(state): State<AppState>,
    visitor: Visitor,
    query: Result<StrictQuery<DoneParams>, ApiError>,
) -> Response {
    let params = match query {
        Ok(StrictQuery(params, _)) => params,
        Err(e) => return error_page(e),
    };
    let actor = match visitor.member("/moderation") {
        Ok(actor) => actor,
        Err(page) => return page,
    };
    let done = match params.done.as_deref() {
        Some("hidden") => "hidden",
        _ => "",
    };
    moderation_page(
        &state,
        &visitor,
        actor,
        done,
        None,
        Errors::default(),
        StatusCode::OK,
    )
    .await
}

#[derive(Template)]
#[template(path = "community_admin.html")]
struct AdminPage<'a> {
    csrf: &'a str,
    handle: &'a str,
    role: &'a str,
    roles: Vec<Choice>,
    done: &'a str,
    errors: Errors,
    disclaimer: &'a str,
}

fn roles() -> Vec<Choice> {
    [Role::Member, Role::Moderator, Role::Admin]
        .into_iter()
        .map(|role| Choice {
            key: role.key().to_owned(),
            label: role_label(role).to_owned(),
        })
        .collect()
}

/// `GET /admin`: the role form (administrators).
pub(super) async fn admin(visitor: Visitor, query: Result<StrictQuery<DoneParams>, ApiError>) -> Response {
    let params = match query {
        Ok(StrictQuery(params, _)) => params,
        Err(e) => return error_page(e),
    };
    let actor = match visitor.member("/admin") {
        Ok(actor) => actor,
        Err(page) => return page,
    };
    if !actor.member.role.can_appoint() {
        return visitor.failure(CommunityError::Forbidden, "/admin");
    }
    let done = match params.done.as_deref() {
        Some("role") => "role",
        _ => "",
    };
    render(
        &AdminPage {
            csrf: &actor.csrf_token,
            handle: "",
            role: "moderator",
            roles: roles(),
            done,
            errors: Errors::default(),
            disclaimer: DISCLAIMER,
        },
        StatusCode::OK,
    )
}

/// The role form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct RoleForm {
    csrf: String,
    handle: String,
    role: String,
}

/// `POST /admin/role`: sets a member's role (administrators).
pub(super) async fn set_role(
    State(state): State<AppState>,
    visitor: Visitor,
    form: Result<Form<RoleForm>, FormRejection>,
) -> Response {
    let actor = match visitor.member("/admin") {
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
    if !actor.member.role.can_appoint() {
        return visitor.failure(CommunityError::Forbidden, "/admin");
    }
    let refused = |errors: Errors| {
        render(
            &AdminPage {
                csrf: &actor.csrf_token,
                handle: form.handle.trim(),
                role: &form.role,
                roles: roles(),
                done: "",
                errors,
                disclaimer: DISCLAIMER,
            },
            StatusCode::BAD_REQUEST,
        )
    };
    let Some(role) = Role::from_key(&form.role) else {
        return refused(Errors::on("role", "Role: choose one of the options."));
    };
    match state.community.set_role(actor, &form.handle, role).await {
        Ok(()) => Redirect::to("/admin?done=role").into_response(),
        Err(CommunityError::NotFound { .. }) => refused(Errors::on(
            "role-handle",
            format!("Handle: no member has the handle “{}”.", form.handle.trim()),
        )),
        Err(CommunityError::Invalid { message, .. }) => {
            refused(Errors::on("role-handle", sentence("Handle", &message)))
        }
        Err(error) => visitor.failure(error, "/admin"),
    }
}
