//! What the pages and the JSON API show: plain, serialisable views of the library, built on demand.
//!
//! Every statement a view carries has its citation beside it; nothing here writes medical text.

use std::collections::{BTreeMap, HashMap};

use kindred_corpus::Block;
use kindred_library::{ConditionId, Library};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{Error, Kindred, PassageJson};

/// Conditions per page of the A–Z list.
pub const CONDITIONS_PER_PAGE: usize = 60;

/// A link to a condition page.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ConditionLink {
    /// URL slug: `/conditions/{slug}`.
    pub slug: String,
    /// Preferred name.
    pub name: String,
}

/// A condition in a list.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ConditionSummary {
    /// URL slug.
    pub slug: String,
    /// Preferred name.
    pub name: String,
    /// Other names, at most five.
    pub synonyms: Vec<String>,
    /// Documents about it.
    pub n_documents: usize,
    /// Passages with text about it.
    pub n_passages: usize,
}

/// One page of the A–Z list.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ConditionsPage {
    /// The initial shown (`a`…`z`, or `#` for names starting otherwise), or none for all.
    pub letter: Option<String>,
    /// Page number, from 1.
    pub page: usize,
    /// Number of pages.
    pub n_pages: usize,
    /// Conditions matching the letter.
    pub total: usize,
    /// Conditions on this page.
    pub items: Vec<ConditionSummary>,
    /// Initials with how many conditions start with each.
    pub letters: Vec<LetterCount>,
}

/// How many conditions start with an initial.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct LetterCount {
    /// `a`…`z` or `#`.
    pub letter: String,
    /// Conditions.
    pub count: usize,
}

/// Where a statement comes from.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct StatementCitation {
    /// Document id: `/sources/{document}`.
    pub document: String,
    /// Publisher.
    pub publisher: String,
    /// Document title.
    pub title: String,
    /// Where it was published.
    pub url: Option<String>,
    /// Passage id (MedQuAD answer id or `<document>-s<n>`).
    pub passage: String,
    /// Whether this document is a copy of another one cited (it does not count as agreement).
    pub is_copy: bool,
}

/// A statement of a condition page.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct StatementView {
    /// The paragraph, or a list's introduction.
    pub text: Option<String>,
    /// A list's items.
    pub items: Vec<String>,
    /// Every place it was said, first the one shown.
    pub citations: Vec<StatementCitation>,
    /// How many independent sources say it (copies count once).
    pub n_independent: usize,
}

/// A section of a condition page.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct SectionView {
    /// Stable kind (`symptoms`, `treatment`…).
    pub kind: String,
    /// Heading for people.
    pub title: String,
    /// Statements, most widely agreed first.
    pub statements: Vec<StatementView>,
}

/// A source used on a condition page, with its last ingest.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct SourceUsed {
    /// Document id.
    pub document: String,
    /// Publisher.
    pub publisher: String,
    /// Title.
    pub title: String,
    /// URL.
    pub url: Option<String>,
    /// Licence.
    pub licence: String,
    /// The ingested source it came with.
    pub source: String,
    /// When that source was last ingested (RFC 3339).
    pub ingested_at: String,
    /// Whether it is a copy of another document.
    pub is_copy: bool,
}

/// A condition page: the merged article across every source.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ConditionView {
    /// URL slug.
    pub slug: String,
    /// Preferred name.
    pub name: String,
    /// Other names.
    pub synonyms: Vec<String>,
    /// UMLS concept ids given by the sources.
    pub cuis: Vec<String>,
    /// Broader conditions.
    pub broader: Vec<ConditionLink>,
    /// Subtypes and related narrower conditions.
    pub narrower: Vec<ConditionLink>,
    /// The merged article.
    pub sections: Vec<SectionView>,
    /// Documents cited.
    pub sources: Vec<SourceUsed>,
}

/// A block of a source document.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct BlockView {
    /// `paragraph`, `list` or `incomplete` (a list intro whose items were lost in scraping).
    pub kind: String,
    /// Paragraph text or list intro.
    pub text: Option<String>,
    /// List items.
    pub items: Vec<String>,
}

/// A section of a source document.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct SourceSectionView {
    /// Section kind.
    pub kind: String,
    /// Heading as published, or MedQuAD's question.
    pub heading: Option<String>,
    /// MedQuAD answer id.
    pub answer_id: Option<String>,
    /// Blocks.
    pub blocks: Vec<BlockView>,
}

