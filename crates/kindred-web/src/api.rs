//! The JSON API under `/api/v1`, and the OpenAPI document generated from these handlers.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use kindred_app::{AnswerJson, ConditionView, ConditionsPage, SearchView, SourceView};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use utoipa::{IntoParams, OpenApi};

use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;

/// Longest question accepted, in characters.
pub const MAX_QUESTION_CHARS: usize = 1000;
/// Most passages one answer may cite.
pub const MAX_LIMIT: usize = 20;

/// The OpenAPI document of `/api/v1`.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Kindred API",
        description = "A trusted health library and answer engine. Every statement carries its source. \
Kindred is not a substitute for professional medical advice.",
        license(name = "Apache-2.0")
    ),
    paths(ask, conditions, condition, search, source, healthz,
        crate::community_api::register, crate::community_api::login, crate::community_api::logout,
        crate::community_api::me, crate::community_api::own_profile, crate::community_api::save_profile,
        crate::community_api::alikes, crate::community_api::export, crate::community_api::change_password,
        crate::community_api::delete_account, crate::community_api::member, crate::community_api::set_role,
        crate::community_api::groups, crate::community_api::group, crate::community_api::join,
        crate::community_api::leave, crate::community_api::create_post, crate::community_api::thread,
        crate::community_api::reply, crate::community_api::report, crate::community_api::moderate,
        crate::community_api::reports, crate::community_api::audit, crate::community_api::wisdom,
        crate::tracker_api::entries, crate::tracker_api::add_entry, crate::tracker_api::delete_entry,
        crate::tracker_api::injections, crate::tracker_api::add_injection, crate::tracker_api::delete_injection,
        crate::tracker_api::medicines, crate::tracker_api::add_medicine, crate::tracker_api::delete_medicine,
        crate::tracker_api::restore, crate::tracker_api::settings, crate::tracker_api::save_settings,
        crate::tracker_api::distribution, crate::tracker_api::due, crate::tracker_api::wearing_off,
        crate::tracker_api::report, crate::tracker_api::export_fhir, crate::tracker_api::entries_csv,
        crate::tracker_api::injections_csv, crate::tracker_api::medicines_csv, crate::tracker_api::import),
    components(schemas(ErrorBody)),
    modifiers(&CsrfHeaderNote)
)]
pub struct ApiDoc;

/// Documents how signed-in JSON calls authenticate.
struct CsrfHeaderNote;

impl utoipa::Modify for CsrfHeaderNote {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::session::SESSION_COOKIE,
                "Set by POST /api/v1/accounts or /api/v1/session. Calls that change something also \
                 send the session's csrf_token as the X-CSRF-Token header.",
            ))),
        );
    }
}

/// The request id of a request, as its handlers and errors quote it.
pub(crate) fn request_id(parts: &Parts) -> String {
    parts
        .headers
        .get(crate::REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// Query parameters, strictly: unknown parameters and bad UTF-8 are a 400 with our error body.
pub(crate) struct StrictQuery<T>(pub T, pub String);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for StrictQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let id = request_id(parts);
        let query = parts.uri.query().unwrap_or_default();
        let decoded: T = serde_urlencoded_from_str(query)
            .map_err(|message| ApiError::bad_request("bad_query", message).with_request_id(&id))?;
        Ok(StrictQuery(decoded, id))
    }
}

/// Decodes a query string, refusing invalid UTF-8 in escapes instead of replacing it.
fn serde_urlencoded_from_str<T: DeserializeOwned>(query: &str) -> Result<T, String> {
    for pair in query.split('&') {
        let raw: Vec<u8> = percent_decode(pair.as_bytes());
        if std::str::from_utf8(&raw).is_err() {
            return Err("the query string is not valid UTF-8".to_owned());
        }
    }
    axum::extract::Query::<T>::try_from_uri(
        &format!("/?{query}")
            .parse()
            .map_err(|_| "malformed query string".to_owned())?,
    )
    .map(|q| q.0)
    .map_err(|rejection| rejection.body_text())
}

