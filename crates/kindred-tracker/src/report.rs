//! The appointment report: what a member takes to their clinician, built only from what they
//! recorded and from cited library questions. Plain data; the web layer renders it.
//!
//! Nothing here is advice: it restates the member's records (sorted and counted), names the
//! distribution of the regions they marked with [`CLINICIAN_NOTICE`], and gives the injection
//! window their own settings imply.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::{
    data::{TrackedCondition, TrackerData},
    diary::Trigger,
    distribution::{CLINICIAN_NOTICE, Distribution, classify},
    injection::{DueSettings, DueStatus, DueWindow, MuscleDose, Product, due_window},
    medicine::Medicine,
    region::Region,
};

/// A question from the library's "preparing for your appointment" passages, with its citation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CitedQuestion {
    /// The question as the source words it.
    pub text: String,
    /// The title of the source document.
    pub source_title: String,
    /// The library's id of the source, for a link.
    pub source_id: String,
}

/// Everything for one appointment, section by section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppointmentReport {
    /// The member's handle.
    pub member_handle: String,
    /// The day the report was made.
    #[serde(with = "crate::dates::serde_iso")]
    pub generated_on: Date,
    /// The conditions the member tracks.
    pub conditions: Vec<TrackedCondition>,
    /// Symptoms and when they began: one row per region ever rated, head to foot.
    pub symptoms: Vec<RegionSummary>,
    /// What makes them worse: how many diary entries marked each trigger, most first; only
    /// triggers marked at least once.
    pub triggers: Vec<TriggerCount>,
    /// The member's diary notes, oldest first.
    pub notes: Vec<DatedNote>,
    /// Treatments: injections, oldest first.
    pub injections: Vec<InjectionSummary>,
    /// Treatments: medicines, in the order kept.
    pub medicines: Vec<Medicine>,
    /// Every side effect recorded, from injections (oldest first) then medicines.
    pub side_effects: Vec<SideEffectMention>,
    /// The member's family history, as written.
    pub family_history: String,
    /// The member's own questions.
    pub member_questions: Vec<String>,
    /// Questions from the library, each with its citation.
    pub library_questions: Vec<CitedQuestion>,
    /// The distribution of the regions ever rated above 0; `None` when there are none.
    pub distribution: Option<Distribution>,
    /// [`CLINICIAN_NOTICE`], to show with the distribution.
    pub clinician_notice: String,
    /// When the next injection falls due; `None` without a recorded injection.
    pub next_injection: Option<NextInjection>,
}

/// One region's history in the diary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionSummary {
    /// The region.
    pub region: Region,
    /// The first day it was rated.
    #[serde(with = "crate::dates::serde_iso")]
    pub first_rated: Date,
    /// The last day it was rated.
    #[serde(with = "crate::dates::serde_iso")]
    pub last_rated: Date,
    /// The severity on that last day (the later entry if two share the day).
    pub last_severity: u8,
    /// The highest severity ever rated.
    pub highest_severity: u8,
    /// How many times it was rated.
    pub n_ratings: usize,
}

/// How often a trigger was marked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TriggerCount {
    /// The trigger.
    pub trigger: Trigger,
    /// Diary entries that marked it.
    pub n_entries: usize,
}

/// A diary note with its date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatedNote {
    /// The entry's date.
    #[serde(with = "crate::dates::serde_iso")]
    pub date: Date,
    /// The note, as written.
    pub text: String,
}

/// One injection, as recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InjectionSummary {
    /// The day of the injection.
    #[serde(with = "crate::dates::serde_iso")]
    pub date: Date,
    /// The product.
    pub product: Product,
    /// Muscles and units exactly as recorded.
    pub muscles: Vec<MuscleDose>,
    /// Side effects the member noticed.
    pub side_effects: Vec<String>,
    /// The member's note.
    pub note: String,
}

/// Where a side effect was recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum SideEffectSource {
    /// After an injection.
    Injection {
        /// The injection's date.
        #[serde(with = "crate::dates::serde_iso")]
        date: Date,
        /// Its product.
        product: Product,
    },
    /// With a medicine.
    Medicine {
        /// The medicine's name.
        name: String,
    },
}

