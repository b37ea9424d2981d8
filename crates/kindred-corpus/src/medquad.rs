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

use crate::input;
use crate::{
    Block, Collection, Document, DocumentId, Error, MAX_ARCHIVE_BYTES, MAX_FILE_BYTES, MAX_NESTING_DEPTH,
    Section, SectionKind,
};

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
/// with the number of files read so far. Links and special files are refused, and every file and
/// archive entry is read within [`MAX_FILE_BYTES`](crate::MAX_FILE_BYTES).
pub fn read_medquad(path: &Path, progress: &mut dyn FnMut(u64)) -> Result<Vec<Document>, Error> {
    let name = path.to_string_lossy().to_ascii_lowercase();
    let metadata = input::check_kind(path)?;
    let mut documents = Vec::new();
    if metadata.is_dir() {
        let mut files = Vec::new();
        collect_xml_files(path, &mut files)?;
        files.sort();
        let mut bytes = Vec::new();
        for (file_idx, file) in files.iter().enumerate() {
            let reader = input::open_file(file, MAX_FILE_BYTES)?;
            input::read_capped_into(reader, file, MAX_FILE_BYTES, &mut bytes)?;
            let origin = file
                .strip_prefix(path)
                .unwrap_or(file)
                .to_string_lossy()
                .into_owned();
            documents.push(read_medquad_xml(file, &origin, &bytes)?);
            progress(file_idx as u64 + 1);
        }
    } else if name.ends_with(".tar.gz") || name.ends_with(".tgz") {
        let file = input::open_file(path, MAX_ARCHIVE_BYTES)?;
        documents = read_medquad_archive(std::io::BufReader::with_capacity(1 << 20, file), path, progress)?;
    } else {
        let bytes = input::read_file(path)?;
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

/// Most bytes of headers (with pax and GNU long-name records) before one archive entry.
const MAX_HEADER_BYTES: u64 = 1 << 20;

/// Counts what the tar reader pulls out of the decompressed stream, and stops it past a limit: the
/// whole archive may not decompress past [`MAX_ARCHIVE_BYTES`], an entry's data past
/// [`MAX_FILE_BYTES`], nor the headers before an entry (pax and GNU long-name records, which the tar
/// reader loads whole into memory) past [`MAX_HEADER_BYTES`].
struct Capped<R> {
    inner: R,
    state: std::rc::Rc<std::cell::Cell<CapState>>,
}

#[derive(Clone, Copy)]
struct CapState {
    total: u64,
    /// Bytes since the current stretch (headers, or one entry's data) began, and its limit.
    stretch: u64,
    stretch_limit: u64,
    /// The limit that was passed, once one was.
    exceeded: Option<u64>,
}

impl CapState {
    fn start_stretch(&mut self, limit: u64) {
        self.stretch = 0;
        self.stretch_limit = limit;
    }
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let mut state = self.state.get();
        let n = self.inner.read(buf)?;
        state.total += n as u64;
        state.stretch += n as u64;
        if state.total > MAX_ARCHIVE_BYTES {
            state.exceeded = Some(MAX_ARCHIVE_BYTES);
        } else if state.stretch > state.stretch_limit {
            state.exceeded = Some(state.stretch_limit);
        }
        self.state.set(state);
        if state.exceeded.is_some() {
            return Err(std::io::Error::other("archive passes a size limit"));
        }
        Ok(n)
    }
}

/// Reads MedQuAD from a gzipped tar stream (such as the bundled `medquad.tar.gz`), entry by entry,
/// without extracting anything. `path` names the archive in errors. An entry declared or found
/// larger than [`MAX_FILE_BYTES`] is refused before it is read, and nothing is allocated from a
/// declared size.
pub fn read_medquad_archive(
    reader: impl Read,
    path: &Path,
    progress: &mut dyn FnMut(u64),
) -> Result<Vec<Document>, Error> {
    let state = std::rc::Rc::new(std::cell::Cell::new(CapState {
        total: 0,
        stretch: 0,
        stretch_limit: MAX_HEADER_BYTES,
        exceeded: None,
    }));
    let start_stretch = |limit: u64| {
        let mut current = state.get();
        current.start_stretch(limit);
        state.set(current);
    };
    let capped = Capped {
        inner: flate2::read::GzDecoder::new(reader),
        state: state.clone(),
    };
    let mut documents = Vec::new();
    let mut archive = tar::Archive::new(capped);
    let archive_error = |source: std::io::Error| match state.get().exceeded {
        Some(limit) => Error::TooLarge {
            path: path.to_owned(),
            limit,
        },
        None => Error::Archive {
            path: path.to_owned(),
            source,
        },
    };
    let mut n_files = 0;
    let mut bytes = Vec::new();
    for entry in archive.entries().map_err(archive_error)? {
        let mut entry = entry.map_err(archive_error)?;
        // Room for the largest entry read through `take` below, and the padding after it.
        start_stretch(MAX_FILE_BYTES + 1024);
        let entry_path = entry
            .path()
            .map_err(archive_error)?
            .to_string_lossy()
            .into_owned();
        let entry_name = path.join(&entry_path);
        let declared = entry.size().max(entry.header().size().unwrap_or(u64::MAX));
        if declared > MAX_FILE_BYTES {
            return Err(Error::TooLarge {
                path: entry_name,
                limit: MAX_FILE_BYTES,
            });
        }
        if entry.header().entry_type().is_file() && entry_path.ends_with(".xml") {
            input::read_capped_into(&mut entry, &entry_name, MAX_FILE_BYTES, &mut bytes).map_err(
                |e| match e {
                    Error::Io { source, .. } => archive_error(source),
                    other => other,
                },
            )?;
            documents.push(read_medquad_xml(&entry_name, &entry_path, &bytes)?);
            n_files += 1;
            progress(n_files);
        } else {
            std::io::copy(&mut (&mut entry).take(MAX_FILE_BYTES), &mut std::io::sink())
                .map_err(archive_error)?;
        }
        start_stretch(MAX_HEADER_BYTES);
    }
    if documents.is_empty() {
        return Err(Error::NoDocuments {
            path: path.to_owned(),
        });
    }
    Ok(documents)
}

fn collect_xml_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> Result<(), Error> {
    // A stack rather than recursion: a tree nested thousands deep cannot overflow ours.
    let mut pending = vec![dir.to_owned()];
    while let Some(dir) = pending.pop() {
        for (path, metadata) in input::dir_entries(&dir)? {
            if metadata.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "xml") {
                out.push(path);
            }
        }
    }
    Ok(())
}

