//! Recognising phenotypes in a question: names and synonyms matched as bags of stemmed terms
//! within a clause (so "swollen ankles" also matches "ankles … are swollen"), definitions as weaker
//! evidence, and negation ("no fever", "without pain", "I don't have a rash").

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

/// Where a match came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MatchSource {
    /// The term's preferred name.
    Name,
    /// An EXACT synonym.
    Synonym,
    /// A layperson synonym ("Wry neck").
    Layperson,
    /// Words of the definition: weaker evidence.
    Definition,
}

/// One phenotype recognised in a text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PhenotypeMatch {
    /// Index of the term in the phenotype index.
    pub term: u32,
    /// `HP:0000473`.
    pub hpo_id: String,
    /// The term's preferred name.
    pub name: String,
    /// The words of the text that matched, in text order.
    pub matched: Vec<String>,
    /// Whether the text denies it ("no fever").
    pub negated: bool,
    /// Information content of the term (higher is more specific).
    pub ic: f32,
    /// What matched.
    pub source: MatchSource,
    /// How strong the evidence is, in `0..=1`: 1 for a name or synonym, less for a definition.
    pub strength: f32,
}

/// Words that deny what follows them in the clause. "cant" is not one: "I can't sleep" describes a
/// phenotype rather than denying it.
const NEGATION_CUES: &[&str] = &[
    "no", "not", "without", "never", "none", "nor", "neither", "deny", "denies", "denied", "dont", "doesnt",
    "didnt", "isnt", "arent", "wasnt", "werent", "havent", "hasnt", "hadnt", "free", "absence", "absent",
];
/// Words a negation reaches past ("I don't have any rash"): at most this many.
const NEGATION_SCOPE: usize = 6;
/// Words that end a negation's reach inside a clause.
const SCOPE_BREAKS: &[&str] = &["but", "although", "though", "however", "yet", "except"];
/// A name may spread over this many extra words of the clause beyond its own length, in any order
/// ("swollen ankles", "ankles that are swollen").
const MAX_GAP: usize = 3;
/// Strength of a definition match at full overlap.
const DEFINITION_STRENGTH: f32 = 0.4;
/// Definition matches need at least this many of its specific terms.
const MIN_DEFINITION_TERMS: usize = 2;
/// Definition matches kept per text: the strongest only, the rest is noise.
const MAX_DEFINITION_MATCHES: usize = 3;

/// One content word of the text.
pub(crate) struct Token {
    /// Position among all words of the text (stopwords included), for gaps.
    pub position: usize,
    /// Clause number.
    pub clause: usize,
    /// Vocabulary id of its stem.
    pub vocab: u32,
    /// The word as written (folded).
    pub word: String,
}

/// The text's content words known to the vocabulary, and where negations start.
pub(crate) struct Tokens {
    pub tokens: Vec<Token>,
    /// (clause, position) of each negation cue.
    pub negations: Vec<(usize, usize)>,
    /// (clause, position) of each scope break.
    pub breaks: Vec<(usize, usize)>,
}

/// Splits a text into clauses (at sentence and clause punctuation) and their words.
pub(crate) fn tokenize(text: &str, vocab_of: &dyn Fn(&str) -> Vec<u32>) -> Tokens {
    let mut tokens = Vec::new();
    let mut negations = Vec::new();
    let mut breaks = Vec::new();
    let mut position = 0;
    for (clause, part) in text
        .split(['.', ',', ';', ':', '!', '?', '\n', '(', ')'])
        .enumerate()
    {
        for word in kindred_text::words(part) {
            if NEGATION_CUES.contains(&word.as_str()) {
                negations.push((clause, position));
            } else if SCOPE_BREAKS.contains(&word.as_str()) {
                breaks.push((clause, position));
            } else if !kindred_text::is_stopword(&word) {
                for vocab in vocab_of(&kindred_text::stem(&word)) {
                    tokens.push(Token {
                        position,
                        clause,
                        vocab,
                        word: word.clone(),
                    });
                }
            }
            position += 1;
        }
        // Clauses never touch: a gap no match spans.
        position += MAX_GAP * 4;
    }
    Tokens {
        tokens,
        negations,
        breaks,
    }
}

impl Tokens {
    /// Whether a match starting at `first` in `clause` is denied by a cue before it.
    pub fn negated(&self, clause: usize, first: usize) -> bool {
        self.negations.iter().any(|&(c, p)| {
            c == clause
                && p < first
                && first - p <= NEGATION_SCOPE
                && !self
                    .breaks
                    .iter()
                    .any(|&(bc, bp)| bc == clause && bp > p && bp < first)
        })
    }
}

/// One stored pattern, as the matcher sees it.
pub(crate) struct PatternView<'a> {
    pub term: u32,
    pub tokens: &'a [u32],
    pub n_words: u8,
    pub source: MatchSource,
}

