//! Tips: intake in one transaction, the tipster's credentials and sessions, the record, the queue, and changes under optimistic concurrency.

use crate::Result;
#[allow(unused_imports)]
use crate::model::*;
use async_trait::async_trait;
use domain::status::{Disposition, Status};
use domain::urgency::Tier;

#[async_trait]
pub trait TipStore: Send + Sync {
    /// Stores a new tip with its factors, subjects, routes, notifications and audit events,
    /// all in one transaction. Returns [`StoreError::Conflict`] when the reference is taken
    /// or the idempotency key was used already (the caller then looks it up).
    async fn insert_tip(&self, tip: NewTipRecord) -> Result<i64>;
    /// The tip an idempotency key created, with the hash of the request that created it.
    async fn tip_for_idempotency_key(&self, key_hash: &str) -> Result<Option<(i64, String)>>;
    async fn tip_credentials(&self, reference: &str) -> Result<Option<(i64, String)>>;
    async fn create_tipster_session(&self, token_hash: &str, tip_id: i64, expires_at: i64, now: i64) -> Result<()>;
    async fn tipster_session(&self, token_hash: &str, now: i64) -> Result<Option<i64>>;
    async fn end_tipster_session(&self, token_hash: &str) -> Result<()>;
    async fn get_tip(&self, id: i64) -> Result<TipRow>;
    async fn tip_detail(&self, id: i64) -> Result<TipDetail>;
    async fn queue(&self, filter: &QueueFilter, now: i64) -> Result<Vec<TipRow>>;
    /// Applies a change to a tip if its version still matches, with its audit events.
    async fn commit_tip_change(&self, change: TipChange) -> Result<()>;
}

#[derive(Debug, Clone)]
pub struct FactorRow {
    pub kind: String,
    /// JSON array of `{start, end, text}`.
    pub evidence: String,
}

#[derive(Debug, Clone, Default)]
pub struct SubjectRow {
    pub name: Option<String>,
    pub age: Option<i64>,
    pub dob: Option<String>,
    pub school: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub handles: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct ContactRow {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewRoute {
    pub agency_id: i64,
    pub role: domain::routing::RouteRole,
    pub reason: String,
}

#[derive(Debug, Clone)]
pub struct NewNotification {
    pub agency_id: Option<i64>,
    pub contact_id: Option<i64>,
    pub kind: domain::sla::NotificationKind,
    pub url: String,
    pub payload: String,
}

/// A fully decided new tip, ready to be written in one transaction.
#[derive(Debug, Clone)]
pub struct NewTipRecord {
    pub reference: String,
    pub passphrase_hash: String,
    pub category: domain::tip::Category,
    pub narrative: String,
    pub language: domain::tip::Language,
    pub location_text: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub site_id: Option<i64>,
    pub tier: Tier,
    pub tier_rule: String,
    pub tier_rule_text: String,
    pub factors: Vec<FactorRow>,
    pub subjects: Vec<SubjectRow>,
    pub mentions: Vec<MentionRow>,
    pub attachments: Vec<NewAttachment>,
    /// The tip's data key, wrapped by the instance key: (key id, wrapped key).
    pub data_key: Option<(String, String)>,
    pub contact: Option<ContactRow>,
    pub routes: Vec<NewRoute>,
    pub ack_due_at: i64,
    pub next_escalation_at: i64,
    pub notifications: Vec<NewNotification>,
    pub idempotency: Option<(String, String)>,
    pub received_at: i64,
    pub audit: Vec<NewAudit>,
}

#[derive(Debug, Clone)]
pub struct TipRow {
    pub id: i64,
    pub reference: String,
    pub category: domain::tip::Category,
    pub narrative: String,
    pub language: domain::tip::Language,
    pub location_text: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub site_id: Option<i64>,
    pub tier: Tier,
    pub tier_rule: String,
    pub tier_rule_text: String,
    pub original_tier: Tier,
    pub tier_override_reason: Option<String>,
    /// The most urgent tier the tip was ever at.
    pub peak_tier: Tier,
    /// A lowering of the tier that waits for a second person.
    pub tier_request: Option<TierRequest>,
    /// For a tip closed as a duplicate: the tip it duplicates.
    pub duplicate_of: Option<i64>,
    /// When the tipster last added something nobody working the tip has read yet.
    pub tipster_news_at: Option<i64>,
    pub status: Status,
    pub assignee_id: Option<i64>,
    pub ack_due_at: Option<i64>,
    pub acknowledged_at: Option<i64>,
    pub escalation_level: i64,
    pub next_escalation_at: Option<i64>,
    pub disposition: Option<Disposition>,
    pub disposition_reason: Option<String>,
    pub close_requested_by: Option<i64>,
    pub closed_by: Option<i64>,
    pub closed_at: Option<i64>,
    pub received_at: i64,
    pub updated_at: i64,
    pub version: i64,
    /// Agencies with a pending or accepted route.
    pub active_agencies: Vec<i64>,
    /// Agencies with a pending primary route: they must still acknowledge, and the tip's clock
    /// runs for them.
    pub waiting_agencies: Vec<i64>,
    /// Agencies holding the tip to act on it (primary or backup, not informed).
    pub acting_agencies: Vec<i64>,
    /// The tip's data key as stored, wrapped: (key id, wrapped key). The narrative, the
    /// place, the factors' evidence and the subjects are sealed with it.
    pub data_key: Option<(String, String)>,
}

/// A lowering of a tip's tier from urgent or life safety, waiting for a supervisor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TierRequest {
    pub tier: Tier,
    pub reason: String,
    pub by: i64,
    pub at: i64,
}

/// Another tip named by its id and reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TipRef {
    pub id: i64,
    pub reference: String,
}

