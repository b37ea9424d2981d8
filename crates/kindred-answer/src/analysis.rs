//! Question analysis: focus, question types, search terms and safety, in one pass.

use kindred_corpus::SectionKind;

use crate::focus::{FocusMatch, FocusRecognizer};
use crate::safety::{Safety, safety_of};

/// Cue phrases for each question type, matched against the folded question with word boundaries.
/// Order matters only for display: a question may have several types.
const TYPE_CUES: &[(SectionKind, &[&str])] = &[
    (
        SectionKind::Treatment,
        &[
            "treat",
            "treatment",
            "treatments",
            "treated",
            "cure",
            "cured",
            "cures",
            "remedy",
            "remedies",
            "therapy",
            "therapies",
            "manage",
            "managed",
            "management",
            "relief",
            "relieve",
            "get rid",
            "help with",
            "surgery",
            "medication for",
            "medicine for",
            "drugs for",
            "options",
            "heal",
            "botox",
            "injection",
            "injections",
            "shots",
        ],
    ),
    (
        SectionKind::Symptoms,
        &[
            "symptom",
            "symptoms",
            "signs",
            "sign of",
            "feel like",
            "look like",
            "feels like",
            "warning signs",
        ],
    ),
    (
        SectionKind::Causes,
        &[
            "cause",
            "causes",
            "caused",
            "causing",
            "why do",
            "why does",
            "why is",
            "reason",
            "trigger",
            "triggers",
            "due to",
            "lead to",
            "result in",
        ],
    ),
    (
        SectionKind::Diagnosis,
        &[
            "diagnose",
            "diagnosed",
            "diagnosis",
            "test",
            "tests",
            "testing",
            "detect",
            "detected",
            "scan",
            "mri",
            "x ray",
            "exam",
            "screening",
            "biopsy",
            "confirm",
        ],
    ),
    (
        SectionKind::Genetics,
        &[
            "gene",
            "genes",
            "genetic",
            "genetics",
            "inherit",
            "inherited",
            "inheritance",
            "hereditary",
            "mutation",
            "mutations",
            "dna",
            "passed down",
            "run in families",
            "runs in families",
            "chromosome",
        ],
    ),
    (
        SectionKind::Frequency,
        &[
            "how common",
            "how rare",
            "how many people",
            "prevalence",
            "incidence",
            "how often does",
        ],
    ),
    (
        SectionKind::Outlook,
        &[
            "prognosis",
            "outlook",
            "life expectancy",
            "survival",
            "fatal",
            "die from",
            "long term",
            "get worse",
            "progress",
            "recover",
            "recovery",
            "go away",
            "stages",
        ],
    ),
    (
        SectionKind::Prevention,
        &[
            "prevent",
            "prevention",
            "avoid",
            "vaccine",
            "vaccinated",
            "vaccination",
            "protect",
        ],
    ),
    (
        SectionKind::RiskFactors,
        &[
            "risk",
            "risks",
            "who gets",
            "susceptible",
            "contagious",
            "catch it",
            "spread",
            "at risk",
        ],
    ),
    (SectionKind::Complications, &["complication", "complications"]),
    (
        SectionKind::SideEffects,
        &["side effect", "side effects", "adverse", "reaction", "reactions"],
    ),
    (
        SectionKind::DrugUse,
        &[
            "interaction",
            "interactions",
            "together with",
            "taken with",
            "take with",
            "dose",
            "dosage",
            "stop taking",
            "stop using",
            "how to take",
            "when to take",
            "in the morning",
            "in the evening",
            "ingredient",
            "ingredients",
            "how much",
            "contain",
        ],
    ),
    (
        SectionKind::Research,
        &[
            "research",
            "clinical trial",
            "clinical trials",
            "studies",
            "new treatments",
            "latest",
        ],
    ),
    (
        SectionKind::LivingWith,
        &[
            "support group",
            "support groups",
            "cope",
            "coping",
            "living with",
            "live with",
            "exercise",
            "diet",
            "work with",
            "daily life",
        ],
    ),
    (
        SectionKind::Appointment,
        &[
            "appointment",
            "ask my doctor",
            "ask the doctor",
            "prepare for",
            "neurologist visit",
        ],
    ),
    (
        SectionKind::WhenToSeeDoctor,
        &[
            "when to see",
            "should i see",
            "when should i call",
            "see a doctor",
        ],
    ),
    (
        SectionKind::Overview,
        &[
            "what is",
            "what are",
            "what s",
            "whats",
            "define",
            "definition",
            "information",
            "info",
            "tell me about",
            "learn about",
            "know about",
            "explain",
            "mean",
            "meaning",
        ],
    ),
];

