//! The care tracker's pages under `/tracker`: the overview (next injection, distribution, chart),
//! the symptom diary, injections, medicines, charts with the wearing-off table, the appointment
//! report (printable HTML and PDF), settings, and export and import.
//!
//! Made for shaky hands: every control is a large target, severities are picked from a row of
//! large 0–10 choices (no sliders, nothing to drag), deleting shows "Deleted" with an Undo button
//! instead of asking first, and everything works by keyboard without JavaScript.
//!
//! Every page is the signed-in member's own: the tracker is reached only through
//! [`Tracker::of`] with the session's member, pages are `no-store`, and an id that is not one of
//! the member's records is a 404 like one that does not exist.

mod pdf;

use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use axum_extra::extract::cookie::CookieJar;
use kindred_app::community::Actor;
use kindred_app::tracker::{
    DeletedRecord, EntryRecord, InjectionRecord, MedicineRecord, Tracker, TrackerError, TrackerSettings,
};
use kindred_store::TrackerKind;
use kindred_tracker::{
    AppointmentReport, Chart, CitedQuestion, DueStatus, Entry, Injection, Medicine, MuscleDose,
    NextInjection, Product, Region, Severity, SideEffectSource, Trigger, WearingOff,
};
use serde::Deserialize;
use time::{Date, Month};

use crate::api::{StrictPath, StrictQuery};
use crate::error::{ApiError, request_id_of};
use crate::pages::DISCLAIMER;
use crate::session::{MaybeActor, form_token_ok};
use crate::state::AppState;
use crate::tracker_api::{MAX_IMPORT_BYTES, record_id, tracker_error};

/// The routes of this module, merged into [`crate::router`].
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
        .route("/tracker", get(overview))
        .route("/tracker/diary", get(diary).post(add_entry))
        .route("/tracker/diary/{id}/delete", post(delete_entry))
        .route("/tracker/injections", get(injections).post(add_injection))
        .route("/tracker/injections/{id}/delete", post(delete_injection))
        .route("/tracker/medicines", get(medicines).post(add_medicine))
        .route("/tracker/medicines/{id}/delete", post(delete_medicine))
        .route("/tracker/restore", post(restore))
        .route("/tracker/charts", get(charts))
        .route("/tracker/report", get(report))
        .route("/tracker/report.pdf", get(report_pdf))
        .route("/tracker/settings", get(settings).post(save_settings))
        .route("/tracker/export", get(export))
        .route(
            "/tracker/import",
            post(import).layer(DefaultBodyLimit::max(MAX_IMPORT_BYTES)),
        )
}

// ---- shared page parts ---------------------------------------------------------------------------

/// The tracker's own navigation: (key, address, label).
const NAV: [(&str, &str, &str); 8] = [
    ("overview", "/tracker", "Overview"),
    ("diary", "/tracker/diary", "Diary"),
    ("injections", "/tracker/injections", "Injections"),
    ("medicines", "/tracker/medicines", "Medicines"),
    ("charts", "/tracker/charts", "Charts"),
    ("report", "/tracker/report", "Appointment report"),
    ("settings", "/tracker/settings", "Settings"),
    ("export", "/tracker/export", "Export and import"),
];

/// A link of the tracker's navigation.
struct NavItem {
    href: &'static str,
    label: &'static str,
    current: bool,
}

/// A "done" message at the top of a page, with an Undo button after a deletion.
struct Notice {
    text: String,
    undo: Option<Undo>,
}

/// What the Undo button sends back: the deleted record, whole.
struct Undo {
    record_json: String,
    label: String,
}

/// What every tracker page has: the form token, the navigation and a notice.
struct Frame {
    csrf: String,
    nav: Vec<NavItem>,
    notice: Option<Notice>,
}

impl Frame {
    fn new(actor: &Actor, current: &str) -> Frame {
        Frame {
            csrf: actor.csrf_token.clone(),
            nav: NAV
                .iter()
                .map(|&(key, href, label)| NavItem {
                    href,
                    label,
                    current: key == current,
                })
                .collect(),
            notice: None,
        }
    }

    fn with_notice(mut self, notice: Option<Notice>) -> Frame {
        self.notice = notice;
        self
    }
}

/// Renders a page; private pages are never stored by caches.
fn render(template: &impl Template, status: StatusCode) -> Response {
    match template.render() {
        Ok(html) => {
            let mut response = (status, Html(html)).into_response();
            response.headers_mut().insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            );
            response
        }
        Err(e) => ApiError::internal(&e).into_response(),
    }
}

#[derive(Template)]
#[template(path = "tracker_signin.html")]
struct SignInPage {
    disclaimer: &'static str,
}

/// The page for a visitor who is not signed in: 401, with the way to sign in.
fn sign_in_page() -> Response {
    render(
        &SignInPage {
            disclaimer: DISCLAIMER,
        },
        StatusCode::UNAUTHORIZED,
    )
}

#[derive(Template)]
#[template(path = "tracker_error.html")]
struct ErrorPage<'a> {
    title: &'a str,
    message: &'a str,
    request_id: &'a str,
    disclaimer: &'static str,
}

fn error_page(error: ApiError) -> Response {
    let title = match error.status {
        StatusCode::NOT_FOUND => "Not found in your tracker",
        StatusCode::FORBIDDEN => "This form has expired",
        StatusCode::BAD_REQUEST => "We could not read that",
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

fn failed(request_id: &str) -> impl FnOnce(TrackerError) -> Response + '_ {
    move |e| error_page(tracker_error(e).with_request_id(request_id))
}

/// A submitted form whose token is not the session's: refused.
fn bad_token(request_id: &str) -> Response {
    error_page(
        ApiError::new(
            StatusCode::FORBIDDEN,
            "csrf",
            "The form's security token did not match your session. Go back, reload the page and send it again.",
        )
        .with_request_id(request_id),
    )
}

/// The submitted fields of a form, in order (repeated names allowed).
struct Fields(Vec<(String, String)>);

impl Fields {
    fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map_or("", |(_, value)| value.as_str())
    }

    fn all(&self, name: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
            .collect()
    }
}

/// Why a submitted form is refused before it is read.
enum Refusal {
    /// Nobody is signed in.
    SignIn,
    /// The form's token is not the session's.
    BadToken,
}

impl Refusal {
    fn response(self, request_id: &str) -> Response {
        match self {
            Refusal::SignIn => sign_in_page(),
            Refusal::BadToken => bad_token(request_id),
        }
    }
}

/// The signed-in member whose session's token the form carries.
fn checked_form(actor: Option<Actor>, jar: &CookieJar, fields: &Fields) -> Result<Actor, Refusal> {
    let Some(actor) = actor else {
        return Err(Refusal::SignIn);
    };
    if !form_token_ok(Some(&actor), jar, fields.get("csrf")) {
        return Err(Refusal::BadToken);
    }
    Ok(actor)
}

/// `?saved=` on a page after a redirect: which notice to show.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SavedParams {
    saved: Option<String>,
}

fn saved_notice(key: Option<&str>) -> Option<Notice> {
    let text = match key? {
        "entry" => "Diary entry saved.",
        "injection" => "Injection saved.",
        "medicine" => "Medicine saved.",
        "restored" => "Put back.",
        "settings" => "Settings saved.",
        "imported" => "Import done: your tracker now holds what the file held.",
        _ => return None,
    };
    Some(Notice {
        text: text.to_owned(),
        undo: None,
    })
}

fn saved_param(query: Result<StrictQuery<SavedParams>, ApiError>) -> Result<Option<Notice>, ApiError> {
    query.map(|StrictQuery(params, _)| saved_notice(params.saved.as_deref()))
}

fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

// ---- dates and words -----------------------------------------------------------------------------

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `1 Mar 2024`.
fn human(date: Date) -> String {
    let month = MONTHS
        .get(usize::from(u8::from(date.month())) - 1)
        .copied()
        .unwrap_or_default();
    format!("{} {month} {}", date.day(), date.year())
}

/// Parses `2024-03-01` as a browser's date field sends it.
fn parse_date(text: &str) -> Option<Date> {
    let mut parts = text.trim().splitn(3, '-');
    let year: i32 = parts.next()?.parse().ok()?;
    let month: u8 = parts.next()?.parse().ok()?;
    let day: u8 = parts.next()?.parse().ok()?;
    Date::from_calendar_date(year, Month::try_from(month).ok()?, day).ok()
}

