//! A use case's refusal or failure as a page with its status: what went wrong in words and the
//! way back, in the chrome of the part of the site it happened in. A database error is a 500
//! page, never an empty list.

use super::chrome::Chrome;
use super::i18n::Lang;
use super::render;
use crate::error::ApiError;
use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;

#[derive(Template)]
#[template(path = "staff/error.html")]
struct ConsolePage {
    title: &'static str,
    reason: String,
}

/// On the staff console: the status in words and the reason (a 500's cause is logged, not shown).
pub fn console(e: impl Into<ApiError>) -> Response {
    let (status, field, reason) = e.into().parts();
    let title = match status {
        StatusCode::NOT_FOUND => "Not found",
        StatusCode::FORBIDDEN => "Not allowed",
        StatusCode::UNAUTHORIZED => "Sign in first",
        StatusCode::TOO_MANY_REQUESTS => "Too many attempts",
        s if s.is_server_error() => "Something went wrong",
        _ => "Not done",
    };
    let reason = match (status, field) {
        // The same answer whether it is absent or another agency's: existence is not disclosed.
        (StatusCode::NOT_FOUND, _) => "It does not exist, or your agency may not see it.".to_owned(),
        (_, Some(f)) => format!("{f}: {reason}"),
        (_, None) => reason,
    };
    render(status, &ConsolePage { title, reason })
}

#[derive(Template)]
#[template(path = "public/error.html")]
struct PublicPage {
    chrome: Chrome,
    /// A page that does not exist: said so, with the ways on.
    not_found: bool,
}

/// On the tipster's pages: the same words whatever failed (nothing about the cause helps a
/// scared visitor), in their language, with the crisis lines and the way back to the start.
pub fn public(e: impl Into<ApiError>, lang: Lang) -> Response {
    let (status, _, _) = e.into().parts();
    let mut chrome = Chrome::new(lang, "/");
    chrome.crisis_prominent = true;
    render(status, &PublicPage { chrome, not_found: status == StatusCode::NOT_FOUND })
}

/// A path no route serves: on the API the JSON error naming the path; elsewhere the public
/// page with the crisis lines, in the visitor's language.
pub async fn not_found(lang: super::chrome::PageLang, uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        return crate::error::json_error(StatusCode::NOT_FOUND, Some("path"), "no such endpoint");
    }
    public(ApiError::App(app::AppError::NotFound), lang.0)
}
