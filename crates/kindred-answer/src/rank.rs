//! Ranking candidates, choosing a short answer, and deciding to abstain.
//!
//! The score of a passage combines four kinds of evidence, each in `0..=1` before weighting:
//! BM25 relative to the best candidate; whether the passage is about a recognised focus (or a
//! condition related to it); whether its section answers the question's type; and how much of the
//! question's own content (IDF-weighted, focus words excluded) the passage speaks to.

use std::collections::HashSet;

use kindred_corpus::SectionKind;

use crate::analysis::Analysis;

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
    /// Its condition, if any: the passages of one condition make its page.
    pub condition: Option<u32>,
    /// Whether its condition is a rare disease.
    pub rare: bool,
    /// Its section kind.
    pub section: SectionKind,
    /// Its text.
    pub text: &'a str,
    /// Which of the analysis's content terms (bit i for term i, at most 64) occur in its text or
    /// heading.
    pub present: u64,
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
    /// With no focus recognised, the share of coverage that is the whole page's (the union of its
    /// candidate passages) rather than the passage's own.
    pub page_share: f32,
    /// With no focus recognised, what a rare disease's passage loses: a description in everyday
    /// words is a common condition's before a rare one's.
    pub rare_penalty: f32,
}

impl Default for RankingWeights {
    fn default() -> Self {
        RankingWeights {
            bm25: 2.0,
            focus: 1.2,
            section: 0.8,
            coverage: 1.2,
            min_coverage_without_focus: 0.4,
            page_share: 0.5,
            rare_penalty: 0.6,
        }
    }
}

impl RankingWeights {
    /// Reads `KINDRED_RANKING="bm25,focus,section,coverage[,min_coverage_without_focus[,page_share[,rare_penalty]]]"` for tuning
    /// experiments; defaults otherwise.
    pub fn from_env() -> RankingWeights {
        let mut weights = RankingWeights::default();
        if let Ok(spec) = std::env::var("KINDRED_RANKING") {
            let values: Vec<f32> = spec.split(',').filter_map(|v| v.trim().parse().ok()).collect();
            if let [bm25, focus, section, coverage, ..] = values[..] {
                weights = RankingWeights {
                    bm25,
                    focus,
                    section,
                    coverage,
                    ..weights
                };
            }
            for (slot, value) in [
                &mut weights.min_coverage_without_focus,
                &mut weights.page_share,
                &mut weights.rare_penalty,
            ]
            .into_iter()
            .zip(values.iter().skip(4))
            {
                *slot = *value;
            }
        }
        weights
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
    /// How many of the question's content terms the passage or its page has.
    pub terms: u32,
}

/// What the engine decided.
#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
    /// Answer with these passages, best first.
    Answer(Vec<Ranked>),
    /// Abstain, with a reason for people.
    Abstain(String),
}

fn neighbours(a: SectionKind, b: SectionKind) -> bool {
    use SectionKind::*;
    let pair = |x, y| (a == x && b == y) || (a == y && b == x);
    pair(Genetics, Causes)
        || pair(RiskFactors, Causes)
        || pair(Complications, Outlook)
        || pair(Treatment, LivingWith)
        || pair(SideEffects, Treatment)
        || pair(Diagnosis, Symptoms)
}

fn section_match(types: &[SectionKind], section: SectionKind) -> f32 {
    // Every type a question asks counts alike: "symptoms and treatment" wants both. A neighbouring
    // kind answers in part: pages put inheritance under causes, triggers under symptoms.
    if types.contains(&section) {
        1.0
    } else if types.iter().any(|t| neighbours(*t, section)) {
        0.5
    } else {
        0.0
    }
}

/// IDF-weighted share of the content terms whose bits are set in `present`; `term_idf[i]` is the
/// IDF of content term i.
fn coverage(term_idf: &[f32], present: u64) -> f32 {
    let total: f32 = term_idf.iter().sum();
    if total <= 0.0 {
        return 0.0;
    }
    let found: f32 = term_idf
        .iter()
        .enumerate()
        .filter(|(term_idx, _)| present & (1 << term_idx) != 0)
        .map(|(_, idf)| idf)
        .sum();
    found / total
}

