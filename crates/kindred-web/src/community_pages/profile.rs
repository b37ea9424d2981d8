//! The member's profile form (every field with its own visibility), their Alikes, and member
//! pages showing only what the viewer may see.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::{Form, FormRejection};
use kindred_app::community::{Actor, AlikeView, CommunityError, MemberView, ReasonView};
use kindred_app::{FLAGSHIP, Kindred};
use kindred_community::profile::{
    ConditionChoice, Field, MAX_CONDITIONS, Profile, ProfileView, TreatmentReport,
};
use kindred_community::vocab::{AgeBand, OnsetBand, Outcome, Sex, TREATMENTS, Visibility, treatment};
use kindred_tracker::region::Region;
use serde::Deserialize;

use super::{Choice, DISCLAIMER, Errors, Visitor, choices, condition_name, error_page, render, sentence};
use crate::api::{StrictPath, StrictQuery};
use crate::error::ApiError;
use crate::state::AppState;

/// Blank condition rows offered beyond the ones filled in (no JavaScript adds rows; saving does).
const BLANK_CONDITION_ROWS: usize = 2;

/// One condition row of the profile form, as shown.
#[derive(Debug, Clone, Default)]
struct ConditionRow {
    /// The condition as typed, or the saved condition's name.
    condition: String,
    /// The subtype's slug, or "".
    subtype: String,
}

/// One treatment row of the profile form, as shown.
#[derive(Debug, Clone)]
struct TreatmentRow {
    key: &'static str,
    label: &'static str,
    tried: bool,
    outcome: String,
    side_effects: String,
}

/// The profile form's values, as shown: saved, or as submitted when refused.
#[derive(Debug, Clone)]
struct ProfileForm {
    conditions: Vec<ConditionRow>,
    conditions_visibility: Visibility,
    regions: Vec<String>,
    regions_visibility: Visibility,
    age_band: String,
    age_band_visibility: Visibility,
    onset_band: String,
    onset_band_visibility: Visibility,
    sex: String,
    sex_visibility: Visibility,
    treatments: Vec<TreatmentRow>,
    treatments_visibility: Visibility,
    medicines: String,
    medicines_visibility: Visibility,
    about: String,
    about_visibility: Visibility,
    open_to_matching: bool,
}

/// The flagship's narrower conditions (slug and name), by name: the subtypes the form offers.
fn flagship_subtypes(kindred: &Kindred) -> Vec<Choice> {
    let catalog = &kindred.library().catalog;
    let Some(flagship) = catalog.by_slug(FLAGSHIP) else {
        return Vec::new();
    };
    let mut subtypes: Vec<Choice> = flagship
        .narrower
        .iter()
        .filter_map(|id| catalog.get(*id))
        .map(|c| Choice {
            key: c.slug.clone(),
            label: c.name.clone(),
        })
        .collect();
    subtypes.sort_by_key(|c| c.label.to_lowercase());
    subtypes
}

/// The catalog condition a member typed: its slug, or its name or another name of it, ignoring
/// case and extra spaces. A name several conditions share resolves within the flagship's family
/// first.
fn resolve_condition(kindred: &Kindred, typed: &str) -> Option<String> {
    let catalog = &kindred.library().catalog;
    let typed = typed.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some(condition) = catalog.by_slug(&typed) {
        return Some(condition.slug.clone());
    }
    let wanted = typed.to_lowercase();
    let candidates: Vec<(&str, bool)> = catalog
        .conditions
        .iter()
        .filter(|c| c.name.to_lowercase() == wanted || c.synonyms.iter().any(|s| s.to_lowercase() == wanted))
        .map(|c| {
            let in_family = c.slug == FLAGSHIP
                || c.broader
                    .iter()
                    .filter_map(|id| catalog.get(*id))
                    .any(|b| b.slug == FLAGSHIP);
            (c.slug.as_str(), in_family)
        })
        .collect();
    candidates
        .iter()
        .find(|(_, in_family)| *in_family)
        .or_else(|| candidates.first())
        .map(|(slug, _)| (*slug).to_owned())
}

