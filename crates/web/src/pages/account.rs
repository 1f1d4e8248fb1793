//! The signed-in user's own account: changing the password (required first when the password
//! was one someone else chose).

use super::render;
use super::staff::Console;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

/// The password page.
pub const PASSWORD_PATH: &str = "/staff/password";
/// What a session that must change its password may still open.
pub const PATHS: [&str; 2] = [PASSWORD_PATH, "/staff/logout"];

#[derive(Template)]
#[template(path = "staff/password.html")]
struct PasswordPage {
    console: Console,
    required: bool,
    error: Option<String>,
    flash: Option<String>,
}

pub async fn form(State(state): State<AppState>, console: Console) -> Response {
    let flash = super::notice::take(&state, &console, PASSWORD_PATH).await.map(|n| n.text);
    let required = console.must_change_password;
    render(StatusCode::OK, &PasswordPage { console, required, error: None, flash })
}

#[derive(Deserialize)]
pub struct Change {
    csrf: String,
    current: String,
    password: String,
    confirm: String,
}

pub async fn change(State(state): State<AppState>, console: Console, Form(f): Form<Change>) -> Response {
    if !vault::same_secret(f.csrf.as_bytes(), console.csrf.as_bytes()) {
        let refused = (StatusCode::FORBIDDEN, "the form was not sent from this console (missing or wrong CSRF token)");
        return axum::response::IntoResponse::into_response(refused);
    }
    let refused = |console: Console, why: String| {
        let required = console.must_change_password;
        render(StatusCode::UNPROCESSABLE_ENTITY, &PasswordPage { console, required, error: Some(why), flash: None })
    };
    if f.password != f.confirm {
        return refused(console, "The new password and its repetition differ.".into());
    }
    match app::auth::change_password(&state, &console.user, &f.current, &f.password).await {
        Ok(()) => super::notice::leave(&state, &console, "Password changed.", true, "/staff").await,
        Err(app::AppError::Invalid(e)) => {
            let why = match e.field.as_str() {
                "current" => "That is not your current password.".to_owned(),
                _ => format!("The new password {}.", e.reason),
            };
            refused(console, why)
        }
        Err(e) => super::failure::console(e),
    }
}
