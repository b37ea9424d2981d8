//! The care tracker, composed: a member's diary entries, injections and medicines (`kindred-tracker`
//! types) kept as `kindred-store` rows, with the views built from them (distribution, due window,
//! wearing-off, chart, appointment report), CSV and FHIR export, and import of a FHIR export.
//!
//! Privacy is structural: the only way to reach tracker data is [`Tracker::of`], which takes the
//! acting member's session ([`Actor`]) and works on that member's rows alone. No method takes
//! another member, a handle or a role, so no other member, moderator or administrator can read or
//! change anyone's tracker; and nothing here feeds the search index, the Alikes index or the
//! member-reported outcomes.
//!
//! Kindred writes no medical text here: records are stored exactly as entered, the distribution
//! travels with [`CLINICIAN_NOTICE`], and the report's library questions are the library's own
//! "preparing for your appointment" statements with their citations.

use kindred_store::{MemberId, RecordId, Store, TrackerKind};
use kindred_tracker::{
    AppointmentReport, CLINICIAN_NOTICE, CitedQuestion, DueSettings, Entry, Injection, Medicine,
    NextInjection, Region, TrackedCondition, TrackerData, WearingOff,
};
use serde::{Deserialize, Serialize};
use time::Date;

use crate::Kindred;
use crate::community::{Actor, Community, CommunityError, now};

/// Most questions a member keeps for their appointment.
pub const MAX_QUESTIONS: usize = 50;
/// The library condition whose "preparing for your appointment" section the report quotes.
pub const REPORT_CONDITION: &str = crate::FLAGSHIP;
/// The section kind of "preparing for your appointment" in a condition view.
pub const APPOINTMENT_SECTION: &str = "appointment";

/// What went wrong, in words for the member; internal causes are kept for the log.
#[derive(Debug, thiserror::Error)]
pub enum TrackerError {
    /// What the member entered or uploaded cannot be recorded; the message names the record and
    /// the field.
    #[error("{message}")]
    Invalid {
        /// What is wrong, naming the record (e.g. `entries[2]` or `bundle entry 5`) and field.
        message: String,
    },
    /// No such record among the member's own.
    #[error("{what} not found")]
    NotFound {
        /// What was looked for.
        what: &'static str,
    },
    /// The store failed.
    #[error("storage failed")]
    Store(#[source] kindred_store::Error),
    /// The member's profile could not be read (for the conditions of an export).
    #[error("reading the profile failed")]
    Community(#[source] CommunityError),
}

impl From<kindred_store::Error> for TrackerError {
    fn from(error: kindred_store::Error) -> Self {
        TrackerError::Store(error)
    }
}

impl From<kindred_tracker::Error> for TrackerError {
    fn from(error: kindred_tracker::Error) -> Self {
        TrackerError::Invalid {
            message: error_chain(&error),
        }
    }
}

/// `entries[1]: entry of 2024-01-01: severities: mark at least one body region`: the error and
/// its sources, which together name the record and the field.
pub fn error_chain(error: &dyn std::error::Error) -> String {
    let mut chain = error.to_string();
    let mut source = error.source();
    while let Some(next) = source {
        chain.push_str(": ");
        chain.push_str(&next.to_string());
        source = next.source();
    }
    chain
}

type Result<T, E = TrackerError> = std::result::Result<T, E>;

/// The member's own tracker settings: their clinician's injection interval, their family history
/// and their questions for the next appointment.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TrackerSettings {
    /// Weeks after an injection that the next one falls due (`min_weeks`..=`max_weeks`, 1–52;
    /// 12–16 until the member enters their clinician's interval).
    #[schema(value_type = Object)]
    pub due: DueSettings,
    /// Dystonia or related conditions in the family, in the member's words (at most 2,000
    /// characters).
    #[serde(default)]
    pub family_history: String,
    /// The member's own questions for their next appointment (at most 50).
    #[serde(default)]
    pub questions: Vec<String>,
}

/// A diary entry with its id.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct EntryRecord {
    /// Id, for deletion.
    pub id: i64,
    /// The entry.
    #[schema(value_type = Object)]
    pub entry: Entry,
}

/// An injection with its id.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct InjectionRecord {
    /// Id, for deletion.
    pub id: i64,
    /// The injection, as the clinician recorded it.
    #[schema(value_type = Object)]
    pub injection: Injection,
}

