//! Building a library from the data of its sources.

use std::collections::{HashMap, HashSet};

use kindred_corpus::{Collection, CopyGroup, Document, DocumentId, JudgedAnswer, SectionKind};
use serde::{Deserialize, Serialize};

use crate::{Catalog, ConditionId, Error};

/// What kind of input a source was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// MedQuAD XML (archive, directory or file).
    Medquad,
    /// Web pages (text or HTML).
    Web,
    /// A judged-answers CSV that fills MedQuAD answers (evaluation only).
    JudgedAnswers,
}

/// A source as the library remembers it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceRecord {
    /// Stable id: the file name of the input (`medquad.tar.gz`, `seeds`), so re-ingesting the same
    /// input replaces it.
    pub id: String,
    /// Kind of input.
    pub kind: SourceKind,
    /// When it was last ingested (RFC 3339, UTC).
    pub ingested_at: String,
    /// Documents (or judged answers) it holds.
    pub n_items: usize,
}

/// A source and everything read from it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceData {
    /// Its record.
    pub record: SourceRecord,
    /// Documents read from it.
    pub documents: Vec<Document>,
    /// Judged answers read from it.
    pub judged: Vec<JudgedAnswer>,
}

/// A passage id: the MedQuAD answer id (`NINDS_0000112_Sec2`) or `<document>-s<n>` (the n-th section
/// with text) for pages.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PassageId(pub String);

/// The unit the index retrieves and answers cite. Its text and blocks live in the library's arena
/// ([`Library::text_of`], [`Library::blocks_of`]): the passages alone load without them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Passage {
    /// Stable id.
    pub id: PassageId,
    /// Section kind.
    pub section: SectionKind,
    /// The heading or MedQuAD question it answers.
    pub heading: Option<String>,
    /// MedQuAD `qtype`, when it has one.
    pub qtype: Option<String>,
    /// Document it comes from.
    pub document: DocumentId,
    /// Index of that document in [`Library::documents`].
    pub document_idx: u32,
    /// Source (input) id.
    pub source: String,
    /// Condition of the document.
    pub condition: Option<ConditionId>,
    /// The passage this one copies, when it is a copy (it then never counts as agreement).
    pub copy_of: Option<PassageId>,
    /// Where its text and blocks lie in the library's arena.
    pub(crate) body: Body,
}

/// Byte ranges of a passage's text and encoded blocks in the arena.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Body {
    /// Cleaned text, in [`Arena::text`].
    pub(crate) text: Span,
    /// The section's blocks (postcard), in [`Arena::blocks`]: empty when the text is the single
    /// paragraph, else its paragraphs and lists (so pages can show lists as lists). Never holds
    /// `Incomplete`.
    pub(crate) blocks: Span,
}

/// A byte range of the arena.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Span {
    pub(crate) start: u64,
    pub(crate) len: u64,
}

impl Span {
    pub(crate) fn range(self) -> Option<std::ops::Range<usize>> {
        let start = usize::try_from(self.start).ok()?;
        let end = start.checked_add(usize::try_from(self.len).ok()?)?;
        Some(start..end)
    }
}

/// The bulk of a library: every passage's text, then every passage's blocks, each passage's a
/// contiguous range. Kept apart from the passages so that the stored library reads it as two
/// buffers rather than as some fifty thousand strings.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Arena {
    /// Passage texts, one after another.
    pub(crate) text: String,
    /// Passage blocks, each passage's a postcard-encoded `Vec<Block>`.
    pub(crate) blocks: Vec<u8>,
}

impl Arena {
    /// Appends a passage's text and blocks, returning where they lie.
    fn push(&mut self, text: &str, blocks: &[kindred_corpus::Block]) -> Body {
        let text_span = Span {
            start: self.text.len() as u64,
            len: text.len() as u64,
        };
        self.text.push_str(text);
        let blocks_start = self.blocks.len();
        if !blocks.is_empty() {
            // Encoding plain strings and vectors into a Vec cannot fail.
            if let Ok(encoded) = postcard::to_stdvec(blocks) {
                self.blocks.extend_from_slice(&encoded);
            }
        }
        Body {
            text: text_span,
            blocks: Span {
                start: blocks_start as u64,
                len: (self.blocks.len() - blocks_start) as u64,
            },
        }
    }

