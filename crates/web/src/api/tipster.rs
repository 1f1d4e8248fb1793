//! The tipster's follow-up: sign in with reference and passphrase, read status and messages,
//! answer questions and add information.

use super::auth::Tipster;
use super::json::JsonBody;
use crate::abuse::{Limited, TipsterSignInApi};
use crate::error::{ApiResult, ErrorBody};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use domain::time::rfc3339;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SessionRequest {
    pub reference: String,
    pub passphrase: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct SessionResponse {
    /// Send as `Authorization: Bearer <token>`; valid for two hours.
    pub token: String,
}

/// Sign in as the tipster of a tip.
///
/// A wrong reference and a wrong passphrase get the same answer.
#[utoipa::path(post, path = "/api/v1/tipster/session", tag = "tipster", request_body = SessionRequest,
    responses((status = 200, body = SessionResponse), (status = 401, body = ErrorBody), (status = 400, body = ErrorBody)))]
pub async fn sign_in(
    State(state): State<AppState>,
    _: Limited<TipsterSignInApi>,
    JsonBody(req, _): JsonBody<SessionRequest>,
) -> ApiResult<Json<SessionResponse>> {
    let token = app::tipster::open_session(&state, &req.reference, &req.passphrase).await?;
    Ok(Json(SessionResponse { token }))
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct TipsterMessage {
    /// `you` or `staff`.
    pub from: String,
    pub body: String,
    /// RFC 3339.
    pub at: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct TipsterView {
    pub reference: String,
    /// The status in plain words.
    pub status: String,
    pub category: String,
    pub received_at: String,
    pub messages: Vec<TipsterMessage>,
}

/// The tipster's own tip: status in plain words and the conversation.
#[utoipa::path(get, path = "/api/v1/tipster/tip", tag = "tipster", security(("bearer" = [])),
    responses((status = 200, body = TipsterView), (status = 401, body = ErrorBody)))]
pub async fn view(State(state): State<AppState>, Tipster(tip_id): Tipster) -> ApiResult<Json<TipsterView>> {
    let v = app::tipster::view(&state, tip_id).await?;
    Ok(Json(TipsterView {
        reference: v.reference,
        status: v.status.tipster_words().into(),
        category: v.category.code().into(),
        received_at: rfc3339(v.received_at),
        messages: v
            .messages
            .into_iter()
            .map(|m| TipsterMessage {
                from: if m.from == app::tipster::From::You { "you" } else { "staff" }.into(),
                body: m.body,
                at: rfc3339(m.at),
            })
            .collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MessageRequest {
    pub body: String,
}

/// Answer a question or add information.
#[utoipa::path(post, path = "/api/v1/tipster/messages", tag = "tipster", security(("bearer" = [])), request_body = MessageRequest,
    responses((status = 201, description = "Stored"), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn post_message(
    State(state): State<AppState>,
    Tipster(tip_id): Tipster,
    JsonBody(req, _): JsonBody<MessageRequest>,
) -> ApiResult<StatusCode> {
    app::tipster::add_message(&state, tip_id, Some(req.body), Vec::new()).await?;
    Ok(StatusCode::CREATED)
}

pub fn router() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/api/v1/tipster/session", post(sign_in))
        .route("/api/v1/tipster/tip", get(view))
        .route("/api/v1/tipster/messages", post(post_message))
}
