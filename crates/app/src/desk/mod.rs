//! The tip desk's actions: each loads the tip, asks the domain whether the step is allowed,
//! and commits one change with its audit event. No HTTP here; `api::desk` calls these.

pub mod dossier;
pub mod queue;

use crate::access::{actor, load};
use crate::ctx::Ctx;
use crate::error::{AppError, AppResult};
use domain::audit::{Actor, AuditAction, ObjectRef};
use domain::desk::{Action, Facts, Step};
use domain::routing::{RouteRole, RouteState};
use domain::sla::shortest_window;
use domain::staff::{Role, TipAction, Viewer};
use domain::status::{Disposition, Event, Reason, transition};
use domain::tip::Author;
use domain::urgency::{FactorKind, Tier};
use serde_json::json;
use store::model::*;

/// What the domain's decision needs of a stored tip, for this viewer.
fn facts(d: &TipDetail, viewer: &Viewer) -> Facts {
    Facts {
        status: d.tip.status,
        tier: d.tip.tier,
        peak_tier: d.tip.peak_tier,
        tier_requested_by: d.tip.tier_request.as_ref().map(|r| r.by),
        audience: d.audience(),
        routed_to_viewer: own_route_active(d, viewer),
        viewer_informed: own_route(d, viewer).is_some_and(|r| r.role == RouteRole::Informed),
        close_requested_by: d.tip.close_requested_by,
        factors: d.factors.iter().map(|f| FactorKind::parse(&f.kind)).collect(),
    }
}

/// Loads a tip and asks the domain whether `action` may be taken: the tip and the step.
async fn decided(ctx: &Ctx, viewer: &Viewer, tip_id: i64, action: Action) -> AppResult<(TipDetail, Step)> {
    let detail = ctx.store.tip_detail(tip_id).await?;
    let step = domain::desk::decide(&facts(&detail, viewer), viewer, action)?;
    Ok((detail, step))
}

/// Reads a tip for a person: the read itself is an audit event.
/// Why a tip is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadBy {
    /// A person opens it: the read is an audit event.
    Person,
    /// The page shown right after the person's own action on it, which the trail holds already.
    OwnAction,
}

/// Someone who works the tip reading it has seen the tipster's new information: the badge
/// goes, in the same change as the read's audit event.
pub async fn read(ctx: &Ctx, viewer: &Viewer, tip_id: i64, by: ReadBy) -> AppResult<TipDetail> {
    let detail = load(ctx, viewer, tip_id, TipAction::Read).await?;
    if by == ReadBy::OwnAction && detail.tip.tipster_news_at.is_none() {
        return Ok(detail);
    }
    let event = NewAudit::new(ctx.now(), actor(viewer), AuditAction::TipRead, ObjectRef::Tip(tip_id));
    let works = domain::desk::check_access(viewer, &detail.audience(), TipAction::Work).is_ok();
    if detail.tip.tipster_news_at.is_some() && works {
        let mut c = base(&detail, ctx.now());
        c.tipster_news = Some(None);
        c.audit.push(event.detail(json!({"new_information_seen": true})));
        match ctx.store.commit_tip_change(c).await {
            Ok(()) => return Ok(detail),
            // Changed meanwhile: the read is recorded; the badge stays for the next reader.
            Err(store::StoreError::Conflict(_)) => {}
            Err(e) => return Err(e.into()),
        }
        let event = NewAudit::new(ctx.now(), actor(viewer), AuditAction::TipRead, ObjectRef::Tip(tip_id));
        ctx.store.append_audit(event).await?;
        return Ok(detail);
    }
    ctx.store.append_audit(event).await?;
    Ok(detail)
}

fn base(detail: &TipDetail, now: i64) -> TipChange {
    TipChange { tip_id: detail.tip.id, expected_version: detail.tip.version, now, ..Default::default() }
}

fn own_route_active(detail: &TipDetail, viewer: &Viewer) -> bool {
    own_route(detail, viewer).is_some()
}

