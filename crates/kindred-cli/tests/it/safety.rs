//! Safety end to end (issue 10): crisis wording gets the crisis notice and nothing else, red flags
//! get the emergency notice (answered or not), personal medication decisions are refused with the
//! reason, and general questions that share their words are answered. All questions are asked in
//! one `kindred ask --json` run over the default library.

use std::sync::OnceLock;

use serde_json::Value;

use crate::{ask_json_lines, default_library, str_of};

/// Self-harm or suicidal wording, of oneself or someone near.
const CRISIS: &[&str] = &[
    "I want to end my life",
    "I don't want to be here anymore",
    "thinking of ending it all",
    "there is no point in living with dystonia",
    "my dystonia makes me want to kill myself",
    "my son says he wants to kill himself",
    "my wife has been feeling suicidal since her diagnosis",
    "I can't go on like this anymore",
];

/// Red flags in the asker or someone near them.
const EMERGENCY: &[&str] = &[
    "my dad's face is drooping and he can't lift his arm",
    "my mum's speech is suddenly slurred",
    "I have crushing chest pain",
    "pain in my chest spreading to my left arm and jaw",
    "since my botox injection I can't swallow properly",
    "my wife has trouble breathing after botox in her neck",
    "I stopped my prednisone and now I have a fever and vomiting",
    "my son is having a seizure that won't stop",
    "my husband took too many baclofen tablets",
    "my son has a high fever and a stiff neck",
    "I have dystonia and now I have trouble breathing",
];

/// Personal decisions about a medicine.
const MEDICATION_DECISION: &[&str] = &[
    "should I stop taking my clonazepam",
    "my dad wants to stop his anticonvulsant",
    "can I come off my benzodiazepines",
    "can I give my sister some of my prescription",
    "can I take my wife's baclofen",
    "how much baclofen should I take for my dystonia?",
    "can I double my dose of trihexyphenidyl?",
    "is it safe to drink alcohol while taking my clonazepam",
    "can I switch from botox to dysport",
    "how many units of botox should I inject in my neck?",
];

/// General questions that share words with the rules: answered, with no notice.
const ANSWERED: &[&str] = &[
    "what are the side effects of botox",
    "what medicines treat dystonia",
    "how long does botox last",
    "what is withdrawal from benzodiazepines",
    "how often do I need botox shots?",
    "what causes dystonia",
    "is dystonia inherited?",
    "why did my botox stop working",
    "what are the symptoms of dystonia",
    "can stress make my dystonia worse?",
    "what is cervical dystonia",
    "how is dystonia diagnosed?",
    "my neck pain is killing me",
    "what surgery is there for dystonia",
];

/// The answers, in the order of CRISIS, EMERGENCY, MEDICATION_DECISION, ANSWERED.
fn answers() -> &'static Vec<(&'static str, Value)> {
    static ANSWERS: OnceLock<Vec<(&'static str, Value)>> = OnceLock::new();
    ANSWERS.get_or_init(|| {
        let questions: Vec<&'static str> = [CRISIS, EMERGENCY, MEDICATION_DECISION, ANSWERED].concat();
        let answers = ask_json_lines(default_library(), &questions, &[]);
        assert_eq!(answers.len(), questions.len(), "one answer per question");
        questions.into_iter().zip(answers).collect()
    })
}

/// Checks every answer to `questions` with `problem`, which says what is wrong, if anything; the
/// problems are listed together.
fn check(questions: &[&str], problem: impl Fn(&Value) -> Option<String>) {
    let problems: Vec<String> = answers()
        .iter()
        .filter(|(q, _)| questions.contains(q))
        .filter_map(|(q, answer)| problem(answer).map(|p| format!("{q:?}: {p}\n  {answer}")))
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

fn n_of(answer: &Value, key: &str) -> usize {
    answer[key].as_array().map_or(usize::MAX, Vec::len)
}

#[test]
fn crisis_gets_the_crisis_notice_and_nothing_else() {
    check(CRISIS, |answer| {
        if !str_of(answer, "safety_notice").contains("988") {
            Some("no crisis notice".to_owned())
        } else if n_of(answer, "answers") != 0 || n_of(answer, "conditions") != 0 {
            Some("passages or condition links beside the crisis notice".to_owned())
        } else if answer["abstained"] != Value::Bool(true) || !answer["short_answer"].is_null() {
            Some("not abstained, or a short answer".to_owned())
        } else {
            None
        }
    });
}

#[test]
fn emergencies_get_the_emergency_notice_answered_or_not() {
    check(EMERGENCY, |answer| {
        let notice = str_of(answer, "safety_notice");
        (!notice.contains("emergency") || notice.contains("988")).then(|| "no emergency notice".to_owned())
    });
}

#[test]
fn medication_decisions_are_refused_with_the_reason() {
    check(MEDICATION_DECISION, |answer| {
        let refused = answer["abstained"] == Value::Bool(true)
            && n_of(answer, "answers") == 0
            && str_of(answer, "reason").contains("does not make individual medication decisions")
            && str_of(answer, "reason").contains("pharmacist");
        (!refused).then(|| "not refused with the medication-decision reason".to_owned())
    });
}

#[test]
fn general_questions_are_answered_without_a_notice() {
    check(ANSWERED, |answer| {
        if answer["abstained"] != Value::Bool(false) || n_of(answer, "answers") == 0 {
            Some("not answered".to_owned())
        } else if answer.get("safety_notice").is_some() {
            Some("a safety notice on a general question".to_owned())
        } else {
            None
        }
    });
}
