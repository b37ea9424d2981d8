//! The JSON API: every body parses and has the documented shape.

use std::collections::BTreeSet;

use axum::http::StatusCode;
use serde_json::Value;

use crate::support::{encode, get};

/// A successful JSON body.
async fn json(uri: &str) -> Value {
    let reply = get(uri).await;
    reply.assert_status(StatusCode::OK);
    assert!(
        reply.content_type().starts_with("application/json"),
        "{uri}: content-type {:?}",
        reply.content_type()
    );
    reply.json()
}

#[track_caller]
fn keys(value: &Value) -> BTreeSet<&str> {
    value
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {value}"))
        .keys()
        .map(String::as_str)
        .collect()
}

#[track_caller]
fn assert_has_keys(value: &Value, expected: &[&str]) {
    let keys = keys(value);
    for key in expected {
        assert!(keys.contains(key), "missing {key:?} in {value}");
    }
}

#[track_caller]
fn str_of<'a>(value: &'a Value, key: &str) -> &'a str {
    value[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} is not a string in {value}"))
}

#[track_caller]
fn array_of<'a>(value: &'a Value, key: &str) -> &'a Vec<Value> {
    value[key]
        .as_array()
        .unwrap_or_else(|| panic!("{key} is not an array in {value}"))
}

/// The documented answer shape; returns the answer for further checks.
#[track_caller]
fn assert_answer_shape(answer: &Value) {
    let keys = keys(answer);
    let required = [
        "question",
        "analysis",
        "abstained",
        "reason",
        "short_answer",
        "answers",
        "conditions",
        "disclaimer",
    ];
    for key in required {
        assert!(keys.contains(key), "missing {key:?} in {answer}");
    }
    for key in &keys {
        assert!(
            required.contains(key) || *key == "safety_notice",
            "undocumented key {key:?}"
        );
    }
    assert!(answer["question"].is_string());
    let analysis = &answer["analysis"];
    assert_has_keys(analysis, &["focus", "types"]);
    assert!(array_of(analysis, "focus").iter().all(Value::is_string));
    assert!(array_of(analysis, "types").iter().all(Value::is_string));
    assert!(answer["abstained"].is_boolean());
    assert!(answer["reason"].is_null() || answer["reason"].is_string());
    assert!(answer["short_answer"].is_null() || answer["short_answer"].is_string());
    for passage in array_of(answer, "answers") {
        assert_has_keys(passage, &["id", "text", "score", "citation"]);
        assert!(!str_of(passage, "id").is_empty());
        assert!(!str_of(passage, "text").is_empty());
        assert!(passage["score"].is_number());
        let citation = &passage["citation"];
        assert_has_keys(
            citation,
            &["collection", "source", "title", "url", "section", "document"],
        );
        assert!(
            ["medquad", "web"].contains(&str_of(citation, "collection")),
            "{citation}"
        );
        for key in ["source", "title", "section", "document"] {
            assert!(!str_of(citation, key).is_empty(), "empty {key} in {citation}");
        }
        assert!(citation["url"].is_null() || citation["url"].is_string());
    }
    for link in array_of(answer, "conditions") {
        assert_has_keys(link, &["slug", "name"]);
    }
    assert!(
        str_of(answer, "disclaimer")
            .to_lowercase()
            .contains("not a substitute for professional medical advice")
    );
    if answer["abstained"] == true {
        assert!(
            !str_of(answer, "reason").is_empty(),
            "an abstention without a reason"
        );
        assert!(
            array_of(answer, "answers").is_empty(),
            "an abstention with answers"
        );
    }
}

#[tokio::test]
async fn ask_answers_with_the_documented_shape() {
    let answer = json("/api/v1/ask?q=how+often+do+I+need+botox+shots%3F").await;
    assert_answer_shape(&answer);
    assert_eq!(answer["question"], "how often do I need botox shots?");
    assert_eq!(answer["abstained"], false);
    assert!(answer["reason"].is_null());
    assert!(str_of(&answer, "short_answer").contains("every 3 to 4 months"));
    let answers = array_of(&answer, "answers");
    assert!(!answers.is_empty() && answers.len() <= 5, "default limit is 5");
    let scores: Vec<f64> = answers
        .iter()
        .map(|a| a["score"].as_f64().expect("score"))
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "best first: {scores:?}");
    assert!(answer.get("safety_notice").is_none());
}