/// The viewer's agency's pending or accepted route: the one that makes it act, when it holds
/// an informed route too.
fn own_route<'a>(detail: &'a TipDetail, viewer: &Viewer) -> Option<&'a RouteRow> {
    let active = || detail.routes.iter().filter(|r| r.agency_id == viewer.agency_id && r.state.is_active());
    active().find(|r| r.role != RouteRole::Informed).or_else(|| active().next())
}

/// A fresh deadline for the primary receivers still to acknowledge, when there are any: a
/// refused close or a reopen must not leave them on no clock.
fn clock_for_waiting(c: &mut TipChange, d: &TipDetail, routing: &crate::routing::RoutingData, now: i64) {
    if d.tip.waiting_agencies.is_empty() {
        return;
    }
    let due = now + shortest_window(routing.policies_of(&d.tip.waiting_agencies), d.tip.tier);
    c.ack_due_at = Some(Some(due));
    c.escalation = Some((d.tip.escalation_level, Some(due)));
}

async fn commit(ctx: &Ctx, change: TipChange) -> AppResult<()> {
    let tip_id = change.tip_id;
    ctx.store.commit_tip_change(change).await?;
    ctx.jobs.notify_one();
    if let Ok(t) = ctx.store.get_tip(tip_id).await {
        ctx.publish(crate::ctx::TipEvent { tip_id, kind: "changed", tier: t.tier.code(), agencies: t.active_agencies });
    }
    Ok(())
}

/// The receiving agency takes the tip: its route is accepted and the acknowledge clock stops.
pub async fn acknowledge(ctx: &Ctx, viewer: &Viewer, tip_id: i64) -> AppResult<()> {
    let (d, step) = decided(ctx, viewer, tip_id, Action::Acknowledge).await?;
    let now = ctx.now();
    let mut c = base(&d, now);
    c.status = step.status;
    acknowledge_into(&mut c, &d, viewer, now);
    commit(ctx, c).await
}

/// The viewer's agency takes the tip (or, informed of it, has seen it): its route accepted.
/// The acknowledge clock stops once no primary receiver is left to acknowledge; while one is,
/// it runs and escalates for that one, whoever took the tip first.
fn acknowledge_into(c: &mut TipChange, d: &TipDetail, viewer: &Viewer, now: i64) {
    let role = own_route(d, viewer).map_or(RouteRole::Primary, |r| r.role);
    let still_waiting: Vec<i64> = d.tip.waiting_agencies.iter().copied().filter(|a| *a != viewer.agency_id).collect();
    if role != RouteRole::Informed {
        let waited = d.tip.status.awaits_acknowledgement();
        if waited {
            c.acknowledged_at = Some(now);
        }
        // A close awaiting review keeps its own clock.
        let was_on_clock = waited || d.tip.waiting_agencies.contains(&viewer.agency_id);
        if was_on_clock && still_waiting.is_empty() && d.tip.status != domain::status::Status::AwaitingReview {
            c.ack_due_at = Some(None);
            c.escalation = Some((d.tip.escalation_level, None));
        }
    }
    c.route_decisions.push(RouteDecision {
        agency_id: viewer.agency_id,
        state: RouteState::Accepted,
        decided_by: Some(viewer.user_id),
        reason: None,
    });
    c.audit.push(NewAudit::new(now, actor(viewer), AuditAction::TipAcknowledged, ObjectRef::Tip(d.tip.id)).detail(
        json!({
            "agency_id": viewer.agency_id,
            "role": role.code(),
            "late": d.tip.ack_due_at.is_some_and(|due| now > due),
            "still_waiting_for": still_waiting,
        }),
    ));
}

