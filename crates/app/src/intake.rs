//! Intake: a validated tip becomes a fully decided record — triaged, routed, on the clock,
//! with its notifications and audit events — that the store writes in one transaction.
//! The receipt is returned only after that commit.

use crate::ctx::Ctx;
use crate::error::{AppError, AppResult};
use crate::routing::RoutingData;
use domain::audit::{AuditAction, ObjectRef};
use domain::tip::{Location, NewTip};
use domain::urgency::{Assessment, Tier};
use serde_json::json;
use store::StoreError;
use store::model::*;
use vault::secrets::{self, Secrets};

/// What the tipster gets back.
pub struct Receipt {
    pub tip_id: i64,
    pub reference: String,
    pub passphrase: String,
    pub tier: Tier,
}

/// An idempotency key and the hash of the request body it came with.
#[derive(Debug, Clone)]
pub struct Idempotency {
    pub key: String,
    pub request_hash: String,
}

/// Files a tip: returns only once it is committed. With an idempotency key, a retry of the
/// same request returns the same reference and passphrase, never a second tip.
///
/// A retry is not looked up first: its key is taken, so the insert answers `Conflict` and the
/// stored tip's receipt is returned from there. A first attempt, nearly every request, costs
/// no lookup.
pub async fn file_tip(
    ctx: &Ctx,
    tip: NewTip,
    attachments: &[NewAttachment],
    idem: Option<Idempotency>,
) -> AppResult<Receipt> {
    let routing = ctx.routing().await?;
    if let Some(site) = tip.site_id
        && !routing.sites.contains_key(&site)
    {
        // A retry of a tip stored before its site was removed still gets its receipt.
        if let Some(i) = &idem
            && let Some(receipt) = replay(ctx, i).await?
        {
            return Ok(receipt);
        }
        return Err(AppError::invalid("site_id", "is not a registered site"));
    }
    let assessment = assess(&tip, &routing);
    let now = ctx.now();
    for _attempt in 0..5 {
        let passphrase = match &idem {
            Some(i) => ctx.secrets.idempotent_passphrase(&i.key),
            None => secrets::new_passphrase(),
        };
        let reference = secrets::new_reference();
        let record =
            decide(&ctx.secrets, &tip, &assessment, &routing, &reference, &passphrase, idem.as_ref(), attachments, now);
        let agencies: Vec<i64> = record.routes.iter().map(|r| r.agency_id).collect();
        // Background work that cannot wait for the scheduler's next tick: pages to send now,
        // people to match. A plain tip's deadlines are minutes away; the tick covers them, and
        // not waking the jobs for every tip keeps them off the writer under load.
        let wake_jobs = !record.notifications.is_empty() || !record.mentions.is_empty();
        match ctx.store.insert_tip(record).await {
            Ok(tip_id) => {
                if wake_jobs {
                    ctx.jobs.notify_one();
                }
                ctx.publish(crate::ctx::TipEvent { tip_id, kind: "new", tier: assessment.tier.code(), agencies });
                return Ok(Receipt { tip_id, reference, passphrase, tier: assessment.tier });
            }
            Err(StoreError::Conflict(_)) => {
                // Either a concurrent retry with the same key won (answer as it did), or the
                // random reference collided (draw another).
                if let Some(i) = &idem
                    && let Some(receipt) = replay(ctx, i).await?
                {
                    return Ok(receipt);
                }
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(AppError::Broken(anyhow::anyhow!("could not draw a free tip reference in five attempts")))
}

async fn replay(ctx: &Ctx, idem: &Idempotency) -> AppResult<Option<Receipt>> {
    let key_hash = secrets::sha256_hex(idem.key.as_bytes());
    let Some((tip_id, request_hash)) = ctx.store.tip_for_idempotency_key(&key_hash).await? else {
        return Ok(None);
    };
    if request_hash != idem.request_hash {
        return Err(AppError::Conflict("this Idempotency-Key was already used for a different tip".into()));
    }
    let tip = ctx.store.get_tip(tip_id).await?;
    Ok(Some(Receipt {
        tip_id,
        reference: tip.reference,
        passphrase: ctx.secrets.idempotent_passphrase(&idem.key),
        tier: tip.tier,
    }))
}

pub fn assess(tip: &NewTip, routing: &RoutingData) -> Assessment {
    let input = triage::TriageInput {
        category: tip.category,
        narrative: tip.narrative.as_str(),
        language: tip.language,
        named_subject: tip.subjects.iter().any(|s| s.name.is_some()),
        registered_site: tip.site_id.is_some_and(|id| routing.sites.contains_key(&id)),
    };
    triage::assess(&input)
}

/// Every decision about a new tip, as data.
#[allow(clippy::too_many_arguments)] // one call site; a struct would only rename these
fn decide(
    secrets: &Secrets,
    tip: &NewTip,
    assessment: &Assessment,
    routing: &RoutingData,
    reference: &str,
    passphrase: &str,
    idem: Option<&Idempotency>,
    attachments: &[NewAttachment],
    now: i64,
) -> NewTipRecord {
    let (lat, lon, location_text) = match &tip.location {
        Some(Location::Point(p)) => (Some(p.lat()), Some(p.lon()), None),
        Some(Location::Text(t)) => (None, None, Some(t.clone())),
        None => (None, None, None),
    };
    let site = tip.site_id.and_then(|id| routing.sites.get(&id));
    let routes = match routing.fallback_agency_id {
        Some(fallback) => {
            let about = domain::routing::RouteTip { category: tip.category, tier: assessment.tier };
            domain::routing::route(&routing.agencies, about, site, lon.zip(lat), fallback, &[])
        }
        None => Vec::new(),
    };
    let tier = assessment.tier;
    // The clock is the primary receivers': the informed ones never hold it.
    let primary = routes.iter().filter(|r| r.role == domain::routing::RouteRole::Primary);
    let window = domain::sla::shortest_window(routing.policies_of(primary.map(|r| &r.agency_id)), tier);
    let ack_due_at = now + window;
    let language = tip.language.unwrap_or_else(|| triage::detect_language(tip.narrative.as_str()));
    let notifications = intake_notifications(reference, tier, assessment, &routes, routing, now);
    let mut audit = vec![
        NewAudit::new(now, domain::audit::Actor::Tipster, AuditAction::TipReceived, ObjectRef::NewTip).detail(json!({
            "reference": reference,
            "category": tip.category.code(),
            "channel": "web",
            "subjects": tip.subjects.len(),
            "contact_given": tip.contact.is_some(),
        })),
        NewAudit::new(now, domain::audit::Actor::System, AuditAction::TipTriaged, ObjectRef::NewTip).detail(json!({
            "tier": tier.code(),
            "rule": assessment.rule,
            "factors": assessment.factors.iter().map(|f| f.kind.code()).collect::<Vec<_>>(),
        })),
        NewAudit::new(now, domain::audit::Actor::System, AuditAction::TipRouted, ObjectRef::NewTip).detail(json!({
            "routes": routes.iter().map(|r| json!({"agency_id": r.agency_id, "reason": r.reason})).collect::<Vec<_>>(),
            "ack_due_at": ack_due_at,
        })),
    ];
    if !notifications.is_empty() {
        audit.push(
            NewAudit::new(now, domain::audit::Actor::System, AuditAction::NotificationQueued, ObjectRef::NewTip)
                .detail(json!({"count": notifications.len(), "kind": "new_tip"})),
        );
    }
    let data_key = vault::crypto::random_key();
    let seal =
        |field: &str, v: &Option<String>| v.as_ref().map(|x| vault::crypto::seal_text(&data_key, reference, field, x));
    let contact = tip.contact.as_ref().map(|c| ContactRow {
        name: seal("contact.name", &c.name),
        phone: seal("contact.phone", &c.phone),
        email: seal("contact.email", &c.email),
    });
    let attachments = attachments
        .iter()
        .map(|a| NewAttachment {
            data: vault::crypto::seal_bytes(&data_key, reference, "attachment", &a.data),
            ..a.clone()
        })
        .collect();
    let mut record = NewTipRecord {
        data_key: Some(secrets.keyring.wrap(&data_key)),
        attachments,
        reference: reference.to_owned(),
        passphrase_hash: passphrase_hash(secrets, passphrase),
        category: tip.category,
        narrative: tip.narrative.as_str().to_owned(),
        language,
        location_text,
        lat,
        lon,
        site_id: tip.site_id,
        tier,
        tier_rule: assessment.rule.clone(),
        tier_rule_text: assessment.rule_text.clone(),
        factors: assessment.factors.iter().map(factor_row).collect(),
        mentions: crate::resolution::mentions_of(tip),
        subjects: tip
            .subjects
            .iter()
            .map(|s| SubjectRow {
                name: s.name.clone(),
                age: s.age.map(i64::from),
                dob: s.dob.clone(),
                school: s.school.clone(),
                phone: s.phone.clone(),
                email: s.email.clone(),
                handles: s.handles.clone(),
            })
            .collect(),
        contact,
        routes: routes
            .iter()
            .map(|r| NewRoute { agency_id: r.agency_id, role: r.role, reason: r.reason.clone() })
            .collect(),
        ack_due_at,
        next_escalation_at: ack_due_at,
        notifications,
        idempotency: idem.map(|i| (secrets::sha256_hex(i.key.as_bytes()), i.request_hash.clone())),
        received_at: now,
        audit,
    };
    crate::sealed::seal_new_tip(&mut record, &data_key);
    record
}

pub fn passphrase_hash(secrets: &Secrets, passphrase: &str) -> String {
    secrets.keyed_hash("passphrase", &secrets::normalise_code(passphrase))
}

pub fn factor_row(f: &domain::urgency::Factor) -> FactorRow {
    let spans: Vec<_> = f.evidence.iter().map(|s| json!({"start": s.start, "end": s.end, "text": s.text})).collect();
    FactorRow { kind: f.kind.code().to_owned(), evidence: serde_json::Value::Array(spans).to_string() }
}

/// Life-safety and urgent tips page the on-call contacts of every receiving agency at once;
/// the rest wait in the queue.
fn intake_notifications(
    reference: &str,
    tier: Tier,
    assessment: &Assessment,
    routes: &[domain::routing::Route],
    routing: &RoutingData,
    now: i64,
) -> Vec<NewNotification> {
    if tier > Tier::Urgent {
        return Vec::new();
    }
    let mut out = Vec::new();
    for r in routes {
        for c in routing.contacts(r.agency_id, ContactRole::OnCall) {
            out.push(NewNotification {
                agency_id: Some(r.agency_id),
                contact_id: Some(c.id),
                kind: domain::sla::NotificationKind::NewTip,
                url: c.webhook_url.clone(),
                payload: json!({
                    "event": "new_tip",
                    "reference": reference,
                    "tier": tier.code(),
                    "rule": assessment.rule_text,
                    "agency_id": r.agency_id,
                    "acknowledge_required": true,
                    "at": now,
                })
                .to_string(),
            });
        }
    }
    out
}

/// The registered sites a tipster may choose from (public).
pub async fn registered_sites(ctx: &Ctx) -> AppResult<Vec<Site>> {
    Ok(ctx.store.list_sites().await?)
}
