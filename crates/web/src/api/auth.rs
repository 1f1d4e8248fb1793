//! Staff authentication: a bearer API token on every staff request. Tokens are random
//! 256-bit strings stored only as SHA-256 hashes.

use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use store::model::User;

/// A signed-in staff member.
pub struct Staff(pub User);

impl Staff {
    pub fn viewer(&self) -> domain::staff::Viewer {
        self.0.viewer()
    }
}

pub fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(axum::http::header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim()).filter(|t| !t.is_empty())
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = bearer(parts).ok_or(ApiError::App(app::AppError::Unauthorized))?;
        match app::auth::authenticate(state, token, domain::staff::TokenKind::Api, false).await? {
            Ok(auth) => Ok(Staff(auth.user)),
            Err(_) => Err(ApiError::App(app::AppError::Unauthorized)),
        }
    }
}

/// A tipster signed in with reference and passphrase: the tip they may see.
pub struct Tipster(pub i64);

impl FromRequestParts<AppState> for Tipster {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = bearer(parts).ok_or(ApiError::App(app::AppError::Unauthorized))?;
        let tip = app::tipster::session_tip(state, token).await?.ok_or(ApiError::App(app::AppError::Unauthorized))?;
        Ok(Tipster(tip))
    }
}
