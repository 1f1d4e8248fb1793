//! Escalation: a tip that nobody acknowledged in time climbs the ladder — assignee, the
//! agency's on-call contacts, its supervisors, then the partner agency — one rung per
//! interval, each step recorded, until a person acts.

use crate::ctx::Ctx;
use crate::routing::RoutingData;
use domain::audit::AuditAction;
use domain::sla::{Rung, rung_interval};
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

/// The change for one overdue tip: the next rung, who to call, and when to look again.
pub fn plan(tip: &TipRow, routing: &RoutingData, now: i64) -> TipChange {
    // A close awaiting second review escalates to supervisors, not to the assignee.
    let current = Rung::from_level(tip.escalation_level);
    let rung = if tip.status == Status::AwaitingReview { current.max(Rung::OnCall).next() } else { current.next() };
    let mut change = TipChange { tip_id: tip.id, expected_version: tip.version, now, ..Default::default() };
    let mut called = Vec::new();
    let agencies = if tip.active_agencies.is_empty() {
        routing.fallback_agency_id.into_iter().collect()
    } else {
        tip.active_agencies.clone()
    };
    let role = match rung {
        Rung::Assignee | Rung::OnCall => ContactRole::OnCall,
        Rung::Supervisor | Rung::PartnerAgency => ContactRole::Supervisor,
    };
    let mut targets: Vec<i64> = agencies.clone();
    if rung == Rung::PartnerAgency {
        for a in &agencies {
            if let Some(p) = routing.partners.get(a)
                && !tip.active_agencies.contains(p)
                && !targets.contains(p)
            {
                change.new_routes.push(NewRoute {
                    agency_id: *p,
                    reason: format!(
                        "escalated: partner of {} after no acknowledgement",
                        routing.names.get(a).cloned().unwrap_or_default()
                    ),
                });
                targets.push(*p);
            }
        }
    }
    for agency in &targets {
        let partner = !agencies.contains(agency);
        let contacts: Vec<_> = if partner {
            routing.contacts(*agency, ContactRole::OnCall).collect()
        } else {
            routing.contacts(*agency, role).collect()
        };
        for c in contacts {
            called.push(json!({"contact_id": c.id, "agency_id": agency, "role": c.role.code()}));
            change.notifications.push(NewNotification {
                agency_id: Some(*agency),
                contact_id: Some(c.id),
                kind: "escalation".into(),
                url: c.webhook_url.clone(),
                payload: json!({
                    "event": "escalation",
                    "reference": tip.reference,
                    "tier": tip.tier.code(),
                    "rung": rung.code(),
                    "status": tip.status.code(),
                    "overdue_since": tip.ack_due_at,
                    "agency_id": agency,
                    "acknowledge_required": true,
                    "at": now,
                })
                .to_string(),
            });
        }
    }
    let interval = agencies.iter().map(|a| rung_interval(&routing.policy(*a), tip.tier)).min().unwrap_or(60_000);
    change.escalation = Some((rung.level(), Some(now + interval)));
    change.audit.push(NewAudit::new(now, "system", AuditAction::TipEscalated, format!("tip:{}", tip.id)).detail(
        json!({
            "rung": rung.code(),
            "status": tip.status.code(),
            "due": tip.ack_due_at,
            "called": called,
            "next_at": now + interval,
        }),
    ));
    change
}
