//! Ranking candidates, choosing a short answer, and deciding to abstain.
//!
//! The score of a passage combines four kinds of evidence, each in `0..=1` before weighting:
//! BM25 relative to the best candidate; whether the passage is about a recognised focus (or a
//! condition related to it); whether its section answers the question's type; and how much of the
//! question's own content (IDF-weighted, focus words excluded) the passage speaks to.

use std::collections::HashSet;

use kindred_corpus::SectionKind;

use crate::analysis::Analysis;
use crate::safety::Safety;

/// One passage the index proposed, with what ranking needs to know of it.
#[derive(Debug, Clone)]
pub struct Candidate<'a> {
    /// Passage index in the library.
    pub passage_idx: u32,
    /// Best BM25 score the index gave it.
    pub bm25: f32,
    /// How strongly its condition is the question's focus: 1 for a recognised focus, less for
    /// related conditions or the assumed context, 0 otherwise.
    pub focus_weight: f32,
    /// Its section kind.
    pub section: SectionKind,
    /// Its text.
    pub text: &'a str,
    /// The question or heading it answers.
    pub heading: Option<&'a str>,
}

/// Weights of the evidence.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RankingWeights {
    /// Relative BM25.
    pub bm25: f32,
    /// Focus match.
    pub focus: f32,
    /// Section type match.
    pub section: f32,
    /// Coverage of the question's content terms.
    pub coverage: f32,
    /// Below this coverage of the question's content, with no focus recognised, we abstain.
    pub min_coverage_without_focus: f32,
}

impl Default for RankingWeights {
    fn default() -> Self {
        RankingWeights {
            bm25: 1.0,
            focus: 1.6,
            section: 0.8,
            coverage: 0.8,
            min_coverage_without_focus: 0.5,
        }
    }
}

/// A ranked passage.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked {
    /// Passage index in the library.
    pub passage_idx: u32,
    /// Final score.
    pub score: f32,
    /// Coverage of the question's content terms.
    pub coverage: f32,
}

/// What the engine decided.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    /// Answer with these passages, best first.
    Answer(Vec<Ranked>),
    /// Abstain, with a reason for people.
    Abstain(String),
}

fn section_match(types: &[SectionKind], section: SectionKind) -> f32 {
    match types.iter().position(|t| *t == section) {
        Some(0) => 1.0,
        Some(_) => 0.8,
        None => 0.0,
    }
}

fn coverage(content_terms: &[String], text_terms: &HashSet<String>, idf: &dyn Fn(&str) -> f32) -> f32 {
    let total: f32 = content_terms.iter().map(|t| idf(t)).sum();
    if total <= 0.0 {
        return 0.0;
    }
    let found: f32 = content_terms
        .iter()
        .filter(|t| text_terms.contains(*t))
        .map(|t| idf(t))
        .sum();
    found / total
}

/// How many candidates get the (costlier) coverage evidence.
const RERANK_DEPTH: usize = 30;

/// Ranks candidates and decides whether to answer. `idf` gives a term's inverse document frequency.
pub fn rank(
    analysis: &Analysis,
    candidates: &[Candidate<'_>],
    weights: &RankingWeights,
    idf: &dyn Fn(&str) -> f32,
    limit: usize,
) -> Decision {
    if analysis.safety == Safety::IndividualDosing {
        return Decision::Abstain(
            "This asks for an individual dose or a decision about your own treatment. Kindred never gives \
dosing or personal treatment advice: please ask the clinician who prescribed it, or a pharmacist."
                .to_owned(),
        );
    }
    if candidates.is_empty() {
        return Decision::Abstain(no_support());
    }
    let max_bm25 = candidates.iter().map(|c| c.bm25).fold(0.0f32, f32::max).max(1e-6);
    let mut scored: Vec<(usize, f32)> = candidates
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let score = weights.bm25 * (c.bm25 / max_bm25)
                + weights.focus * c.focus_weight
                + weights.section * section_match(&analysis.types, c.section);
            (i, score)
        })
        .collect();
    scored.sort_by(|a, b| {
        b.1.total_cmp(&a.1)
            .then(candidates[a.0].passage_idx.cmp(&candidates[b.0].passage_idx))
    });
    scored.truncate(RERANK_DEPTH.max(limit));
    let mut ranked: Vec<Ranked> = scored
        .into_iter()
        .map(|(i, score)| {
            let c = &candidates[i];
            let mut text_terms: HashSet<String> = kindred_text::terms(c.text).into_iter().collect();
            text_terms.extend(c.heading.map(kindred_text::terms).unwrap_or_default());
            let cov = coverage(&analysis.content_terms, &text_terms, idf);
            Ranked {
                passage_idx: c.passage_idx,
                score: score + weights.coverage * cov,
                coverage: cov,
            }
        })
        .collect();
    ranked.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.passage_idx.cmp(&b.passage_idx))
    });
    let has_focus = !analysis.focus.is_empty();
    let Some(top) = ranked.first() else {
        return Decision::Abstain(no_support());
    };
    if !has_focus && top.coverage < weights.min_coverage_without_focus {
        return Decision::Abstain(
            "Kindred's library has no passage that speaks to this question, so it does not answer rather than \
guess. Try naming the condition, or browse the conditions A–Z."
                .to_owned(),
        );
    }
    ranked.truncate(limit);
    Decision::Answer(ranked)
}

fn no_support() -> String {
    "Kindred's library has nothing on this question yet, so it does not answer rather than guess.".to_owned()
}

/// The best one or two sentences of a passage for the question: extractive, never rewritten.
pub fn short_answer(analysis: &Analysis, text: &str, idf: &dyn Fn(&str) -> f32) -> String {
    let sentences = kindred_text::sentences(text);
    if sentences.is_empty() {
        return String::new();
    }
    let query: HashSet<&str> = analysis.terms.iter().map(String::as_str).collect();
    let mut best = (0usize, f32::MIN);
    for (sentence_idx, sentence) in sentences.iter().enumerate() {
        let terms: HashSet<String> = kindred_text::terms(sentence).into_iter().collect();
        let mut score: f32 = terms
            .iter()
            .filter(|t| query.contains(t.as_str()))
            .map(|t| idf(t))
            .sum();
        // Earlier sentences state the point; later ones elaborate.
        score -= 0.05 * sentence_idx as f32;
        if sentence.len() < 25 {
            score -= 1.0;
        }
        if score > best.1 {
            best = (sentence_idx, score);
        }
    }
    let mut answer = sentences[best.0].clone();
    // A very short sentence reads better with the one after it.
    if answer.len() < 80
        && let Some(next) = sentences.get(best.0 + 1)
        && answer.len() + next.len() < 320
    {
        answer.push(' ');
        answer.push_str(next);
    }
    answer
}
