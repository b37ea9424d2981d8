//! The search index over library passages: BM25 over passage text, the question or heading a passage
//! answers, and the names of its condition.
//!
//! This is the only crate that knows tantivy. Text is tokenised by `kindred-text` (the same terms the
//! answer engine counts), registered as the tantivy tokenizer `kindred`. The index stores no text:
//! hits are passage indexes into the library generation that built it, which lives beside it.

use std::path::{Path, PathBuf};

use tantivy::query::{BooleanQuery, BoostQuery, ConstScoreQuery, Occur, Query, TermQuery};
use tantivy::schema::{FAST, Field, INDEXED, IndexRecordOption, Schema, TextFieldIndexing, TextOptions};
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use tantivy::{DocSet, Index, IndexReader, IndexWriter, Term, doc};

/// Errors of the index.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// tantivy failed on the index at `path`.
    #[error("search index {path} failed")]
    Tantivy {
        /// Index directory.
        path: PathBuf,
        /// Cause.
        #[source]
        source: tantivy::TantivyError,
    },
    /// The index directory could not be created.
    #[error("cannot create {path}")]
    Io {
        /// Directory.
        path: PathBuf,
        /// Cause.
        #[source]
        source: std::io::Error,
    },
}

/// One passage to index.
#[derive(Debug, Clone, Copy)]
pub struct IndexPassage<'a> {
    /// Index of the passage in the library.
    pub passage_idx: u32,
    /// Passage text.
    pub text: &'a str,
    /// The question or heading it answers.
    pub question: &'a str,
    /// Names of its condition (preferred name and synonyms, space separated).
    pub names: &'a str,
    /// Its condition, if any.
    pub condition: Option<u32>,
}

/// Relative weights of the fields in a query.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FieldWeights {
    /// Passage text.
    pub text: f32,
    /// The question or heading.
    pub question: f32,
    /// Condition names.
    pub names: f32,
}

impl FieldWeights {
    /// Plain BM25 over text and question, as the baseline uses.
    pub const PLAIN: FieldWeights = FieldWeights {
        text: 1.0,
        question: 1.0,
        names: 0.0,
    };
}

/// A retrieved passage.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hit {
    /// Index of the passage in the library.
    pub passage_idx: u32,
    /// BM25 score.
    pub score: f32,
    /// Where the index keeps it, for [`SearchIndex::term_presence`].
    pub address: (u32, u32),
}

#[derive(Clone)]
struct Fields {
    passage_idx: Field,
    text: Field,
    question: Field,
    names: Field,
    condition: Field,
}

fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let text_options = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    let fields = Fields {
        passage_idx: builder.add_u64_field("passage_idx", FAST),
        text: builder.add_text_field("text", text_options.clone()),
        question: builder.add_text_field("question", text_options.clone()),
        names: builder.add_text_field("names", text_options),
        condition: builder.add_u64_field("condition", INDEXED),
    };
    (builder.build(), fields)
}

const TOKENIZER: &str = "kindred";

/// Tokenizer that yields `kindred_text::terms`.
#[derive(Clone, Default)]
struct KindredTokenizer;

struct VecTokenStream {
    tokens: Vec<Token>,
    cursor: usize,
}

impl TokenStream for VecTokenStream {
    fn advance(&mut self) -> bool {
        if self.cursor < self.tokens.len() {
            self.cursor += 1;
            true
        } else {
            false
        }
    }
    fn token(&self) -> &Token {
        &self.tokens[self.cursor - 1]
    }
    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.cursor - 1]
    }
}

impl Tokenizer for KindredTokenizer {
    type TokenStream<'a> = VecTokenStream;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream {
        let tokens = kindred_text::terms(text)
            .into_iter()
            .enumerate()
            .map(|(position, text)| Token {
                position,
                text,
                ..Token::default()
            })
            .collect();
        VecTokenStream { tokens, cursor: 0 }
    }
}

fn register(index: &Index) {
    index.tokenizers().register(TOKENIZER, KindredTokenizer);
}

