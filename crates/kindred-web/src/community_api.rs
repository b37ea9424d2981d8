//! The community's JSON API under `/api/v1`: accounts, the session, the member's own profile,
//! export and deletion, member pages, Alikes, groups, posts, moderation and member-reported
//! outcomes. Every rule lives in `kindred_app::community`; these handlers translate HTTP.

use std::net::{IpAddr, SocketAddr};

use axum::Json;
use axum::extract::connect_info::ConnectInfo;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::CookieJar;
use kindred_app::community::{
    AlikeView, GroupView, MemberView, NewSession, PostView, ThreadView, WisdomView,
};
use kindred_auth::Role;
use kindred_community::profile::Profile;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::{StrictPath, StrictQuery, request_id};
use crate::error::{ApiError, ErrorBody};
use crate::session::{ApiActor, JsonBody, MaybeActor, cleared_session_cookie, session_cookie};
use crate::state::AppState;

type ApiResult<T> = Result<T, ApiError>;

/// The client's address, for the sign-in and registration throttles: the socket's peer, or, when
/// the peer is a trusted proxy (`--trusted-proxy`), the address the proxies say they forwarded
/// for. An IPv6 address is cut to its /64, one subscriber's network. `None` only when there is no
/// socket (in-process tests).
pub(crate) struct ClientAddress(pub Option<String>);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|info| info.0.ip());
        Ok(ClientAddress(peer.map(|peer| {
            throttle_key(client_ip(peer, &parts.headers, &state.trusted_proxies))
        })))
    }
}

/// The client behind `peer`: `peer` itself unless it is a trusted proxy; then, walking the
/// forwarded chain from the nearest hop, the first address that is not a trusted proxy. Hops a
/// client wrote itself (the left of the chain) are never reached while a real client address
/// stands to their right. A chain the proxies left unreadable gives the proxy's own address.
fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted: &[ipnet::IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let chain = forwarded_chain(headers);
    let mut nearest_proxy = peer;
    for hop in chain.iter().rev() {
        match hop {
            Some(ip) if is_trusted(ip) => nearest_proxy = *ip,
            Some(ip) => return *ip,
            None => return nearest_proxy,
        }
    }
    nearest_proxy
}

/// The forwarded-for chain, farthest first: RFC 7239 `Forwarded` if present, else
/// `X-Forwarded-For`. `None` marks a hop that is not an address (`unknown`, an obfuscated name,
/// garbage).
fn forwarded_chain(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    let forwarded: Vec<&str> = headers
        .get_all(header::FORWARDED)
        .iter()
        .map(|v| v.to_str().unwrap_or(""))
        .collect();
    if !forwarded.is_empty() {
        return forwarded
            .iter()
            .flat_map(|line| line.split(','))
            .map(|element| {
                element.split(';').find_map(|pair| {
                    let (name, value) = pair.trim().split_once('=')?;
                    name.trim()
                        .eq_ignore_ascii_case("for")
                        .then(|| parse_hop(value.trim().trim_matches('"')))
                })?
            })
            .collect();
    }
    headers
        .get_all("x-forwarded-for")
        .iter()
        .flat_map(|v| v.to_str().unwrap_or("").split(','))
        .map(|hop| parse_hop(hop.trim()))
        .collect()
}

/// One hop: `192.0.2.1`, `192.0.2.1:4711`, `2001:db8::1` or `[2001:db8::1]:4711`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    hop.parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<SocketAddr>().ok().map(|s| s.ip()))
        .or_else(|| hop.strip_prefix('[')?.strip_suffix(']')?.parse().ok())
}

/// The throttle key for an address: IPv4 as is, IPv6 cut to its /64.
fn throttle_key(ip: IpAddr) -> String {
    match ip.to_canonical() {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => ipnet::Ipv6Net::new(v6, 64)
            .map(|net| net.trunc().to_string())
            .unwrap_or_else(|_| v6.to_string()),
    }
}

/// A handle and password.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Credentials {
    /// Pseudonymous handle: 3–30 letters, digits, `-` or `_`.
    pub handle: String,
    /// At least 10 characters.
    pub password: String,
}

/// The signed-in member, with the token unsafe calls must send as `X-CSRF-Token`.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionJson {
    /// Handle.
    pub handle: String,
    /// `member`, `moderator` or `admin`.
    pub role: String,
    /// Send this as the `X-CSRF-Token` header on POST, PUT and DELETE calls.
    pub csrf_token: String,
}