/// Assigns the tip to a worker of the viewer's agency; a tip not yet acknowledged is
/// acknowledged by the same step.
pub async fn assign(ctx: &Ctx, viewer: &Viewer, tip_id: i64, user_id: i64) -> AppResult<()> {
    let (d, step) = decided(ctx, viewer, tip_id, Action::Assign).await?;
    let user = ctx.store.user_by_id(user_id).await?.filter(|u| u.agency_id == viewer.agency_id && !u.disabled);
    let Some(user) = user else {
        return Err(AppError::invalid("user_id", "is not an active user of your agency"));
    };
    if !user.roles.iter().any(|r| matches!(r, Role::Analyst | Role::Supervisor)) {
        return Err(AppError::invalid("user_id", "must be an analyst or a supervisor"));
    }
    let now = ctx.now();
    let mut c = base(&d, now);
    if step.acknowledges {
        acknowledge_into(&mut c, &d, viewer, now);
    }
    c.status = step.status;
    c.assignee = Some(Some(user.id));
    c.audit.push(
        NewAudit::new(now, actor(viewer), AuditAction::TipAssigned, ObjectRef::Tip(tip_id))
            .detail(json!({"assignee": user.id})),
    );
    commit(ctx, c).await
}

/// Staff write to the tipster; the tipster reads it at follow-up.
pub async fn message_tipster(ctx: &Ctx, viewer: &Viewer, tip_id: i64, body: &str) -> AppResult<()> {
    let body = message_body(body)?;
    let (d, _) = decided(ctx, viewer, tip_id, Action::Message).await?;
    let key = crate::sealed::data_key(ctx, tip_id).await?;
    let body = crate::sealed::seal_message(key.as_ref(), &d.tip.reference, &body);
    let now = ctx.now();
    let mut c = base(&d, now);
    c.messages.push((Author::Staff, Some(viewer.user_id), body));
    c.audit.push(NewAudit::new(now, actor(viewer), AuditAction::MessageToTipster, ObjectRef::Tip(tip_id)));
    commit(ctx, c).await
}

pub fn message_body(body: &str) -> AppResult<String> {
    Ok(domain::text::required("body", body, 10_000)?)
}

/// Hands the tip to another agency: the viewer's route is closed as transferred, the other
/// agency gets a route, and the acknowledge clock starts again on its policy.
pub async fn transfer(ctx: &Ctx, viewer: &Viewer, tip_id: i64, to_agency: i64, reason: &str) -> AppResult<()> {
    let reason = Reason::parse(reason)?;
    let (d, _) = decided(ctx, viewer, tip_id, Action::Transfer).await?;
    let routing = ctx.routing().await?;
    let Some(name) = routing.names.get(&to_agency) else {
        return Err(AppError::invalid("agency_id", "is not a known agency"));
    };
    if to_agency == viewer.agency_id {
        return Err(AppError::invalid("agency_id", "is your own agency"));
    }
    let now = ctx.now();
    let mut c = base(&d, now);
    c.route_decisions.push(RouteDecision {
        agency_id: viewer.agency_id,
        state: RouteState::Transferred,
        decided_by: Some(viewer.user_id),
        reason: Some(reason.as_str().to_owned()),
    });
    let acts_already = d.tip.acting_agencies.contains(&to_agency);
    if !acts_already {
        // An agency only informed of the tip gets a route that makes it act.
        c.new_routes.push(NewRoute {
            agency_id: to_agency,
            role: RouteRole::Primary,
            reason: format!("transferred by {}: {}", routing.agency_name(viewer.agency_id), reason.as_str()),
        });
    }
    restart_clock(&mut c, &d, &routing, &[to_agency], now)?;
    c.audit.push(
        NewAudit::new(now, actor(viewer), AuditAction::TipTransferred, ObjectRef::Tip(tip_id))
            .reason(reason.as_str())
            .detail(json!({"from": viewer.agency_id, "to": to_agency, "to_name": name})),
    );
    commit(ctx, c).await
}