/// Builds a new index in `dir` (which must not hold one) from passages.
pub fn build<'a>(dir: &Path, passages: impl IntoIterator<Item = IndexPassage<'a>>) -> Result<(), Error> {
    let tantivy_error = |source| Error::Tantivy {
        path: dir.to_owned(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(|source| Error::Io {
        path: dir.to_owned(),
        source,
    })?;
    let (schema, fields) = schema();
    let index = Index::create_in_dir(dir, schema).map_err(tantivy_error)?;
    register(&index);
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 4);
    let mut writer: IndexWriter = index
        .writer_with_num_threads(threads, 64 * 1024 * 1024 * threads)
        .map_err(tantivy_error)?;
    for passage in passages {
        let mut document = doc!(
            fields.passage_idx => u64::from(passage.passage_idx),
            fields.text => passage.text,
            fields.question => passage.question,
            fields.names => passage.names,
        );
        if let Some(condition) = passage.condition {
            document.add_u64(fields.condition, u64::from(condition));
        }
        writer.add_document(document).map_err(tantivy_error)?;
    }
    writer.commit().map_err(tantivy_error)?;
    writer.wait_merging_threads().map_err(tantivy_error)?;
    Ok(())
}

/// An open index.
pub struct SearchIndex {
    path: PathBuf,
    reader: IndexReader,
    fields: Fields,
}

impl SearchIndex {
    /// Opens the index in `dir`.
    pub fn open(dir: &Path) -> Result<SearchIndex, Error> {
        let tantivy_error = |source| Error::Tantivy {
            path: dir.to_owned(),
            source,
        };
        let index = Index::open_in_dir(dir).map_err(tantivy_error)?;
        register(&index);
        let reader = index.reader().map_err(tantivy_error)?;
        let (_, fields) = schema();
        Ok(SearchIndex {
            path: dir.to_owned(),
            reader,
            fields,
        })
    }

    /// Number of passages indexed.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Whether the index is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Document frequency of a term in passage text, and the number of passages: for IDF.
    pub fn text_doc_freq(&self, term: &str) -> (u64, u64) {
        let searcher = self.reader.searcher();
        let freq = searcher
            .doc_freq(&Term::from_field_text(self.fields.text, term))
            .unwrap_or(0);
        (freq, searcher.num_docs())
    }

    /// BM25 search for `terms` with field weights. With `conditions`, only passages of those
    /// conditions are returned, every one of them (scored 0 when no term matches).
    pub fn search(
        &self,
        terms: &[String],
        weights: FieldWeights,
        conditions: Option<&[u32]>,
        limit: usize,
    ) -> Result<Vec<Hit>, Error> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let mut should: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut unique: Vec<&String> = terms.iter().collect();
        unique.sort();
        unique.dedup();
        for (field, weight) in [
            (self.fields.text, weights.text),
            (self.fields.question, weights.question),
            (self.fields.names, weights.names),
        ] {
            if weight <= 0.0 {
                continue;
            }
            for term in &unique {
                let query = TermQuery::new(Term::from_field_text(field, term), IndexRecordOption::WithFreqs);
                should.push((Occur::Should, Box::new(BoostQuery::new(Box::new(query), weight))));
            }
        }
        let query: Box<dyn Query> = match conditions {
            Some(conditions) => {
                // A union of term queries, not a `TermSetQuery`: that builds an FST of the terms
                // on every search, and its builder's table alone was a fifth of a batch `ask`.
                let filter = BooleanQuery::new(
                    conditions
                        .iter()
                        .map(|&c| {
                            let term = Term::from_field_u64(self.fields.condition, u64::from(c));
                            let query: Box<dyn Query> =
                                Box::new(TermQuery::new(term, IndexRecordOption::Basic));
                            (Occur::Should, query)
                        })
                        .collect(),
                );
                let mut clauses: Vec<(Occur, Box<dyn Query>)> =
                    vec![(Occur::Must, Box::new(ConstScoreQuery::new(Box::new(filter), 0.0)))];
                if !should.is_empty() {
                    clauses.push((Occur::Should, Box::new(BooleanQuery::new(should))));
                }
                Box::new(BooleanQuery::new(clauses))
            }
            None => {
                if should.is_empty() {
                    return Ok(Vec::new());
                }
                Box::new(BooleanQuery::new(should))
            }
        };
        let searcher = self.reader.searcher();
        let tantivy_error = |source| Error::Tantivy {
            path: self.path.clone(),
            source,
        };
        let top = searcher
            .search(
                &query,
                &tantivy::collector::TopDocs::with_limit(limit).order_by_score(),
            )
            .map_err(tantivy_error)?;
        // Passage ids come from a fast field: reading the document store would decompress a block
        // per hit.
        let mut columns = Vec::with_capacity(searcher.segment_readers().len());
        for segment in searcher.segment_readers() {
            columns.push(segment.fast_fields().u64("passage_idx").map_err(tantivy_error)?);
        }
        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            if let Some(passage_idx) = columns
                .get(address.segment_ord as usize)
                .and_then(|c| c.first(address.doc_id))
            {
                hits.push(Hit {
                    passage_idx: passage_idx as u32,
                    score,
                    address: (address.segment_ord, address.doc_id),
                });
            }
        }
        Ok(hits)
    }

    /// For each hit, a bit mask of which `terms` (at most 64) occur in its text or question: read
    /// from the postings, so no passage is tokenised again.
    pub fn term_presence(&self, hits: &[Hit], terms: &[String]) -> Result<Vec<u64>, Error> {
        let tantivy_error = |source: std::io::Error| Error::Tantivy {
            path: self.path.clone(),
            source: source.into(),
        };
        let searcher = self.reader.searcher();
        let mut masks = vec![0u64; hits.len()];
        let mut by_segment: Vec<Vec<(u32, usize)>> = vec![Vec::new(); searcher.segment_readers().len()];
        for (hit_idx, hit) in hits.iter().enumerate() {
            if let Some(docs) = by_segment.get_mut(hit.address.0 as usize) {
                docs.push((hit.address.1, hit_idx));
            }
        }
        for (segment_ord, docs) in by_segment.iter_mut().enumerate() {
            if docs.is_empty() {
                continue;
            }
            docs.sort_unstable();
            let segment = searcher.segment_reader(segment_ord as u32);
            for field in [self.fields.text, self.fields.question] {
                let inverted = segment.inverted_index(field).map_err(|source| Error::Tantivy {
                    path: self.path.clone(),
                    source,
                })?;
                for (term_idx, term) in terms.iter().take(64).enumerate() {
                    let Some(mut postings) = inverted
                        .read_postings(&Term::from_field_text(field, term), IndexRecordOption::Basic)
                        .map_err(tantivy_error)?
                    else {
                        continue;
                    };
                    for &(doc, hit_idx) in docs.iter() {
                        if postings.doc() > doc {
                            continue;
                        }
                        if postings.seek(doc) == doc {
                            masks[hit_idx] |= 1 << term_idx;
                        }
                        if postings.doc() == tantivy::TERMINATED {
                            break;
                        }
                    }
                }
            }
        }
        Ok(masks)
    }
}