#[tokio::test]
async fn ask_respects_the_limit() {
    for limit in [1, 2, 20] {
        let answer = json(&format!("/api/v1/ask?q=what+is+dystonia%3F&limit={limit}")).await;
        assert_answer_shape(&answer);
        let n = array_of(&answer, "answers").len();
        assert!(n >= 1 && n <= limit, "limit {limit}: {n} answers");
    }
}

#[tokio::test]
async fn ask_abstentions_and_notices_have_the_documented_shape() {
    for (query, abstained, notice) in [
        ("what+is+the+capital+of+France%3F", true, false),
        ("how+many+units+of+botox+should+I+inject", true, false),
        ("I+have+chest+pain", false, true),
    ] {
        let answer = json(&format!("/api/v1/ask?q={query}")).await;
        assert_answer_shape(&answer);
        assert_eq!(answer["abstained"], abstained, "{query}");
        if notice {
            assert!(str_of(&answer, "safety_notice").contains("emergency"), "{query}");
        } else {
            assert!(answer.get("safety_notice").is_none(), "{query}");
        }
    }
}

#[tokio::test]
async fn conditions_pages_have_items() {
    let first = json("/api/v1/conditions").await;
    assert_has_keys(
        &first,
        &["letter", "page", "n_pages", "total", "items", "letters"],
    );
    assert!(first["letter"].is_null());
    assert_eq!(first["page"], 1);
    let total = first["total"].as_u64().expect("total") as usize;
    let n_pages = first["n_pages"].as_u64().expect("n_pages") as usize;
    assert!(
        total > 1000,
        "the bundled library has thousands of conditions: {total}"
    );
    assert_eq!(n_pages, total.div_ceil(kindred_app::CONDITIONS_PER_PAGE));
    let items = array_of(&first, "items");
    assert_eq!(items.len(), kindred_app::CONDITIONS_PER_PAGE);
    // The whole catalog is listed, conditions without text too; every one has a document.
    for item in items {
        assert_has_keys(item, &["slug", "name", "synonyms", "n_documents", "n_passages"]);
        assert!(
            item["n_documents"].as_u64().expect("n_documents") >= 1,
            "listed without a document: {item}"
        );
        assert!(item["n_passages"].is_u64(), "{item}");
        assert!(array_of(item, "synonyms").len() <= 5);
    }
    assert!(
        total >= 9000,
        "the A–Z list is the whole catalog (about 9,000 conditions): {total}"
    );
    let letters = array_of(&first, "letters");
    let sum: u64 = letters.iter().map(|l| l["count"].as_u64().expect("count")).sum();
    assert_eq!(sum as usize, total, "letter counts add up");

    let d = json("/api/v1/conditions?letter=d&page=2").await;
    assert_eq!(d["letter"], "d");
    assert_eq!(d["page"], 2);
    let d_count = letters
        .iter()
        .find(|l| l["letter"] == "d")
        .and_then(|l| l["count"].as_u64())
        .expect("a d");
    assert_eq!(d["total"], d_count);
    for item in array_of(&d, "items") {
        assert!(
            str_of(item, "slug").starts_with('d') || str_of(item, "name").to_lowercase().starts_with('d')
        );
    }
    // Upper case letters are read as lower case.
    let upper = json("/api/v1/conditions?letter=D&page=2").await;
    assert_eq!(upper, d);
}

