//! Shared state of the server: the open library, the community over its database, and a cache of
//! serialised answers.

use std::sync::Arc;

use axum::body::Bytes;
use kindred_app::Kindred;
use kindred_app::community::Community;

/// Answers cached (by normalised question and limit). Answers are deterministic for one library
/// generation, and popular questions repeat; a cache entry is a few kilobytes.
const ANSWER_CACHE_ENTRIES: usize = 4096;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The library and answer engine.
    pub kindred: Arc<Kindred>,
    /// Accounts, profiles, Alikes, groups, posts, tracker data.
    pub community: Arc<Community>,
    /// Serialised `/api/v1/ask` answers.
    pub answers: Arc<quick_cache::sync::Cache<(String, usize), Bytes>>,
    /// Whether cookies are marked `Secure` (set when Kindred is served over HTTPS).
    pub secure_cookies: bool,
    /// Proxies whose `X-Forwarded-For` or `Forwarded` header names the client; without any, the
    /// socket's peer is the client.
    pub trusted_proxies: Arc<[ipnet::IpNet]>,
}

impl AppState {
    /// State over an open library and community.
    pub fn new(kindred: Kindred, community: Community) -> AppState {
        AppState {
            kindred: Arc::new(kindred),
            community: Arc::new(community),
            answers: Arc::new(quick_cache::sync::Cache::new(ANSWER_CACHE_ENTRIES)),
            secure_cookies: false,
            trusted_proxies: Arc::from([]),
        }
    }

    /// State over a library and community already shared (tests share one library).
    pub fn from_parts(kindred: Arc<Kindred>, community: Arc<Community>) -> AppState {
        AppState {
            kindred,
            community,
            answers: Arc::new(quick_cache::sync::Cache::new(ANSWER_CACHE_ENTRIES)),
            secure_cookies: false,
            trusted_proxies: Arc::from([]),
        }
    }

    /// The same state, trusting these proxies to name the client.
    pub fn with_trusted_proxies(mut self, proxies: Vec<ipnet::IpNet>) -> AppState {
        self.trusted_proxies = proxies.into();
        self
    }

    /// The same state, with cookies marked `Secure` or not.
    pub fn with_secure_cookies(mut self, secure: bool) -> AppState {
        self.secure_cookies = secure;
        self
    }
}