fn signed_in(state: &AppState, jar: CookieJar, session: NewSession, status: StatusCode) -> Response {
    let body = SessionJson {
        handle: session.member.handle,
        role: session.member.role.key().to_owned(),
        csrf_token: session.csrf_token,
    };
    let jar = jar.add(session_cookie(session.token, state.secure_cookies));
    (status, jar, Json(body)).into_response()
}

fn community_error(id: &str) -> impl FnOnce(kindred_app::community::CommunityError) -> ApiError + '_ {
    move |e| ApiError::community(e).with_request_id(id)
}

/// Register a member (and sign them in).
#[utoipa::path(post, path = "/api/v1/accounts", request_body = Credentials, tag = "accounts",
    responses((status = 201, body = SessionJson, description = "Registered and signed in; sets the session cookie"),
        (status = 400, body = ErrorBody), (status = 409, body = ErrorBody, description = "Handle taken"),
        (status = 429, body = ErrorBody, description = "Too many registrations from this address, or sign-ins at once; see Retry-After")))]
pub async fn register(
    State(state): State<AppState>,
    jar: CookieJar,
    RequestId(id): RequestId,
    ClientAddress(address): ClientAddress,
    JsonBody(credentials): JsonBody<Credentials>,
) -> ApiResult<Response> {
    let session = state
        .community
        .register(&credentials.handle, &credentials.password, address.as_deref())
        .await
        .map_err(community_error(&id))?;
    Ok(signed_in(&state, jar, session, StatusCode::CREATED))
}

/// Sign in: a new session every time.
#[utoipa::path(post, path = "/api/v1/session", request_body = Credentials, tag = "accounts",
    responses((status = 200, body = SessionJson, description = "Signed in; sets the session cookie"),
        (status = 401, body = ErrorBody), (status = 429, body = ErrorBody, description = "Too many sign-in attempts for this handle or address, or at once; see Retry-After")))]
pub async fn login(
    State(state): State<AppState>,
    jar: CookieJar,
    RequestId(id): RequestId,
    ClientAddress(address): ClientAddress,
    JsonBody(credentials): JsonBody<Credentials>,
) -> ApiResult<Response> {
    let session = state
        .community
        .login(&credentials.handle, &credentials.password, address.as_deref())
        .await
        .map_err(community_error(&id))?;
    Ok(signed_in(&state, jar, session, StatusCode::OK))
}

/// Sign out.
#[utoipa::path(delete, path = "/api/v1/session", tag = "accounts",
    responses((status = 204, description = "Signed out"), (status = 401, body = ErrorBody)))]
pub async fn logout(
    State(state): State<AppState>,
    jar: CookieJar,
    ApiActor(actor, id): ApiActor,
) -> ApiResult<Response> {
    state
        .community
        .logout(&actor)
        .await
        .map_err(community_error(&id))?;
    let jar = jar.add(cleared_session_cookie(state.secure_cookies));
    Ok((StatusCode::NO_CONTENT, jar).into_response())
}

/// The signed-in member.
#[utoipa::path(get, path = "/api/v1/me", tag = "me",
    responses((status = 200, body = SessionJson), (status = 401, body = ErrorBody)))]
pub async fn me(ApiActor(actor, _): ApiActor) -> Json<SessionJson> {
    Json(SessionJson {
        handle: actor.member.handle,
        role: actor.member.role.key().to_owned(),
        csrf_token: actor.csrf_token,
    })
}

/// The member's own profile, whole, with each field's visibility.
#[utoipa::path(get, path = "/api/v1/me/profile", tag = "me",
    responses((status = 200, body = Object, description = "The profile"), (status = 401, body = ErrorBody)))]
pub async fn own_profile(
    State(state): State<AppState>,
    ApiActor(actor, id): ApiActor,
) -> ApiResult<Json<Profile>> {
    state
        .community
        .own_profile(&actor)
        .await
        .map(Json)
        .map_err(community_error(&id))
}

/// Replace the member's profile. Every field defaults to private.
#[utoipa::path(put, path = "/api/v1/me/profile", tag = "me", request_body = Object,
    responses((status = 200, body = Object, description = "The saved profile"), (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn save_profile(
    State(state): State<AppState>,
    ApiActor(actor, id): ApiActor,
    JsonBody(profile): JsonBody<Profile>,
) -> ApiResult<Json<Profile>> {
    state
        .community
        .save_profile(&actor, &state.kindred, profile)
        .await
        .map_err(community_error(&id))?;
    own_profile(State(state), ApiActor(actor, id)).await
}

/// The member's Alikes: similar members who opted in, with why.
#[utoipa::path(get, path = "/api/v1/me/alikes", tag = "me",
    responses((status = 200, body = [AlikeView]), (status = 401, body = ErrorBody)))]