/// A side effect and where it was recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SideEffectMention {
    /// The side effect, in the member's words.
    pub text: String,
    /// Where it was recorded.
    pub source: SideEffectSource,
}

/// The next injection's window, from the last injection and the member's settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct NextInjection {
    /// The latest injection recorded.
    #[serde(with = "crate::dates::serde_iso")]
    pub last_injection: Date,
    /// The interval used.
    pub settings: DueSettings,
    /// The window.
    pub window: DueWindow,
    /// Where the report's day falls in it.
    pub status: DueStatus,
}

/// Builds the report of `data` as of `today`, with the library's questions.
pub fn report(data: &TrackerData, library_questions: Vec<CitedQuestion>, today: Date) -> AppointmentReport {
    let mut entries: Vec<&crate::diary::Entry> = data.entries.iter().collect();
    entries.sort_by_key(|entry| entry.date); // stable: same-day entries keep their order

    let symptoms: Vec<RegionSummary> = Region::ALL
        .into_iter()
        .filter_map(|region| region_summary(&entries, region))
        .collect();

    let mut triggers: Vec<TriggerCount> = Trigger::ALL
        .into_iter()
        .map(|trigger| TriggerCount {
            trigger,
            n_entries: entries
                .iter()
                .filter(|entry| entry.triggers.contains(&trigger))
                .count(),
        })
        .filter(|count| count.n_entries > 0)
        .collect();
    triggers.sort_by_key(|count| std::cmp::Reverse(count.n_entries)); // stable: ties keep Trigger::ALL order

    let notes = entries
        .iter()
        .filter(|entry| !entry.note.trim().is_empty())
        .map(|entry| DatedNote {
            date: entry.date,
            text: entry.note.clone(),
        })
        .collect();

    let mut injections: Vec<InjectionSummary> = data
        .injections
        .iter()
        .map(|injection| InjectionSummary {
            date: injection.date,
            product: injection.product,
            muscles: injection.muscles.clone(),
            side_effects: injection.side_effects.clone(),
            note: injection.note.clone(),
        })
        .collect();
    injections.sort_by_key(|injection| injection.date);

    let mut side_effects: Vec<SideEffectMention> = injections
        .iter()
        .flat_map(|injection| {
            injection.side_effects.iter().map(|text| SideEffectMention {
                text: text.clone(),
                source: SideEffectSource::Injection {
                    date: injection.date,
                    product: injection.product,
                },
            })
        })
        .collect();
    for medicine in &data.medicines {
        side_effects.extend(medicine.side_effects.iter().map(|text| SideEffectMention {
            text: text.clone(),
            source: SideEffectSource::Medicine {
                name: medicine.name.clone(),
            },
        }));
    }

    let affected: Vec<Region> = symptoms
        .iter()
        .filter(|summary| summary.highest_severity > 0)
        .map(|summary| summary.region)
        .collect();

    let next_injection = injections.last().map(|last| {
        let window = due_window(last.date, &data.due);
        NextInjection {
            last_injection: last.date,
            settings: data.due,
            window,
            status: window.status(today),
        }
    });

    AppointmentReport {
        member_handle: data.member_handle.clone(),
        generated_on: today,
        conditions: data.conditions.clone(),
        symptoms,
        triggers,
        notes,
        injections,
        medicines: data.medicines.clone(),
        side_effects,
        family_history: data.family_history.clone(),
        member_questions: data.questions.clone(),
        library_questions,
        distribution: classify(&affected),
        clinician_notice: CLINICIAN_NOTICE.to_owned(),
        next_injection,
    }
}

/// `entries` sorted by date.
fn region_summary(entries: &[&crate::diary::Entry], region: Region) -> Option<RegionSummary> {
    let ratings: Vec<(Date, u8)> = entries
        .iter()
        .flat_map(|entry| {
            entry
                .severities
                .iter()
                .filter(|(rated, _)| *rated == region)
                .map(|(_, severity)| (entry.date, severity.get()))
        })
        .collect();
    let &(first_rated, _) = ratings.first()?;
    let &(last_rated, last_severity) = ratings.last()?;
    Some(RegionSummary {
        region,
        first_rated,
        last_rated,
        last_severity,
        highest_severity: ratings.iter().map(|&(_, s)| s).max().unwrap_or_default(),
        n_ratings: ratings.len(),
    })
}
