//! The phenotype index: what recognition and bridging need, built at ingest and stored compact
//! (postcard) beside the library, so `ask` loads it in a few milliseconds.
//!
//! Terms are stored as stem ids into one sorted vocabulary; each name, synonym and definition is a
//! pattern of stem ids, with postings from stem to pattern. A word's being "common" (too ordinary to
//! name a phenotype alone: "cold", "short") is decided at build time from the library's own
//! document frequencies, never from a list.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::recognize::{self, MatchSource, PatternView, PhenotypeMatch};
use crate::{Annotations, Error, Ontology};

/// Bumped whenever the stored shape changes, or the stems it stores do. 2: contractions became
/// stopwords.
const FORMAT_VERSION: u32 = 2;
/// A word in more than this fraction of the library's passages is ordinary: it names no phenotype
/// alone, and counts for nothing in a definition match.
const COMMON_FRACTION: f32 = 0.03;
/// Stems of at least this many letters may match a stem that is one or two letters longer.
const MIN_VARIANT_ROOT: usize = 5;
const MAX_VARIANT_ENDING: usize = 2;
/// Ancestors of a matched phenotype whose identity links also count, and the decay per step.
const ANCESTOR_DEPTH: u32 = 2;
const ANCESTOR_DECAY: f32 = 0.5;
/// Weight of each kind of link between a phenotype and a condition.
const IDENTITY_WEIGHT: f32 = 1.0;
const DISEASE_WEIGHT: f32 = 0.5;
const SYMPTOM_WEIGHT: f32 = 0.35;
/// A condition with more UMLS CUIs than this is a composite ("X with dystonia and cirrhosis"): its
/// CUIs name its parts, not itself.
const MAX_IDENTITY_CUIS: usize = 2;

/// How a phenotype is tied to a condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkKind {
    /// The condition is the phenotype (shared UMLS CUI, or the same name).
    Identity,
    /// A rare disease of `phenotype.hpoa` with this phenotype, matched to the condition by name.
    Disease,
    /// The condition's symptoms passages mention the phenotype.
    Symptom,
}

impl LinkKind {
    fn weight(self) -> f32 {
        match self {
            LinkKind::Identity => IDENTITY_WEIGHT,
            LinkKind::Disease => DISEASE_WEIGHT,
            LinkKind::Symptom => SYMPTOM_WEIGHT,
        }
    }
}

/// A catalog condition as the bridge sees it.
#[derive(Debug, Clone)]
pub struct ConditionInput<'a> {
    /// The caller's id.
    pub id: u32,
    /// Preferred name and synonyms.
    pub names: Vec<&'a str>,
    /// UMLS CUIs.
    pub cuis: &'a [String],
}

/// What the bridge is built from.
#[derive(Debug, Clone, Default)]
pub struct BridgeInput<'a> {
    /// Every condition.
    pub conditions: Vec<ConditionInput<'a>>,
    /// (condition, text) of each passage describing a condition's symptoms.
    pub symptom_passages: Vec<(u32, &'a str)>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct StoredTerm {
    id: String,
    name: String,
    ic: f32,
    parents: Vec<u32>,
    links: Vec<(u32, LinkKind)>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Pattern {
    term: u32,
    source: MatchSource,
    n_words: u8,
    tokens: Vec<u32>,
}

/// A term's stored facts, for display.
#[derive(Debug, Clone, PartialEq)]
pub struct TermInfo<'a> {
    /// `HP:0000473`.
    pub id: &'a str,
    /// Preferred name.
    pub name: &'a str,
    /// Information content.
    pub ic: f32,
}

/// The stored phenotype index.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PhenotypeIndex {
    version: String,
    terms: Vec<StoredTerm>,
    vocab: Vec<String>,
    common: Vec<bool>,
    patterns: Vec<Pattern>,
    postings: Vec<Vec<u32>>,
}