/// A required date field, or a message naming it.
fn required_date(field: &str, text: &str) -> Result<Date, String> {
    if text.trim().is_empty() {
        return Err(format!("{field}: enter a date"));
    }
    parse_date(text).ok_or_else(|| format!("{field}: {text:?} is not a date like 2024-03-01"))
}

/// An optional date field.
fn optional_date(field: &str, text: &str) -> Result<Option<Date>, String> {
    if text.trim().is_empty() {
        Ok(None)
    } else {
        required_date(field, text).map(Some)
    }
}

/// One item per non-empty line.
fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Browsers send `\r\n` in text areas; the tracker keeps `\n`.
fn text_area(text: &str) -> String {
    text.replace("\r\n", "\n").trim().to_owned()
}

fn units_text(units: Option<f64>) -> String {
    match units {
        Some(units) => format!("{units} units"),
        None => "units not recorded".to_owned(),
    }
}

fn muscle_line(dose: &MuscleDose) -> String {
    format!("{}: {}", dose.muscle, units_text(dose.units))
}

/// The next injection's window in words: when, and where today falls.
struct DueText {
    window: String,
    status: String,
}

fn due_sentence(next: &NextInjection) -> DueText {
    let window = format!(
        "From {} to {}: {}–{} weeks after your injection on {}, the interval in your settings.",
        human(next.window.opens),
        human(next.window.closes),
        next.settings.min_weeks,
        next.settings.max_weeks,
        human(next.last_injection)
    );
    let status = match next.status {
        DueStatus::NotYet { days_until_open } => {
            format!("The window opens in {days_until_open} {}.", days(days_until_open))
        }
        DueStatus::Open { days_until_close: 0 } => "You are in the window; today is its last day.".to_owned(),
        DueStatus::Open { days_until_close } => {
            format!(
                "You are in the window; it closes in {days_until_close} {}.",
                days(days_until_close)
            )
        }
        DueStatus::Overdue { days_since_close } => {
            format!(
                "The window closed {days_since_close} {} ago.",
                days(days_since_close)
            )
        }
    };
    DueText { window, status }
}

fn days(n: i64) -> &'static str {
    if n == 1 { "day" } else { "days" }
}

/// A chart's data table, for people.
struct ChartRowView {
    date: String,
    region: &'static str,
    severity: u8,
}

/// A rendered chart with its table.
struct ChartView {
    chart: Chart,
    rows: Vec<ChartRowView>,
}

fn chart_view(entries: &[Entry], injections: &[Injection], from: Date, to: Date, id: &str) -> ChartView {
    let chart = kindred_tracker::severity_chart(entries, injections, from, to, id);
    let rows = chart
        .table
        .iter()
        .map(|row| ChartRowView {
            date: human(row.date),
            region: row.region.label(),
            severity: row.severity,
        })
        .collect();
    ChartView { chart, rows }
}

/// The wearing-off table, for people: the weeks with at least one entry.
struct WearingOffView {
    columns: Vec<String>,
    rows: Vec<(u8, Vec<String>)>,
}

fn wearing_off_view(table: &WearingOff) -> Option<WearingOffView> {
    if table.cycles.is_empty() {
        return None;
    }
    let columns = table
        .cycles
        .iter()
        .map(|cycle| format!("After {}", human(cycle.injection_date)))
        .collect();
    // Weeks without any entry after any injection say nothing: left out.
    let rows = table
        .rows
        .iter()
        .filter(|row| row.cells.iter().any(Option::is_some))
        .map(|row| {
            let cells = row
                .cells
                .iter()
                .map(|cell| cell.map_or_else(|| "–".to_owned(), |mean| format!("{mean:.1}")))
                .collect();
            (row.week, cells)
        })
        .collect();
    Some(WearingOffView { columns, rows })
}

// ---- overview ------------------------------------------------------------------------------------

struct DistributionText {
    label: &'static str,
    explanation: String,
}

#[derive(Template)]
#[template(path = "tracker_overview.html")]
struct OverviewPage {
    frame: Frame,
    disclaimer: &'static str,
    handle: String,
    due: Option<DueText>,
    distribution: Option<DistributionText>,
    clinician_notice: &'static str,
    n_entries: usize,
    n_injections: usize,
    n_medicines: usize,
    chart: Option<ChartView>,
}

/// `/tracker`: the next injection's window, the distribution, and the last 90 days' chart.
async fn overview(State(state): State<AppState>, MaybeActor(actor): MaybeActor) -> Response {
    let Some(actor) = actor else {
        return sign_in_page();
    };
    let id = String::new();
    let tracker = Tracker::of(&state.community, &actor);
    let loaded = async {
        Ok::<_, TrackerError>((
            tracker.entries().await?,
            tracker.injections().await?,
            tracker.medicines().await?,
            tracker.next_injection().await?,
        ))
    }
    .await;
    let (entries, injections, medicines, next) = match loaded {
        Ok(loaded) => loaded,
        Err(e) => return failed(&id)(e),
    };
    let entries: Vec<Entry> = entries.into_iter().map(|r| r.entry).collect();
    let injections: Vec<Injection> = injections.into_iter().map(|r| r.injection).collect();
    let distribution = kindred_app::tracker::distribution_of(&entries);
    let today = kindred_app::tracker::today();
    let chart = (!entries.is_empty()).then(|| {
        let from = today.checked_sub(time::Duration::days(90)).unwrap_or(today);
        chart_view(&entries, &injections, from, today, "overview-chart")
    });
    render(
        &OverviewPage {
            frame: Frame::new(&actor, "overview"),
            disclaimer: DISCLAIMER,
            handle: actor.member.handle.clone(),
            due: next.as_ref().map(due_sentence),
            distribution: distribution.distribution.map(|d| DistributionText {
                label: d.class.label(),
                explanation: d.explanation,
            }),
            clinician_notice: distribution.clinician_notice,
            n_entries: entries.len(),
            n_injections: injections.len(),
            n_medicines: medicines.len(),
            chart,
        },
        StatusCode::OK,
    )
}

// ---- diary ---------------------------------------------------------------------------------------

/// One choice of a region's 0–10 scale.
struct Level {
    value: u8,
    checked: bool,
}

/// A region's row of the diary form.
struct RegionInput {
    key: &'static str,
    label: &'static str,
    not_rated: bool,
    levels: Vec<Level>,
}

struct TriggerInput {
    key: &'static str,
    label: &'static str,
    checked: bool,
}

/// The diary form, as shown (empty, or as submitted when it needs fixing).
struct DiaryForm {
    date: String,
    max_date: String,
    regions: Vec<RegionInput>,
    more_regions: Vec<RegionInput>,
    triggers: Vec<TriggerInput>,
    note: String,
    error: Option<String>,
}

struct EntryRow {
    id: i64,
    date: String,
    ratings: Vec<String>,
    triggers: String,
    note: String,
}

#[derive(Template)]
#[template(path = "tracker_diary.html")]
struct DiaryPage {
    frame: Frame,
    disclaimer: &'static str,
    form: DiaryForm,
    entries: Vec<EntryRow>,
}

fn region_input(region: Region, selected: Option<u8>) -> RegionInput {
    RegionInput {
        key: region.key(),
        label: region.label(),
        not_rated: selected.is_none(),
        levels: (0..=Severity::MAX)
            .map(|value| Level {
                value,
                checked: selected == Some(value),
            })
            .collect(),
    }
}

/// The regions shown first: the member's own (from their profile and past entries), or all of
/// them when there are none yet.
fn own_regions(profile_regions: &[String], entries: &[EntryRecord]) -> Vec<Region> {
    Region::ALL
        .into_iter()
        .filter(|region| {
            profile_regions.iter().any(|key| key == region.key())
                || entries
                    .iter()
                    .any(|r| r.entry.severities.iter().any(|(rated, _)| rated == region))
        })
        .collect()
}