/// When the viewer's agency leaves a tip that no other primary receiver holds, the tip goes
/// back to waiting: routed, unassigned, with a fresh acknowledge deadline. When others work
/// it, the clock runs only for a primary receiver still to acknowledge: a newcomer (a
/// transfer) starts its own, and with nobody left waiting it stops.
fn restart_clock(
    c: &mut TipChange,
    d: &TipDetail,
    routing: &crate::routing::RoutingData,
    receivers: &[i64],
    now: i64,
) -> AppResult<()> {
    let leaving = |agency: i64| c.route_decisions.iter().any(|r| r.agency_id == agency);
    let others_hold =
        d.routes.iter().any(|r| r.state.is_active() && r.role != RouteRole::Informed && !leaving(r.agency_id));
    if others_hold && !d.tip.status.awaits_acknowledgement() {
        let newcomer = c.new_routes.iter().any(|r| r.role == RouteRole::Primary);
        let still_waiting = d.tip.waiting_agencies.iter().any(|a| !leaving(*a));
        if newcomer {
            // Its own deadline, without wiping an earlier one another receiver is already late on.
            let due = now + shortest_window(routing.policies_of(receivers), d.tip.tier);
            let (due, level) = match d.tip.ack_due_at.filter(|_| still_waiting) {
                Some(running) => (running.min(due), d.tip.escalation_level),
                None => (due, 0),
            };
            c.ack_due_at = Some(Some(due));
            c.escalation = Some((level, Some(due)));
        } else if !still_waiting && d.tip.status != domain::status::Status::AwaitingReview {
            c.ack_due_at = Some(None);
            c.escalation = Some((d.tip.escalation_level, None));
        }
        return Ok(());
    }
    if !d.tip.status.awaits_acknowledgement() {
        c.status = Some(transition(d.tip.status, Event::Reroute)?);
        c.assignee = Some(None);
    }
    let window = shortest_window(routing.policies_of(receivers), d.tip.tier);
    c.ack_due_at = Some(Some(now + window));
    c.escalation = Some((0, Some(now + window)));
    Ok(())
}

/// The viewer's agency declines the tip with a reason. If no other agency holds it, it is
/// routed again, away from every agency that declined or transferred it: never dropped.
pub async fn decline(ctx: &Ctx, viewer: &Viewer, tip_id: i64, reason: &str) -> AppResult<()> {
    let reason = Reason::parse(reason)?;
    let (d, _) = decided(ctx, viewer, tip_id, Action::Decline).await?;
    let routing = ctx.routing().await?;
    let now = ctx.now();
    let mut c = base(&d, now);
    c.route_decisions.push(RouteDecision {
        agency_id: viewer.agency_id,
        state: RouteState::Declined,
        decided_by: Some(viewer.user_id),
        reason: Some(reason.as_str().to_owned()),
    });
    // Informed receivers do not count: a tip only they hold has nobody who must decide.
    let remaining: Vec<i64> = d
        .routes
        .iter()
        .filter(|r| r.state.is_active() && r.role != RouteRole::Informed && r.agency_id != viewer.agency_id)
        .map(|r| r.agency_id)
        .collect();
    let mut receivers = remaining.clone();
    if remaining.is_empty() {
        let mut left: Vec<i64> = d.routes.iter().filter(|r| r.state.has_left()).map(|r| r.agency_id).collect();
        left.push(viewer.agency_id);
        let site = d.tip.site_id.and_then(|id| routing.sites.get(&id));
        let fallback = routing.fallback_agency_id.unwrap_or(viewer.agency_id);
        let about = domain::routing::RouteTip { category: d.tip.category, tier: d.tip.tier };
        let routes = domain::routing::route(&routing.agencies, about, site, d.tip.lon.zip(d.tip.lat), fallback, &left);
        for r in routes {
            // An agency informed already keeps that route; a primary one is added beside it
            // when it must now act (the fallback), and nothing twice.
            let informed_already = d.tip.active_agencies.contains(&r.agency_id);
            if (informed_already && r.role == RouteRole::Informed) || d.tip.acting_agencies.contains(&r.agency_id) {
                continue;
            }
            if r.role == RouteRole::Primary {
                receivers.push(r.agency_id);
            }
            c.new_routes.push(NewRoute {
                agency_id: r.agency_id,
                role: r.role,
                reason: format!("re-routed after a decline: {}", r.reason),
            });
        }
    }
    restart_clock(&mut c, &d, &routing, &receivers, now)?;
    c.audit.push(
        NewAudit::new(now, actor(viewer), AuditAction::TipDeclined, ObjectRef::Tip(tip_id))
            .reason(reason.as_str())
            .detail(json!({"agency_id": viewer.agency_id, "now_with": receivers})),
    );
    commit(ctx, c).await
}