/// A cleaned source document with its provenance and what cleaning removed.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct SourceView {
    /// Document id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Publisher.
    pub publisher: String,
    /// URL.
    pub url: Option<String>,
    /// Licence.
    pub licence: String,
    /// `medquad` or `web`.
    pub collection: String,
    /// The ingested source it came with, and when.
    pub source: String,
    /// When that source was last ingested (RFC 3339).
    pub ingested_at: String,
    /// The file it was read from.
    pub origin: String,
    /// The condition it is about.
    pub condition: Option<ConditionLink>,
    /// Other documents found to be copies of this one (or of which it is a copy).
    pub copies: Vec<String>,
    /// Sections.
    pub sections: Vec<SourceSectionView>,
    /// Lines removed as boilerplate.
    pub removed: Vec<String>,
}

/// Search results: conditions by name, and passages.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct SearchView {
    /// The query.
    pub query: String,
    /// Conditions whose names match.
    pub conditions: Vec<ConditionSummary>,
    /// Passages, best first.
    pub passages: Vec<PassageJson>,
}

/// The heading of a section kind for people (`risk_factors` → "Risk factors"); a kind this version
/// does not know reads as its name with spaces.
pub fn section_title(kind: &str) -> String {
    match kindred_corpus::SectionKind::parse(kind) {
        Some(kind) => kind.title().to_owned(),
        None => {
            let spaced = kind.replace('_', " ");
            let mut chars = spaced.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect(),
                None => spaced,
            }
        }
    }
}

/// How names sort for people: folded, with numbers in numeric order ("Dystonia 2" before
/// "Dystonia 11").
fn sort_key(name: &str) -> String {
    let folded = kindred_text::fold_for_match(name);
    let mut key = String::with_capacity(folded.len() + 8);
    let mut digits = String::new();
    for c in folded.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        if !digits.is_empty() {
            key.push_str(&format!("{digits:0>8}"));
            digits.clear();
        }
        key.push(c);
    }
    key.pop();
    key
}

fn initial(name: &str) -> String {
    match kindred_text::fold_for_match(name).chars().next() {
        Some(c) if c.is_ascii_lowercase() => c.to_string(),
        _ => "#".to_owned(),
    }
}

impl Kindred {
    pub(crate) fn passage_counts(&self) -> &HashMap<u32, usize> {
        self.passage_counts.get_or_init(|| {
            let mut counts = HashMap::new();
            for passage in &self.library().passages {
                if let Some(condition) = passage.condition
                    && passage.copy_of.is_none()
                {
                    *counts.entry(condition.0).or_default() += 1;
                }
            }
            counts
        })
    }

    fn summary(&self, id: ConditionId) -> Option<ConditionSummary> {
        let condition = self.library().catalog.get(id)?;
        Some(ConditionSummary {
            slug: condition.slug.clone(),
            name: condition.name.clone(),
            synonyms: condition.synonyms.iter().take(5).cloned().collect(),
            n_documents: condition.documents.len(),
            n_passages: self.passage_counts().get(&id.0).copied().unwrap_or(0),
        })
    }

    /// A link to a condition.
    pub fn condition_link(&self, id: ConditionId) -> Option<ConditionLink> {
        let condition = self.library().catalog.get(id)?;
        Some(ConditionLink {
            slug: condition.slug.clone(),
            name: condition.name.clone(),
        })
    }

    /// The flagship condition, for the home page.
    pub fn flagship(&self) -> Option<ConditionSummary> {
        self.flagship_id().and_then(|id| self.summary(ConditionId(id)))
    }

