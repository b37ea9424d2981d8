//! Safety: questions that get the crisis notice and nothing else, red flags that need the
//! emergency notice first, and personal medication decisions, which Kindred never makes.
//!
//! The classifier is data: `safety.toml` holds rules of the form "every group has one of its
//! phrases" over the folded question, with examples each rule must fire on (checked by the tests
//! below). Data, because the phrasings people use are many and are reviewed by people who do not
//! read Rust; the few lines here only match them.
//!
//! The wording here is Kindred's own and deliberately not medical content: it says where to get help,
//! never what to do medically.

use std::collections::HashMap;
use std::error::Error as _;
use std::sync::OnceLock;

use serde::Deserialize;

/// The notice shown with every answer.
pub const DISCLAIMER: &str = "Kindred is not a substitute for professional medical advice, diagnosis or treatment. \
Always ask your doctor or another qualified health professional about a medical condition.";

/// What the safety check found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Safety {
    /// Nothing to flag.
    Clear,
    /// A possible emergency, for the asker or someone near them: the emergency notice first;
    /// passages may follow.
    Emergency,
    /// A possible mental-health crisis: the crisis notice and nothing else, no passage.
    Crisis,
    /// A personal decision about a medicine (stopping, tapering, switching, doubling, skipping,
    /// sharing a prescription, taking someone else's, how much to take, mixing with alcohol):
    /// abstain, pointing to the prescriber or a pharmacist.
    MedicationDecision,
}

impl Safety {
    /// The wording shown first, if any.
    pub fn notice(self) -> Option<&'static str> {
        match self {
            Safety::Clear | Safety::MedicationDecision => None,
            Safety::Emergency => Some(
                "If this is happening now — to you or to someone with you — call your local emergency number \
(911 in the US) now or go to the nearest emergency department. Do not wait to see if it passes: trouble breathing \
or swallowing, chest pain, a drooping face, weakness on one side, slurred speech, fainting, a seizure that will \
not stop, heavy bleeding or a severe allergic reaction need help straight away.",
            ),
            Safety::Crisis => Some(
                "If you are thinking about harming yourself, or someone near you is, please reach out now: call or \
text 988 (Suicide & Crisis Lifeline, US), call your local emergency number, or go to the nearest emergency \
department. You are not alone.",
            ),
        }
    }

    /// Why the engine abstains whatever the library holds, if it does.
    pub fn abstain_reason(self) -> Option<&'static str> {
        match self {
            Safety::Clear | Safety::Emergency => None,
            Safety::Crisis => Some(
                "Kindred does not answer this with library passages: please use the help above, and talk to \
someone now.",
            ),
            Safety::MedicationDecision => Some(
                "This asks for a decision about a medicine for you or someone you care for. Kindred does not make \
individual medication decisions or give dosing advice: please ask the clinician who prescribed it, or a pharmacist.",
            ),
        }
    }
}

/// The rules, as data: see the comment at the top of the file for how they match.
const RULES_TOML: &str = include_str!("safety.toml");

/// What a rule file says, as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    #[serde(default)]
    sets: HashMap<String, Vec<String>>,
    rule: Vec<RuleSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleSpec {
    name: String,
    class: RuleClass,
    all: Vec<Vec<String>>,
    #[serde(default)]
    none: Vec<String>,
    examples: Vec<String>,
}

/// The class a rule gives, strongest first: the strongest that fires wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
enum RuleClass {
    Crisis,
    Emergency,
    MedicationDecision,
}

impl RuleClass {
    fn safety(self) -> Safety {
        match self {
            RuleClass::Crisis => Safety::Crisis,
            RuleClass::Emergency => Safety::Emergency,
            RuleClass::MedicationDecision => Safety::MedicationDecision,
        }
    }
}

