//! A condition's merged article: every statement the library's documents make about it, grouped by
//! section kind, near-paraphrases together, each with its citations and the number of independent
//! sources that say it.
//!
//! A statement is a paragraph or a list of a passage. Two statements are "the same" when one
//! contains most of the other's word 3-shingles, or most of its content terms (a near-paraphrase). Independence is counted by publisher, after mapping
//! every copy to the canonical document of its copy group: seed 000 and seed 003 (one Mayo Clinic
//! article scraped twice) are one source, and so are a GARD page and the GHR page it copies.

use std::collections::{BTreeSet, HashMap};

use kindred_corpus::{Block, SectionKind};
use kindred_text::{Fingerprint, containment, shingle_fingerprint};
use serde::{Deserialize, Serialize};

use crate::{ConditionId, Library, PassageId};

/// Share of the shorter statement's shingles the longer must hold for the two to be one statement.
pub const PARAPHRASE_THRESHOLD: f64 = 0.6;
/// Or: share of the smaller statement's distinct content terms the other must hold, reworded or not.
pub const SHARED_TERMS_THRESHOLD: f64 = 0.75;
/// Statements with fewer distinct content terms are compared by shingles only.
const MIN_TERMS: usize = 6;

fn text_terms(text: &str) -> BTreeSet<String> {
    kindred_text::terms(text).into_iter().collect()
}

/// Whether two statements say the same in other words: most content terms of the smaller are in the
/// larger ("The exact cause of dystonia is unknown" / "The exact cause of dystonia isn't known").
fn same_terms(a: &BTreeSet<String>, b: &BTreeSet<String>) -> bool {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if small.len() < MIN_TERMS {
        return false;
    }
    let shared = small.iter().filter(|t| large.contains(*t)).count();
    shared as f64 / small.len() as f64 >= SHARED_TERMS_THRESHOLD
}

/// Where a statement was said.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatementSource {
    /// Index of the document in [`Library::documents`].
    pub document_idx: u32,
    /// The passage holding it.
    pub passage: PassageId,
    /// Whether this document is a copy of another (it never counts as agreement).
    pub is_copy: bool,
}

/// One statement of the article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Statement {
    /// The block as first said (by the canonical document).
    pub block: Block,
    /// Every place it was said, first the one shown.
    pub sources: Vec<StatementSource>,
    /// How many independent sources say it.
    pub n_independent: usize,
}

/// The statements of one section kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleSection {
    /// Section kind.
    pub kind: SectionKind,
    /// Statements, most widely agreed first.
    pub statements: Vec<Statement>,
}

/// A condition's merged article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// The condition.
    pub condition: ConditionId,
    /// Sections in reading order ([`SectionKind::ALL`]), only those with statements.
    pub sections: Vec<ArticleSection>,
}

struct Candidate {
    kind: SectionKind,
    terms: BTreeSet<String>,
    block: Block,
    print: Fingerprint,
    source: StatementSource,
    independence_key: String,
}

/// Statements found to say the same, while the article is built.
struct Group {
    kind: SectionKind,
    /// Fingerprint and terms of the statement shown (the first said).
    print: Fingerprint,
    terms: BTreeSet<String>,
    statement: Statement,
    /// Publishers (of canonical documents) that say it.
    independence_keys: BTreeSet<String>,
}

impl Library {
    /// For each document, the canonical document of its copy group (itself when it is no copy).
    pub fn canonical_document(&self) -> HashMap<u32, u32> {
        let index: HashMap<&str, u32> = self
            .documents
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.0.as_str(), i as u32))
            .collect();
        let mut canonical = HashMap::new();
        for group in &self.copies {
            let Some(first) = group.first().and_then(|d| index.get(d.0.as_str())) else {
                continue;
            };
            for member in group.iter().skip(1) {
                if let Some(&member_idx) = index.get(member.0.as_str()) {
                    canonical.insert(member_idx, *first);
                }
            }
        }
        canonical
    }

    /// The merged article of a condition.
    pub fn article(&self, condition: ConditionId) -> Article {
        let canonical = self.canonical_document();
        let mut candidates: Vec<Candidate> = Vec::new();
        for passage in self.passages.iter().filter(|p| p.condition == Some(condition)) {
            let document_idx = passage.document_idx;
            let canonical_idx = canonical.get(&document_idx).copied().unwrap_or(document_idx);
            let is_copy = canonical_idx != document_idx || passage.copy_of.is_some();
            let publisher = self
                .documents
                .get(canonical_idx as usize)
                .map(|d| d.publisher.clone())
                .unwrap_or_default();
            let mut blocks = self.blocks_of(passage);
            if blocks.is_empty() {
                blocks.push(Block::Paragraph {
                    text: self.text_of(passage).to_owned(),
                });
            }
            for block in blocks {
                let Some(text) = block.passage_text() else {
                    continue;
                };
                candidates.push(Candidate {
                    kind: passage.section,
                    print: shingle_fingerprint(&text, 3),
                    terms: text_terms(&text),
                    block,
                    source: StatementSource {
                        document_idx,
                        passage: passage.id.clone(),
                        is_copy,
                    },
                    independence_key: publisher.clone(),
                });
            }
        }
        // Originals before copies, so the statement shown is the canonical wording.
        candidates.sort_by_key(|c| (c.kind, c.source.is_copy, c.source.document_idx));
        let mut sections: Vec<ArticleSection> = Vec::new();
        let mut groups: Vec<Group> = Vec::new();
        for candidate in candidates {
            let found = groups.iter_mut().find(|group| {
                group.kind == candidate.kind
                    && (containment(&group.print, &candidate.print) >= PARAPHRASE_THRESHOLD
                        || same_terms(&group.terms, &candidate.terms))
            });
            match found {
                Some(group) => {
                    group.statement.sources.push(candidate.source);
                    group.independence_keys.insert(candidate.independence_key);
                }
                None => groups.push(Group {
                    kind: candidate.kind,
                    print: candidate.print,
                    terms: candidate.terms,
                    statement: Statement {
                        block: candidate.block,
                        sources: vec![candidate.source],
                        n_independent: 0,
                    },
                    independence_keys: BTreeSet::from([candidate.independence_key]),
                }),
            }
        }
        for kind in SectionKind::ALL {
            let mut statements: Vec<(usize, Statement)> = groups
                .iter()
                .enumerate()
                .filter(|(_, group)| group.kind == kind)
                .map(|(order, group)| {
                    let mut statement = group.statement.clone();
                    statement.n_independent = group.independence_keys.len();
                    (order, statement)
                })
                .collect();
            if statements.is_empty() {
                continue;
            }
            statements.sort_by_key(|(order, s)| (std::cmp::Reverse(s.n_independent), *order));
            sections.push(ArticleSection {
                kind,
                statements: statements.into_iter().map(|(_, s)| s).collect(),
            });
        }
        Article { condition, sections }
    }
}
