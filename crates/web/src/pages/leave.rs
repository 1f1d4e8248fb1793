//! Leaving at once, on a possibly shared phone: the quick exit on every public page goes to a
//! neutral site and ends any follow-up session; signing out of the follow-up ends it too.

use super::chrome::PageLang;
use super::cookies::{clear_cookie, cookie};
use super::public::TIPSTER_COOKIE;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Redirect, Response};

/// Where the quick exit goes: a page nobody would wonder about.
pub const NEUTRAL_SITE: &str = "https://www.weather.gov/";

/// Ends the follow-up session, if there is one, and clears its cookie.
async fn end_session(state: &AppState, headers: &HeaderMap) -> [(header::HeaderName, String); 1] {
    if let Some(token) = cookie(headers, TIPSTER_COOKIE)
        && let Err(e) = app::tipster::end_session(state, &token).await
    {
        // The cookie is cleared anyway; the session would lapse on its own.
        tracing::error!(error = %e, "a follow-up session could not be ended");
    }
    [(header::SET_COOKIE, clear_cookie(TIPSTER_COOKIE, "/follow-up"))]
}

/// A link, not a form (a form's redirect to another site is stopped by the page policy).
pub async fn quick_exit(State(state): State<AppState>, headers: HeaderMap) -> Response {
    (end_session(&state, &headers).await, Redirect::to(NEUTRAL_SITE)).into_response()
}

pub async fn sign_out(State(state): State<AppState>, PageLang(lang): PageLang, headers: HeaderMap) -> Response {
    (end_session(&state, &headers).await, Redirect::to(&format!("/follow-up?lang={}", lang.code()))).into_response()
}