    /// A passage's text; empty when its span lies outside (a passage of another library).
    pub(crate) fn text_of(&self, passage: &Passage) -> &str {
        passage
            .body
            .text
            .range()
            .and_then(|range| self.text.get(range))
            .unwrap_or_default()
    }

    /// A passage's encoded blocks; empty when it has none.
    pub(crate) fn blocks_of(&self, passage: &Passage) -> &[u8] {
        passage
            .body
            .blocks
            .range()
            .and_then(|range| self.blocks.get(range))
            .unwrap_or_default()
    }
}

/// Documents of the library without their text-heavy sections, for citations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentInfo {
    /// Id.
    pub id: DocumentId,
    /// Collection.
    pub collection: Collection,
    /// Publisher.
    pub publisher: String,
    /// Title.
    pub title: String,
    /// URL.
    pub url: Option<String>,
    /// Licence.
    pub licence: String,
    /// Source (input) id.
    pub source: String,
}

/// Counts for `kindred stats`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LibraryStats {
    /// Sources with their records.
    pub sources: Vec<SourceRecord>,
    /// Documents.
    pub n_documents: usize,
    /// Documents that give passages.
    pub n_documents_with_text: usize,
    /// Passages.
    pub n_passages: usize,
    /// Passages that copy another passage.
    pub n_copied_passages: usize,
    /// Conditions in the catalog.
    pub n_conditions: usize,
    /// Copy groups, as document ids (canonical first).
    pub copies: Vec<Vec<String>>,
}

/// A built library: what `ask` and the web pages read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Library {
    /// Sources, without their documents.
    pub sources: Vec<SourceRecord>,
    /// Document provenance, by index.
    pub documents: Vec<DocumentInfo>,
    /// The catalog.
    pub catalog: Catalog,
    /// Passages.
    pub passages: Vec<Passage>,
    /// Copy groups of documents, as document ids.
    pub copies: Vec<Vec<DocumentId>>,
    /// Passage texts and blocks.
    pub(crate) arena: Arena,
}