fn diary_form(
    own: &[Region],
    selected: &[(Region, u8)],
    triggers: &[Trigger],
    date: String,
    note: String,
    error: Option<String>,
) -> DiaryForm {
    let pick = |region: Region| selected.iter().find(|(r, _)| *r == region).map(|&(_, v)| v);
    let first: Vec<Region> = if own.is_empty() {
        Region::ALL.to_vec()
    } else {
        Region::ALL
            .into_iter()
            .filter(|region| own.contains(region) || pick(*region).is_some())
            .collect()
    };
    DiaryForm {
        date,
        max_date: kindred_app::tracker::iso(kindred_app::tracker::latest_record_date()),
        regions: first.iter().map(|&r| region_input(r, pick(r))).collect(),
        more_regions: Region::ALL
            .into_iter()
            .filter(|region| !first.contains(region))
            .map(|r| region_input(r, pick(r)))
            .collect(),
        triggers: Trigger::ALL
            .into_iter()
            .map(|trigger| TriggerInput {
                key: trigger.key(),
                label: trigger.label(),
                checked: triggers.contains(&trigger),
            })
            .collect(),
        note,
        error,
    }
}

fn entry_rows(entries: &[EntryRecord]) -> Vec<EntryRow> {
    let mut rows: Vec<EntryRow> = entries
        .iter()
        .map(|record| EntryRow {
            id: record.id,
            date: human(record.entry.date),
            ratings: record
                .entry
                .severities
                .iter()
                .map(|(region, severity)| format!("{}: {severity}", region.label()))
                .collect(),
            triggers: record
                .entry
                .triggers
                .iter()
                .map(|t| t.label())
                .collect::<Vec<_>>()
                .join(", "),
            note: record.entry.note.clone(),
        })
        .collect();
    rows.reverse(); // newest first
    rows
}

struct DiaryInput {
    selected: Vec<(Region, u8)>,
    triggers: Vec<Trigger>,
    date: String,
    note: String,
}

fn read_diary(fields: &Fields) -> (DiaryInput, Result<Entry, String>) {
    let mut selected = Vec::new();
    let mut problem: Option<String> = None;
    for region in Region::ALL {
        let value = fields.get(&format!("sev-{}", region.key()));
        if value.is_empty() {
            continue;
        }
        match value.parse::<u8>().ok().and_then(|v| Severity::new(v).ok()) {
            Some(severity) => selected.push((region, severity.get())),
            None => {
                problem.get_or_insert(format!("{}: severity {value:?} is not 0 to 10", region.label()));
            }
        }
    }
    let mut triggers = Vec::new();
    for key in fields.all("trigger") {
        match Trigger::from_key(key) {
            Ok(trigger) if !triggers.contains(&trigger) => triggers.push(trigger),
            Ok(_) => {}
            Err(e) => {
                problem.get_or_insert(e.to_string());
            }
        }
    }
    let input = DiaryInput {
        selected,
        triggers,
        date: fields.get("date").trim().to_owned(),
        note: text_area(fields.get("note")),
    };
    let entry = (|| {
        if let Some(problem) = problem {
            return Err(problem);
        }
        let date = required_date("date", &input.date)?;
        if input.selected.is_empty() {
            return Err("body regions: choose a severity from 0 to 10 for at least one region".to_owned());
        }
        Ok(Entry {
            date,
            severities: input
                .selected
                .iter()
                .filter_map(|&(region, value)| Severity::new(value).ok().map(|s| (region, s)))
                .collect(),
            triggers: input.triggers.clone(),
            note: input.note.clone(),
        })
    })();
    (input, entry)
}

async fn diary_page(
    state: &AppState,
    actor: &Actor,
    notice: Option<Notice>,
    input: Option<(DiaryInput, String)>,
    request_id: &str,
) -> Response {
    let tracker = Tracker::of(&state.community, actor);
    let entries = match tracker.entries().await {
        Ok(entries) => entries,
        Err(e) => return failed(request_id)(e),
    };
    let profile_regions = state
        .community
        .own_profile(actor)
        .await
        .map(|profile| profile.regions.value)
        .unwrap_or_default();
    let own = own_regions(&profile_regions, &entries);
    let today = kindred_app::tracker::iso(kindred_app::tracker::today());
    let (form, status) = match input {
        None => (
            diary_form(&own, &[], &[], today, String::new(), None),
            StatusCode::OK,
        ),
        Some((input, error)) => (
            diary_form(
                &own,
                &input.selected,
                &input.triggers,
                input.date,
                input.note,
                Some(error),
            ),
            StatusCode::BAD_REQUEST,
        ),
    };
    render(
        &DiaryPage {
            frame: Frame::new(actor, "diary").with_notice(notice),
            disclaimer: DISCLAIMER,
            form,
            entries: entry_rows(&entries),
        },
        status,
    )
}

/// `/tracker/diary`: the quick entry form and the entries, newest first.
async fn diary(
    State(state): State<AppState>,
    MaybeActor(actor): MaybeActor,
    query: Result<StrictQuery<SavedParams>, ApiError>,
) -> Response {
    let Some(actor) = actor else {
        return sign_in_page();
    };
    let notice = match saved_param(query) {
        Ok(notice) => notice,
        Err(e) => return error_page(e),
    };
    diary_page(&state, &actor, notice, None, "").await
}

/// `POST /tracker/diary`: adds an entry; a mistake shows the form again with what was entered.
async fn add_entry(
    State(state): State<AppState>,
    MaybeActor(actor): MaybeActor,
    headers: axum::http::HeaderMap,
    jar: CookieJar,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let id = request_id_of(&headers);
    let fields = Fields(fields);
    let actor = match checked_form(actor, &jar, &fields) {
        Ok(actor) => actor,
        Err(refusal) => return refusal.response(&id),
    };
    let (input, entry) = read_diary(&fields);
    let result = match entry {
        Ok(entry) => Tracker::of(&state.community, &actor)
            .add_entry(&entry)
            .await
            .map_err(|e| match e {
                TrackerError::Invalid { message } => Ok(message),
                other => Err(other),
            }),
        Err(message) => Err(Ok(message)),
    };
    match result {
        Ok(_) => see_other("/tracker/diary?saved=entry"),
        Err(Ok(message)) => diary_page(&state, &actor, None, Some((input, message)), &id).await,
        Err(Err(e)) => failed(&id)(e),
    }
}

/// Deletes one of the member's records and shows its page with "Deleted" and an Undo button.
async fn delete_and_offer_undo(
    state: &AppState,
    actor: Option<Actor>,
    jar: &CookieJar,
    fields: &Fields,
    raw_id: &str,
    kind: TrackerKind,
    request_id: &str,
) -> Response {
    let actor = match checked_form(actor, jar, fields) {
        Ok(actor) => actor,
        Err(refusal) => return refusal.response(request_id),
    };
    let record = match record_id(raw_id, request_id) {
        Ok(record) => record,
        Err(e) => return error_page(e),
    };
    let deleted = match Tracker::of(&state.community, &actor).delete(kind, record).await {
        Ok(deleted) => deleted,
        Err(e) => return failed(request_id)(e),
    };
    let (text, label) = match &deleted {
        DeletedRecord::Entry(entry) => (
            format!("Deleted the diary entry of {}.", human(entry.date)),
            format!("Undo: put back the diary entry of {}", human(entry.date)),
        ),
        DeletedRecord::Injection(injection) => (
            format!("Deleted the injection of {}.", human(injection.date)),
            format!("Undo: put back the injection of {}", human(injection.date)),
        ),
        DeletedRecord::Medicine(medicine) => (
            format!("Deleted {}.", medicine.name),
            format!("Undo: put back {}", medicine.name),
        ),
    };
    let notice = Some(Notice {
        text,
        undo: serde_json::to_string(&deleted)
            .ok()
            .map(|record_json| Undo { record_json, label }),
    });
    match kind {
        TrackerKind::Entry => diary_page(state, &actor, notice, None, request_id).await,
        TrackerKind::Injection => injections_page(state, &actor, notice, None, request_id).await,
        TrackerKind::Medicine => medicines_page(state, &actor, notice, None, request_id).await,
    }
}

/// `POST /tracker/diary/{id}/delete`.
async fn delete_entry(
    State(state): State<AppState>,
    MaybeActor(actor): MaybeActor,
    headers: axum::http::HeaderMap,
    jar: CookieJar,
    path: Result<StrictPath, ApiError>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let id = request_id_of(&headers);
    let StrictPath(raw, _) = match path {
        Ok(path) => path,
        Err(e) => return error_page(e),
    };
    delete_and_offer_undo(
        &state,
        actor,
        &jar,
        &Fields(fields),
        &raw,
        TrackerKind::Entry,
        &id,
    )
    .await
}

