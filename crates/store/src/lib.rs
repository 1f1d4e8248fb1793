//! Persistence: the [`Store`] trait, its typed errors, and its SQLite and PostgreSQL backends.
//!
//! Only this crate knows SQL. Every state change is written together with its audit event in
//! one transaction; the audit log is append-only and hash-chained (see `domain::audit`).
//!
//! # Layout
//! - [`model`]: the rows the store reads and writes (not domain types, not API DTOs).
//! - [`error`]: [`StoreError`], separating "absent" and "conflict" from "broken".
//! - `sql`: the one SQL implementation, with per-backend [`Backend`] hooks and migrations.

pub mod error;
pub mod model;
mod sql;

pub use error::StoreError;
pub use sql::{Backend, SqlStore};

use async_trait::async_trait;
use model::*;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Everything Sightline persists. One implementation per database, one contract test suite
/// (`tests/contract`) run on each.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    fn backend(&self) -> Backend;

    // --- administration --------------------------------------------------------------
    async fn create_agency(&self, agency: NewAgency, actor: &str, now: i64) -> Result<Agency>;
    async fn list_agencies(&self) -> Result<Vec<Agency>>;
    async fn create_site(&self, site: NewSite, actor: &str, now: i64) -> Result<Site>;
    async fn list_sites(&self) -> Result<Vec<Site>>;
    async fn create_contact(&self, contact: NewContact, actor: &str, now: i64) -> Result<Contact>;
    async fn list_contacts(&self, agency_id: i64) -> Result<Vec<Contact>>;
    async fn create_user(&self, user: NewUser, actor: &str, now: i64) -> Result<User>;
    async fn user_by_email(&self, email: &str) -> Result<Option<User>>;
    async fn user_by_id(&self, id: i64) -> Result<Option<User>>;
    async fn list_users(&self, agency_id: i64) -> Result<Vec<User>>;
    async fn create_token(&self, token: NewToken, actor: &str, now: i64) -> Result<i64>;
    async fn get_setting(&self, key: &str) -> Result<Option<String>>;
    /// Sets an instance setting, with the audit event of the change.
    async fn set_setting(&self, key: &str, value: &str, audit: NewAudit) -> Result<()>;

    // --- intake ------------------------------------------------------------------------
    /// Stores a new tip with its factors, subjects, routes, notifications and audit events,
    /// all in one transaction. Returns [`StoreError::Conflict`] when the reference is taken
    /// or the idempotency key was used already (the caller then looks it up).
    async fn insert_tip(&self, tip: NewTipRecord) -> Result<i64>;
    /// The tip an idempotency key created, with the hash of the request that created it.
    async fn tip_for_idempotency_key(&self, key_hash: &str) -> Result<Option<(i64, String)>>;
    async fn tip_credentials(&self, reference: &str) -> Result<Option<(i64, String)>>;
    async fn create_tipster_session(&self, token_hash: &str, tip_id: i64, expires_at: i64, now: i64) -> Result<()>;
    async fn tipster_session(&self, token_hash: &str, now: i64) -> Result<Option<i64>>;

    // --- the desk ----------------------------------------------------------------------
    async fn get_tip(&self, id: i64) -> Result<TipRow>;
    async fn tip_detail(&self, id: i64) -> Result<TipDetail>;
    async fn queue(&self, filter: &QueueFilter, now: i64) -> Result<Vec<TipRow>>;
    /// Applies a change to a tip if its version still matches, with its audit events.
    async fn commit_tip_change(&self, change: TipChange) -> Result<()>;

    // --- security ----------------------------------------------------------------------
    /// The tip's data key, wrapped: (key id, wrapped key).
    async fn tip_key(&self, tip_id: i64) -> Result<Option<(String, String)>>;
    /// Every tip's wrapped data key: (tip id, key id, wrapped).
    async fn tip_keys(&self) -> Result<Vec<(i64, String, String)>>;
    /// Replaces wrapped data keys (after re-wrapping under a new instance key), in one transaction.
    async fn rewrap_tip_keys(&self, keys: Vec<(i64, String, String)>, audit: NewAudit) -> Result<()>;
    /// The tipster's contact details as stored (encrypted).
    async fn tip_contact(&self, tip_id: i64) -> Result<Option<ContactRow>>;
    async fn account_security(&self, user_id: i64) -> Result<AccountSecurity>;
    async fn set_mfa(
        &self,
        user_id: i64,
        secret: Option<String>,
        enabled_at: Option<i64>,
        recovery_codes: Vec<String>,
        audit: Option<NewAudit>,
    ) -> Result<()>;
    /// Counts a failed sign-in and locks the account at `threshold` failures within `window_ms`.
    async fn record_failed_sign_in(
        &self,
        user_id: i64,
        now: i64,
        window_ms: i64,
        threshold: i64,
    ) -> Result<(i64, bool)>;
    async fn record_sign_in(&self, user_id: i64, now: i64) -> Result<()>;
    /// Unlock, disable/enable, or grant/withdraw contact reveal, with its audit event.
    async fn update_account(
        &self,
        user_id: i64,
        unlock: bool,
        disable: Option<bool>,
        reveal: Option<bool>,
        audit: NewAudit,
    ) -> Result<()>;
    /// Any unrevoked token (API or session) with its user; callers decide expiry and idleness.
    async fn token_info(&self, token_hash: &str) -> Result<Option<TokenInfo>>;
    async fn touch_token(&self, token_id: i64, user_id: i64, now: i64, mfa_passed: Option<bool>) -> Result<()>;
    async fn revoke_token(&self, token_id: i64, audit: NewAudit) -> Result<()>;
    async fn list_tokens(&self, user_id: i64) -> Result<Vec<TokenRow>>;
    async fn set_password(&self, user_id: i64, password_hash: &str, audit: NewAudit) -> Result<()>;
    async fn search_audit(&self, query: &AuditQuery) -> Result<Vec<domain::audit::StoredAudit>>;

    async fn attachments(&self, tip_id: i64) -> Result<Vec<AttachmentMeta>>;
    async fn attachment(&self, id: i64) -> Result<(AttachmentMeta, Vec<u8>)>;

    // --- entity resolution -------------------------------------------------------------
    /// Mentions with an id above `after_id`, oldest first (for keeping an index in sync).
    async fn mentions_after(&self, after_id: i64, limit: i64) -> Result<Vec<Mention>>;
    /// Mentions not yet matched, oldest first.
    async fn unmatched_mentions(&self, limit: i64) -> Result<Vec<Mention>>;
    /// Stores the matcher's suggestions for one mention and marks it matched. A pair that
    /// exists already (in any state, rejected included) is left as it is.
    async fn record_matches(
        &self,
        mention_id: i64,
        links: Vec<NewLink>,
        audit: Vec<NewAudit>,
        now: i64,
    ) -> Result<usize>;
    /// Links where the tip is either side.
    async fn links_for_tip(&self, tip_id: i64) -> Result<Vec<LinkRow>>;
    async fn get_link(&self, id: i64) -> Result<LinkRow>;
    /// Moves a link from `from` to `to`; `Conflict` when someone decided meanwhile.
    async fn decide_link(
        &self,
        id: i64,
        from: domain::link::LinkState,
        to: domain::link::LinkState,
        by: i64,
        reason: &str,
        audit: NewAudit,
    ) -> Result<()>;
    /// Who holds and who may read a tip.
    async fn tip_audience(&self, tip_id: i64) -> Result<domain::staff::Audience>;
    async fn create_access_request(&self, request: NewAccessRequest, audit: NewAudit) -> Result<i64>;
    async fn get_access_request(&self, id: i64) -> Result<AccessRequestRow>;
    /// Requests made by `agency_id`, and requests for tips `agency_id` holds.
    async fn access_requests(&self, agency_id: i64) -> Result<Vec<AccessRequestRow>>;
    /// Grants (sharing the tip with the requesting agency) or refuses a pending request.
    async fn decide_access_request(&self, id: i64, grant: bool, by: i64, reason: &str, audit: NewAudit) -> Result<()>;

    // --- background work ---------------------------------------------------------------
    /// Claims tips whose escalation time has come, lets `plan` decide each change, and
    /// commits them. Several processes may call this at once: each tip is claimed by one.
    async fn escalate_due(&self, now: i64, limit: i64, plan: &EscalationPlan) -> Result<usize>;
    /// Leases up to `limit` due notifications for `lease_ms`; nobody else gets them meanwhile.
    async fn claim_notifications(&self, now: i64, lease_ms: i64, limit: i64) -> Result<Vec<Notification>>;
    async fn finish_notification(&self, id: i64, outcome: DeliveryOutcome, now: i64) -> Result<()>;
    async fn next_wakeup(&self) -> Result<Option<i64>>;

    // --- audit and metrics -------------------------------------------------------------
    async fn audit_events(&self, after_seq: i64, limit: i64) -> Result<Vec<domain::audit::StoredAudit>>;
    async fn audit_head(&self) -> Result<(i64, String)>;
    async fn audit_for_object(&self, object: domain::audit::ObjectRef) -> Result<Vec<domain::audit::StoredAudit>>;
    async fn append_audit(&self, event: NewAudit) -> Result<()>;
    async fn metrics(&self, now: i64) -> Result<Metrics>;
    /// The supervisor's figures for an agency: open tips by tier and breached at `now`, open
    /// tips escalated, and tips received since `since` acknowledged, bucketed by
    /// `ack_bounds` (ascending milliseconds). Aggregated over every tip, not a page of them.
    async fn dashboard(&self, agency_id: i64, now: i64, since: i64, ack_bounds: &[i64]) -> Result<Dashboard>;
}