impl ProfileForm {
    /// The form over a saved profile, with blank condition rows to add more.
    fn of(kindred: &Kindred, profile: &Profile) -> ProfileForm {
        let mut conditions: Vec<ConditionRow> = profile
            .conditions
            .value
            .iter()
            .map(|choice| ConditionRow {
                condition: condition_name(kindred, &choice.condition),
                subtype: choice.subtype.clone().unwrap_or_default(),
            })
            .collect();
        let rows = (conditions.len() + BLANK_CONDITION_ROWS).clamp(3, MAX_CONDITIONS);
        conditions.resize(rows.max(conditions.len()), ConditionRow::default());
        let treatments = TREATMENTS
            .iter()
            .map(|t| {
                let report = profile.treatments.value.iter().find(|r| r.treatment == t.key);
                TreatmentRow {
                    key: t.key,
                    label: t.label,
                    tried: report.is_some(),
                    outcome: report
                        .and_then(|r| r.outcome)
                        .map_or_else(String::new, |o| o.key().to_owned()),
                    side_effects: report.map(|r| r.side_effects.join(", ")).unwrap_or_default(),
                }
            })
            .collect();
        ProfileForm {
            conditions,
            conditions_visibility: profile.conditions.visibility,
            regions: profile.regions.value.clone(),
            regions_visibility: profile.regions.visibility,
            age_band: profile
                .age_band
                .value
                .map_or_else(String::new, |b| b.key().to_owned()),
            age_band_visibility: profile.age_band.visibility,
            onset_band: profile
                .onset_band
                .value
                .map_or_else(String::new, |b| b.key().to_owned()),
            onset_band_visibility: profile.onset_band.visibility,
            sex: profile.sex.value.map_or_else(String::new, |s| s.key().to_owned()),
            sex_visibility: profile.sex.visibility,
            treatments,
            treatments_visibility: profile.treatments.visibility,
            medicines: profile.medicines.value.join("\n"),
            medicines_visibility: profile.medicines.visibility,
            about: profile.about.value.clone(),
            about_visibility: profile.about.visibility,
            open_to_matching: profile.open_to_matching,
        }
    }

    /// The form as submitted (every field as sent, to show again), its token, and the first
    /// choice that is not one of the form's options (only a hand-made request sends one).
    fn submitted(pairs: &[(String, String)]) -> (ProfileForm, String, Option<Errors>) {
        let value = |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map_or("", |(_, v)| v.as_str())
        };
        let values = |name: &str| -> Vec<&str> {
            pairs
                .iter()
                .filter(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
                .collect()
        };
        let mut bad: Option<Errors> = None;
        let mut visibility = |field: &str, label: &str| {
            let key = value(&format!("{field}_visibility"));
            match Visibility::from_key(key) {
                Some(v) => v,
                // Not sent (a hand-made request): the default, private.
                None if key.is_empty() => Visibility::Private,
                None => {
                    if bad.is_none() {
                        bad = Some(Errors::on(
                            format!("{}-visibility", field.replace('_', "-")),
                            format!("Who can see {label}: choose one of the options."),
                        ));
                    }
                    Visibility::Private
                }
            }
        };
        let conditions_visibility = visibility("conditions", "your conditions");
        let regions_visibility = visibility("regions", "your body regions");
        let age_band_visibility = visibility("age_band", "your age");
        let onset_band_visibility = visibility("onset_band", "when symptoms began");
        let sex_visibility = visibility("sex", "your sex");
        let treatments_visibility = visibility("treatments", "your treatments");
        let medicines_visibility = visibility("medicines", "your medicines");
        let about_visibility = visibility("about", "what you wrote about yourself");

        let typed = values("condition");
        let subtypes = values("subtype");
        let n_rows = typed.len().max(subtypes.len()).max(1);
        let conditions = (0..n_rows)
            .map(|i| ConditionRow {
                condition: typed.get(i).copied().unwrap_or_default().to_owned(),
                subtype: subtypes.get(i).copied().unwrap_or_default().to_owned(),
            })
            .collect();
        let tried = values("tried");
        let treatments = TREATMENTS
            .iter()
            .map(|t| TreatmentRow {
                key: t.key,
                label: t.label,
                tried: tried.contains(&t.key),
                outcome: value(&format!("outcome_{}", t.key)).to_owned(),
                side_effects: value(&format!("side_effects_{}", t.key)).to_owned(),
            })
            .collect();
        let form = ProfileForm {
            conditions,
            conditions_visibility,
            regions: values("regions").into_iter().map(str::to_owned).collect(),
            regions_visibility,
            age_band: value("age_band").to_owned(),
            age_band_visibility,
            onset_band: value("onset_band").to_owned(),
            onset_band_visibility,
            sex: value("sex").to_owned(),
            sex_visibility,
            treatments,
            treatments_visibility,
            medicines: value("medicines").to_owned(),
            medicines_visibility,
            about: value("about").to_owned(),
            about_visibility,
            open_to_matching: value("open_to_matching") == "yes",
        };
        (form, value("csrf").to_owned(), bad)
    }

