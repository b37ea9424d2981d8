//! Reading `phenotype.hpoa` (OMIM, ORPHA and DECIPHER diseases with their phenotypes) and the
//! information content it gives each term.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use crate::{Error, Ontology};

/// One disease of the annotation file.
#[derive(Debug, Clone, PartialEq)]
pub struct Disease {
    /// `OMIM:619340`, `ORPHA:166`.
    pub id: String,
    /// Its name as the file gives it.
    pub name: String,
    /// Phenotypes annotated to it (indexes into [`Ontology::terms`]), sorted, without `NOT` ones.
    pub terms: Vec<usize>,
}

/// The diseases of `phenotype.hpoa`, in file order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Annotations {
    /// Diseases with at least one phenotype.
    pub diseases: Vec<Disease>,
}

const EXPECTED_COLUMNS: [&str; 4] = ["database_id", "disease_name", "qualifier", "hpo_id"];

impl Annotations {
    /// Reads the tab-separated annotation file; `path` names it in errors. Rows whose phenotype is
    /// not a current term of `ontology` are skipped (a release may annotate a term since made
    /// obsolete); rows of the other aspects (inheritance, onset, course) are not phenotypes.
    pub fn read_hpoa<R: Read>(reader: R, path: &Path, ontology: &Ontology) -> Result<Annotations, Error> {
        let mut tsv = csv::ReaderBuilder::new()
            .delimiter(b'\t')
            .comment(Some(b'#'))
            .quoting(false)
            .flexible(true)
            .from_reader(reader);
        let header_line = tsv.position().line();
        let headers = tsv.headers().map_err(|source| Error::Tsv {
            path: path.to_owned(),
            line: header_line,
            source,
        })?;
        let column = |name: &str| headers.iter().position(|h| h == name);
        let (Some(id_col), Some(name_col), Some(qualifier_col), Some(hpo_col), Some(aspect_col)) = (
            column(EXPECTED_COLUMNS[0]),
            column(EXPECTED_COLUMNS[1]),
            column(EXPECTED_COLUMNS[2]),
            column(EXPECTED_COLUMNS[3]),
            column("aspect"),
        ) else {
            return Err(Error::Hpoa {
                path: path.to_owned(),
                line: headers.position().map_or(0, |p| p.line()),
                message: "missing column (database_id, disease_name, qualifier, hpo_id or aspect)".to_owned(),
            });
        };
        let mut by_id: HashMap<String, usize> = HashMap::new();
        let mut diseases: Vec<Disease> = Vec::new();
        let mut record = csv::StringRecord::new();
        loop {
            let line = tsv.position().line();
            match tsv.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(source) => {
                    return Err(Error::Tsv {
                        path: path.to_owned(),
                        line,
                        source,
                    });
                }
            }
            let line = record.position().map_or(line, |p| p.line());
            let field = |col: usize| {
                record.get(col).ok_or_else(|| Error::Hpoa {
                    path: path.to_owned(),
                    line,
                    message: format!("row has {} fields, fewer than the header", record.len()),
                })
            };
            if field(aspect_col)? != "P" || field(qualifier_col)? == "NOT" {
                continue;
            }
            let Some(term) = ontology.index_of(field(hpo_col)?) else {
                continue;
            };
            let id = field(id_col)?;
            let idx = match by_id.get(id) {
                Some(&idx) => idx,
                None => {
                    by_id.insert(id.to_owned(), diseases.len());
                    diseases.push(Disease {
                        id: id.to_owned(),
                        name: field(name_col)?.to_owned(),
                        terms: Vec::new(),
                    });
                    diseases.len() - 1
                }
            };
            diseases[idx].terms.push(term);
        }
        for disease in &mut diseases {
            disease.terms.sort_unstable();
            disease.terms.dedup();
        }
        Ok(Annotations { diseases })
    }
}

