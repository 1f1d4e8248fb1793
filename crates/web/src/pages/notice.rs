//! Console notices ("Acknowledged.", "Not done — reason: …", a new user's one-time password)
//! kept with the session on the server and shown once on the next page — never in the URL,
//! where they would land in the browser's history and anyone could forge one.

use super::staff::Console;
use crate::state::AppState;
use axum::response::{IntoResponse, Redirect, Response};

/// Leaves `message` for the session's next page and sends the browser to `to`.
pub async fn leave(state: &AppState, console: &Console, message: &str, to: &str) -> Response {
    if let Err(e) = app::auth::leave_notice(state, console.session_id, message).await {
        return super::failure::console(e);
    }
    Redirect::to(to).into_response()
}

/// The notice left for this page, once. A failure to read it costs only the notice: the page
/// still shows (and the error is logged).
pub async fn take(state: &AppState, console: &Console) -> Option<String> {
    app::auth::take_notice(state, console.session_id).await.unwrap_or_else(|e| {
        tracing::error!(error = %e, "a console notice could not be read");
        None
    })
}
