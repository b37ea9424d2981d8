//! Reading `hp.obo` with fastobo: the terms Kindred keeps and their is_a graph.
//!
//! Obsolete terms are dropped; is_a links to them or to unknown ids are dropped with them. Only what
//! recognition and bridging use is kept: name, EXACT and layperson synonyms, definition, UMLS CUIs,
//! parents.

use std::collections::HashMap;
use std::io::BufRead;
use std::path::Path;

use fastobo::ast::{Frame, SynonymScope, TermClause};
use fastobo::parser::Parser;

use crate::Error;

/// The root of the phenotypic-abnormality branch.
const PHENOTYPIC_ABNORMALITY: &str = "HP:0000118";

/// One synonym of a term.
#[derive(Debug, Clone, PartialEq)]
pub struct Synonym {
    /// Its text.
    pub text: String,
    /// Whether HPO marks it as a layperson term ("Wry neck").
    pub layperson: bool,
}

/// One non-obsolete HPO term.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    /// `HP:0000473`.
    pub id: String,
    /// Preferred name.
    pub name: String,
    /// EXACT synonyms and layperson synonyms of any scope.
    pub synonyms: Vec<Synonym>,
    /// Definition text, without its references.
    pub definition: Option<String>,
    /// UMLS CUIs from `xref: UMLS:…`.
    pub cuis: Vec<String>,
    /// is_a parents, as indexes into [`Ontology::terms`].
    pub parents: Vec<usize>,
}

/// The ontology: its release and its terms.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ontology {
    /// The release, `hp/releases/2025-01-16`, from the `data-version` header.
    pub version: String,
    /// Non-obsolete terms, in file order.
    pub terms: Vec<Term>,
    by_id: HashMap<String, usize>,
}

impl Ontology {
    /// Reads an OBO document; `path` names it in errors.
    pub fn read_obo<R: BufRead>(reader: R, path: &Path) -> Result<Ontology, Error> {
        let obo_error = |error: fastobo::error::Error| Error::Obo {
            path: path.to_owned(),
            line: error_line(&error),
            source: Box::new(error),
        };
        let mut version = None;
        let mut terms = Vec::new();
        let mut parent_ids: Vec<Vec<String>> = Vec::new();
        // In file order: the threaded parser otherwise yields frames as its workers finish them,
        // and term indexes (and everything built on them) would differ from run to run.
        let mut parser = fastobo::parser::DefaultParser::new(reader);
        parser.ordered(true);
        for frame in parser {
            match frame.map_err(obo_error)? {
                Frame::Header(header) => {
                    version = header.data_version().ok().map(|v| v.as_str().to_owned());
                }
                Frame::Term(frame) => {
                    let mut term = Term {
                        id: frame.id().as_inner().to_string(),
                        name: String::new(),
                        synonyms: Vec::new(),
                        definition: None,
                        cuis: Vec::new(),
                        parents: Vec::new(),
                    };
                    let mut parents = Vec::new();
                    let mut obsolete = false;
                    for line in frame.clauses() {
                        match line.as_inner() {
                            TermClause::Name(name) => term.name = name.as_str().to_owned(),
                            TermClause::Def(def) => term.definition = Some(def.text().as_str().to_owned()),
                            TermClause::Synonym(synonym) => {
                                let layperson = synonym.ty().is_some_and(|t| t.to_string() == "layperson");
                                if layperson || *synonym.scope() == SynonymScope::Exact {
                                    term.synonyms.push(Synonym {
                                        text: synonym.description().as_str().to_owned(),
                                        layperson,
                                    });
                                }
                            }
                            TermClause::Xref(xref) => {
                                if let Some(id) = xref.id().as_prefixed()
                                    && id.prefix() == "UMLS"
                                {
                                    term.cuis.push(id.local().to_owned());
                                }
                            }
                            TermClause::IsA(parent) => parents.push(parent.to_string()),
                            TermClause::IsObsolete(true) => obsolete = true,
                            _ => {}
                        }
                    }
                    if !obsolete && !term.name.is_empty() {
                        terms.push(term);
                        parent_ids.push(parents);
                    }
                }
                _ => {}
            }
        }
        let version = version.ok_or_else(|| Error::NoVersion {
            path: path.to_owned(),
        })?;
        let by_id: HashMap<String, usize> =
            terms.iter().enumerate().map(|(i, t)| (t.id.clone(), i)).collect();
        for (term, parents) in terms.iter_mut().zip(parent_ids) {
            term.parents = parents.iter().filter_map(|p| by_id.get(p).copied()).collect();
        }
        Ok(Ontology {
            version,
            terms,
            by_id,
        })
    }

    /// A term's index by id (`HP:0000473`).
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// For each term, whether it is a phenotypic abnormality: under `HP:0000118`, not in the
    /// branches of modifiers ("Left", "Generalized"), inheritance, frequency or onset, which name
    /// nothing a person has. An ontology without that root (a test sample) counts every term.
    pub fn phenotypic_abnormalities(&self) -> Vec<bool> {
        let Some(root) = self.index_of(PHENOTYPIC_ABNORMALITY) else {
            return vec![true; self.terms.len()];
        };
        (0..self.terms.len())
            .map(|term| term == root || self.ancestors(term).iter().any(|&(a, _)| a == root))
            .collect()
    }