pub async fn alikes(
    State(state): State<AppState>,
    ApiActor(actor, id): ApiActor,
) -> ApiResult<Json<Vec<AlikeView>>> {
    state
        .community
        .alikes(&actor, &state.kindred)
        .await
        .map(Json)
        .map_err(community_error(&id))
}

/// Everything Kindred holds about the member, as JSON.
#[utoipa::path(get, path = "/api/v1/me/export", tag = "me",
    responses((status = 200, body = Object, description = "The export"), (status = 401, body = ErrorBody)))]
pub async fn export(State(state): State<AppState>, ApiActor(actor, id): ApiActor) -> ApiResult<Response> {
    let export = crate::member_export(&state, &actor)
        .await
        .map_err(community_error(&id))?;
    Ok((
        [(
            axum::http::header::CONTENT_DISPOSITION,
            "attachment; filename=\"kindred-export.json\"",
        )],
        Json(export),
    )
        .into_response())
}

/// A password change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    /// The current password.
    pub current_password: String,
    /// The new one (at least 10 characters).
    pub new_password: String,
}

/// Change the password; other sessions end.
#[utoipa::path(post, path = "/api/v1/me/password", tag = "me", request_body = PasswordChange,
    responses((status = 204, description = "Changed"), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn change_password(
    State(state): State<AppState>,
    ApiActor(actor, id): ApiActor,
    JsonBody(change): JsonBody<PasswordChange>,
) -> ApiResult<StatusCode> {
    state
        .community
        .change_password(&actor, &change.current_password, &change.new_password)
        .await
        .map_err(community_error(&id))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Confirmation of account deletion.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeleteAccount {
    /// The current password.
    pub password: String,
}

/// Delete the account: profile, groups, sessions and tracker data are erased; posts stay as
/// "deleted member".
#[utoipa::path(delete, path = "/api/v1/me", tag = "me", request_body = DeleteAccount,
    responses((status = 204, description = "Erased"), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn delete_account(
    State(state): State<AppState>,
    jar: CookieJar,
    ApiActor(actor, id): ApiActor,
    JsonBody(confirm): JsonBody<DeleteAccount>,
) -> ApiResult<Response> {
    state
        .community
        .delete_account(&actor, &confirm.password)
        .await
        .map_err(community_error(&id))?;
    let jar = jar.add(cleared_session_cookie(state.secure_cookies));
    Ok((StatusCode::NO_CONTENT, jar).into_response())
}

/// A member's page: only the fields they share with the viewer.
#[utoipa::path(get, path = "/api/v1/members/{handle}", tag = "members",
    params(("handle" = String, Path, description = "The member's handle")),
    responses((status = 200, body = MemberView), (status = 404, body = ErrorBody)))]
pub async fn member(
    State(state): State<AppState>,
    MaybeActor(actor): MaybeActor,
    path: Result<StrictPath, ApiError>,
) -> ApiResult<Json<MemberView>> {
    let StrictPath(handle, id) = path?;
    state
        .community
        .member(actor.as_ref(), &handle)
        .await
        .map(Json)
        .map_err(community_error(&id))
}

/// A role change.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleChange {
    /// `member`, `moderator` or `admin`.
    pub role: String,
}