/// Lay words and their library equivalents. Expansions are added as extra search terms; the
/// question's own words are kept.
const LAY_TERMS: &[(&str, &str)] = &[
    ("shot", "injection"),
    ("shots", "injections"),
    ("jab", "injection"),
    ("botox", "botulinum toxin"),
    ("meds", "medicines medications"),
    ("med", "medicine"),
    ("pills", "medicines"),
    ("pill", "medicine"),
    ("doc", "doctor"),
    ("cancer", "cancer tumor"),
    ("heart attack", "myocardial infarction"),
    ("high blood pressure", "hypertension"),
    ("stroke", "stroke"),
    ("sugar", "glucose"),
    ("tummy", "abdominal"),
    ("belly", "abdominal"),
    ("kidney", "renal"),
    ("twitch", "spasm"),
    ("twitching", "spasms"),
    ("cramp", "spasm"),
    ("cramps", "spasms"),
    ("shaking", "tremor"),
    ("shaky", "tremor"),
    ("how often", "every repeated"),
    ("how long", "months years weeks"),
    ("cure", "cure"),
    ("gene", "gene mutations"),
    ("common", "common frequency"),
];

/// The analysed question.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    /// The question as asked.
    pub question: String,
    /// Recognised foci, best first.
    pub focus: Vec<FocusMatch>,
    /// Question types, most specific first; `Overview` when nothing more specific was asked.
    pub types: Vec<SectionKind>,
    /// Search terms (stemmed), expansions included.
    pub terms: Vec<String>,
    /// Terms of the question itself, without focus words and expansions: what a passage must speak to.
    pub content_terms: Vec<String>,
    /// Safety classification.
    pub safety: Safety,
}

/// Analyses questions against one catalog.
#[derive(Debug)]
pub struct QuestionAnalyzer {
    focus: FocusRecognizer,
}

/// The question types named by cue phrases in a question.
pub fn question_types(question: &str) -> Vec<SectionKind> {
    let folded = format!(" {} ", kindred_text::fold_for_match(question));
    let mut types: Vec<SectionKind> = Vec::new();
    for (kind, cues) in TYPE_CUES {
        if cues.iter().any(|cue| folded.contains(&format!(" {cue} "))) && !types.contains(kind) {
            types.push(*kind);
        }
    }
    // "What is X" only when nothing more specific was asked; "what are the treatments" is treatment.
    if types.len() > 1 {
        types.retain(|k| *k != SectionKind::Overview);
    }
    if types.is_empty() {
        types.push(SectionKind::Overview);
    }
    types
}

impl QuestionAnalyzer {
    /// Builds an analyser over catalog names `(name, condition id)`.
    pub fn new<'a>(names: impl IntoIterator<Item = (&'a str, u32)>) -> QuestionAnalyzer {
        QuestionAnalyzer {
            focus: FocusRecognizer::new(names),
        }
    }

    /// Analyses one question. `known` says whether a folded word occurs in library text.
    pub fn analyze(&self, question: &str, known: &dyn Fn(&str) -> bool) -> Analysis {
        let focus = self.focus.recognize(question, known);
        let types = question_types(question);
        let folded = format!(" {} ", kindred_text::fold_for_match(question));
        let mut terms = kindred_text::terms(question);
        let focus_stems: Vec<String> = focus
            .iter()
            .flat_map(|f| kindred_text::terms(&f.name))
            .chain(focus.iter().flat_map(|f| kindred_text::terms(&f.matched)))
            .collect();
        let content_terms: Vec<String> = terms
            .iter()
            .filter(|t| !focus_stems.contains(t))
            .cloned()
            .collect();
        // Corrected focus names join the search terms so BM25 sees the right spelling.
        for found in focus.iter().filter(|f| f.corrected) {
            terms.extend(kindred_text::terms(&found.name));
        }
        for (lay, library) in LAY_TERMS {
            if folded.contains(&format!(" {lay} ")) {
                terms.extend(kindred_text::terms(library));
            }
        }
        Analysis {
            question: question.to_owned(),
            focus,
            types,
            terms,
            content_terms,
            safety: safety_of(question),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types() {
        assert_eq!(
            question_types("What are the treatments for Dystonia ?"),
            vec![SectionKind::Treatment]
        );
        assert_eq!(
            question_types("what gene causes early onset primary dystonia?"),
            vec![SectionKind::Causes, SectionKind::Genetics]
        );
        assert_eq!(question_types("What is dystonia?"), vec![SectionKind::Overview]);
        assert_eq!(question_types("is there a cure?"), vec![SectionKind::Treatment]);
    }
}
