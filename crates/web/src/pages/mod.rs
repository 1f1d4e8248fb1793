//! Server-rendered HTML: the tipster's pages and the staff console. Templates (in
//! `templates/`) auto-escape; pages work without JavaScript, which only adds live updates and
//! countdowns. Every action a page takes goes through the same `intake`, `desk` and `links`
//! functions as the JSON API.

pub mod chrome;
pub mod cookies;
pub mod i18n;
pub mod public;
pub mod staff;
pub mod staff_actions;
pub mod staff_admin;
pub mod upload;

use crate::state::AppState;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::{get, post};

/// Largest form submission (five 10 MB files and the text).
pub const FORM_LIMIT: usize = 55 * 1024 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(public::form))
        .route("/tips", post(public::submit))
        .route("/follow-up", get(public::follow_up_form).post(public::follow_up_sign_in))
        .route("/follow-up/tip", get(public::follow_up_tip))
        .route("/follow-up/messages", post(public::follow_up_message))
        .route("/staff/login", get(staff::login_form).post(staff::login))
        .route("/staff/logout", post(staff::logout))
        .route("/staff/mfa/setup", get(staff::mfa_setup_form).post(staff::mfa_setup))
        .route("/staff/mfa", get(staff::mfa_form).post(staff::mfa))
        .route("/staff", get(staff::queue))
        .route("/staff/queue/rows", get(staff::queue_rows))
        .route("/staff/queue.csv", get(staff::queue_csv))
        .route("/staff/events", get(staff::events))
        .route("/staff/tips/{id}", get(staff::tip))
        .route("/staff/tips/{id}/{action}", post(staff_actions::act))
        .route("/staff/links/{id}/{action}", post(staff_actions::link_act))
        .route("/staff/attachments/{id}", get(staff::attachment))
        .route("/staff/dashboard", get(staff::dashboard))
        .route("/staff/admin", get(staff::admin))
        .route("/staff/admin/{what}", post(staff_admin::create))
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

#[derive(askama::Template)]
#[template(path = "error.html")]
struct ErrorPage {
    chrome: chrome::Chrome,
    title: &'static str,
    reason: String,
    back: &'static str,
    back_label: &'static str,
}

/// A use case's refusal or failure as a page with its status: what went wrong in words, and
/// the way back. A database error is a 500 page, never an empty list.
pub fn failed(e: impl Into<crate::error::ApiError>) -> axum::response::Response {
    use axum::http::StatusCode;
    let (status, field, reason) = e.into().parts();
    let title = match status {
        StatusCode::NOT_FOUND => "Not found",
        StatusCode::FORBIDDEN => "Not allowed",
        StatusCode::UNAUTHORIZED => "Sign in first",
        StatusCode::CONFLICT => "Not done",
        StatusCode::TOO_MANY_REQUESTS => "Too many attempts",
        s if s.is_server_error() => "Something went wrong",
        _ => "Not done",
    };
    let reason = match field {
        Some(f) => format!("{f}: {reason}"),
        None => reason,
    };
    let page = ErrorPage {
        chrome: chrome::Chrome::new(i18n::Lang::En, "/"),
        title,
        reason,
        back: "/staff",
        back_label: "Back to the console",
    };
    render(status, &page)
}