    /// The profile this form describes, with where each listed condition and treatment is in the
    /// form (to place the service's refusals); or the first field that cannot be read.
    fn to_profile(&self, kindred: &Kindred) -> Result<(Profile, Placement), Errors> {
        let mut placement = Placement::default();
        let mut conditions = Vec::new();
        if self.conditions.len() > MAX_CONDITIONS {
            return Err(Errors::on(
                "condition-0",
                format!("You can list up to {MAX_CONDITIONS} conditions."),
            ));
        }
        for (row, given) in self.conditions.iter().enumerate() {
            let typed = given.condition.trim();
            let subtype = given.subtype.trim();
            if typed.is_empty() {
                if !subtype.is_empty() {
                    return Err(Errors::on(
                        format!("condition-{row}"),
                        format!(
                            "Condition {}: choose the condition this subtype belongs to, or set the \
                             subtype to “No subtype”.",
                            row + 1
                        ),
                    ));
                }
                continue;
            }
            let Some(slug) = resolve_condition(kindred, typed) else {
                return Err(Errors::on(
                    format!("condition-{row}"),
                    format!(
                        "Condition {}: Kindred's library has no condition called “{typed}”. Choose a \
                         name from the suggestions, or check the spelling.",
                        row + 1
                    ),
                ));
            };
            conditions.push(ConditionChoice {
                condition: slug,
                subtype: (!subtype.is_empty()).then(|| subtype.to_owned()),
            });
            placement.condition_rows.push(row);
        }

        let band = |key: &str, id: &str, label: &str, parse: &dyn Fn(&str) -> bool| {
            if key.is_empty() || parse(key) {
                Ok(())
            } else {
                Err(Errors::on(id, format!("{label}: choose one of the options.")))
            }
        };
        band(&self.age_band, "age-band", "Age", &|k| {
            AgeBand::from_key(k).is_some()
        })?;
        band(&self.onset_band, "onset-band", "When symptoms began", &|k| {
            OnsetBand::from_key(k).is_some()
        })?;
        band(&self.sex, "sex", "Sex", &|k| Sex::from_key(k).is_some())?;

        let mut treatments = Vec::new();
        for row in &self.treatments {
            let side_effects: Vec<String> = row
                .side_effects
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect();
            let outcome = match row.outcome.as_str() {
                "" => None,
                key => Some(Outcome::from_key(key).ok_or_else(|| {
                    Errors::on(
                        format!("outcome-{}", row.key),
                        format!("{}: choose how it went from the options.", row.label),
                    )
                })?),
            };
            if !row.tried {
                if outcome.is_some() || !side_effects.is_empty() {
                    return Err(Errors::on(
                        format!("tried-{}", row.key),
                        format!(
                            "{}: tick “Tried it” to report how it went, or clear how it went and \
                             the side effects.",
                            row.label
                        ),
                    ));
                }
                continue;
            }
            treatments.push(TreatmentReport {
                treatment: row.key.to_owned(),
                outcome,
                side_effects,
            });
            placement.treatment_rows.push(row.key);
        }

        let profile = Profile {
            conditions: Field::new(conditions, self.conditions_visibility),
            regions: Field::new(self.regions.clone(), self.regions_visibility),
            age_band: Field::new(AgeBand::from_key(&self.age_band), self.age_band_visibility),
            onset_band: Field::new(OnsetBand::from_key(&self.onset_band), self.onset_band_visibility),
            sex: Field::new(Sex::from_key(&self.sex), self.sex_visibility),
            treatments: Field::new(treatments, self.treatments_visibility),
            medicines: Field::new(
                self.medicines.lines().map(str::to_owned).collect(),
                self.medicines_visibility,
            ),
            about: Field::new(self.about.clone(), self.about_visibility),
            open_to_matching: self.open_to_matching,
        };
        Ok((profile, placement))
    }
}

