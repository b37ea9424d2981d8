//! Question analysis: focus, question types, search terms and safety, in one pass.

use kindred_corpus::SectionKind;

use crate::aspect::Aspect;
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
            "worse",
            "worsen",
            "worsens",
            "flare",
            "flares",
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
            // "Will it go away?" asks the outlook; "bumps that won't go away" describes them.
            "will it go away",
            "will they go away",
            "will this go away",
            "does it go away",
            "do they go away",
            "ever go away",
            "go away on its own",
            "go away by itself",
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
            "more likely",
            "likely to get",
            "chance of getting",
            "more common in",
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
            // "Pain in the morning" is when a symptom comes; taking something then is a medicine's use.
            "take it in the",
            "take them in the",
            "take it at night",
            "take them at night",
            "taken in the morning",
            "taken at night",
            "in the morning or",
            "at bedtime",
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
    ("worse", "worsen"),
    ("better", "improve relief"),
    ("gene", "gene mutations"),
    ("common", "common frequency"),
];

/// The shape of answer a question expects, recognisable in text without understanding it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerShape {
    /// "How often": an interval such as "every 3 to 4 months" or "twice a day".
    Interval,
    /// "How long": a duration such as "for 6 weeks" or "several months".
    Duration,
}

const NUMBER_WORDS: &[&str] = &[
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twelve", "few", "several",
];
const TIME_UNITS: &[&str] = &[
    "minute", "minutes", "hour", "hours", "day", "days", "week", "weeks", "month", "months", "year", "years",
];

impl AnswerShape {
    /// Whether text contains an expression of this shape.
    pub fn found_in(self, text: &str) -> bool {
        let words = kindred_text::words(text);
        let is_number = |w: &str| w.chars().all(|c| c.is_ascii_digit()) || NUMBER_WORDS.contains(&w);
        words.windows(2).enumerate().any(|(i, pair)| {
            let unit_within = |from: usize| {
                words
                    .iter()
                    .skip(from)
                    .take(4)
                    .any(|w| TIME_UNITS.contains(&w.as_str()))
            };
            match self {
                AnswerShape::Interval => {
                    (pair[0] == "every" && (is_number(&pair[1]) || TIME_UNITS.contains(&pair[1].as_str())))
                        || (matches!(pair[0].as_str(), "once" | "twice" | "times")
                            && matches!(pair[1].as_str(), "a" | "per" | "every" | "each"))
                }
                AnswerShape::Duration => {
                    (matches!(pair[0].as_str(), "for" | "within" | "after" | "about" | "up")
                        && is_number(&pair[1])
                        && unit_within(i + 1))
                        || (is_number(&pair[0]) && TIME_UNITS.contains(&pair[1].as_str()))
                }
            }
        })
    }

    fn of(question: &str) -> Option<AnswerShape> {
        let folded = format!(" {} ", kindred_text::fold_for_match(question));
        if folded.contains(" how often ") || folded.contains(" how frequently ") {
            Some(AnswerShape::Interval)
        } else if folded.contains(" how long ")
            || folded.contains(" wear off ")
            || folded.contains(" wears off ")
        {
            Some(AnswerShape::Duration)
        } else {
            None
        }
    }
}

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
    /// The shape of answer expected, if the question asks for one.
    pub shape: Option<AnswerShape>,
    /// The aspect of its subject the question asks about, if a narrow one.
    pub aspect: Option<Aspect>,
}

/// The question's terms that are not words of a recognised focus.
fn content_terms(terms: &[String], focus: &[FocusMatch]) -> Vec<String> {
    let focus_stems: Vec<String> = focus
        .iter()
        .flat_map(|f| {
            kindred_text::terms(&f.name)
                .into_iter()
                .chain(kindred_text::terms(&f.matched))
        })
        .collect();
    terms
        .iter()
        .filter(|t| !focus_stems.contains(t))
        .cloned()
        .collect()
}

impl Analysis {
    /// Recomputes the content terms after the caller dropped foci it does not accept.
    pub fn content_terms_without_focus(&self) -> Vec<String> {
        content_terms(&kindred_text::terms(&self.question), &self.focus)
    }
}

/// Analyses questions against one catalog.
#[derive(Debug)]
pub struct QuestionAnalyzer {
    focus: FocusRecognizer,
}

/// The question types named by cue phrases in a question.
pub fn question_types(question: &str) -> Vec<SectionKind> {
    let folded = format!(" {} ", kindred_text::fold_for_match(question));
    let aspect = Aspect::of(question);
    // The asked aspect's sections come first; "lead to" in "can X lead to …" is not a cause.
    let mut types: Vec<SectionKind> = aspect.map(|a| a.sections().to_vec()).unwrap_or_default();
    for (kind, cues) in TYPE_CUES {
        if cues.iter().any(|cue| folded.contains(&format!(" {cue} "))) && !types.contains(kind) {
            types.push(*kind);
        }
    }
    if aspect == Some(Aspect::Complications) {
        types.retain(|k| *k != SectionKind::Causes);
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
    /// Builds an analyser over catalog names `(name, condition id, is_preferred_name)`.
    pub fn new<'a>(names: impl IntoIterator<Item = (&'a str, u32, bool)>) -> QuestionAnalyzer {
        QuestionAnalyzer {
            focus: FocusRecognizer::new(names),
        }
    }

    /// An analyser over a recogniser built before (and stored with the library).
    pub fn with_recognizer(focus: FocusRecognizer) -> QuestionAnalyzer {
        QuestionAnalyzer { focus }
    }

    /// Analyses one question. `known` says whether a folded word occurs in library text.
    pub fn analyze(&self, question: &str, known: &dyn Fn(&str) -> bool) -> Analysis {
        let focus = self.focus.recognize(question, known);
        let types = question_types(question);
        let folded = format!(" {} ", kindred_text::fold_for_match(question));
        let mut terms = kindred_text::terms(question);
        let content_terms = content_terms(&terms, &focus);
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
            shape: AnswerShape::of(question),
            aspect: Aspect::of(question),
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
            vec![SectionKind::Genetics, SectionKind::Causes]
        );
        assert_eq!(question_types("What is dystonia?"), vec![SectionKind::Overview]);
        assert_eq!(question_types("is there a cure?"), vec![SectionKind::Treatment]);
    }

    #[test]
    fn a_description_of_when_or_how_long_asks_no_type() {
        // When a symptom comes, and that it stays, describe it: neither is a medicine's use or
        // the outlook.
        for described in [
            "my heel hurts when I take the first steps in the morning",
            "rough little bumps on my fingers that won't go away",
            "my neck is stiff in the evening",
        ] {
            assert_eq!(
                question_types(described),
                vec![SectionKind::Overview],
                "{described}"
            );
        }
        assert_eq!(
            question_types("will it go away on its own?"),
            vec![SectionKind::Outlook]
        );
        for timing in [
            "should I take it in the morning or at night",
            "is levothyroxine better in the morning or evening",
            "can I take my pills at bedtime",
        ] {
            assert!(question_types(timing).contains(&SectionKind::DrugUse), "{timing}");
        }
    }
}
