//! Asking: a question meets the library and the index.

use std::collections::HashMap;
use std::path::Path;

use kindred_answer::{Analysis, Candidate, Decision, QuestionAnalyzer, RankingWeights};
use kindred_index::{FieldWeights, SearchIndex};
use kindred_library::{Library, LibraryStore};
use serde::Serialize;

use crate::{Error, FLAGSHIP};

/// Field weights for Kindred's own retrieval: the question a passage answers and its condition's names
/// count beside its text.
const RETRIEVAL_WEIGHTS: FieldWeights = FieldWeights {
    text: 1.0,
    question: 0.6,
    names: 0.8,
};
/// Candidates taken from the whole library.
const GLOBAL_CANDIDATES: usize = 100;
/// Candidates taken from the focus conditions' passages.
const FOCUS_CANDIDATES: usize = 400;
/// Focus weight of a recognised condition's broader or narrower relatives.
const RELATED_WEIGHT: f32 = 0.35;
/// Focus weight of the flagship condition when the question names none.
const CONTEXT_WEIGHT: f32 = 0.4;

/// A citation: where a passage comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CitationJson {
    /// `medquad` or `web`.
    pub collection: String,
    /// Publisher.
    pub source: String,
    /// Document title.
    pub title: String,
    /// Where it was published.
    pub url: Option<String>,
    /// Section kind.
    pub section: String,
    /// Document id.
    pub document: String,
}

/// One cited passage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PassageJson {
    /// MedQuAD answer id, or a stable passage id.
    pub id: String,
    /// The passage text.
    pub text: String,
    /// Ranking score.
    pub score: f32,
    /// Where it comes from.
    pub citation: CitationJson,
}

/// What Kindred understood.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnalysisJson {
    /// Conditions recognised in the question.
    pub focus: Vec<String>,
    /// Question types.
    pub types: Vec<String>,
    /// The condition assumed when the question names none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
}

/// The answer to one question, in the JSON contract of `kindred ask --json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnswerJson {
    /// The question as asked.
    pub question: String,
    /// What was understood.
    pub analysis: AnalysisJson,
    /// Emergency or crisis wording, shown before anything else.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub safety_notice: Option<String>,
    /// Whether Kindred declined to answer.
    pub abstained: bool,
    /// Why, when it did.
    pub reason: Option<String>,
    /// The best sentences of the top passage, verbatim.
    pub short_answer: Option<String>,
    /// Cited passages, best first.
    pub answers: Vec<PassageJson>,
    /// The "not a substitute for professional advice" notice.
    pub disclaimer: &'static str,
}

/// An open library, ready to answer.
pub struct Kindred {
    library: Library,
    index: SearchIndex,
    analyzer: QuestionAnalyzer,
    flagship: Option<u32>,
    weights: RankingWeights,
}

impl Kindred {
    /// Opens the live library of `data_dir`; `None` when no library was built yet.
    pub fn open(data_dir: &Path) -> Result<Option<Kindred>, Error> {
        let store = LibraryStore::new(data_dir);
        let Some(generation) = store.current()? else {
            return Ok(None);
        };
        let library = generation.load_library()?;
        let index = SearchIndex::open(&generation.index_dir())?;
        let analyzer = QuestionAnalyzer::new(library.catalog.names().map(|(name, id)| (name, id.0)));
        let flagship = library.catalog.by_slug(FLAGSHIP).map(|c| c.id.0);
        Ok(Some(Kindred {
            library,
            index,
            analyzer,
            flagship,
            weights: RankingWeights::default(),
        }))
    }

    /// The library behind it.
    pub fn library(&self) -> &Library {
        &self.library
    }

    fn idf(&self, term: &str) -> f32 {
        let (freq, n) = self.index.text_doc_freq(term);
        let (freq, n) = (freq as f32, n.max(1) as f32);
        (1.0 + (n - freq + 0.5) / (freq + 0.5)).ln()
    }

    /// Analyses a question.
    pub fn analyze(&self, question: &str) -> Analysis {
        let known = |word: &str| self.index.text_doc_freq(&kindred_text::stem(word)).0 >= 3;
        self.analyzer.analyze(question, &known)
    }

    /// Focus weights per condition for an analysis: recognised conditions, their relatives, or the
    /// flagship as context when none was recognised.
    fn focus_weights(&self, analysis: &Analysis) -> (HashMap<u32, f32>, Option<u32>) {
        let mut weights: HashMap<u32, f32> = HashMap::new();
        let best_words = analysis.focus.first().map(|f| f.n_words).unwrap_or(0);
        for found in &analysis.focus {
            let weight = if found.n_words == best_words { 1.0 } else { 0.7 };
            let entry = weights.entry(found.condition).or_default();
            *entry = entry.max(weight);
        }
        let recognised: Vec<u32> = weights.keys().copied().collect();
        for id in recognised {
            if let Some(condition) = self.library.catalog.get(kindred_library::ConditionId(id)) {
                for related in condition.broader.iter().chain(condition.narrower.iter().take(50)) {
                    weights.entry(related.0).or_insert(RELATED_WEIGHT);
                }
            }
        }
        let mut context = None;
        if weights.is_empty()
            && let Some(flagship) = self.flagship
        {
            weights.insert(flagship, CONTEXT_WEIGHT);
            context = Some(flagship);
        }
        (weights, context)
    }

