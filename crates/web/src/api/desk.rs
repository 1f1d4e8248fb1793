//! Staff endpoints: the queue, a tip's detail, and the desk's actions.

use super::auth::Staff;
use super::json::{IdPath, JsonBody, QueryParams};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::state::AppState;
use crate::views::tip::{TipDetailView, TipSummary};
use app::desk;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use domain::FieldError;
use domain::status::{Disposition, Status};
use domain::urgency::Tier;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueParams {
    /// Comma-separated statuses (received, triaged, routed, acknowledged, in_progress,
    /// awaiting_review, closed). Default: every open status.
    pub status: Option<String>,
    /// Comma-separated tiers (life_safety, urgent, standard, informational).
    pub tier: Option<String>,
    /// Your own agency's id (the only one you may name).
    pub agency: Option<i64>,
    /// At most this many (1–5000, default 500).
    pub limit: Option<i64>,
    /// `me`: only tips assigned to you; `none`: only unassigned tips.
    pub assignee: Option<String>,
    /// `true`: only tips with a tipster's message nobody working them has read.
    pub new_information: Option<bool>,
}

fn list<T>(field: &str, raw: Option<&str>, parse: impl Fn(&str) -> Option<T>, allowed: &str) -> ApiResult<Vec<T>> {
    let Some(raw) = raw else {
        return Ok(Vec::new());
    };
    raw.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            parse(s).ok_or_else(|| {
                ApiError::App(app::AppError::Invalid(FieldError::new(field, format!("{s:?} is not one of {allowed}"))))
            })
        })
        .collect()
}

/// The queue of the caller's agency, most urgent first, then by time left to the deadline.
#[utoipa::path(get, path = "/api/v1/tips", tag = "desk", security(("bearer" = [])), params(QueueParams),
    responses((status = 200, body = [TipSummary]), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn queue(
    State(state): State<AppState>,
    staff: Staff,
    QueryParams(p): QueryParams<QueueParams>,
) -> ApiResult<Json<Vec<TipSummary>>> {
    let viewer = staff.viewer();
    let statuses = list("status", p.status.as_deref(), Status::parse, "the status codes")?;
    let tiers = list("tier", p.tier.as_deref(), Tier::parse, "life_safety, urgent, standard, informational")?;
    let mine = match p.assignee.as_deref() {
        None => None,
        Some("me") => Some(true),
        Some("none") => Some(false),
        Some(_) => {
            return Err(ApiError::App(app::AppError::Invalid(FieldError::new("assignee", "must be me or none"))));
        }
    };
    let ask = app::desk::queue::QueueAsk {
        agency: p.agency,
        statuses,
        tiers,
        mine,
        news_only: p.new_information.unwrap_or(false),
        limit: p.limit,
    };
    let rows = app::desk::queue::queue(&state, &viewer, &ask).await?;
    let now = state.now();
    Ok(Json(rows.iter().map(|t| TipSummary::of(t, now)).collect()))
}

/// One tip with its triage reasons, routing, conversation and timeline. The read is audited.
#[utoipa::path(get, path = "/api/v1/tips/{id}", tag = "desk", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = TipDetailView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn detail(State(state): State<AppState>, staff: Staff, IdPath(id): IdPath) -> ApiResult<Json<TipDetailView>> {
    let dossier = app::desk::dossier::dossier(&state, &staff.viewer(), id, app::desk::ReadBy::Person).await?;
    Ok(Json(TipDetailView::of(&dossier, state.now())))
}

