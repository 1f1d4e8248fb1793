//! Console notices ("Acknowledged.", "Not done — reason: …", a new user's one-time password)
//! kept with the session on the server and shown once on the next page — never in the URL,
//! where they would land in the browser's history and anyone could forge one.

use super::staff::Console;
use crate::state::AppState;
use axum::response::{IntoResponse, Redirect, Response};

/// Between the page a notice is for and its words, in what is stored.
const SEPARATOR: char = '\u{1f}';

/// A notice as the page it is for receives it.
pub struct Notice {
    pub text: String,
    /// It reports the person's own action done on this page's record (already in the trail);
    /// a refusal is not one.
    pub after_own_action: bool,
}

/// Leaves `message` for the page at `to` (the session's next page) and sends the browser there;
/// `done` when it reports an action that was carried out.
pub async fn leave(state: &AppState, console: &Console, message: &str, done: bool, to: &str) -> Response {
    let page = to.split('#').next().unwrap_or(to);
    let stored = format!("{page}{SEPARATOR}{}{SEPARATOR}{message}", u8::from(done));
    if let Err(e) = app::auth::leave_notice(state, console.session_id, &stored).await {
        return super::failure::console(e);
    }
    Redirect::to(to).into_response()
}

/// The notice left for the page at `page`, once; one left for another page is dropped rather
/// than shown out of place. A failure to read it costs only the notice: the page still shows
/// (and the error is logged).
pub async fn take(state: &AppState, console: &Console, page: &str) -> Option<Notice> {
    let stored = app::auth::take_notice(state, console.session_id).await.unwrap_or_else(|e| {
        tracing::error!(error = %e, "a console notice could not be read");
        None
    })?;
    let mut parts = stored.splitn(3, SEPARATOR);
    let (for_page, done, text) = (parts.next()?, parts.next()?, parts.next()?);
    (for_page == page).then(|| Notice { text: text.to_owned(), after_own_action: done == "1" })
}
