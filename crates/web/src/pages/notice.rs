//! Console notices ("Acknowledged.", "Not done — reason: …", a new user's one-time password)
//! kept with the session on the server and shown once on the next page — never in the URL,
//! where they would land in the browser's history and anyone could forge one.

use super::staff::Console;
use crate::state::AppState;
use axum::response::{IntoResponse, Redirect, Response};

/// Between the page a notice is for and its words, in what is stored.
const SEPARATOR: char = '\u{1f}';

/// Leaves `message` for the page at `to` (the session's next page) and sends the browser there.
pub async fn leave(state: &AppState, console: &Console, message: &str, to: &str) -> Response {
    let page = to.split('#').next().unwrap_or(to);
    let stored = format!("{page}{SEPARATOR}{message}");
    if let Err(e) = app::auth::leave_notice(state, console.session_id, &stored).await {
        return super::failure::console(e);
    }
    Redirect::to(to).into_response()
}

/// The notice left for the page at `page`, once; one left for another page is dropped rather
/// than shown out of place. A failure to read it costs only the notice: the page still shows
/// (and the error is logged).
pub async fn take(state: &AppState, console: &Console, page: &str) -> Option<String> {
    let stored = app::auth::take_notice(state, console.session_id).await.unwrap_or_else(|e| {
        tracing::error!(error = %e, "a console notice could not be read");
        None
    })?;
    let (for_page, message) = stored.split_once(SEPARATOR)?;
    (for_page == page).then(|| message.to_owned())
}
