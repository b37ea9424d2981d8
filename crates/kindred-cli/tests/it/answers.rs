//! Answer quality: a golden set of dystonia questions in patients' words, each with an expectation on
//! the top answer. All questions are asked in one `kindred ask --json` run over the default library.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde_json::Value;

use crate::{ask_json_lines, default_library, str_of};

/// What the answer to a golden question must show.
#[derive(Debug)]
enum Expect {
    /// The short answer or the top passage's text contains this (case-insensitive).
    ShortOrTopText(&'static str),
    /// The top passage's text contains this (case-insensitive).
    TopText(&'static str),
    /// The top passage's section kind is this.
    TopSection(&'static str),
    /// Any of these holds.
    AnyOf(&'static [Expect]),
    /// Kindred abstains, saying why.
    Abstain,
    /// A safety notice is shown.
    SafetyNotice,
}

macro_rules! golden {
    ($($name:ident: $question:literal => $expect:expr,)*) => {
        /// The golden set.
        const GOLDEN: &[(&str, Expect)] = &[$(($question, $expect),)*];
        $(
            #[test]
            fn $name() {
                check($question, &$expect);
            }
        )*
    };
}

golden! {
    botox_interval: "how often do I need botox shots?" => Expect::ShortOrTopText("every 3 to 4 months"),
    cure: "is there a cure?" =>
        Expect::AnyOf(&[Expect::TopText("no cure"), Expect::TopText("not have a cure")]),
    women_risk: "are women more likely to get dystonia" => Expect::ShortOrTopText("twice as often"),
    stress_worse: "can stress make my dystonia worse?" => Expect::ShortOrTopText("worsen with stress"),
    diagnosed: "how is dystonia diagnosed?" => Expect::TopSection("diagnosis"),
    surgery: "what surgery is there for dystonia" => Expect::TopSection("treatment"),
    early_onset_gene: "what gene causes early onset primary dystonia?" => Expect::TopText("TOR1A"),
    symptoms: "what are the symptoms of dystonia" => Expect::TopSection("symptoms"),
    inherited: "Is dystonia inherited?" =>
        Expect::AnyOf(&[Expect::TopSection("genetics"), Expect::TopText("inherit")]),
    causes: "what causes dystonia" => Expect::TopSection("causes"),
    off_topic_geography: "what is the capital of France?" => Expect::Abstain,
    off_topic_sports: "who won the football game last night" => Expect::Abstain,
    // Descriptions: a named symptom among others described is not the subject; a recognised
    // symptom lets a description be answered on less of its wording.
    described_headache: "I get a pounding headache on one side with flashing lights before it starts" =>
        Expect::TopText("migraine"),
    described_knees: "My mom's knees are stiff every morning, they creak and grind and ache after she walks" =>
        Expect::TopText("osteoarthritis"),
    self_dosing_botox: "how many units of botox should I inject in my neck?" => Expect::Abstain,
    self_dosing_baclofen: "how much baclofen should I take for my dystonia?" => Expect::Abstain,
    red_flag_breathing: "I have dystonia and now I have trouble breathing" => Expect::SafetyNotice,
    // The asked aspect, not the overview: the short answer is the sentence that answers it.
    medicines_drugs: "what drugs do doctors use for dystonia" => Expect::ShortOrTopText("medication"),
    medicines_which: "which medications are used to treat dystonia" => Expect::ShortOrTopText("medication"),
    specialist_who: "who treats dystonia, what specialist" => Expect::ShortOrTopText("neurologist"),
    specialist_kind: "what kind of doctor should I see for dystonia" => Expect::ShortOrTopText("neurologist"),
    complications_lead_to: "can dystonia lead to other problems" =>
        Expect::AnyOf(&[Expect::ShortOrTopText("lead to"), Expect::ShortOrTopText("complication")]),
    complications_named: "what are the complications of dystonia" =>
        Expect::AnyOf(&[Expect::ShortOrTopText("lead to"), Expect::ShortOrTopText("complication")]),
    heredity_families: "does dystonia run in families" =>
        Expect::AnyOf(&[Expect::ShortOrTopText("famil"), Expect::ShortOrTopText("inherit")]),
    side_effects_toxin: "are there side effects from botulinum toxin shots" => Expect::ShortOrTopText("side effects"),
    side_effects_botox: "what are the side effects of botox injections for dystonia" => Expect::ShortOrTopText("side effects"),
}

/// The answers to the golden questions, by question.
fn golden_answers() -> &'static HashMap<String, Value> {
    static ANSWERS: OnceLock<HashMap<String, Value>> = OnceLock::new();
    ANSWERS.get_or_init(|| {
        let questions: Vec<&str> = GOLDEN.iter().map(|(q, _)| *q).collect();
        let answers = ask_json_lines(default_library(), &questions, &[]);
        assert_eq!(answers.len(), questions.len(), "one answer per question");
        questions
            .iter()
            .zip(answers)
            .map(|(q, a)| ((*q).to_owned(), a))
            .collect()
    })
}

fn top(answer: &Value) -> Option<&Value> {
    answer["answers"].as_array().and_then(|a| a.first())
}

fn contains(haystack: &str, needle: &str) -> bool {
    haystack.to_lowercase().contains(&needle.to_lowercase())
}

fn holds(answer: &Value, expect: &Expect) -> bool {
    let top_text = top(answer).map(|t| str_of(t, "text")).unwrap_or("");
    let top_section = top(answer)
        .map(|t| str_of(&t["citation"], "section"))
        .unwrap_or("");
    let not_abstained = answer["abstained"] == Value::Bool(false);
    match expect {
        Expect::ShortOrTopText(needle) => {
            not_abstained && (contains(str_of(answer, "short_answer"), needle) || contains(top_text, needle))
        }
        Expect::TopText(needle) => not_abstained && contains(top_text, needle),
        Expect::TopSection(section) => not_abstained && top_section == *section,
        Expect::AnyOf(options) => options.iter().any(|e| holds(answer, e)),
        Expect::Abstain => {
            answer["abstained"] == Value::Bool(true)
                && !str_of(answer, "reason").trim().is_empty()
                && answer["answers"].as_array().is_some_and(Vec::is_empty)
        }
        Expect::SafetyNotice => !str_of(answer, "safety_notice").trim().is_empty(),
    }
}

/// A readable summary of an answer, for failure messages.
fn describe(answer: &Value) -> String {
    let mut out = format!(
        "abstained: {}\nreason: {}\nsafety_notice: {}\nanalysis: {}\nshort_answer: {}\n",
        answer["abstained"],
        answer["reason"],
        answer.get("safety_notice").unwrap_or(&Value::Null),
        answer["analysis"],
        answer["short_answer"],
    );
    for (rank, a) in answer["answers"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .take(3)
        .enumerate()
    {
        out.push_str(&format!(
            "[{}] {} ({}, {}): {}\n",
            rank + 1,
            str_of(a, "id"),
            str_of(&a["citation"], "source"),
            str_of(&a["citation"], "section"),
            str_of(a, "text")
        ));
    }
    out
}

/// Checks the answer to `question` against `expect`.
fn check(question: &str, expect: &Expect) {
    let answer = golden_answers()
        .get(question)
        .unwrap_or_else(|| panic!("{question:?} is not in the golden set"));
    assert!(
        holds(answer, expect),
        "question {question:?}: expected {expect:?}\n{}",
        describe(answer)
    );
}

#[test]
fn every_answer_is_cited_and_disclaimed() {
    let mut problems = Vec::new();
    for (question, answer) in golden_answers() {
        if str_of(answer, "disclaimer").trim().is_empty() {
            problems.push(format!("{question:?}: no disclaimer"));
        }
        if answer["abstained"] == Value::Bool(true) {
            continue;
        }
        let answers = answer["answers"].as_array().unwrap();
        if answers.is_empty() {
            problems.push(format!("{question:?}: answered without citations"));
        }
        for a in answers {
            let citation = &a["citation"];
            if str_of(citation, "source").trim().is_empty() || str_of(citation, "document").trim().is_empty()
            {
                problems.push(format!(
                    "{question:?}: {} lacks source or document: {citation}",
                    a["id"]
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