/// Sets the tier by hand with a reason; the tier triage gave is kept beside it. A tip still
/// waiting for acknowledgement gets the deadline of its new tier, counted from receipt.
/// Lowering from urgent or life safety only asks: a supervisor other than the asker decides
/// ([`review_tier`]), and until then the tier and its deadline stand. True when it waits.
pub async fn override_tier(ctx: &Ctx, viewer: &Viewer, tip_id: i64, tier: Tier, reason: &str) -> AppResult<bool> {
    let reason = Reason::parse(reason)?;
    let (d, step) = decided(ctx, viewer, tip_id, Action::ChangeTier(tier)).await?;
    let now = ctx.now();
    let mut c = base(&d, now);
    if step.needs_review {
        let request = TierRequest { tier, reason: reason.as_str().to_owned(), by: viewer.user_id, at: now };
        c.tier_request = Some(Some(request));
        c.audit.push(
            NewAudit::new(now, actor(viewer), AuditAction::TipTierLoweringRequested, ObjectRef::Tip(tip_id))
                .reason(reason.as_str())
                .detail(json!({"from": d.tip.tier.code(), "to": tier.code()})),
        );
        commit(ctx, c).await?;
        return Ok(true);
    }
    set_tier(ctx, &d, &mut c, tier, reason.as_str(), viewer.user_id).await?;
    c.audit.push(
        NewAudit::new(now, actor(viewer), AuditAction::TipTierOverridden, ObjectRef::Tip(tip_id))
            .reason(reason.as_str())
            .detail(json!({"from": d.tip.tier.code(), "to": tier.code(), "original": d.tip.original_tier.code()})),
    );
    commit(ctx, c).await?;
    Ok(false)
}

/// A supervisor who did not ask approves a lowering of the tier (it takes effect now, as
/// the asker's override) or refuses it (the tier stays).
pub async fn review_tier(ctx: &Ctx, viewer: &Viewer, tip_id: i64, approve: bool, reason: &str) -> AppResult<()> {
    let reason = Reason::parse(reason)?;
    let (d, _) = decided(ctx, viewer, tip_id, Action::ReviewTier { approve }).await?;
    let request = d.tip.tier_request.clone().ok_or_else(|| AppError::Conflict("nothing awaits review".into()))?;
    let now = ctx.now();
    let mut c = base(&d, now);
    c.tier_request = Some(None);
    let object = ObjectRef::Tip(tip_id);
    let decision = json!({"from": d.tip.tier.code(), "to": request.tier.code(), "requested_by": request.by});
    if approve {
        set_tier(ctx, &d, &mut c, request.tier, &request.reason, request.by).await?;
        c.audit.push(
            NewAudit::new(now, actor(viewer), AuditAction::TipTierLoweringApproved, object)
                .reason(reason.as_str())
                .detail(decision),
        );
        c.audit.push(
            NewAudit::new(now, Actor::User(request.by), AuditAction::TipTierOverridden, object)
                .reason(&request.reason)
                .detail(json!({"from": d.tip.tier.code(), "to": request.tier.code(), "original": d.tip.original_tier.code(), "approved_by": viewer.user_id})),
        );
    } else {
        c.audit.push(
            NewAudit::new(now, actor(viewer), AuditAction::TipTierLoweringRejected, object)
                .reason(reason.as_str())
                .detail(decision),
        );
    }
    commit(ctx, c).await
}