#[derive(Debug, Clone)]
pub struct RouteRow {
    pub id: i64,
    pub agency_id: i64,
    pub agency_name: String,
    pub role: domain::routing::RouteRole,
    pub reason: String,
    pub state: domain::routing::RouteState,
    pub decided_by: Option<i64>,
    pub decision_reason: Option<String>,
    pub created_at: i64,
    pub decided_at: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct MessageRow {
    pub id: i64,
    pub author: domain::tip::Author,
    pub user_id: Option<i64>,
    pub body: String,
    pub created_at: i64,
}

#[derive(Debug, Clone)]
pub struct TipDetail {
    pub tip: TipRow,
    pub factors: Vec<FactorRow>,
    pub subjects: Vec<SubjectRow>,
    pub has_contact: bool,
    pub routes: Vec<RouteRow>,
    pub messages: Vec<MessageRow>,
    /// Agencies granted read access on request.
    pub shared_with: Vec<i64>,
    /// The tip this one duplicates, when it was closed as a duplicate.
    pub duplicate_of: Option<TipRef>,
    /// Tips closed as duplicates of this one.
    pub duplicates: Vec<TipRef>,
}

impl TipDetail {
    /// Who holds the tip and who may read it.
    pub fn audience(&self) -> domain::staff::Audience {
        let mut readers: Vec<i64> =
            self.routes.iter().map(|r| r.agency_id).chain(self.shared_with.iter().copied()).collect();
        readers.sort_unstable();
        readers.dedup();
        domain::staff::Audience { holders: self.tip.active_agencies.clone(), readers }
    }
}

/// What the queue shows.
#[derive(Debug, Clone, Default)]
pub struct QueueFilter {
    /// Only tips routed (pending or accepted) to this agency.
    pub agency_id: Option<i64>,
    pub statuses: Vec<Status>,
    pub tiers: Vec<Tier>,
    /// Include closed tips (default: open only) when no status is named.
    pub include_closed: bool,
    /// Only tips whose lowering of the tier waits for a supervisor.
    pub tier_request_pending: bool,
    /// Only tips assigned to this user (`Some(Some(id))`) or to nobody (`Some(None)`).
    pub assignee: Option<Option<i64>>,
    /// Only tips with a tipster's message nobody working them has read.
    pub news_only: bool,
    pub limit: i64,
}

/// A route's new state.
#[derive(Debug, Clone)]
pub struct RouteDecision {
    pub agency_id: i64,
    pub state: domain::routing::RouteState,
    pub decided_by: Option<i64>,
    pub reason: Option<String>,
}

/// A change to one tip; `None` fields stay as they are.
#[derive(Debug, Clone, Default)]
pub struct TipChange {
    pub tip_id: i64,
    pub expected_version: i64,
    pub now: i64,
    pub status: Option<Status>,
    /// A tier override: the new tier and its reason. The original tier is kept.
    pub tier_override: Option<(Tier, String, i64)>,
    /// The most urgent tier the tip was ever at, when a raise moves it.
    pub peak_tier: Option<Tier>,
    /// A lowering of the tier asked for, or its request cleared once decided.
    pub tier_request: Option<Option<TierRequest>>,
    pub duplicate_of: Option<Option<i64>>,
    /// New information from the tipster (its time), or read (`Some(None)`).
    pub tipster_news: Option<Option<i64>>,
    pub assignee: Option<Option<i64>>,
    pub ack_due_at: Option<Option<i64>>,
    pub acknowledged_at: Option<i64>,
    pub escalation: Option<(i64, Option<i64>)>,
    /// Disposition, reason, and who asked to close.
    pub disposition: Option<Option<(Disposition, String)>>,
    pub close_requested_by: Option<Option<i64>>,
    pub closed: Option<Option<(i64, i64)>>,
    pub route_decisions: Vec<RouteDecision>,
    pub new_routes: Vec<NewRoute>,
    /// Author, the staff member who wrote it, the (sealed) body.
    pub messages: Vec<(domain::tip::Author, Option<i64>, String)>,
    pub attachments: Vec<NewAttachment>,
    pub notifications: Vec<NewNotification>,
    pub audit: Vec<NewAudit>,
}
