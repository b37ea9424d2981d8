//! Safety: red flags that need emergency wording first, and requests for individual dosing or
//! self-treatment, which Kindred never answers.
//!
//! The wording here is Kindred's own and deliberately not medical content: it says where to get help,
//! never what to do medically.

/// The notice shown with every answer.
pub const DISCLAIMER: &str = "Kindred is not a substitute for professional medical advice, diagnosis or treatment. \
Always ask your doctor or another qualified health professional about a medical condition.";

/// What the safety check found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Safety {
    /// Nothing to flag.
    Clear,
    /// A possible emergency: show emergency wording first.
    Emergency,
    /// A possible mental-health crisis: show crisis-line wording first.
    Crisis,
    /// A request for individual dosing or a self-treatment decision: abstain.
    IndividualDosing,
}

impl Safety {
    /// The wording shown first, if any.
    pub fn notice(self) -> Option<&'static str> {
        match self {
            Safety::Clear | Safety::IndividualDosing => None,
            Safety::Emergency => Some(
                "If this is happening now — trouble breathing, chest pain, fainting, sudden weakness or a severe \
allergic reaction — call your local emergency number (911 in the US) or go to the nearest emergency department now.",
            ),
            Safety::Crisis => Some(
                "If you are thinking about harming yourself, please reach out now: call or text 988 (Suicide & Crisis \
Lifeline, US), call your local emergency number, or go to the nearest emergency department. You are not alone.",
            ),
        }
    }
}

const CRISIS: &[&str] = &[
    "suicid",
    "kill myself",
    "end my life",
    "take my life",
    "want to die",
    "hurt myself",
    "harm myself",
    "self harm",
    "no reason to live",
];

const EMERGENCY: &[&str] = &[
    "trouble breathing",
    "difficulty breathing",
    "hard to breathe",
    "cant breathe",
    "can not breathe",
    "cannot breathe",
    "not breathing",
    "short of breath",
    "shortness of breath",
    "choking",
    "chest pain",
    "chest pressure",
    "chest tightness",
    "heart attack",
    "passed out",
    "unconscious",
    "fainted",
    "seizure",
    "overdose",
    "overdosed",
    "face drooping",
    "slurred speech",
    "sudden numbness",
    "sudden weakness",
    "coughing up blood",
    "vomiting blood",
    "severe bleeding",
    "anaphyla",
    "throat is closing",
    "throat closing",
    "swelling of the throat",
    "swollen throat",
    "poisoned",
    "poisoning",
];

/// Dosing words and self-decision phrases; a question is individual dosing when it asks how much or
/// how often *I* (or my child…) should take, use or inject something, or whether to change or stop it.
const DOSE_WORDS: &[&str] = &[
    "dose",
    "dosage",
    "dosing",
    "mg",
    "milligram",
    "units",
    "unit",
    "pills",
    "tablets",
    "ml",
    "iu",
];
const SELF: &[&str] = &[
    "i", "me", "my", "myself", "mine", "son", "daughter", "child", "kid", "baby", "husband", "wife", "mom",
    "dad", "mother", "father",
];
const SELF_DECISIONS: &[&str] = &[
    "should i take",
    "should i use",
    "should i inject",
    "should i give",
    "can i take more",
    "can i double",
    "double my",
    "increase my",
    "decrease my",
    "lower my",
    "raise my",
    "skip my",
    "stop taking my",
    "stop my medication",
    "stop my medicine",
    "how much should i",
    "how many should i",
    "how much can i",
    "how many can i",
    "how much do i take",
    "how many do i take",
    "how much to take",
    "how many to take",
    "how much to give",
    "how much should my",
    "how many units should",
    "how many units do i",
    "what dose should",
    "what dosage should",
    "safe dose for me",
    "right dose for me",
];

/// Classifies a question for safety. Text is folded first.
pub fn safety_of(question: &str) -> Safety {
    let folded = format!(" {} ", kindred_text::fold_for_match(question));
    let has =
        |phrase: &str| folded.contains(&format!(" {phrase}")) || folded.contains(phrase) && phrase.len() > 6;
    if CRISIS.iter().any(|p| has(p)) {
        return Safety::Crisis;
    }
    if EMERGENCY.iter().any(|p| has(p)) {
        return Safety::Emergency;
    }
    let words: Vec<&str> = folded.split_whitespace().collect();
    let is_self = words.iter().any(|w| SELF.contains(w));
    let self_decision = SELF_DECISIONS.iter().any(|p| folded.contains(&format!(" {p} ")));
    let dose_word = words.iter().any(|w| DOSE_WORDS.contains(w));
    let amount_question = folded.contains(" how much ") || folded.contains(" how many ");
    if self_decision
        || (is_self
            && dose_word
            && (amount_question || folded.contains(" should ") || folded.contains(" can i ")))
    {
        return Safety::IndividualDosing;
    }
    Safety::Clear
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags() {
        assert_eq!(
            safety_of("I have chest pain and my arm is numb"),
            Safety::Emergency
        );
        assert_eq!(
            safety_of("my dystonia makes me want to kill myself"),
            Safety::Crisis
        );
        assert_eq!(
            safety_of("How many units of Botox should I inject into my neck?"),
            Safety::IndividualDosing
        );
        assert_eq!(
            safety_of("how much baclofen should I take"),
            Safety::IndividualDosing
        );
        assert_eq!(
            safety_of("can I double my dose of trihexyphenidyl?"),
            Safety::IndividualDosing
        );
        assert_eq!(
            safety_of("How much glucose is in my GlucaGen HypoKit?"),
            Safety::Clear
        );
        assert_eq!(safety_of("what are the treatments for dystonia"), Safety::Clear);
        assert_eq!(safety_of("how often do I need botox shots?"), Safety::Clear);
    }
}
