//! The care tracker's JSON API under `/api/v1/me/tracker`: diary entries, injections, medicines,
//! settings, the distribution, the due window, wearing-off, the appointment report, CSV and FHIR
//! R4 export, and import of a FHIR export.
//!
//! Every route is the signed-in member's own (`ApiActor`: 401 without a session, 403 without the
//! `X-CSRF-Token` header on changes) and reaches only their rows through
//! [`kindred_app::tracker::Tracker::of`]; there is no route to anyone else's tracker. Ids of another
//! member's records are 404s, exactly like ids that do not exist. Responses are `no-store`.

use axum::extract::DefaultBodyLimit;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use kindred_app::tracker::{
    DeletedRecord, DistributionView, EntryRecord, ImportSummary, InjectionRecord, MedicineRecord, Tracker,
    TrackerError, TrackerSettings,
};
use kindred_store::TrackerKind;
use kindred_tracker::{Entry, Injection, Medicine};
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::StrictPath;
use crate::community_api::Created;
use crate::error::{ApiError, ErrorBody};
use crate::session::{ApiActor, JsonBody};
use crate::state::AppState;

type ApiResult<T> = Result<T, ApiError>;

/// Largest FHIR bundle accepted for import (years of daily entries fit many times over).
pub(crate) const MAX_IMPORT_BYTES: usize = 16 * 1024 * 1024;

/// The routes of this module, merged into [`crate::router`].
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/me/tracker/entries", get(entries).post(add_entry))
        .route("/api/v1/me/tracker/entries/{id}", delete(delete_entry))
        .route(
            "/api/v1/me/tracker/injections",
            get(injections).post(add_injection),
        )
        .route("/api/v1/me/tracker/injections/{id}", delete(delete_injection))
        .route("/api/v1/me/tracker/medicines", get(medicines).post(add_medicine))
        .route("/api/v1/me/tracker/medicines/{id}", delete(delete_medicine))
        .route("/api/v1/me/tracker/restore", post(restore))
        .route("/api/v1/me/tracker/settings", get(settings).put(save_settings))
        .route("/api/v1/me/tracker/distribution", get(distribution))
        .route("/api/v1/me/tracker/due", get(due))
        .route("/api/v1/me/tracker/wearing-off", get(wearing_off))
        .route("/api/v1/me/tracker/report", get(report))
        .route("/api/v1/me/tracker/export.fhir.json", get(export_fhir))
        .route("/api/v1/me/tracker/entries.csv", get(entries_csv))
        .route("/api/v1/me/tracker/injections.csv", get(injections_csv))
        .route("/api/v1/me/tracker/medicines.csv", get(medicines_csv))
        .route(
            "/api/v1/me/tracker/import",
            post(import).layer(DefaultBodyLimit::max(MAX_IMPORT_BYTES)),
        )
}

/// The tracker's error as HTTP: the member's own mistakes are 400s naming the record and field,
/// someone else's or a gone record is a 404, anything internal an opaque 500.
pub(crate) fn tracker_error(error: TrackerError) -> ApiError {
    match &error {
        TrackerError::Invalid { .. } => ApiError::new(StatusCode::BAD_REQUEST, "invalid", error.to_string()),
        TrackerError::NotFound { .. } => ApiError::not_found(error.to_string()),
        TrackerError::Store(store) if store.is_busy() => busy(),
        TrackerError::Community(kindred_app::community::CommunityError::Unavailable { .. }) => busy(),
        TrackerError::Store(_) | TrackerError::Community(_) => ApiError::internal(&error),
    }
}

/// 503 with `Retry-After`: the database had no connection free in time.
fn busy() -> ApiError {
    ApiError::community(kindred_app::community::CommunityError::Unavailable { retry_after: 1 })
}

fn failed(id: &str) -> impl FnOnce(TrackerError) -> ApiError + '_ {
    move |e| tracker_error(e).with_request_id(id)
}

