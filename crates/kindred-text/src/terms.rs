//! Terms: the unit both the index and the answer engine count.
//!
//! A term is a lowercased, accent-folded word, stemmed with the Porter2 English stemmer, with
//! stopwords removed. Numbers are kept ("3", "dyt1", "tor1a") because genes and doses are numbers.

use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};

use crate::normalize::fold_for_match;

/// English function words that carry no retrieval signal. Question words are stopwords too: the
/// answer engine reads them separately when it classifies the question.
pub const STOPWORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "after",
    "again",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "during",
    "each",
    "few",
    "for",
    "from",
    "further",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "him",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "itself",
    "just",
    "me",
    "might",
    "more",
    "most",
    "my",
    "myself",
    "no",
    "nor",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "only",
    "or",
    "other",
    "our",
    "ours",
    "out",
    "over",
    "own",
    "please",
    "same",
    "she",
    "should",
    "so",
    "some",
    "such",
    "than",
    "thank",
    "thanks",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "under",
    "until",
    "up",
    "very",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "you",
    "your",
    "yours",
    "hi",
    "hello",
    "dear",
    "are",
    "s",
    "t",
    "don",
    "im",
    "ive",
    "id",
    "may",
    "get",
    "know",
    "tell",
    "want",
    "like",
    "need",
    "question",
    "questions",
    "anyone",
    "someone",
    "something",
    "thing",
    "things",
    // The contractions of the Snowball English list (and "cannot"), as `fold_for_match` writes
    // them (the apostrophe dropped): "won't go away" carries no more signal than "will not". Left
    // out are those that fold to another word: "we'll" (well), "she'll" (shell), "he'll" (hell),
    // "I'll" (ill), "let's" (lets).
    "arent",
    "cant",
    "cannot",
    "couldnt",
    "didnt",
    "doesnt",
    "dont",
    "hadnt",
    "hasnt",
    "havent",
    "hes",
    "isnt",
    "mustnt",
    "neednt",
    "shes",
    "shouldnt",
    "thats",
    "theres",
    "theyd",
    "theyll",
    "theyre",
    "theyve",
    "wasnt",
    "werent",
    "weve",
    "whats",
    "wont",
    "wouldnt",
    "youd",
    "youll",
    "youre",
    "youve",
];

fn stemmer() -> &'static Stemmer {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    STEMMER.get_or_init(|| Stemmer::create(Algorithm::English))
}

fn stopword_set() -> &'static std::collections::HashSet<&'static str> {
    static SET: OnceLock<std::collections::HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| STOPWORDS.iter().copied().collect())
}

/// Whether a folded word is a stopword.
pub fn is_stopword(word: &str) -> bool {
    stopword_set().contains(word)
}

/// English irregular forms a suffix stemmer cannot join to their base ("feet" to "foot", "swollen"
/// to "swell"), as in patients' words: "my feet are swollen" must meet "swelling of the foot".
/// English morphology, sorted for binary search. Not listed: forms that are also other words
/// ("left", "saw", "rose", "lay"), and forms that name a condition ("shaken": "my head shakes" is
/// not about *Shaken baby syndrome*).
const IRREGULAR: &[(&str, &str)] = &[
    ("ate", "eat"),
    ("began", "begin"),
    ("begun", "begin"),
    ("bit", "bite"),
    ("bitten", "bite"),
    ("bled", "bleed"),
    ("broke", "break"),
    ("broken", "break"),
    ("caught", "catch"),
    ("children", "child"),
    ("drank", "drink"),
    ("drunk", "drink"),
    ("eaten", "eat"),
    ("fallen", "fall"),
    ("feet", "foot"),
    ("fell", "fall"),
    ("felt", "feel"),
    ("froze", "freeze"),
    ("frozen", "freeze"),
    ("geese", "goose"),
    ("gotten", "get"),
    ("grew", "grow"),
    ("grown", "grow"),
    ("hidden", "hide"),
    ("lice", "louse"),
    ("men", "man"),
    ("mice", "mouse"),
    ("slept", "sleep"),
    ("spoke", "speak"),
    ("spoken", "speak"),
    ("stung", "sting"),
    ("swollen", "swell"),
    ("teeth", "tooth"),
    ("threw", "throw"),
    ("thrown", "throw"),
    ("tore", "tear"),
    ("torn", "tear"),
    ("woke", "wake"),
    ("woken", "wake"),
    ("women", "woman"),
    ("wore", "wear"),
    ("worn", "wear"),
    ("written", "write"),
    ("wrote", "write"),
];

