//! Groups, their posts newest first, threads with replies, and the forms on them: join and leave,
//! new posts and replies (Markdown, rendered safe by the service), reports, and moderators' hide
//! and restore.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::{Form, FormRejection};
use kindred_app::community::{CommunityError, GroupView, PostView, ThreadView};
use serde::Deserialize;

use super::moderation::moderation_page;
use super::{
    DISCLAIMER, Errors, TokenForm, Visitor, author_has_page, condition_name, encode, error_page, human_date,
    machine_date, refusal, render, sentence,
};
use crate::api::{StrictPath, StrictQuery};
use crate::community_api::{POSTS_PER_PAGE, post_id};
use crate::error::ApiError;
use crate::state::AppState;

// ---- groups and posts --------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "community_groups.html")]
struct GroupsPage<'a> {
    groups: Vec<GroupView>,
    signed_in: bool,
    disclaimer: &'a str,
}

/// `GET /groups`: the groups.
pub(super) async fn groups(State(state): State<AppState>, visitor: Visitor) -> Response {
    match state
        .community
        .groups(visitor.actor.as_ref(), &state.kindred)
        .await
    {
        Ok(groups) => render(
            &GroupsPage {
                groups,
                signed_in: visitor.actor.is_some(),
                disclaimer: DISCLAIMER,
            },
            StatusCode::OK,
        ),
        Err(error) => visitor.failure(error, "/groups"),
    }
}

/// A post as listed or shown, with its dates for people.
#[derive(Debug, Clone)]
struct PostItem {
    post: PostView,
    date: String,
    datetime: String,
    author_page: bool,
}

impl From<PostView> for PostItem {
    fn from(post: PostView) -> PostItem {
        PostItem {
            date: human_date(post.created_at),
            datetime: machine_date(post.created_at),
            author_page: author_has_page(&post.author),
            post,
        }
    }
}

/// Parameters of `/groups/{slug}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct GroupParams {
    before: Option<i64>,
}

#[derive(Template)]
#[template(path = "community_group.html")]
struct GroupPage<'a> {
    group: GroupView,
    posts: Vec<PostItem>,
    /// The id to page back from, when there may be older posts.
    older: Option<i64>,
    paged: bool,
    signed_in: bool,
    csrf: &'a str,
    title: &'a str,
    body: &'a str,
    errors: Errors,
    disclaimer: &'a str,
}

/// The group page's data: the group and a page of its posts.
async fn group_data(
    state: &AppState,
    visitor: &Visitor,
    slug: &str,
    before: Option<i64>,
) -> Result<(GroupView, Vec<PostItem>, Option<i64>), Response> {
    let next = format!("/groups/{slug}");
    let community = &state.community;
    let group = match community
        .group(visitor.actor.as_ref(), &state.kindred, slug)
        .await
    {
        Ok(group) => group,
        Err(CommunityError::NotFound { .. }) => {
            return Err(visitor.page_error(ApiError::not_found(format!(
                "Kindred has no group called “{slug}”."
            ))));
        }
        Err(error) => return Err(visitor.failure(error, &next)),
    };
    let posts = community
        .posts(visitor.actor.as_ref(), slug, before, POSTS_PER_PAGE)
        .await
        .map_err(|error| visitor.failure(error, &next))?;
    let older = (posts.len() == POSTS_PER_PAGE as usize)
        .then(|| posts.last().map(|p| p.id))
        .flatten();
    Ok((group, posts.into_iter().map(PostItem::from).collect(), older))
}

/// `GET /groups/{slug}`: a group, its posts newest first, and the new-post form.
pub(super) async fn group(
    State(state): State<AppState>,
    visitor: Visitor,
    path: Result<StrictPath, ApiError>,
    query: Result<StrictQuery<GroupParams>, ApiError>,
) -> Response {
    let (StrictPath(slug, _), StrictQuery(params, _)) = match (path, query) {
        (Ok(path), Ok(query)) => (path, query),
        (Err(e), _) | (_, Err(e)) => return error_page(e),
    };
    let (group, posts, older) = match group_data(&state, &visitor, &slug, params.before).await {
        Ok(data) => data,
        Err(page) => return page,
    };
    render(
        &GroupPage {
            group,
            posts,
            older,
            paged: params.before.is_some(),
            signed_in: visitor.actor.is_some(),
            csrf: visitor.csrf(),
            title: "",
            body: "",
            errors: Errors::default(),
            disclaimer: DISCLAIMER,
        },
        StatusCode::OK,
    )
}