/// The tier change itself: the new tier, the most urgent tier yet, and a waiting tip's deadline.
async fn set_tier(ctx: &Ctx, d: &TipDetail, c: &mut TipChange, tier: Tier, reason: &str, by: i64) -> AppResult<()> {
    c.tier_override = Some((tier, reason.to_owned(), by));
    if tier < d.tip.peak_tier {
        c.peak_tier = Some(tier);
    }
    if d.tip.status.awaits_acknowledgement() || !d.tip.waiting_agencies.is_empty() {
        let routing = ctx.routing().await?;
        // The deadline of those still to acknowledge.
        let on_clock = if d.tip.waiting_agencies.is_empty() { &d.tip.acting_agencies } else { &d.tip.waiting_agencies };
        let window = shortest_window(routing.policies_of(on_clock), tier);
        let due = d.tip.received_at + window;
        c.ack_due_at = Some(Some(due));
        c.escalation = Some((d.tip.escalation_level, Some(d.tip.next_escalation_at.map_or(due, |next| next.min(due)))));
    }
    Ok(())
}

/// What a person asks when closing a tip.
pub struct Closing<'a> {
    pub disposition: Disposition,
    pub reason: &'a str,
    /// They looked at the tips confirmed to be about the same person.
    pub prior_tips_reviewed: bool,
    /// For a duplicate: the reference of the tip it duplicates.
    pub duplicate_of: Option<&'a str>,
}

/// Closes with a disposition and a written reason, or — when the second-review rule applies —
/// asks a supervisor to approve; until then the tip stays open and on the clock.
pub async fn close(ctx: &Ctx, viewer: &Viewer, tip_id: i64, closing: Closing<'_>) -> AppResult<bool> {
    let Closing { disposition, reason, prior_tips_reviewed, duplicate_of } = closing;
    let reason = Reason::parse(reason)?;
    let (d, step) = decided(ctx, viewer, tip_id, Action::Close(disposition)).await?;
    let duplicate_of = match disposition {
        Disposition::Duplicate => Some(original_of(ctx, viewer, tip_id, duplicate_of).await?),
        _ => None,
    };
    // The Parkland rule, second half: nobody closes a tip without looking at the other tips
    // about the same person.
    let links = crate::links::close_check(ctx, viewer, tip_id).await?;
    if !links.undecided.is_empty() {
        return Err(AppError::Conflict(format!(
            "this tip may be about the same person as {}: confirm or reject those links before closing",
            links.undecided.join(", ")
        )));
    }
    if !links.confirmed.is_empty() && !prior_tips_reviewed {
        return Err(AppError::Conflict(format!(
            "this tip is about the same person as {}: review them, then close with prior_tips_reviewed set",
            links.confirmed.join(", ")
        )));
    }
    let needs_review = step.needs_review;
    let now = ctx.now();
    let mut c = base(&d, now);
    c.status = step.status;
    c.disposition = Some(Some((disposition, reason.as_str().to_owned())));
    c.duplicate_of = Some(duplicate_of.as_ref().map(|t| t.id));
    let duplicate_reference = duplicate_of.map(|t| t.reference);
    let object = ObjectRef::Tip(tip_id);
    if needs_review {
        let routing = ctx.routing().await?;
        let window = routing.policy(viewer.agency_id).window(d.tip.tier).max(domain::time::Millis::HOUR);
        c.close_requested_by = Some(Some(viewer.user_id));
        c.ack_due_at = Some(Some(now + window));
        c.escalation = Some((d.tip.escalation_level, Some(now + window)));
        c.audit.push(
            NewAudit::new(now, actor(viewer), AuditAction::TipCloseRequested, object)
                .reason(reason.as_str())
                .detail(json!({"disposition": disposition.code(), "second_review": true, "linked_tips_reviewed": links.confirmed, "duplicate_of": duplicate_reference})),
        );
    } else {
        c.closed = Some(Some((viewer.user_id, now)));
        c.close_requested_by = Some(Some(viewer.user_id));
        // Decided: no receiver is left on the clock, acknowledged or not.
        c.ack_due_at = Some(None);
        c.escalation = Some((d.tip.escalation_level, None));
        c.audit.push(
            NewAudit::new(now, actor(viewer), AuditAction::TipClosed, object)
                .reason(reason.as_str())
                .detail(json!({"disposition": disposition.code(), "linked_tips_reviewed": links.confirmed, "duplicate_of": duplicate_reference})),
        );
    }
    commit(ctx, c).await?;
    Ok(needs_review)
}

