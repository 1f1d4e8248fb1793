//! Oversight: revealing a tipster's contact details (a reason, a granted permission, an audit
//! event first), and the auditor's search of the audit trail (itself recorded).

use crate::access::{actor, load};
use crate::ctx::Ctx;
use crate::error::{AppError, AppResult};
use domain::audit::{AuditAction, ObjectRef, StoredAudit};
use domain::staff::{Role, TipAction, Viewer};
use domain::status::Reason;
use store::model::{AuditQuery, NewAudit};

/// A tipster's contact details, opened.
pub struct Contact {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// Reveals the contact details a tipster chose to give. Needs the reveal permission an
/// administrator grants, and a reason; the reveal is recorded before anything is shown.
pub async fn reveal_contact(ctx: &Ctx, viewer: &Viewer, tip_id: i64, reason: &str) -> AppResult<Contact> {
    let reason = Reason::parse(reason)?;
    let d = load(ctx, viewer, tip_id, TipAction::Work).await?;
    if !ctx.store.account_security(viewer.user_id).await?.can_reveal_contact {
        return Err(AppError::Forbidden("revealing contact details needs a permission an administrator grants".into()));
    }
    let Some(stored) = ctx.store.tip_contact(tip_id).await? else {
        return Err(AppError::NotFound);
    };
    let key = crate::sealed::data_key(ctx, tip_id).await?;
    let open = |field: &str, v: &Option<String>| -> AppResult<Option<String>> {
        Ok(match v {
            Some(v) => Some(vault::crypto::open_text(key.as_ref(), &d.tip.reference, field, v)?),
            None => None,
        })
    };
    let contact = Contact {
        name: open("contact.name", &stored.name)?,
        phone: open("contact.phone", &stored.phone)?,
        email: open("contact.email", &stored.email)?,
    };
    // Fail closed: no audit event, no contact details.
    ctx.store
        .append_audit(
            NewAudit::new(ctx.now(), actor(viewer), AuditAction::ContactRevealed, ObjectRef::Tip(tip_id))
                .reason(reason.as_str()),
        )
        .await?;
    Ok(contact)
}

/// Only auditors search the trail. A door that parses the query first asks this before, so a
/// non-auditor is refused as such, whatever they sent.
pub fn may_search_audit(viewer: &Viewer) -> AppResult<Option<i64>> {
    if viewer.has(Role::InstanceAuditor) {
        Ok(None)
    } else if viewer.has(Role::Auditor) {
        Ok(Some(viewer.agency_id))
    } else {
        Err(AppError::Forbidden("the audit trail is for auditors".into()))
    }
}

/// Searches the audit trail; the search is itself an audit event. An agency's auditor sees
/// the events about their agency's tips, people and sites; an instance auditor (a role granted
/// only on the command line) sees everything. `query.agency` is set here, whatever the caller said.
pub async fn search_audit(ctx: &Ctx, viewer: &Viewer, query: &AuditQuery) -> AppResult<Vec<StoredAudit>> {
    let scope = may_search_audit(viewer)?;
    if !(1..=100_000).contains(&query.limit) {
        return Err(AppError::invalid("limit", "must be from 1 to 100000"));
    }
    let query = AuditQuery { agency: scope, ..query.clone() };
    let events = ctx.store.search_audit(&query).await?;
    let detail = serde_json::json!({
        "scope": scope.map_or("instance".to_owned(), |a| format!("agency:{a}")),
        "actor": query.actor, "action": query.action, "object": query.object,
        "from": query.from_ms.map(domain::time::rfc3339), "to": query.to_ms.map(domain::time::rfc3339),
        "results": events.len(),
    });
    ctx.store
        .append_audit(
            NewAudit::new(ctx.now(), actor(viewer), AuditAction::AuditSearched, ObjectRef::AuditTrail).detail(detail),
        )
        .await?;
    Ok(events)
}

/// Whether the database answers (for `/healthz`).
pub async fn health(ctx: &Ctx) -> AppResult<()> {
    ctx.store.audit_head().await?;
    Ok(())
}

/// The counts `/metrics` exposes.
pub async fn metrics(ctx: &Ctx) -> AppResult<store::model::Metrics> {
    Ok(ctx.store.metrics(ctx.now()).await?)
}