impl Library {
    /// Builds the library from its sources: fills judged answers, merges the catalog, cuts passages
    /// and finds copies. Fails (without side effects) when a judged answer names an unknown pair.
    pub fn build(sources: &[SourceData]) -> Result<Library, Error> {
        // One copy of every document (judged answers are filled into it), and its source beside it.
        let mut documents: Vec<Document> = Vec::new();
        let mut source_of: Vec<&str> = Vec::new();
        for source in sources {
            for doc in &source.documents {
                documents.push(doc.clone());
                source_of.push(source.record.id.as_str());
            }
        }
        // Fill answers from judged CSVs.
        let mut section_by_answer: HashMap<String, (usize, usize)> = HashMap::new();
        for (doc_idx, doc) in documents.iter().enumerate() {
            for (section_idx, section) in doc.sections.iter().enumerate() {
                if let Some(answer_id) = &section.answer_id {
                    section_by_answer.insert(answer_id.clone(), (doc_idx, section_idx));
                }
            }
        }
        for source in sources
            .iter()
            .filter(|s| s.record.kind == SourceKind::JudgedAnswers)
        {
            let unknown: Vec<&JudgedAnswer> = source
                .judged
                .iter()
                .filter(|a| !section_by_answer.contains_key(&a.answer_id))
                .collect();
            if let Some(first) = unknown.first() {
                return Err(Error::UnknownAnswerIds {
                    origin: source.record.id.clone(),
                    n_unknown: unknown.len(),
                    first: first.answer_id.clone(),
                });
            }
            for answer in &source.judged {
                if let Some(&(doc_idx, section_idx)) = section_by_answer.get(&answer.answer_id) {
                    let section = &mut documents[doc_idx].sections[section_idx];
                    if !section.has_text() && !answer.text.is_empty() {
                        section.blocks = vec![kindred_corpus::Block::Paragraph {
                            text: answer.text.clone(),
                        }];
                    }
                }
            }
        }
        let catalog = Catalog::build(&documents);
        let copy_groups = kindred_corpus::find_copies(&documents);
        let canonical_of = canonical_documents(&copy_groups);

        let mut passages = Vec::new();
        let mut arena = Arena::default();
        for (doc_idx, (doc, source_id)) in documents.iter().zip(&source_of).enumerate() {
            let condition = catalog.by_document.get(&doc.id).copied();
            let mut section_no = 0;
            for section in &doc.sections {
                // A passage is a section: a MedQuAD answer, or a page section's paragraphs and lists
                // together, so that "Injections of botulinum toxin…" and "Side effects are…" stay in
                // one retrievable unit as they are on the page.
                let texts: Vec<String> = section
                    .blocks
                    .iter()
                    .filter_map(|b| b.passage_text())
                    .filter(|t| !t.trim().is_empty())
                    .collect();
                if texts.is_empty() {
                    continue;
                }
                let text = texts.join("\n\n");
                let statement_blocks: Vec<kindred_corpus::Block> = section
                    .blocks
                    .iter()
                    .filter(|b| {
                        !matches!(b, kindred_corpus::Block::Incomplete { .. }) && !b.statements().is_empty()
                    })
                    .cloned()
                    .collect();
                let is_single_paragraph = matches!(
                    statement_blocks.as_slice(),
                    [kindred_corpus::Block::Paragraph { .. }]
                );
                let blocks = if is_single_paragraph {
                    Vec::new()
                } else {
                    statement_blocks
                };
                let id = match &section.answer_id {
                    Some(answer_id) => PassageId(answer_id.clone()),
                    None => {
                        section_no += 1;
                        PassageId(format!("{}-s{section_no}", doc.id))
                    }
                };
                passages.push(Passage {
                    id,
                    body: arena.push(&text, &blocks),
                    section: section.kind,
                    heading: section.heading.clone().or_else(|| section.question.clone()),
                    qtype: section.qtype.clone(),
                    document: doc.id.clone(),
                    document_idx: doc_idx as u32,
                    source: (*source_id).to_owned(),
                    condition,
                    copy_of: None,
                });
            }
        }
        mark_exact_duplicates(&mut passages, &arena, &canonical_of);
        mark_copied_passages(&mut passages, &arena, &canonical_of);
        resolve_copy_chains(&mut passages);

        let mut seen_ids = HashSet::new();
        passages.retain(|p| seen_ids.insert(p.id.clone()));
        let copies = copy_groups
            .iter()
            .map(|g| g.members.iter().map(|&i| documents[i].id.clone()).collect())
            .collect();
        let documents = documents
            .iter()
            .zip(&source_of)
            .map(|(d, source)| DocumentInfo {
                id: d.id.clone(),
                collection: d.collection,
                publisher: d.publisher.clone(),
                title: d.title.clone(),
                url: d.url.clone(),
                licence: d.licence.clone(),
                source: (*source).to_owned(),
            })
            .collect();
        Ok(Library {
            sources: sources.iter().map(|s| s.record.clone()).collect(),
            documents,
            catalog,
            passages,
            copies,
            arena,
        })
    }

    /// Counts for `kindred stats`.
    pub fn stats(&self) -> LibraryStats {
        let with_text: HashSet<u32> = self.passages.iter().map(|p| p.document_idx).collect();
        LibraryStats {
            sources: self.sources.clone(),
            n_documents: self.documents.len(),
            n_documents_with_text: with_text.len(),
            n_passages: self.passages.len(),
            n_copied_passages: self.passages.iter().filter(|p| p.copy_of.is_some()).count(),
            n_conditions: self.catalog.conditions.len(),
            copies: self
                .copies
                .iter()
                .map(|g| g.iter().map(|d| d.0.clone()).collect())
                .collect(),
        }
    }

    /// Provenance of a passage's document.
    pub fn document_of(&self, passage: &Passage) -> Option<&DocumentInfo> {
        self.documents.get(passage.document_idx as usize)
    }

    /// A passage's text, cleaned. Empty for a passage of another library.
    pub fn text_of(&self, passage: &Passage) -> &str {
        self.arena.text_of(passage)
    }

    /// A passage's blocks when it has more than one paragraph or a list; empty when its text is
    /// the single paragraph. Decoded on each call: only pages that show a section as written need
    /// them.
    pub fn blocks_of(&self, passage: &Passage) -> Vec<kindred_corpus::Block> {
        let bytes = self.arena.blocks_of(passage);
        if bytes.is_empty() {
            return Vec::new();
        }
        // The stored file's checksum was verified on load, so this decodes what `Arena::push`
        // encoded; were it ever not to, the passage shows as its text in one paragraph.
        postcard::from_bytes(bytes).unwrap_or_default()
    }
}

fn xxhash_text(text: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(kindred_text::fold_for_match(text).as_bytes())
}

