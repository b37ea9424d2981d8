//! Server-rendered HTML pages (askama templates in `templates/`). They work without JavaScript.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use kindred_app::community::WisdomView;
use kindred_app::{
    AnswerJson, ConditionSummary, ConditionView, ConditionsPage, SearchView, SourceView, StatementCitation,
    StatementView,
};
use kindred_community::aggregate::OutcomeShare;
use serde::Deserialize;

use crate::api::{StrictPath, StrictQuery, checked_limit, checked_question};
use crate::error::ApiError;
use crate::state::AppState;

/// One stylesheet: the library's, the community's and the tracker's parts.
const STYLESHEET: &str = concat!(
    include_str!("../static/kindred.css"),
    include_str!("../static/community.css"),
    include_str!("../static/tracker.css"),
);

/// The "not a substitute" notice, shown on every page.
pub const DISCLAIMER: &str = kindred_app::DISCLAIMER;

fn render(template: &impl Template, status: StatusCode) -> Response {
    match template.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => ApiError::internal(&e).into_response(),
    }
}

/// An error as a page, with its request id.
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
        StatusCode::METHOD_NOT_ALLOWED => "This address does not accept that method",
        _ => "Something went wrong",
    };
    render(
        &ErrorPage {
            title,
            message: &error.message,
            request_id: &error.request_id,
            disclaimer: DISCLAIMER,
        },
        error.status,
    )
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage<'a> {
    flagship: Option<ConditionSummary>,
    letters: &'a ConditionsPage,
    disclaimer: &'a str,
}

/// `/`: the ask box, the flagship condition, and the A–Z index.
pub async fn home(State(state): State<AppState>) -> Response {
    let letters = state.kindred.conditions(None, 1);
    render(
        &HomePage {
            flagship: state.kindred.flagship(),
            letters: &letters,
            disclaimer: DISCLAIMER,
        },
        StatusCode::OK,
    )
}

#[derive(Template)]
#[template(path = "conditions.html")]
struct ConditionsListPage<'a> {
    list: &'a ConditionsPage,
    disclaimer: &'a str,
}

/// `/conditions`: the A–Z list, paginated.
pub async fn conditions(
    State(state): State<AppState>,
    query: Result<StrictQuery<crate::api::ConditionsParams>, ApiError>,
) -> Response {
    let list = match query
        .and_then(|StrictQuery(params, id)| crate::api::checked_conditions(&state, &params, &id))
    {
        Ok(list) => list,
        Err(e) => return error_page(e),
    };
    render(
        &ConditionsListPage {
            list: &list,
            disclaimer: DISCLAIMER,
        },
        StatusCode::OK,
    )
}

#[derive(Template)]
#[template(path = "condition.html")]
struct ConditionPage<'a> {
    condition: &'a ConditionView,
    disclaimer: &'a str,
}

impl ConditionPage<'_> {
    /// A statement's sources that count, shown beside it: one citation per independent publisher,
    /// copies left out, in the order given (the first is the wording shown).
    fn independent<'s>(&self, statement: &'s StatementView) -> Vec<&'s StatementCitation> {
        let mut shown: Vec<&StatementCitation> = Vec::new();
        for citation in statement.citations.iter().filter(|c| !c.is_copy) {
            if !shown.iter().any(|s| s.publisher == citation.publisher) {
                shown.push(citation);
            }
        }
        shown
    }

    /// How many of a statement's citations are copies (listed, never counted).
    fn copies(&self, statement: &StatementView) -> usize {
        statement.citations.iter().filter(|c| c.is_copy).count()
    }
}

/// `/conditions/{slug}`: the merged article.
pub async fn condition(State(state): State<AppState>, path: Result<StrictPath, ApiError>) -> Response {
    let StrictPath(slug, id) = match path {
        Ok(p) => p,
        Err(e) => return error_page(e),
    };
    match state.kindred.condition(&slug) {
        Some(condition) => render(
            &ConditionPage {
                condition: &condition,
                disclaimer: DISCLAIMER,
            },
            StatusCode::OK,
        ),
        None => error_page(
            ApiError::not_found(format!("Kindred has no condition page called \"{slug}\"."))
                .with_request_id(&id),
        ),
    }
}

/// Parameters of `/ask` and `/search`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionParams {
    q: Option<String>,
    limit: Option<usize>,
}