/// `POST /groups/{slug}/join` and `/leave`.
async fn membership(
    state: AppState,
    visitor: Visitor,
    path: Result<StrictPath, ApiError>,
    form: Result<Form<TokenForm>, FormRejection>,
    join: bool,
) -> Response {
    let StrictPath(slug, _) = match path {
        Ok(path) => path,
        Err(e) => return error_page(e),
    };
    let back = format!("/groups/{slug}");
    let actor = match visitor.member(&back) {
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
    match state
        .community
        .set_membership(actor, &state.kindred, &slug, join)
        .await
    {
        Ok(()) => Redirect::to(&format!("/groups/{}", encode(&slug))).into_response(),
        Err(error) => visitor.failure(error, &back),
    }
}

/// `POST /groups/{slug}/join`.
pub(super) async fn join(
    State(state): State<AppState>,
    visitor: Visitor,
    path: Result<StrictPath, ApiError>,
    form: Result<Form<TokenForm>, FormRejection>,
) -> Response {
    membership(state, visitor, path, form, true).await
}

/// `POST /groups/{slug}/leave`.
pub(super) async fn leave(
    State(state): State<AppState>,
    visitor: Visitor,
    path: Result<StrictPath, ApiError>,
    form: Result<Form<TokenForm>, FormRejection>,
) -> Response {
    membership(state, visitor, path, form, false).await
}

/// The new-post form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct PostForm {
    csrf: String,
    title: String,
    body: String,
}

/// `POST /groups/{slug}/posts`: a new post, then its page.
pub(super) async fn create_post(
    State(state): State<AppState>,
    visitor: Visitor,
    path: Result<StrictPath, ApiError>,
    form: Result<Form<PostForm>, FormRejection>,
) -> Response {
    let StrictPath(slug, _) = match path {
        Ok(path) => path,
        Err(e) => return error_page(e),
    };
    let back = format!("/groups/{slug}");
    let actor = match visitor.member(&back) {
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
        .create_post(actor, &state.kindred, &slug, &form.title, &form.body)
        .await;
    let error = match result {
        Ok(id) => return Redirect::to(&format!("/posts/{}", id.0)).into_response(),
        Err(error) => error,
    };
    let place = |field: &str| match field {
        "title" => Some(("post-title", "Title")),
        "body" | "markdown" => Some(("post-body", "Post")),
        _ => None,
    };
    let (status, errors) = match refusal(&visitor, error, &back, place) {
        Ok(refused) => refused,
        Err(page) => return page,
    };
    let (group, posts, older) = match group_data(&state, &visitor, &slug, None).await {
        Ok(data) => data,
        Err(page) => return page,
    };
    render(
        &GroupPage {
            group,
            posts,
            older,
            paged: false,
            signed_in: true,
            csrf: visitor.csrf(),
            title: &form.title,
            body: &form.body,
            errors,
            disclaimer: DISCLAIMER,
        },
        status,
    )
}

/// Parameters of `/posts/{id}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ThreadParams {
    done: Option<String>,
}

#[derive(Template)]
#[template(path = "community_thread.html")]
struct ThreadPage<'a> {
    post: PostItem,
    replies: Vec<PostItem>,
    group_name: String,
    signed_in: bool,
    moderator: bool,
    csrf: &'a str,
    /// What was just done, for the status message: `reported`, `hidden`, `restored`.
    done: &'a str,
    /// The reply being written.
    reply: &'a str,
    /// The post whose report or moderation form the errors are about (its form starts open).
    open_form: Option<i64>,
    /// The reason typed into that form.
    reason: &'a str,
    errors: Errors,
    disclaimer: &'a str,
}