/// Set a member's role (administrators only).
#[utoipa::path(put, path = "/api/v1/members/{handle}/role", tag = "members", request_body = RoleChange,
    params(("handle" = String, Path, description = "The member's handle")),
    responses((status = 204, description = "Changed"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn set_role(
    State(state): State<AppState>,
    ApiActor(actor, id): ApiActor,
    path: Result<StrictPath, ApiError>,
    JsonBody(change): JsonBody<RoleChange>,
) -> ApiResult<StatusCode> {
    let StrictPath(handle, _) = path?;
    let role = Role::from_key(&change.role).ok_or_else(|| {
        ApiError::bad_request("invalid", "role: must be member, moderator or admin").with_request_id(&id)
    })?;
    state
        .community
        .set_role(&actor, &handle, role)
        .await
        .map_err(community_error(&id))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Groups: the flagship's family, the viewer's, and every group with members.
#[utoipa::path(get, path = "/api/v1/groups", tag = "groups", responses((status = 200, body = [GroupView])))]
pub async fn groups(
    State(state): State<AppState>,
    MaybeActor(actor): MaybeActor,
    RequestId(id): RequestId,
) -> ApiResult<Json<Vec<GroupView>>> {
    state
        .community
        .groups(actor.as_ref(), &state.kindred)
        .await
        .map(Json)
        .map_err(community_error(&id))
}

/// A group and its newest posts.
#[derive(Debug, Serialize, ToSchema)]
pub struct GroupPage {
    /// The group.
    pub group: GroupView,
    /// Top-level posts, newest first.
    pub posts: Vec<PostView>,
}

/// Paging of a group's posts.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PostsParams {
    /// Only posts older than this post id.
    pub before: Option<i64>,
}

/// Posts shown per page of a group.
pub const POSTS_PER_PAGE: u32 = 30;

/// A group (one per catalog condition) with its newest posts.
#[utoipa::path(get, path = "/api/v1/groups/{slug}", tag = "groups", params(("slug" = String, Path), PostsParams),
    responses((status = 200, body = GroupPage), (status = 404, body = ErrorBody)))]
pub async fn group(
    State(state): State<AppState>,
    MaybeActor(actor): MaybeActor,
    path: Result<StrictPath, ApiError>,
    query: Result<StrictQuery<PostsParams>, ApiError>,
) -> ApiResult<Json<GroupPage>> {
    let StrictPath(slug, id) = path?;
    let StrictQuery(params, _) = query?;
    let community = &state.community;
    let group = community
        .group(actor.as_ref(), &state.kindred, &slug)
        .await
        .map_err(community_error(&id))?;
    let posts = community
        .posts(actor.as_ref(), &slug, params.before, POSTS_PER_PAGE)
        .await
        .map_err(community_error(&id))?;
    Ok(Json(GroupPage { group, posts }))
}

/// Join a group.
#[utoipa::path(put, path = "/api/v1/groups/{slug}/membership", tag = "groups", params(("slug" = String, Path)),
    responses((status = 204, description = "Joined"), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn join(
    State(state): State<AppState>,
    ApiActor(actor, id): ApiActor,
    path: Result<StrictPath, ApiError>,
) -> ApiResult<StatusCode> {
    let StrictPath(slug, _) = path?;
    state
        .community
        .set_membership(&actor, &state.kindred, &slug, true)
        .await
        .map_err(community_error(&id))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Leave a group.
#[utoipa::path(delete, path = "/api/v1/groups/{slug}/membership", tag = "groups", params(("slug" = String, Path)),
    responses((status = 204, description = "Left"), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn leave(
    State(state): State<AppState>,
    ApiActor(actor, id): ApiActor,
    path: Result<StrictPath, ApiError>,
) -> ApiResult<StatusCode> {
    let StrictPath(slug, _) = path?;
    state
        .community
        .set_membership(&actor, &state.kindred, &slug, false)
        .await
        .map_err(community_error(&id))?;
    Ok(StatusCode::NO_CONTENT)
}

/// A new post.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewPostJson {
    /// Title, 1–200 characters.
    pub title: String,
    /// Markdown, rendered sanitised.
    pub body: String,
}

/// A reply or a report or a moderation reason.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TextJson {
    /// The text.
    pub text: String,
}

/// The id of something created.
#[derive(Debug, Serialize, ToSchema)]
pub struct Created {
    /// Its id.
    pub id: i64,
}

/// Write a post in a group (the author joins it).
#[utoipa::path(post, path = "/api/v1/groups/{slug}/posts", tag = "posts", params(("slug" = String, Path)),
    request_body = NewPostJson,
    responses((status = 201, body = Created), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn create_post(
    State(state): State<AppState>,
    ApiActor(actor, id): ApiActor,
    path: Result<StrictPath, ApiError>,
    JsonBody(post): JsonBody<NewPostJson>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let StrictPath(slug, _) = path?;
    let created = state
        .community
        .create_post(&actor, &state.kindred, &slug, &post.title, &post.body)
        .await
        .map_err(community_error(&id))?;
    Ok((StatusCode::CREATED, Json(Created { id: created.0 })))
}

pub(crate) fn post_id(raw: &str, request_id: &str) -> ApiResult<i64> {
    raw.parse::<i64>().ok().filter(|n| *n > 0).ok_or_else(|| {
        ApiError::bad_request("bad_path", format!("{raw:?} is not a post id")).with_request_id(request_id)
    })
}

/// A thread: a post and its replies.
#[utoipa::path(get, path = "/api/v1/posts/{id}", tag = "posts", params(("id" = i64, Path)),
    responses((status = 200, body = ThreadView), (status = 404, body = ErrorBody)))]