/// A file to download (not cached: the session layer marks every answer to a member `no-store`).
fn download(content_type: &'static str, filename: &'static str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CONTENT_DISPOSITION, HeaderValue::from_static(filename)),
        ],
        body,
    )
        .into_response()
}

pub(crate) fn record_id(raw: &str, request_id: &str) -> ApiResult<i64> {
    raw.parse::<i64>().ok().filter(|n| *n > 0).ok_or_else(|| {
        ApiError::bad_request("bad_path", format!("{raw:?} is not a record id")).with_request_id(request_id)
    })
}

/// The member's diary entries, oldest first.
#[utoipa::path(get, path = "/api/v1/me/tracker/entries", tag = "tracker",
    responses((status = 200, body = [EntryRecord]), (status = 401, body = ErrorBody)))]
pub async fn entries(State(state): State<AppState>, ApiActor(actor, id): ApiActor) -> ApiResult<Response> {
    let tracker = Tracker::of(&state.community, &actor);
    Ok(Json(tracker.entries().await.map_err(failed(&id))?).into_response())
}

/// Add a diary entry: `{"date": "2024-03-01", "severities": [["neck", 6]], "triggers": ["stress"],
/// "note": ""}`. Severities are 0–10 per body region; at least one region.
#[utoipa::path(post, path = "/api/v1/me/tracker/entries", tag = "tracker", request_body = Object,
    responses((status = 201, body = Created), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)))]
pub async fn add_entry(
    State(state): State<AppState>,
    ApiActor(actor, id): ApiActor,
    JsonBody(entry): JsonBody<Entry>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let tracker = Tracker::of(&state.community, &actor);
    let record = tracker.add_entry(&entry).await.map_err(failed(&id))?;
    Ok((StatusCode::CREATED, Json(Created { id: record.0 })))
}

async fn delete_record(
    state: &AppState,
    actor: ApiActor,
    kind: TrackerKind,
    raw: &str,
) -> ApiResult<Response> {
    let ApiActor(actor, id) = actor;
    let record = record_id(raw, &id)?;
    let deleted = Tracker::of(&state.community, &actor)
        .delete(kind, record)
        .await
        .map_err(failed(&id))?;
    Ok(Json(deleted).into_response())
}

/// Delete a diary entry. The response is the deleted record, `{"kind", "record"}`: to undo, send
/// it to `POST /api/v1/me/tracker/restore`.
#[utoipa::path(delete, path = "/api/v1/me/tracker/entries/{id}", tag = "tracker", params(("id" = i64, Path)),
    responses((status = 200, body = Object, description = "The deleted record, for undo"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete_entry(
    State(state): State<AppState>,
    actor: ApiActor,
    path: Result<StrictPath, ApiError>,
) -> ApiResult<Response> {
    let StrictPath(raw, _) = path?;
    delete_record(&state, actor, TrackerKind::Entry, &raw).await
}

/// The member's injections, oldest first, as their clinician recorded them.
#[utoipa::path(get, path = "/api/v1/me/tracker/injections", tag = "tracker",
    responses((status = 200, body = [InjectionRecord]), (status = 401, body = ErrorBody)))]
pub async fn injections(State(state): State<AppState>, ApiActor(actor, id): ApiActor) -> ApiResult<Response> {
    let tracker = Tracker::of(&state.community, &actor);
    Ok(Json(tracker.injections().await.map_err(failed(&id))?).into_response())
}

/// Add an injection: date, product, muscles with units exactly as the clinician recorded them
/// (Kindred never suggests or checks a dose), side effects and a note.
#[utoipa::path(post, path = "/api/v1/me/tracker/injections", tag = "tracker", request_body = Object,
    responses((status = 201, body = Created), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)))]
