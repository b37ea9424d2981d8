//! Asking: a question meets the library and the index.

use std::collections::HashMap;
use std::path::Path;

use kindred_answer::{Analysis, Candidate, Decision, QuestionAnalyzer, RankingWeights};
use kindred_index::{FieldWeights, SearchIndex};
use kindred_library::{Library, LibraryStore};
use serde::Serialize;

use crate::{Error, FLAGSHIP};

/// Passages a word must occur in for the library to know it (fewer: a typo or a word it never uses).
const MIN_KNOWN_DOC_FREQ: u64 = 3;

/// Two words a patient wrote apart where the library writes one ("rib cage" → "ribcage", "heart
/// burn" → "heartburn"): joined when both have at least three letters and the library knows the
/// joined word. Everything else is kept as written.
fn join_compounds(question: &str, known: &dyn Fn(&str) -> bool) -> String {
    let plain = |word: &str| word.len() >= 3 && word.chars().all(|c| c.is_ascii_alphabetic());
    let words: Vec<&str> = question.split_whitespace().collect();
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut idx = 0;
    while idx < words.len() {
        let word = words[idx];
        if let Some(next) = words.get(idx + 1) {
            let next_word = next.trim_end_matches(|c: char| c.is_ascii_punctuation());
            if plain(word) && plain(next_word) && known(&format!("{word}{next_word}").to_lowercase()) {
                out.push(format!("{word}{next}"));
                idx += 2;
                continue;
            }
        }
        out.push(word.to_owned());
        idx += 1;
    }
    out.join(" ")
}

/// Field weights for Kindred's own retrieval: the question a passage answers and its condition's names
/// count beside its text.
const RETRIEVAL_WEIGHTS: FieldWeights = FieldWeights {
    text: 1.0,
    question: 0.6,
    names: 0.8,
};
/// Condition pages linked from an answer.
const MAX_CONDITION_LINKS: usize = 5;
/// Query terms kept from a long message.
const MAX_QUERY_TERMS: usize = 24;
/// Candidates taken from the whole library.
const GLOBAL_CANDIDATES: usize = 100;
/// Candidates taken from the focus conditions' passages.
const FOCUS_CANDIDATES: usize = 400;
/// Conditions whose pages are read whole for a question that names none.
const PAGES_READ: usize = 10;
/// Share of their evidence the conditions a question's phenotypes point to keep as foci when it
/// names no condition: a tie-breaker.
const DESCRIBED_PHENOTYPE_WEIGHT: f32 = 0.1;
/// The coverage gate for a description in which HPO recognises a symptom (else the ranking's own,
/// 0.4). On the lay sets 0.25–0.3 answer the same or better; 0.3 is the cautious end.
const PHENOTYPE_MIN_COVERAGE: f32 = 0.3;
/// Content words besides a named symptom that make a report a description of more than it.
const MIN_DESCRIBED_TERMS: usize = 3;
/// Share of its focus weight a named symptom keeps in a description of more than it.
const NAMED_SYMPTOM_WEIGHT: f32 = 0.5;
/// Focus weight of a recognised condition's broader or narrower relatives.
const RELATED_WEIGHT: f32 = 0.35;
/// Below this specificity a recognised name is an ordinary word ("Surgery", "Genes"), not a focus.
const MIN_SPECIFICITY: f32 = 0.25;
/// Weight of a name nested in a longer recognised one.
const NESTED_WEIGHT: f32 = 0.6;
/// IDF at which a name counts as fully specific (a word in about 1 passage in 400).
const SPECIFIC_IDF: f32 = 6.0;
/// Focus weight of the flagship condition when the question names none: Kindred reads such
/// questions ("is there a cure?") as questions about its flagship.
const CONTEXT_WEIGHT: f32 = 1.0;
/// Focus weight of the flagship when the question names something else (a treatment, say).
const BACKGROUND_CONTEXT_WEIGHT: f32 = 0.3;
/// A name whose rarest word is in at least this many passages may be an ordinary word.
const ORDINARY_MIN_PASSAGES: u64 = 50;
/// … and is one when less than this share of those passages is about its condition (or a broader or
/// narrower one): "falls", "burns", "shock", "alcohol" are mostly written about other things.
const ORDINARY_MAX_OWN_SHARE: f32 = 0.1;
/// An ordinary-word name stays a focus only when one of its condition's passages covers this share
/// of what the best passage in the library covers of the question's other words (IDF-weighted).
const ORDINARY_MIN_SUPPORT: f32 = 0.6;
/// The share of its focus weight an unsupported ordinary-word name keeps.
const UNSUPPORTED_WEIGHT: f32 = 0.25;

/// A citation: where a passage comes from.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
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
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
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
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct AnalysisJson {
    /// Conditions recognised in the question.
    pub focus: Vec<String>,
    /// Question types.
    pub types: Vec<String>,
    /// The condition assumed when the question names none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    /// Phenotypes (HPO names) the question describes and does not deny: what was understood, never
    /// a diagnosis.
    pub phenotypes: Vec<String>,
}