/// `POST /tracker/restore`: Undo, putting a deleted record back.
async fn restore(
    State(state): State<AppState>,
    MaybeActor(actor): MaybeActor,
    headers: axum::http::HeaderMap,
    jar: CookieJar,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let id = request_id_of(&headers);
    let fields = Fields(fields);
    let actor = match checked_form(actor, &jar, &fields) {
        Ok(actor) => actor,
        Err(refusal) => return refusal.response(&id),
    };
    let record: DeletedRecord = match serde_json::from_str(fields.get("record")) {
        Ok(record) => record,
        Err(e) => {
            return error_page(
                ApiError::bad_request(
                    "invalid",
                    format!("record: the record to put back is damaged ({e})"),
                )
                .with_request_id(&id),
            );
        }
    };
    if let Err(e) = Tracker::of(&state.community, &actor).restore(&record).await {
        return failed(&id)(e);
    }
    see_other(match record {
        DeletedRecord::Entry(_) => "/tracker/diary?saved=restored",
        DeletedRecord::Injection(_) => "/tracker/injections?saved=restored",
        DeletedRecord::Medicine(_) => "/tracker/medicines?saved=restored",
    })
}

// ---- injections ----------------------------------------------------------------------------------

/// Muscle rows the injection form shows; [`MORE_MUSCLE_ROWS`] more wait in a "More muscles"
/// disclosure, so no round trip is needed for a long injection record.
const MUSCLE_ROWS: usize = 3;
/// Muscle rows inside the "More muscles" disclosure.
const MORE_MUSCLE_ROWS: usize = 12;

struct ProductInput {
    key: &'static str,
    label: &'static str,
    checked: bool,
}

struct MuscleInput {
    /// The row's number on the form, from 1.
    n: usize,
    muscle: String,
    units: String,
}

struct InjectionForm {
    date: String,
    max_date: String,
    products: Vec<ProductInput>,
    muscles: Vec<MuscleInput>,
    more_muscles: Vec<MuscleInput>,
    side_effects: String,
    note: String,
    error: Option<String>,
}

struct InjectionRow {
    id: i64,
    date: String,
    product: &'static str,
    muscles: Vec<String>,
    side_effects: String,
    note: String,
}

#[derive(Template)]
#[template(path = "tracker_injections.html")]
struct InjectionsPage {
    frame: Frame,
    disclaimer: &'static str,
    form: InjectionForm,
    injections: Vec<InjectionRow>,
    due: Option<DueText>,
}

fn injection_form(product: Option<&str>, filled: Vec<(String, String)>, date: String) -> InjectionForm {
    let (muscles, more_muscles) = muscle_rows(filled);
    InjectionForm {
        date,
        max_date: kindred_app::tracker::iso(kindred_app::tracker::latest_record_date()),
        products: Product::ALL
            .into_iter()
            .map(|p| ProductInput {
                key: p.key(),
                label: p.label(),
                checked: product == Some(p.key()),
            })
            .collect(),
        muscles,
        more_muscles,
        side_effects: String::new(),
        note: String::new(),
        error: None,
    }
}

/// `n` empty rows, numbered after `after`.
fn empty_muscles(after: usize, n: usize) -> Vec<MuscleInput> {
    (after + 1..=after + n)
        .map(|n| MuscleInput {
            n,
            muscle: String::new(),
            units: String::new(),
        })
        .collect()
}

/// The rows given, numbered from 1, then empty rows up to the visible count and the disclosure's.
fn muscle_rows(filled: Vec<(String, String)>) -> (Vec<MuscleInput>, Vec<MuscleInput>) {
    let mut rows: Vec<MuscleInput> = filled
        .into_iter()
        .enumerate()
        .map(|(i, (muscle, units))| MuscleInput {
            n: i + 1,
            muscle,
            units,
        })
        .collect();
    let visible = rows.len().max(MUSCLE_ROWS);
    rows.extend(empty_muscles(rows.len(), visible - rows.len()));
    let more = empty_muscles(visible, MORE_MUSCLE_ROWS);
    (rows, more)
}

/// The injection form as submitted, and the injection it describes (or what is wrong).
fn read_injection(fields: &Fields) -> (InjectionForm, Result<Injection, String>) {
    // Only the rows filled in: the form comes back with them first and fresh empty rows after.
    let filled: Vec<(String, String)> = fields
        .all("muscle")
        .into_iter()
        .zip(fields.all("units"))
        .map(|(muscle, units)| (muscle.trim().to_owned(), units.trim().to_owned()))
        .filter(|(muscle, units)| !muscle.is_empty() || !units.is_empty())
        .collect();
    let product_key = fields.get("product");
    let mut form = injection_form(Some(product_key), filled, fields.get("date").trim().to_owned());
    form.side_effects = text_area(fields.get("side_effects"));
    form.note = text_area(fields.get("note"));
    let injection = (|| {
        let date = required_date("date", &form.date)?;
        if product_key.is_empty() {
            return Err("product: choose the product your clinician used (or Another product)".to_owned());
        }
        let product = Product::from_key(product_key).map_err(|e| e.to_string())?;
        let mut doses = Vec::new();
        for row in form
            .muscles
            .iter()
            .filter(|r| !r.muscle.is_empty() || !r.units.is_empty())
        {
            let i = doses.len();
            if row.muscle.is_empty() {
                return Err(format!(
                    "muscles[{i}].muscle: name the muscle for {} units",
                    row.units
                ));
            }
            let units = if row.units.is_empty() {
                None
            } else {
                Some(row.units.replace(',', ".").parse::<f64>().map_err(|_| {
                    format!(
                        "muscles[{i}].units: {:?} is not a number; enter the units as recorded, or leave it empty",
                        row.units
                    )
                })?)
            };
            doses.push(MuscleDose {
                muscle: row.muscle.clone(),
                units,
            });
        }
        Ok(Injection {
            date,
            product,
            muscles: doses,
            side_effects: lines(&form.side_effects),
            note: form.note.clone(),
        })
    })();
    (form, injection)
}

fn injection_rows(injections: &[InjectionRecord]) -> Vec<InjectionRow> {
    let mut rows: Vec<InjectionRow> = injections
        .iter()
        .map(|record| InjectionRow {
            id: record.id,
            date: human(record.injection.date),
            product: record.injection.product.label(),
            muscles: record.injection.muscles.iter().map(muscle_line).collect(),
            side_effects: record.injection.side_effects.join("; "),
            note: record.injection.note.clone(),
        })
        .collect();
    rows.reverse();
    rows
}