    /// One page of the A–Z list of the whole catalog, sorted by name. Conditions the sources name
    /// without giving text are listed too (their pages link the original pages).
    pub fn conditions(&self, letter: Option<&str>, page: usize) -> ConditionsPage {
        let catalog = &self.library().catalog;
        let mut catalog_names: Vec<(String, ConditionId)> = catalog
            .conditions
            .iter()
            .map(|c| (sort_key(&c.name), c.id))
            .collect();
        catalog_names.sort();
        let mut letters: BTreeMap<String, usize> = BTreeMap::new();
        for (folded, _) in &catalog_names {
            *letters.entry(initial(folded)).or_default() += 1;
        }
        // A letter no condition starts with gives an empty list, not the whole catalog: the
        // caller checks the letter's shape.
        let letter = letter.map(str::to_ascii_lowercase);
        let matching: Vec<ConditionId> = catalog_names
            .iter()
            .filter(|(folded, _)| letter.as_ref().is_none_or(|l| &initial(folded) == l))
            .map(|(_, id)| *id)
            .collect();
        let n_pages = matching.len().div_ceil(CONDITIONS_PER_PAGE).max(1);
        let page = page.clamp(1, n_pages);
        let items = matching
            .iter()
            .skip((page - 1) * CONDITIONS_PER_PAGE)
            .take(CONDITIONS_PER_PAGE)
            .filter_map(|&id| self.summary(id))
            .collect();
        ConditionsPage {
            letter,
            page,
            n_pages,
            total: matching.len(),
            items,
            letters: letters
                .into_iter()
                .map(|(letter, count)| LetterCount { letter, count })
                .collect(),
        }
    }

    fn ingested_at(&self, source: &str) -> String {
        self.library()
            .sources
            .iter()
            .find(|s| s.id == source)
            .map(|s| s.ingested_at.clone())
            .unwrap_or_default()
    }

    /// A condition page by slug.
    pub fn condition(&self, slug: &str) -> Option<ConditionView> {
        let library: &Library = self.library();
        let condition = library.catalog.by_slug(slug)?;
        let article = library.article(condition.id);
        let canonical = library.canonical_document();
        let mut used: std::collections::BTreeSet<u32> = std::collections::BTreeSet::new();
        let sections = article
            .sections
            .iter()
            .map(|section| SectionView {
                kind: section.kind.as_str().to_owned(),
                title: section.kind.title().to_owned(),
                statements: section
                    .statements
                    .iter()
                    .map(|statement| {
                        let (text, items) = block_parts(&statement.block);
                        let citations = statement
                            .sources
                            .iter()
                            .filter_map(|source| {
                                let document = library.documents.get(source.document_idx as usize)?;
                                used.insert(source.document_idx);
                                Some(StatementCitation {
                                    document: document.id.0.clone(),
                                    publisher: document.publisher.clone(),
                                    title: document.title.clone(),
                                    url: document.url.clone(),
                                    passage: source.passage.0.clone(),
                                    is_copy: source.is_copy,
                                })
                            })
                            .collect();
                        StatementView {
                            text,
                            items,
                            citations,
                            n_independent: statement.n_independent,
                        }
                    })
                    .collect(),
            })
            .collect();
        // Every document about the condition is listed, cited or not: one whose answers were removed
        // upstream still links the original page.
        used.extend(
            condition
                .documents
                .iter()
                .filter_map(|d| library.documents.iter().position(|info| &info.id == d))
                .map(|i| i as u32),
        );
        let sources = used
            .into_iter()
            .filter_map(|document_idx| {
                let document = library.documents.get(document_idx as usize)?;
                Some(SourceUsed {
                    document: document.id.0.clone(),
                    publisher: document.publisher.clone(),
                    title: document.title.clone(),
                    url: document.url.clone(),
                    licence: document.licence.clone(),
                    source: document.source.clone(),
                    ingested_at: self.ingested_at(&document.source),
                    is_copy: canonical.contains_key(&document_idx),
                })
            })
            .collect();
        let links = |ids: &[ConditionId]| -> Vec<ConditionLink> {
            let mut links: Vec<ConditionLink> =
                ids.iter().filter_map(|&id| self.condition_link(id)).collect();
            links.sort_by_key(|l| kindred_text::fold_for_match(&l.name));
            links
        };
        Some(ConditionView {
            slug: condition.slug.clone(),
            name: condition.name.clone(),
            synonyms: condition.synonyms.clone(),
            cuis: condition.cuis.clone(),
            broader: links(&condition.broader),
            narrower: links(&condition.narrower),
            sections,
            sources,
        })
    }