/// The answer to one question, in the JSON contract of `kindred ask --json`.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
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
    /// Condition pages to read next: the conditions named, or those closest to the question.
    pub conditions: Vec<crate::ConditionLink>,
    /// What the answer stands in for: a condition the library has no text on, answered from its
    /// broader condition, or a medicine it has no text on.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Official pages outside Kindred for what the library has no text on (a medicine's label):
    /// links, never content.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub see_also: Vec<ExternalLink>,
    /// The "not a substitute for professional advice" notice.
    pub disclaimer: &'static str,
}

/// A page outside Kindred.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ExternalLink {
    /// What it is, e.g. "Clonazepam label at DailyMed".
    pub title: String,
    /// Where.
    pub url: String,
}

/// What the library lacks for a question's named subjects, and where to read instead.
#[derive(Debug, Default)]
struct Gaps {
    notes: Vec<String>,
    see_also: Vec<ExternalLink>,
    /// Every named subject is a medicine the library has no text on.
    only_missing_medicines: bool,
}

/// What the recognised foci mean for ranking and display.
struct FocusWeights {
    /// Focus weight per condition.
    weights: HashMap<u32, f32>,
    /// Recognised conditions, strongest first.
    shown: Vec<u32>,
    /// The flagship, when assumed as context.
    context: Option<u32>,
    /// Phenotypes the question describes (HPO names).
    phenotypes: Vec<String>,
    /// Whether the question names no condition other than symptoms it describes ("a pounding
    /// headache on one side with flashing lights"): it is read as a description.
    described: bool,
}