async fn injections_page(
    state: &AppState,
    actor: &Actor,
    notice: Option<Notice>,
    form: Option<InjectionForm>,
    request_id: &str,
) -> Response {
    let tracker = Tracker::of(&state.community, actor);
    let loaded =
        async { Ok::<_, TrackerError>((tracker.injections().await?, tracker.next_injection().await?)) }.await;
    let (injections, next) = match loaded {
        Ok(loaded) => loaded,
        Err(e) => return failed(request_id)(e),
    };
    let status = if form.as_ref().is_some_and(|f| f.error.is_some()) {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let today = kindred_app::tracker::iso(kindred_app::tracker::today());
    render(
        &InjectionsPage {
            frame: Frame::new(actor, "injections").with_notice(notice),
            disclaimer: DISCLAIMER,
            form: form.unwrap_or_else(|| injection_form(None, Vec::new(), today)),
            injections: injection_rows(&injections),
            due: next.as_ref().map(due_sentence),
        },
        status,
    )
}

/// `/tracker/injections`: record an injection as the clinician gave it; the list; the due window.
async fn injections(
    State(state): State<AppState>,
    MaybeActor(actor): MaybeActor,
    query: Result<StrictQuery<SavedParams>, ApiError>,
) -> Response {
    let Some(actor) = actor else {
        return sign_in_page();
    };
    let notice = match saved_param(query) {
        Ok(notice) => notice,
        Err(e) => return error_page(e),
    };
    injections_page(&state, &actor, notice, None, "").await
}

/// `POST /tracker/injections`: saves; a mistake shows the form again with what was entered.
async fn add_injection(
    State(state): State<AppState>,
    MaybeActor(actor): MaybeActor,
    headers: axum::http::HeaderMap,
    jar: CookieJar,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let id = request_id_of(&headers);
    let fields = Fields(fields);
    let actor = match checked_form(actor, &jar, &fields) {
        Ok(actor) => actor,
        Err(refusal) => return refusal.response(&id),
    };
    let (mut form, injection) = read_injection(&fields);
    let result = match injection {
        Ok(injection) => match Tracker::of(&state.community, &actor)
            .add_injection(&injection)
            .await
        {
            Ok(_) => Ok(()),
            Err(TrackerError::Invalid { message }) => Err(message),
            Err(other) => return failed(&id)(other),
        },
        Err(message) => Err(message),
    };
    match result {
        Ok(()) => see_other("/tracker/injections?saved=injection"),
        Err(message) => {
            form.error = Some(message);
            injections_page(&state, &actor, None, Some(form), &id).await
        }
    }
}

/// `POST /tracker/injections/{id}/delete`.
async fn delete_injection(
    State(state): State<AppState>,
    MaybeActor(actor): MaybeActor,
    headers: axum::http::HeaderMap,
    jar: CookieJar,
    path: Result<StrictPath, ApiError>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let id = request_id_of(&headers);
    let StrictPath(raw, _) = match path {
        Ok(path) => path,
        Err(e) => return error_page(e),
    };
    delete_and_offer_undo(
        &state,
        actor,
        &jar,
        &Fields(fields),
        &raw,
        TrackerKind::Injection,
        &id,
    )
    .await
}

// ---- medicines -----------------------------------------------------------------------------------

#[derive(Default)]
struct MedicineForm {
    name: String,
    dose: String,
    started: String,
    stopped: String,
    side_effects: String,
    max_date: String,
    error: Option<String>,
}

struct MedicineRow {
    id: i64,
    name: String,
    dose: String,
    period: String,
    side_effects: String,
}

#[derive(Template)]
#[template(path = "tracker_medicines.html")]
struct MedicinesPage {
    frame: Frame,
    disclaimer: &'static str,
    form: MedicineForm,
    medicines: Vec<MedicineRow>,
}

fn period(medicine: &Medicine) -> String {
    match (medicine.started, medicine.stopped) {
        (Some(started), Some(stopped)) => format!("{} to {}", human(started), human(stopped)),
        (Some(started), None) => format!("Since {}", human(started)),
        (None, Some(stopped)) => format!("Stopped {}", human(stopped)),
        (None, None) => "Dates not recorded".to_owned(),
    }
}

fn read_medicine(fields: &Fields) -> (MedicineForm, Result<Medicine, String>) {
    let form = MedicineForm {
        name: fields.get("name").trim().to_owned(),
        dose: fields.get("dose").trim().to_owned(),
        started: fields.get("started").trim().to_owned(),
        stopped: fields.get("stopped").trim().to_owned(),
        side_effects: text_area(fields.get("side_effects")),
        max_date: kindred_app::tracker::iso(kindred_app::tracker::latest_record_date()),
        error: None,
    };
    let medicine = (|| {
        Ok(Medicine {
            name: form.name.clone(),
            dose_as_prescribed: form.dose.clone(),
            started: optional_date("started", &form.started)?,
            stopped: optional_date("stopped", &form.stopped)?,
            side_effects: lines(&form.side_effects),
        })
    })();
    (form, medicine)
}

async fn medicines_page(
    state: &AppState,
    actor: &Actor,
    notice: Option<Notice>,
    form: Option<MedicineForm>,
    request_id: &str,
) -> Response {
    let medicines = match Tracker::of(&state.community, actor).medicines().await {
        Ok(medicines) => medicines,
        Err(e) => return failed(request_id)(e),
    };
    let status = if form.as_ref().is_some_and(|f| f.error.is_some()) {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let form = form.unwrap_or_else(|| MedicineForm {
        max_date: kindred_app::tracker::iso(kindred_app::tracker::latest_record_date()),
        ..MedicineForm::default()
    });
    let rows = medicines
        .iter()
        .rev()
        .map(|MedicineRecord { id, medicine }| MedicineRow {
            id: *id,
            name: medicine.name.clone(),
            dose: medicine.dose_as_prescribed.clone(),
            period: period(medicine),
            side_effects: medicine.side_effects.join("; "),
        })
        .collect();
    render(
        &MedicinesPage {
            frame: Frame::new(actor, "medicines").with_notice(notice),
            disclaimer: DISCLAIMER,
            form,
            medicines: rows,
        },
        status,
    )
}

/// `/tracker/medicines`: add a medicine with its dose as prescribed; the list.
async fn medicines(
    State(state): State<AppState>,
    MaybeActor(actor): MaybeActor,
    query: Result<StrictQuery<SavedParams>, ApiError>,
) -> Response {
    let Some(actor) = actor else {
        return sign_in_page();
    };
    let notice = match saved_param(query) {
        Ok(notice) => notice,
        Err(e) => return error_page(e),
    };
    medicines_page(&state, &actor, notice, None, "").await
}

/// `POST /tracker/medicines`.
async fn add_medicine(
    State(state): State<AppState>,
    MaybeActor(actor): MaybeActor,
    headers: axum::http::HeaderMap,
    jar: CookieJar,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let id = request_id_of(&headers);
    let fields = Fields(fields);
    let actor = match checked_form(actor, &jar, &fields) {
        Ok(actor) => actor,
        Err(refusal) => return refusal.response(&id),
    };
    let (mut form, medicine) = read_medicine(&fields);
    let result = match medicine {
        Ok(medicine) => match Tracker::of(&state.community, &actor)
            .add_medicine(&medicine)
            .await
        {
            Ok(_) => Ok(()),
            Err(TrackerError::Invalid { message }) => Err(message),
            Err(other) => return failed(&id)(other),
        },
        Err(message) => Err(message),
    };
    match result {
        Ok(()) => see_other("/tracker/medicines?saved=medicine"),
        Err(message) => {
            form.error = Some(message);
            medicines_page(&state, &actor, None, Some(form), &id).await
        }
    }
}

/// `POST /tracker/medicines/{id}/delete`.
async fn delete_medicine(
    State(state): State<AppState>,
    MaybeActor(actor): MaybeActor,
    headers: axum::http::HeaderMap,
    jar: CookieJar,
    path: Result<StrictPath, ApiError>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let id = request_id_of(&headers);
    let StrictPath(raw, _) = match path {
        Ok(path) => path,
        Err(e) => return error_page(e),
    };
    delete_and_offer_undo(
        &state,
        actor,
        &jar,
        &Fields(fields),
        &raw,
        TrackerKind::Medicine,
        &id,
    )
    .await
}

// ---- charts --------------------------------------------------------------------------------------

/// `?days=` of the charts page.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ChartParams {
    days: Option<String>,
}

/// The spans the charts page offers: (value of `days`, label).
const SPANS: [(&str, &str); 4] = [
    ("30", "Last 30 days"),
    ("90", "Last 90 days"),
    ("365", "Last year"),
    ("all", "Everything"),
];

struct SpanLink {
    value: &'static str,
    label: &'static str,
    current: bool,
}

#[derive(Template)]
#[template(path = "tracker_charts.html")]
struct ChartsPage {
    frame: Frame,
    disclaimer: &'static str,
    spans: Vec<SpanLink>,
    chart: Option<ChartView>,
    wearing_off: Option<WearingOffView>,
}

/// `/tracker/charts?days=`: severity over time per region with injections marked, its data as a
/// table, and the wearing-off table.
async fn charts(
    State(state): State<AppState>,
    MaybeActor(actor): MaybeActor,
    query: Result<StrictQuery<ChartParams>, ApiError>,
) -> Response {
    let Some(actor) = actor else {
        return sign_in_page();
    };
    let (params, id) = match query {
        Ok(StrictQuery(params, id)) => (params, id),
        Err(e) => return error_page(e),
    };
    let span = params.days.unwrap_or_else(|| "90".to_owned());
    if !SPANS.iter().any(|(value, _)| *value == span) {
        return error_page(
            ApiError::bad_request("bad_query", "days: must be 30, 90, 365 or all").with_request_id(&id),
        );
    }
    let tracker = Tracker::of(&state.community, &actor);
    let loaded = async {
        Ok::<_, TrackerError>((
            tracker.entries().await?,
            tracker.injections().await?,
            tracker.wearing_off().await?,
        ))
    }
    .await;
    let (entries, injections, wearing_off) = match loaded {
        Ok(loaded) => loaded,
        Err(e) => return failed(&id)(e),
    };
    let entries: Vec<Entry> = entries.into_iter().map(|r| r.entry).collect();
    let injections: Vec<Injection> = injections.into_iter().map(|r| r.injection).collect();
    let today = kindred_app::tracker::today();
    let to = entries
        .iter()
        .map(|e| e.date)
        .max()
        .map_or(today, |last| last.max(today));
    let from = match span.parse::<i64>() {
        Ok(n_days) => to.checked_sub(time::Duration::days(n_days)).unwrap_or(to),
        Err(_) => entries
            .iter()
            .map(|e| e.date)
            .chain(injections.iter().map(|i| i.date))
            .min()
            .unwrap_or(to),
    };
    render(
        &ChartsPage {
            frame: Frame::new(&actor, "charts"),
            disclaimer: DISCLAIMER,
            spans: SPANS
                .iter()
                .map(|&(value, label)| SpanLink {
                    value,
                    label,
                    current: value == span,
                })
                .collect(),
            chart: (!entries.is_empty())
                .then(|| chart_view(&entries, &injections, from, to, "severity-chart")),
            wearing_off: wearing_off_view(&wearing_off),
        },
        StatusCode::OK,
    )
}

// ---- the appointment report ----------------------------------------------------------------------

struct SymptomRow {
    region: &'static str,
    first: String,
    last: String,
    last_severity: u8,
    highest: u8,
    n_ratings: usize,
}

struct ReportInjection {
    date: String,
    product: &'static str,
    muscles: Vec<String>,
    side_effects: String,
    note: String,
}

struct ReportMedicine {
    name: String,
    dose: String,
    period: String,
    side_effects: String,
}

/// The report, worded for people; the HTML page and the PDF both show exactly this.
struct ReportView {
    handle: String,
    generated_on: String,
    conditions: Vec<String>,
    symptoms: Vec<SymptomRow>,
    distribution: Option<DistributionText>,
    clinician_notice: String,
    triggers: Vec<String>,
    notes: Vec<(String, String)>,
    injections: Vec<ReportInjection>,
    next_injection: Option<DueText>,
    wearing_off: Option<WearingOffView>,
    medicines: Vec<ReportMedicine>,
    side_effects: Vec<String>,
    family_history: String,
    member_questions: Vec<String>,
    library_questions: Vec<CitedQuestion>,
}

fn report_view(report: AppointmentReport, wearing_off: &WearingOff) -> ReportView {
    ReportView {
        handle: report.member_handle,
        generated_on: human(report.generated_on),
        conditions: report
            .conditions
            .iter()
            .map(|c| match &c.icd10cm {
                Some(code) => format!("{} (ICD-10-CM {code})", c.name),
                None => c.name.clone(),
            })
            .collect(),
        symptoms: report
            .symptoms
            .iter()
            .map(|s| SymptomRow {
                region: s.region.label(),
                first: human(s.first_rated),
                last: human(s.last_rated),
                last_severity: s.last_severity,
                highest: s.highest_severity,
                n_ratings: s.n_ratings,
            })
            .collect(),
        distribution: report.distribution.map(|d| DistributionText {
            label: d.class.label(),
            explanation: d.explanation,
        }),
        clinician_notice: report.clinician_notice,
        triggers: report
            .triggers
            .iter()
            .map(|t| {
                format!(
                    "{}: marked in {} diary {}",
                    t.trigger.label(),
                    t.n_entries,
                    if t.n_entries == 1 { "entry" } else { "entries" }
                )
            })
            .collect(),
        notes: report
            .notes
            .iter()
            .map(|n| (human(n.date), n.text.clone()))
            .collect(),
        injections: report
            .injections
            .iter()
            .map(|i| ReportInjection {
                date: human(i.date),
                product: i.product.label(),
                muscles: i.muscles.iter().map(muscle_line).collect(),
                side_effects: i.side_effects.join("; "),
                note: i.note.clone(),
            })
            .collect(),
        next_injection: report.next_injection.as_ref().map(due_sentence),
        wearing_off: wearing_off_view(wearing_off),
        medicines: report
            .medicines
            .iter()
            .map(|m| ReportMedicine {
                name: m.name.clone(),
                dose: m.dose_as_prescribed.clone(),
                period: period(m),
                side_effects: m.side_effects.join("; "),
            })
            .collect(),
        side_effects: report
            .side_effects
            .iter()
            .map(|s| match &s.source {
                SideEffectSource::Injection { date, product } => {
                    format!(
                        "{}: after the injection of {} ({})",
                        s.text,
                        human(*date),
                        product.label()
                    )
                }
                SideEffectSource::Medicine { name } => format!("{}: with {name}", s.text),
            })
            .collect(),
        family_history: report.family_history,
        member_questions: report.member_questions,
        library_questions: report.library_questions,
    }
}

/// Section headings of the report, shared by the page and the PDF.
mod heading {
    pub(super) const CONDITIONS: &str = "Conditions";
    pub(super) const SYMPTOMS: &str = "Symptoms and when they began";
    pub(super) const DISTRIBUTION: &str = "Body distribution of the regions rated";
    pub(super) const WORSE: &str = "What makes symptoms worse";
    pub(super) const NOTES: &str = "Diary notes";
    pub(super) const TREATMENTS: &str = "Treatments and how they went";
    pub(super) const INJECTIONS: &str = "Injections";
    pub(super) const NEXT: &str = "Next injection";
    pub(super) const WEARING_OFF: &str = "Severity by week since each injection";
    pub(super) const MEDICINES: &str = "Medicines";
    pub(super) const SIDE_EFFECTS: &str = "Side effects";
    pub(super) const FAMILY: &str = "Family history";
    pub(super) const OWN_QUESTIONS: &str = "My questions";
    pub(super) const LIBRARY_QUESTIONS: &str = "From the library: preparing for your appointment";
}

const NOTHING: &str = "Nothing recorded.";

#[derive(Template)]
#[template(path = "tracker_report.html")]
struct ReportPage {
    frame: Frame,
    disclaimer: &'static str,
    report: ReportView,
}

async fn load_report(state: &AppState, actor: &Actor) -> Result<ReportView, TrackerError> {
    let conditions = kindred_app::tracker::conditions(&state.community, actor, &state.kindred).await?;
    let questions = kindred_app::tracker::library_questions(&state.kindred);
    let tracker = Tracker::of(&state.community, actor);
    let report = tracker.report(conditions, questions).await?;
    let wearing_off = tracker.wearing_off().await?;
    Ok(report_view(report, &wearing_off))
}

/// `/tracker/report`: the appointment report, ready to print.
async fn report(State(state): State<AppState>, MaybeActor(actor): MaybeActor) -> Response {
    let Some(actor) = actor else {
        return sign_in_page();
    };
    match load_report(&state, &actor).await {
        Ok(report) => render(
            &ReportPage {
                frame: Frame::new(&actor, "report"),
                disclaimer: DISCLAIMER,
                report,
            },
            StatusCode::OK,
        ),
        Err(e) => failed("")(e),
    }
}

/// The report as PDF blocks, section by section as on the page.
fn report_blocks(report: &ReportView) -> Vec<pdf::Block> {
    use pdf::Block::{Bullet, Detail, Heading, Para, Small, Subheading, Title};
    let mut blocks = vec![
        Title("Appointment report".into()),
        Para(format!(
            "For {}, made on {}. From the member's own tracker records.",
            report.handle, report.generated_on
        )),
        Small(format!("Not medical advice. {DISCLAIMER}")),
    ];
    let list = |blocks: &mut Vec<pdf::Block>, items: &[String]| {
        if items.is_empty() {
            blocks.push(Para(NOTHING.into()));
        }
        blocks.extend(items.iter().map(|item| Bullet(item.clone())));
    };
    blocks.push(Heading(heading::CONDITIONS.into()));
    list(&mut blocks, &report.conditions);
    blocks.push(Heading(heading::SYMPTOMS.into()));
    let symptoms: Vec<String> = report
        .symptoms
        .iter()
        .map(|s| {
            format!(
                "{}: first rated {}, last rated {} (severity {} of 10); highest {} of 10; {} {}",
                s.region,
                s.first,
                s.last,
                s.last_severity,
                s.highest,
                s.n_ratings,
                if s.n_ratings == 1 { "rating" } else { "ratings" }
            )
        })
        .collect();
    list(&mut blocks, &symptoms);
    blocks.push(Heading(heading::DISTRIBUTION.into()));
    match &report.distribution {
        Some(d) => {
            blocks.push(Subheading(d.label.into()));
            blocks.push(Para(d.explanation.clone()));
            blocks.push(Small(report.clinician_notice.clone()));
        }
        None => blocks.push(Para(NOTHING.into())),
    }
    blocks.push(Heading(heading::WORSE.into()));
    list(&mut blocks, &report.triggers);
    blocks.push(Subheading(heading::NOTES.into()));
    let notes: Vec<String> = report
        .notes
        .iter()
        .map(|(date, text)| format!("{date}: {text}"))
        .collect();
    list(&mut blocks, &notes);
    blocks.push(Heading(heading::TREATMENTS.into()));
    blocks.push(Subheading(heading::INJECTIONS.into()));
    if report.injections.is_empty() {
        blocks.push(Para(NOTHING.into()));
    }
    for injection in &report.injections {
        blocks.push(Bullet(format!("{}: {}", injection.date, injection.product)));
        for muscle in &injection.muscles {
            blocks.push(Detail(muscle.clone()));
        }
        if !injection.side_effects.is_empty() {
            blocks.push(Detail(format!("Side effects: {}", injection.side_effects)));
        }
        if !injection.note.is_empty() {
            blocks.push(Detail(format!("Note: {}", injection.note)));
        }
    }
    if !report.injections.is_empty() {
        blocks.push(Small("Muscles and units as the clinician recorded them.".into()));
    }
    if let Some(due) = &report.next_injection {
        blocks.push(Subheading(heading::NEXT.into()));
        blocks.push(Para(format!("{} {}", due.window, due.status)));
    }
    if let Some(table) = &report.wearing_off {
        blocks.push(Subheading(heading::WEARING_OFF.into()));
        blocks.push(Small(
            "Mean severity (0–10) of the diary entries in each week since the injection; weeks without \
             an entry are left out, and – means no entry that week after that injection."
                .into(),
        ));
        blocks.push(Small(format!("Week | {}", table.columns.join(" | "))));
        for (week, cells) in &table.rows {
            blocks.push(Small(format!("{week} | {}", cells.join(" | "))));
        }
    }
    blocks.push(Subheading(heading::MEDICINES.into()));
    if report.medicines.is_empty() {
        blocks.push(Para(NOTHING.into()));
    }
    for medicine in &report.medicines {
        let dose = if medicine.dose.is_empty() {
            "dose not recorded".to_owned()
        } else {
            format!("{} (as prescribed)", medicine.dose)
        };
        blocks.push(Bullet(format!("{}: {dose}. {}.", medicine.name, medicine.period)));
        if !medicine.side_effects.is_empty() {
            blocks.push(Detail(format!("Side effects: {}", medicine.side_effects)));
        }
    }
    blocks.push(Heading(heading::SIDE_EFFECTS.into()));
    list(&mut blocks, &report.side_effects);
    blocks.push(Heading(heading::FAMILY.into()));
    blocks.push(Para(if report.family_history.is_empty() {
        NOTHING.into()
    } else {
        report.family_history.clone()
    }));
    blocks.push(Heading(heading::OWN_QUESTIONS.into()));
    list(&mut blocks, &report.member_questions);
    blocks.push(Heading(heading::LIBRARY_QUESTIONS.into()));
    if report.library_questions.is_empty() {
        blocks.push(Para("The library has no such passage.".into()));
    }
    for question in &report.library_questions {
        blocks.push(Bullet(question.text.clone()));
        blocks.push(Detail(format!(
            "Source: {} (Kindred library document {})",
            question.source_title, question.source_id
        )));
    }
    blocks
}

/// `/tracker/report.pdf`: the same report as a PDF, written on the server.
async fn report_pdf(State(state): State<AppState>, MaybeActor(actor): MaybeActor) -> Response {
    let Some(actor) = actor else {
        return sign_in_page();
    };
    let report = match load_report(&state, &actor).await {
        Ok(report) => report,
        Err(e) => return failed("")(e),
    };
    let blocks = report_blocks(&report);
    let footer = format!(
        "Kindred appointment report for {}, {}",
        report.handle, report.generated_on
    );
    // Laying out and compressing a long report is CPU work: keep it off the async workers.
    let made = tokio::task::spawn_blocking(move || pdf::render("Appointment report", &blocks, &footer)).await;
    match made {
        Ok(Ok(bytes)) => {
            let mut response = (
                [
                    (header::CONTENT_TYPE, HeaderValue::from_static("application/pdf")),
                    (
                        header::CONTENT_DISPOSITION,
                        HeaderValue::from_static("inline; filename=\"kindred-appointment-report.pdf\""),
                    ),
                ],
                bytes,
            )
                .into_response();
            response.headers_mut().insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            );
            response
        }
        Ok(Err(e)) => error_page(ApiError::internal(&e)),
        Err(e) => error_page(ApiError::internal(&e)),
    }
}