/// A medicine with its id.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct MedicineRecord {
    /// Id, for deletion.
    pub id: i64,
    /// The medicine, with its dose as prescribed.
    #[schema(value_type = Object)]
    pub medicine: Medicine,
}

/// A record just deleted, whole, so that it can be put back (undo): send it back to be added again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "record")]
pub enum DeletedRecord {
    /// A diary entry.
    Entry(Entry),
    /// An injection.
    Injection(Injection),
    /// A medicine.
    Medicine(Medicine),
}

/// The body distribution of the regions rated above 0 in the diary, with the notice it travels with.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct DistributionView {
    /// The class, regions and plain-words explanation; `null` before any region is rated above 0.
    #[schema(value_type = Object)]
    pub distribution: Option<kindred_tracker::Distribution>,
    /// Shown with every distribution: it describes marks and is not a diagnosis.
    pub clinician_notice: &'static str,
}

/// What an import replaced the tracker with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ImportSummary {
    /// Diary entries now kept.
    pub n_entries: usize,
    /// Injections now kept.
    pub n_injections: usize,
    /// Medicines now kept.
    pub n_medicines: usize,
    /// Own questions now kept.
    pub n_questions: usize,
}

/// Today in UTC: the report's date and the due window's "today".
pub fn today() -> Date {
    time::OffsetDateTime::now_utc().date()
}

/// The latest date a record may carry: tomorrow in UTC, so that a member in a time zone ahead of
/// UTC (up to UTC+14) can record their own today.
pub fn latest_record_date() -> Date {
    today().next_day().unwrap_or(Date::MAX)
}

/// One member's tracker. The only way in is [`Tracker::of`], which binds it to the acting member.
pub struct Tracker<'a> {
    store: &'a Store,
    member: MemberId,
    handle: &'a str,
}