/// Where the profile's listed conditions and treatments are in the form.
#[derive(Debug, Default)]
struct Placement {
    /// The form row of each listed condition.
    condition_rows: Vec<usize>,
    /// The treatment of each listed report.
    treatment_rows: Vec<&'static str>,
}

/// `name[3].rest` → (`name`, Some(3), `rest`).
fn split_field(field: &str) -> (&str, Option<usize>, &str) {
    let Some(open) = field.find('[') else {
        return (field, None, "");
    };
    let Some(close) = field[open..].find(']').map(|c| open + c) else {
        return (field, None, "");
    };
    let index = field[open + 1..close].parse().ok();
    let rest = field[close + 1..].trim_start_matches('.');
    (&field[..open], index, rest)
}

/// The element and the words for a profile field the service refused (`treatments[2].side_effects[0]`).
fn place_profile_field(field: &str, placement: &Placement) -> (String, String) {
    let (name, index, rest) = split_field(field);
    match name {
        "conditions" => {
            let row = index
                .and_then(|i| placement.condition_rows.get(i).copied())
                .unwrap_or(0);
            if rest.starts_with("subtype") {
                (
                    format!("subtype-{row}"),
                    format!("The subtype of condition {}", row + 1),
                )
            } else {
                (format!("condition-{row}"), format!("Condition {}", row + 1))
            }
        }
        "regions" => ("regions".to_owned(), "Body regions".to_owned()),
        "treatments" => match index.and_then(|i| placement.treatment_rows.get(i).copied()) {
            Some(key) => {
                let label = treatment(key).map_or(key, |t| t.label);
                let (_, effect, _) = split_field(rest);
                if rest.starts_with("side_effects") {
                    let words = match effect {
                        Some(j) => format!("Side effect {} of {label}", j + 1),
                        None => format!("Side effects of {label}"),
                    };
                    (format!("side-effects-{key}"), words)
                } else {
                    (format!("tried-{key}"), label.to_owned())
                }
            }
            None => ("tried-botulinum-toxin".to_owned(), "Treatments".to_owned()),
        },
        "medicines" => (
            "medicines".to_owned(),
            index.map_or_else(|| "Medicines".to_owned(), |i| format!("Medicine {}", i + 1)),
        ),
        "about" => ("about".to_owned(), "About you".to_owned()),
        _ => (String::new(), String::new()),
    }
}

/// A profile refusal in people's words: the field's path at the start of the message becomes its
/// label ("treatments[2].side_effects[0] is longer…" → "Side effect 1 of Baclofen is longer…").
fn profile_message(field: &str, message: &str, label: &str) -> String {
    if label.is_empty() {
        return sentence("", message);
    }
    match message.strip_prefix(field) {
        Some(rest) if rest.starts_with(' ') => format!("{label}{}.", rest.trim_end_matches('.')),
        _ => sentence(label, message),
    }
}

/// Parameters of `/me/profile`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SavedParams {
    saved: Option<String>,
}

#[derive(Template)]
#[template(path = "community_profile.html")]
struct ProfilePage<'a> {
    handle: &'a str,
    form: ProfileForm,
    saved: bool,
    errors: Errors,
    csrf: &'a str,
    /// Names for the condition suggestions: the flagship and its subtypes.
    suggestions: Vec<String>,
    subtypes: Vec<Choice>,
    visibilities: Vec<Choice>,
    regions: Vec<Choice>,
    age_bands: Vec<Choice>,
    onset_bands: Vec<Choice>,
    sexes: Vec<Choice>,
    outcomes: Vec<Choice>,
    disclaimer: &'a str,
}