// ---- settings ------------------------------------------------------------------------------------

struct SettingsForm {
    min_weeks: String,
    max_weeks: String,
    family_history: String,
    questions: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "tracker_settings.html")]
struct SettingsPage {
    frame: Frame,
    disclaimer: &'static str,
    form: SettingsForm,
}

fn settings_form(settings: &TrackerSettings) -> SettingsForm {
    SettingsForm {
        min_weeks: settings.due.min_weeks.to_string(),
        max_weeks: settings.due.max_weeks.to_string(),
        family_history: settings.family_history.clone(),
        questions: settings.questions.join("\n"),
        error: None,
    }
}

/// `/tracker/settings`: the injection interval, family history and own questions.
async fn settings(
    State(state): State<AppState>,
    MaybeActor(actor): MaybeActor,
    query: Result<StrictQuery<SavedParams>, ApiError>,
) -> Response {
    let Some(actor) = actor else {
        return sign_in_page();
    };
    let notice = match saved_param(query) {
        Ok(notice) => notice,
        Err(e) => return error_page(e),
    };
    match Tracker::of(&state.community, &actor).settings().await {
        Ok(settings) => render(
            &SettingsPage {
                frame: Frame::new(&actor, "settings").with_notice(notice),
                disclaimer: DISCLAIMER,
                form: settings_form(&settings),
            },
            StatusCode::OK,
        ),
        Err(e) => failed("")(e),
    }
}