impl<'a> Tracker<'a> {
    /// The tracker of the member acting, and no one else's.
    pub fn of(community: &'a Community, actor: &'a Actor) -> Tracker<'a> {
        Tracker {
            store: community.store(),
            member: actor.member.id,
            handle: &actor.member.handle,
        }
    }

    /// Diary entries, oldest first (same-day entries in the order added).
    pub async fn entries(&self) -> Result<Vec<EntryRecord>> {
        Ok(self
            .store
            .tracker_records::<Entry>(self.member, TrackerKind::Entry)
            .await?
            .into_iter()
            .map(|row| EntryRecord {
                id: row.id.0,
                entry: row.data,
            })
            .collect())
    }

    /// Injections, oldest first.
    pub async fn injections(&self) -> Result<Vec<InjectionRecord>> {
        Ok(self
            .store
            .tracker_records::<Injection>(self.member, TrackerKind::Injection)
            .await?
            .into_iter()
            .map(|row| InjectionRecord {
                id: row.id.0,
                injection: row.data,
            })
            .collect())
    }

    /// Medicines, by start date (unknown first), then in the order added.
    pub async fn medicines(&self) -> Result<Vec<MedicineRecord>> {
        Ok(self
            .store
            .tracker_records::<Medicine>(self.member, TrackerKind::Medicine)
            .await?
            .into_iter()
            .map(|row| MedicineRecord {
                id: row.id.0,
                medicine: row.data,
            })
            .collect())
    }

    /// Records a diary entry after checking it.
    pub async fn add_entry(&self, entry: &Entry) -> Result<RecordId> {
        entry.validate(latest_record_date())?;
        let day = iso(entry.date);
        Ok(self
            .store
            .add_tracker_record(self.member, TrackerKind::Entry, &day, entry, now())
            .await?)
    }

    /// Records an injection after checking it. Units are kept exactly as entered.
    pub async fn add_injection(&self, injection: &Injection) -> Result<RecordId> {
        injection.validate(latest_record_date())?;
        let day = iso(injection.date);
        Ok(self
            .store
            .add_tracker_record(self.member, TrackerKind::Injection, &day, injection, now())
            .await?)
    }

    /// Records a medicine after checking it. The dose is kept exactly as entered.
    pub async fn add_medicine(&self, medicine: &Medicine) -> Result<RecordId> {
        medicine.validate()?;
        let day = medicine.started.map(iso).unwrap_or_default();
        Ok(self
            .store
            .add_tracker_record(self.member, TrackerKind::Medicine, &day, medicine, now())
            .await?)
    }

    /// Deletes one of the member's own records of `kind` and returns it whole, for undo. Another
    /// member's id, an id of another kind, or a gone one is [`TrackerError::NotFound`].
    pub async fn delete(&self, kind: TrackerKind, id: i64) -> Result<DeletedRecord> {
        let what = kind_name(kind);
        let not_found = || TrackerError::NotFound { what };
        let deleted = match kind {
            TrackerKind::Entry => DeletedRecord::Entry(
                self.entries()
                    .await?
                    .into_iter()
                    .find(|r| r.id == id)
                    .ok_or_else(not_found)?
                    .entry,
            ),
            TrackerKind::Injection => DeletedRecord::Injection(
                self.injections()
                    .await?
                    .into_iter()
                    .find(|r| r.id == id)
                    .ok_or_else(not_found)?
                    .injection,
            ),
            TrackerKind::Medicine => DeletedRecord::Medicine(
                self.medicines()
                    .await?
                    .into_iter()
                    .find(|r| r.id == id)
                    .ok_or_else(not_found)?
                    .medicine,
            ),
        };
        if !self
            .store
            .delete_tracker_record(self.member, RecordId(id))
            .await?
        {
            return Err(not_found());
        }
        Ok(deleted)
    }

    /// Puts a deleted record back (undo), checked like a new one. Returns its new id.
    pub async fn restore(&self, record: &DeletedRecord) -> Result<RecordId> {
        match record {
            DeletedRecord::Entry(entry) => self.add_entry(entry).await,
            DeletedRecord::Injection(injection) => self.add_injection(injection).await,
            DeletedRecord::Medicine(medicine) => self.add_medicine(medicine).await,
        }
    }

    /// The member's settings, or the defaults before they saved any.
    pub async fn settings(&self) -> Result<TrackerSettings> {
        Ok(self
            .store
            .tracker_settings::<TrackerSettings>(self.member)
            .await?
            .unwrap_or_default())
    }

    /// Saves the member's settings after checking them (the error names the field: `due`,
    /// `family_history`, `questions[2]`).
    pub async fn save_settings(&self, settings: &TrackerSettings) -> Result<()> {
        check_settings(settings, self.handle)?;
        Ok(self
            .store
            .save_tracker_settings(self.member, settings, now())
            .await?)
    }

    /// Everything in the tracker as one value, with the conditions given (see [`conditions`]).
    pub async fn data(&self, conditions: Vec<TrackedCondition>) -> Result<TrackerData> {
        let settings = self.settings().await?;
        Ok(TrackerData {
            member_handle: self.handle.to_owned(),
            conditions,
            entries: self.entries().await?.into_iter().map(|r| r.entry).collect(),
            injections: self
                .injections()
                .await?
                .into_iter()
                .map(|r| r.injection)
                .collect(),
            medicines: self.medicines().await?.into_iter().map(|r| r.medicine).collect(),
            due: settings.due,
            family_history: settings.family_history,
            questions: settings.questions,
        })
    }

    /// The distribution of the regions the member rated above 0, with [`CLINICIAN_NOTICE`].
    pub async fn distribution(&self) -> Result<DistributionView> {
        let entries = self.entries().await?;
        Ok(distribution_of(entries.iter().map(|r| &r.entry)))
    }

    /// When the next injection falls due, from the latest injection and the member's interval;
    /// `None` before any injection is recorded.
    pub async fn next_injection(&self) -> Result<Option<NextInjection>> {
        let settings = self.settings().await?;
        let last = self
            .injections()
            .await?
            .into_iter()
            .map(|r| r.injection.date)
            .max();
        Ok(last.map(|last| next_injection(last, settings.due, today())))
    }

    /// Mean severity by week since each injection, over the member's interval plus four weeks.
    pub async fn wearing_off(&self) -> Result<WearingOff> {
        let settings = self.settings().await?;
        let entries: Vec<Entry> = self.entries().await?.into_iter().map(|r| r.entry).collect();
        let injections: Vec<Injection> = self
            .injections()
            .await?
            .into_iter()
            .map(|r| r.injection)
            .collect();
        Ok(kindred_tracker::wearing_off(
            &entries,
            &injections,
            wearing_off_weeks(settings.due),
        ))
    }

    /// The appointment report as of today, with the library's cited questions.
    pub async fn report(
        &self,
        conditions: Vec<TrackedCondition>,
        library_questions: Vec<CitedQuestion>,
    ) -> Result<AppointmentReport> {
        let data = self.data(conditions).await?;
        Ok(kindred_tracker::report(&data, library_questions, today()))
    }

    /// Replaces the whole tracker with what a FHIR R4 bundle (Kindred's own export) holds, in one
    /// transaction: if the bundle is wrong, the error names the bundle entry or record and field,
    /// and nothing already kept is lost. The bundle's handle and conditions are not imported: the
    /// tracker belongs to the member importing it, and conditions come from their profile.
    pub async fn import(&self, bundle: &serde_json::Value) -> Result<ImportSummary> {
        let data = kindred_tracker::from_fhir_bundle(bundle)?;
        data.validate(latest_record_date())?;
        let settings = TrackerSettings {
            due: data.due,
            family_history: data.family_history.clone(),
            questions: data.questions.clone(),
        };
        check_settings(&settings, self.handle)?;
        let mut records: Vec<(TrackerKind, String, serde_json::Value)> = Vec::new();
        let json = |value: serde_json::Result<serde_json::Value>| {
            value.map_err(|e| TrackerError::Invalid {
                message: format!("bundle: {e}"),
            })
        };
        for entry in &data.entries {
            records.push((
                TrackerKind::Entry,
                iso(entry.date),
                json(serde_json::to_value(entry))?,
            ));
        }
        for injection in &data.injections {
            records.push((
                TrackerKind::Injection,
                iso(injection.date),
                json(serde_json::to_value(injection))?,
            ));
        }
        for medicine in &data.medicines {
            records.push((
                TrackerKind::Medicine,
                medicine.started.map(iso).unwrap_or_default(),
                json(serde_json::to_value(medicine))?,
            ));
        }
        self.store
            .replace_tracker(self.member, &records, &settings, now())
            .await?;
        Ok(ImportSummary {
            n_entries: data.entries.len(),
            n_injections: data.injections.len(),
            n_medicines: data.medicines.len(),
            n_questions: data.questions.len(),
        })
    }
}

