//! The answer engine: question analysis, ranking, extractive short answers, abstention and safety
//! wording.
//!
//! Pure: no IO. The caller (kindred-app) owns the library and the index; it hands this crate the
//! catalog's names once at ingest ([`FocusRecognizer::new`], whose result it stores with the library
//! and gives back at start-up), and per question the candidate passages with
//! their BM25 scores ([`Candidate`]). Nothing here writes medical content: short answers are
//! sentences of the cited passage, and the only wording of our own is safety wording (emergency,
//! no individual dosing, "not a substitute for professional advice").

mod analysis;
mod aspect;
mod focus;
mod rank;
mod safety;

pub use analysis::{Analysis, AnswerShape, QuestionAnalyzer, question_types};
pub use aspect::Aspect;
pub use focus::{FocusMatch, FocusRecognizer};
pub use rank::{Candidate, Decision, Ranked, RankingWeights, rank, short_answer};
pub use safety::{DISCLAIMER, Safety, safety_of};