fn weeks(field: &str, text: &str) -> Result<u8, String> {
    text.trim()
        .parse::<u8>()
        .map_err(|_| format!("{field}: {text:?} is not a number of weeks from 1 to 52"))
}

/// `POST /tracker/settings`.
async fn save_settings(
    State(state): State<AppState>,
    MaybeActor(actor): MaybeActor,
    headers: axum::http::HeaderMap,
    jar: CookieJar,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let id = request_id_of(&headers);
    let fields = Fields(fields);
    let actor = match checked_form(actor, &jar, &fields) {
        Ok(actor) => actor,
        Err(refusal) => return refusal.response(&id),
    };
    let mut form = SettingsForm {
        min_weeks: fields.get("min_weeks").trim().to_owned(),
        max_weeks: fields.get("max_weeks").trim().to_owned(),
        family_history: text_area(fields.get("family_history")),
        questions: text_area(fields.get("questions")),
        error: None,
    };
    let parsed = weeks("min_weeks", &form.min_weeks).and_then(|min_weeks| {
        Ok(TrackerSettings {
            due: kindred_tracker::DueSettings {
                min_weeks,
                max_weeks: weeks("max_weeks", &form.max_weeks)?,
            },
            family_history: form.family_history.clone(),
            questions: lines(&form.questions),
        })
    });
    let result = match parsed {
        Ok(settings) => match Tracker::of(&state.community, &actor)
            .save_settings(&settings)
            .await
        {
            Ok(()) => Ok(()),
            Err(TrackerError::Invalid { message }) => Err(message),
            Err(other) => return failed(&id)(other),
        },
        Err(message) => Err(message),
    };
    match result {
        Ok(()) => see_other("/tracker/settings?saved=settings"),
        Err(message) => {
            form.error = Some(message);
            render(
                &SettingsPage {
                    frame: Frame::new(&actor, "settings"),
                    disclaimer: DISCLAIMER,
                    form,
                },
                StatusCode::BAD_REQUEST,
            )
        }
    }
}

// ---- export and import ---------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "tracker_export.html")]
struct ExportPage {
    frame: Frame,
    disclaimer: &'static str,
    n_entries: usize,
    n_injections: usize,
    n_medicines: usize,
    error: Option<String>,
}