impl ThreadPage<'_> {
    /// Whether the form `id` (a report or moderation reason) of post `post` starts open: it was
    /// refused.
    fn form_open(&self, post: &i64, id: &str) -> bool {
        self.open_form == Some(*post) && self.errors.field() == id
    }

    /// What was typed into the form `id` of post `post`, when it is shown again.
    fn reason_for(&self, post: &i64, id: &str) -> &str {
        if self.form_open(post, id) { self.reason } else { "" }
    }
}

/// A thread's page, with a form's refusal or nothing.
struct ThreadForm<'a> {
    done: &'a str,
    reply: &'a str,
    open_form: Option<i64>,
    reason: &'a str,
    errors: Errors,
    status: StatusCode,
}

impl Default for ThreadForm<'_> {
    fn default() -> Self {
        ThreadForm {
            done: "",
            reply: "",
            open_form: None,
            reason: "",
            errors: Errors::default(),
            status: StatusCode::OK,
        }
    }
}

async fn thread_page(state: &AppState, visitor: &Visitor, id: i64, form: ThreadForm<'_>) -> Response {
    let next = format!("/posts/{id}");
    let thread: ThreadView = match state.community.thread(visitor.actor.as_ref(), id).await {
        Ok(thread) => thread,
        Err(CommunityError::NotFound { .. }) => {
            return visitor.page_error(ApiError::not_found(
                "There is no post at this address: it may have been hidden by a moderator.",
            ));
        }
        Err(error) => return visitor.failure(error, &next),
    };
    let group_name = condition_name(&state.kindred, &thread.post.group);
    render(
        &ThreadPage {
            post: PostItem::from(thread.post),
            replies: thread.replies.into_iter().map(PostItem::from).collect(),
            group_name,
            signed_in: visitor.actor.is_some(),
            moderator: visitor
                .actor
                .as_ref()
                .is_some_and(|a| a.member.role.can_moderate()),
            csrf: visitor.csrf(),
            done: form.done,
            reply: form.reply,
            open_form: form.open_form,
            reason: form.reason,
            errors: form.errors,
            disclaimer: DISCLAIMER,
        },
        form.status,
    )
}

/// `GET /posts/{id}`: a thread, with the reply, report and moderation forms.
pub(super) async fn thread(
    State(state): State<AppState>,
    visitor: Visitor,
    path: Result<StrictPath, ApiError>,
    query: Result<StrictQuery<ThreadParams>, ApiError>,
) -> Response {
    let (StrictPath(raw, request), StrictQuery(params, _)) = match (path, query) {
        (Ok(path), Ok(query)) => (path, query),
        (Err(e), _) | (_, Err(e)) => return error_page(e),
    };
    let id = match post_id(&raw, &request) {
        Ok(id) => id,
        Err(e) => return error_page(e),
    };
    let done = match params.done.as_deref() {
        Some("reported") => "reported",
        Some("hidden") => "hidden",
        Some("restored") => "restored",
        _ => "",
    };
    thread_page(
        &state,
        &visitor,
        id,
        ThreadForm {
            done,
            ..ThreadForm::default()
        },
    )
    .await
}

/// The reply form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct ReplyForm {
    csrf: String,
    body: String,
}

/// The post id in a path, and the thread page to come back to.
fn post_path(visitor: &Visitor, path: Result<StrictPath, ApiError>) -> Result<(i64, String), Response> {
    let StrictPath(raw, request) = path.map_err(error_page)?;
    let id = post_id(&raw, &request).map_err(|e| visitor.page_error(e))?;
    Ok((id, format!("/posts/{id}")))
}