/// The distribution of the regions rated above 0 in `entries`.
pub fn distribution_of<'e>(entries: impl IntoIterator<Item = &'e Entry>) -> DistributionView {
    let mut marked: Vec<Region> = Vec::new();
    for entry in entries {
        for &(region, severity) in &entry.severities {
            if severity.get() > 0 && !marked.contains(&region) {
                marked.push(region);
            }
        }
    }
    DistributionView {
        distribution: kindred_tracker::classify(&marked),
        clinician_notice: CLINICIAN_NOTICE,
    }
}

/// The next injection's window after `last`, and where `today` falls in it.
pub fn next_injection(last: Date, due: DueSettings, today: Date) -> NextInjection {
    let window = kindred_tracker::due_window(last, &due);
    NextInjection {
        last_injection: last,
        settings: due,
        window,
        status: window.status(today),
    }
}

/// Weeks the wearing-off table covers: the member's interval and four more, at most 52.
pub fn wearing_off_weeks(due: DueSettings) -> u8 {
    due.max_weeks.saturating_add(4).min(52)
}

/// The conditions the member tracks: those of their profile (a subtype when they chose one), named
/// as the library's catalog names them, with an ICD-10-CM code when one is known.
pub async fn conditions(
    community: &Community,
    actor: &Actor,
    kindred: &Kindred,
) -> Result<Vec<TrackedCondition>> {
    let profile = community
        .own_profile(actor)
        .await
        .map_err(TrackerError::Community)?;
    let catalog = &kindred.library().catalog;
    let mut conditions: Vec<TrackedCondition> = Vec::new();
    for choice in &profile.conditions.value {
        let slug = choice.subtype.as_deref().unwrap_or(&choice.condition);
        let name = catalog
            .by_slug(slug)
            .map_or_else(|| slug.to_owned(), |condition| condition.name.clone());
        if conditions.iter().any(|c| c.catalog_slug == slug) {
            continue;
        }
        let icd10cm = kindred_tracker::icd10cm_for(&name)
            .or_else(|| kindred_tracker::icd10cm_for(slug))
            .map(|(code, _)| code.to_owned());
        conditions.push(TrackedCondition {
            name,
            catalog_slug: slug.to_owned(),
            icd10cm,
        });
    }
    Ok(conditions)
}

