//! MedQuAD: one XML document per condition (or drug, test…), each a list of templated
//! question/answer pairs with UMLS annotations.
//!
//! Read from a directory tree, a single `.xml` file, or `medquad.tar.gz` streamed entry by entry
//! (nothing is extracted to disk). Documents whose answers were removed upstream (A.D.A.M., MedlinePlus
//! drugs and herbs) are kept: their names and synonyms feed the catalog, their pairs give no passages
//! until a judged-answers CSV fills them.

use std::io::Read;
use std::path::Path;

use quick_xml::Reader;
use quick_xml::events::Event;

use crate::{Block, Collection, Document, DocumentId, Error, Section, SectionKind};

/// The twelve NIH sources of MedQuAD.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MedquadSource {
    /// A.D.A.M. Medical Encyclopedia (answers removed upstream).
    Adam,
    /// Centers for Disease Control and Prevention.
    Cdc,
    /// National Cancer Institute.
    CancerGov,
    /// Genetic and Rare Diseases Information Center.
    Gard,
    /// Genetics Home Reference.
    Ghr,
    /// MedlinePlus drug information (answers removed upstream).
    MplusDrugs,
    /// MedlinePlus health topics.
    MplusHealthTopics,
    /// MedlinePlus herbs and supplements (answers removed upstream).
    MplusHerbsSupplements,
    /// National Heart, Lung, and Blood Institute.
    Nhlbi,
    /// National Institute of Diabetes and Digestive and Kidney Diseases.
    Niddk,
    /// NIHSeniorHealth.
    NihSeniorHealth,
    /// National Institute of Neurological Disorders and Stroke.
    Ninds,
}

impl MedquadSource {
    /// Parses the `source` attribute of a MedQuAD `<Document>`.
    pub fn parse(attribute: &str) -> Option<MedquadSource> {
        Some(match attribute {
            "ADAM" => MedquadSource::Adam,
            "CDC" => MedquadSource::Cdc,
            "CancerGov" => MedquadSource::CancerGov,
            "GARD" => MedquadSource::Gard,
            "GHR" => MedquadSource::Ghr,
            "MPlusDrugs" => MedquadSource::MplusDrugs,
            "MPlusHealthTopics" => MedquadSource::MplusHealthTopics,
            "MPlusHerbsSupplements" | "MPlusHerbsSuppls" => MedquadSource::MplusHerbsSupplements,
            "NHLBI" => MedquadSource::Nhlbi,
            "NIDDK" => MedquadSource::Niddk,
            "NIHSeniorHealth" => MedquadSource::NihSeniorHealth,
            "NINDS" => MedquadSource::Ninds,
            _ => return None,
        })
    }

    /// The prefix of answer ids, in MedQuAD's own spelling (`MPlusHerbsSuppls` for herbs).
    pub fn id_prefix(self) -> &'static str {
        match self {
            MedquadSource::Adam => "ADAM",
            MedquadSource::Cdc => "CDC",
            MedquadSource::CancerGov => "CancerGov",
            MedquadSource::Gard => "GARD",
            MedquadSource::Ghr => "GHR",
            MedquadSource::MplusDrugs => "MPlusDrugs",
            MedquadSource::MplusHealthTopics => "MPlusHealthTopics",
            MedquadSource::MplusHerbsSupplements => "MPlusHerbsSuppls",
            MedquadSource::Nhlbi => "NHLBI",
            MedquadSource::Niddk => "NIDDK",
            MedquadSource::NihSeniorHealth => "NIHSeniorHealth",
            MedquadSource::Ninds => "NINDS",
        }
    }

    /// The publisher people know.
    pub fn publisher(self) -> &'static str {
        match self {
            MedquadSource::Adam => "A.D.A.M. Medical Encyclopedia (MedlinePlus)",
            MedquadSource::Cdc => "Centers for Disease Control and Prevention (CDC)",
            MedquadSource::CancerGov => "National Cancer Institute (cancer.gov)",
            MedquadSource::Gard => "Genetic and Rare Diseases Information Center (GARD)",
            MedquadSource::Ghr => "Genetics Home Reference (GHR)",
            MedquadSource::MplusDrugs => "MedlinePlus Drug Information",
            MedquadSource::MplusHealthTopics => "MedlinePlus Health Topics",
            MedquadSource::MplusHerbsSupplements => "MedlinePlus Herbs and Supplements",
            MedquadSource::Nhlbi => "National Heart, Lung, and Blood Institute (NHLBI)",
            MedquadSource::Niddk => {
                "National Institute of Diabetes and Digestive and Kidney Diseases (NIDDK)"
            }
            MedquadSource::NihSeniorHealth => "NIHSeniorHealth",
            MedquadSource::Ninds => "National Institute of Neurological Disorders and Stroke (NINDS)",
        }
    }
}

