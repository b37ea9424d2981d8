//! Shared state of the server: the open library and a cache of serialised answers.

use std::sync::Arc;

use axum::body::Bytes;
use kindred_app::Kindred;

/// Answers cached (by normalised question and limit). Answers are deterministic for one library
/// generation, and popular questions repeat; a cache entry is a few kilobytes.
const ANSWER_CACHE_ENTRIES: usize = 4096;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The library and answer engine.
    pub kindred: Arc<Kindred>,
    /// Serialised `/api/v1/ask` answers.
    pub answers: Arc<quick_cache::sync::Cache<(String, usize), Bytes>>,
}

impl AppState {
    /// State over an open library.
    pub fn new(kindred: Kindred) -> AppState {
        AppState {
            kindred: Arc::new(kindred),
            answers: Arc::new(quick_cache::sync::Cache::new(ANSWER_CACHE_ENTRIES)),
        }
    }
}