fn irregular_base(word: &str) -> Option<&'static str> {
    IRREGULAR
        .binary_search_by(|(form, _)| form.cmp(&word))
        .ok()
        .map(|i| IRREGULAR[i].1)
}

/// Stems one folded word. Stems are memoised per thread: a corpus repeats a small vocabulary
/// millions of times, and Snowball is the costliest step of tokenising.
pub fn stem(word: &str) -> String {
    thread_local! {
        static CACHE: std::cell::RefCell<std::collections::HashMap<String, String>> =
            std::cell::RefCell::new(std::collections::HashMap::new());
    }
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some(stemmed) = cache.get(word) {
            return stemmed.clone();
        }
        let base = irregular_base(word).unwrap_or(word);
        let stemmed = stemmer().stem(base).into_owned();
        // Bound the memory a long-running server spends on rare words.
        if cache.len() >= STEM_CACHE_LIMIT {
            cache.clear();
        }
        cache.insert(word.to_owned(), stemmed.clone());
        stemmed
    })
}

const STEM_CACHE_LIMIT: usize = 200_000;

/// The folded words of a text, in order, stopwords included.
pub fn words(text: &str) -> Vec<String> {
    split_words(&fold_for_match(text))
}

/// The words of [`words`] with their case kept, one for each: `"I feel SAD"` → `["I", "feel",
/// "SAD"]`. Acronyms are told from ordinary words by it.
pub fn cased_words(text: &str) -> Vec<String> {
    split_words(&crate::normalize::fold(text, false))
}

fn split_words(folded: &str) -> Vec<String> {
    folded
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The stemmed content terms of a text, in order.
pub fn terms(text: &str) -> Vec<String> {
    fold_for_match(text)
        .split(' ')
        .filter(|w| !w.is_empty() && !is_stopword(w))
        .map(stem)
        .collect()
}

/// Whether two folded words are within `max` Damerau-Levenshtein edits, with a cheap length check
/// first so the common case costs nothing.
pub fn within_edit_distance(a: &str, b: &str, max: usize) -> bool {
    if a.len().abs_diff(b.len()) > max {
        return false;
    }
    strsim::damerau_levenshtein(a, b) <= max
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_and_drops_stopwords() {
        assert_eq!(
            terms("What are the treatments for Dystonias?"),
            vec!["treatment", "dystonia"]
        );
        assert_eq!(terms("TOR1A gene"), vec!["tor1a", "gene"]);
        // Contractions are function words, written with or without the apostrophe.
        assert_eq!(terms("bumps that won't go away"), vec!["bump", "go", "away"]);
        assert_eq!(terms("I can’t sleep, it doesnt stop"), vec!["sleep", "stop"]);
        // A contraction that folds to another word is that word.
        assert_eq!(terms("I feel ill"), vec!["feel", "ill"]);
    }

    #[test]
    fn irregular_forms_meet_their_base() {
        assert!(
            IRREGULAR.windows(2).all(|w| w[0].0 < w[1].0),
            "sorted for binary search"
        );
        assert_eq!(terms("my feet are swollen"), terms("foot swelling"));
        assert_eq!(terms("lice in her hair")[0], terms("a louse")[0]);
        assert_eq!(terms("left"), vec!["left"]);
    }

    #[test]
    fn edit_distance() {
        assert!(within_edit_distance("diahrrea", "diarrhea", 2));
        assert!(!within_edit_distance("dystonia", "dyslexia", 2));
    }
}