/// The licence line shown with every MedQuAD passage.
pub const MEDQUAD_LICENCE: &str = "MedQuAD, Ben Abacha & Demner-Fushman (2019), CC BY 4.0";

/// Reads MedQuAD from a directory, a `.tar.gz` archive or a single `.xml` file, calling `progress`
/// with the number of files read so far.
pub fn read_medquad(path: &Path, progress: &mut dyn FnMut(u64)) -> Result<Vec<Document>, Error> {
    let name = path.to_string_lossy();
    let mut documents = Vec::new();
    if path.is_dir() {
        let mut files = Vec::new();
        collect_xml_files(path, &mut files)?;
        files.sort();
        for (file_idx, file) in files.iter().enumerate() {
            let bytes = std::fs::read(file).map_err(|e| Error::io(file, e))?;
            let origin = file
                .strip_prefix(path)
                .unwrap_or(file)
                .to_string_lossy()
                .into_owned();
            documents.push(read_medquad_xml(file, &origin, &bytes)?);
            progress(file_idx as u64 + 1);
        }
    } else if name.ends_with(".tar.gz") || name.ends_with(".tgz") {
        let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        documents = read_medquad_archive(std::io::BufReader::with_capacity(1 << 20, file), path, progress)?;
    } else {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        let origin = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        documents.push(read_medquad_xml(path, &origin, &bytes)?);
        progress(1);
    }
    if documents.is_empty() {
        return Err(Error::NoDocuments {
            path: path.to_owned(),
        });
    }
    Ok(documents)
}

/// Reads MedQuAD from a gzipped tar stream (such as the bundled `medquad.tar.gz`), entry by entry,
/// without extracting anything. `path` names the archive in errors.
pub fn read_medquad_archive(
    reader: impl Read,
    path: &Path,
    progress: &mut dyn FnMut(u64),
) -> Result<Vec<Document>, Error> {
    let mut documents = Vec::new();
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(reader));
    let archive_error = |source| Error::Archive {
        path: path.to_owned(),
        source,
    };
    let mut n_files = 0;
    let mut bytes = Vec::new();
    for entry in archive.entries().map_err(archive_error)? {
        let mut entry = entry.map_err(archive_error)?;
        let entry_path = entry
            .path()
            .map_err(archive_error)?
            .to_string_lossy()
            .into_owned();
        if !entry.header().entry_type().is_file() || !entry_path.ends_with(".xml") {
            continue;
        }
        bytes.clear();
        entry.read_to_end(&mut bytes).map_err(archive_error)?;
        documents.push(read_medquad_xml(&path.join(&entry_path), &entry_path, &bytes)?);
        n_files += 1;
        progress(n_files);
    }
    if documents.is_empty() {
        return Err(Error::NoDocuments {
            path: path.to_owned(),
        });
    }
    Ok(documents)
}

fn collect_xml_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> Result<(), Error> {
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let path = entry.path();
        if path.is_dir() {
            collect_xml_files(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "xml") {
            out.push(path);
        }
    }
    Ok(())
}