/// Acknowledge: your agency takes the tip and its acknowledge clock stops.
#[utoipa::path(post, path = "/api/v1/tips/{id}/acknowledge", tag = "desk", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn acknowledge(State(state): State<AppState>, staff: Staff, IdPath(id): IdPath) -> ApiResult<StatusCode> {
    desk::acknowledge(&state, &staff.viewer(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignRequest {
    pub user_id: i64,
}

/// Assign to an analyst or supervisor of your agency (acknowledging it if need be).
#[utoipa::path(post, path = "/api/v1/tips/{id}/assign", tag = "desk", security(("bearer" = [])), params(("id" = i64, Path)), request_body = AssignRequest,
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn assign(
    State(state): State<AppState>,
    staff: Staff,
    IdPath(id): IdPath,
    JsonBody(r, _): JsonBody<AssignRequest>,
) -> ApiResult<StatusCode> {
    desk::assign(&state, &staff.viewer(), id, r.user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StaffMessageRequest {
    pub body: String,
}

/// Write to the tipster (a question, or what happens next).
#[utoipa::path(post, path = "/api/v1/tips/{id}/messages", tag = "desk", security(("bearer" = [])), params(("id" = i64, Path)), request_body = StaffMessageRequest,
    responses((status = 201), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn message(
    State(state): State<AppState>,
    staff: Staff,
    IdPath(id): IdPath,
    JsonBody(r, _): JsonBody<StaffMessageRequest>,
) -> ApiResult<StatusCode> {
    desk::message_tipster(&state, &staff.viewer(), id, &r.body).await?;
    Ok(StatusCode::CREATED)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransferRequest {
    pub agency_id: i64,
    pub reason: String,
}

/// Transfer to another agency, with a reason; its acknowledge clock starts.
#[utoipa::path(post, path = "/api/v1/tips/{id}/transfer", tag = "desk", security(("bearer" = [])), params(("id" = i64, Path)), request_body = TransferRequest,
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn transfer(
    State(state): State<AppState>,
    staff: Staff,
    IdPath(id): IdPath,
    JsonBody(r, _): JsonBody<TransferRequest>,
) -> ApiResult<StatusCode> {
    desk::transfer(&state, &staff.viewer(), id, r.agency_id, &r.reason).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonRequest {
    /// Why, in at least 10 characters.
    pub reason: String,
}

/// Decline for your agency, with a reason. The tip is routed again, never dropped.
#[utoipa::path(post, path = "/api/v1/tips/{id}/decline", tag = "desk", security(("bearer" = [])), params(("id" = i64, Path)), request_body = ReasonRequest,
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn decline(
    State(state): State<AppState>,
    staff: Staff,
    IdPath(id): IdPath,
    JsonBody(r, _): JsonBody<ReasonRequest>,
) -> ApiResult<StatusCode> {
    desk::decline(&state, &staff.viewer(), id, &r.reason).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TierRequest {
    pub tier: String,
    pub reason: String,
}

/// Override the tier, with a reason; the original tier is kept. Lowering an urgent or
/// life-safety tip waits for a supervisor (202): until then its tier and deadline stand.
#[utoipa::path(post, path = "/api/v1/tips/{id}/tier", tag = "desk", security(("bearer" = [])), params(("id" = i64, Path)), request_body = TierRequest,
    responses((status = 204, description = "changed"), (status = 202, description = "the lowering awaits a supervisor's review"), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn tier(
    State(state): State<AppState>,
    staff: Staff,
    IdPath(id): IdPath,
    JsonBody(r, _): JsonBody<TierRequest>,
) -> ApiResult<StatusCode> {
    let tier = Tier::parse(&r.tier).ok_or_else(|| {
        ApiError::App(app::AppError::Invalid(FieldError::new(
            "tier",
            "must be one of life_safety, urgent, standard, informational",
        )))
    })?;
    let waits = desk::override_tier(&state, &staff.viewer(), id, tier, &r.reason).await?;
    Ok(if waits { StatusCode::ACCEPTED } else { StatusCode::NO_CONTENT })
}

/// A supervisor who did not ask approves or refuses a lowering of the tier.
#[utoipa::path(post, path = "/api/v1/tips/{id}/tier/review", tag = "desk", security(("bearer" = [])), params(("id" = i64, Path)), request_body = ReviewRequest,
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn review_tier(
    State(state): State<AppState>,
    staff: Staff,
    IdPath(id): IdPath,
    JsonBody(r, _): JsonBody<ReviewRequest>,
) -> ApiResult<StatusCode> {
    desk::review_tier(&state, &staff.viewer(), id, r.approve, &r.reason).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseRequest {
    /// action_taken, referred, duplicate, no_action, no_lead_value or unfounded.
    pub disposition: String,
    /// Why, in at least 10 characters. Required.
    pub reason: String,
    /// Required (true) when the tip is linked to other tips on the same person: you looked at them.
    #[serde(default)]
    pub prior_tips_reviewed: bool,
    /// For `duplicate`: the reference of the tip this one duplicates. Required then.
    #[serde(default)]
    pub duplicate_of: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct CloseResponse {
    /// `closed`, or `awaiting_review` when a supervisor must approve first.
    pub status: String,
}

/// Close with a disposition and a written reason. A tip with a threat factor closed without
/// action waits for a second person with the supervisor role.
#[utoipa::path(post, path = "/api/v1/tips/{id}/close", tag = "desk", security(("bearer" = [])), params(("id" = i64, Path)), request_body = CloseRequest,
    responses((status = 200, body = CloseResponse), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn close(
    State(state): State<AppState>,
    staff: Staff,
    IdPath(id): IdPath,
    JsonBody(r, _): JsonBody<CloseRequest>,
) -> ApiResult<Json<CloseResponse>> {
    let disposition = Disposition::parse(&r.disposition).ok_or_else(|| {
        ApiError::App(app::AppError::Invalid(FieldError::new(
            "disposition",
            "must be one of action_taken, referred, duplicate, no_action, no_lead_value, unfounded",
        )))
    })?;
    let closing = desk::Closing {
        disposition,
        reason: &r.reason,
        prior_tips_reviewed: r.prior_tips_reviewed,
        duplicate_of: r.duplicate_of.as_deref(),
    };
    let review = desk::close(&state, &staff.viewer(), id, closing).await?;
    let status = if review { Status::AwaitingReview } else { Status::Closed };
    Ok(Json(CloseResponse { status: status.code().into() }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewRequest {
    pub approve: bool,
    pub reason: String,
}

/// Second review by a supervisor who did not ask for the close: approve or send back.
#[utoipa::path(post, path = "/api/v1/tips/{id}/review", tag = "desk", security(("bearer" = [])), params(("id" = i64, Path)), request_body = ReviewRequest,
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn review(
    State(state): State<AppState>,
    staff: Staff,
    IdPath(id): IdPath,
    JsonBody(r, _): JsonBody<ReviewRequest>,
) -> ApiResult<StatusCode> {
    desk::review(&state, &staff.viewer(), id, r.approve, &r.reason).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Reopen a closed tip, with a reason.
#[utoipa::path(post, path = "/api/v1/tips/{id}/reopen", tag = "desk", security(("bearer" = [])), params(("id" = i64, Path)), request_body = ReasonRequest,
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn reopen(
    State(state): State<AppState>,
    staff: Staff,
    IdPath(id): IdPath,
    JsonBody(r, _): JsonBody<ReasonRequest>,
) -> ApiResult<StatusCode> {
    desk::reopen(&state, &staff.viewer(), id, &r.reason).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub fn router() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/api/v1/tips", get(queue))
        .route("/api/v1/tips/{id}", get(detail))
        .route("/api/v1/tips/{id}/acknowledge", post(acknowledge))
        .route("/api/v1/tips/{id}/assign", post(assign))
        .route("/api/v1/tips/{id}/messages", post(message))
        .route("/api/v1/tips/{id}/transfer", post(transfer))
        .route("/api/v1/tips/{id}/decline", post(decline))
        .route("/api/v1/tips/{id}/tier", post(tier))
        .route("/api/v1/tips/{id}/tier/review", post(review_tier))
        .route("/api/v1/tips/{id}/close", post(close))
        .route("/api/v1/tips/{id}/review", post(review))
        .route("/api/v1/tips/{id}/reopen", post(reopen))
}

#[cfg(test)]
mod tests {
    use super::list;
    use domain::urgency::Tier;
    use proptest::prelude::*;

    proptest! {
        /// A comma list of codes: every parsed value was named in the input, and anything else
        /// is refused naming the field.
        #[test]
        fn filter_lists(raw in "[a-z_, ]{0,60}") {
            match list("tier", Some(&raw), Tier::parse, "tiers") {
                Ok(tiers) => {
                    let named: Vec<&str> = raw.split(',').map(str::trim).filter(|s| !s.is_empty()).collect();
                    prop_assert_eq!(tiers.len(), named.len());
                    for (t, n) in tiers.iter().zip(named) {
                        prop_assert_eq!(t.code(), n);
                    }
                }
                Err(crate::error::ApiError::App(app::AppError::Invalid(e))) => prop_assert_eq!(e.field, "tier"),
                Err(other) => prop_assert!(false, "unexpected {other:?}"),
            }
        }
    }

    #[test]
    fn known_and_unknown_codes() {
        assert_eq!(
            list("tier", Some("urgent, life_safety"), Tier::parse, "tiers").unwrap(),
            vec![Tier::Urgent, Tier::LifeSafety]
        );
        assert!(list("tier", Some("urgent,soon"), Tier::parse, "tiers").is_err());
        assert!(list("tier", None, Tier::parse, "tiers").unwrap().is_empty());
    }
}