impl<'a> ProfilePage<'a> {
    fn new(
        kindred: &Kindred,
        actor: &'a Actor,
        form: ProfileForm,
        saved: bool,
        errors: Errors,
    ) -> ProfilePage<'a> {
        let mut subtypes = flagship_subtypes(kindred);
        // A saved subtype of another condition (set through the API) stays choosable.
        for row in &form.conditions {
            if !row.subtype.is_empty() && !subtypes.iter().any(|s| s.key == row.subtype) {
                subtypes.push(Choice {
                    key: row.subtype.clone(),
                    label: condition_name(kindred, &row.subtype),
                });
            }
        }
        let mut suggestions: Vec<String> = kindred
            .library()
            .catalog
            .by_slug(FLAGSHIP)
            .map(|c| c.name.clone())
            .into_iter()
            .collect();
        suggestions.extend(flagship_subtypes(kindred).into_iter().map(|c| c.label));
        ProfilePage {
            handle: &actor.member.handle,
            form,
            saved,
            errors,
            csrf: &actor.csrf_token,
            suggestions,
            subtypes,
            visibilities: choices(&Visibility::ALL, Visibility::key, Visibility::label),
            regions: choices(&Region::ALL, Region::key, Region::label),
            age_bands: choices(&AgeBand::ALL, AgeBand::key, AgeBand::label),
            onset_bands: choices(&OnsetBand::ALL, OnsetBand::key, OnsetBand::label),
            sexes: choices(&Sex::ALL, Sex::key, Sex::label),
            outcomes: choices(&Outcome::ALL, Outcome::key, Outcome::label),
            disclaimer: DISCLAIMER,
        }
    }

    /// Whether region `key` is ticked.
    fn has_region(&self, key: &str) -> bool {
        self.form.regions.iter().any(|r| r == key)
    }
}

/// `GET /me/profile`: the whole profile form.
pub(super) async fn profile_form(
    State(state): State<AppState>,
    visitor: Visitor,
    query: Result<StrictQuery<SavedParams>, ApiError>,
) -> Response {
    let params = match query {
        Ok(StrictQuery(params, _)) => params,
        Err(e) => return error_page(e),
    };
    let actor = match visitor.member("/me/profile") {
        Ok(actor) => actor,
        Err(page) => return page,
    };
    let profile = match state.community.own_profile(actor).await {
        Ok(profile) => profile,
        Err(error) => return visitor.failure(error, "/me/profile"),
    };
    let form = ProfileForm::of(&state.kindred, &profile);
    render(
        &ProfilePage::new(
            &state.kindred,
            actor,
            form,
            params.saved.is_some(),
            Errors::default(),
        ),
        StatusCode::OK,
    )
}

/// `POST /me/profile`: saves the whole profile.
pub(super) async fn save_profile(
    State(state): State<AppState>,
    visitor: Visitor,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Response {
    let actor = match visitor.member("/me/profile") {
        Ok(actor) => actor,
        Err(page) => return page,
    };
    let pairs = match visitor.form(form) {
        Ok(pairs) => pairs,
        Err(page) => return page,
    };
    let (form, csrf, bad) = ProfileForm::submitted(&pairs);
    if let Err(page) = visitor.check_token(&csrf, false) {
        return page;
    }
    let refused = |form: ProfileForm, errors: Errors| {
        render(
            &ProfilePage::new(&state.kindred, actor, form, false, errors),
            StatusCode::BAD_REQUEST,
        )
    };
    if let Some(errors) = bad {
        return refused(form, errors);
    }
    let (profile, placement) = match form.to_profile(&state.kindred) {
        Ok(parsed) => parsed,
        Err(errors) => return refused(form, errors),
    };
    match state.community.save_profile(actor, &state.kindred, profile).await {
        Ok(()) => Redirect::to("/me/profile?saved=1").into_response(),
        Err(CommunityError::Invalid { field, message }) => {
            let (id, label) = place_profile_field(&field, &placement);
            refused(form, Errors::on(id, profile_message(&field, &message, &label)))
        }
        Err(error) => visitor.failure(error, "/me/profile"),
    }
}

/// One Alike, as listed.
#[derive(Debug, Clone)]
struct AlikeRow {
    handle: String,
    synthetic: bool,
    score: String,
    reasons: Vec<String>,
}

/// Why two members are alike, in words: "Same condition: Dystonia".
fn reason_words(reason: &ReasonView) -> String {
    let prefix = match reason.kind.as_str() {
        "condition" => "Same condition",
        "subtype" => "Same subtype",
        "region" => "Same body region",
        "treatment" => "Tried the same treatment",
        _ => return reason.label.clone(),
    };
    format!("{prefix}: {}", reason.label)
}

#[derive(Template)]
#[template(path = "community_alikes.html")]
struct AlikesPage<'a> {
    alikes: Vec<AlikeRow>,
    open_to_matching: bool,
    disclaimer: &'a str,
}