    /// A cleaned source document by id.
    pub fn source(&self, id: &str) -> Result<Option<SourceView>, Error> {
        let library = self.library();
        let Some(document_idx) = library.documents.iter().position(|d| d.id.0 == id) else {
            return Ok(None);
        };
        let info = &library.documents[document_idx];
        let documents = self.documents()?;
        let Some(document) = documents.get(id) else {
            return Ok(None);
        };
        // Judged answers fill MedQuAD pairs that ship empty: show the text the library holds.
        let passage_text: HashMap<&str, &str> = library
            .passages
            .iter()
            .filter(|p| p.document_idx as usize == document_idx)
            .map(|p| (p.id.0.as_str(), library.text_of(p)))
            .collect();
        let sections = document
            .sections
            .iter()
            .map(|section| {
                let mut blocks: Vec<BlockView> = section.blocks.iter().map(block_view).collect();
                if blocks.is_empty()
                    && let Some(text) = section.answer_id.as_deref().and_then(|id| passage_text.get(id))
                {
                    blocks.push(BlockView {
                        kind: "paragraph".into(),
                        text: Some((*text).to_owned()),
                        items: Vec::new(),
                    });
                }
                SourceSectionView {
                    kind: section.kind.as_str().to_owned(),
                    heading: section.heading.clone().or_else(|| section.question.clone()),
                    answer_id: section.answer_id.clone(),
                    blocks,
                }
            })
            .collect();
        let copies = library
            .copies
            .iter()
            .find(|group| group.iter().any(|d| d.0 == id))
            .map(|group| group.iter().filter(|d| d.0 != id).map(|d| d.0.clone()).collect())
            .unwrap_or_default();
        Ok(Some(SourceView {
            id: info.id.0.clone(),
            title: info.title.clone(),
            publisher: info.publisher.clone(),
            url: info.url.clone(),
            licence: info.licence.clone(),
            collection: info.collection.as_str().to_owned(),
            source: info.source.clone(),
            ingested_at: self.ingested_at(&info.source),
            origin: document.origin.clone(),
            condition: library
                .catalog
                .by_document
                .get(&info.id)
                .and_then(|&c| self.condition_link(c)),
            copies,
            sections,
            removed: document.removed.clone(),
        }))
    }

    /// Conditions whose names match the query, and the best passages.
    pub fn search(&self, query: &str, limit: usize) -> Result<SearchView, Error> {
        let folded = kindred_text::fold_for_match(query);
        let mut conditions: Vec<(usize, ConditionId)> = Vec::new();
        if !folded.is_empty() {
            for condition in &self.library().catalog.conditions {
                let names = std::iter::once(&condition.name).chain(condition.synonyms.iter());
                let best = names
                    .filter_map(|name| {
                        let name = kindred_text::fold_for_match(name);
                        if name == folded {
                            Some(0)
                        } else if name.starts_with(&folded) {
                            Some(1)
                        } else if name.contains(&folded) {
                            Some(2)
                        } else {
                            None
                        }
                    })
                    .min();
                if let Some(rank) = best {
                    conditions.push((rank, condition.id));
                }
            }
        }
        conditions.sort_by_key(|(rank, id)| {
            (
                *rank,
                self.library()
                    .catalog
                    .get(*id)
                    .map(|c| sort_key(&c.name))
                    .unwrap_or_default(),
            )
        });
        let conditions = conditions
            .into_iter()
            .take(limit)
            .filter_map(|(_, id)| self.summary(id))
            .collect();
        let passages = self.search_passages(query, limit)?;
        Ok(SearchView {
            query: query.to_owned(),
            conditions,
            passages,
        })
    }
}

fn block_parts(block: &Block) -> (Option<String>, Vec<String>) {
    match block {
        Block::Paragraph { text } => (Some(text.clone()), Vec::new()),
        Block::List { intro, items } => (intro.clone(), items.clone()),
        Block::Incomplete { text } => (Some(text.clone()), Vec::new()),
    }
}

fn block_view(block: &Block) -> BlockView {
    let (text, items) = block_parts(block);
    let kind = match block {
        Block::Paragraph { .. } => "paragraph",
        Block::List { .. } => "list",
        Block::Incomplete { .. } => "incomplete",
    };
    BlockView {
        kind: kind.to_owned(),
        text,
        items,
    }
}

#[cfg(test)]
mod tests {
    use super::sort_key;

    #[test]
    fn numbers_sort_as_numbers() {
        let mut names = vec![
            "Dystonia 11",
            "Dystonia 2",
            "dystonia 6",
            "Dystonia",
            "Dystonia 1",
        ];
        names.sort_by_key(|n| sort_key(n));
        assert_eq!(
            names,
            vec![
                "Dystonia",
                "Dystonia 1",
                "Dystonia 2",
                "dystonia 6",
                "Dystonia 11"
            ]
        );
    }
}
