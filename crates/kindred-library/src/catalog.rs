//! The condition catalog: one entry per condition, merged across sources.
//!
//! Documents are merged when their focus names match after folding and stemming ("Dystonias" from
//! NINDS and "Dystonia" from MedlinePlus), or when one's focus is another's synonym and either the
//! synonym is specific or the two share a UMLS CUI. A shared CUI alone over-merges: MedQuAD annotates
//! "A guide to clinical trials for cancer" with the CUI of cancer. Subtypes are linked as related
//! when a condition's name contains another's: "focal dystonia" and "dopa-responsive dystonia" are
//! related to "dystonia".

use std::collections::{BTreeMap, BTreeSet, HashMap};

use kindred_corpus::{Document, DocumentId};
use serde::{Deserialize, Serialize};

/// A condition's id within one library generation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ConditionId(pub u32);

/// One condition (or drug, test or other focus) of the catalog.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Condition {
    /// Id.
    pub id: ConditionId,
    /// URL slug, unique in the catalog.
    pub slug: String,
    /// Preferred name.
    pub name: String,
    /// Every other name the sources give (focus spellings and synonyms), deduplicated.
    pub synonyms: Vec<String>,
    /// UMLS concept ids.
    pub cuis: Vec<String>,
    /// MedlinePlus category or UMLS semantic group, when given.
    pub category: Option<String>,
    /// Documents about this condition.
    pub documents: Vec<DocumentId>,
    /// Broader conditions whose name this one's contains ("dystonia" for "focal dystonia").
    pub broader: Vec<ConditionId>,
    /// Narrower conditions (subtypes) whose name contains this one's.
    pub narrower: Vec<ConditionId>,
}

/// The whole catalog, with a name index for focus recognition.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Catalog {
    /// Conditions, indexed by `ConditionId.0`.
    pub conditions: Vec<Condition>,
    /// Which condition each document belongs to.
    pub by_document: BTreeMap<DocumentId, ConditionId>,
}