/// The matching key of a name: folded words, each stemmed (the catalog's own key).
pub(crate) fn name_key(name: &str) -> String {
    kindred_text::words(name)
        .iter()
        .map(|w| kindred_text::stem(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Which catalog conditions each term is: same UMLS CUI (unless the condition is a composite) or
/// the same name key as one of the condition's names. Indexed like [`Ontology::terms`].
pub fn identities(ontology: &Ontology, conditions: &[ConditionInput<'_>]) -> Vec<Vec<u32>> {
    let mut by_cui: HashMap<&str, Vec<u32>> = HashMap::new();
    let mut by_key: HashMap<String, Vec<u32>> = HashMap::new();
    for condition in conditions {
        if condition.cuis.len() <= MAX_IDENTITY_CUIS {
            for cui in condition.cuis {
                by_cui.entry(cui.as_str()).or_default().push(condition.id);
            }
        }
        for name in &condition.names {
            let key = name_key(name);
            if !key.is_empty() {
                by_key.entry(key).or_default().push(condition.id);
            }
        }
    }
    ontology
        .terms
        .iter()
        .map(|term| {
            let mut found: BTreeSet<u32> = BTreeSet::new();
            for cui in &term.cuis {
                found.extend(by_cui.get(cui.as_str()).into_iter().flatten());
            }
            for name in std::iter::once(&term.name).chain(term.synonyms.iter().map(|s| &s.text)) {
                found.extend(by_key.get(&name_key(name)).into_iter().flatten());
            }
            found.into_iter().collect()
        })
        .collect()
}

/// Broader links between conditions HPO identifies: each condition that is a phenotype gets the
/// nearest condition that is one of its HPO ancestors ("Torticollis" → "Dystonia"), as
/// (narrower, broader) pairs.
pub fn concept_links(ontology: &Ontology, identities: &[Vec<u32>]) -> Vec<(u32, u32)> {
    let mut links: BTreeSet<(u32, u32)> = BTreeSet::new();
    for (term, conditions) in identities.iter().enumerate() {
        if conditions.is_empty() {
            continue;
        }
        let ancestors = ontology.ancestors(term);
        let Some(nearest) = ancestors.iter().map(|&(_, d)| d).find(|&d| {
            ancestors
                .iter()
                .any(|&(a, ad)| ad == d && identities[a].iter().any(|c| !conditions.contains(c)))
        }) else {
            continue;
        };
        for &(ancestor, depth) in &ancestors {
            if depth != nearest {
                continue;
            }
            for &broader in &identities[ancestor] {
                for &narrower in conditions {
                    if narrower != broader && !conditions.contains(&broader) {
                        links.insert((narrower, broader));
                    }
                }
            }
        }
    }
    links.into_iter().collect()
}

impl PhenotypeIndex {
    /// Builds the index. `doc_fraction(stem)` is the fraction of the library's passages holding a
    /// stem; `identities` comes from [`identities`] over the same conditions as `bridge`.
    pub fn build(
        ontology: &Ontology,
        annotations: &Annotations,
        identities: &[Vec<u32>],
        doc_fraction: &dyn Fn(&str) -> f32,
        bridge: &BridgeInput<'_>,
    ) -> PhenotypeIndex {
        let ic = crate::information_content(ontology, annotations);
        let mut vocab_set: BTreeSet<String> = BTreeSet::new();
        let mut raw_patterns: Vec<(u32, MatchSource, u8, Vec<String>)> = Vec::new();
        let mut add = |term: usize, source: MatchSource, text: &str, raw: &mut Vec<_>| {
            let mut stems: Vec<String> = kindred_text::terms(text);
            let n_words = kindred_text::words(text).len().min(u8::MAX as usize) as u8;
            stems.sort();
            stems.dedup();
            if stems.is_empty() {
                return;
            }
            vocab_set.extend(stems.iter().cloned());
            raw.push((term as u32, source, n_words, stems));
        };
        // Only phenotypic abnormalities are recognised: "left" or "generalized" describe, not name.
        let abnormal = ontology.phenotypic_abnormalities();
        for (idx, term) in ontology.terms.iter().enumerate() {
            if !abnormal[idx] {
                continue;
            }
            add(idx, MatchSource::Name, &term.name, &mut raw_patterns);
            for synonym in &term.synonyms {
                let source = if synonym.layperson {
                    MatchSource::Layperson
                } else {
                    MatchSource::Synonym
                };
                add(idx, source, &synonym.text, &mut raw_patterns);
            }
            if let Some(definition) = &term.definition {
                let first = kindred_text::sentences(definition)
                    .into_iter()
                    .next()
                    .unwrap_or_default();
                add(idx, MatchSource::Definition, &first, &mut raw_patterns);
            }
        }
        // Drop duplicate patterns of one term (a synonym equal to the name after stemming).
        let mut seen: HashSet<(u32, Vec<String>)> = HashSet::new();
        raw_patterns.retain(|(term, source, _, stems)| {
            *source == MatchSource::Definition || seen.insert((*term, stems.clone()))
        });
        let vocab: Vec<String> = vocab_set.into_iter().collect();
        let common: Vec<bool> = vocab.iter().map(|s| doc_fraction(s) > COMMON_FRACTION).collect();
        let vocab_id = |s: &str| {
            vocab
                .binary_search_by(|v| v.as_str().cmp(s))
                .ok()
                .map(|i| i as u32)
        };
        let mut patterns = Vec::with_capacity(raw_patterns.len());
        let mut postings: Vec<Vec<u32>> = vec![Vec::new(); vocab.len()];
        let fractions: Vec<f32> = vocab.iter().map(|s| doc_fraction(s)).collect();
        for (term, source, n_words, stems) in raw_patterns {
            let tokens: Vec<u32> = stems.iter().filter_map(|s| vocab_id(s)).collect();
            // A name needs all its words, so it is found through its rarest one alone; a definition
            // needs some of its specific words, so it is found through each.
            if source == MatchSource::Definition {
                for &t in tokens.iter().filter(|&&t| !common[t as usize]) {
                    postings[t as usize].push(patterns.len() as u32);
                }
            } else if let Some(&rarest) = tokens
                .iter()
                .min_by(|&&a, &&b| fractions[a as usize].total_cmp(&fractions[b as usize]))
            {
                postings[rarest as usize].push(patterns.len() as u32);
            }
            patterns.push(Pattern {
                term,
                source,
                n_words,
                tokens,
            });
        }
        let mut terms: Vec<StoredTerm> = ontology
            .terms
            .iter()
            .enumerate()
            .map(|(idx, term)| StoredTerm {
                id: term.id.clone(),
                name: term.name.clone(),
                ic: ic[idx],
                parents: term.parents.iter().map(|&p| p as u32).collect(),
                links: identities
                    .get(idx)
                    .into_iter()
                    .flatten()
                    .map(|&c| (c, LinkKind::Identity))
                    .collect(),
            })
            .collect();
        let mut index = PhenotypeIndex {
            version: ontology.version.clone(),
            terms: Vec::new(),
            vocab,
            common,
            patterns,
            postings,
        };
        // Rare diseases matched by name to a condition carry their annotated phenotypes to it.
        let mut by_key: HashMap<String, Vec<u32>> = HashMap::new();
        for condition in &bridge.conditions {
            for name in &condition.names {
                by_key.entry(name_key(name)).or_default().push(condition.id);
            }
        }
        for disease in &annotations.diseases {
            for &condition in by_key.get(&name_key(&disease.name)).into_iter().flatten() {
                for &term in &disease.terms {
                    terms[term].links.push((condition, LinkKind::Disease));
                }
            }
        }
        // Phenotypes that symptoms passages name, by the same recogniser questions meet.
        for &(condition, text) in &bridge.symptom_passages {
            for found in index.recognize_with(text, &terms, false) {
                if !found.negated && found.source != MatchSource::Definition {
                    terms[found.term as usize]
                        .links
                        .push((condition, LinkKind::Symptom));
                }
            }
        }
        for term in &mut terms {
            // The strongest link per condition.
            term.links
                .sort_by(|a, b| a.0.cmp(&b.0).then(b.1.weight().total_cmp(&a.1.weight())));
            term.links.dedup_by_key(|l| l.0);
        }
        index.terms = terms;
        index
    }

    /// The HPO release, `hp/releases/2025-01-16`.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// Number of terms.
    pub fn n_terms(&self) -> usize {
        self.terms.len()
    }

    /// A term's stored facts.
    pub fn term(&self, term: u32) -> Option<TermInfo<'_>> {
        self.terms.get(term as usize).map(|t| TermInfo {
            id: &t.id,
            name: &t.name,
            ic: t.ic,
        })
    }

    /// Whether HPO identifies `condition` with `term` (the condition is the phenotype).
    pub fn is_identity(&self, term: u32, condition: u32) -> bool {
        self.terms.get(term as usize).is_some_and(|t| {
            t.links
                .iter()
                .any(|&(c, kind)| c == condition && kind == LinkKind::Identity)
        })
    }

    /// The conditions HPO annotates as rare diseases (OMIM, Orphanet: matched by name to
    /// `phenotype.hpoa`), sorted. A description that names nothing is a common condition's before
    /// a rare one's.
    pub fn rare_conditions(&self) -> Vec<u32> {
        let mut rare: Vec<u32> = self
            .terms
            .iter()
            .flat_map(|t| t.links.iter())
            .filter(|(_, kind)| *kind == LinkKind::Disease)
            .map(|(condition, _)| *condition)
            .collect();
        rare.sort_unstable();
        rare.dedup();
        rare
    }

    /// Serialises the index.
    pub fn to_bytes(&self) -> Result<Vec<u8>, Error> {
        let mut bytes = FORMAT_VERSION.to_le_bytes().to_vec();
        bytes.extend(postcard::to_stdvec(self).map_err(Error::Corrupt)?);
        Ok(bytes)
    }

    /// Reads an index written by [`PhenotypeIndex::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<PhenotypeIndex, Error> {
        let (version, body) = bytes
            .split_at_checked(4)
            .ok_or(Error::Corrupt(postcard::Error::DeserializeUnexpectedEnd))?;
        if version != FORMAT_VERSION.to_le_bytes() {
            return Err(Error::Corrupt(postcard::Error::DeserializeBadEncoding));
        }
        postcard::from_bytes(body).map_err(Error::Corrupt)
    }

    /// The phenotypes a text names or describes, negated ones included (marked), one per term,
    /// strongest evidence first.
    pub fn recognize(&self, text: &str) -> Vec<PhenotypeMatch> {
        self.recognize_with(text, &self.terms, true)
    }

    fn recognize_with(&self, text: &str, terms: &[StoredTerm], definitions_too: bool) -> Vec<PhenotypeMatch> {
        let tokens = recognize::tokenize(text, &|stem| self.variants(stem));
        let mut candidates: Vec<u32> = tokens
            .tokens
            .iter()
            .flat_map(|t| self.postings[t.vocab as usize].iter().copied())
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        let views = candidates.iter().filter_map(|&p| {
            let pattern = self.patterns.get(p as usize)?;
            if !definitions_too && pattern.source == MatchSource::Definition {
                return None;
            }
            Some(PatternView {
                term: pattern.term,
                tokens: &pattern.tokens,
                n_words: pattern.n_words,
                source: pattern.source,
            })
        });
        let is_common = |v: u32| self.common.get(v as usize).copied().unwrap_or(true);
        let mut best: HashMap<u32, PhenotypeMatch> = HashMap::new();
        for (term, source, strength, negated, chosen) in
            recognize::match_patterns(&tokens, views, &is_common, definitions_too)
        {
            let Some(stored) = terms.get(term as usize) else {
                continue;
            };
            let mut positions: Vec<usize> = chosen;
            positions.sort_by_key(|&i| tokens.tokens[i].position);
            let found = PhenotypeMatch {
                term,
                hpo_id: stored.id.clone(),
                name: stored.name.clone(),
                matched: positions.iter().map(|&i| tokens.tokens[i].word.clone()).collect(),
                negated,
                ic: stored.ic,
                source,
                strength,
            };
            let better = |old: &PhenotypeMatch| {
                (!found.negated, found.strength, found.matched.len())
                    > (!old.negated, old.strength, old.matched.len())
            };
            if best.get(&term).is_none_or(better) {
                best.insert(term, found);
            }
        }
        let mut out: Vec<PhenotypeMatch> = best.into_values().collect();
        out.sort_by(|a, b| {
            (b.strength * b.ic)
                .total_cmp(&(a.strength * a.ic))
                .then(a.term.cmp(&b.term))
        });
        out
    }

    /// The vocabulary ids a stem of the text stands for: itself, and the stems it differs from only
    /// by a short ending the stemmer kept ("thirsti" and "thirst", "itchi" and "itch"), when the
    /// shared part is long enough to be one word.
    fn variants(&self, stem: &str) -> Vec<u32> {
        let find = |s: &str| {
            self.vocab
                .binary_search_by(|v| v.as_str().cmp(s))
                .ok()
                .map(|i| i as u32)
        };
        let mut out: Vec<u32> = find(stem).into_iter().collect();
        if stem.len() < MIN_VARIANT_ROOT || !stem.is_ascii() {
            return out;
        }
        for cut in 1..=MAX_VARIANT_ENDING {
            if stem.len() - cut >= MIN_VARIANT_ROOT {
                out.extend(find(&stem[..stem.len() - cut]));
            }
        }
        let start = self.vocab.partition_point(|v| v.as_str() < stem);
        for (offset, longer) in self.vocab[start..].iter().enumerate() {
            if !longer.starts_with(stem) {
                break;
            }
            if longer.len() > stem.len() && longer.len() <= stem.len() + MAX_VARIANT_ENDING {
                out.push((start + offset) as u32);
            }
        }
        out
    }

    /// Conditions the affirmed matches point to, with their evidence: for each match, its term's
    /// links (and, fainter, its near ancestors' identity links), weighted by link kind, evidence
    /// strength and information content; several phenotypes pointing to one condition add up.
    /// Returns (condition, score, indexes of the matches that count), best first.
    pub fn conditions(&self, matches: &[PhenotypeMatch]) -> Vec<(u32, f32, Vec<usize>)> {
        let mut scores: HashMap<u32, (f32, Vec<usize>)> = HashMap::new();
        for (match_idx, found) in matches.iter().enumerate() {
            if found.negated {
                continue;
            }
            let evidence = found.strength * found.ic.max(0.0);
            let mut per_condition: HashMap<u32, f32> = HashMap::new();
            let mut frontier = vec![found.term];
            let mut decay = 1.0;
            for depth in 0..=ANCESTOR_DEPTH {
                let mut next = Vec::new();
                for &term in &frontier {
                    let Some(stored) = self.terms.get(term as usize) else {
                        continue;
                    };
                    for &(condition, kind) in &stored.links {
                        if depth > 0 && kind != LinkKind::Identity {
                            continue;
                        }
                        let score = evidence * kind.weight() * decay;
                        let entry = per_condition.entry(condition).or_default();
                        *entry = entry.max(score);
                    }
                    next.extend(stored.parents.iter().copied());
                }
                frontier = next;
                decay *= ANCESTOR_DECAY;
            }
            for (condition, score) in per_condition {
                let entry = scores.entry(condition).or_default();
                entry.0 += score;
                entry.1.push(match_idx);
            }
        }
        let mut out: Vec<(u32, f32, Vec<usize>)> = scores.into_iter().map(|(c, (s, m))| (c, s, m)).collect();
        out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        out
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    const OBO: &str = "format-version: 1.2
data-version: hp/releases/2025-01-16

[Term]
id: HP:0000001
name: All

[Term]
id: HP:0001332
name: Dystonia
def: \"An abnormally increased muscular tone that causes fixed abnormal postures.\" [x:y]
xref: UMLS:C0013421
is_a: HP:0000001

[Term]
id: HP:0012048
name: Craniofacial dystonia
is_a: HP:0001332

[Term]
id: HP:0000473
name: Torticollis
def: \"Involuntary contractions of the neck musculature resulting in an abnormal posture of the head.\" [x:y]
synonym: \"Cervical dystonia\" EXACT []
synonym: \"Wry neck\" EXACT layperson [x:y]
xref: UMLS:C0040485
is_a: HP:0012048

[Term]
id: HP:0001945
name: Fever
synonym: \"Pyrexia\" EXACT []
is_a: HP:0000001

[Term]
id: HP:0025143
name: Chills
synonym: \"Cold\" EXACT layperson []
is_a: HP:0000001

[Term]
id: HP:0030839
name: Ankle swelling
synonym: \"Swollen ankles\" EXACT layperson []
is_a: HP:0000001

[Term]
id: HP:0001959
name: Polydipsia
synonym: \"Excessive thirst\" EXACT layperson []
is_a: HP:0000001
";

    const HPOA: &str = "database_id\tdisease_name\tqualifier\thpo_id\taspect
OMIM:1\tRare neck disorder\t\tHP:0000473\tP
OMIM:2\tFever syndrome\t\tHP:0001945\tP
OMIM:3\tOther\t\tHP:0030839\tP
";

    /// An index over the sample, with conditions 0 Dystonia, 1 Torticollis (by CUI), 2 Rare neck
    /// disorder (by disease name), 3 Influenza (whose symptoms name fever). "cold" is an ordinary
    /// word of the library.
    fn index() -> (Ontology, PhenotypeIndex) {
        let ontology = Ontology::read_obo(OBO.as_bytes(), Path::new("hp.obo")).unwrap();
        let annotations =
            Annotations::read_hpoa(HPOA.as_bytes(), Path::new("phenotype.hpoa"), &ontology).unwrap();
        let cuis = [
            vec!["C0013421".to_owned()],
            vec!["C0040485".to_owned()],
            vec![],
            vec![],
        ];
        let conditions = vec![
            ConditionInput {
                id: 0,
                names: vec!["Dystonia"],
                cuis: &cuis[0],
            },
            ConditionInput {
                id: 1,
                names: vec!["Spasmodic torticollis"],
                cuis: &cuis[1],
            },
            ConditionInput {
                id: 2,
                names: vec!["Rare neck disorder"],
                cuis: &cuis[2],
            },
            ConditionInput {
                id: 3,
                names: vec!["Influenza"],
                cuis: &cuis[3],
            },
        ];
        let identities = identities(&ontology, &conditions);
        let bridge = BridgeInput {
            conditions,
            symptom_passages: vec![(3, "Symptoms include a high fever and aches.")],
        };
        let doc_fraction = |stem: &str| if stem == "cold" { 0.2 } else { 0.001 };
        let index = PhenotypeIndex::build(&ontology, &annotations, &identities, &doc_fraction, &bridge);
        (ontology, index)
    }

    fn check(text: &str, expect: &[(&str, bool)]) {
        let (_, index) = index();
        let found: Vec<(String, bool)> = index
            .recognize(text)
            .into_iter()
            .filter(|m| m.source != MatchSource::Definition)
            .map(|m| (m.name, m.negated))
            .collect();
        let expect: Vec<(String, bool)> = expect.iter().map(|(n, neg)| (n.to_string(), *neg)).collect();
        assert_eq!(found, expect, "{text}");
    }

    #[test]
    fn recognises_names_and_layperson_synonyms_in_any_order() {
        check("I have a wry neck", &[("Torticollis", false)]);
        check(
            "my ankles are swollen by the evening",
            &[("Ankle swelling", false)],
        );
        check("swollen ankles", &[("Ankle swelling", false)]);
        check(
            "I am always so thirsty, an excessive thirst",
            &[("Polydipsia", false)],
        );
    }

    #[test]
    fn words_far_apart_or_in_other_clauses_do_not_match() {
        check("my neck hurts. The weather is wry", &[]);
        check(
            "the ankles of my son, who plays football every weekend, were swollen",
            &[],
        );
    }

    #[test]
    fn negation_marks_denied_phenotypes() {
        check("no fever", &[("Fever", true)]);
        check("I don't have a fever", &[("Fever", true)]);
        check(
            "without fever but a wry neck",
            &[("Torticollis", false), ("Fever", true)],
        );
        check(
            "I never had a fever but now my neck is wry",
            &[("Torticollis", false), ("Fever", true)],
        );
    }

    #[test]
    fn an_ordinary_word_never_names_a_phenotype_alone() {
        check("I caught a cold", &[]);
        check("I have chills", &[("Chills", false)]);
    }

    #[test]
    fn definitions_are_weaker_evidence() {
        let (_, index) = index();
        let found = index.recognize("involuntary contractions pull my neck musculature");
        let torticollis = found.iter().find(|m| m.name == "Torticollis").unwrap();
        assert_eq!(torticollis.source, MatchSource::Definition);
        assert!(torticollis.strength < 1.0);
    }

    #[test]
    fn bridges_by_cui_disease_name_and_symptom_passages() {
        let (_, index) = index();
        let conditions = |text: &str| -> Vec<u32> {
            index
                .conditions(&index.recognize(text))
                .into_iter()
                .map(|c| c.0)
                .collect()
        };
        // Torticollis is condition 1 by CUI, the rare disease 2 by its annotation, and its ancestor
        // Dystonia (0) fainter.
        assert_eq!(conditions("wry neck"), vec![1, 2, 0]);
        assert_eq!(conditions("a fever"), vec![3]);
        assert!(conditions("no fever").is_empty());
    }

    #[test]
    fn concept_links_go_to_the_nearest_catalog_ancestor() {
        let (ontology, _) = index();
        let cuis = [vec!["C0013421".to_owned()], vec!["C0040485".to_owned()]];
        let conditions = vec![
            ConditionInput {
                id: 0,
                names: vec!["Dystonia"],
                cuis: &cuis[0],
            },
            ConditionInput {
                id: 1,
                names: vec!["Torticollis"],
                cuis: &cuis[1],
            },
        ];
        let identities = identities(&ontology, &conditions);
        assert_eq!(concept_links(&ontology, &identities), vec![(1, 0)]);
    }

    #[test]
    fn round_trips_through_bytes() {
        let (_, index) = index();
        let loaded = PhenotypeIndex::from_bytes(&index.to_bytes().unwrap()).unwrap();
        assert_eq!(loaded.version(), "hp/releases/2025-01-16");
        assert_eq!(loaded.recognize("wry neck")[0].hpo_id, "HP:0000473");
        assert!(PhenotypeIndex::from_bytes(b"xx").is_err());
    }
}
