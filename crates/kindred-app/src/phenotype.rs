//! The phenotype layer composed with the library: at ingest, HPO concepts enrich the catalog and
//! the phenotype index is bridged to its conditions; when asking, phenotypes a question describes
//! point to the conditions whose pages speak of them. Never a diagnosis: a bridged condition is
//! only a place to look, weighted like a focus.

use std::collections::HashSet;

use kindred_corpus::SectionKind;
use kindred_library::{Catalog, ConditionId, Library, name_key};
use kindred_phenotype::{Annotations, BridgeInput, ConditionInput, Ontology, PhenotypeIndex, PhenotypeMatch};
use serde::Serialize;

/// Evidence (information content × strength, summed) at which a bridged condition counts fully.
const FULL_EVIDENCE: f32 = 4.0;
/// Conditions kept as phenotype foci.
const MAX_FOCI: usize = 5;
/// Bridged conditions weaker than this share of the best are dropped.
const MIN_SHARE: f32 = 0.25;

/// A condition a question's phenotypes point to.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct PhenotypeFocus {
    /// Condition id.
    pub condition: u32,
    /// Focus weight in `0..=1`: the evidence of its phenotypes, specific ones counting more.
    pub weight: f32,
    /// HPO names of the phenotypes that point to it.
    pub phenotypes: Vec<String>,
}

fn condition_inputs(catalog: &Catalog) -> Vec<ConditionInput<'_>> {
    catalog
        .conditions
        .iter()
        .map(|c| ConditionInput {
            id: c.id.0,
            names: std::iter::once(c.name.as_str())
                .chain(c.synonyms.iter().map(String::as_str))
                .collect(),
            cuis: &c.cuis,
        })
        .collect()
}

/// Whether a synonym is worth adding to the catalog for focus recognition: not an abbreviation
/// ("DYT1" stays the sources' business) and not too short to be specific.
fn is_addable_synonym(text: &str) -> bool {
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    let capitals = text.chars().filter(|c| c.is_uppercase()).count();
    letters >= 5 && capitals * 2 <= letters
}

/// Applies HPO concepts to the catalog before it is saved: each condition HPO identifies with a
/// phenotype gains that phenotype's names as synonyms, and a `broader` link to the nearest catalog
/// condition that is one of the phenotype's ancestors (Torticollis → Dystonia), with the matching
/// `narrower`. Returns the number of links added.
pub(crate) fn apply_concepts(catalog: &mut Catalog, ontology: &Ontology) -> usize {
    let identities = kindred_phenotype::identities(ontology, &condition_inputs(catalog));
    let links = kindred_phenotype::concept_links(ontology, &identities);
    for (term, conditions) in identities.iter().enumerate() {
        let term = &ontology.terms[term];
        for &condition in conditions {
            let Some(condition) = catalog.conditions.get_mut(condition as usize) else {
                continue;
            };
            let mut keys: HashSet<String> = std::iter::once(&condition.name)
                .chain(condition.synonyms.iter())
                .map(|n| name_key(n))
                .collect();
            for name in std::iter::once(&term.name).chain(term.synonyms.iter().map(|s| &s.text)) {
                if is_addable_synonym(name) && keys.insert(name_key(name)) {
                    condition.synonyms.push(name.clone());
                }
            }
        }
    }
    let mut added = 0;
    for (narrower, broader) in links {
        let (n, b) = (ConditionId(narrower), ConditionId(broader));
        let Some(condition) = catalog.conditions.get(narrower as usize) else {
            continue;
        };
        if condition.broader.contains(&b) || condition.narrower.contains(&b) {
            continue;
        }
        catalog.conditions[narrower as usize].broader.push(b);
        if let Some(broader) = catalog.conditions.get_mut(broader as usize) {
            broader.narrower.push(n);
        }
        added += 1;
    }
    added
}

/// Builds the phenotype index bridged to the library's conditions. `doc_fraction(stem)` is the
/// share of passages holding the stem (from the search index).
pub(crate) fn build_index(
    library: &Library,
    ontology: &Ontology,
    annotations: &Annotations,
    doc_fraction: &dyn Fn(&str) -> f32,
) -> PhenotypeIndex {
    let conditions = condition_inputs(&library.catalog);
    let identities = kindred_phenotype::identities(ontology, &conditions);
    // A condition's symptom sections; for a condition whose pages have none (a MedlinePlus summary
    // is one overview), its overview, which is where such a page names the symptoms.
    let with_symptoms: HashSet<u32> = library
        .passages
        .iter()
        .filter(|p| p.section == SectionKind::Symptoms)
        .filter_map(|p| Some(p.condition?.0))
        .collect();
    let symptom_passages: Vec<(u32, &str)> = library
        .passages
        .iter()
        .filter(|p| p.copy_of.is_none())
        .filter_map(|p| {
            let condition = p.condition?.0;
            let describes = p.section == SectionKind::Symptoms
                || p.section == SectionKind::Overview && !with_symptoms.contains(&condition);
            describes.then_some((condition, library.text_of(p)))
        })
        .collect();
    PhenotypeIndex::build(
        ontology,
        annotations,
        &identities,
        doc_fraction,
        &BridgeInput {
            conditions,
            symptom_passages,
        },
    )
}

/// The conditions affirmed phenotypes point to, as weighted foci, best first.
pub(crate) fn foci(index: &PhenotypeIndex, matches: &[PhenotypeMatch]) -> Vec<PhenotypeFocus> {
    let bridged = index.conditions(matches);
    let Some(best) = bridged.first().map(|b| b.1) else {
        return Vec::new();
    };
    let confidence = (best / FULL_EVIDENCE).min(1.0);
    bridged
        .into_iter()
        .filter(|(_, score, _)| *score >= MIN_SHARE * best)
        .take(MAX_FOCI)
        .map(|(condition, score, match_idxs)| PhenotypeFocus {
            condition,
            weight: (score / best * confidence).clamp(0.0, 1.0),
            phenotypes: match_idxs.iter().map(|&i| matches[i].name.clone()).collect(),
        })
        .collect()
}