/// `POST /posts/{id}/replies`: a reply, then the thread.
pub(super) async fn reply(
    State(state): State<AppState>,
    visitor: Visitor,
    path: Result<StrictPath, ApiError>,
    form: Result<Form<ReplyForm>, FormRejection>,
) -> Response {
    let (id, back) = match post_path(&visitor, path) {
        Ok(found) => found,
        Err(page) => return page,
    };
    let actor = match visitor.member(&back) {
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
    let error = match state.community.reply(actor, id, &form.body).await {
        Ok(reply) => return Redirect::to(&format!("{back}#post-{}", reply.0)).into_response(),
        Err(error) => error,
    };
    let place = |field: &str| match field {
        "body" | "markdown" | "post" => Some(("reply-body", "Reply")),
        _ => None,
    };
    match refusal(&visitor, error, &back, place) {
        Ok((status, errors)) => {
            thread_page(
                &state,
                &visitor,
                id,
                ThreadForm {
                    reply: &form.body,
                    errors,
                    status,
                    ..ThreadForm::default()
                },
            )
            .await
        }
        Err(page) => page,
    }
}

/// The report and moderation forms.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct ReasonForm {
    csrf: String,
    reason: String,
    /// `hide` or `restore` (moderation only).
    action: String,
    /// The thread the form is on (a reply's page is its thread's).
    thread: Option<i64>,
    /// `moderation` when sent from the moderation page.
    from: String,
}

/// `POST /posts/{id}/report`: a report to the moderators.
pub(super) async fn report(
    State(state): State<AppState>,
    visitor: Visitor,
    path: Result<StrictPath, ApiError>,
    form: Result<Form<ReasonForm>, FormRejection>,
) -> Response {
    let (id, back) = match post_path(&visitor, path) {
        Ok(found) => found,
        Err(page) => return page,
    };
    let actor = match visitor.member(&back) {
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
    let thread = form.thread.filter(|t| *t > 0).unwrap_or(id);
    let error = match state.community.report(actor, id, &form.reason).await {
        Ok(()) => {
            return Redirect::to(&format!("/posts/{thread}?done=reported#post-{id}")).into_response();
        }
        Err(error) => error,
    };
    let reason_id = format!("report-reason-{id}");
    let (status, errors) = match error {
        CommunityError::Invalid { message, .. } => (
            StatusCode::BAD_REQUEST,
            Errors::on(reason_id, sentence("Reason", &message)),
        ),
        other => return visitor.failure(other, &back),
    };
    thread_page(
        &state,
        &visitor,
        thread,
        ThreadForm {
            open_form: Some(id),
            reason: &form.reason,
            errors,
            status,
            ..ThreadForm::default()
        },
    )
    .await
}

/// `POST /posts/{id}/moderation`: hides or restores a post (moderators).
pub(super) async fn moderate(
    State(state): State<AppState>,
    visitor: Visitor,
    path: Result<StrictPath, ApiError>,
    form: Result<Form<ReasonForm>, FormRejection>,
) -> Response {
    let (id, back) = match post_path(&visitor, path) {
        Ok(found) => found,
        Err(page) => return page,
    };
    let actor = match visitor.member(&back) {
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
    let hide = match form.action.as_str() {
        "hide" => true,
        "restore" => false,
        _ => {
            return visitor.page_error(ApiError::bad_request(
                "bad_form",
                "The moderation form must say whether to hide or restore the post.",
            ));
        }
    };
    let thread = form.thread.filter(|t| *t > 0).unwrap_or(id);
    let from_moderation = form.from == "moderation";
    let error = match state.community.moderate(actor, id, hide, &form.reason).await {
        Ok(()) => {
            let to = if from_moderation {
                "/moderation?done=hidden".to_owned()
            } else if hide && thread == id {
                // A hidden first post hides its thread from members; moderators still see it.
                format!("/posts/{thread}?done=hidden")
            } else {
                let done = if hide { "hidden" } else { "restored" };
                format!("/posts/{thread}?done={done}#post-{id}")
            };
            return Redirect::to(&to).into_response();
        }
        Err(error) => error,
    };
    let reason_id = format!("moderation-reason-{id}");
    let (status, errors) = match error {
        CommunityError::Invalid { message, .. } => (
            StatusCode::BAD_REQUEST,
            Errors::on(reason_id, sentence("Reason", &message)),
        ),
        other => return visitor.failure(other, &back),
    };
    if from_moderation {
        return moderation_page(
            &state,
            &visitor,
            actor,
            "",
            Some((id, &form.reason)),
            errors,
            status,
        )
        .await;
    }
    thread_page(
        &state,
        &visitor,
        thread,
        ThreadForm {
            open_form: Some(id),
            reason: &form.reason,
            errors,
            status,
            ..ThreadForm::default()
        },
    )
    .await
}