/// Why the rule file cannot be used.
#[derive(Debug, thiserror::Error)]
enum RulesError {
    #[error("safety.toml does not parse")]
    Toml(#[source] toml::de::Error),
    #[error("safety.toml: rule {rule:?} names the unknown set {set:?}")]
    UnknownSet { rule: String, set: String },
    #[error("safety.toml: rule {rule:?} has an empty group or phrase")]
    Empty { rule: String },
}

/// One word of a phrase.
#[derive(Debug)]
enum WordPattern {
    /// The word, or any word with its stem.
    Word { word: String, stem: String },
    /// Any word beginning with this.
    Prefix(String),
}

/// Words that must follow each other.
type Phrase = Vec<WordPattern>;

#[derive(Debug)]
struct Rule {
    // The name and examples serve the tests and diagnostics, not matching.
    #[cfg_attr(not(test), allow(dead_code))]
    name: String,
    class: RuleClass,
    /// Each group needs one of its phrases.
    all: Vec<Vec<Phrase>>,
    /// Any of these vetoes the rule.
    none: Vec<Phrase>,
    #[cfg_attr(not(test), allow(dead_code))]
    examples: Vec<String>,
}

/// The compiled rules.
#[derive(Debug)]
struct Rules {
    rules: Vec<Rule>,
}

/// A folded word of the question with its stem.
struct QuestionWord {
    word: String,
    stem: String,
}

impl WordPattern {
    fn matches(&self, word: &QuestionWord) -> bool {
        match self {
            WordPattern::Word { word: w, stem } => word.word == *w || word.stem == *stem,
            WordPattern::Prefix(prefix) => word.word.starts_with(prefix.as_str()),
        }
    }
}

fn phrase_in(phrase: &Phrase, words: &[QuestionWord]) -> bool {
    words.len() >= phrase.len()
        && (0..=words.len() - phrase.len())
            .any(|start| phrase.iter().zip(&words[start..]).all(|(p, w)| p.matches(w)))
}

fn any_phrase_in(phrases: &[Phrase], words: &[QuestionWord]) -> bool {
    phrases.iter().any(|p| phrase_in(p, words))
}

impl Rule {
    fn fires(&self, words: &[QuestionWord]) -> bool {
        self.all.iter().all(|group| any_phrase_in(group, words)) && !any_phrase_in(&self.none, words)
    }
}

impl Rules {
    fn parse(text: &str) -> Result<Rules, RulesError> {
        let file: RuleFile = toml::from_str(text).map_err(RulesError::Toml)?;
        let mut rules = Vec::with_capacity(file.rule.len());
        for spec in file.rule {
            let compile_group = |phrases: &[String]| -> Result<Vec<Phrase>, RulesError> {
                let mut out = Vec::new();
                for phrase in phrases {
                    if let Some(set) = phrase.strip_prefix('@') {
                        let members = file.sets.get(set).ok_or_else(|| RulesError::UnknownSet {
                            rule: spec.name.clone(),
                            set: set.to_owned(),
                        })?;
                        for member in members {
                            out.push(compile_phrase(member, &spec.name)?);
                        }
                    } else {
                        out.push(compile_phrase(phrase, &spec.name)?);
                    }
                }
                Ok(out)
            };
            let mut all = Vec::with_capacity(spec.all.len());
            for group in &spec.all {
                let group = compile_group(group)?;
                if group.is_empty() {
                    return Err(RulesError::Empty { rule: spec.name });
                }
                all.push(group);
            }
            if all.is_empty() {
                return Err(RulesError::Empty { rule: spec.name });
            }
            let none = compile_group(&spec.none)?;
            rules.push(Rule {
                name: spec.name,
                class: spec.class,
                all,
                none,
                examples: spec.examples,
            });
        }
        Ok(Rules { rules })
    }

    /// The built-in rules, parsed once. The file is compiled in and a test parses it, so a failure
    /// here is a bug in this crate's own data.
    fn builtin() -> &'static Rules {
        static RULES: OnceLock<Rules> = OnceLock::new();
        RULES.get_or_init(|| {
            Rules::parse(RULES_TOML)
                .unwrap_or_else(|e| panic!("built-in safety rules: {e}: {:?}", e.source()))
        })
    }

    /// The rules that fire on a question.
    fn firing<'r>(&'r self, question: &str) -> impl Iterator<Item = &'r Rule> {
        let words = question_words(question);
        self.rules.iter().filter(move |rule| rule.fires(&words))
    }

    fn classify(&self, question: &str) -> Safety {
        self.firing(question)
            .map(|rule| rule.class)
            .min()
            .map_or(Safety::Clear, RuleClass::safety)
    }
}

fn compile_phrase(phrase: &str, rule: &str) -> Result<Phrase, RulesError> {
    let words: Phrase = phrase
        .split_whitespace()
        .map(|word| match word.strip_suffix('*') {
            Some(prefix) => WordPattern::Prefix(kindred_text::fold_for_match(prefix)),
            None => {
                let word = kindred_text::fold_for_match(word);
                let stem = kindred_text::stem(&word);
                WordPattern::Word { word, stem }
            }
        })
        .collect();
    let empty = |w: &WordPattern| match w {
        WordPattern::Word { word, .. } => word.is_empty(),
        WordPattern::Prefix(prefix) => prefix.is_empty(),
    };
    if words.is_empty() || words.iter().any(empty) {
        return Err(RulesError::Empty {
            rule: rule.to_owned(),
        });
    }
    Ok(words)
}