#[tokio::test]
async fn condition_sections_are_cited_statements() {
    let dystonia = json("/api/v1/conditions/dystonia").await;
    assert_has_keys(
        &dystonia,
        &[
            "slug", "name", "synonyms", "cuis", "broader", "narrower", "sections", "sources",
        ],
    );
    assert_eq!(dystonia["slug"], "dystonia");
    assert_eq!(dystonia["name"], "Dystonia");
    let sections = array_of(&dystonia, "sections");
    assert!(
        sections.len() >= 5,
        "a merged article: {} sections",
        sections.len()
    );
    let kinds: Vec<&str> = sections.iter().map(|s| str_of(s, "kind")).collect();
    for kind in ["overview", "symptoms", "causes", "treatment"] {
        assert!(kinds.contains(&kind), "no {kind} section in {kinds:?}");
    }
    let mut n_statements = 0;
    let mut n_mayo_and_copy = 0;
    for section in sections {
        assert_has_keys(section, &["kind", "title", "statements"]);
        assert!(!str_of(section, "title").is_empty());
        let statements = array_of(section, "statements");
        assert!(!statements.is_empty(), "empty section {}", section["kind"]);
        for statement in statements {
            n_statements += 1;
            assert_has_keys(statement, &["text", "items", "citations", "n_independent"]);
            assert!(
                statement["text"].is_string() || !array_of(statement, "items").is_empty(),
                "a statement with neither text nor items: {statement}"
            );
            let citations = array_of(statement, "citations");
            assert!(!citations.is_empty(), "an uncited statement: {statement}");
            let n_independent = statement["n_independent"].as_u64().expect("n_independent") as usize;
            assert!(n_independent >= 1, "{statement}");
            assert!(n_independent <= citations.len(), "{statement}");
            // Independent sources are publishers, a copy counting as its original's publisher.
            let publishers: BTreeSet<&str> = citations
                .iter()
                .filter(|c| c["is_copy"] == false)
                .map(|c| str_of(c, "publisher"))
                .collect();
            let n_copies = citations.iter().filter(|c| c["is_copy"] == true).count();
            assert!(
                publishers.len() <= n_independent && n_independent <= publishers.len() + n_copies,
                "{statement}"
            );
            let documents: BTreeSet<&str> = citations.iter().map(|c| str_of(c, "document")).collect();
            if documents == BTreeSet::from(["seed-000", "seed-003"]) {
                n_mayo_and_copy += 1;
                assert_eq!(n_independent, 1, "the Mayo copy counts once: {statement}");
            }
            for citation in citations {
                assert_has_keys(
                    citation,
                    &["document", "publisher", "title", "url", "passage", "is_copy"],
                );
            }
        }
    }
    assert!(n_statements >= 20, "{n_statements} statements");
    assert!(
        n_mayo_and_copy > 0,
        "no statement said by Mayo Clinic and its copy"
    );
    // The treatment section is where the seed pages agree.
    let treatment = sections
        .iter()
        .find(|s| s["kind"] == "treatment")
        .expect("treatment");
    assert!(
        array_of(treatment, "statements")
            .iter()
            .any(|s| s["n_independent"].as_u64() >= Some(2)),
        "no statement with two independent sources"
    );
    let sources = array_of(&dystonia, "sources");
    let copies: Vec<&str> = sources
        .iter()
        .filter(|s| s["is_copy"] == true)
        .map(|s| str_of(s, "document"))
        .collect();
    assert_eq!(copies, ["seed-003"]);
    for source in sources {
        assert_has_keys(
            source,
            &[
                "document",
                "publisher",
                "title",
                "url",
                "licence",
                "source",
                "ingested_at",
                "is_copy",
            ],
        );
    }
}

/// Statement citations of dystonia and of the first listed conditions, until 20 distinct documents.
async fn sample_citations() -> Vec<Value> {
    let mut slugs = vec!["dystonia".to_owned()];
    let list = json("/api/v1/conditions").await;
    slugs.extend(
        array_of(&list, "items")
            .iter()
            .map(|i| str_of(i, "slug").to_owned()),
    );
    let mut seen = BTreeSet::new();
    let mut sample = Vec::new();
    for slug in slugs {
        let condition = json(&format!("/api/v1/conditions/{}", encode(&slug))).await;
        for section in array_of(&condition, "sections") {
            for statement in array_of(section, "statements") {
                for citation in array_of(statement, "citations") {
                    if seen.insert(str_of(citation, "document").to_owned()) {
                        sample.push(citation.clone());
                    }
                }
            }
        }
        if sample.len() >= 20 {
            break;
        }
    }
    sample.truncate(20);
    assert_eq!(sample.len(), 20, "a sample of 20 documents");
    sample
}

