//! The output contract of `ask --json` and `stats`, determinism, and the cleanliness of seed passages.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::{
    FRESH_QUESTION, ask_json, ask_json_lines, default_library, fresh_ask, run, run_with_stdin, str_of,
    success,
};

fn keys(value: &Value) -> BTreeSet<&str> {
    value
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {value}"))
        .keys()
        .map(String::as_str)
        .collect()
}

/// `value` has every key of `required` and no key outside `required` and `optional`.
fn assert_keys(value: &Value, required: &[&str], optional: &[&str], what: &str) {
    let found = keys(value);
    let required: BTreeSet<&str> = required.iter().copied().collect();
    let allowed: BTreeSet<&str> = required.iter().chain(optional).copied().collect();
    let missing: Vec<_> = required.difference(&found).collect();
    let extra: Vec<_> = found.difference(&allowed).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{what}: missing keys {missing:?}, unexpected keys {extra:?} in {value}"
    );
}

fn is_string_or_null(value: &Value) -> bool {
    value.is_string() || value.is_null()
}

#[test]
fn ask_json_lines_follow_the_contract() {
    let questions = [
        "what causes dystonia",
        "who won the football game last night",
        "what is the treatment for cervical dystonia?",
        "what are the side effects of clonazepam",
    ];
    let answers = ask_json_lines(default_library(), &questions, &[]);
    assert_eq!(answers.len(), questions.len(), "one JSON line per question");
    // A medicine the library has no text on: not answered, its label linked.
    let medicine = &answers[3];
    assert_eq!(medicine["abstained"], true, "{medicine}");
    assert!(
        medicine["see_also"]
            .as_array()
            .is_some_and(|links| links.iter().any(|l| l["url"]
                .as_str()
                .is_some_and(|u| u.starts_with("https://dailymed.nlm.nih.gov/")))),
        "{medicine}"
    );
    let mut n_passages = 0;
    for (question, answer) in questions.iter().zip(&answers) {
        assert_keys(
            answer,
            &[
                "question",
                "analysis",
                "abstained",
                "reason",
                "short_answer",
                "answers",
                "conditions",
                "disclaimer",
            ],
            &["safety_notice", "notes", "see_also"],
            "answer",
        );
        assert_eq!(answer["question"], *question, "answers come in question order");
        assert_keys(
            &answer["analysis"],
            &["focus", "types", "phenotypes"],
            &["context"],
            "analysis",
        );
        for link in answer["see_also"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            assert_keys(link, &["title", "url"], &[], "see_also");
            assert!(link["url"].as_str().is_some_and(|u| u.starts_with("https://")));
        }
        assert!(answer["analysis"]["focus"].is_array());
        assert!(answer["analysis"]["types"].is_array());
        assert!(answer["abstained"].is_boolean());
        assert!(is_string_or_null(&answer["reason"]));
        assert!(is_string_or_null(&answer["short_answer"]));
        assert!(answer["disclaimer"].is_string());
        for link in answer["conditions"].as_array().unwrap() {
            assert_keys(link, &["slug", "name"], &[], "condition link");
        }
        for passage in answer["answers"].as_array().unwrap() {
            n_passages += 1;
            assert_keys(
                passage,
                &["id", "text", "score", "citation"],
                &[],
                "answer passage",
            );
            assert!(passage["id"].is_string() && passage["text"].is_string());
            assert!(passage["score"].is_number());
            let citation = &passage["citation"];
            assert_keys(
                citation,
                &["collection", "source", "title", "url", "section", "document"],
                &[],
                "citation",
            );
            for key in ["collection", "source", "title", "section", "document"] {
                assert!(citation[key].is_string(), "citation.{key}: {citation}");
            }
            assert!(is_string_or_null(&citation["url"]));
        }
    }
    assert!(n_passages > 0, "no passage at all to check: {answers:?}");
}

#[test]
fn ask_is_deterministic() {
    let stdin = "what causes dystonia\nis there a cure?\nwhat gene causes early onset primary dystonia?\n\
                 how is cervical dystonia treated\nwhat is the capital of France?\n";
    let first = run_with_stdin(default_library(), &["ask", "--json"], stdin);
    let second = run_with_stdin(default_library(), &["ask", "--json"], stdin);
    let first = success(&first, "first ask");
    let second = success(&second, "second ask");
    assert_eq!(first.lines().count(), 5);
    assert!(first == second, "two runs differ:\n{first}\n---\n{second}");
}

#[test]
fn stats_reports_the_seed_copies() {
    let stdout = success(&run(default_library(), &["stats"]), "stats");
    assert!(stdout.contains("seed-000 = seed-003"), "{stdout}");
}

#[test]
fn limit_caps_the_answers() {
    let question = "how is dystonia treated";
    let answer = ask_json(default_library(), question, &["--limit", "2"]);
    let n = answer["answers"].as_array().unwrap().len();
    assert!(answer["abstained"] == Value::Bool(false), "{answer}");
    assert!((1..=2).contains(&n), "{n} answers with --limit 2: {answer}");
}

#[test]
fn ask_on_an_empty_data_dir_builds_the_default_library() {
    let (_dir, data_dir, output) = fresh_ask();
    let stdout = success(&output, "ask on an empty data dir");
    let answer: Value = serde_json::from_str(stdout.trim()).expect("ask --json printed invalid JSON");
    assert_eq!(answer["question"], FRESH_QUESTION);
    assert_eq!(answer["abstained"], Value::Bool(false), "{answer}");
    assert!(!answer["answers"].as_array().unwrap().is_empty());
    assert!(data_dir.join("library").join("CURRENT").is_file());
    let stats = success(&run(&data_dir, &["stats"]), "stats after ask");
    assert!(stats.contains("seed-000 = seed-003"), "{stats}");
}

#[test]
fn seed_passages_carry_no_page_noise() {
    let questions = [
        "what is dystonia",
        "what are the symptoms of dystonia",
        "what causes dystonia",
        "how is dystonia treated",
        "how is dystonia diagnosed",
        "what are the complications of dystonia",
        "is there a cure for dystonia",
        "botox injections for dystonia",
        "deep brain stimulation surgery for dystonia",
        "what are the risk factors for dystonia",
        "how do I prepare for my appointment about dystonia",
        "when should I see a doctor about dystonia",
        "dystonia support group",
        "alternative medicine for dystonia",
    ];
    const NOISE: &[&str] = &["©", "Â", "donation", "Thank you! Your submission", "Alikes with"];
    let answers = ask_json_lines(default_library(), &questions, &["--limit", "20"]);
    let mut seen = BTreeSet::new();
    let mut problems = Vec::new();
    for answer in &answers {
        for passage in answer["answers"].as_array().unwrap() {
            if !str_of(&passage["citation"], "document").starts_with("seed-") {
                continue;
            }
            let id = str_of(passage, "id");
            if !seen.insert(id.to_owned()) {
                continue;
            }
            let text = str_of(passage, "text");
            for noise in NOISE {
                if text.contains(noise) {
                    problems.push(format!("{id} contains {noise:?}: {text:?}"));
                }
            }
            if text.trim_end().ends_with(':') {
                problems.push(format!("{id} ends with ':': {text:?}"));
            }
        }
    }
    assert!(
        seen.len() >= 10,
        "too few seed passages retrieved to check ({}): {seen:?}",
        seen.len()
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
