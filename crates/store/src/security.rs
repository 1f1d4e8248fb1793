//! What protects access: tips' wrapped data keys and sealed contacts, account security (second factor, lockout, activity), tokens and passwords.

use crate::Result;
#[allow(unused_imports)]
use crate::model::*;
use async_trait::async_trait;

#[async_trait]
pub trait SecurityStore: Send + Sync {
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
    /// Takes TOTP time step `step` as used by the user: true when it is later than every step
    /// accepted before (one atomic compare-and-set, so two sessions cannot both use a code).
    async fn accept_totp_step(&self, user_id: i64, step: i64) -> Result<bool>;
    /// Counts a failed sign-in (password or code) of `user_id` from `client` (a keyed hash),
    /// with its audit event; returns the failures from that client within `window_ms` and
    /// when the last of them was.
    async fn record_failed_sign_in(&self, user_id: i64, client: &str, now: i64, window_ms: i64) -> Result<(i64, i64)>;
    /// Failures of `user_id` from `client` since `since`: how many, and the last one's time.
    async fn sign_in_failures(&self, user_id: i64, client: &str, since: i64) -> Result<(i64, i64)>;
    /// A successful sign-in from `client`: its failures are forgotten, activity recorded.
    async fn record_sign_in(&self, user_id: i64, client: &str, now: i64) -> Result<()>;
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
    /// Ends every console session of the user ("sign out everywhere"), with its audit event;
    /// API tokens stay. Returns how many ended.
    async fn end_sessions(&self, user_id: i64, audit: NewAudit) -> Result<u64>;
    async fn list_tokens(&self, user_id: i64) -> Result<Vec<TokenRow>>;
    /// The wall displays of an agency still working (not revoked), with who made each.
    async fn display_tokens(&self, agency_id: i64) -> Result<Vec<(TokenRow, String)>>;
    /// A new password; `temporary` when someone else chose it (replaced at first sign-in).
    async fn set_password(&self, user_id: i64, password_hash: &str, temporary: bool, audit: NewAudit) -> Result<()>;
    /// Leaves a notice for the session's next page (replacing one not yet shown).
    async fn set_notice(&self, token_id: i64, notice: &str) -> Result<()>;
    /// The session's notice, once: it is gone after this.
    async fn take_notice(&self, token_id: i64) -> Result<Option<String>>;
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
    /// The password is a first one someone else chose: replace it before anything else.
    pub must_change_password: bool,
}

/// What a presented token is.
#[derive(Debug, Clone)]
pub struct TokenInfo {
    pub id: i64,
    pub user: User,
    pub kind: domain::staff::TokenKind,
    /// For API tokens: the roles it may use (a subset of the user's).
    pub scope_roles: Option<Vec<domain::staff::Role>>,
    pub mfa_passed: bool,
    pub expires_at: Option<i64>,
    pub last_used_at: Option<i64>,
    pub created_at: i64,
    /// A wall display shows the start of each narrative.
    pub shows_narratives: bool,
}

/// An API token as listed (never its secret).
#[derive(Debug, Clone)]
pub struct TokenRow {
    pub id: i64,
    pub user_id: i64,
    pub label: String,
    pub kind: domain::staff::TokenKind,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub revoked_at: Option<i64>,
    pub shows_narratives: bool,
}
