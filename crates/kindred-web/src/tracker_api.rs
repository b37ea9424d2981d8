//! (being written) routes of tracker_api.

use axum::Router;

use crate::state::AppState;

/// The routes of this module, merged into [`crate::router`].
pub(crate) fn routes() -> Router<AppState> {
    Router::new()
}
