//! Staff endpoints: the queue, a tip's detail, and the desk's actions.

use super::auth::Staff;
use super::json::{IdPath, JsonBody};
use super::rfc3339;
use crate::desk;
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::state::AppState;
use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use domain::FieldError;
use domain::status::{Disposition, Status};
use domain::urgency::Tier;
use serde::{Deserialize, Serialize};
use store::model::{QueueFilter, TipRow};
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
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct TipSummary {
    pub id: i64,
    pub reference: String,
    pub category: String,
    pub tier: String,
    pub status: String,
    pub received_at: String,
    /// When it must be acknowledged (or reviewed) by; absent once a person has it.
    pub due_at: Option<String>,
    /// Milliseconds left to `due_at` (negative when overdue).
    pub due_in_ms: Option<i64>,
    pub overdue: bool,
    pub escalation_level: i64,
    pub assignee_id: Option<i64>,
    pub agencies: Vec<i64>,
    /// The first 200 characters of the narrative.
    pub excerpt: String,
}

fn summary(t: &TipRow, now: i64) -> TipSummary {
    TipSummary {
        id: t.id,
        reference: t.reference.clone(),
        category: t.category.clone(),
        tier: t.tier.code().into(),
        status: t.status.code().into(),
        received_at: rfc3339(t.received_at),
        due_at: t.ack_due_at.map(rfc3339),
        due_in_ms: t.ack_due_at.map(|d| d - now),
        overdue: t.ack_due_at.is_some_and(|d| d < now),
        escalation_level: t.escalation_level,
        assignee_id: t.assignee_id,
        agencies: t.active_agencies.clone(),
        excerpt: t.narrative.chars().take(200).collect(),
    }
}

fn list<T>(field: &str, raw: Option<&str>, parse: impl Fn(&str) -> Option<T>, allowed: &str) -> ApiResult<Vec<T>> {
    let Some(raw) = raw else {
        return Ok(Vec::new());
    };
    raw.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            parse(s).ok_or_else(|| ApiError::Invalid(FieldError::new(field, format!("{s:?} is not one of {allowed}"))))
        })
        .collect()
}