/// The element we are inside, for the text events that matter.
#[derive(Clone, Copy, PartialEq)]
enum Field {
    None,
    Focus,
    Cui,
    SemanticType,
    SemanticGroup,
    Synonym,
    Category,
    Question,
    Answer,
}

/// Parses one MedQuAD XML document. `path` names the file in errors; `origin` is recorded.
pub fn read_medquad_xml(path: &Path, origin: &str, bytes: &[u8]) -> Result<Document, Error> {
    let text = crate::error::decode_text(path, bytes.to_vec())?;
    let mut reader = Reader::from_str(&text);
    reader.config_mut().trim_text(false);
    let xml_error = |reader: &Reader<&[u8]>, message: String| Error::Xml {
        path: path.to_owned(),
        position: reader.buffer_position(),
        message,
    };

    let mut source = None;
    let mut doc_id = None;
    let mut url = None;
    let mut focus = String::new();
    let mut synonyms = Vec::new();
    let mut cuis = Vec::new();
    let mut semantic_types = Vec::new();
    let mut semantic_group = None;
    let mut category = None;
    let mut sections = Vec::new();
    let mut pid = None;
    let mut qtype = None;
    let mut question = String::new();
    let mut answer = String::new();
    let mut field = Field::None;
    let mut buffer = String::new();
    let mut depth = 0usize;
    let mut saw_document = false;

    loop {
        let event = reader.read_event().map_err(|e| Error::Xml {
            path: path.to_owned(),
            position: reader.error_position(),
            message: e.to_string(),
        })?;
        match event {
            Event::Start(start) => {
                depth += 1;
                let name = start.name();
                let attribute = |key: &[u8]| -> Option<String> {
                    start
                        .attributes()
                        .flatten()
                        .find(|a| a.key.0 == key)
                        .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
                };
                match name.0 {
                    // Four NINDS files use a lowercase variant of the schema: <doc docid corpus>,
                    // <doctitle-focus>, <pair>, <question>, <answer>.
                    b"Document" | b"doc" | b"DiseaseFile" => {
                        saw_document = true;
                        source = attribute(b"source").or_else(|| attribute(b"corpus"));
                        doc_id = attribute(b"id")
                            .or_else(|| attribute(b"docid"))
                            .or_else(|| attribute(b"fid"));
                        url = attribute(b"url");
                    }
                    b"QAPair" | b"pair" => {
                        pid = attribute(b"pid");
                        qtype = None;
                        question.clear();
                        answer.clear();
                    }
                    b"Question" | b"question" => {
                        qtype = attribute(b"qtype");
                        field = Field::Question;
                    }
                    b"Answer" | b"answer" => field = Field::Answer,
                    b"Focus" | b"doctitle-focus" => field = Field::Focus,
                    b"CUI" | b"cui" => field = Field::Cui,
                    b"SemanticType" | b"semanticType" => field = Field::SemanticType,
                    b"SemanticGroup" | b"semanticGroup" => field = Field::SemanticGroup,
                    b"Synonym" | b"synonym" => field = Field::Synonym,
                    b"Category" => field = Field::Category,
                    _ => {}
                }
                buffer.clear();
            }
            Event::Text(t) if field != Field::None => {
                let decoded = t.decode().map_err(|e| xml_error(&reader, e.to_string()))?;
                buffer.push_str(&decoded);
            }
            Event::GeneralRef(r) if field != Field::None => {
                let name = r.decode().map_err(|e| xml_error(&reader, e.to_string()))?;
                match resolve_entity(&name) {
                    Some(c) => buffer.push(c),
                    None => return Err(xml_error(&reader, format!("unknown entity &{name};"))),
                }
            }
            Event::CData(c) if field != Field::None => buffer.push_str(&String::from_utf8_lossy(&c)),
            Event::End(end) => {
                depth = depth.saturating_sub(1);
                let value = kindred_text::normalize(&buffer);
                match (field, end.name().0) {
                    (Field::Focus, b"Focus" | b"doctitle-focus") => focus = value,
                    (Field::Cui, b"CUI" | b"cui") if !value.is_empty() => cuis.push(value),
                    (Field::SemanticType, b"SemanticType" | b"semanticType") if !value.is_empty() => {
                        semantic_types.push(value)
                    }
                    (Field::SemanticGroup, b"SemanticGroup" | b"semanticGroup") => {
                        semantic_group = Some(value).filter(|v| !v.is_empty())
                    }
                    (Field::Synonym, b"Synonym" | b"synonym") => synonyms.push(value),
                    (Field::Category, b"Category") => category = Some(value),
                    (Field::Question, b"Question" | b"question") => question = value,
                    (Field::Answer, b"Answer" | b"answer") => answer = buffer.clone(),
                    _ => {}
                }
                if matches!(end.name().0, b"QAPair" | b"pair") {
                    sections.push((
                        pid.take(),
                        qtype.take(),
                        std::mem::take(&mut question),
                        std::mem::take(&mut answer),
                    ));
                }
                field = Field::None;
                buffer.clear();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if depth != 0 {
        return Err(xml_error(
            &reader,
            "document ends before its elements are closed (truncated?)".into(),
        ));
    }
    let not_medquad = |message: &str| Error::NotMedquad {
        path: path.to_owned(),
        message: message.to_owned(),
    };
    if !saw_document {
        return Err(not_medquad("no <Document> element"));
    }
    let source_attribute = source.ok_or_else(|| not_medquad("<Document> has no source attribute"))?;
    let source = MedquadSource::parse(&source_attribute)
        .ok_or_else(|| not_medquad(&format!("unknown source \"{source_attribute}\"")))?;
    let doc_id = doc_id.ok_or_else(|| not_medquad("<Document> has no id attribute"))?;
    let prefix = source.id_prefix();
    let mut removed = Vec::new();
    let sections: Vec<Section> = sections
        .into_iter()
        .enumerate()
        // Answer ids number the pairs by position (`Sec3` is the third pair), not by the `pid`
        // attribute, which skips numbers in A.D.A.M. documents.
        .map(|(pair_idx, (_pid, qtype, question, answer))| {
            let kind = SectionKind::from_medquad_qtype(qtype.as_deref().unwrap_or(""));
            Section {
                kind,
                heading: None,
                answer_id: Some(format!("{prefix}_{doc_id}_Sec{}", pair_idx + 1)),
                question: Some(question),
                qtype,
                blocks: answer_blocks(&answer, &mut removed),
            }
        })
        .collect();
    Ok(Document {
        id: DocumentId(format!("{prefix}_{doc_id}")),
        collection: Collection::Medquad,
        publisher: source.publisher().to_owned(),
        // A few CDC documents have an empty <Focus>: they still give passages, titled by their first
        // question, but name no condition.
        title: if focus.is_empty() {
            sections
                .first()
                .and_then(|s| s.question.clone())
                .unwrap_or_else(|| format!("{prefix} {doc_id}"))
        } else {
            focus.clone()
        },
        url,
        licence: MEDQUAD_LICENCE.to_owned(),
        focus: Some(focus).filter(|f| !f.is_empty()),
        synonyms,
        cuis,
        semantic_types,
        semantic_group,
        category,
        sections,
        removed,
        origin: origin.to_owned(),
    })
}

fn resolve_entity(name: &str) -> Option<char> {
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        return char::from_u32(code);
    }
    quick_xml::escape::resolve_predefined_entity(name).and_then(|s| s.chars().next())
}

/// Turns a MedQuAD answer into one paragraph block. MedQuAD flattens lists into "  - item" runs;
/// we keep the text whole, normalised, so the passage is exactly the judged answer.
pub(crate) fn answer_blocks(answer: &str, removed: &mut Vec<String>) -> Vec<Block> {
    let mut text = kindred_text::normalize(answer);
    // MedlinePlus summaries end with the agency they summarise ("NIH: National Institute of
    // Neurological Disorders and Stroke"): a credit, not a statement. It is kept in `removed`.
    if let Some(idx) = text.rfind(" NIH: ")
        && let credit = text[idx + 1..].to_owned()
        && credit.len() <= MAX_CREDIT_LEN
        && !credit.contains(['.', '!', '?'])
    {
        text.truncate(idx);
        if !removed.contains(&credit) {
            removed.push(credit);
        }
    }
    if text.is_empty() {
        Vec::new()
    } else {
        vec![Block::Paragraph { text }]
    }
}

/// Longest trailing credit line stripped from a MedQuAD answer.
const MAX_CREDIT_LEN: usize = 120;

#[cfg(test)]
mod tests {
    use super::*;

    const NINDS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Document id="0000112" source="NINDS" url="http://www.ninds.nih.gov/disorders/dystonias/dystonias.htm">
<Focus>Dystonias</Focus>
<FocusAnnotations><UMLS><CUIs><CUI>C0013421</CUI></CUIs><SemanticTypes><SemanticType>T047</SemanticType></SemanticTypes><SemanticGroup>Disorders</SemanticGroup></UMLS>
<Synonyms><Synonym>Dystonia</Synonym></Synonyms></FocusAnnotations>
<QAPairs>
<QAPair pid="1"><Question qid="0000112-1" qtype="information">What is (are) Dystonias ?</Question><Answer>Dystonias are movement disorders &amp; more.</Answer></QAPair>
<QAPair pid="2"><Question qid="0000112-2" qtype="treatment">What are the treatments for Dystonias ?</Question><Answer>There is no cure.</Answer></QAPair>
</QAPairs></Document>"#;

    #[test]
    fn reads_document_and_pairs() {
        let doc = read_medquad_xml(Path::new("x.xml"), "x.xml", NINDS.as_bytes()).unwrap();
        assert_eq!(doc.id.0, "NINDS_0000112");
        assert_eq!(doc.focus.as_deref(), Some("Dystonias"));
        assert_eq!(doc.synonyms, vec!["Dystonia"]);
        assert_eq!(doc.cuis, vec!["C0013421"]);
        assert_eq!(doc.sections.len(), 2);
        assert_eq!(doc.sections[1].answer_id.as_deref(), Some("NINDS_0000112_Sec2"));
        assert_eq!(doc.sections[1].kind, SectionKind::Treatment);
        assert_eq!(
            doc.sections[0].blocks,
            vec![Block::Paragraph {
                text: "Dystonias are movement disorders & more.".into()
            }]
        );
    }

    #[test]
    fn medlineplus_credit_is_not_a_statement() {
        let mut removed = Vec::new();
        let blocks = answer_blocks(
            "Dystonia is a movement disorder.    NIH: National Institute of Neurological Disorders and Stroke",
            &mut removed,
        );
        assert_eq!(
            blocks,
            vec![Block::Paragraph {
                text: "Dystonia is a movement disorder.".into()
            }]
        );
        assert_eq!(
            removed,
            vec!["NIH: National Institute of Neurological Disorders and Stroke"]
        );
        // A sentence that merely mentions NIH stays whole.
        let mut removed = Vec::new();
        let text = "Research is funded by the NIH: grants go to many centers. More is planned.";
        assert_eq!(
            answer_blocks(text, &mut removed),
            vec![Block::Paragraph { text: text.into() }]
        );
        assert!(removed.is_empty());
    }

    #[test]
    fn truncated_xml_names_file() {
        let cut = &NINDS[..NINDS.len() / 2];
        let err = read_medquad_xml(Path::new("cut.xml"), "cut.xml", cut.as_bytes()).unwrap_err();
        let message = err.to_string();
        assert!(message.starts_with("cut.xml:"), "{message}");
    }

    #[test]
    fn binary_is_rejected() {
        let err = read_medquad_xml(Path::new("bin.xml"), "bin.xml", &[0, 159, 146, 150]).unwrap_err();
        assert!(matches!(err, Error::NotUtf8 { .. }), "{err}");
    }
}
