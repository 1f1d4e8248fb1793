//! Oversight endpoints: revealing a tipster's contact details (a reason, a granted
//! permission, an audit event), and the auditor's search and export of the audit trail.

use super::auth::Staff;
use super::json::{IdPath, JsonBody, QueryParams};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use domain::FieldError;
use domain::time::rfc3339;
use serde::{Deserialize, Serialize};
use store::model::AuditQuery;
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RevealRequest {
    /// Why you need to contact the tipster (at least 10 characters); recorded.
    pub reason: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct ContactView {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// Reveal the contact details a tipster chose to give. Needs the reveal permission an
/// administrator grants, and a reason; every reveal is an audit event.
#[utoipa::path(post, path = "/api/v1/tips/{id}/contact", tag = "desk", security(("bearer" = [])), params(("id" = i64, Path)), request_body = RevealRequest,
    responses((status = 200, body = ContactView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn reveal_contact(
    State(state): State<AppState>,
    staff: Staff,
    IdPath(id): IdPath,
    JsonBody(r, _): JsonBody<RevealRequest>,
) -> ApiResult<Json<ContactView>> {
    let c = app::oversight::reveal_contact(&state, &staff.viewer(), id, &r.reason).await?;
    Ok(Json(ContactView::from(c)))
}

impl From<app::oversight::Contact> for ContactView {
    fn from(c: app::oversight::Contact) -> Self {
        ContactView { name: c.name, phone: c.phone, email: c.email }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// e.g. `user:12`, `tipster`, `system`, `cli`.
    pub actor: Option<String>,
    /// e.g. `tip.read`, `contact.revealed`.
    pub action: Option<String>,
    /// e.g. `tip:42`.
    pub object: Option<String>,
    /// RFC 3339 lower bound (inclusive).
    pub from: Option<String>,
    /// RFC 3339 upper bound (exclusive).
    pub to: Option<String>,
    /// At most this many (default 1000).
    pub limit: Option<i64>,
    /// `json` (default) or `csv`.
    pub format: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct AuditEventView {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub object: String,
    pub reason: String,
    pub detail: serde_json::Value,
    pub hash: String,
}

impl From<domain::audit::StoredAudit> for AuditEventView {
    fn from(e: domain::audit::StoredAudit) -> Self {
        AuditEventView {
            seq: e.seq,
            at: rfc3339(e.at_ms),
            detail: crate::views::stored_json("audit detail", &e.detail),
            actor: e.actor,
            action: e.action,
            object: e.object,
            reason: e.reason,
            hash: e.hash,
        }
    }
}

fn parse_time(field: &str, v: &Option<String>) -> ApiResult<Option<i64>> {
    match v {
        None => Ok(None),
        Some(s) => time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
            .map(|t| Some((t.unix_timestamp_nanos() / 1_000_000) as i64))
            .map_err(|_| {
                ApiError::App(app::AppError::Invalid(FieldError::new(
                    field,
                    "must be an RFC 3339 time, e.g. 2026-11-22T00:00:00Z",
                )))
            }),
    }
}

/// Search and export the audit trail (auditors). The search is itself recorded.
#[utoipa::path(get, path = "/api/v1/audit", tag = "oversight", security(("bearer" = [])), params(AuditParams),
    responses((status = 200, body = [AuditEventView]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn search(
    State(state): State<AppState>,
    staff: Staff,
    QueryParams(p): QueryParams<AuditParams>,
) -> ApiResult<Response> {
    // Refused as a non-auditor before any parameter is judged.
    app::oversight::may_search_audit(&staff.viewer())?;
    let csv = match p.format.as_deref() {
        None | Some("json") => false,
        Some("csv") => true,
        Some(_) => return Err(ApiError::App(app::AppError::Invalid(FieldError::new("format", "must be json or csv")))),
    };
    let q = AuditQuery {
        actor: p.actor,
        action: p.action,
        object: p.object,
        from_ms: parse_time("from", &p.from)?,
        to_ms: parse_time("to", &p.to)?,
        limit: p.limit.unwrap_or(1000),
        // The use case sets the viewer's scope.
        agency: None,
    };
    let events = app::oversight::search_audit(&state, &staff.viewer(), &q).await?;
    let views: Vec<AuditEventView> = events.into_iter().map(AuditEventView::from).collect();
    if !csv {
        return Ok(Json(views).into_response());
    }
    let quote = crate::views::csv::cell;
    let mut out = String::from("seq,at,actor,action,object,reason,detail,hash\n");
    for v in &views {
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{}\n",
            v.seq,
            v.at,
            quote(&v.actor),
            quote(&v.action),
            quote(&v.object),
            quote(&v.reason),
            quote(&v.detail.to_string()),
            v.hash
        ));
    }
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"audit.csv\""),
        ],
        out,
    )
        .into_response())
}

/// What the instance signed of its audit chain: its public key and every checkpoint.
#[derive(Serialize, ToSchema)]
pub struct CheckpointsView {
    /// The ed25519 key checkpoints are signed with, hex: pin it where you keep them.
    pub public_key: String,
    pub checkpoints: Vec<CheckpointView>,
}

/// One signed head of the chain (a line of `sightline audit checkpoint`).
#[derive(Serialize, ToSchema)]
pub struct CheckpointView {
    pub seq: i64,
    pub hash: String,
    pub keyed_from: i64,
    pub at: String,
    pub public_key: String,
    pub signature: String,
}

/// The signed checkpoints of the audit chain (auditors): keep copies elsewhere, and
/// `sightline audit verify --checkpoints FILE` proves nothing behind them was rewritten or cut.
#[utoipa::path(get, path = "/api/v1/audit/checkpoints", tag = "oversight", security(("bearer" = [])),
    responses((status = 200, body = CheckpointsView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn checkpoints(State(state): State<AppState>, staff: Staff) -> ApiResult<Json<CheckpointsView>> {
    let (public_key, log) = app::chain::checkpoints(&state, &staff.viewer())?;
    let checkpoints = log
        .into_iter()
        .map(|c| CheckpointView {
            seq: c.seq,
            hash: c.hash,
            keyed_from: c.keyed_from,
            at: c.at,
            public_key: c.public_key,
            signature: c.signature,
        })
        .collect();
    Ok(Json(CheckpointsView { public_key, checkpoints }))
}

pub fn router() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/api/v1/tips/{id}/contact", post(reveal_contact))
        .route("/api/v1/audit", get(search))
        .route("/api/v1/audit/checkpoints", get(checkpoints))
}
