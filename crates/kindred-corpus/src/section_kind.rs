//! The kinds of section a health article has, shared by web pages and MedQuAD question types.

use serde::{Deserialize, Serialize};

/// What a section is about. Web-page headings and MedQuAD `qtype`s both map onto these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionKind {
    /// What the condition is.
    Overview,
    /// Signs and symptoms.
    Symptoms,
    /// Causes.
    Causes,
    /// Risk factors and susceptibility.
    RiskFactors,
    /// Complications.
    Complications,
    /// Exams, tests and diagnosis.
    Diagnosis,
    /// Treatment and management.
    Treatment,
    /// Prevention.
    Prevention,
    /// Living with the condition, coping, support.
    LivingWith,
    /// Preparing for your appointment.
    Appointment,
    /// Inheritance and genetics.
    Genetics,
    /// How common it is.
    Frequency,
    /// Outlook and prognosis.
    Outlook,
    /// Research and clinical trials.
    Research,
    /// When to contact a medical professional.
    WhenToSeeDoctor,
    /// Drug side effects.
    SideEffects,
    /// Drug use, dosing and precautions (library text only; never individual advice).
    DrugUse,
    /// Anything else.
    Other,
}

impl SectionKind {
    /// Every kind, in the order a condition page shows them.
    pub const ALL: [SectionKind; 18] = [
        SectionKind::Overview,
        SectionKind::Symptoms,
        SectionKind::Causes,
        SectionKind::RiskFactors,
        SectionKind::Complications,
        SectionKind::Diagnosis,
        SectionKind::Treatment,
        SectionKind::SideEffects,
        SectionKind::Prevention,
        SectionKind::LivingWith,
        SectionKind::WhenToSeeDoctor,
        SectionKind::Appointment,
        SectionKind::Genetics,
        SectionKind::Frequency,
        SectionKind::Outlook,
        SectionKind::Research,
        SectionKind::DrugUse,
        SectionKind::Other,
    ];

    /// A stable lowercase name, used in JSON and the index.
    pub fn as_str(self) -> &'static str {
        match self {
            SectionKind::Overview => "overview",
            SectionKind::Symptoms => "symptoms",
            SectionKind::Causes => "causes",
            SectionKind::RiskFactors => "risk_factors",
            SectionKind::Complications => "complications",
            SectionKind::Diagnosis => "diagnosis",
            SectionKind::Treatment => "treatment",
            SectionKind::Prevention => "prevention",
            SectionKind::LivingWith => "living_with",
            SectionKind::Appointment => "appointment",
            SectionKind::Genetics => "genetics",
            SectionKind::Frequency => "frequency",
            SectionKind::Outlook => "outlook",
            SectionKind::Research => "research",
            SectionKind::WhenToSeeDoctor => "when_to_see_doctor",
            SectionKind::SideEffects => "side_effects",
            SectionKind::DrugUse => "drug_use",
            SectionKind::Other => "other",
        }
    }

    /// Parses [`SectionKind::as_str`] back.
    pub fn parse(name: &str) -> Option<SectionKind> {
        SectionKind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// A heading for people.
    pub fn title(self) -> &'static str {
        match self {
            SectionKind::Overview => "Overview",
            SectionKind::Symptoms => "Symptoms",
            SectionKind::Causes => "Causes",
            SectionKind::RiskFactors => "Risk factors",
            SectionKind::Complications => "Complications",
            SectionKind::Diagnosis => "Tests and diagnosis",
            SectionKind::Treatment => "Treatment",
            SectionKind::Prevention => "Prevention",
            SectionKind::LivingWith => "Living with it",
            SectionKind::Appointment => "Preparing for your appointment",
            SectionKind::Genetics => "Inheritance and genetics",
            SectionKind::Frequency => "How common it is",
            SectionKind::Outlook => "Outlook",
            SectionKind::Research => "Research",
            SectionKind::WhenToSeeDoctor => "When to contact a medical professional",
            SectionKind::SideEffects => "Side effects",
            SectionKind::DrugUse => "Using the medicine",
            SectionKind::Other => "More information",
        }
    }

    /// Maps a MedQuAD `qtype` attribute onto a section kind.
    pub fn from_medquad_qtype(qtype: &str) -> SectionKind {
        match qtype.trim().to_ascii_lowercase().as_str() {
            "information" | "other information" | "considerations" | "how can i learn more" => {
                SectionKind::Overview
            }
            "symptoms" => SectionKind::Symptoms,
            "causes" => SectionKind::Causes,
            "susceptibility" => SectionKind::RiskFactors,
            "complications" => SectionKind::Complications,
            "exams and tests" => SectionKind::Diagnosis,
            "treatment" => SectionKind::Treatment,
            "prevention" | "why get vaccinated" => SectionKind::Prevention,
            "support groups" | "dietary" => SectionKind::LivingWith,
            "inheritance" | "genetic changes" => SectionKind::Genetics,
            "frequency" => SectionKind::Frequency,
            "outlook" | "stages" => SectionKind::Outlook,
            "research" => SectionKind::Research,
            "when to contact a medical professional" | "emergency or overdose" => {
                SectionKind::WhenToSeeDoctor
            }
            "side effects" | "severe reaction" => SectionKind::SideEffects,
            "indication"
            | "usage"
            | "precautions"
            | "brand names"
            | "brand names of combination products"
            | "storage and disposal"
            | "forget a dose"
            | "important warning"
            | "dose"
            | "interactions with medications"
            | "interactions with herbs and supplements"
            | "interactions with foods"
            | "how effective is it"
            | "how does it work"
            | "contraindication" => SectionKind::DrugUse,
            _ => SectionKind::Other,
        }
    }
}

impl std::fmt::Display for SectionKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