pub async fn add_injection(
    State(state): State<AppState>,
    ApiActor(actor, id): ApiActor,
    JsonBody(injection): JsonBody<Injection>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let tracker = Tracker::of(&state.community, &actor);
    let record = tracker.add_injection(&injection).await.map_err(failed(&id))?;
    Ok((StatusCode::CREATED, Json(Created { id: record.0 })))
}

/// Delete an injection; the response is the deleted record, for undo.
#[utoipa::path(delete, path = "/api/v1/me/tracker/injections/{id}", tag = "tracker", params(("id" = i64, Path)),
    responses((status = 200, body = Object, description = "The deleted record, for undo"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete_injection(
    State(state): State<AppState>,
    actor: ApiActor,
    path: Result<StrictPath, ApiError>,
) -> ApiResult<Response> {
    let StrictPath(raw, _) = path?;
    delete_record(&state, actor, TrackerKind::Injection, &raw).await
}

/// The member's medicines.
#[utoipa::path(get, path = "/api/v1/me/tracker/medicines", tag = "tracker",
    responses((status = 200, body = [MedicineRecord]), (status = 401, body = ErrorBody)))]
pub async fn medicines(State(state): State<AppState>, ApiActor(actor, id): ApiActor) -> ApiResult<Response> {
    let tracker = Tracker::of(&state.community, &actor);
    Ok(Json(tracker.medicines().await.map_err(failed(&id))?).into_response())
}

/// Add a medicine: name, dose exactly as prescribed, start and stop dates, side effects.
#[utoipa::path(post, path = "/api/v1/me/tracker/medicines", tag = "tracker", request_body = Object,
    responses((status = 201, body = Created), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)))]
pub async fn add_medicine(
    State(state): State<AppState>,
    ApiActor(actor, id): ApiActor,
    JsonBody(medicine): JsonBody<Medicine>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let tracker = Tracker::of(&state.community, &actor);
    let record = tracker.add_medicine(&medicine).await.map_err(failed(&id))?;
    Ok((StatusCode::CREATED, Json(Created { id: record.0 })))
}

/// Delete a medicine; the response is the deleted record, for undo.
#[utoipa::path(delete, path = "/api/v1/me/tracker/medicines/{id}", tag = "tracker", params(("id" = i64, Path)),
    responses((status = 200, body = Object, description = "The deleted record, for undo"),
        (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete_medicine(
    State(state): State<AppState>,
    actor: ApiActor,
    path: Result<StrictPath, ApiError>,
) -> ApiResult<Response> {
    let StrictPath(raw, _) = path?;
    delete_record(&state, actor, TrackerKind::Medicine, &raw).await
}

/// Undo a deletion: send back the `{"kind", "record"}` a DELETE returned. The record is checked
/// like a new one and gets a new id.
#[utoipa::path(post, path = "/api/v1/me/tracker/restore", tag = "tracker", request_body = Object,
    responses((status = 201, body = Created), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)))]
pub async fn restore(
    State(state): State<AppState>,
    ApiActor(actor, id): ApiActor,
    JsonBody(record): JsonBody<DeletedRecord>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let tracker = Tracker::of(&state.community, &actor);
    let restored = tracker.restore(&record).await.map_err(failed(&id))?;
    Ok((StatusCode::CREATED, Json(Created { id: restored.0 })))
}

/// The member's tracker settings: injection interval, family history, own questions.
#[utoipa::path(get, path = "/api/v1/me/tracker/settings", tag = "tracker",
    responses((status = 200, body = TrackerSettings), (status = 401, body = ErrorBody)))]
pub async fn settings(State(state): State<AppState>, ApiActor(actor, id): ApiActor) -> ApiResult<Response> {
    let tracker = Tracker::of(&state.community, &actor);
    Ok(Json(tracker.settings().await.map_err(failed(&id))?).into_response())
}

/// Replace the member's tracker settings.
#[utoipa::path(put, path = "/api/v1/me/tracker/settings", tag = "tracker", request_body = TrackerSettings,
    responses((status = 200, body = TrackerSettings), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody)))]
