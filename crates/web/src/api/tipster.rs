//! The tipster's follow-up: sign in with reference and passphrase, read status and messages,
//! answer questions and add information.

use super::auth::Tipster;
use super::json::JsonBody;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::intake::passphrase_hash;
use crate::secrets::{new_token, normalise_code, token_hash};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use domain::audit::AuditAction;
use serde::{Deserialize, Serialize};
use store::model::{NewAudit, TipChange};
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
    JsonBody(req, _): JsonBody<SessionRequest>,
) -> ApiResult<Json<SessionResponse>> {
    let token = open_session(&state, &req.reference, &req.passphrase).await?;
    Ok(Json(SessionResponse { token }))
}

/// Checks a reference and passphrase and opens a session: the token, or `Unauthorized`
/// (the same whether the reference exists or not).
pub async fn open_session(state: &AppState, reference: &str, passphrase: &str) -> ApiResult<String> {
    let reference = format_reference(reference);
    let key = reference.clone().unwrap_or_default();
    if state.limiter.exceeded(crate::abuse::PASSPHRASE, key.as_bytes(), state.now()) {
        return Err(ApiError::TooMany);
    }
    // The hash is computed whether or not the reference exists, so timing tells nothing.
    let offered = passphrase_hash(&state.secrets, passphrase);
    let found = match reference {
        Some(r) => state.store.tip_credentials(&r).await?,
        None => None,
    };
    let matches = found.as_ref().is_some_and(|(_, stored)| constant_time_eq(offered.as_bytes(), stored.as_bytes()));
    let Some((tip_id, _)) = found.filter(|_| matches) else {
        state.limiter.allow(crate::abuse::PASSPHRASE, key.as_bytes(), state.now());
        return Err(ApiError::Unauthorized);
    };
    let token = new_token("tps");
    let now = state.now();
    state
        .store
        .create_tipster_session(&token_hash(&token), tip_id, now + state.options.tipster_session_ms, now)
        .await?;
    Ok(token)
}

/// Adds a tipster's message (and files) to their tip, retrying if staff changed the tip meanwhile.
pub async fn add_message(
    state: &AppState,
    tip_id: i64,
    body: Option<String>,
    files: Vec<store::model::NewAttachment>,
) -> ApiResult<()> {
    let key = crate::sealed::data_key(state, tip_id).await?;
    for _ in 0..3 {
        let tip = state.store.get_tip(tip_id).await?;
        let now = state.now();
        let detail = serde_json::json!({"message": body.is_some(), "attachments": files.len()});
        let sealed_body = body.as_deref().map(|b| crate::sealed::seal_message(key.as_ref(), &tip.reference, b));
        let sealed_files: Vec<store::model::NewAttachment> = files
            .iter()
            .map(|f| store::model::NewAttachment {
                data: crate::sealed::seal_file(key.as_ref(), &tip.reference, &f.data),
                ..f.clone()
            })
            .collect();
        let change = TipChange {
            tip_id,
            expected_version: tip.version,
            now,
            messages: sealed_body.iter().map(|b| ("tipster".to_owned(), None, b.clone())).collect(),
            attachments: sealed_files,
            audit: vec![
                NewAudit::new(now, "tipster", AuditAction::MessageFromTipster, format!("tip:{tip_id}")).detail(detail),
            ],
            ..Default::default()
        };
        match state.store.commit_tip_change(change).await {
            Ok(()) => {
                let event = crate::state::TipEvent {
                    tip_id,
                    kind: "changed",
                    tier: tip.tier.code(),
                    agencies: tip.active_agencies,
                };
                state.publish(event);
                return Ok(());
            }
            // Staff changed the tip meanwhile: the message must still land.
            Err(store::StoreError::Conflict(_)) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(ApiError::Conflict("the tip is busy; please send again".into()))
}

fn format_reference(typed: &str) -> Option<String> {
    let code = normalise_code(typed);
    (code.len() == 8).then(|| format!("{}-{}", &code[..4], &code[4..]))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
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
    let d = state.store.tip_detail(tip_id).await?;
    let key = crate::sealed::data_key(&state, tip_id).await?;
    let reference = d.tip.reference.clone();
    Ok(Json(TipsterView {
        reference: d.tip.reference,
        status: d.tip.status.tipster_words().into(),
        category: d.tip.category,
        received_at: super::rfc3339(d.tip.received_at),
        messages: d
            .messages
            .into_iter()
            .map(|m| TipsterMessage {
                from: if m.author == "tipster" { "you".into() } else { "staff".into() },
                body: crate::sealed::open_message(key.as_ref(), &reference, &m.body),
                at: super::rfc3339(m.created_at),
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
    let body = crate::desk::message_body(&req.body)?;
    add_message(&state, tip_id, Some(body), Vec::new()).await?;
    Ok(StatusCode::CREATED)
}