async fn export_page(
    state: &AppState,
    actor: &Actor,
    notice: Option<Notice>,
    error: Option<String>,
    request_id: &str,
) -> Response {
    let tracker = Tracker::of(&state.community, actor);
    let loaded = async {
        Ok::<_, TrackerError>((
            tracker.entries().await?.len(),
            tracker.injections().await?.len(),
            tracker.medicines().await?.len(),
        ))
    }
    .await;
    let (n_entries, n_injections, n_medicines) = match loaded {
        Ok(counts) => counts,
        Err(e) => return failed(request_id)(e),
    };
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    render(
        &ExportPage {
            frame: Frame::new(actor, "export").with_notice(notice),
            disclaimer: DISCLAIMER,
            n_entries,
            n_injections,
            n_medicines,
            error,
        },
        status,
    )
}

/// `/tracker/export`: downloads (FHIR R4 JSON, CSV) and the import form.
async fn export(
    State(state): State<AppState>,
    MaybeActor(actor): MaybeActor,
    query: Result<StrictQuery<SavedParams>, ApiError>,
) -> Response {
    let Some(actor) = actor else {
        return sign_in_page();
    };
    let notice = match saved_param(query) {
        Ok(notice) => notice,
        Err(e) => return error_page(e),
    };
    export_page(&state, &actor, notice, None, "").await
}

/// The fields of the import form.
#[derive(Default)]
struct ImportForm {
    csrf: String,
    replace: bool,
    file: Vec<u8>,
    file_name: String,
}

async fn read_import(mut multipart: Multipart) -> Result<ImportForm, String> {
    let mut form = ImportForm::default();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => return Err(format!("file: the upload could not be read ({})", e.body_text())),
        };
        let name = field.name().unwrap_or_default().to_owned();
        match name.as_str() {
            "csrf" => {
                form.csrf = field
                    .text()
                    .await
                    .map_err(|e| format!("csrf: {}", e.body_text()))?
            }
            "replace" => form.replace = true,
            "file" => {
                form.file_name = field.file_name().unwrap_or_default().to_owned();
                form.file = field
                    .bytes()
                    .await
                    .map_err(|e| format!("file: the upload could not be read ({})", e.body_text()))?
                    .to_vec();
            }
            _ => {}
        }
    }
    Ok(form)
}

/// `POST /tracker/import`: replaces the tracker with a FHIR export, all or nothing.
async fn import(
    State(state): State<AppState>,
    MaybeActor(actor): MaybeActor,
    headers: axum::http::HeaderMap,
    jar: CookieJar,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let id = request_id_of(&headers);
    let Some(actor) = actor else {
        return sign_in_page();
    };
    let form = match multipart {
        Ok(multipart) => read_import(multipart).await,
        Err(e) => Err(format!(
            "file: send the form as a file upload ({})",
            e.body_text()
        )),
    };
    let form = match form {
        Ok(form) => form,
        Err(message) => return export_page(&state, &actor, None, Some(message), &id).await,
    };
    if !form_token_ok(Some(&actor), &jar, &form.csrf) {
        return bad_token(&id);
    }
    let problem = if form.file.is_empty() {
        Some("file: choose the .json file you exported from Kindred".to_owned())
    } else if !form.replace {
        Some("replace: tick the box to confirm that the file replaces your tracker".to_owned())
    } else {
        None
    };
    if let Some(message) = problem {
        return export_page(&state, &actor, None, Some(message), &id).await;
    }
    let bundle: serde_json::Value = match serde_json::from_slice(&form.file) {
        Ok(bundle) => bundle,
        Err(e) => {
            let message = format!(
                "file {:?}: not a JSON file ({e}); nothing was changed",
                form.file_name
            );
            return export_page(&state, &actor, None, Some(message), &id).await;
        }
    };
    match Tracker::of(&state.community, &actor).import(&bundle).await {
        Ok(_) => see_other("/tracker/export?saved=imported"),
        Err(TrackerError::Invalid { message }) => {
            let message = format!("file {:?}: {message}; nothing was changed", form.file_name);
            export_page(&state, &actor, None, Some(message), &id).await
        }
        Err(other) => failed(&id)(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn fields(pairs: &[(&str, &str)]) -> Fields {
        Fields(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        )
    }

    #[test]
    fn dates_from_forms() {
        assert_eq!(parse_date("2024-02-29"), Some(date!(2024 - 02 - 29)));
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_date("yesterday"), None);
        assert_eq!(human(date!(2024 - 03 - 01)), "1 Mar 2024");
        assert_eq!(optional_date("started", " "), Ok(None));
        assert_eq!(
            required_date("date", "3/1/2024"),
            Err("date: \"3/1/2024\" is not a date like 2024-03-01".to_owned())
        );
    }

    #[test]
    fn a_diary_form_becomes_an_entry() {
        let (input, entry) = read_diary(&fields(&[
            ("date", "2024-03-01"),
            ("sev-neck", "6"),
            ("sev-jaw", ""),
            ("sev-right-arm", "0"),
            ("trigger", "stress"),
            ("trigger", "fatigue"),
            ("note", "Worse\r\nafter driving"),
        ]));
        let entry = entry.unwrap();
        assert_eq!(
            entry
                .severities
                .iter()
                .map(|(r, s)| (r.key(), s.get()))
                .collect::<Vec<_>>(),
            [("neck", 6), ("right-arm", 0)]
        );
        assert_eq!(entry.triggers, [Trigger::Stress, Trigger::Fatigue]);
        assert_eq!(entry.note, "Worse\nafter driving");
        assert_eq!(input.date, "2024-03-01");

        let (_, nothing) = read_diary(&fields(&[("date", "2024-03-01")]));
        assert!(nothing.unwrap_err().starts_with("body regions:"));
        let (_, bad) = read_diary(&fields(&[("date", "2024-03-01"), ("sev-neck", "11")]));
        assert_eq!(bad.unwrap_err(), "Neck: severity \"11\" is not 0 to 10");
    }

    #[test]
    fn an_injection_form_keeps_units_as_recorded() {
        let (_, injection) = read_injection(&fields(&[
            ("date", "2024-03-01"),
            ("product", "incobotulinumtoxin-a"),
            ("muscle", "Left splenius capitis"),
            ("units", "12,5"),
            ("muscle", "Right trapezius"),
            ("units", ""),
            ("muscle", ""),
            ("units", ""),
            ("side_effects", "Neck weakness\r\n\r\nDry mouth"),
        ]));
        let injection = injection.unwrap();
        assert_eq!(injection.muscles.len(), 2);
        assert_eq!(injection.muscles[0].units, Some(12.5));
        assert_eq!(injection.muscles[1].units, None);
        assert_eq!(injection.side_effects, ["Neck weakness", "Dry mouth"]);
        let (_, bad) = read_injection(&fields(&[
            ("date", "2024-03-01"),
            ("product", "incobotulinumtoxin-a"),
            ("muscle", ""),
            ("units", "40"),
        ]));
        assert_eq!(
            bad.unwrap_err(),
            "muscles[0].muscle: name the muscle for 40 units"
        );
    }

    #[test]
    fn report_blocks_have_every_section_in_order() {
        let view = ReportView {
            handle: "calm-heron".into(),
            generated_on: "1 Mar 2024".into(),
            conditions: vec![],
            symptoms: vec![],
            distribution: None,
            clinician_notice: String::new(),
            triggers: vec![],
            notes: vec![],
            injections: vec![],
            next_injection: None,
            wearing_off: None,
            medicines: vec![],
            side_effects: vec![],
            family_history: String::new(),
            member_questions: vec!["Can I drive?".into()],
            library_questions: vec![CitedQuestion {
                text: "Bring a list of questions.".into(),
                source_title: "Dystonia (Mayo Clinic)".into(),
                source_id: "seed-000".into(),
            }],
        };
        let texts: Vec<String> = report_blocks(&view)
            .into_iter()
            .filter_map(|block| match block {
                pdf::Block::Heading(text) => Some(text),
                _ => None,
            })
            .collect();
        assert_eq!(
            texts,
            [
                heading::CONDITIONS,
                heading::SYMPTOMS,
                heading::DISTRIBUTION,
                heading::WORSE,
                heading::TREATMENTS,
                heading::SIDE_EFFECTS,
                heading::FAMILY,
                heading::OWN_QUESTIONS,
                heading::LIBRARY_QUESTIONS,
            ]
        );
    }
}
