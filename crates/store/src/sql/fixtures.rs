//! Records and runtimes the store's unit tests share.

use crate::model::{NewAudit, NewTipRecord};
use domain::audit::ObjectRef;

/// A plain tip with reference `DEAD-0001`, due for acknowledgement (and escalation) at 1 ms.
pub(super) fn tip() -> NewTipRecord {
    NewTipRecord {
        reference: "DEAD-0001".into(),
        passphrase_hash: "h".into(),
        category: domain::tip::Category::Threat,
        narrative: "n".into(),
        language: domain::tip::Language::En,
        location_text: None,
        lat: None,
        lon: None,
        site_id: None,
        tier: domain::urgency::Tier::Standard,
        tier_rule: "r".into(),
        tier_rule_text: "r".into(),
        factors: vec![],
        subjects: vec![],
        mentions: vec![],
        attachments: vec![],
        data_key: None,
        contact: None,
        routes: vec![],
        ack_due_at: 1,
        next_escalation_at: 1,
        notifications: vec![],
        idempotency: None,
        received_at: 1,
        audit: vec![NewAudit::new(
            1,
            domain::audit::Actor::Tipster,
            domain::audit::AuditAction::TipReceived,
            ObjectRef::NewTip,
        )],
    }
}

pub(super) fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime")
}