/// Information content of each term: IC(t) = −ln(diseases annotated with t or a descendant / all
/// diseases). A term no disease carries is as specific as one carried by a single disease, ln N.
pub fn information_content(ontology: &Ontology, annotations: &Annotations) -> Vec<f32> {
    let n_terms = ontology.terms.len();
    let mut counts = vec![0u32; n_terms];
    // Ancestors of each annotated term, computed once per term rather than once per annotation.
    let mut ancestor_cache: HashMap<usize, Vec<usize>> = HashMap::new();
    let mut seen = vec![u32::MAX; n_terms];
    for (disease_idx, disease) in annotations.diseases.iter().enumerate() {
        let mark = disease_idx as u32;
        for &term in &disease.terms {
            let ancestors = ancestor_cache
                .entry(term)
                .or_insert_with(|| ontology.ancestors(term).into_iter().map(|(a, _)| a).collect());
            for &t in std::iter::once(&term).chain(ancestors.iter()) {
                if seen[t] != mark {
                    seen[t] = mark;
                    counts[t] += 1;
                }
            }
        }
    }
    let n = annotations.diseases.len().max(1) as f32;
    counts
        .into_iter()
        .map(|count| -((count.max(1) as f32) / n).ln())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const HPOA: &str = "#description: test
#version: 2025-01-16
database_id\tdisease_name\tqualifier\thpo_id\treference\tevidence\tonset\tfrequency\tsex\tmodifier\taspect\tbiocuration
OMIM:1\tCervical dystonia type 1\t\tHP:0000473\tPMID:1\tPCS\t\t\t\t\tP\tx
OMIM:2\tGeneralised dystonia\t\tHP:0001332\tPMID:1\tPCS\t\t\t\t\tP\tx
OMIM:2\tGeneralised dystonia\t\tHP:0000006\tPMID:1\tPCS\t\t\t\t\tI\tx
OMIM:3\tNo torticollis\tNOT\tHP:0000473\tPMID:1\tPCS\t\t\t\t\tP\tx
OMIM:4\tOther disease\t\tHP:0000001\tPMID:1\tPCS\t\t\t\t\tP\tx
";

    fn ontology() -> Ontology {
        Ontology::read_obo(crate::ontology::tests::SAMPLE.as_bytes(), Path::new("hp.obo")).unwrap()
    }

    #[test]
    fn reads_phenotype_rows_and_skips_not_and_other_aspects() {
        let ontology = ontology();
        let annotations =
            Annotations::read_hpoa(HPOA.as_bytes(), Path::new("phenotype.hpoa"), &ontology).unwrap();
        let names: Vec<&str> = annotations.diseases.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(
            names,
            vec![
                "Cervical dystonia type 1",
                "Generalised dystonia",
                "Other disease"
            ]
        );
        assert_eq!(
            annotations.diseases[1].terms,
            vec![ontology.index_of("HP:0001332").unwrap()]
        );
    }

    #[test]
    fn information_content_counts_descendants() {
        let ontology = ontology();
        let annotations =
            Annotations::read_hpoa(HPOA.as_bytes(), Path::new("phenotype.hpoa"), &ontology).unwrap();
        let ic = information_content(&ontology, &annotations);
        let of = |id: &str| ic[ontology.index_of(id).unwrap()];
        // 3 diseases: the root covers all of them, dystonia two (itself and torticollis), torticollis one.
        assert!(of("HP:0000001").abs() < 1e-6);
        assert!((of("HP:0001332") - (1.5f32).ln()).abs() < 1e-5);
        assert!((of("HP:0000473") - 3f32.ln()).abs() < 1e-5);
    }

    #[test]
    fn a_short_row_names_its_line() {
        let ontology = ontology();
        let bad = "database_id\tdisease_name\tqualifier\thpo_id\taspect\nOMIM:1\tX\n";
        let error =
            Annotations::read_hpoa(bad.as_bytes(), Path::new("phenotype.hpoa"), &ontology).unwrap_err();
        assert_eq!(
            error.to_string(),
            "phenotype.hpoa:2: row has 2 fields, fewer than the header"
        );
    }
}