/// Maps each non-canonical member of a copy group to its group's canonical document index.
fn canonical_documents(groups: &[CopyGroup]) -> HashMap<usize, usize> {
    let mut out = HashMap::new();
    for group in groups {
        if let Some((&canonical, rest)) = group.members.split_first() {
            for &member in rest {
                out.insert(member, canonical);
            }
        }
    }
    out
}

/// Passages with the same (folded) text: all but one are copies of the one. The one kept is read
/// first, except that passages of a document's copy never come before its canonical document's, so
/// the order sources were read in cannot make the full article a copy of its truncated copy.
fn mark_exact_duplicates(passages: &mut [Passage], arena: &Arena, canonical_of: &HashMap<usize, usize>) {
    let mut order: Vec<usize> = (0..passages.len()).collect();
    order.sort_by_key(|&i| (canonical_of.contains_key(&(passages[i].document_idx as usize)), i));
    let mut first_by_text: HashMap<u64, usize> = HashMap::new();
    for passage_idx in order {
        let hash = xxhash_text(arena.text_of(&passages[passage_idx]));
        match first_by_text.get(&hash) {
            Some(&first) => passages[passage_idx].copy_of = Some(passages[first].id.clone()),
            None => {
                first_by_text.insert(hash, passage_idx);
            }
        }
    }
}

/// Points every copy at an original (a passage that is no copy), following chains. A cycle, which
/// would hide every member, is broken by making its lowest-numbered passage the original.
fn resolve_copy_chains(passages: &mut [Passage]) {
    let index: HashMap<PassageId, usize> = passages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.clone(), i))
        .collect();
    let target =
        |passages: &[Passage], i: usize| passages[i].copy_of.as_ref().and_then(|id| index.get(id)).copied();
    for passage_idx in 0..passages.len() {
        loop {
            let mut path = vec![passage_idx];
            let mut current = passage_idx;
            let mut cycle = false;
            while let Some(next) = target(passages, current) {
                if path.contains(&next) {
                    cycle = true;
                    break;
                }
                path.push(next);
                current = next;
            }
            if cycle {
                let lowest = path.iter().copied().min().unwrap_or(passage_idx);
                passages[lowest].copy_of = None;
                continue;
            }
            if current != passage_idx {
                passages[passage_idx].copy_of = Some(passages[current].id.clone());
            }
            break;
        }
    }
}

/// Within copy groups, a passage of a copy that the canonical document also says (by shingle
/// containment) is marked as a copy of that passage.
fn mark_copied_passages(passages: &mut [Passage], arena: &Arena, canonical_of: &HashMap<usize, usize>) {
    if canonical_of.is_empty() {
        return;
    }
    let mut by_document: HashMap<u32, Vec<usize>> = HashMap::new();
    for (passage_idx, passage) in passages.iter().enumerate() {
        by_document
            .entry(passage.document_idx)
            .or_default()
            .push(passage_idx);
    }
    let mut marks = Vec::new();
    for (&copy_doc, &canonical_doc) in canonical_of {
        let Some(copy_passages) = by_document.get(&(copy_doc as u32)) else {
            continue;
        };
        let Some(canonical_passages) = by_document.get(&(canonical_doc as u32)) else {
            continue;
        };
        // Each canonical passage is fingerprinted once, not once per copy passage compared to it.
        let canonical_prints: Vec<(usize, kindred_text::Fingerprint)> = canonical_passages
            .iter()
            .map(|&c| {
                (
                    c,
                    kindred_text::shingle_fingerprint(arena.text_of(&passages[c]), 3),
                )
            })
            .collect();
        for &copy_idx in copy_passages {
            if passages[copy_idx].copy_of.is_some() {
                continue;
            }
            let print = kindred_text::shingle_fingerprint(arena.text_of(&passages[copy_idx]), 3);
            let best = canonical_prints
                .iter()
                .map(|(c, canonical)| (*c, kindred_text::containment(&print, canonical)))
                .max_by(|a, b| a.1.total_cmp(&b.1));
            if let Some((canonical_idx, score)) = best
                && score >= kindred_corpus::COPY_THRESHOLD
            {
                marks.push((copy_idx, passages[canonical_idx].id.clone()));
            }
        }
    }
    for (copy_idx, canonical) in marks {
        passages[copy_idx].copy_of = Some(canonical);
    }
}