/// The matching key of a name: folded, each word stemmed. "Dystonias" → "dystonia".
pub fn name_key(name: &str) -> String {
    kindred_text::words(name)
        .iter()
        .map(|w| kindred_text::stem(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether a name is an abbreviation: one word, mostly capitals or digits ("GERD", "DYT1").
fn is_abbreviation(name: &str) -> bool {
    !name.contains(' ')
        && name
            .chars()
            .filter(|c| c.is_uppercase() || c.is_ascii_digit())
            .count()
            * 2
            > name.chars().count()
}

/// Whether a synonym is specific enough to merge two documents on: not a short abbreviation, which
/// many unrelated conditions share.
fn is_mergeable_synonym(key: &str) -> bool {
    key.len() >= 6 && key.contains(' ')
}

impl Catalog {
    /// Builds the catalog from every document of the library.
    pub fn build(documents: &[Document]) -> Catalog {
        let n = documents.len();
        let mut parent: Vec<usize> = (0..n).collect();
        fn find(parent: &mut [usize], mut i: usize) -> usize {
            while parent[i] != i {
                parent[i] = parent[parent[i]];
                i = parent[i];
            }
            i
        }
        fn union(parent: &mut [usize], a: usize, b: usize) {
            let (ra, rb) = (find(parent, a), find(parent, b));
            if ra != rb {
                let (low, high) = if ra < rb { (ra, rb) } else { (rb, ra) };
                parent[high] = low;
            }
        }
        let focus_keys: Vec<Option<String>> = documents
            .iter()
            .map(|d| d.focus.as_deref().map(name_key).filter(|k| !k.is_empty()))
            .collect();
        let mut docs_by_focus: HashMap<&str, Vec<usize>> = HashMap::new();
        for (doc_idx, key) in focus_keys.iter().enumerate() {
            if let Some(key) = key {
                let docs = docs_by_focus.entry(key).or_default();
                if let Some(&first) = docs.first() {
                    union(&mut parent, doc_idx, first);
                }
                docs.push(doc_idx);
            }
        }
        // A synonym that is another document's focus merges the two when it is specific, or when
        // the two documents also share a UMLS CUI (then even "DYT1" or "CVID" is safe). A shared CUI
        // alone never merges: MedQuAD gives composite conditions ("hypermanganesemia with dystonia,
        // polycythemia, and cirrhosis") the CUIs of each part. A specific synonym is one of several
        // words; a one-word synonym ("Blepharospasm") needs the CUI, like an abbreviation.
        for (doc_idx, doc) in documents.iter().enumerate() {
            for synonym in &doc.synonyms {
                let key = name_key(synonym);
                let Some(others) = docs_by_focus.get(key.as_str()) else {
                    continue;
                };
                let specific = is_mergeable_synonym(&key);
                // Any document with that focus may be the one sharing a CUI: the answer must not
                // depend on the order documents were read in.
                let partner = others
                    .iter()
                    .copied()
                    .find(|&other| specific || doc.cuis.iter().any(|c| documents[other].cuis.contains(c)));
                if let Some(other) = partner {
                    union(&mut parent, doc_idx, other);
                }
            }
        }
        let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (doc_idx, key) in focus_keys.iter().enumerate() {
            if key.is_some() {
                let root = find(&mut parent, doc_idx);
                groups.entry(root).or_default().push(doc_idx);
            }
        }
        let mut conditions = Vec::with_capacity(groups.len());
        let mut by_document = BTreeMap::new();
        let mut used_slugs: HashMap<String, usize> = HashMap::new();
        for members in groups.values() {
            let id = ConditionId(conditions.len() as u32);
            let mut spelling_counts: BTreeMap<&str, usize> = BTreeMap::new();
            for &doc_idx in members {
                if let Some(focus) = documents[doc_idx].focus.as_deref() {
                    *spelling_counts.entry(focus).or_default() += 1;
                }
            }
            let name = spelling_counts
                .iter()
                // Most documents' spelling; on a tie, a written-out name before an abbreviation
                // ("Gastroesophageal reflux disease", not "GERD"), then the shorter.
                .max_by(|a, b| {
                    a.1.cmp(b.1)
                        .then(is_abbreviation(b.0).cmp(&is_abbreviation(a.0)))
                        .then(b.0.len().cmp(&a.0.len()))
                        .then(b.0.cmp(a.0))
                })
                .map(|(name, _)| (*name).to_owned())
                .unwrap_or_default();
            let mut seen = BTreeSet::from([kindred_text::fold_for_match(&name)]);
            let mut synonyms = Vec::new();
            let mut cuis = Vec::new();
            let mut category = None;
            for &doc_idx in members {
                let doc = &documents[doc_idx];
                for other in doc.focus.iter().chain(doc.synonyms.iter()) {
                    if seen.insert(kindred_text::fold_for_match(other)) {
                        synonyms.push(other.clone());
                    }
                }
                for cui in &doc.cuis {
                    if !cuis.contains(cui) {
                        cuis.push(cui.clone());
                    }
                }
                if category.is_none() {
                    category = doc.category.clone().or_else(|| doc.semantic_group.clone());
                }
                by_document.insert(doc.id.clone(), id);
            }
            let base_slug = kindred_text::slugify(&name);
            let base_slug = if base_slug.is_empty() {
                format!("condition-{}", id.0)
            } else {
                base_slug
            };
            let count = used_slugs.entry(base_slug.clone()).or_default();
            *count += 1;
            let slug = if *count == 1 {
                base_slug
            } else {
                format!("{base_slug}-{count}")
            };
            conditions.push(Condition {
                id,
                slug,
                name,
                synonyms,
                cuis,
                category,
                documents: members.iter().map(|&i| documents[i].id.clone()).collect(),
                broader: Vec::new(),
                narrower: Vec::new(),
            });
        }
        let mut catalog = Catalog {
            conditions,
            by_document,
        };
        catalog.link_related();
        catalog
    }

    /// Links each condition to the conditions whose names its own name contains as a word run.
    fn link_related(&mut self) {
        let mut by_key: HashMap<String, ConditionId> = HashMap::new();
        for condition in &self.conditions {
            by_key.entry(name_key(&condition.name)).or_insert(condition.id);
        }
        let mut links = Vec::new();
        for condition in &self.conditions {
            let key = name_key(&condition.name);
            let words: Vec<&str> = key.split(' ').collect();
            let mut found = BTreeSet::new();
            for start in 0..words.len() {
                for end in start + 1..=words.len() {
                    if end - start == words.len() {
                        continue;
                    }
                    let run = words[start..end].join(" ");
                    if run.len() < 4 {
                        continue;
                    }
                    if let Some(&broader) = by_key.get(&run)
                        && broader != condition.id
                    {
                        found.insert(broader);
                    }
                }
            }
            for broader in found {
                links.push((condition.id, broader));
            }
        }
        for (narrower, broader) in links {
            self.conditions[narrower.0 as usize].broader.push(broader);
            self.conditions[broader.0 as usize].narrower.push(narrower);
        }
    }

    /// A condition by id.
    pub fn get(&self, id: ConditionId) -> Option<&Condition> {
        self.conditions.get(id.0 as usize)
    }

    /// A condition by slug.
    pub fn by_slug(&self, slug: &str) -> Option<&Condition> {
        self.conditions.iter().find(|c| c.slug == slug)
    }

    /// Every (name, condition, is preferred name) triple, for focus recognition.
    pub fn names(&self) -> impl Iterator<Item = (&str, ConditionId, bool)> {
        self.conditions.iter().flat_map(|c| {
            std::iter::once((c.name.as_str(), c.id, true))
                .chain(c.synonyms.iter().map(move |n| (n.as_str(), c.id, false)))
        })
    }
}
