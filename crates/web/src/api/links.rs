//! Staff endpoints for the people a tip is about: links with reasons, decisions, and access
//! requests across agencies.

use super::auth::Staff;
use super::json::{IdPath, JsonBody};
use crate::error::{ApiResult, ErrorBody};
use crate::state::AppState;
use crate::views::link::LinkView;
use app::links;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use domain::link::LinkDecision;
use domain::time::rfc3339;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Tips that may be about the same person, with the reasons, strongest first.
#[utoipa::path(get, path = "/api/v1/tips/{id}/links", tag = "people", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = [LinkView]), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list(State(state): State<AppState>, staff: Staff, IdPath(id): IdPath) -> ApiResult<Json<Vec<LinkView>>> {
    let linked = links::links_of(&state, &staff.viewer(), id).await?;
    Ok(Json(linked.iter().map(|l| LinkView::of(id, l)).collect()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionRequest {
    /// Why (at least 10 characters); optional when confirming.
    #[serde(default)]
    pub reason: String,
}

/// Confirm: the two mentions are the same person.
#[utoipa::path(post, path = "/api/v1/links/{id}/confirm", tag = "people", security(("bearer" = [])), params(("id" = i64, Path)), request_body = DecisionRequest,
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn confirm(
    State(state): State<AppState>,
    staff: Staff,
    IdPath(id): IdPath,
    JsonBody(r, _): JsonBody<DecisionRequest>,
) -> ApiResult<StatusCode> {
    links::decide_link(&state, &staff.viewer(), id, LinkDecision::Confirm, &r.reason).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Reject: not the same person. The pair is never suggested again.
#[utoipa::path(post, path = "/api/v1/links/{id}/reject", tag = "people", security(("bearer" = [])), params(("id" = i64, Path)), request_body = DecisionRequest,
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn reject(
    State(state): State<AppState>,
    staff: Staff,
    IdPath(id): IdPath,
    JsonBody(r, _): JsonBody<DecisionRequest>,
) -> ApiResult<StatusCode> {
    links::decide_link(&state, &staff.viewer(), id, LinkDecision::Reject, &r.reason).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Undo a confirmation or rejection: the link is a suggestion again.
#[utoipa::path(post, path = "/api/v1/links/{id}/undo", tag = "people", security(("bearer" = [])), params(("id" = i64, Path)), request_body = DecisionRequest,
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn undo(
    State(state): State<AppState>,
    staff: Staff,
    IdPath(id): IdPath,
    JsonBody(r, _): JsonBody<DecisionRequest>,
) -> ApiResult<StatusCode> {
    links::decide_link(&state, &staff.viewer(), id, LinkDecision::Undo, &r.reason).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccessRequestBody {
    /// Why your agency needs the record (at least 10 characters).
    pub reason: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct AccessRequestCreated {
    pub request_id: i64,
}

/// Ask the agency holding the other side of a link for access to it.
#[utoipa::path(post, path = "/api/v1/links/{id}/request-access", tag = "people", security(("bearer" = [])), params(("id" = i64, Path)), request_body = AccessRequestBody,
    responses((status = 201, body = AccessRequestCreated), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn request_access(
    State(state): State<AppState>,
    staff: Staff,
    IdPath(id): IdPath,
    JsonBody(r, _): JsonBody<AccessRequestBody>,
) -> ApiResult<(StatusCode, Json<AccessRequestCreated>)> {
    let request_id = links::request_access(&state, &staff.viewer(), id, &r.reason).await?;
    Ok((StatusCode::CREATED, Json(AccessRequestCreated { request_id })))
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct AccessRequestView {
    pub id: i64,
    /// `incoming` (for a record your agency holds) or `outgoing` (your agency asked).
    pub direction: String,
    /// The record asked for; shown to the holding agency only.
    pub tip_id: Option<i64>,
    pub requesting_agency_id: i64,
    pub reason: String,
    pub state: String,
    pub created_at: String,
    pub decision_reason: Option<String>,
}

/// Access requests your agency made or must decide.
#[utoipa::path(get, path = "/api/v1/access-requests", tag = "people", security(("bearer" = [])),
    responses((status = 200, body = [AccessRequestView]), (status = 401, body = ErrorBody)))]
pub async fn requests(State(state): State<AppState>, staff: Staff) -> ApiResult<Json<Vec<AccessRequestView>>> {
    let viewer = staff.viewer();
    let rows = app::links::access_requests(&state, &viewer).await?;
    Ok(Json(
        rows.into_iter()
            .map(|seen| {
                let r = seen.request;
                AccessRequestView {
                    id: r.id,
                    direction: if seen.outgoing { "outgoing" } else { "incoming" }.into(),
                    tip_id: seen.tip_id,
                    requesting_agency_id: r.request.requesting_agency_id,
                    reason: r.request.reason,
                    state: r.state.code().into(),
                    created_at: rfc3339(r.created_at),
                    decision_reason: r.decision_reason,
                }
            })
            .collect(),
    ))
}

/// Grant a request: the requesting agency may read the record from now on.
#[utoipa::path(post, path = "/api/v1/access-requests/{id}/grant", tag = "people", security(("bearer" = [])), params(("id" = i64, Path)), request_body = AccessRequestBody,
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn grant(
    State(state): State<AppState>,
    staff: Staff,
    IdPath(id): IdPath,
    JsonBody(r, _): JsonBody<AccessRequestBody>,
) -> ApiResult<StatusCode> {
    links::decide_access(&state, &staff.viewer(), id, true, &r.reason).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Refuse a request, with a reason.
#[utoipa::path(post, path = "/api/v1/access-requests/{id}/refuse", tag = "people", security(("bearer" = [])), params(("id" = i64, Path)), request_body = AccessRequestBody,
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn refuse(
    State(state): State<AppState>,
    staff: Staff,
    IdPath(id): IdPath,
    JsonBody(r, _): JsonBody<AccessRequestBody>,
) -> ApiResult<StatusCode> {
    links::decide_access(&state, &staff.viewer(), id, false, &r.reason).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub fn router() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/api/v1/tips/{id}/links", get(list))
        .route("/api/v1/links/{id}/confirm", post(confirm))
        .route("/api/v1/links/{id}/reject", post(reject))
        .route("/api/v1/links/{id}/undo", post(undo))
        .route("/api/v1/links/{id}/request-access", post(request_access))
        .route("/api/v1/access-requests", get(requests))
        .route("/api/v1/access-requests/{id}/grant", post(grant))
        .route("/api/v1/access-requests/{id}/refuse", post(refuse))
}
