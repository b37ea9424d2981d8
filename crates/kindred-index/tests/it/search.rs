//! Searching a small index: ranking, field weights, the condition filter, term presence and document
//! frequencies, all on seven hand-written passages whose terms are easy to count.

use std::collections::BTreeSet;

use kindred_index::{FieldWeights, Hit, IndexPassage, SearchIndex};
use tempfile::TempDir;

const DYSTONIA: u32 = 0;
const CIRRHOSIS: u32 = 1;
const BLEPHAROSPASM: u32 = 2;

/// (text, question, names, condition), indexed by position.
const PASSAGES: &[(&str, &str, &str, Option<u32>)] = &[
    (
        "Botulinum toxin injections relax the muscles in focal dystonia.",
        "What are the treatments for Dystonia?",
        "Dystonia ; Dystonias",
        Some(DYSTONIA),
    ),
    (
        "Dystonia is a movement disorder that causes involuntary muscle contractions.",
        "What is dystonia?",
        "Dystonia ; Dystonias",
        Some(DYSTONIA),
    ),
    (
        "Deep brain stimulation may help people with generalized forms.",
        "Treatments",
        "Dystonia ; Dystonias",
        Some(DYSTONIA),
    ),
    (
        "Cirrhosis is scarring of the liver.",
        "What is cirrhosis?",
        "Cirrhosis",
        Some(CIRRHOSIS),
    ),
    (
        "Alcohol and hepatitis are common causes of liver scarring.",
        "What causes cirrhosis?",
        "Cirrhosis",
        Some(CIRRHOSIS),
    ),
    ("Eat a balanced diet and exercise.", "Healthy living", "", None),
    (
        "Blepharospasm is a focal dystonia of the eyelids.",
        "Overview",
        "Blepharospasm ; Benign essential blepharospasm",
        Some(BLEPHAROSPASM),
    ),
];

/// Builds the index of [`PASSAGES`] in a fresh directory and opens it.
fn open() -> (TempDir, SearchIndex) {
    let dir = tempfile::tempdir().unwrap();
    let index_dir = dir.path().join("index");
    kindred_index::build(
        &index_dir,
        PASSAGES.iter().enumerate().map(
            |(passage_idx, &(text, question, names, condition))| IndexPassage {
                passage_idx: passage_idx as u32,
                text,
                question,
                names,
                condition,
            },
        ),
    )
    .unwrap();
    let index = SearchIndex::open(&index_dir).unwrap();
    (dir, index)
}

fn terms(query: &str) -> Vec<String> {
    kindred_text::terms(query)
}

fn passage_ids(hits: &[Hit]) -> Vec<u32> {
    hits.iter().map(|h| h.passage_idx).collect()
}

fn passage_set(hits: &[Hit]) -> BTreeSet<u32> {
    hits.iter().map(|h| h.passage_idx).collect()
}

const WITH_NAMES: FieldWeights = FieldWeights {
    text: 1.0,
    question: 0.6,
    names: 0.8,
};

#[test]
fn counts_its_passages() {
    let (_dir, index) = open();
    assert_eq!(index.len(), PASSAGES.len() as u64);
    assert!(!index.is_empty());
}

#[test]
fn plain_search_ranks_the_passage_with_the_query_terms_first() {
    let (_dir, index) = open();
    // (query, the passage ranked first, every passage found)
    let cases: &[(&str, u32, &[u32])] = &[
        ("botulinum toxin injections", 0, &[0]),
        ("involuntary movement", 1, &[1]),
        // Passage 3 has "cirrhosis" in text and question and is short; 4 only in its question.
        ("cirrhosis", 3, &[3, 4]),
        ("Does deep brain stimulation help?", 2, &[2]),
        // Stemming: "eyelid" finds "eyelids", "scarred" finds "scarring".
        ("eyelid", 6, &[6]),
        ("scarred liver", 3, &[3, 4]),
        // Dystonia is in the text or question of 0, 1 and 6; 1 says it twice and is the shortest.
        ("dystonias", 1, &[0, 1, 6]),
    ];
    for &(query, first, found) in cases {
        let hits = index
            .search(&terms(query), FieldWeights::PLAIN, None, 10)
            .unwrap();
        assert_eq!(
            hits.first().map(|h| h.passage_idx),
            Some(first),
            "{query}: {hits:?}"
        );
        assert_eq!(passage_set(&hits), found.iter().copied().collect(), "{query}");
        assert!(
            hits.windows(2).all(|w| w[0].score >= w[1].score),
            "{query}: {hits:?}"
        );
        assert!(hits.iter().all(|h| h.score > 0.0), "{query}: {hits:?}");
    }
}

#[test]
fn limit_caps_the_hits() {
    let (_dir, index) = open();
    let hits = index
        .search(&terms("dystonia"), FieldWeights::PLAIN, None, 2)
        .unwrap();
    assert_eq!(passage_ids(&hits).len(), 2);
}