fn percent_decode(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while i < input.len() {
        let byte = input[i];
        if byte == b'%' && i + 2 < input.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(high), Some(low)) = (hex(input[i + 1]), hex(input[i + 2])) {
                out.push((high * 16 + low) as u8);
                i += 3;
                continue;
            }
        }
        out.push(if byte == b'+' { b' ' } else { byte });
        i += 1;
    }
    out
}

/// A path segment, decoded strictly.
pub(crate) struct StrictPath(pub String, pub String);

impl<S: Send + Sync> FromRequestParts<S> for StrictPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let id = request_id(parts);
        match axum::extract::Path::<String>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(StrictPath(value, id)),
            Err(rejection) => {
                Err(ApiError::bad_request("bad_path", rejection.body_text()).with_request_id(&id))
            }
        }
    }
}

/// Parameters of `/api/v1/ask`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AskParams {
    /// The question, 1 to 1,000 characters.
    pub q: String,
    /// Cited passages wanted, 1 to 20 (default 5).
    pub limit: Option<usize>,
}

/// Checks a question's length, returning it trimmed.
pub(crate) fn checked_question(q: &str, request_id: &str) -> Result<String, ApiError> {
    let question = q.trim();
    if question.is_empty() {
        return Err(
            ApiError::bad_request("empty_question", "the question is empty").with_request_id(request_id)
        );
    }
    let n_chars = question.chars().count();
    if n_chars > MAX_QUESTION_CHARS {
        return Err(ApiError::bad_request(
            "question_too_long",
            format!("the question has {n_chars} characters; the most is {MAX_QUESTION_CHARS}"),
        )
        .with_request_id(request_id));
    }
    Ok(question.to_owned())
}

pub(crate) fn checked_limit(limit: Option<usize>, request_id: &str) -> Result<usize, ApiError> {
    match limit {
        None => Ok(5),
        Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        Some(n) => Err(ApiError::bad_request(
            "bad_limit",
            format!("limit must be between 1 and {MAX_LIMIT}, not {n}"),
        )
        .with_request_id(request_id)),
    }
}

/// Answer a question with cited passages.
///
/// Abstains (with a reason) when the library has no support, the question is off-topic, or it asks
/// for individual dosing. Emergency wording comes first when a question describes one.
#[utoipa::path(
    get,
    path = "/api/v1/ask",
    params(AskParams),
    responses(
        (status = 200, description = "An answer or an abstention", body = AnswerJson),
        (status = 400, description = "Bad parameters", body = ErrorBody),
    )
)]
pub async fn ask(State(state): State<AppState>, query: Result<StrictQuery<AskParams>, ApiError>) -> Response {
    let StrictQuery(params, id) = match query {
        Ok(q) => q,
        Err(e) => return e.into_response(),
    };
    let result = (|| {
        let question = checked_question(&params.q, &id)?;
        let limit = checked_limit(params.limit, &id)?;
        let key = (question.clone(), limit);
        if let Some(bytes) = state.answers.get(&key) {
            return Ok(bytes);
        }
        let answer = state
            .kindred
            .ask(&question, limit)
            .map_err(|e| ApiError::internal(&e).with_request_id(&id))?;
        let bytes = Bytes::from(
            serde_json::to_vec(&answer).map_err(|e| ApiError::internal(&e).with_request_id(&id))?,
        );
        state.answers.insert(key, bytes.clone());
        Ok::<Bytes, ApiError>(bytes)
    })();
    match result {
        Ok(bytes) => (
            [(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))],
            bytes,
        )
            .into_response(),
        Err(e) => e.into_response(),
    }
}

/// Parameters of `/api/v1/conditions`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ConditionsParams {
    /// Initial letter (`a`…`z`, or `#`); a letter no condition starts with gives an empty list.
    pub letter: Option<String>,
    /// Page, from 1.
    pub page: Option<usize>,
}

/// The A–Z list of conditions, paginated.
#[utoipa::path(
    get,
    path = "/api/v1/conditions",
    params(ConditionsParams),
    responses((status = 200, body = ConditionsPage), (status = 400, body = ErrorBody))
)]
pub async fn conditions(
    State(state): State<AppState>,
    query: Result<StrictQuery<ConditionsParams>, ApiError>,
) -> Result<Json<ConditionsPage>, ApiError> {
    let StrictQuery(params, id) = query?;
    checked_conditions(&state, &params, &id).map(Json)
}