/// The tip a duplicate duplicates: named by its reference, another tip the viewer may read.
async fn original_of(ctx: &Ctx, viewer: &Viewer, tip_id: i64, reference: Option<&str>) -> AppResult<TipRef> {
    const FIELD: &str = "duplicate_of";
    let reference = reference
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .ok_or_else(|| AppError::invalid(FIELD, "a duplicate needs the reference of the tip it duplicates"))?;
    let not_found = || AppError::invalid(FIELD, "no tip you may read has that reference");
    let reference = crate::tipster::format_reference(reference).ok_or_else(not_found)?;
    let (id, _) = ctx.store.tip_credentials(&reference).await?.ok_or_else(not_found)?;
    if id == tip_id {
        return Err(AppError::invalid(FIELD, "a tip cannot duplicate itself"));
    }
    let original = match load(ctx, viewer, id, TipAction::Read).await {
        Err(AppError::NotFound) => return Err(not_found()),
        other => other?,
    };
    Ok(TipRef { id, reference: original.tip.reference })
}

/// A supervisor other than the person who asked approves or rejects a close.
pub async fn review(ctx: &Ctx, viewer: &Viewer, tip_id: i64, approve: bool, reason: &str) -> AppResult<()> {
    let reason = Reason::parse(reason)?;
    let (d, step) = decided(ctx, viewer, tip_id, Action::Review { approve }).await?;
    let now = ctx.now();
    let mut c = base(&d, now);
    let object = ObjectRef::Tip(tip_id);
    c.status = step.status;
    if approve {
        c.closed = Some(Some((viewer.user_id, now)));
        c.ack_due_at = Some(None);
        c.escalation = Some((d.tip.escalation_level, None));
        c.audit.push(NewAudit::new(now, actor(viewer), AuditAction::TipCloseApproved, object).reason(reason.as_str()));
        c.audit.push(
            NewAudit::new(now, actor(viewer), AuditAction::TipClosed, object)
                .reason(d.tip.disposition_reason.as_deref().unwrap_or(""))
                .detail(json!({"disposition": d.tip.disposition.map(|x| x.code()), "approved_by": viewer.user_id})),
        );
    } else {
        c.disposition = Some(None);
        c.close_requested_by = Some(None);
        c.ack_due_at = Some(None);
        c.escalation = Some((d.tip.escalation_level, None));
        clock_for_waiting(&mut c, &d, &*ctx.routing().await?, now);
        c.audit.push(NewAudit::new(now, actor(viewer), AuditAction::TipCloseRejected, object).reason(reason.as_str()));
    }
    commit(ctx, c).await
}

/// Reopens a closed tip, with a reason.
pub async fn reopen(ctx: &Ctx, viewer: &Viewer, tip_id: i64, reason: &str) -> AppResult<()> {
    let reason = Reason::parse(reason)?;
    let (d, step) = decided(ctx, viewer, tip_id, Action::Reopen).await?;
    let now = ctx.now();
    let mut c = base(&d, now);
    c.status = step.status;
    c.disposition = Some(None);
    c.closed = Some(None);
    c.close_requested_by = Some(None);
    clock_for_waiting(&mut c, &d, &*ctx.routing().await?, now);
    c.audit.push(
        NewAudit::new(now, actor(viewer), AuditAction::TipReopened, ObjectRef::Tip(tip_id)).reason(reason.as_str()),
    );
    commit(ctx, c).await
}
