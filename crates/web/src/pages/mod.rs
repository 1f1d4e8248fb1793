//! Server-rendered HTML: the tipster's pages and the staff console. Templates (in
//! `templates/`) auto-escape; pages work without JavaScript, which only adds live updates and
//! countdowns. Every action a page takes goes through the same `intake`, `desk` and `links`
//! functions as the JSON API.

pub mod account;
pub mod chrome;
pub mod cookies;
pub mod failure;
pub mod i18n;
pub mod leave;
pub mod notice;
pub mod public;
pub mod staff;
pub mod staff_actions;
pub mod staff_admin;
pub mod upload;
mod wall;

use crate::state::AppState;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

/// Largest form submission (five 10 MB files and the text).
pub const FORM_LIMIT: usize = 55 * 1024 * 1024;

/// The HTML pages: each feature's routes, the static files, and the language cookie.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(public::router())
        .merge(staff::router())
        .merge(staff_actions::router())
        .merge(staff_admin::router())
        .merge(wall::router())
        .route(account::PASSWORD_PATH, axum::routing::get(account::form).post(account::change))
        .route(account::ACCOUNT_PATH, axum::routing::get(account::account))
        .route("/staff/account/recovery-codes", axum::routing::post(account::renew_codes))
        .route("/staff/account/sign-out-everywhere", axum::routing::post(account::sign_out_everywhere))
        .route("/static/app.css", get(css))
        .route("/static/staff.js", get(staff_js))
        .layer(DefaultBodyLimit::max(FORM_LIMIT))
        .layer(axum::middleware::from_fn(chrome::remember_lang))
}

async fn css() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        include_str!("../../static/app.css"),
    )
}

async fn staff_js() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        include_str!("../../static/staff.js"),
    )
}

/// Renders a template into an HTML response with the given status.
pub fn render(status: axum::http::StatusCode, t: &impl askama::Template) -> axum::response::Response {
    match t.render() {
        Ok(html) => (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (axum::http::StatusCode::INTERNAL_SERVER_ERROR, "something went wrong on our side").into_response()
        }
    }
}