/// `GET /me/alikes`: the member's Alikes and why.
pub(super) async fn alikes(State(state): State<AppState>, visitor: Visitor) -> Response {
    let actor = match visitor.member("/me/alikes") {
        Ok(actor) => actor,
        Err(page) => return page,
    };
    let found: Vec<AlikeView> = match state.community.alikes(actor, &state.kindred).await {
        Ok(found) => found,
        Err(error) => return visitor.failure(error, "/me/alikes"),
    };
    let open_to_matching = match state.community.own_profile(actor).await {
        Ok(profile) => profile.open_to_matching,
        Err(error) => return visitor.failure(error, "/me/alikes"),
    };
    let alikes = found
        .into_iter()
        .map(|alike| AlikeRow {
            handle: alike.member.handle,
            synthetic: alike.member.synthetic,
            score: format!("{:.1}", alike.score),
            reasons: alike.reasons.iter().map(reason_words).collect(),
        })
        .collect();
    render(
        &AlikesPage {
            alikes,
            open_to_matching,
            disclaimer: DISCLAIMER,
        },
        StatusCode::OK,
    )
}

// ---- member pages ------------------------------------------------------------------------------

/// One profile field on a member page.
#[derive(Debug, Clone)]
struct ShownField {
    label: &'static str,
    /// Whether the viewer may see it (else: "not shared").
    shared: bool,
    /// A list value.
    items: Vec<String>,
    /// A text value (kept as written; escaped).
    text: String,
    /// Who may see it, for the owner only.
    visibility: Option<&'static str>,
}

