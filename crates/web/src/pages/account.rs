//! The signed-in user's own account: who they are, the second factor and its recovery codes,
//! signing out everywhere, and changing the password (required first when the password was one
//! someone else chose).

use super::render;
use super::staff::Console;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

/// The password page.
pub const PASSWORD_PATH: &str = "/staff/password";
/// The account page.
pub const ACCOUNT_PATH: &str = "/staff/account";
/// What a session that must change its password may still open.
pub const PATHS: [&str; 2] = [PASSWORD_PATH, "/staff/logout"];

#[derive(Template)]
#[template(path = "staff/account.html")]
struct AccountPage {
    console: Console,
    agency: String,
    roles: String,
    second_factor_since: Option<String>,
    recovery_codes_left: usize,
    sessions: usize,
    /// Recovery codes just made, shown this once.
    new_codes: Vec<String>,
    flash: Option<String>,
    error: Option<String>,
}

async fn account_page(
    state: &AppState,
    console: Console,
    new_codes: Vec<String>,
    error: Option<String>,
    flash: Option<String>,
) -> Response {
    let loaded = async {
        let own = app::auth::own_security(state, &console.user).await?;
        let routing = state.routing().await?;
        Ok::<_, app::AppError>((own, routing.agency_name(console.user.agency_id)))
    };
    let (own, agency) = match loaded.await {
        Ok(l) => l,
        Err(e) => return super::failure::console(e),
    };
    let roles = console.user.roles.iter().map(|r| r.code()).collect::<Vec<_>>().join(", ");
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let page = AccountPage {
        console,
        agency,
        roles,
        second_factor_since: own.second_factor_since.map(domain::time::rfc3339),
        recovery_codes_left: own.recovery_codes_left,
        sessions: own.sessions,
        new_codes,
        flash,
        error,
    };
    render(status, &page)
}

pub async fn account(State(state): State<AppState>, console: Console) -> Response {
    let flash = super::notice::take(&state, &console, ACCOUNT_PATH).await.map(|n| n.text);
    account_page(&state, console, vec![], None, flash).await
}

#[derive(Deserialize)]
pub struct Renew {
    csrf: String,
    password: String,
}

fn forged(console: &Console, csrf: &str) -> Option<Response> {
    (!vault::same_secret(csrf.as_bytes(), console.csrf.as_bytes())).then(|| {
        let refused = (StatusCode::FORBIDDEN, "the form was not sent from this console (missing or wrong CSRF token)");
        axum::response::IntoResponse::into_response(refused)
    })
}

pub async fn renew_codes(State(state): State<AppState>, console: Console, Form(f): Form<Renew>) -> Response {
    if let Some(refused) = forged(&console, &f.csrf) {
        return refused;
    }
    match app::auth::renew_recovery_codes(&state, &console.user, &f.password).await {
        Ok(codes) => account_page(&state, console, codes, None, None).await,
        Err(app::AppError::Invalid(_)) => {
            account_page(&state, console, vec![], Some("That is not your password.".into()), None).await
        }
        Err(app::AppError::Conflict(why)) => account_page(&state, console, vec![], Some(why), None).await,
        Err(e) => super::failure::console(e),
    }
}

#[derive(Deserialize)]
pub struct Csrf {
    csrf: String,
}

pub async fn sign_out_everywhere(State(state): State<AppState>, console: Console, Form(f): Form<Csrf>) -> Response {
    if let Some(refused) = forged(&console, &f.csrf) {
        return refused;
    }
    match app::auth::end_sessions(&state, &console.user).await {
        Ok(_) => {
            // This browser's cookie goes too: its session has ended with the others.
            let clear =
                [(axum::http::header::SET_COOKIE, super::cookies::clear_cookie(super::staff::STAFF_COOKIE, "/staff"))];
            (clear, axum::response::Redirect::to("/staff/login?ended=everywhere")).into_response()
        }
        Err(e) => super::failure::console(e),
    }
}

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
        Err(app::AppError::Conflict(why)) => refused(console, format!("Not changed: {why}.")),
        Err(e) => super::failure::console(e),
    }
}