/// MedQuAD's twelve collection folders and the source whose documents each holds.
const COLLECTION_FOLDERS: &[(&str, MedquadSource)] = &[
    ("1_CancerGov_QA", MedquadSource::CancerGov),
    ("2_GARD_QA", MedquadSource::Gard),
    ("3_GHR_QA", MedquadSource::Ghr),
    ("4_MPlus_Health_Topics_QA", MedquadSource::MplusHealthTopics),
    ("5_NIDDK_QA", MedquadSource::Niddk),
    ("6_NINDS_QA", MedquadSource::Ninds),
    ("7_SeniorHealth_QA", MedquadSource::NihSeniorHealth),
    ("8_NHLBI_QA_XML", MedquadSource::Nhlbi),
    ("9_CDC_QA", MedquadSource::Cdc),
    ("10_MPlus_ADAM_QA", MedquadSource::Adam),
    ("11_MPlusDrugs_QA", MedquadSource::MplusDrugs),
    (
        "12_MPlusHerbsSupplements_QA",
        MedquadSource::MplusHerbsSupplements,
    ),
];

/// Whether documents read from a directory or archive are laid out as MedQuAD's release: each in
/// the collection folder of its own source (`6_NINDS_QA/0000112.xml` holding a NINDS document),
/// directly or under one enclosing folder (`medquad/6_NINDS_QA/…`). Recognising MedQuAD by what it
/// holds, not by being a folder or a `.tar.gz`, keeps an unrelated archive from taking its place.
pub fn has_medquad_layout(documents: &[Document]) -> bool {
    !documents.is_empty()
        && documents.iter().all(|document| {
            let components: Vec<&str> = document
                .origin
                .split(['/', '\\'])
                .filter(|c| !c.is_empty() && *c != ".")
                .collect();
            let folder = match components.as_slice() {
                [folder, _file] | [_, folder, _file] => *folder,
                _ => return false,
            };
            COLLECTION_FOLDERS.iter().any(|(name, source)| {
                *name == folder
                    && document
                        .id
                        .0
                        .strip_prefix(source.id_prefix())
                        .is_some_and(|rest| rest.starts_with('_'))
            })
        })
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
    // Strict: every end tag must close the element it names (quick-xml's defaults, made explicit).
    reader.config_mut().check_end_names = true;
    reader.config_mut().allow_unmatched_ends = false;
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
    // One root element, and nothing but whitespace, comments and processing instructions after it.
    let mut root_closed = false;

    loop {
        let event = reader.read_event().map_err(|e| Error::Xml {
            path: path.to_owned(),
            position: reader.error_position(),
            message: e.to_string(),
        })?;
        match &event {
            Event::Start(_) | Event::Empty(_) | Event::CData(_) | Event::GeneralRef(_) if root_closed => {
                return Err(xml_error(&reader, "content after the root element".into()));
            }
            Event::Text(t) if depth == 0 && !t.iter().all(u8::is_ascii_whitespace) => {
                return Err(xml_error(&reader, "text outside the root element".into()));
            }
            Event::GeneralRef(_) | Event::CData(_) if depth == 0 => {
                return Err(xml_error(&reader, "text outside the root element".into()));
            }
            _ => {}
        }
        match event {
            Event::Start(start) => {
                depth += 1;
                if depth > MAX_NESTING_DEPTH {
                    return Err(Error::TooDeep {
                        path: path.to_owned(),
                        limit: MAX_NESTING_DEPTH,
                    });
                }
                let attributes = read_attributes(&start).map_err(|e| xml_error(&reader, e))?;
                let attribute = |key: &[u8]| -> Option<String> {
                    attributes
                        .iter()
                        .find(|(k, _)| k.as_slice() == key)
                        .map(|(_, v)| v.clone())
                };
                let name = start.name();
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
            Event::Empty(empty) => {
                read_attributes(&empty).map_err(|e| xml_error(&reader, e))?;
                if depth == 0 {
                    root_closed = true;
                }
            }
            Event::Text(t) if field != Field::None => {
                let decoded = t.decode().map_err(|e| xml_error(&reader, e.to_string()))?;
                buffer.push_str(&decoded);
            }
            Event::GeneralRef(r) => {
                let name = r.decode().map_err(|e| xml_error(&reader, e.to_string()))?;
                let c = resolve_entity(&name)
                    .ok_or_else(|| xml_error(&reader, format!("unknown entity &{name};")))?;
                if c.is_control() && !matches!(c, '\t' | '\n' | '\r') {
                    return Err(Error::ControlCharacter {
                        path: path.to_owned(),
                        code: c as u32,
                        offset: reader.buffer_position() as usize,
                    });
                }
                if field != Field::None {
                    buffer.push(c);
                }
            }
            Event::CData(c) if field != Field::None => buffer.push_str(&String::from_utf8_lossy(&c)),
            Event::End(end) => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    root_closed = true;
                }
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
    let document = Document {
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
    };
    crate::model::check_document(path, &document)?;
    Ok(document)
}

/// Every attribute of an element, unescaped; any malformed one (unquoted, duplicated, with an unknown
/// entity) is an error rather than skipped.
fn read_attributes(start: &quick_xml::events::BytesStart<'_>) -> Result<Vec<(Vec<u8>, String)>, String> {
    let mut attributes = Vec::new();
    for attribute in start.attributes() {
        let attribute = attribute.map_err(|e| e.to_string())?;
        let value = attribute.unescape_value().map_err(|e| e.to_string())?;
        attributes.push((attribute.key.0.to_vec(), value.into_owned()));
    }
    Ok(attributes)
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
