//! Rows the store reads and writes. Codes for closed enums are the domain's stable codes;
//! they are parsed back into domain enums here, at the storage boundary.

use domain::routing::AgencyKind;
use domain::staff::Role;
use domain::status::{Disposition, Status};
use domain::urgency::Tier;

#[derive(Debug, Clone)]
pub struct NewAgency {
    pub name: String,
    pub kind: AgencyKind,
    /// GeoJSON geometry (Polygon or MultiPolygon) text.
    pub jurisdiction: Option<String>,
    pub partner_agency_id: Option<i64>,
    /// Acknowledge windows in ms: life_safety, urgent, standard, informational.
    pub ack_policy: Option<[i64; 4]>,
}

#[derive(Debug, Clone)]
pub struct Agency {
    pub id: i64,
    pub name: String,
    pub kind: AgencyKind,
    pub jurisdiction: Option<String>,
    pub partner_agency_id: Option<i64>,
    pub ack_policy: Option<[i64; 4]>,
}

impl Agency {
    pub fn policy(&self) -> domain::sla::AckPolicy {
        match self.ack_policy {
            Some([life_safety, urgent, standard, informational]) => {
                domain::sla::AckPolicy { life_safety, urgent, standard, informational }
            }
            None => domain::sla::AckPolicy::default(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct NewSite {
    pub name: String,
    pub kind: String,
    pub owner_agency_id: i64,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub address: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Site {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub owner_agency_id: i64,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub address: Option<String>,
}

/// Who is called when a tip escalates (a domain enum, stored as its code).
pub use domain::sla::ContactRole;

#[derive(Debug, Clone)]
pub struct NewContact {
    pub agency_id: i64,
    pub role: ContactRole,
    pub name: String,
    pub webhook_url: String,
}

#[derive(Debug, Clone)]
pub struct Contact {
    pub id: i64,
    pub agency_id: i64,
    pub role: ContactRole,
    pub name: String,
    pub webhook_url: String,
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub agency_id: i64,
    pub email: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    pub password_hash: String,
}

#[derive(Clone)]
pub struct User {
    pub id: i64,
    pub agency_id: i64,
    pub email: String,
    pub display_name: String,
    pub roles: Vec<Role>,
    pub password_hash: String,
    pub disabled: bool,
}

impl std::fmt::Debug for User {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the password hash.
        f.debug_struct("User").field("id", &self.id).field("email", &self.email).field("roles", &self.roles).finish()
    }
}

impl User {
    pub fn viewer(&self) -> domain::staff::Viewer {
        domain::staff::Viewer { user_id: self.id, agency_id: self.agency_id, roles: self.roles.clone() }
    }
}

#[derive(Debug, Clone)]
pub struct NewToken {
    pub user_id: i64,
    pub token_hash: String,
    pub label: String,
    pub expires_at: Option<i64>,
    /// `api` (a bearer token) or `session` (a console sign-in).
    pub kind: String,
    /// For API tokens: the roles it may use; `None` means all of the user's roles.
    pub scope_roles: Option<Vec<domain::staff::Role>>,
    /// Sessions start false until the second factor is checked.
    pub mfa_passed: bool,
}

impl Default for NewToken {
    fn default() -> Self {
        NewToken {
            user_id: 0,
            token_hash: String::new(),
            label: String::new(),
            expires_at: None,
            kind: "api".into(),
            scope_roles: None,
            mfa_passed: true,
        }
    }
}

/// An audit event to append; seq and hashes are assigned by the store.
#[derive(Debug, Clone)]
pub struct NewAudit {
    pub at_ms: i64,
    pub actor: String,
    pub action: domain::audit::AuditAction,
    /// What it is about; encoded only when written.
    pub object: domain::audit::ObjectRef,
    pub reason: String,
    /// Compact JSON text.
    pub detail: String,
}

impl NewAudit {
    pub fn new(
        at_ms: i64,
        actor: &str,
        action: domain::audit::AuditAction,
        object: domain::audit::ObjectRef,
    ) -> NewAudit {
        NewAudit { at_ms, actor: actor.to_owned(), action, object, reason: String::new(), detail: "{}".into() }
    }

    pub fn reason(mut self, reason: &str) -> NewAudit {
        self.reason = reason.to_owned();
        self
    }

    pub fn detail(mut self, detail: serde_json::Value) -> NewAudit {
        self.detail = detail.to_string();
        self
    }
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
    pub reason: String,
}

#[derive(Debug, Clone)]
pub struct NewNotification {
    pub agency_id: Option<i64>,
    pub contact_id: Option<i64>,
    pub kind: String,
    pub url: String,
    pub payload: String,
}

/// A fully decided new tip, ready to be written in one transaction.
#[derive(Debug, Clone)]
pub struct NewTipRecord {
    pub reference: String,
    pub passphrase_hash: String,
    pub category: String,
    pub narrative: String,
    pub language: String,
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
    pub category: String,
    pub narrative: String,
    pub language: String,
    pub location_text: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub site_id: Option<i64>,
    pub tier: Tier,
    pub tier_rule: String,
    pub tier_rule_text: String,
    pub original_tier: Tier,
    pub tier_override_reason: Option<String>,
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
}

#[derive(Debug, Clone)]
pub struct RouteRow {
    pub id: i64,
    pub agency_id: i64,
    pub agency_name: String,
    pub reason: String,
    pub state: String,
    pub decided_by: Option<i64>,
    pub decision_reason: Option<String>,
    pub created_at: i64,
    pub decided_at: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct MessageRow {
    pub id: i64,
    pub author: String,
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
    pub limit: i64,
}

/// A route's new state.
#[derive(Debug, Clone)]
pub struct RouteDecision {
    pub agency_id: i64,
    pub state: &'static str,
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
    pub messages: Vec<(String, Option<i64>, String)>,
    pub attachments: Vec<NewAttachment>,
    pub notifications: Vec<NewNotification>,
    pub audit: Vec<NewAudit>,
}

#[derive(Debug, Clone)]
pub struct Notification {
    pub id: i64,
    pub tip_id: Option<i64>,
    pub kind: String,
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

/// Counts for `/metrics`.
#[derive(Debug, Clone, Default)]
pub struct Metrics {
    pub tips_total: i64,
    pub tips_by_tier: Vec<(String, i64)>,
    pub open: i64,
    pub overdue: i64,
    pub escalations: i64,
    pub notification_failures: i64,
    pub notifications_pending: i64,
}

/// Decides the change for one overdue tip; called by the store inside the claiming transaction.
pub type EscalationPlan = dyn Fn(&TipRow) -> TipChange + Send + Sync;

/// A mention of a person, as stored with a new tip.
#[derive(Debug, Clone, Default)]
pub struct MentionRow {
    /// `subject` (the tipster's structured fields) or `narrative` (found in the text).
    pub source: String,
    pub name: Option<String>,
    pub dob: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub handle: Option<String>,
    pub school: Option<String>,
    /// For narrative mentions: the span of text it came from, as JSON.
    pub evidence: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Mention {
    pub id: i64,
    pub tip_id: i64,
    pub row: MentionRow,
}

/// A suggested link found by the matcher.
#[derive(Debug, Clone)]
pub struct NewLink {
    /// The newer mention and its tip.
    pub mention_id: i64,
    pub tip_id: i64,
    /// The earlier mention and its tip.
    pub other_mention_id: i64,
    pub other_tip_id: i64,
    pub weight: f64,
    pub probability: f64,
    /// JSON: `{"lines": [...], "weight": .., "probability": ..}`.
    pub explanation: String,
}

#[derive(Debug, Clone)]
pub struct LinkRow {
    pub id: i64,
    pub link: NewLink,
    pub state: domain::link::LinkState,
    pub decided_by: Option<i64>,
    pub decided_at: Option<i64>,
    pub reason: Option<String>,
    pub created_at: i64,
}

#[derive(Debug, Clone)]
pub struct NewAccessRequest {
    pub tip_id: i64,
    pub link_id: Option<i64>,
    pub requesting_agency_id: i64,
    pub requested_by: i64,
    pub reason: String,
}

#[derive(Debug, Clone)]
pub struct AccessRequestRow {
    pub id: i64,
    pub request: NewAccessRequest,
    pub state: domain::link::RequestState,
    pub decided_by: Option<i64>,
    pub decided_at: Option<i64>,
    pub decision_reason: Option<String>,
    pub created_at: i64,
}

/// A file to store with a tip (already checked and cleaned of metadata by the caller).
#[derive(Clone, Default)]
pub struct NewAttachment {
    /// `tipster` or `staff`.
    pub uploader: String,
    pub filename: String,
    pub content_type: String,
    pub sha256: String,
    /// What was done to it, e.g. "location and camera metadata removed".
    pub note: String,
    pub data: Vec<u8>,
}

impl std::fmt::Debug for NewAttachment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewAttachment").field("filename", &self.filename).field("size", &self.data.len()).finish()
    }
}

/// A stored file's description, without its bytes.
#[derive(Debug, Clone)]
pub struct AttachmentMeta {
    pub id: i64,
    pub tip_id: i64,
    pub uploader: String,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub note: String,
    pub created_at: i64,
}

/// Security state of a staff account.
#[derive(Debug, Clone, Default)]
pub struct AccountSecurity {
    /// The TOTP secret, encrypted by the caller.
    pub totp_secret: Option<String>,
    pub totp_enabled_at: Option<i64>,
    /// Hashes of unused recovery codes.
    pub recovery_codes: Vec<String>,
    pub locked_at: Option<i64>,
    pub last_active_at: Option<i64>,
    pub created_at: i64,
    pub can_reveal_contact: bool,
}

/// What a presented token is.
#[derive(Debug, Clone)]
pub struct TokenInfo {
    pub id: i64,
    pub user: User,
    /// `api` or `session`.
    pub kind: String,
    /// For API tokens: the roles it may use (a subset of the user's).
    pub scope_roles: Option<Vec<domain::staff::Role>>,
    pub mfa_passed: bool,
    pub expires_at: Option<i64>,
    pub last_used_at: Option<i64>,
    pub created_at: i64,
}

/// An API token as listed (never its secret).
#[derive(Debug, Clone)]
pub struct TokenRow {
    pub id: i64,
    pub user_id: i64,
    pub label: String,
    pub kind: String,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

/// Filters for the audit trail.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub object: Option<String>,
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
    pub limit: i64,
}

/// The supervisor's figures for one agency.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dashboard {
    /// Open tips by tier, every tier present.
    pub tiers: Vec<TierFigures>,
    /// Open tips that escalated at least once.
    pub escalated: i64,
    /// Tips of the period acknowledged, by time to acknowledge: one count per bucket (below the
    /// first bound, …, at or above the last).
    pub acknowledged_in: Vec<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TierFigures {
    pub tier: Tier,
    pub open: i64,
    /// Open and past the acknowledge or review deadline.
    pub breached: i64,
}