/// An open library, ready to answer.
pub struct Kindred {
    library: Library,
    index: SearchIndex,
    analyzer: QuestionAnalyzer,
    flagship: Option<u32>,
    weights: RankingWeights,
    generation: kindred_library::Generation,
    /// The phenotype index, when the generation has one.
    phenotypes: Option<kindred_phenotype::PhenotypeIndex>,
    /// Conditions HPO annotates as rare diseases, sorted (computed on first use).
    rare: std::sync::OnceLock<Vec<u32>>,
    /// Passages with text per condition, for lists (computed on first use).
    pub(crate) passage_counts: std::sync::OnceLock<HashMap<u32, usize>>,
    /// Full documents by id, for source pages (loaded on first use: `ask` never needs them).
    documents: std::sync::OnceLock<Result<HashMap<String, kindred_corpus::Document>, String>>,
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
        let analyzer = QuestionAnalyzer::with_recognizer(generation.load_focus()?);
        let flagship = library.catalog.by_slug(FLAGSHIP).map(|c| c.id.0);
        let phenotypes = match generation.load_phenotypes()? {
            // A damaged index is the library's to rebuild, and its error names the file.
            Some(bytes) => Some(
                kindred_phenotype::PhenotypeIndex::from_bytes(&bytes).map_err(|e| match e {
                    kindred_phenotype::Error::Corrupt(source) => kindred_library::Error::Corrupt {
                        path: generation.phenotypes_path(),
                        source,
                    }
                    .into(),
                    other => Error::from(other),
                })?,
            ),
            None => None,
        };
        Ok(Some(Kindred {
            phenotypes,
            library,
            index,
            analyzer,
            flagship,
            weights: RankingWeights::from_env(),
            generation,
            rare: std::sync::OnceLock::new(),
            passage_counts: std::sync::OnceLock::new(),
            documents: std::sync::OnceLock::new(),
        }))
    }

    /// The flagship condition's id, if the catalog has it.
    pub(crate) fn flagship_id(&self) -> Option<u32> {
        self.flagship
    }

    /// Full documents by id, loaded from the generation's sources on first use.
    pub(crate) fn documents(&self) -> Result<&HashMap<String, kindred_corpus::Document>, Error> {
        let loaded = self.documents.get_or_init(|| {
            self.generation
                .load_sources()
                .map(|sources| {
                    sources
                        .into_iter()
                        .flat_map(|s| s.documents)
                        .map(|d| (d.id.0.clone(), d))
                        .collect()
                })
                .map_err(|e| e.to_string())
        });
        loaded
            .as_ref()
            .map_err(|message| Error::DocumentsUnavailable(message.clone()))
    }

    /// Loads everything pages need now rather than on the first request.
    pub fn warm_up(&self) -> Result<(), Error> {
        self.documents()?;
        let _ = self.passage_counts.get();
        Ok(())
    }

    /// Passages for a search box: BM25 with Kindred's field weights, copies left out.
    pub fn search_passages(&self, query: &str, limit: usize) -> Result<Vec<PassageJson>, Error> {
        let terms = self.query_terms(&kindred_text::terms(query));
        let hits = self.index.search(&terms, RETRIEVAL_WEIGHTS, None, limit * 2)?;
        Ok(hits
            .into_iter()
            .filter_map(|hit| {
                let passage = self.library.passages.get(hit.passage_idx as usize)?;
                if passage.copy_of.is_some() {
                    return None;
                }
                self.passage_json(passage, hit.score)
            })
            .take(limit)
            .collect())
    }

    fn passage_json(&self, passage: &kindred_library::Passage, score: f32) -> Option<PassageJson> {
        let document = self.library.document_of(passage)?;
        Some(PassageJson {
            id: passage.id.0.clone(),
            text: self.library.text_of(passage).to_owned(),
            score: (score * 1000.0).round() / 1000.0,
            citation: CitationJson {
                collection: document.collection.as_str().to_owned(),
                source: document.publisher.clone(),
                title: document.title.clone(),
                url: document.url.clone(),
                section: passage.section.as_str().to_owned(),
                document: document.id.0.clone(),
            },
        })
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

    /// The distinct query terms, at most [`MAX_QUERY_TERMS`] of them, rarest first.
    fn query_terms(&self, terms: &[String]) -> Vec<String> {
        let mut unique: Vec<String> = terms.to_vec();
        unique.sort();
        unique.dedup();
        if unique.len() <= MAX_QUERY_TERMS {
            return unique;
        }
        let mut weighted: Vec<(f32, String)> = unique.into_iter().map(|t| (self.idf(&t), t)).collect();
        weighted.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        weighted.truncate(MAX_QUERY_TERMS);
        weighted.into_iter().map(|(_, t)| t).collect()
    }

    /// Analyses a question.
    pub fn analyze(&self, question: &str) -> Analysis {
        let known = |word: &str| self.index.text_doc_freq(&kindred_text::stem(word)).0 >= MIN_KNOWN_DOC_FREQ;
        let question = join_compounds(question, &known);
        self.analyzer.analyze(&question, &known)
    }

    /// How specific a name is, in `0..=1`: the squared IDF of its rarest word relative to a rare word.
    /// "Noonan syndrome" is specific; "Surgery" or "Genetics", which match ordinary words of a
    /// question, are not, and must not steer the ranking as a named condition does.
    fn specificity(&self, name: &str) -> f32 {
        let max_idf = kindred_text::terms(name)
            .iter()
            .map(|t| self.idf(t))
            .fold(0.0f32, f32::max);
        (max_idf / SPECIFIC_IDF).min(1.0).powi(2)
    }

    /// The HPO release the phenotype layer was built from, when the library has one.
    pub fn phenotype_version(&self) -> Option<&str> {
        self.phenotypes.as_ref().map(|p| p.version())
    }

    /// The phenotypes a question describes (negated ones marked).
    pub fn phenotypes(&self, question: &str) -> Vec<kindred_phenotype::PhenotypeMatch> {
        self.phenotypes
            .as_ref()
            .map(|p| p.recognize(question))
            .unwrap_or_default()
    }

    /// Conditions the phenotypes a question describes point to, best first: weighted by the
    /// information content of the matched phenotypes (specific ones count more), several phenotypes
    /// pointing to one condition adding up. Places to look, never a diagnosis.
    pub fn phenotype_foci(&self, question: &str) -> Vec<crate::PhenotypeFocus> {
        let Some(index) = &self.phenotypes else {
            return Vec::new();
        };
        crate::phenotype::foci(index, &index.recognize(question))
    }

    /// Focus weights per condition for an analysis: recognised conditions (scaled by how specific
    /// their names are; nested names count less), their broader and narrower relatives, and the
    /// flagship as context. Also returns the conditions to show as "what we understood", strongest
    /// first, and the context condition when the question named none.
    fn focus_weights(&self, analysis: &Analysis) -> FocusWeights {
        let mut weights: HashMap<u32, f32> = HashMap::new();
        let best_words = analysis.focus.iter().map(|f| f.n_words).max().unwrap_or(0);
        let mut shown: Vec<(u32, f32)> = Vec::new();
        for found in &analysis.focus {
            let length = if found.nested {
                NESTED_WEIGHT
            } else if found.n_words == best_words {
                1.0
            } else {
                0.7
            };
            let specificity = self.specificity(&found.name);
            if specificity < MIN_SPECIFICITY {
                continue;
            }
            let weight = length * specificity;
            let entry = weights.entry(found.condition).or_default();
            *entry = entry.max(weight);
        }
        let mut recognised: Vec<(u32, f32)> = weights.iter().map(|(c, w)| (*c, *w)).collect();
        recognised.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        for &(id, weight) in &recognised {
            shown.push((id, weight));
            if let Some(condition) = self.library.catalog.get(kindred_library::ConditionId(id)) {
                for related in condition.broader.iter().chain(condition.narrower.iter().take(50)) {
                    let entry = weights.entry(related.0).or_default();
                    *entry = entry.max(RELATED_WEIGHT * weight);
                }
            }
        }
        // A question that names no condition, or names only symptoms it describes ("a bulge that
        // grows when I cough"), is read through its phenotypes: the conditions they point to become
        // foci, weighted by their evidence.
        let matches = self.phenotypes(&analysis.question);
        let phenotypes: Vec<String> = matches
            .iter()
            .filter(|m| !m.negated && m.source != kindred_phenotype::MatchSource::Definition)
            .map(|m| m.name.clone())
            .collect();
        let named_symptoms_only = recognised.iter().all(|(id, _)| {
            let index = self.phenotypes.as_ref();
            matches
                .iter()
                .any(|m| !m.negated && index.is_some_and(|index| index.is_identity(m.term, *id)))
        });
        // When the question names nothing, or reports symptoms of which it names some ("I get a
        // pounding headache on one side with flashing lights"), the page that speaks to its words
        // answers it (rank weighs coverage of the question by the passage and its page); the
        // conditions its phenotypes point to only break ties. HPO links rare diseases through
        // their annotations, and a description in everyday words is seldom one: as foci they
        // outranked the common condition whose page says what was written (lay-dev top-1 0.50
        // with them, 0.65 without). "What is edema?" and "can stress make my dystonia worse?" ask
        // about the symptom they name: they are not descriptions. Nor is a report that names the
        // flagship or its relatives (HPO names dystonia, torticollis and blepharospasm as
        // phenotypes): "I was diagnosed with blepharospasm and my eyes…" is about blepharospasm.
        let names_flagship = self.flagship.is_some_and(|flagship| {
            let concept = self.concept_of(flagship);
            recognised.iter().any(|(id, _)| concept.binary_search(id).is_ok())
        });
        let described = recognised.is_empty()
            || named_symptoms_only
                && !names_flagship
                && analysis.content_terms.len() >= MIN_DESCRIBED_TERMS
                && is_report(&analysis.question);
        if named_symptoms_only && let Some(index) = &self.phenotypes {
            let scale = if described {
                DESCRIBED_PHENOTYPE_WEIGHT
            } else {
                1.0
            };
            for focus in crate::phenotype::foci(index, &matches) {
                let weight = scale * focus.weight;
                let entry = weights.entry(focus.condition).or_default();
                *entry = entry.max(weight);
                if let Some(condition) = self
                    .library
                    .catalog
                    .get(kindred_library::ConditionId(focus.condition))
                {
                    for related in &condition.broader {
                        let entry = weights.entry(related.0).or_default();
                        *entry = entry.max(RELATED_WEIGHT * weight);
                    }
                }
            }
        }
        // A question with neither a name nor a symptom ("is there a cure?") is about the flagship;
        // one that describes symptoms leans to it only a little.
        let mut context = None;
        if let Some(flagship) = self.flagship {
            let entry = weights.entry(flagship).or_default();
            if recognised.is_empty() && phenotypes.is_empty() {
                *entry = entry.max(CONTEXT_WEIGHT);
                context = Some(flagship);
            } else {
                *entry = entry.max(BACKGROUND_CONTEXT_WEIGHT);
            }
        }
        // A named symptom is one of the things described, not the subject: its own page competes
        // with the pages that describe the rest.
        if described {
            for (id, weight) in &recognised {
                weights.insert(*id, NAMED_SYMPTOM_WEIGHT * weight);
            }
        }
        FocusWeights {
            weights,
            shown: shown.into_iter().map(|(id, _)| id).collect(),
            context,
            phenotypes,
            described,
        }
    }

    /// Answers one question with up to `limit` cited passages.
    pub fn ask(&self, question: &str, limit: usize) -> Result<AnswerJson, Error> {
        let mut analysis = self.analyze(question);
        let FocusWeights {
            weights: mut focus_weights,
            mut shown,
            mut context,
            mut phenotypes,
            mut described,
        } = self.focus_weights(&analysis);
        // Words of names too ordinary to be a focus stay content the passage must speak to.
        analysis.focus.retain(|f| {
            shown.contains(&f.condition) || f.nested && self.specificity(&f.name) >= MIN_SPECIFICITY
        });
        analysis.content_terms = analysis.content_terms_without_focus();
        // Long messages carry many incidental words; the rarest ones carry the question.
        let query_terms = self.query_terms(&analysis.terms);
        let mut found = self
            .index
            .search(&query_terms, RETRIEVAL_WEIGHTS, None, GLOBAL_CANDIDATES)?;
        // A description is answered by the page that describes it: the pages of the best
        // passages' conditions are read whole, so that rank can see what each page says.
        let described_pages = self.first_conditions(found.iter().map(|h| h.passage_idx), PAGES_READ);
        let pages_read = described;
        let page_conditions: &[u32] = if pages_read { &described_pages } else { &[] };
        if !focus_weights.is_empty() || !page_conditions.is_empty() {
            let conditions = focus_weights.keys().chain(page_conditions).copied().collect();
            found.extend(self.search_pages(&query_terms, conditions)?);
        }
        let mut hits = self.original_hits(found);
        let unsupported = self.unsupported_ordinary_foci(&analysis, &shown, &hits)?;
        if !unsupported.is_empty() {
            // Its words become words a passage must speak to, and its pages count a little.
            let demoted: Vec<(u32, f32)> = unsupported
                .iter()
                .map(|c| {
                    (
                        *c,
                        UNSUPPORTED_WEIGHT * focus_weights.get(c).copied().unwrap_or(0.0),
                    )
                })
                .collect();
            analysis.focus.retain(|f| !unsupported.contains(&f.condition));
            analysis.content_terms = analysis.content_terms_without_focus();
            FocusWeights {
                weights: focus_weights,
                shown,
                context,
                phenotypes,
                described,
            } = self.focus_weights(&analysis);
            for (condition, weight) in demoted {
                let entry = focus_weights.entry(condition).or_default();
                *entry = entry.max(weight);
            }
            // Without the dropped name, the question may have become a description: its pages are
            // read now.
            if described && !pages_read {
                let pages = self.search_pages(&query_terms, described_pages)?;
                hits = self.original_hits(hits.into_iter().chain(pages));
            }
        }
        // Only a description weighs rarity: a question that names its subject, like most, does not
        // pay for the list.
        let rare: &[u32] = if described {
            self.rare.get_or_init(|| {
                self.phenotypes
                    .as_ref()
                    .map(kindred_phenotype::PhenotypeIndex::rare_conditions)
                    .unwrap_or_default()
            })
        } else {
            &[]
        };
        let presence = self.index.term_presence(&hits, &analysis.content_terms)?;
        let candidates: Vec<Candidate<'_>> = hits
            .iter()
            .zip(presence)
            .filter_map(|(hit, present)| {
                let passage = self.library.passages.get(hit.passage_idx as usize)?;
                let focus_weight = passage
                    .condition
                    .and_then(|c| focus_weights.get(&c.0))
                    .copied()
                    .unwrap_or(0.0);
                Some(Candidate {
                    passage_idx: hit.passage_idx,
                    bm25: hit.score,
                    focus_weight,
                    condition: passage.condition.map(|c| c.0),
                    rare: passage
                        .condition
                        .is_some_and(|c| rare.binary_search(&c.0).is_ok()),
                    section: passage.section,
                    text: self.library.text_of(passage),
                    present,
                })
            })
            .collect();
        let mut by_bm25: Vec<&Candidate<'_>> = candidates.iter().collect();
        by_bm25.sort_by(|a, b| b.bm25.total_cmp(&a.bm25).then(a.passage_idx.cmp(&b.passage_idx)));
        let closest = self.first_conditions(by_bm25.iter().map(|c| c.passage_idx), MAX_CONDITION_LINKS);
        let idf = |term: &str| self.idf(term);
        let gaps = self.gaps(&shown);
        let decision = if gaps.only_missing_medicines && analysis.safety == kindred_answer::Safety::Clear {
            // A question about a medicine the library has no text on is not answered from whatever
            // else it mentions in passing.
            Decision::Abstain(
                "Kindred's library has no text on the medicine this question is about, so it does not answer \
rather than guess. Its official pages are linked."
                    .to_owned(),
            )
        } else {
            // A symptom HPO names is evidence that the question is a medical one: its description
            // may be answered on less of its wording ("my knees creak and grind" was left
            // unanswered for a word in no passage), while "who won the football game" still is not.
            let mut weights = self.weights;
            if !phenotypes.is_empty() {
                weights.min_coverage_without_focus =
                    weights.min_coverage_without_focus.min(PHENOTYPE_MIN_COVERAGE);
            }
            kindred_answer::rank(&analysis, &candidates, &weights, &idf, limit, !described)
        };
        if tracing::enabled!(tracing::Level::DEBUG) {
            self.trace_ranking(&analysis, &focus_weights, &decision, &idf);
        }
        let mut answer = self.to_json(&analysis, &shown, context, &closest, decision, &idf);
        answer.notes = gaps.notes;
        answer.see_also = gaps.see_also;
        answer.analysis.phenotypes = phenotypes;
        Ok(answer)
    }

    /// Hits with one entry per passage (its best score), copies left out, in passage order.
    fn original_hits(&self, hits: impl IntoIterator<Item = kindred_index::Hit>) -> Vec<kindred_index::Hit> {
        let mut best: HashMap<u32, kindred_index::Hit> = HashMap::new();
        for hit in hits {
            let entry = best.entry(hit.passage_idx).or_insert(hit);
            entry.score = entry.score.max(hit.score);
        }
        let mut hits: Vec<kindred_index::Hit> = best
            .into_values()
            .filter(|h| {
                self.library
                    .passages
                    .get(h.passage_idx as usize)
                    .is_some_and(|p| p.copy_of.is_none())
            })
            .collect();
        hits.sort_by_key(|h| h.passage_idx);
        hits
    }

    /// The best passages of some conditions' pages for the query.
    fn search_pages(
        &self,
        query_terms: &[String],
        mut conditions: Vec<u32>,
    ) -> Result<Vec<kindred_index::Hit>, Error> {
        conditions.sort_unstable();
        conditions.dedup();
        Ok(self.index.search(
            query_terms,
            RETRIEVAL_WEIGHTS,
            Some(&conditions),
            FOCUS_CANDIDATES,
        )?)
    }

    /// What ranking saw, for `KINDRED_LOG=kindred_app=debug`: content terms with their IDF, the
    /// focus weights by name, and the kept passages' titles, scores and coverage.
    fn trace_ranking(
        &self,
        analysis: &Analysis,
        focus_weights: &HashMap<u32, f32>,
        decision: &Decision,
        idf: &dyn Fn(&str) -> f32,
    ) {
        let terms: Vec<(&str, f32)> = analysis
            .content_terms
            .iter()
            .map(|t| (t.as_str(), idf(t)))
            .collect();
        let foci: Vec<(String, f32)> = focus_weights
            .iter()
            .map(|(c, w)| (self.condition_name(*c), *w))
            .collect();
        let top: Vec<(String, f32, f32)> = match decision {
            Decision::Answer(ranked) => ranked
                .iter()
                .map(|r| {
                    let title = self
                        .library
                        .passages
                        .get(r.passage_idx as usize)
                        .and_then(|p| self.library.document_of(p))
                        .map_or_else(String::new, |d| d.title.clone());
                    (title, r.score, r.coverage)
                })
                .collect(),
            Decision::Abstain(_) => Vec::new(),
        };
        tracing::debug!(?terms, ?foci, ?top, "ranked");
    }

    /// The first `limit` distinct conditions of passages, in their order.
    fn first_conditions(&self, passages: impl Iterator<Item = u32>, limit: usize) -> Vec<u32> {
        let mut conditions: Vec<u32> = Vec::new();
        for passage_idx in passages {
            if conditions.len() == limit {
                break;
            }
            if let Some(condition) = self
                .library
                .passages
                .get(passage_idx as usize)
                .and_then(|p| p.condition)
                && !conditions.contains(&condition.0)
            {
                conditions.push(condition.0);
            }
        }
        conditions
    }

    /// A condition's catalog name ("" for an unknown id).
    fn condition_name(&self, id: u32) -> String {
        self.library
            .catalog
            .get(kindred_library::ConditionId(id))
            .map(|c| c.name.clone())
            .unwrap_or_default()
    }

    /// Whether the library has text on a condition (a passage that is not a copy).
    fn has_text(&self, condition: u32) -> bool {
        self.passage_counts().get(&condition).copied().unwrap_or(0) > 0
    }

    /// Named subjects the library has no text on: a medicine (MedQuAD's MedlinePlus drug answers
    /// were removed upstream) is pointed to its official pages; a condition is answered from its
    /// broader one, and the answer says so.
    fn gaps(&self, shown: &[u32]) -> Gaps {
        let mut gaps = Gaps::default();
        let mut missing_medicines = 0;
        for &id in shown {
            let Some(condition) = self.library.catalog.get(kindred_library::ConditionId(id)) else {
                continue;
            };
            if self.has_text(id) {
                continue;
            }
            let is_medicine = matches!(
                condition.category.as_deref(),
                Some("Drug" | "Herb" | "Supplement")
            );
            if is_medicine {
                missing_medicines += 1;
                gaps.notes.push(format!(
                    "Kindred's library has no text on {}: the drug answers of its sources were removed \
for copyright. Its official label and patient information are linked.",
                    condition.name
                ));
                let query: String = form_urlencoded::byte_serialize(condition.name.as_bytes()).collect();
                gaps.see_also.push(ExternalLink {
                    title: format!("{} label at DailyMed", condition.name),
                    url: format!(
                        "https://dailymed.nlm.nih.gov/dailymed/search.cfm?labeltype=all&query={query}"
                    ),
                });
                if let Some(url) = condition
                    .documents
                    .iter()
                    .find_map(|id| self.library.documents.iter().find(|d| d.id == *id)?.url.clone())
                {
                    gaps.see_also.push(ExternalLink {
                        title: format!("{} at MedlinePlus", condition.name),
                        url,
                    });
                }
            } else if let Some(broader) = condition
                .broader
                .iter()
                .find(|b| self.has_text(b.0))
                .and_then(|b| self.library.catalog.get(*b))
            {
                gaps.notes.push(format!(
                    "Kindred's library has no text of its own on {}; the passages below are about {}, the \
broader condition it belongs to.",
                    condition.name, broader.name
                ));
            }
        }
        gaps.only_missing_medicines = missing_medicines > 0 && missing_medicines == shown.len();
        gaps
    }

    /// A condition with its broader and narrower ones, sorted.
    fn concept_of(&self, condition: u32) -> Vec<u32> {
        let mut concept = vec![condition];
        if let Some(entry) = self.library.catalog.get(kindred_library::ConditionId(condition)) {
            concept.extend(entry.broader.iter().chain(&entry.narrower).map(|c| c.0));
        }
        concept.sort_unstable();
        concept.dedup();
        concept
    }

    /// Whether a recognised name is also an ordinary word: its rarest word is common in the library
    /// and mostly in passages about other conditions. Learnt from the library, not listed by hand.
    fn is_ordinary_name(&self, condition: u32, name_terms: &[String]) -> Result<bool, Error> {
        let Some((df, rarest)) = name_terms
            .iter()
            .map(|t| (self.index.text_doc_freq(t).0, t))
            .min()
        else {
            return Ok(false);
        };
        if df < ORDINARY_MIN_PASSAGES {
            return Ok(false);
        }
        let concept = self.concept_of(condition);
        let own = self
            .index
            .search(
                std::slice::from_ref(rarest),
                FieldWeights::PLAIN,
                Some(&concept),
                df as usize,
            )?
            .iter()
            .filter(|h| h.score > 0.0)
            .count();
        Ok((own as f32) < ORDINARY_MAX_OWN_SHARE * df as f32)
    }

    /// Recognised conditions whose name is an ordinary word ("fall asleep" is not about Falls) and
    /// whose own passages do not speak to the rest of the question: they are not its focus.
    fn unsupported_ordinary_foci(
        &self,
        analysis: &Analysis,
        shown: &[u32],
        hits: &[kindred_index::Hit],
    ) -> Result<Vec<u32>, Error> {
        let mut question_terms = kindred_text::terms(&analysis.question);
        question_terms.sort();
        question_terms.dedup();
        question_terms.truncate(64);
        let mut presence: Option<Vec<u64>> = None;
        let mut unsupported = Vec::new();
        for found in analysis
            .focus
            .iter()
            .filter(|f| !f.nested && shown.contains(&f.condition))
        {
            let name_terms = kindred_text::terms(&found.matched);
            // An acronym ("ED", "MED") names many things; it is expanded only when the expansion
            // fits the question's other words.
            let acronym = found.n_words == 1
                && found.name.len() <= 5
                && found
                    .name
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
            // A one-word other name ("crack" for Cocaine, "snow", "glue" for Cyanoacrylates) is as
            // often an ordinary word, however seldom the library writes it.
            let alias = found.n_words == 1
                && !self
                    .condition_name(found.condition)
                    .eq_ignore_ascii_case(&found.name);
            if unsupported.contains(&found.condition)
                || !acronym && !alias && !self.is_ordinary_name(found.condition, &name_terms)?
            {
                continue;
            }
            let others: Vec<(usize, f32)> = question_terms
                .iter()
                .enumerate()
                .filter(|(_, t)| !name_terms.contains(t))
                .map(|(i, t)| (i, self.idf(t)))
                .collect();
            let total: f32 = others.iter().map(|(_, idf)| idf).sum();
            if total <= 0.0 {
                // The name is the whole question ("what is alcohol?").
                continue;
            }
            let masks = match &presence {
                Some(masks) => masks,
                None => presence.insert(self.index.term_presence(hits, &question_terms)?),
            };
            let coverage = |mask: &u64| {
                others
                    .iter()
                    .filter(|(i, _)| mask & (1 << i) != 0)
                    .map(|(_, idf)| idf)
                    .sum::<f32>()
                    / total
            };
            let best_any = masks.iter().map(coverage).fold(0.0f32, f32::max);
            let concept = self.concept_of(found.condition);
            let best_own = hits
                .iter()
                .zip(masks)
                .filter(|(hit, _)| {
                    self.library
                        .passages
                        .get(hit.passage_idx as usize)
                        .and_then(|p| p.condition)
                        .is_some_and(|c| concept.binary_search(&c.0).is_ok())
                })
                .map(|(_, mask)| coverage(mask))
                .fold(0.0f32, f32::max);
            let support = best_own / best_any.max(f32::EPSILON);
            tracing::debug!(name = %found.name, support, "ordinary-word name");
            if support < ORDINARY_MIN_SUPPORT {
                unsupported.push(found.condition);
            }
        }
        Ok(unsupported)
    }

    /// Plain BM25 over passage text and question, no analysis, no abstention: the baseline.
    fn baseline_passages(
        &self,
        question: &str,
        limit: usize,
    ) -> Result<Vec<&kindred_library::Passage>, Error> {
        let terms = kindred_text::terms(question);
        let hits = self.index.search(&terms, FieldWeights::PLAIN, None, limit)?;
        Ok(hits
            .into_iter()
            .filter_map(|h| self.library.passages.get(h.passage_idx as usize))
            .collect())
    }

    /// The baseline's passage ids, best first (the LiveQA evaluation's baseline).
    pub fn ask_baseline(&self, question: &str, limit: usize) -> Result<Vec<String>, Error> {
        Ok(self
            .baseline_passages(question, limit)?
            .into_iter()
            .map(|p| p.id.0.clone())
            .collect())
    }

    /// The titles of the baseline's passages, best first (the lay evaluation's baseline).
    pub fn baseline_titles(&self, question: &str, limit: usize) -> Result<Vec<String>, Error> {
        Ok(self
            .baseline_passages(question, limit)?
            .into_iter()
            .filter_map(|p| Some(self.library.document_of(p)?.title.clone()))
            .collect())
    }

    fn to_json(
        &self,
        analysis: &Analysis,
        shown: &[u32],
        context: Option<u32>,
        closest: &[u32],
        decision: Decision,
        idf: &dyn Fn(&str) -> f32,
    ) -> AnswerJson {
        let condition_name = |id: u32| self.condition_name(id);
        let mut focus: Vec<String> = Vec::new();
        for &id in shown {
            let name = condition_name(id);
            if !focus.contains(&name) {
                focus.push(name);
            }
        }
        let analysis_json = AnalysisJson {
            focus,
            types: analysis.types.iter().map(|t| t.as_str().to_owned()).collect(),
            context: context.map(condition_name),
            phenotypes: Vec::new(),
        };
        let safety_notice = analysis.safety.notice().map(str::to_owned);
        // Condition pages to read next: what the question named, else what it came closest to. An
        // abstention on a question that named nothing suggests nothing: "the capital of France"
        // is not a question about slipped capital femoral epiphysis.
        let closest = if matches!(decision, Decision::Abstain(_)) && shown.is_empty() {
            &[][..]
        } else {
            closest
        };
        let mut conditions: Vec<crate::ConditionLink> = Vec::new();
        for &id in shown.iter().chain(closest) {
            if let Some(link) = self.condition_link(kindred_library::ConditionId(id))
                && !conditions.contains(&link)
                && conditions.len() < MAX_CONDITION_LINKS
            {
                conditions.push(link);
            }
        }
        // A crisis gets the crisis notice alone: no passage, and no condition page to read next.
        if analysis.safety == kindred_answer::Safety::Crisis {
            conditions.clear();
        }
        match decision {
            Decision::Abstain(reason) => AnswerJson {
                question: analysis.question.clone(),
                analysis: analysis_json,
                safety_notice,
                abstained: true,
                reason: Some(reason),
                short_answer: None,
                answers: Vec::new(),
                conditions,
                notes: Vec::new(),
                see_also: Vec::new(),
                disclaimer: kindred_answer::DISCLAIMER,
            },
            Decision::Answer(ranked) => {
                let answers: Vec<PassageJson> = ranked
                    .iter()
                    .filter_map(|r| {
                        let passage = self.library.passages.get(r.passage_idx as usize)?;
                        self.passage_json(passage, r.score)
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
                    conditions,
                    notes: Vec::new(),
                    see_also: Vec::new(),
                    disclaimer: kindred_answer::DISCLAIMER,
                }
            }
        }
    }
}

/// Whether a message reports on someone ("my heel hurts", "he tugs at his ear") rather than asks
/// about a thing it names ("can stress make my dystonia worse?", "ischemic syncope define?").
fn is_report(message: &str) -> bool {
    const PERSON: &[&str] = &[
        "i", "im", "ive", "id", "me", "my", "myself", "we", "our", "us", "he", "she", "hes", "shes", "his",
        "her", "him", "himself", "herself",
    ];
    const ASKING: &[&str] = &[
        "what", "whats", "how", "why", "when", "where", "which", "who", "can", "could", "is", "are", "does",
        "do", "did", "should", "will", "would", "may", "might", "define",
    ];
    const GREETING: &[&str] = &["hi", "hello", "hey", "dear", "please", "thanks", "thank", "you"];
    let words = kindred_text::words(message);
    words.iter().any(|w| PERSON.contains(&w.as_str()))
        && words
            .iter()
            .find(|w| !GREETING.contains(&w.as_str()))
            .is_some_and(|w| !ASKING.contains(&w.as_str()))
}

#[cfg(test)]
mod tests {
    use super::{is_report, join_compounds};

    #[test]
    fn a_report_on_someone_is_told_from_a_question_about_a_thing() {
        for report in [
            "my heel hurts in the morning",
            "toddler keeps tugging at his ear",
            "I can't fall asleep",
            "She's always thirsty",
        ] {
            assert!(is_report(report), "{report}");
        }
        for question in [
            "ischemic syncope stroke diagnoses define?",
            "NSAIDs and erectile dysfunction",
            "can stress make my dystonia worse?",
            "what should I do about my headaches",
            "Hi, can my daughter take this with her asthma?",
        ] {
            assert!(!is_report(question), "{question}");
        }
    }

    #[test]
    fn words_written_apart_are_joined_only_when_the_library_knows_the_compound() {
        let known = |word: &str| matches!(word, "ribcage" | "heartburn");
        assert_eq!(
            join_compounds("What causes rib cage pain?", &known),
            "What causes ribcage pain?"
        );
        assert_eq!(join_compounds("bad heart burn.", &known), "bad heartburn.");
        // Unknown compounds, short words and digits stay as written.
        assert_eq!(
            join_compounds("it may be my back pain 2 days", &known),
            "it may be my back pain 2 days"
        );
    }
}