pub async fn thread(
    State(state): State<AppState>,
    MaybeActor(actor): MaybeActor,
    path: Result<StrictPath, ApiError>,
) -> ApiResult<Json<ThreadView>> {
    let StrictPath(raw, id) = path?;
    let post = post_id(&raw, &id)?;
    state
        .community
        .thread(actor.as_ref(), post)
        .await
        .map(Json)
        .map_err(community_error(&id))
}

/// Reply to a post.
#[utoipa::path(post, path = "/api/v1/posts/{id}/replies", tag = "posts", params(("id" = i64, Path)),
    request_body = TextJson,
    responses((status = 201, body = Created), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn reply(
    State(state): State<AppState>,
    ApiActor(actor, id): ApiActor,
    path: Result<StrictPath, ApiError>,
    JsonBody(body): JsonBody<TextJson>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let StrictPath(raw, _) = path?;
    let post = post_id(&raw, &id)?;
    let created = state
        .community
        .reply(&actor, post, &body.text)
        .await
        .map_err(community_error(&id))?;
    Ok((StatusCode::CREATED, Json(Created { id: created.0 })))
}

/// Report a post to the moderators.
#[utoipa::path(post, path = "/api/v1/posts/{id}/reports", tag = "posts", params(("id" = i64, Path)),
    request_body = TextJson,
    responses((status = 204, description = "Reported"), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn report(
    State(state): State<AppState>,
    ApiActor(actor, id): ApiActor,
    path: Result<StrictPath, ApiError>,
    JsonBody(body): JsonBody<TextJson>,
) -> ApiResult<StatusCode> {
    let StrictPath(raw, _) = path?;
    let post = post_id(&raw, &id)?;
    state
        .community
        .report(&actor, post, &body.text)
        .await
        .map_err(community_error(&id))?;
    Ok(StatusCode::NO_CONTENT)
}

/// A moderation decision.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Moderation {
    /// Hide (true) or restore (false).
    pub hidden: bool,
    /// Why, for the audit log.
    pub reason: String,
}

/// Hide or restore a post (moderators); written to the audit log.
#[utoipa::path(post, path = "/api/v1/posts/{id}/moderation", tag = "moderation", params(("id" = i64, Path)),
    request_body = Moderation,
    responses((status = 204, description = "Done"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn moderate(
    State(state): State<AppState>,
    ApiActor(actor, id): ApiActor,
    path: Result<StrictPath, ApiError>,
    JsonBody(decision): JsonBody<Moderation>,
) -> ApiResult<StatusCode> {
    let StrictPath(raw, _) = path?;
    let post = post_id(&raw, &id)?;
    state
        .community
        .moderate(&actor, post, decision.hidden, &decision.reason)
        .await
        .map_err(community_error(&id))?;
    Ok(StatusCode::NO_CONTENT)
}

/// An open report.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportJson {
    /// Id.
    pub id: i64,
    /// The post.
    pub post: i64,
    /// Who reported it, unless they deleted their account.
    pub reporter: Option<String>,
    /// Why.
    pub reason: String,
    /// Unix seconds.
    pub created_at: i64,
}

/// Open reports (moderators).
#[utoipa::path(get, path = "/api/v1/moderation/reports", tag = "moderation",
    responses((status = 200, body = [ReportJson]), (status = 403, body = ErrorBody)))]
pub async fn reports(
    State(state): State<AppState>,
    ApiActor(actor, id): ApiActor,
) -> ApiResult<Json<Vec<ReportJson>>> {
    let reports = state
        .community
        .reports(&actor)
        .await
        .map_err(community_error(&id))?;
    Ok(Json(
        reports
            .into_iter()
            .map(|r| ReportJson {
                id: r.id.0,
                post: r.post.0,
                reporter: r.reporter,
                reason: r.reason,
                created_at: r.created_at,
            })
            .collect(),
    ))
}

/// One audit log entry.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditJson {
    /// Who acted.
    pub actor: Option<String>,
    /// `hide-post`, `show-post`, `set-role`.
    pub action: String,
    /// The post acted on.
    pub post: Option<i64>,
    /// The member acted on.
    pub target: Option<String>,
    /// Why.
    pub reason: String,
    /// Unix seconds.
    pub created_at: i64,
}