#[test]
fn condition_names_count_only_with_a_names_weight() {
    let (_dir, index) = open();
    // "benign" is only in the names of passage 6; passage 2 says "dystonia" only in its names.
    let cases: &[(&str, FieldWeights, &[u32])] = &[
        ("benign essential", FieldWeights::PLAIN, &[]),
        ("benign essential", WITH_NAMES, &[6]),
        (
            "benign essential",
            FieldWeights {
                text: 0.0,
                question: 0.0,
                names: 1.0,
            },
            &[6],
        ),
        ("dystonia", FieldWeights::PLAIN, &[0, 1, 6]),
        ("dystonia", WITH_NAMES, &[0, 1, 2, 6]),
        (
            "dystonia",
            FieldWeights {
                text: 0.0,
                question: 0.0,
                names: 1.0,
            },
            &[0, 1, 2],
        ),
    ];
    for &(query, weights, found) in cases {
        let hits = index.search(&terms(query), weights, None, 10).unwrap();
        assert_eq!(
            passage_set(&hits),
            found.iter().copied().collect(),
            "{query} {weights:?}"
        );
    }
}

#[test]
fn a_condition_filter_returns_every_passage_of_those_conditions_and_no_other() {
    let (_dir, index) = open();
    // (query, conditions, passages found)
    let cases: &[(&str, &[u32], &[u32])] = &[
        // No passage of cirrhosis says "botulinum": both are returned all the same.
        ("botulinum", &[CIRRHOSIS], &[3, 4]),
        ("liver", &[DYSTONIA, BLEPHAROSPASM], &[0, 1, 2, 6]),
        ("liver", &[CIRRHOSIS, BLEPHAROSPASM], &[3, 4, 6]),
        // No term at all: still every passage of the conditions.
        ("", &[DYSTONIA], &[0, 1, 2]),
        // An unknown condition has no passages; the passage without a condition is never returned.
        ("diet exercise", &[99], &[]),
        ("diet exercise", &[], &[]),
    ];
    for &(query, conditions, found) in cases {
        for weights in [FieldWeights::PLAIN, WITH_NAMES] {
            let hits = index
                .search(&terms(query), weights, Some(conditions), 100)
                .unwrap();
            assert_eq!(
                passage_set(&hits),
                found.iter().copied().collect(),
                "{query:?} in {conditions:?} with {weights:?}"
            );
            assert_eq!(hits.len(), found.len(), "{query:?} in {conditions:?}: {hits:?}");
        }
    }
}

#[test]
fn within_a_condition_matching_passages_rank_before_the_rest() {
    let (_dir, index) = open();
    let hits = index
        .search(
            &terms("botulinum toxin"),
            FieldWeights::PLAIN,
            Some(&[DYSTONIA]),
            10,
        )
        .unwrap();
    assert_eq!(hits[0].passage_idx, 0);
    assert!(hits[0].score > 0.0);
    // The others match no term: the filter itself adds nothing to the score.
    for hit in &hits[1..] {
        assert_eq!(hit.score, 0.0, "{hit:?}");
    }
    assert_eq!(passage_set(&hits[1..]), BTreeSet::from([1, 2]));
}

#[test]
fn no_terms_find_nothing_without_a_condition_filter() {
    let (_dir, index) = open();
    for weights in [FieldWeights::PLAIN, WITH_NAMES] {
        assert_eq!(index.search(&[], weights, None, 10).unwrap(), Vec::new());
    }
    // Terms that no passage has.
    let hits = index.search(&terms("xylophone"), WITH_NAMES, None, 10).unwrap();
    assert_eq!(hits, Vec::new());
    // Duplicate terms count once.
    let once = index
        .search(&terms("liver"), FieldWeights::PLAIN, None, 10)
        .unwrap();
    let twice = index
        .search(&terms("liver liver"), FieldWeights::PLAIN, None, 10)
        .unwrap();
    assert_eq!(once, twice);
}

/// Which of `query_terms` occur in a passage's text or question, by tokenising it again.
fn naive_presence(passage_idx: u32, query_terms: &[String]) -> u64 {
    let (text, question, _, _) = PASSAGES[passage_idx as usize];
    let passage_terms: BTreeSet<String> = kindred_text::terms(text)
        .into_iter()
        .chain(kindred_text::terms(question))
        .collect();
    let mut mask = 0u64;
    for (term_idx, term) in query_terms.iter().enumerate().take(64) {
        if passage_terms.contains(term) {
            mask |= 1 << term_idx;
        }
    }
    mask
}