/// The library's "preparing for your appointment" statements about [`REPORT_CONDITION`], each with
/// the document it is cited from: the paragraph, or each item of a list (after its introduction).
/// Kindred adds no question of its own.
pub fn library_questions(kindred: &Kindred) -> Vec<CitedQuestion> {
    let Some(condition) = kindred.condition(REPORT_CONDITION) else {
        return Vec::new();
    };
    let mut questions = Vec::new();
    for section in condition
        .sections
        .iter()
        .filter(|section| section.kind == APPOINTMENT_SECTION)
    {
        for statement in &section.statements {
            let Some(citation) = statement.citations.iter().find(|c| !c.is_copy) else {
                continue;
            };
            let cited = |text: &str| CitedQuestion {
                text: text.to_owned(),
                source_title: format!("{} ({})", citation.title, citation.publisher),
                source_id: citation.document.clone(),
            };
            if let Some(text) = &statement.text {
                questions.push(cited(text));
            }
            questions.extend(statement.items.iter().map(|item| cited(item)));
        }
    }
    questions
}

fn check_settings(settings: &TrackerSettings, handle: &str) -> Result<()> {
    if settings.questions.len() > MAX_QUESTIONS {
        return Err(TrackerError::Invalid {
            message: format!(
                "questions: {} questions is more than the {MAX_QUESTIONS} allowed",
                settings.questions.len()
            ),
        });
    }
    // The tracker crate's checks of the whole data cover the settings' fields.
    TrackerData {
        member_handle: handle.to_owned(),
        conditions: Vec::new(),
        entries: Vec::new(),
        injections: Vec::new(),
        medicines: Vec::new(),
        due: settings.due,
        family_history: settings.family_history.clone(),
        questions: settings.questions.clone(),
    }
    .validate(latest_record_date())?;
    Ok(())
}

/// The word for a kind of record in messages.
pub fn kind_name(kind: TrackerKind) -> &'static str {
    match kind {
        TrackerKind::Entry => "diary entry",
        TrackerKind::Injection => "injection",
        TrackerKind::Medicine => "medicine",
    }
}

/// `2024-03-01`.
pub fn iso(date: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use kindred_tracker::{DistributionClass, Severity};
    use time::macros::date;

    fn entry(severities: &[(Region, u8)]) -> Entry {
        Entry {
            date: date!(2024 - 03 - 01),
            severities: severities
                .iter()
                .map(|&(region, value)| (region, Severity::new(value).unwrap()))
                .collect(),
            triggers: vec![],
            note: String::new(),
        }
    }

    #[test]
    fn distribution_counts_only_regions_rated_above_zero() {
        let entries = [
            entry(&[(Region::Neck, 4), (Region::LeftLeg, 0)]),
            entry(&[(Region::RightArm, 2)]),
        ];
        let view = distribution_of(&entries);
        let distribution = view.distribution.unwrap();
        assert_eq!(distribution.class, DistributionClass::Segmental);
        assert_eq!(distribution.regions, [Region::Neck, Region::RightArm]);
        assert_eq!(view.clinician_notice, CLINICIAN_NOTICE);
        assert_eq!(distribution_of(&[entry(&[(Region::Neck, 0)])]).distribution, None);
    }

    #[test]
    fn error_chain_names_record_and_field() {
        let error = kindred_tracker::Error::Empty {
            field: "questions[1]".into(),
        };
        assert_eq!(error_chain(&error), "questions[1]: must not be empty");
    }

    #[test]
    fn wearing_off_covers_the_interval_and_four_weeks() {
        assert_eq!(wearing_off_weeks(DueSettings::default()), 20);
        assert_eq!(
            wearing_off_weeks(DueSettings {
                min_weeks: 50,
                max_weeks: 52
            }),
            52
        );
    }

    #[test]
    fn deleted_records_round_trip_as_json() {
        let deleted = DeletedRecord::Entry(entry(&[(Region::Jaw, 3)]));
        let json = serde_json::to_string(&deleted).unwrap();
        assert!(
            json.starts_with(r#"{"kind":"entry","record":{"date":"2024-03-01""#),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<DeletedRecord>(&json).unwrap(), deleted);
    }

    #[test]
    fn iso_dates() {
        assert_eq!(iso(date!(2024 - 03 - 01)), "2024-03-01");
    }
}
