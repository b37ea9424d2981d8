//! Phenotypes from the Human Phenotype Ontology (HPO): what patients describe without naming a
//! condition ("my neck keeps pulling to the left"), recognised in a question and bridged to the
//! catalog's conditions.
//!
//! ```text
//! hp.obo ──► Ontology (terms, names, synonyms, definitions, UMLS CUIs, is_a)
//! phenotype.hpoa ──► Annotations (OMIM/ORPHA diseases and their phenotypes) ──► information content
//!                      │
//! both + the caller's conditions and symptom passages ──► PhenotypeIndex (compact, postcard)
//!                                                         ├─ recognize(question) → phenotypes
//!                                                         └─ conditions(matches) → bridged conditions
//! ```
//!
//! Pure: it reads only the readers it is given and writes nothing. It knows no other Kindred crate
//! but `kindred-text`, whose terms (folded, stemmed) it matches on, so a phenotype and a question are
//! tokenised exactly as the index and the answer engine tokenise them. Conditions are plain `u32`
//! ids the caller gives; the library is composed with it in `kindred-app`.

mod annotations;
mod error;
mod index;
mod ontology;
mod recognize;

pub use annotations::{Annotations, Disease, information_content};
pub use error::Error;
pub use index::{BridgeInput, ConditionInput, LinkKind, PhenotypeIndex, TermInfo, concept_links, identities};
pub use ontology::{Ontology, Synonym, Term};
pub use recognize::{MatchSource, PhenotypeMatch};

/// The acknowledgement the HPO licence asks every service using it to show, for a release such as
/// `hp/releases/2025-01-16`.
pub fn acknowledgement(version: &str) -> String {
    format!("This service uses the Human Phenotype Ontology (version {version})")
}
