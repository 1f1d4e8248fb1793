//! Escalation: a tip that nobody acknowledged in time climbs the ladder — assignee, the
//! agency's on-call contacts, its supervisors, then the partner agency — one rung per
//! interval, each step recorded, until a person acts.

use crate::ctx::Ctx;
use crate::routing::RoutingData;
use domain::audit::{AuditAction, ObjectRef};
use domain::sla::{Overdue, plan_escalation};
use domain::status::Status;
use serde_json::json;
use std::sync::Arc;
use store::model::*;

pub async fn run(ctx: &Ctx) -> anyhow::Result<usize> {
    let routing = ctx.routing().await?;
    let now = ctx.now();
    let plan_routing: Arc<RoutingData> = routing.clone();
    let plan = move |tip: &TipRow| plan(tip, &plan_routing, now);
    let mut total = 0;
    loop {
        let n = ctx.store.escalate_due(now, 50, &plan).await?;
        total += n;
        if n < 50 {
            break;
        }
    }
    if total > 0 {
        ctx.jobs.notify_one();
    }
    Ok(total)
}

/// The change for one overdue tip: the domain plans the next rung; this turns the plan into
/// notifications to the contacts it names, routes to new partners, and the audit event.
pub fn plan(tip: &TipRow, routing: &RoutingData, now: i64) -> TipChange {
    let overdue = Overdue {
        level: tip.escalation_level,
        awaiting_review: tip.status == Status::AwaitingReview,
        tier: tip.tier,
        // Informed receivers are never called. Once someone took the tip, only a primary
        // receiver still to acknowledge is; a close awaiting review calls those who act on it.
        holders: if tip.status.awaits_acknowledgement()
            || tip.status == Status::AwaitingReview
            || tip.waiting_agencies.is_empty()
        {
            &tip.acting_agencies
        } else {
            &tip.waiting_agencies
        },
        fallback: routing.fallback_agency_id,
    };
    let p = plan_escalation(&overdue, |a| routing.partners.get(&a).copied(), |a| routing.policy(a));
    let mut change = TipChange { tip_id: tip.id, expected_version: tip.version, now, ..Default::default() };
    // A partner stands in only while nobody has acknowledged, and holds the tip once.
    let new_routes = p
        .new_routes
        .iter()
        .filter(|(partner, _)| tip.status.awaits_acknowledgement() && !tip.active_agencies.contains(partner));
    for (partner, of) in new_routes {
        change.new_routes.push(NewRoute {
            agency_id: *partner,
            role: domain::routing::RouteRole::Backup,
            reason: format!("escalated: partner of {} after no acknowledgement", routing.agency_name(*of)),
        });
    }
    let mut called = Vec::new();
    for call in &p.calls {
        for c in routing.contacts(call.agency_id, call.role) {
            called.push(json!({"contact_id": c.id, "agency_id": call.agency_id, "role": c.role.code()}));
            change.notifications.push(NewNotification {
                agency_id: Some(call.agency_id),
                contact_id: Some(c.id),
                kind: domain::sla::NotificationKind::Escalation,
                url: c.webhook_url.clone(),
                payload: json!({
                    "event": "escalation",
                    "reference": tip.reference,
                    "tier": tip.tier.code(),
                    "rung": p.rung.code(),
                    "status": tip.status.code(),
                    "overdue_since": tip.ack_due_at,
                    "agency_id": call.agency_id,
                    "acknowledge_required": true,
                    "at": now,
                })
                .to_string(),
            });
        }
    }
    let next_at = now + p.interval;
    change.escalation = Some((p.rung.level(), Some(next_at)));
    change.audit.push(NewAudit::new(now, domain::audit::Actor::System, AuditAction::TipEscalated, ObjectRef::Tip(tip.id)).detail(
        json!({"rung": p.rung.code(), "status": tip.status.code(), "due": tip.ack_due_at, "called": called, "next_at": next_at}),
    ));
    change
}