fn question_words(question: &str) -> Vec<QuestionWord> {
    kindred_text::fold_for_match(question)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(|word| QuestionWord {
            stem: kindred_text::stem(word),
            word: word.to_owned(),
        })
        .collect()
}

/// Classifies a question for safety: the strongest class of the rules in `safety.toml` that fire,
/// or [`Safety::Clear`].
pub fn safety_of(question: &str) -> Safety {
    Rules::builtin().classify(question)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each phrasing must classify as `expected`; the failures are listed together.
    fn check(expected: Safety, phrasings: &[&str]) {
        let wrong: Vec<String> = phrasings
            .iter()
            .filter_map(|q| {
                let got = safety_of(q);
                let rules: Vec<&str> = Rules::builtin().firing(q).map(|r| r.name.as_str()).collect();
                (got != expected).then(|| format!("{q:?}: {got:?} (rules {rules:?})"))
            })
            .collect();
        assert!(wrong.is_empty(), "expected {expected:?}:\n{}", wrong.join("\n"));
    }

    #[test]
    fn rules_parse_and_fire_on_their_examples() {
        let rules = Rules::parse(RULES_TOML).unwrap_or_else(|e| panic!("{e}: {:?}", e.source()));
        assert!(rules.rules.len() >= 20);
        let mut problems = Vec::new();
        for rule in &rules.rules {
            if rule.examples.is_empty() {
                problems.push(format!("{}: no example", rule.name));
            }
            for example in &rule.examples {
                let words = question_words(example);
                if !rule.fires(&words) {
                    problems.push(format!("{}: does not fire on {example:?}", rule.name));
                }
                if rules.classify(example) != rule.class.safety() {
                    problems.push(format!(
                        "{}: {example:?} classifies as {:?}",
                        rule.name,
                        rules.classify(example)
                    ));
                }
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn bad_rule_files_are_refused() {
        assert!(matches!(Rules::parse("rule = 3"), Err(RulesError::Toml(_))));
        let unknown = "[[rule]]\nname = \"r\"\nclass = \"crisis\"\nall = [[\"@nope\"]]\nexamples = []";
        assert!(matches!(
            Rules::parse(unknown),
            Err(RulesError::UnknownSet { .. })
        ));
        let empty = "[[rule]]\nname = \"r\"\nclass = \"crisis\"\nall = [[]]\nexamples = []";
        assert!(matches!(Rules::parse(empty), Err(RulesError::Empty { .. })));
        let blank = "[[rule]]\nname = \"r\"\nclass = \"crisis\"\nall = [[\"  \"]]\nexamples = []";
        assert!(matches!(Rules::parse(blank), Err(RulesError::Empty { .. })));
    }

    #[test]
    fn words_match_by_stem_and_prefix() {
        let rules = Rules::parse(
            "[[rule]]\nname = \"r\"\nclass = \"emergency\"\nall = [[\"face\"], [\"droop*\"], [\"stop taking\"]]\nexamples = []",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        for q in [
            "his face droops and he stopped taking it",
            "face drooping, stopping taking",
            "faces droopy, stops taking",
        ] {
            assert_eq!(rules.classify(q), Safety::Emergency, "{q}");
        }
        assert_eq!(rules.classify("face drooping, taking stop"), Safety::Clear);
    }

    pub(super) const CRISIS: &[&str] = &[
        "I want to end my life",
        "I don't want to be here anymore",
        "thinking of ending it all",
        "there's no point in living",
        "I feel like there is no point in living with dystonia",
        "my dystonia makes me want to kill myself",
        "I'm thinking about killing myself",
        "I have been feeling suicidal",
        "some days I just want to die",
        "my life is not worth living anymore",
        "I don't want to live like this",
        "I'd be better off dead",
        "everyone would be better off without me",
        "I can't go on like this",
        "I keep thinking about hurting myself",
        "I wish I was dead",
        "I'm ready to end it",
        "I hope I never wake up",
        "my son says he wants to kill himself",
        "my wife has been talking about ending her life",
        "my dad said he wants to die",
        "my daughter is self-harming",
        "I want to take my own life",
        "nothing to live for since the diagnosis",
    ];

    pub(super) const EMERGENCY: &[&str] = &[
        "my dad's face is drooping and he can't lift his arm",
        "my wife's face is droopy on one side",
        "my mum's mouth droops and her speech is slurred",
        "my husband suddenly can't move his right arm",
        "sudden weakness in my left leg",
        "numbness down one side of my body",
        "my son is slurring his words",
        "my grandmother is suddenly confused",
        "I suddenly can't see out of one eye",
        "worst headache of my life",
        "I think my dad is having a stroke",
        "crushing chest pain",
        "my husband is choking and can't speak",
        "my dad snores and now he is not breathing",
        "I have chest pain",
        "my chest feels tight and heavy",
        "pain in my chest spreading to my left arm",
        "pain spreading from my chest to my jaw",
        "my husband has pressure in his chest",
        "I have dystonia and now I have trouble breathing",
        "my wife can't breathe",
        "since my botox injection I can't swallow",
        "after botox in my neck I have trouble breathing",
        "my son had botulinum toxin shots and now he is choking on food",
        "I stopped taking prednisone and now have a fever and stomach pain",
        "fever and vomiting after stopping steroids",
        "came off hydrocortisone last week, now dizzy and fainting",
        "my throat is closing",
        "my daughter's tongue is swelling after a bee sting",
        "I think I'm having anaphylaxis",
        "my son is having a seizure that won't stop",
        "my wife has had seizures back to back for ten minutes",
        "I accidentally took too many baclofen tablets",
        "my toddler swallowed too many pills",
        "my dad overdosed on his painkillers",
        "my cut won't stop bleeding",
        "I'm bleeding heavily after surgery",
        "my husband is vomiting blood",
        "my son has a high fever and a stiff neck",
        "my mother collapsed and won't wake up",
        "I passed out twice today",
        "my baby is turning blue",
    ];

    pub(super) const MEDICATION_DECISION: &[&str] = &[
        "should I stop taking my clonazepam",
        "can I stop my Xanax",
        "I want to come off lorazepam",
        "how do I taper off my benzodiazepines",
        "can I stop my anticonvulsant",
        "I want to stop my Keppra, is that ok",
        "can I quit lamotrigine cold turkey",
        "my dad wants to stop his seizure medication",
        "should my wife come off her antidepressants",
        "can I come off prednisone",
        "is it ok to switch from botox to dysport",
        "can I switch my son from baclofen to trihexyphenidyl",
        "can I double my dose of trihexyphenidyl?",
        "should I skip my baclofen today",
        "is it safe to take an extra pill of clonazepam",
        "I missed a dose of my levetiracetam, what should I do",
        "can I give my mom some of my Xanax",
        "can I share my prescription with my sister",
        "is it ok to give my husband my pain medication",
        "can I take my wife's sleeping pills",
        "can I use someone else's inhaler",
        "how much baclofen should I take",
        "How many units of Botox should I inject into my neck?",
        "how many tablets should my son take",
        "what dose of gabapentin should I take",
        "can I drink alcohol while taking baclofen",
        "is it safe to drink wine on my clonazepam",
        "can I have a beer with my meds",
        "can I take ibuprofen with my baclofen",
        "can I cut my tablets in half",
        "Can I stop using the patch",
        "should I take trihexyphenidyl",
    ];

    /// General information, or ordinary questions that share words with the rules.
    pub(super) const CLEAR: &[&str] = &[
        "what are the side effects of botox",
        "what medicines treat dystonia",
        "how long does botox last",
        "what is withdrawal from benzodiazepines",
        "what happens if you stop taking benzodiazepines suddenly",
        "what are the symptoms of benzodiazepine withdrawal",
        "how often do I need botox shots?",
        "what are the treatments for dystonia",
        "How much glucose is in my GlucaGen HypoKit?",
        "is there a cure for dystonia",
        "can stress make my dystonia worse?",
        "why did my botox stop working",
        "how can I stop my neck spasms",
        "is dystonia inherited?",
        "what causes dystonia",
        "what is end of life planning",
        "what is palliative care for dystonia",
        "can botox cause trouble swallowing",
        "how does baclofen work",
        "what is the difference between botox and dysport",
        "what are the signs of a stroke",
        "does dystonia shorten life expectancy",
        "is dystonia a form of epilepsy",
        "what is cervical dystonia",
        "my neck pulls to one side",
        "my hand cramps when I write",
        "my neck pain is killing me",
        "I hurt myself at the gym",
        "I can't go on long walks anymore",
        "will my son inherit my dystonia",
        "can my dystonia get worse with age",
        "my doctor gave me baclofen, what are its side effects?",
        "how do doctors decide the dose of botox",
        "what dose of botox is usually used for cervical dystonia",
        "what is a prednisone taper",
        "why do people taper steroids",
        "what are the side effects of stopping prednisone",
        "is trihexyphenidyl safe for children",
        "does alcohol help dystonia",
        "what is a deep brain stimulation",
        "how is dystonia diagnosed?",
        "what gene causes early onset primary dystonia?",
        "are women more likely to get dystonia",
        "I don't want to die from this disease",
        "where can I find a support group",
        "what exercises help cervical dystonia",
        "my wife has dystonia, how can I help her",
        "my dad has writer's cramp",
        "what doctor treats dystonia",
        "can children get dystonia",
        "is there a blood test for dystonia",
        "how much does botox cost",
        "how many people have dystonia",
        "what is the risk of heart attack with trihexyphenidyl",
        "what medicines are used for seizures",
        "what is status of research on dystonia",
        "what is an anticonvulsant",
        "what is the best way to sleep with dystonia",
        "my eyelid droops after botox",
        "can I get botox more than once",
        "I want to know more about dystonia",
        "what is the life expectancy with dystonia",
        "does benzodiazepine withdrawal cause seizures",
        "what are the side effects of prednisone",
        "my husband takes baclofen, what are its side effects",
        "I take clonazepam, does it help dystonia",
        "will dystonia kill me",
        "what happens when botox wears off",
        "how do I explain dystonia to my kids",
        "my mum's arm twists when she walks",
        "what should I ask my neurologist",
        "can I exercise with dystonia",
        "I stopped going to physical therapy, will my dystonia get worse",
        "is it safe to fly with dystonia",
        "can I drive with dystonia",
        "does botox hurt",
        "can I get botox while pregnant",
        "how do I find a movement disorder specialist",
        "what should I do about my tremor",
        "I feel tired all the time, is that dystonia",
        "is dystonia painful",
        "which vitamins help dystonia",
        "my son has dystonia, will it spread",
        "what is the usual dose of baclofen",
        "what are the warning signs of a stroke",
        "does prozac increase the risk of suicide",
        "what are withdrawal symptoms when people stop antidepressants",
        "can dystonia affect swallowing",
        "what is spasmodic dysphonia",
        "my jaw clenches because of dystonia",
        "why does my botox wear off early",
        "what happens if a dose of baclofen is missed",
        "is levodopa used for dopa-responsive dystonia",
        "who should not take trihexyphenidyl",
        "how do steroids work",
        "can botox injections help my son",
        "I'm scared, will I die from dystonia",
        "my dad had a stroke years ago, can that cause dystonia",
        "I get gassy, bloated and have loose stools every time I drink milk or eat ice cream",
        "my voice cracks and gets choked off when I speak",
        "my partner says I stop breathing while I snore",
        "my stomach hurts when I drink milk while taking my pills",
        "I drink water with my medicine, is that why I pee so much",
    ];

    #[test]
    fn crisis_phrasings() {
        check(Safety::Crisis, CRISIS);
    }

    #[test]
    fn emergency_phrasings() {
        check(Safety::Emergency, EMERGENCY);
    }

    #[test]
    fn medication_decision_phrasings() {
        check(Safety::MedicationDecision, MEDICATION_DECISION);
    }

    #[test]
    fn general_questions_stay_clear() {
        check(Safety::Clear, CLEAR);
        assert!(CLEAR.len() >= CRISIS.len() + EMERGENCY.len() + MEDICATION_DECISION.len());
    }

    #[test]
    fn crisis_and_decisions_abstain_emergencies_do_not() {
        assert!(Safety::Crisis.abstain_reason().is_some() && Safety::Crisis.notice().is_some());
        assert!(Safety::Emergency.abstain_reason().is_none() && Safety::Emergency.notice().is_some());
        let reason = Safety::MedicationDecision.abstain_reason().unwrap_or_default();
        assert!(reason.contains("individual medication decisions") && reason.contains("pharmacist"));
        assert!(Safety::Clear.abstain_reason().is_none() && Safety::Clear.notice().is_none());
    }
}
