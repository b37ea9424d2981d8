//! Text primitives shared by every Kindred crate: repair, normalisation, tokenising, sentences and
//! fingerprints.
//!
//! This crate knows no other Kindred crate. Everything here is a pure function of its input, so the
//! index, the corpus readers and the answer engine agree on what a "term" is: a question and a passage
//! are tokenised by the very same code.

mod fingerprint;
mod normalize;
mod sentences;
mod terms;
mod typed;

pub use fingerprint::{Fingerprint, containment, shingle_fingerprint};
pub use normalize::{collapse_whitespace, fold_for_match, normalize, repair_mojibake, slugify};
pub use sentences::sentences;
pub use terms::{STOPWORDS, cased_words, is_stopword, stem, terms, within_edit_distance, words};
pub use typed::{Lines, TypedTextProblem, check_typed_text, is_invisible};
