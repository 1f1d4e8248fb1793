//! Background work claimed through the database: due escalations and the notification outbox.

use crate::Result;
#[allow(unused_imports)]
use crate::model::*;
use async_trait::async_trait;

#[async_trait]
pub trait JobStore: Send + Sync {
    /// Claims tips whose escalation time has come, lets `plan` decide each change, and
    /// commits them. Several processes may call this at once: each tip is claimed by one.
    async fn escalate_due(&self, now: i64, limit: i64, plan: &EscalationPlan) -> Result<usize>;
    /// Leases up to `limit` due notifications for `lease_ms`; nobody else gets them meanwhile.
    async fn claim_notifications(&self, now: i64, lease_ms: i64, limit: i64) -> Result<Vec<Notification>>;
    async fn finish_notification(&self, id: i64, outcome: DeliveryOutcome, now: i64) -> Result<()>;
    async fn next_wakeup(&self) -> Result<Option<i64>>;
}

#[derive(Debug, Clone)]
pub struct Notification {
    pub id: i64,
    pub tip_id: Option<i64>,
    pub kind: domain::sla::NotificationKind,
    pub url: String,
    pub payload: String,
    pub attempts: i64,
}

#[derive(Debug, Clone)]
pub enum DeliveryOutcome {
    Delivered,
    /// Try again at the given time.
    Retry {
        at: i64,
        error: String,
    },
    /// Give up: retries exhausted.
    Failed {
        error: String,
    },
}

/// Decides the change for one overdue tip; called by the store inside the claiming transaction.
pub type EscalationPlan = dyn Fn(&TipRow) -> TipChange + Send + Sync;