#[derive(Template)]
#[template(path = "ask.html")]
struct AskPage<'a> {
    question: &'a str,
    answer: Option<&'a AnswerJson>,
    /// What members report about the treatment the question names: shown apart from the answer.
    wisdom: Option<WisdomView>,
    disclaimer: &'a str,
}

/// What `/ask` and `/search` were given: nothing yet (show the empty form), or a checked question
/// and limit.
enum Asked {
    Empty,
    Question {
        text: String,
        limit: usize,
        request_id: String,
    },
}

fn asked(
    query: Result<StrictQuery<QuestionParams>, ApiError>,
    default_limit: usize,
) -> Result<Asked, ApiError> {
    let StrictQuery(params, id) = query?;
    let Some(q) = params.q.filter(|q| !q.trim().is_empty()) else {
        return Ok(Asked::Empty);
    };
    let text = checked_question(&q, &id)?;
    let limit = checked_limit(params.limit.or(Some(default_limit)), &id)?;
    Ok(Asked::Question {
        text,
        limit,
        request_id: id,
    })
}

/// `/ask?q=`: the answer with its citations, or why Kindred does not answer.
pub async fn ask(
    State(state): State<AppState>,
    query: Result<StrictQuery<QuestionParams>, ApiError>,
) -> Response {
    let (question, limit, id) = match asked(query, 5) {
        Ok(Asked::Question {
            text,
            limit,
            request_id,
        }) => (text, limit, request_id),
        Ok(Asked::Empty) => {
            return render(
                &AskPage {
                    question: "",
                    answer: None,
                    wisdom: None,
                    disclaimer: DISCLAIMER,
                },
                StatusCode::OK,
            );
        }
        Err(error) => return error_page(error),
    };
    match state.kindred.ask(&question, limit) {
        Ok(answer) => {
            // Member reports only beside an answer (never beside a refusal), for the condition the
            // question names, or the flagship it was read in the context of. A catalog entry named
            // after the treatment itself ("Botox") is the treatment, not the condition.
            let focus = answer
                .conditions
                .iter()
                .take(answer.analysis.focus.len())
                .find(|c| kindred_app::community::treatment_in(&c.name).is_none())
                .map(|c| c.slug.as_str());
            let wisdom = (!answer.abstained)
                .then(|| {
                    state
                        .community
                        .wisdom_for_question(&state.kindred, &question, focus)
                })
                .flatten();
            render(
                &AskPage {
                    question: &question,
                    answer: Some(&answer),
                    wisdom,
                    disclaimer: DISCLAIMER,
                },
                StatusCode::OK,
            )
        }
        Err(e) => error_page(ApiError::internal(&e).with_request_id(&id)),
    }
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage<'a> {
    query: &'a str,
    results: Option<&'a SearchView>,
    disclaimer: &'a str,
}

/// `/search?q=`: conditions and passages.
pub async fn search(
    State(state): State<AppState>,
    query: Result<StrictQuery<QuestionParams>, ApiError>,
) -> Response {
    let (query, limit, id) = match asked(query, 10) {
        Ok(Asked::Question {
            text,
            limit,
            request_id,
        }) => (text, limit, request_id),
        Ok(Asked::Empty) => {
            return render(
                &SearchPage {
                    query: "",
                    results: None,
                    disclaimer: DISCLAIMER,
                },
                StatusCode::OK,
            );
        }
        Err(error) => return error_page(error),
    };
    match state.kindred.search(&query, limit) {
        Ok(results) => render(
            &SearchPage {
                query: &query,
                results: Some(&results),
                disclaimer: DISCLAIMER,
            },
            StatusCode::OK,
        ),
        Err(e) => error_page(ApiError::internal(&e).with_request_id(&id)),
    }
}

#[derive(Template)]
#[template(path = "source.html")]
struct SourcePage<'a> {
    source: &'a SourceView,
    disclaimer: &'a str,
}

/// `/sources/{id}`: a cleaned document, its provenance and what cleaning removed.
pub async fn source(State(state): State<AppState>, path: Result<StrictPath, ApiError>) -> Response {
    let StrictPath(document, id) = match path {
        Ok(p) => p,
        Err(e) => return error_page(e),
    };
    match state.kindred.source(&document) {
        Ok(Some(source)) => render(
            &SourcePage {
                source: &source,
                disclaimer: DISCLAIMER,
            },
            StatusCode::OK,
        ),
        Ok(None) => error_page(
            ApiError::not_found(format!("Kindred has no source document called \"{document}\"."))
                .with_request_id(&id),
        ),
        Err(e) => error_page(ApiError::internal(&e).with_request_id(&id)),
    }
}