pub async fn save_settings(
    State(state): State<AppState>,
    ApiActor(actor, id): ApiActor,
    JsonBody(new): JsonBody<TrackerSettings>,
) -> ApiResult<Response> {
    let tracker = Tracker::of(&state.community, &actor);
    tracker.save_settings(&new).await.map_err(failed(&id))?;
    Ok(Json(tracker.settings().await.map_err(failed(&id))?).into_response())
}

/// The body distribution of the regions rated above 0, named as the 2013 consensus names it, with
/// its plain-words explanation and the notice that it is not a diagnosis.
#[utoipa::path(get, path = "/api/v1/me/tracker/distribution", tag = "tracker",
    responses((status = 200, body = DistributionView), (status = 401, body = ErrorBody)))]
pub async fn distribution(
    State(state): State<AppState>,
    ApiActor(actor, id): ApiActor,
) -> ApiResult<Response> {
    let tracker = Tracker::of(&state.community, &actor);
    Ok(Json(tracker.distribution().await.map_err(failed(&id))?).into_response())
}

/// When the next injection falls due.
#[derive(Debug, Serialize, ToSchema)]
pub struct DueJson {
    /// The last injection, the interval used, the window and where today falls in it; `null`
    /// before any injection is recorded.
    #[schema(value_type = Object)]
    pub next_injection: Option<kindred_tracker::NextInjection>,
}

/// The next injection's window: the member's interval (default 12–16 weeks) after the last one.
#[utoipa::path(get, path = "/api/v1/me/tracker/due", tag = "tracker",
    responses((status = 200, body = DueJson), (status = 401, body = ErrorBody)))]
pub async fn due(State(state): State<AppState>, ApiActor(actor, id): ApiActor) -> ApiResult<Response> {
    let tracker = Tracker::of(&state.community, &actor);
    let next_injection = tracker.next_injection().await.map_err(failed(&id))?;
    Ok(Json(DueJson { next_injection }).into_response())
}

/// Mean severity by week since each injection, one column per injection cycle.
#[utoipa::path(get, path = "/api/v1/me/tracker/wearing-off", tag = "tracker",
    responses((status = 200, body = Object, description = "The wearing-off table"), (status = 401, body = ErrorBody)))]
pub async fn wearing_off(
    State(state): State<AppState>,
    ApiActor(actor, id): ApiActor,
) -> ApiResult<Response> {
    let tracker = Tracker::of(&state.community, &actor);
    Ok(Json(tracker.wearing_off().await.map_err(failed(&id))?).into_response())
}

/// The appointment report as data: symptoms and when they began, triggers and notes, treatments,
/// side effects, family history, the member's questions and the library's cited questions.
#[utoipa::path(get, path = "/api/v1/me/tracker/report", tag = "tracker", operation_id = "tracker_report",
    responses((status = 200, body = Object, description = "The appointment report"), (status = 401, body = ErrorBody)))]
pub async fn report(State(state): State<AppState>, ApiActor(actor, id): ApiActor) -> ApiResult<Response> {
    let conditions = kindred_app::tracker::conditions(&state.community, &actor, &state.kindred)
        .await
        .map_err(failed(&id))?;
    let questions = kindred_app::tracker::library_questions(&state.kindred);
    let tracker = Tracker::of(&state.community, &actor);
    let report = tracker.report(conditions, questions).await.map_err(failed(&id))?;
    Ok(Json(report).into_response())
}

/// The member's whole tracker as FHIR R4 JSON.
pub(crate) async fn fhir_bundle(
    state: &AppState,
    actor: &kindred_app::community::Actor,
) -> Result<String, TrackerError> {
    let conditions = kindred_app::tracker::conditions(&state.community, actor, &state.kindred).await?;
    let data = Tracker::of(&state.community, actor).data(conditions).await?;
    let bundle = kindred_tracker::to_fhir_bundle(&data, time::OffsetDateTime::now_utc());
    serde_json::to_string_pretty(&bundle).map_err(|e| TrackerError::Invalid {
        message: format!("export: {e}"),
    })
}