    /// Every ancestor of a term with its distance (1 for a parent), nearest first, the term excluded.
    pub fn ancestors(&self, term: usize) -> Vec<(usize, u32)> {
        let mut seen: HashMap<usize, u32> = HashMap::new();
        let mut frontier = vec![term];
        let mut depth = 0;
        let mut out = Vec::new();
        while !frontier.is_empty() {
            depth += 1;
            let mut next = Vec::new();
            for t in frontier {
                for &parent in &self.terms[t].parents {
                    if parent != term && !seen.contains_key(&parent) {
                        seen.insert(parent, depth);
                        out.push((parent, depth));
                        next.push(parent);
                    }
                }
            }
            frontier = next;
        }
        out
    }
}

/// The 1-based line of a parser error, 0 when it has none.
fn error_line(error: &fastobo::error::Error) -> usize {
    use fastobo::error::{Error as ObError, SyntaxError};
    use fastobo::syntax::pest::error::LineColLocation;
    match error {
        ObError::SyntaxError {
            error: SyntaxError::ParserError { error },
        } => match error.line_col {
            LineColLocation::Pos((line, _)) | LineColLocation::Span((line, _), _) => line,
        },
        _ => 0,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) const SAMPLE: &str = "format-version: 1.2
data-version: hp/releases/2025-01-16

[Term]
id: HP:0000001
name: All

[Term]
id: HP:0001332
name: Dystonia
def: \"An abnormally increased muscular tone that causes fixed abnormal postures.\" [x:y]
synonym: \"Dystonic movements\" EXACT []
xref: UMLS:C0013421
is_a: HP:0000001

[Term]
id: HP:0000473
name: Torticollis
def: \"Involuntary contractions of the neck musculature resulting in an abnormal posture of the head.\" [x:y]
synonym: \"Cervical dystonia\" EXACT []
synonym: \"Wry neck\" EXACT layperson [x:y]
synonym: \"Twisted neck\" RELATED layperson []
synonym: \"Neck thing\" BROAD []
xref: UMLS:C0040485
is_a: HP:0001332

[Term]
id: HP:9999999
name: Old term
is_obsolete: true
";

    #[test]
    fn only_the_phenotypic_abnormality_branch_counts_when_the_ontology_has_it() {
        let obo = "format-version: 1.2
data-version: hp/releases/2025-01-16

[Term]
id: HP:0000001
name: All

[Term]
id: HP:0000118
name: Phenotypic abnormality
is_a: HP:0000001

[Term]
id: HP:0001332
name: Dystonia
is_a: HP:0000118

[Term]
id: HP:0000473
name: Torticollis
is_a: HP:0001332

[Term]
id: HP:0012823
name: Clinical modifier
is_a: HP:0000001

[Term]
id: HP:0012835
name: Left
is_a: HP:0012823
";
        let ontology = Ontology::read_obo(obo.as_bytes(), Path::new("hp.obo")).unwrap();
        let abnormal = ontology.phenotypic_abnormalities();
        let names: Vec<&str> = ontology
            .terms
            .iter()
            .zip(&abnormal)
            .filter(|(_, a)| **a)
            .map(|(t, _)| t.name.as_str())
            .collect();
        assert_eq!(names, vec!["Phenotypic abnormality", "Dystonia", "Torticollis"]);
        let sample = Ontology::read_obo(SAMPLE.as_bytes(), Path::new("hp.obo")).unwrap();
        assert!(sample.phenotypic_abnormalities().iter().all(|a| *a));
    }

    #[test]
    fn keeps_names_synonyms_cuis_parents_and_drops_obsolete_terms() {
        let ontology = Ontology::read_obo(SAMPLE.as_bytes(), Path::new("hp.obo")).unwrap();
        assert_eq!(ontology.version, "hp/releases/2025-01-16");
        assert_eq!(ontology.terms.len(), 3);
        let torticollis = &ontology.terms[ontology.index_of("HP:0000473").unwrap()];
        assert_eq!(torticollis.cuis, vec!["C0040485"]);
        let synonyms: Vec<(&str, bool)> = torticollis
            .synonyms
            .iter()
            .map(|s| (s.text.as_str(), s.layperson))
            .collect();
        assert_eq!(
            synonyms,
            vec![
                ("Cervical dystonia", false),
                ("Wry neck", true),
                ("Twisted neck", true)
            ]
        );
        assert!(
            torticollis
                .definition
                .as_deref()
                .unwrap()
                .starts_with("Involuntary")
        );
        let ancestors: Vec<(&str, u32)> = ontology
            .ancestors(ontology.index_of("HP:0000473").unwrap())
            .into_iter()
            .map(|(t, d)| (ontology.terms[t].name.as_str(), d))
            .collect();
        assert_eq!(ancestors, vec![("Dystonia", 1), ("All", 2)]);
        assert!(ontology.index_of("HP:9999999").is_none());
    }

    #[test]
    fn a_syntax_error_names_file_and_line() {
        let bad = "format-version: 1.2\ndata-version: x\n\n[Term]\nid: HP:1\nname: A\nnot a clause at all\n";
        let error = Ontology::read_obo(bad.as_bytes(), Path::new("hp.obo")).unwrap_err();
        let message = error.to_string();
        assert!(message.starts_with("hp.obo:"), "{message}");
        assert!(matches!(error, Error::Obo { line, .. } if line > 0), "{message}");
    }
}