/// The queue of the caller's agency, most urgent first, then by time left to the deadline.
#[utoipa::path(get, path = "/api/v1/tips", tag = "desk", security(("bearer" = [])), params(QueueParams),
    responses((status = 200, body = [TipSummary]), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn queue(
    State(state): State<AppState>,
    staff: Staff,
    Query(p): Query<QueueParams>,
) -> ApiResult<Json<Vec<TipSummary>>> {
    let viewer = staff.viewer();
    if let Some(a) = p.agency
        && a != viewer.agency_id
    {
        return Err(ApiError::Forbidden("you may list only your own agency's queue".into()));
    }
    let statuses = list("status", p.status.as_deref(), Status::parse, "the status codes")?;
    let tiers = list("tier", p.tier.as_deref(), Tier::parse, "life_safety, urgent, standard, informational")?;
    let limit = p.limit.unwrap_or(500);
    if !(1..=5000).contains(&limit) {
        return Err(ApiError::Invalid(FieldError::new("limit", "must be from 1 to 5000")));
    }
    let filter = QueueFilter { agency_id: Some(viewer.agency_id), statuses, tiers, include_closed: false, limit };
    let now = state.now();
    let rows = state.store.queue(&filter, now).await?;
    Ok(Json(rows.iter().map(|t| summary(t, now)).collect()))
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct EvidenceSpan {
    /// Byte offsets into the narrative.
    pub start: usize,
    pub end: usize,
    pub text: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct FactorView {
    pub kind: String,
    pub evidence: Vec<EvidenceSpan>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct RouteView {
    pub agency_id: i64,
    pub agency: String,
    /// Why this agency received the tip.
    pub reason: String,
    /// pending, accepted, declined or transferred.
    pub state: String,
    pub decision_reason: Option<String>,
    pub at: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct MessageView {
    /// tipster or staff.
    pub from: String,
    pub user_id: Option<i64>,
    pub body: String,
    pub at: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct SubjectView {
    pub name: Option<String>,
    pub age: Option<i64>,
    pub dob: Option<String>,
    pub school: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub handles: Vec<String>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct EventView {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub reason: String,
    pub detail: serde_json::Value,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct TipDetailView {
    #[serde(flatten)]
    pub summary: TipSummary,
    pub narrative: String,
    pub language: String,
    pub location_text: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub site_id: Option<i64>,
    /// The rule that set the tier, as an id and in words.
    pub tier_rule: String,
    pub tier_rule_text: String,
    /// The tier triage gave, kept when a person overrides it.
    pub original_tier: String,
    pub tier_override_reason: Option<String>,
    pub factors: Vec<FactorView>,
    pub subjects: Vec<SubjectView>,
    pub routes: Vec<RouteView>,
    pub messages: Vec<MessageView>,
    pub disposition: Option<String>,
    pub disposition_reason: Option<String>,
    /// True when a close waits for a supervisor's second review.
    pub awaiting_review: bool,
    pub contact_given: bool,
    /// Every recorded event on this tip, oldest first.
    pub timeline: Vec<EventView>,
    /// Other tips that may be about the same person, strongest first, with reasons.
    pub linked_tips: Vec<super::links::LinkView>,
}

/// One tip with its triage reasons, routing, conversation and timeline. The read is audited.
#[utoipa::path(get, path = "/api/v1/tips/{id}", tag = "desk", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = TipDetailView), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn detail(State(state): State<AppState>, staff: Staff, IdPath(id): IdPath) -> ApiResult<Json<TipDetailView>> {
    Ok(Json(detail_view(&state, &staff.viewer(), id).await?))
}

/// A tip as staff see it (the read is audited); the tip page renders the same view.
pub async fn detail_view(state: &AppState, viewer: &domain::staff::Viewer, id: i64) -> ApiResult<TipDetailView> {
    let d = desk::read(state, viewer, id).await?;
    let key = crate::sealed::data_key(state, id).await?;
    let timeline = state.store.audit_for_object(&format!("tip:{id}")).await?;
    let linked = crate::links::linked(state, viewer, id).await?;
    let now = state.now();
    Ok(TipDetailView {
        summary: summary(&d.tip, now),
        narrative: d.tip.narrative.clone(),
        language: d.tip.language.clone(),
        location_text: d.tip.location_text.clone(),
        lat: d.tip.lat,
        lon: d.tip.lon,
        site_id: d.tip.site_id,
        tier_rule: d.tip.tier_rule.clone(),
        tier_rule_text: d.tip.tier_rule_text.clone(),
        original_tier: d.tip.original_tier.code().into(),
        tier_override_reason: d.tip.tier_override_reason.clone(),
        factors: d
            .factors
            .iter()
            .map(|f| FactorView {
                kind: f.kind.clone(),
                evidence: serde_json::from_str(&f.evidence).unwrap_or_default(),
            })
            .collect(),
        subjects: d
            .subjects
            .iter()
            .map(|s| SubjectView {
                name: s.name.clone(),
                age: s.age,
                dob: s.dob.clone(),
                school: s.school.clone(),
                phone: s.phone.clone(),
                email: s.email.clone(),
                handles: s.handles.clone(),
            })
            .collect(),
        routes: d
            .routes
            .iter()
            .map(|r| RouteView {
                agency_id: r.agency_id,
                agency: r.agency_name.clone(),
                reason: r.reason.clone(),
                state: r.state.clone(),
                decision_reason: r.decision_reason.clone(),
                at: rfc3339(r.decided_at.unwrap_or(r.created_at)),
            })
            .collect(),
        messages: d
            .messages
            .iter()
            .map(|m| MessageView {
                from: m.author.clone(),
                user_id: m.user_id,
                body: crate::sealed::open_message(key.as_ref(), &d.tip.reference, &m.body),
                at: rfc3339(m.created_at),
            })
            .collect(),
        disposition: d.tip.disposition.map(|x| x.code().to_owned()),
        disposition_reason: d.tip.disposition_reason.clone(),
        awaiting_review: d.tip.status == Status::AwaitingReview,
        contact_given: d.has_contact,
        timeline: timeline
            .into_iter()
            .map(|e| EventView {
                seq: e.seq,
                at: rfc3339(e.at_ms),
                actor: e.actor,
                action: e.action,
                reason: e.reason,
                detail: serde_json::from_str(&e.detail).unwrap_or_default(),
            })
            .collect(),
        linked_tips: linked.iter().map(|l| super::links::view(id, l)).collect(),
    })
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

/// Override the tier, with a reason; the original tier is kept.
#[utoipa::path(post, path = "/api/v1/tips/{id}/tier", tag = "desk", security(("bearer" = [])), params(("id" = i64, Path)), request_body = TierRequest,
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn tier(
    State(state): State<AppState>,
    staff: Staff,
    IdPath(id): IdPath,
    JsonBody(r, _): JsonBody<TierRequest>,
) -> ApiResult<StatusCode> {
    let tier = Tier::parse(&r.tier).ok_or_else(|| {
        ApiError::Invalid(FieldError::new("tier", "must be one of life_safety, urgent, standard, informational"))
    })?;
    desk::override_tier(&state, &staff.viewer(), id, tier, &r.reason).await?;
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
        ApiError::Invalid(FieldError::new(
            "disposition",
            "must be one of action_taken, referred, duplicate, no_action, no_lead_value, unfounded",
        ))
    })?;
    let review = desk::close(&state, &staff.viewer(), id, disposition, &r.reason, r.prior_tips_reviewed).await?;
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
                Err(crate::error::ApiError::Invalid(e)) => prop_assert_eq!(e.field, "tier"),
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