#[tokio::test]
async fn statement_citations_resolve_to_sources() {
    for citation in sample_citations().await {
        let document = str_of(&citation, "document");
        let uri = format!("/api/v1/sources/{}", encode(document));
        let source = json(&uri).await;
        assert_eq!(source["id"], document, "{uri}");
        assert_eq!(source["publisher"], citation["publisher"], "{uri}");
        assert_eq!(source["title"], citation["title"], "{uri}");
        assert_eq!(source["url"], citation["url"], "{uri}");
        assert!(!array_of(&source, "sections").is_empty(), "{uri}: no sections");
        // The page of the same source renders too.
        let page = get(&format!("/sources/{}", encode(document))).await;
        page.assert_status(StatusCode::OK);
        crate::support::assert_page_shell(&page);
    }
}

#[tokio::test]
async fn search_returns_conditions_and_passages() {
    let results = json("/api/v1/search?q=dystonia").await;
    assert_has_keys(&results, &["query", "conditions", "passages"]);
    assert_eq!(results["query"], "dystonia");
    let conditions = array_of(&results, "conditions");
    assert_eq!(
        conditions.first().map(|c| &c["slug"]),
        Some(&Value::from("dystonia")),
        "exact name first"
    );
    assert!(conditions.len() <= 5, "default limit 5");
    let passages = array_of(&results, "passages");
    assert!(!passages.is_empty() && passages.len() <= 5);
    for passage in passages {
        assert_has_keys(passage, &["id", "text", "score", "citation"]);
        assert_has_keys(
            &passage["citation"],
            &["collection", "source", "title", "url", "section", "document"],
        );
    }
    let one = json("/api/v1/search?q=dystonia&limit=1").await;
    assert!(array_of(&one, "conditions").len() <= 1);
    assert!(array_of(&one, "passages").len() <= 1);
}

#[tokio::test]
async fn source_shows_provenance_and_removed_lines() {
    let source = json("/api/v1/sources/seed-000").await;
    assert_has_keys(
        &source,
        &[
            "id",
            "title",
            "publisher",
            "url",
            "licence",
            "collection",
            "source",
            "ingested_at",
            "origin",
            "condition",
            "copies",
            "sections",
            "removed",
        ],
    );
    assert_eq!(source["publisher"], "Mayo Clinic");
    assert_eq!(source["collection"], "web");
    assert_eq!(source["source"], "seeds");
    assert_eq!(source["condition"]["slug"], "dystonia");
    assert_eq!(source["copies"], serde_json::json!(["seed-003"]));
    let removed = array_of(&source, "removed");
    assert!(
        removed
            .iter()
            .any(|line| str_of_value(line).contains("Mayo Clinic Care Network")),
        "removed: {removed:?}"
    );
    for section in array_of(&source, "sections") {
        assert_has_keys(section, &["kind", "heading", "answer_id", "blocks"]);
        for block in array_of(section, "blocks") {
            assert_has_keys(block, &["kind", "text", "items"]);
            assert!(["paragraph", "list", "incomplete"].contains(&str_of(block, "kind")));
        }
    }
    let copy = json("/api/v1/sources/seed-003").await;
    assert_eq!(copy["copies"], serde_json::json!(["seed-000"]));
    let removed = array_of(&copy, "removed");
    assert!(
        removed.iter().any(|line| str_of_value(line).contains("donation")),
        "the copy's donation line is recorded as removed: {removed:?}"
    );
}

fn str_of_value(value: &Value) -> &str {
    value.as_str().unwrap_or_else(|| panic!("not a string: {value}"))
}

#[tokio::test]
async fn healthz_is_ok() {
    let reply = get("/healthz").await;
    reply.assert_status(StatusCode::OK);
    assert_eq!(reply.text(), "ok");
    assert!(reply.content_type().starts_with("text/plain"));
}