/// The moderation audit log, newest first (moderators).
#[utoipa::path(get, path = "/api/v1/moderation/audit", tag = "moderation",
    responses((status = 200, body = [AuditJson]), (status = 403, body = ErrorBody)))]
pub async fn audit(
    State(state): State<AppState>,
    ApiActor(actor, id): ApiActor,
) -> ApiResult<Json<Vec<AuditJson>>> {
    let log = state
        .community
        .audit_log(&actor)
        .await
        .map_err(community_error(&id))?;
    Ok(Json(
        log.into_iter()
            .map(|a| AuditJson {
                actor: a.actor,
                action: a.action,
                post: a.post.map(|p| p.0),
                target: a.target,
                reason: a.reason,
                created_at: a.created_at,
            })
            .collect(),
    ))
}

/// Which outcomes to show.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct WisdomParams {
    /// Condition slug.
    pub condition: String,
    /// Treatment key.
    pub treatment: String,
}

/// Member-reported outcomes of a treatment for a condition; suppressed below ten members.
#[utoipa::path(get, path = "/api/v1/wisdom", tag = "groups", params(WisdomParams),
    responses((status = 200, body = WisdomView), (status = 404, body = ErrorBody)))]
pub async fn wisdom(
    State(state): State<AppState>,
    query: Result<StrictQuery<WisdomParams>, ApiError>,
) -> ApiResult<Json<WisdomView>> {
    let StrictQuery(params, id) = query?;
    state
        .community
        .wisdom(&state.kindred, &params.condition, &params.treatment)
        .map(Json)
        .ok_or_else(|| ApiError::not_found("no such condition or treatment").with_request_id(&id))
}

/// The request id, as an extractor.
pub(crate) struct RequestId(pub String);

impl<S: Send + Sync> FromRequestParts<S> for RequestId {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(RequestId(request_id(parts)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(
                axum::http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                value.parse().unwrap(),
            );
        }
        map
    }

    #[test]
    fn the_client_comes_from_a_trusted_proxy_only() {
        let trusted: Vec<ipnet::IpNet> = vec!["10.0.0.0/8".parse().unwrap(), "::1/128".parse().unwrap()];
        let proxy: IpAddr = "10.0.0.2".parse().unwrap();
        let stranger: IpAddr = "198.51.100.7".parse().unwrap();
        let spoof = headers(&[("x-forwarded-for", "203.0.113.9")]);
        // Not from a trusted proxy: the header is ignored.
        assert_eq!(client_ip(stranger, &spoof, &trusted), stranger);
        // From the proxy: the nearest untrusted hop, not what the client prepended.
        let chain = headers(&[("x-forwarded-for", "6.6.6.6, 203.0.113.9, 10.0.0.1")]);
        assert_eq!(
            client_ip(proxy, &chain, &trusted),
            "203.0.113.9".parse::<IpAddr>().unwrap()
        );
        let split = headers(&[
            ("x-forwarded-for", "6.6.6.6"),
            ("x-forwarded-for", "203.0.113.9:5555"),
        ]);
        assert_eq!(
            client_ip(proxy, &split, &trusted),
            "203.0.113.9".parse::<IpAddr>().unwrap()
        );
        let rfc = headers(&[(
            "forwarded",
            r#"for="[2001:db8:cafe::17]:4711";proto=https, for=10.0.0.1"#,
        )]);
        assert_eq!(
            client_ip(proxy, &rfc, &trusted),
            "2001:db8:cafe::17".parse::<IpAddr>().unwrap()
        );
        // No header, or one the proxy left unreadable: the proxy's own address.
        assert_eq!(client_ip(proxy, &HeaderMap::new(), &trusted), proxy);
        assert_eq!(
            client_ip(
                proxy,
                &headers(&[("x-forwarded-for", "1.2.3.4, nonsense")]),
                &trusted
            ),
            proxy
        );
        // Nothing trusted: the socket's peer, whatever the headers say.
        assert_eq!(client_ip(proxy, &chain, &[]), proxy);
    }

    #[test]
    fn ipv6_clients_are_keyed_by_their_64() {
        assert_eq!(
            throttle_key("2001:db8:1:2:aaaa::1".parse().unwrap()),
            "2001:db8:1:2::/64"
        );
        assert_eq!(throttle_key("::ffff:192.0.2.1".parse().unwrap()), "192.0.2.1");
        assert_eq!(throttle_key("192.0.2.1".parse().unwrap()), "192.0.2.1");
    }
}