/// The smallest window holding one occurrence of each of `tokens` within one clause, as
/// (start, end, token indexes), or none.
fn best_window(
    text: &Tokens,
    occurrences: &HashMap<u32, Vec<usize>>,
    tokens: &[u32],
) -> Option<(usize, usize, Vec<usize>)> {
    let mut best: Option<(usize, usize, Vec<usize>)> = None;
    let first_token = *tokens.first()?;
    for &anchor_idx in occurrences.get(&first_token)? {
        let anchor = &text.tokens[anchor_idx];
        let mut chosen = vec![anchor_idx];
        let (mut start, mut end) = (anchor.position, anchor.position);
        let mut complete = true;
        for &token in &tokens[1..] {
            // The occurrence of this token in the same clause nearest to the anchor.
            let nearest = occurrences
                .get(&token)
                .into_iter()
                .flatten()
                .map(|&idx| (idx, &text.tokens[idx]))
                .filter(|(_, t)| t.clause == anchor.clause)
                .min_by_key(|(_, t)| t.position.abs_diff(anchor.position));
            match nearest {
                Some((idx, t)) => {
                    start = start.min(t.position);
                    end = end.max(t.position);
                    chosen.push(idx);
                }
                None => {
                    complete = false;
                    break;
                }
            }
        }
        if complete && best.as_ref().is_none_or(|(s, e, _)| end - start < e - s) {
            best = Some((start, end, chosen));
        }
    }
    best
}

/// Matches patterns against a tokenised text. `candidates` are the patterns sharing a word with it.
pub(crate) fn match_patterns<'a>(
    text: &Tokens,
    candidates: impl Iterator<Item = PatternView<'a>>,
    is_common: &dyn Fn(u32) -> bool,
    definitions_too: bool,
) -> Vec<(u32, MatchSource, f32, bool, Vec<usize>)> {
    let mut present: HashMap<u32, Vec<usize>> = HashMap::new();
    for (idx, token) in text.tokens.iter().enumerate() {
        present.entry(token.vocab).or_default().push(idx);
    }
    let mut found = Vec::new();
    let mut definitions = Vec::new();
    for pattern in candidates {
        if pattern.source == MatchSource::Definition {
            if !definitions_too {
                continue;
            }
            let specific: Vec<u32> = pattern
                .tokens
                .iter()
                .copied()
                .filter(|t| !is_common(*t) && present.contains_key(t))
                .collect();
            if specific.len() < MIN_DEFINITION_TERMS {
                continue;
            }
            let n_specific = pattern
                .tokens
                .iter()
                .filter(|t| !is_common(**t))
                .count()
                .clamp(1, 4);
            let strength = DEFINITION_STRENGTH * (specific.len() as f32 / n_specific as f32).min(1.0);
            let chosen: Vec<usize> = text
                .tokens
                .iter()
                .enumerate()
                .filter(|(_, t)| specific.contains(&t.vocab))
                .map(|(i, _)| i)
                .collect();
            let first = &text.tokens[chosen[0]];
            let negated = text.negated(first.clause, first.position);
            definitions.push((pattern.term, pattern.source, strength, negated, chosen));
            continue;
        }
        if !pattern.tokens.iter().all(|t| present.contains_key(t)) {
            continue;
        }
        // A one-word name that is an ordinary word never fires alone, nor does one content word
        // left of a longer name ("Out-toeing" is not every "toe").
        if pattern.tokens.len() == 1 && (is_common(pattern.tokens[0]) || pattern.n_words > 1) {
            continue;
        }
        let Some((start, end, chosen)) = best_window(text, &present, pattern.tokens) else {
            continue;
        };
        if end - start + 1 > pattern.n_words as usize + MAX_GAP {
            continue;
        }
        let first = &text.tokens[chosen
            .iter()
            .copied()
            .min_by_key(|&i| text.tokens[i].position)
            .unwrap_or(0)];
        let negated = text.negated(first.clause, first.position);
        found.push((pattern.term, pattern.source, 1.0, negated, chosen));
    }
    definitions.sort_by(|a, b| {
        b.2.total_cmp(&a.2)
            .then(b.4.len().cmp(&a.4.len()))
            .then(a.0.cmp(&b.0))
    });
    definitions.truncate(MAX_DEFINITION_MATCHES);
    // A match whose words are all inside another term's longer match says less ("Pain" inside
    // "Back pain"): drop it.
    let covered: Vec<bool> = found
        .iter()
        .map(|(term, _, _, _, chosen)| {
            found.iter().any(|(other, _, _, _, other_chosen)| {
                other != term
                    && other_chosen.len() > chosen.len()
                    && chosen.iter().all(|c| other_chosen.contains(c))
            })
        })
        .collect();
    let mut out: Vec<_> = found
        .into_iter()
        .zip(covered)
        .filter(|(_, covered)| !covered)
        .map(|(m, _)| m)
        .collect();
    out.extend(definitions);
    out
}
