//! The bundled default library: the five seed pages and MedQuAD, compiled into the binary so that
//! `kindred` works from any directory with nothing else installed.

use std::collections::BTreeMap;
use std::path::Path;

use kindred_corpus::WebMetadata;
use kindred_library::{SourceData, SourceKind, SourceRecord, now_rfc3339};

use crate::Error;

const HP_OBO: &[u8] = include_bytes!("../../../data/hpo/hp.obo.gz");
const PHENOTYPE_HPOA: &[u8] = include_bytes!("../../../data/hpo/phenotype.hpoa.gz");
const MEDQUAD: &[u8] = include_bytes!("../../../data/medquad.tar.gz");
const SEED_METADATA: &str = include_str!("../../../data/seeds/metadata.toml");
const SEEDS: &[(&str, &str)] = &[
    (
        "000_5e52f8b105d48d73.txt",
        include_str!("../../../data/seeds/000_5e52f8b105d48d73.txt"),
    ),
    (
        "001_010f966b21dce522.txt",
        include_str!("../../../data/seeds/001_010f966b21dce522.txt"),
    ),
    (
        "002_fb00408b066b0d9b.txt",
        include_str!("../../../data/seeds/002_fb00408b066b0d9b.txt"),
    ),
    (
        "003_d2155dfe101569cf.txt",
        include_str!("../../../data/seeds/003_d2155dfe101569cf.txt"),
    ),
    (
        "004_62cf942e2f1dc869.txt",
        include_str!("../../../data/seeds/004_62cf942e2f1dc869.txt"),
    ),
];

/// Source id of the bundled seed pages.
pub const SEEDS_SOURCE: &str = "seeds";
/// Source id of MedQuAD, whichever path it came from.
pub const MEDQUAD_SOURCE: &str = "medquad";

/// Reads the bundled sources: the seed pages and MedQuAD.
pub fn default_sources(progress: &mut dyn FnMut(u64)) -> Result<Vec<SourceData>, Error> {
    let metadata: BTreeMap<String, WebMetadata> =
        toml::from_str(SEED_METADATA).map_err(|e| Error::Bundle(format!("seeds/metadata.toml: {e}")))?;
    let mut seeds = Vec::new();
    for (name, text) in SEEDS {
        let meta = metadata.get(*name).cloned().unwrap_or_default();
        seeds.push(kindred_corpus::read_web_text(
            &Path::new("seeds").join(name),
            text,
            &meta,
        )?);
    }
    let medquad = kindred_corpus::read_medquad_archive(MEDQUAD, Path::new("medquad.tar.gz"), progress)?;
    let now = now_rfc3339();
    Ok(vec![
        SourceData {
            record: SourceRecord {
                id: SEEDS_SOURCE.into(),
                kind: SourceKind::Web,
                ingested_at: now.clone(),
                n_items: seeds.len(),
            },
            documents: seeds,
            judged: Vec::new(),
        },
        SourceData {
            record: SourceRecord {
                id: MEDQUAD_SOURCE.into(),
                kind: SourceKind::Medquad,
                ingested_at: now,
                n_items: medquad.len(),
            },
            documents: medquad,
            judged: Vec::new(),
        },
    ])
}

/// The bundled Human Phenotype Ontology and its disease annotations, read from the gzip files as
/// released (bundled unaltered, as the HPO licence asks).
pub fn phenotype_ontology() -> Result<(kindred_phenotype::Ontology, kindred_phenotype::Annotations), Error> {
    let ontology = kindred_phenotype::Ontology::read_obo(
        std::io::BufReader::new(flate2::read::GzDecoder::new(HP_OBO)),
        Path::new("hpo/hp.obo.gz"),
    )?;
    let annotations = kindred_phenotype::Annotations::read_hpoa(
        flate2::read::GzDecoder::new(PHENOTYPE_HPOA),
        Path::new("hpo/phenotype.hpoa.gz"),
        &ontology,
    )?;
    Ok((ontology, annotations))
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    #[test]
    fn the_acknowledged_hpo_version_is_the_bundled_one() {
        let mut head = vec![0u8; 4096];
        let n = flate2::read::GzDecoder::new(super::HP_OBO)
            .read(&mut head)
            .unwrap();
        let head = String::from_utf8_lossy(&head[..n]);
        assert!(head.contains(&format!("data-version: {}\n", crate::HPO_VERSION)));
        assert!(crate::HPO_ACKNOWLEDGEMENT.ends_with(&format!("(version {})", crate::HPO_VERSION)));
    }
}