/// How many candidates get the (costlier) answer-shape evidence.
const RERANK_DEPTH: usize = 30;

/// Ranks candidates and decides whether to answer. `idf` gives a term's inverse document frequency;
/// `named_focus` says whether the question named a subject the caller accepted as its focus; a
/// description (nothing named, or only symptoms among others described) is ranked without one.
pub fn rank(
    analysis: &Analysis,
    candidates: &[Candidate<'_>],
    weights: &RankingWeights,
    idf: &dyn Fn(&str) -> f32,
    limit: usize,
    named_focus: bool,
) -> Decision {
    // A crisis gets its notice and no passage; a medication decision is not Kindred's to make.
    if let Some(reason) = analysis.safety.abstain_reason() {
        return Decision::Abstain(reason.to_owned());
    }
    if candidates.is_empty() {
        return Decision::Abstain(no_support());
    }
    let max_bm25 = candidates.iter().map(|c| c.bm25).fold(0.0f32, f32::max).max(1e-6);
    let term_idf: Vec<f32> = analysis.content_terms.iter().take(64).map(|t| idf(t)).collect();
    // What a condition's page says is the union of what its passages say: a question describing
    // several symptoms is answered by the page that describes them all, though each passage has
    // only some.
    let mut page_present: std::collections::HashMap<u32, u64> = std::collections::HashMap::new();
    for c in candidates {
        if let Some(condition) = c.condition {
            *page_present.entry(condition).or_default() |= c.present;
        }
    }
    let page_share = if named_focus { 0.0 } else { weights.page_share };
    let rare_penalty = if named_focus { 0.0 } else { weights.rare_penalty };
    let mut ranked: Vec<Ranked> = candidates
        .iter()
        .map(|c| {
            // A passage's own words, and with no subject named, its page's too.
            let page = c
                .condition
                .and_then(|id| page_present.get(&id))
                .filter(|_| page_share > 0.0);
            let (cov, terms) = match page {
                Some(&page) => (
                    (1.0 - page_share) * coverage(&term_idf, c.present)
                        + page_share * coverage(&term_idf, page),
                    (c.present | page).count_ones(),
                ),
                None => (coverage(&term_idf, c.present), c.present.count_ones()),
            };
            let score = weights.bm25 * (c.bm25 / max_bm25)
                + weights.focus * c.focus_weight
                + weights.section * section_match(&analysis.types, c.section)
                + weights.coverage * cov
                - if c.rare { rare_penalty } else { 0.0 };
            Ranked {
                passage_idx: c.passage_idx,
                score,
                coverage: cov,
                terms,
            }
        })
        .collect();
    let by_score = |a: &Ranked, b: &Ranked| {
        b.score
            .total_cmp(&a.score)
            .then(a.passage_idx.cmp(&b.passage_idx))
    };
    ranked.sort_by(by_score);
    // The expected answer shape ("every 3 to 4 months" for "how often") and the asked aspect
    // ("neurologist" for "which specialist") are evidence of their own and the strongest: a passage
    // without an interval cannot say how often. Only a passage about the question's subject earns
    // them: any page says "every 2 weeks" or "medicines".
    let by_idx: std::collections::HashMap<u32, &Candidate<'_>> =
        candidates.iter().map(|c| (c.passage_idx, c)).collect();
    // When the question names its subject, a passage about something else is not on it, however
    // many of the other words it shares ("pills for dystonia" is not a page on diabetes pills).
    // When it names none, a passage is on it only by covering most of what was asked: the assumed
    // context is a tie-breaker, not a subject.
    // Sharing one word of several is incidental ("capital" in "the capital of France").
    let needed_terms = term_idf.len().min(2) as u32;
    let speaks = |ranked: &Ranked| {
        ranked.coverage >= weights.min_coverage_without_focus && ranked.terms >= needed_terms
    };
    let on_subject = |ranked: &Ranked, candidate: &Candidate<'_>| {
        if named_focus {
            candidate.focus_weight > 0.0
        } else {
            speaks(ranked)
        }
    };
    if analysis.shape.is_some() || analysis.aspect.is_some() {
        for ranked in ranked.iter_mut().take(RERANK_DEPTH) {
            let Some(candidate) = by_idx.get(&ranked.passage_idx) else {
                continue;
            };
            if !on_subject(ranked, candidate) {
                continue;
            }
            if analysis.shape.is_some_and(|shape| shape.found_in(candidate.text)) {
                ranked.score += 2.0 * weights.section;
            }
            if analysis
                .aspect
                .is_some_and(|aspect| aspect.found_in(candidate.text))
            {
                ranked.score += 1.5 * weights.section;
            }
        }
        ranked.sort_by(by_score);
    }
    // With no named subject, only a passage that covers most of what was asked can answer: the
    // assumed context or a phenotype's pages do not outrank the passage that speaks to the words.
    if !named_focus {
        ranked.sort_by(|a, b| speaks(b).cmp(&speaks(a)).then(by_score(a, b)));
    }
    let Some(top) = ranked.first() else {
        return Decision::Abstain(no_support());
    };
    if !named_focus && !speaks(top) {
        return Decision::Abstain(
            "Kindred's library has no passage that speaks to this question, so it does not answer rather than \
guess. Try naming the condition, or browse the conditions A–Z."
                .to_owned(),
        );
    }
    // A question about one aspect is answered only by a passage that speaks to it: the overview of
    // dystonia does not say which specialist treats it.
    if let Some(aspect) = analysis.aspect
        && by_idx
            .get(&top.passage_idx)
            .is_some_and(|c| !aspect.found_in(c.text))
    {
        return Decision::Abstain(format!(
            "Kindred's library has no passage that says {} for this question, so it does not answer rather \
than guess. The closest pages are linked.",
            aspect.lacking()
        ));
    }
    // Passages far below the best are noise to a reader: a question about botox shots should not
    // cite a page on anemia because it mentions an injection.
    let floor = top.score * MIN_RELATIVE_SCORE;
    let top_idx = top.passage_idx;
    // Beside the best, a passage must also be on the question's subject: about a condition it
    // names (or the context), or covering most of what it asks.
    ranked.retain(|r| {
        r.passage_idx == top_idx
            || (r.score >= floor && by_idx.get(&r.passage_idx).is_some_and(|c| on_subject(r, c)))
    });
    ranked.truncate(limit);
    Decision::Answer(ranked)
}