/// What a viewer is shown of a profile, field by field, in people's words. Hidden fields say only
/// that they are not shared.
fn shown_fields(kindred: &Kindred, view: &ProfileView) -> Vec<ShownField> {
    let visibility = view.visibility;
    let field =
        |label, shared: bool, items: Vec<String>, text: String, of: fn(&_) -> Visibility| ShownField {
            label,
            shared,
            items,
            text,
            visibility: visibility.as_ref().map(|v| of(v).label()),
        };
    let conditions = view.conditions.as_ref().map(|list| {
        list.iter()
            .map(|c| match &c.subtype {
                Some(subtype) => format!(
                    "{} ({})",
                    condition_name(kindred, &c.condition),
                    condition_name(kindred, subtype)
                ),
                None => condition_name(kindred, &c.condition),
            })
            .collect::<Vec<_>>()
    });
    let regions = view.regions.as_ref().map(|list| {
        list.iter()
            .map(|key| Region::from_key(key).map_or_else(|_| key.clone(), |r| r.label().to_owned()))
            .collect::<Vec<_>>()
    });
    let treatments = view.treatments.as_ref().map(|list| {
        list.iter()
            .map(|r| {
                let mut line =
                    treatment(&r.treatment).map_or_else(|| r.treatment.clone(), |t| t.label.to_owned());
                if let Some(outcome) = r.outcome {
                    line.push_str(&format!(": {}", outcome.label().to_lowercase()));
                }
                if !r.side_effects.is_empty() {
                    line.push_str(&format!("; side effects: {}", r.side_effects.join(", ")));
                }
                line
            })
            .collect::<Vec<_>>()
    });
    let band = |value: Option<String>| value.into_iter().collect::<Vec<_>>();
    vec![
        field(
            "Conditions",
            conditions.is_some(),
            conditions.unwrap_or_default(),
            String::new(),
            |v| v.conditions,
        ),
        field(
            "Body regions",
            regions.is_some(),
            regions.unwrap_or_default(),
            String::new(),
            |v| v.regions,
        ),
        field(
            "Age",
            view.age_band.is_some(),
            band(view.age_band.flatten().map(|b| b.label().to_owned())),
            String::new(),
            |v| v.age_band,
        ),
        field(
            "When symptoms began",
            view.onset_band.is_some(),
            band(view.onset_band.flatten().map(|b| b.label().to_owned())),
            String::new(),
            |v| v.onset_band,
        ),
        field(
            "Sex",
            view.sex.is_some(),
            band(view.sex.flatten().map(|s| s.label().to_owned())),
            String::new(),
            |v| v.sex,
        ),
        field(
            "Treatments tried",
            treatments.is_some(),
            treatments.unwrap_or_default(),
            String::new(),
            |v| v.treatments,
        ),
        field(
            "Medicines",
            view.medicines.is_some(),
            view.medicines.clone().unwrap_or_default(),
            String::new(),
            |v| v.medicines,
        ),
        field(
            "About",
            view.about.is_some(),
            Vec::new(),
            view.about.clone().unwrap_or_default(),
            |v| v.about,
        ),
    ]
}

#[derive(Template)]
#[template(path = "community_member.html")]
struct MemberPage<'a> {
    handle: &'a str,
    synthetic: bool,
    own: bool,
    signed_in: bool,
    fields: Vec<ShownField>,
    disclaimer: &'a str,
}

/// `GET /members/{handle}`: what the viewer may see of a member.
pub(super) async fn member(
    State(state): State<AppState>,
    visitor: Visitor,
    path: Result<StrictPath, ApiError>,
) -> Response {
    let StrictPath(handle, _) = match path {
        Ok(path) => path,
        Err(e) => return error_page(e),
    };
    let view: MemberView = match state.community.member(visitor.actor.as_ref(), &handle).await {
        Ok(view) => view,
        Err(CommunityError::NotFound { .. }) => {
            return visitor.page_error(ApiError::not_found(format!(
                "No member has the handle “{handle}”."
            )));
        }
        Err(error) => return visitor.failure(error, "/groups"),
    };
    let own = visitor
        .actor
        .as_ref()
        .is_some_and(|a| a.member.handle.eq_ignore_ascii_case(&view.handle));
    render(
        &MemberPage {
            handle: &view.handle,
            synthetic: view.synthetic,
            own,
            signed_in: visitor.actor.is_some(),
            fields: shown_fields(&state.kindred, &view.profile),
            disclaimer: DISCLAIMER,
        },
        StatusCode::OK,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_fields_are_named_for_people() {
        let placement = Placement {
            condition_rows: vec![0, 2],
            treatment_rows: vec!["botulinum-toxin", "baclofen"],
        };
        assert_eq!(
            place_profile_field("treatments[1].side_effects[0]", &placement),
            (
                "side-effects-baclofen".to_owned(),
                "Side effect 1 of Baclofen".to_owned()
            )
        );
        assert_eq!(
            place_profile_field("conditions[1].subtype", &placement),
            ("subtype-2".to_owned(), "The subtype of condition 3".to_owned())
        );
        assert_eq!(
            profile_message(
                "treatments[1].side_effects[0]",
                "treatments[1].side_effects[0] is longer than 100 characters",
                "Side effect 1 of Baclofen"
            ),
            "Side effect 1 of Baclofen is longer than 100 characters."
        );
        assert_eq!(
            profile_message("medicines[0]", "must not be empty", "Medicine 1"),
            "Medicine 1: must not be empty."
        );
    }
}