/// One page of the A–Z list, refusing what does not name one: a `letter` that is not one of `a`–`z`
/// or `#` (400), `page=0` (400) or a page past the last (404). Nothing is silently replaced.
pub(crate) fn checked_conditions(
    state: &AppState,
    params: &ConditionsParams,
    request_id: &str,
) -> Result<ConditionsPage, ApiError> {
    if let Some(letter) = &params.letter {
        let one_letter = letter.len() == 1 && letter.chars().all(|c| c.is_ascii_alphabetic() || c == '#');
        if !one_letter {
            return Err(ApiError::bad_request(
                "bad_query",
                format!("letter: {letter:?} is not one of a–z or #"),
            )
            .with_request_id(request_id));
        }
    }
    let page = params.page.unwrap_or(1);
    if page == 0 {
        return Err(
            ApiError::bad_request("bad_query", "page: pages are numbered from 1").with_request_id(request_id),
        );
    }
    let list = state.kindred.conditions(params.letter.as_deref(), page);
    if list.page != page {
        return Err(ApiError::not_found(format!(
            "page: there is no page {page}; the list has {} pages",
            list.n_pages
        ))
        .with_request_id(request_id));
    }
    Ok(list)
}

/// A condition's merged article, every statement with its sources.
#[utoipa::path(
    get,
    path = "/api/v1/conditions/{slug}",
    params(("slug" = String, Path, description = "Condition slug, e.g. `dystonia`")),
    responses((status = 200, body = ConditionView), (status = 404, body = ErrorBody))
)]
pub async fn condition(
    State(state): State<AppState>,
    path: Result<StrictPath, ApiError>,
) -> Result<Json<ConditionView>, ApiError> {
    let StrictPath(slug, id) = path?;
    state
        .kindred
        .condition(&slug)
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("no condition \"{slug}\"")).with_request_id(&id))
}

/// Parameters of `/api/v1/search`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SearchParams {
    /// What to look for, 1 to 1,000 characters.
    pub q: String,
    /// Results of each kind, 1 to 20 (default 5).
    pub limit: Option<usize>,
}

/// Conditions by name and passages by content.
#[utoipa::path(
    get,
    path = "/api/v1/search",
    params(SearchParams),
    responses((status = 200, body = SearchView), (status = 400, body = ErrorBody))
)]
pub async fn search(
    State(state): State<AppState>,
    query: Result<StrictQuery<SearchParams>, ApiError>,
) -> Result<Json<SearchView>, ApiError> {
    let StrictQuery(params, id) = query?;
    let q = checked_question(&params.q, &id)?;
    let limit = checked_limit(params.limit, &id)?;
    state
        .kindred
        .search(&q, limit)
        .map(Json)
        .map_err(|e| ApiError::internal(&e).with_request_id(&id))
}

/// A cleaned source document with provenance, licence and what cleaning removed.
#[utoipa::path(
    get,
    path = "/api/v1/sources/{id}",
    params(("id" = String, Path, description = "Document id, e.g. `seed-000` or `NINDS_0000112`")),
    responses((status = 200, body = SourceView), (status = 404, body = ErrorBody))
)]
pub async fn source(
    State(state): State<AppState>,
    path: Result<StrictPath, ApiError>,
) -> Result<Json<SourceView>, ApiError> {
    let StrictPath(document, id) = path?;
    match state.kindred.source(&document) {
        Ok(Some(view)) => Ok(Json(view)),
        Ok(None) => Err(ApiError::not_found(format!("no source \"{document}\"")).with_request_id(&id)),
        Err(e) => Err(ApiError::internal(&e).with_request_id(&id)),
    }
}

/// Liveness: `ok` while the server answers.
#[utoipa::path(get, path = "/healthz", responses((status = 200, description = "The server is up", body = String)))]
pub async fn healthz() -> &'static str {
    "ok"
}

/// The OpenAPI 3 document.
pub async fn openapi() -> Response {
    match ApiDoc::openapi().to_json() {
        Ok(json) => (
            [(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))],
            json,
        )
            .into_response(),
        Err(e) => ApiError::internal(&e).into_response(),
    }
}