    /// Answers one question with up to `limit` cited passages.
    pub fn ask(&self, question: &str, limit: usize) -> Result<AnswerJson, Error> {
        let analysis = self.analyze(question);
        let (focus_weights, context) = self.focus_weights(&analysis);
        let mut bm25: HashMap<u32, f32> = HashMap::new();
        for hit in self
            .index
            .search(&analysis.terms, RETRIEVAL_WEIGHTS, None, GLOBAL_CANDIDATES)?
        {
            bm25.insert(hit.passage_idx, hit.score);
        }
        if !focus_weights.is_empty() {
            let mut conditions: Vec<u32> = focus_weights.keys().copied().collect();
            conditions.sort_unstable();
            for hit in self.index.search(
                &analysis.terms,
                RETRIEVAL_WEIGHTS,
                Some(&conditions),
                FOCUS_CANDIDATES,
            )? {
                let entry = bm25.entry(hit.passage_idx).or_default();
                *entry = entry.max(hit.score);
            }
        }
        let mut candidates: Vec<Candidate<'_>> = bm25
            .into_iter()
            .filter_map(|(passage_idx, score)| {
                let passage = self.library.passages.get(passage_idx as usize)?;
                if passage.copy_of.is_some() {
                    return None;
                }
                let focus_weight = passage
                    .condition
                    .and_then(|c| focus_weights.get(&c.0))
                    .copied()
                    .unwrap_or(0.0);
                Some(Candidate {
                    passage_idx,
                    bm25: score,
                    focus_weight,
                    section: passage.section,
                    text: &passage.text,
                    heading: passage.heading.as_deref(),
                })
            })
            .collect();
        candidates.sort_by_key(|c| c.passage_idx);
        let idf = |term: &str| self.idf(term);
        let decision = kindred_answer::rank(&analysis, &candidates, &self.weights, &idf, limit);
        Ok(self.to_json(&analysis, context, decision, &idf))
    }

    /// Plain BM25 over passage text and question, no analysis, no abstention: the baseline.
    pub fn ask_baseline(&self, question: &str, limit: usize) -> Result<Vec<String>, Error> {
        let terms = kindred_text::terms(question);
        let hits = self.index.search(&terms, FieldWeights::PLAIN, None, limit)?;
        Ok(hits
            .into_iter()
            .filter_map(|h| {
                self.library
                    .passages
                    .get(h.passage_idx as usize)
                    .map(|p| p.id.0.clone())
            })
            .collect())
    }

    fn to_json(
        &self,
        analysis: &Analysis,
        context: Option<u32>,
        decision: Decision,
        idf: &dyn Fn(&str) -> f32,
    ) -> AnswerJson {
        let condition_name = |id: u32| {
            self.library
                .catalog
                .get(kindred_library::ConditionId(id))
                .map(|c| c.name.clone())
                .unwrap_or_default()
        };
        let mut focus: Vec<String> = Vec::new();
        for found in &analysis.focus {
            let name = condition_name(found.condition);
            if !focus.contains(&name) {
                focus.push(name);
            }
        }
        let analysis_json = AnalysisJson {
            focus,
            types: analysis.types.iter().map(|t| t.as_str().to_owned()).collect(),
            context: context.map(condition_name),
        };
        let safety_notice = analysis.safety.notice().map(str::to_owned);
        match decision {
            Decision::Abstain(reason) => AnswerJson {
                question: analysis.question.clone(),
                analysis: analysis_json,
                safety_notice,
                abstained: true,
                reason: Some(reason),
                short_answer: None,
                answers: Vec::new(),
                disclaimer: kindred_answer::DISCLAIMER,
            },
            Decision::Answer(ranked) => {
                let answers: Vec<PassageJson> = ranked
                    .iter()
                    .filter_map(|r| {
                        let passage = self.library.passages.get(r.passage_idx as usize)?;
                        let document = self.library.document_of(passage)?;
                        Some(PassageJson {
                            id: passage.id.0.clone(),
                            text: passage.text.clone(),
                            score: (r.score * 1000.0).round() / 1000.0,
                            citation: CitationJson {
                                collection: document.collection.as_str().to_owned(),
                                source: document.publisher.clone(),
                                title: document.title.clone(),
                                url: document.url.clone(),
                                section: passage.section.as_str().to_owned(),
                                document: document.id.0.clone(),
                            },
                        })
                    })
                    .collect();
                let short_answer = answers
                    .first()
                    .map(|top| kindred_answer::short_answer(analysis, &top.text, idf));
                AnswerJson {
                    question: analysis.question.clone(),
                    analysis: analysis_json,
                    safety_notice,
                    abstained: false,
                    reason: None,
                    short_answer,
                    answers,
                    disclaimer: kindred_answer::DISCLAIMER,
                }
            }
        }
    }
}