/// Download the whole tracker as a FHIR R4 `collection` Bundle (JSON). Importing it restores the
/// tracker exactly.
#[utoipa::path(get, path = "/api/v1/me/tracker/export.fhir.json", tag = "tracker",
    responses((status = 200, body = Object, content_type = "application/fhir+json", description = "A FHIR R4 Bundle"),
        (status = 401, body = ErrorBody)))]
pub async fn export_fhir(
    State(state): State<AppState>,
    ApiActor(actor, id): ApiActor,
) -> ApiResult<Response> {
    let json = fhir_bundle(&state, &actor).await.map_err(failed(&id))?;
    Ok(download(
        "application/fhir+json",
        "attachment; filename=\"kindred-tracker.fhir.json\"",
        json,
    ))
}

async fn csv(
    state: &AppState,
    actor: ApiActor,
    write: fn(&kindred_tracker::TrackerData) -> String,
    filename: &'static str,
) -> ApiResult<Response> {
    let ApiActor(actor, id) = actor;
    let data = Tracker::of(&state.community, &actor)
        .data(Vec::new())
        .await
        .map_err(failed(&id))?;
    Ok(download("text/csv; charset=utf-8", filename, write(&data)))
}

/// Download the diary as CSV: one row per region rated in an entry.
#[utoipa::path(get, path = "/api/v1/me/tracker/entries.csv", tag = "tracker",
    responses((status = 200, body = String, content_type = "text/csv"), (status = 401, body = ErrorBody)))]
pub async fn entries_csv(State(state): State<AppState>, actor: ApiActor) -> ApiResult<Response> {
    csv(
        &state,
        actor,
        kindred_tracker::entries_csv,
        "attachment; filename=\"kindred-diary.csv\"",
    )
    .await
}

/// Download the injections as CSV: one row per muscle, units as recorded.
#[utoipa::path(get, path = "/api/v1/me/tracker/injections.csv", tag = "tracker",
    responses((status = 200, body = String, content_type = "text/csv"), (status = 401, body = ErrorBody)))]
pub async fn injections_csv(State(state): State<AppState>, actor: ApiActor) -> ApiResult<Response> {
    csv(
        &state,
        actor,
        kindred_tracker::injections_csv,
        "attachment; filename=\"kindred-injections.csv\"",
    )
    .await
}

/// Download the medicines as CSV.
#[utoipa::path(get, path = "/api/v1/me/tracker/medicines.csv", tag = "tracker",
    responses((status = 200, body = String, content_type = "text/csv"), (status = 401, body = ErrorBody)))]
pub async fn medicines_csv(State(state): State<AppState>, actor: ApiActor) -> ApiResult<Response> {
    csv(
        &state,
        actor,
        kindred_tracker::medicines_csv,
        "attachment; filename=\"kindred-medicines.csv\"",
    )
    .await
}

/// Replace the whole tracker with a FHIR R4 Bundle that Kindred exported (`application/json` or
/// `application/fhir+json`). All or nothing: a bad file is a 400 naming the bundle entry or record
/// and the field, and the tracker stays as it was.
#[utoipa::path(post, path = "/api/v1/me/tracker/import", tag = "tracker", request_body = Object,
    responses((status = 200, body = ImportSummary), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 413, description = "Larger than 16 MiB")))]
pub async fn import(
    State(state): State<AppState>,
    ApiActor(actor, id): ApiActor,
    JsonBody(bundle): JsonBody<serde_json::Value>,
) -> ApiResult<Response> {
    let tracker = Tracker::of(&state.community, &actor);
    let summary = tracker.import(&bundle).await.map_err(failed(&id))?;
    Ok(Json(summary).into_response())
}
