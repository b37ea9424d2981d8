//! (being written) routes of community_pages.

use axum::Router;

use crate::state::AppState;

/// The routes of this module, merged into [`crate::router`].
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
}