#[test]
fn term_presence_masks_match_the_passage_terms() {
    let (_dir, index) = open();
    // Every passage, as hits: all conditions, plus the one without a condition. (The index is
    // written by up to four threads, so on a multi-core machine the hits span several segments.)
    let mut hits = index
        .search(
            &[],
            FieldWeights::PLAIN,
            Some(&[DYSTONIA, CIRRHOSIS, BLEPHAROSPASM]),
            100,
        )
        .unwrap();
    hits.extend(
        index
            .search(&terms("diet"), FieldWeights::PLAIN, None, 10)
            .unwrap(),
    );
    assert_eq!(passage_set(&hits), (0..PASSAGES.len() as u32).collect());
    // Terms of text and question, a names-only term (never present), an unknown one, a repeat.
    let query_terms =
        terms("dystonia muscle liver cirrhosis treatments focal benign xylophone eyelids dystonia");
    assert_eq!(
        query_terms,
        [
            "dystonia",
            "muscl",
            "liver",
            "cirrhosi",
            "treatment",
            "focal",
            "benign",
            "xylophon",
            "eyelid",
            "dystonia"
        ]
    );
    let masks = index.term_presence(&hits, &query_terms).unwrap();
    assert_eq!(masks.len(), hits.len());
    for (hit, mask) in hits.iter().zip(&masks) {
        assert_eq!(
            *mask,
            naive_presence(hit.passage_idx, &query_terms),
            "passage {}: {mask:#b}",
            hit.passage_idx
        );
    }
    // Spelled out for one passage: "Dystonia is a movement disorder that causes involuntary muscle
    // contractions." / "What is dystonia?" has terms 0 (dystonia), 1 (muscl) and 9 (dystonia again).
    let of_passage_1 = hits.iter().position(|h| h.passage_idx == 1).unwrap();
    assert_eq!(masks[of_passage_1], 0b10_0000_0011);
    // And passage 0, "Botulinum toxin injections relax the muscles in focal dystonia." / "What are the
    // treatments for Dystonia?": dystonia, muscl, treatment, focal, dystonia; never "benign", which
    // only its condition's names have.
    let of_passage_0 = hits.iter().position(|h| h.passage_idx == 0).unwrap();
    assert_eq!(masks[of_passage_0], 0b10_0011_0011);
    // Hits in any order, and a subset of them.
    let reversed: Vec<Hit> = hits.iter().rev().copied().collect();
    let masks_reversed = index.term_presence(&reversed, &query_terms).unwrap();
    assert_eq!(masks_reversed, masks.iter().rev().copied().collect::<Vec<_>>());
    assert_eq!(
        index.term_presence(&hits[..1], &query_terms).unwrap(),
        vec![masks[0]]
    );
    assert_eq!(index.term_presence(&[], &query_terms).unwrap(), Vec::<u64>::new());
}

#[test]
fn term_presence_looks_at_the_first_64_terms_only() {
    let (_dir, index) = open();
    let hits = index
        .search(&terms("cirrhosis"), FieldWeights::PLAIN, None, 10)
        .unwrap();
    // 63 absent terms, then "cirrhosis" as the 64th (bit 63) and again as the 65th (ignored).
    let mut query_terms: Vec<String> = (0..63).map(|n| format!("absent{n}")).collect();
    query_terms.push("cirrhosi".into());
    query_terms.push("cirrhosi".into());
    let masks = index.term_presence(&hits, &query_terms).unwrap();
    assert_eq!(masks, vec![1u64 << 63; hits.len()]);
}

#[test]
fn text_doc_freq_counts_passages_whose_text_has_the_term() {
    let (_dir, index) = open();
    let n = PASSAGES.len() as u64;
    // Only passage text counts: not the question, not the names.
    let cases = [
        ("dystonia", 3),
        ("liver", 2),
        ("cirrhosi", 1),
        ("treatment", 0),
        ("benign", 0),
        ("xylophone", 0),
    ];
    for (term, freq) in cases {
        assert_eq!(index.text_doc_freq(term), (freq, n), "{term}");
        let naive = PASSAGES
            .iter()
            .filter(|(text, ..)| kindred_text::terms(text).iter().any(|t| t == term))
            .count() as u64;
        assert_eq!(naive, freq, "{term}: the expectation itself");
    }
}

#[test]
fn opening_a_missing_index_names_its_directory() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-index");
    let Err(err) = SearchIndex::open(&missing) else {
        panic!("opened a missing index");
    };
    let message = err.to_string();
    assert!(message.contains(&missing.display().to_string()), "{message}");
    assert!(matches!(err, kindred_index::Error::Tantivy { ref path, .. } if *path == missing));
}

#[test]
fn building_twice_into_one_directory_fails() {
    let (dir, _index) = open();
    let err = kindred_index::build(&dir.path().join("index"), std::iter::empty()).unwrap_err();
    assert!(
        err.to_string()
            .contains(&dir.path().join("index").display().to_string()),
        "{err}"
    );
}