/// Share of the best passage's score a passage needs to be cited beside it.
const MIN_RELATIVE_SCORE: f32 = 0.5;

fn no_support() -> String {
    "Kindred's library has nothing on this question yet, so it does not answer rather than guess.".to_owned()
}

/// The best one or two sentences of a passage for the question: extractive, never rewritten.
pub fn short_answer(analysis: &Analysis, text: &str, idf: &dyn Fn(&str) -> f32) -> String {
    // (paragraph, sentence) pairs: a short sentence may borrow the next one, never across paragraphs.
    let sentences: Vec<(usize, String)> = text
        .split("\n\n")
        .enumerate()
        .flat_map(|(paragraph_idx, paragraph)| {
            kindred_text::sentences(paragraph)
                .into_iter()
                .map(move |s| (paragraph_idx, s))
        })
        .collect();
    if sentences.is_empty() {
        return String::new();
    }
    let query: HashSet<&str> = analysis.terms.iter().map(String::as_str).collect();
    let content: HashSet<&str> = analysis.content_terms.iter().map(String::as_str).collect();
    // Sentences of the expected shape come first whatever their words; then by weighted overlap.
    let mut best = (0usize, ((false, false), f32::MIN));
    for (sentence_idx, (_, sentence)) in sentences.iter().enumerate() {
        let terms: HashSet<String> = kindred_text::terms(sentence).into_iter().collect();
        // What the question asks about weighs more than the condition it names: in a passage about
        // dystonia, "painful" picks the sentence, "dystonia" does not.
        let mut score: f32 = terms
            .iter()
            .filter(|t| query.contains(t.as_str()))
            .map(|t| {
                if content.contains(t.as_str()) {
                    idf(t)
                } else {
                    0.3 * idf(t)
                }
            })
            .sum();
        // The expected shape first, then the asked aspect: "which specialist" wants the sentence
        // that names one.
        let shaped = (
            analysis.shape.is_some_and(|shape| shape.found_in(sentence)),
            analysis.aspect.is_some_and(|aspect| aspect.found_in(sentence)),
        );
        // Earlier sentences state the point; later ones elaborate.
        score -= 0.05 * sentence_idx as f32;
        if sentence.len() < 25 {
            score -= 1.0;
        }
        if (shaped, score) > best.1 {
            best = (sentence_idx, (shaped, score));
        }
    }
    let (paragraph_idx, first) = &sentences[best.0];
    let mut answer = first.clone();
    // A very short sentence reads better with the one after it.
    if answer.len() < 80
        && let Some((next_paragraph, next)) = sentences.get(best.0 + 1)
        && next_paragraph == paragraph_idx
        && answer.len() + next.len() < 320
    {
        answer.push(' ');
        answer.push_str(next);
    }
    answer
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::QuestionAnalyzer;

    fn candidate(passage_idx: u32, condition: u32, rare: bool, present: u64) -> Candidate<'static> {
        Candidate {
            passage_idx,
            bm25: 1.0,
            focus_weight: 0.0,
            condition: Some(condition),
            rare,
            section: SectionKind::Overview,
            text: "",
            present,
        }
    }

    /// The passage that answers a question naming no condition, if any.
    fn top_unnamed(analysis: &Analysis, candidates: &[Candidate<'_>]) -> Option<u32> {
        match rank(
            analysis,
            candidates,
            &RankingWeights::default(),
            &|_| 1.0,
            3,
            false,
        ) {
            Decision::Answer(ranked) => ranked.first().map(|r| r.passage_idx),
            Decision::Abstain(_) => None,
        }
    }

    #[test]
    fn a_description_is_answered_by_the_page_that_describes_all_of_it() {
        let analysis = QuestionAnalyzer::new([("Dystonia", 0, true)])
            .analyze("ankles swollen, breath short, tired legs", &|_| false);
        assert_eq!(analysis.content_terms.len(), 6, "{:?}", analysis.content_terms);
        // Passage 1 alone has half the words; passage 2's page (with passage 3) has them all.
        let candidates = [
            candidate(1, 10, false, 0b000111),
            candidate(2, 20, false, 0b000111),
            candidate(3, 20, false, 0b111000),
        ];
        assert_eq!(top_unnamed(&analysis, &candidates), Some(2));
    }

    #[test]
    fn a_description_is_a_common_conditions_before_a_rare_ones() {
        let analysis =
            QuestionAnalyzer::new([("Dystonia", 0, true)]).analyze("ankles swollen by evening", &|_| false);
        let candidates = [candidate(1, 10, true, 0b111), candidate(2, 20, false, 0b111)];
        assert_eq!(top_unnamed(&analysis, &candidates), Some(2));
    }

    #[test]
    fn one_shared_word_of_several_is_no_answer() {
        let analysis = QuestionAnalyzer::new([("Dystonia", 0, true)])
            .analyze("what is the capital of France?", &|_| false);
        assert_eq!(analysis.content_terms.len(), 2, "{:?}", analysis.content_terms);
        // Half the question's weight, but one word of two.
        let candidates = [candidate(1, 10, false, 0b01), candidate(2, 20, false, 0b10)];
        assert_eq!(top_unnamed(&analysis, &candidates), None);
    }

    #[test]
    fn short_answer_prefers_expected_shape() {
        let analyzer = QuestionAnalyzer::new([("Botox", 0, true)]);
        let analysis = analyzer.analyze("how often do I need botox shots?", &|_| false);
        let text = "To manage dystonia, your healthcare professional might recommend a combination of medicines.\n\nInjections of botulinum toxin (Botox, Dysport, others) into specific muscles might reduce or stop your muscle spasms. Injections usually are repeated every 3 to 4 months.\n\nSide effects are generally mild.";
        assert_eq!(
            short_answer(&analysis, text, &|_| 2.0),
            "Injections usually are repeated every 3 to 4 months."
        );
    }
}