/// Template filters.
mod filters {
    use std::fmt::Display;

    /// An RFC 3339 timestamp as a date for people: `2026-11-22T00:52:53Z` → `22 November 2026`.
    /// Anything else is shown as it is.
    pub fn human_date(value: impl Display, _: &dyn askama::Values) -> askama::Result<String> {
        let value = value.to_string();
        Ok(super::human_date(&value).unwrap_or(value))
    }

    /// An RFC 3339 timestamp as HTML's `<time datetime>` accepts it: whole seconds
    /// (`2026-11-22T00:52:53.123456789Z` → `2026-11-22T00:52:53Z`; HTML allows at most three
    /// fraction digits).
    pub fn machine_time(value: impl Display, _: &dyn askama::Values) -> askama::Result<String> {
        Ok(super::whole_seconds(&value.to_string()))
    }

    /// A section kind (`risk_factors`) as a heading for people (`Risk factors`).
    pub fn section_title(value: impl Display, _: &dyn askama::Values) -> askama::Result<String> {
        Ok(super::section_title(&value.to_string()))
    }
}

/// An RFC 3339 timestamp without its fraction of a second; anything else unchanged.
fn whole_seconds(timestamp: &str) -> String {
    let Some(time_at) = timestamp.find('T') else {
        return timestamp.to_owned();
    };
    match timestamp[time_at..].find('.') {
        Some(dot) => {
            let dot = time_at + dot;
            let digits = timestamp[dot + 1..]
                .bytes()
                .take_while(u8::is_ascii_digit)
                .count();
            format!("{}{}", &timestamp[..dot], &timestamp[dot + 1 + digits..])
        }
        None => timestamp.to_owned(),
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn human_date(value: &str) -> Option<String> {
    let date = value.get(..10)?;
    let mut parts = date.split('-');
    let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
    let month: usize = month.parse().ok()?;
    let day: u32 = day.parse().ok()?;
    if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) || !(1..=31).contains(&day) {
        return None;
    }
    Some(format!("{day} {} {year}", MONTHS.get(month.checked_sub(1)?)?))
}

/// The heading of a section kind for people ("diagnosis" → "Tests and diagnosis"); one list of
/// titles, kept by the corpus, serves condition pages, citations and source pages alike.
fn section_title(kind: &str) -> String {
    kindred_app::section_title(kind)
}

/// The stylesheet (no CDN, cached for a day).
pub async fn stylesheet() -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/css; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=86400"),
            ),
        ],
        STYLESHEET,
    )
        .into_response()
}

/// Any other path: a 404 page (JSON under `/api/`).
pub async fn not_found(request: axum::extract::Request) -> Response {
    fallback_error(&request, ApiError::not_found("There is no page at this address."))
}

/// A known path with a method it does not serve (anything but GET and HEAD): a 405 page (JSON under
/// `/api/`). The router adds the `Allow` header.
pub async fn method_not_allowed(request: axum::extract::Request) -> Response {
    fallback_error(
        &request,
        ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            format!(
                "This address does not accept {}; the Allow header lists what it does accept.",
                request.method()
            ),
        ),
    )
}

/// An error of the router itself, tagged with the request id: JSON under `/api/`, a page elsewhere.
fn fallback_error(request: &axum::extract::Request, error: ApiError) -> Response {
    let id = request
        .headers()
        .get(crate::REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let error = error.with_request_id(&id);
    if request.uri().path().starts_with("/api/") {
        error.into_response()
    } else {
        error_page(error)
    }
}

#[cfg(test)]
mod tests {
    use super::{human_date, section_title};

    #[test]
    fn dates_for_people() {
        assert_eq!(
            human_date("2026-11-22T00:52:53.953914813Z").as_deref(),
            Some("22 November 2026")
        );
        assert_eq!(
            human_date("2025-01-05T10:00:00+01:00").as_deref(),
            Some("5 January 2025")
        );
        assert_eq!(human_date("2025-13-05T10:00:00Z"), None);
        assert_eq!(human_date("yesterday"), None);
        assert_eq!(human_date(""), None);
    }

    #[test]
    fn section_titles_for_people() {
        assert_eq!(section_title("diagnosis"), "Tests and diagnosis");
        assert_eq!(section_title("risk_factors"), "Risk factors");
        assert_eq!(section_title("new_kind"), "New kind");
        assert_eq!(section_title(""), "");
    }
}
