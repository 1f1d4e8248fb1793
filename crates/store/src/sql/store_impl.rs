//! The [`crate::Store`] trait over [`SqlStore`]: each method delegates to its module.

use super::{Backend, SqlStore};
use crate::model::*;
use crate::{Result, Store};
use async_trait::async_trait;
use domain::audit::StoredAudit;
use domain::link::LinkState;
use domain::staff::Audience;

#[async_trait]
impl Store for SqlStore {
    fn backend(&self) -> Backend {
        self.backend
    }
    async fn create_agency(&self, agency: NewAgency, actor: &str, now: i64) -> Result<Agency> {
        self.insert_agency(agency, actor, now).await
    }
    async fn list_agencies(&self) -> Result<Vec<Agency>> {
        self.agencies().await
    }
    async fn create_site(&self, site: NewSite, actor: &str, now: i64) -> Result<Site> {
        self.insert_site(site, actor, now).await
    }
    async fn list_sites(&self) -> Result<Vec<Site>> {
        self.sites().await
    }
    async fn create_contact(&self, contact: NewContact, actor: &str, now: i64) -> Result<Contact> {
        self.insert_contact(contact, actor, now).await
    }
    async fn list_contacts(&self, agency_id: i64) -> Result<Vec<Contact>> {
        self.contacts(agency_id).await
    }
    async fn create_user(&self, user: NewUser, actor: &str, now: i64) -> Result<User> {
        self.insert_user(user, actor, now).await
    }
    async fn user_by_email(&self, email: &str) -> Result<Option<User>> {
        self.user_by(Some(email), None).await
    }
    async fn user_by_id(&self, id: i64) -> Result<Option<User>> {
        self.user_by(None, Some(id)).await
    }
    async fn list_users(&self, agency_id: i64) -> Result<Vec<User>> {
        self.users_of(agency_id).await
    }
    async fn create_token(&self, token: NewToken, actor: &str, now: i64) -> Result<i64> {
        self.insert_token(token, actor, now).await
    }
    async fn get_setting(&self, key: &str) -> Result<Option<String>> {
        self.setting(key).await
    }
    async fn set_setting(&self, key: &str, value: &str, audit: NewAudit) -> Result<()> {
        self.put_setting(key, value, audit).await
    }
    async fn insert_tip(&self, tip: NewTipRecord) -> Result<i64> {
        self.intake_tip(tip).await
    }
    async fn tip_for_idempotency_key(&self, key_hash: &str) -> Result<Option<(i64, String)>> {
        self.idempotent_tip(key_hash).await
    }
    async fn tip_credentials(&self, reference: &str) -> Result<Option<(i64, String)>> {
        self.credentials(reference).await
    }
    async fn create_tipster_session(&self, token_hash: &str, tip_id: i64, expires_at: i64, now: i64) -> Result<()> {
        self.new_tipster_session(token_hash, tip_id, expires_at, now).await
    }
    async fn tipster_session(&self, token_hash: &str, now: i64) -> Result<Option<i64>> {
        self.tipster_tip(token_hash, now).await
    }
    async fn get_tip(&self, id: i64) -> Result<TipRow> {
        self.tip_by_id(None, id).await
    }
    async fn tip_detail(&self, id: i64) -> Result<TipDetail> {
        self.detail(id).await
    }
    async fn queue(&self, filter: &QueueFilter, now: i64) -> Result<Vec<TipRow>> {
        self.queue_rows(filter, now).await
    }
    async fn commit_tip_change(&self, change: TipChange) -> Result<()> {
        self.commit_change(change).await
    }
    async fn tip_key(&self, tip_id: i64) -> Result<Option<(String, String)>> {
        self.tip_key_of(tip_id).await
    }
    async fn tip_keys(&self) -> Result<Vec<(i64, String, String)>> {
        self.all_keys().await
    }
    async fn rewrap_tip_keys(&self, keys: Vec<(i64, String, String)>, audit: NewAudit) -> Result<()> {
        self.rewrap(keys, audit).await
    }
    async fn tip_contact(&self, tip_id: i64) -> Result<Option<ContactRow>> {
        self.contact_of(tip_id).await
    }
    async fn account_security(&self, user_id: i64) -> Result<AccountSecurity> {
        self.security_of(user_id).await
    }
    async fn set_mfa(
        &self,
        user_id: i64,
        secret: Option<String>,
        enabled_at: Option<i64>,
        recovery_codes: Vec<String>,
        audit: Option<NewAudit>,
    ) -> Result<()> {
        self.put_mfa(user_id, secret, enabled_at, recovery_codes, audit).await
    }
    async fn record_failed_sign_in(
        &self,
        user_id: i64,
        now: i64,
        window_ms: i64,
        threshold: i64,
    ) -> Result<(i64, bool)> {
        self.failed_sign_in(user_id, now, window_ms, threshold).await
    }
    async fn record_sign_in(&self, user_id: i64, now: i64) -> Result<()> {
        self.signed_in(user_id, now).await
    }
    async fn update_account(
        &self,
        user_id: i64,
        unlock: bool,
        disable: Option<bool>,
        reveal: Option<bool>,
        audit: NewAudit,
    ) -> Result<()> {
        self.set_account(user_id, unlock, disable, reveal, audit).await
    }
    async fn token_info(&self, token_hash: &str) -> Result<Option<TokenInfo>> {
        self.token_lookup(token_hash).await
    }
    async fn touch_token(&self, token_id: i64, user_id: i64, now: i64, mfa_passed: Option<bool>) -> Result<()> {
        self.touch(token_id, user_id, now, mfa_passed).await
    }
    async fn revoke_token(&self, token_id: i64, audit: NewAudit) -> Result<()> {
        self.revoke(token_id, audit).await
    }
    async fn list_tokens(&self, user_id: i64) -> Result<Vec<TokenRow>> {
        self.tokens_of(user_id).await
    }
    async fn set_password(&self, user_id: i64, password_hash: &str, audit: NewAudit) -> Result<()> {
        self.put_password(user_id, password_hash, audit).await
    }
    async fn search_audit(&self, query: &AuditQuery) -> Result<Vec<StoredAudit>> {
        self.search(query).await
    }
    async fn attachments(&self, tip_id: i64) -> Result<Vec<AttachmentMeta>> {
        self.attachments_of(tip_id).await
    }
    async fn attachment(&self, id: i64) -> Result<(AttachmentMeta, Vec<u8>)> {
        self.attachment_by_id(id).await
    }
    async fn mentions_after(&self, after_id: i64, limit: i64) -> Result<Vec<Mention>> {
        self.mentions_page(after_id, limit, false).await
    }
    async fn unmatched_mentions(&self, limit: i64) -> Result<Vec<Mention>> {
        self.mentions_page(0, limit, true).await
    }
    async fn record_matches(
        &self,
        mention_id: i64,
        links: Vec<NewLink>,
        audit: Vec<NewAudit>,
        now: i64,
    ) -> Result<usize> {
        self.store_matches(mention_id, links, audit, now).await
    }
    async fn links_for_tip(&self, tip_id: i64) -> Result<Vec<LinkRow>> {
        self.tip_links(tip_id).await
    }
    async fn get_link(&self, id: i64) -> Result<LinkRow> {
        self.link_by_id(id).await
    }
    async fn decide_link(
        &self,
        id: i64,
        from: LinkState,
        to: LinkState,
        by: i64,
        reason: &str,
        audit: NewAudit,
    ) -> Result<()> {
        self.set_link_state(id, from, to, by, reason, audit).await
    }
    async fn tip_audience(&self, tip_id: i64) -> Result<Audience> {
        self.audience_of(tip_id).await
    }
    async fn create_access_request(&self, request: NewAccessRequest, audit: NewAudit) -> Result<i64> {
        self.new_access_request(request, audit).await
    }
    async fn get_access_request(&self, id: i64) -> Result<AccessRequestRow> {
        self.access_request_by_id(id).await
    }
    async fn access_requests(&self, agency_id: i64) -> Result<Vec<AccessRequestRow>> {
        self.requests_of(agency_id).await
    }
    async fn decide_access_request(&self, id: i64, grant: bool, by: i64, reason: &str, audit: NewAudit) -> Result<()> {
        self.settle_access_request(id, grant, by, reason, audit).await
    }
    async fn escalate_due(&self, now: i64, limit: i64, plan: &EscalationPlan) -> Result<usize> {
        self.escalate(now, limit, plan).await
    }
    async fn claim_notifications(&self, now: i64, lease_ms: i64, limit: i64) -> Result<Vec<Notification>> {
        self.claim(now, lease_ms, limit).await
    }
    async fn finish_notification(&self, id: i64, outcome: DeliveryOutcome, now: i64) -> Result<()> {
        self.finish(id, outcome, now).await
    }
    async fn next_wakeup(&self) -> Result<Option<i64>> {
        self.wakeup().await
    }
    async fn audit_events(&self, after_seq: i64, limit: i64) -> Result<Vec<StoredAudit>> {
        self.audit_page(after_seq, limit).await
    }
    async fn audit_head(&self) -> Result<(i64, String)> {
        self.head().await
    }
    async fn audit_for_object(&self, object: domain::audit::ObjectRef) -> Result<Vec<StoredAudit>> {
        self.audit_of(&object.to_string()).await
    }
    async fn append_audit(&self, event: NewAudit) -> Result<()> {
        let mut tx = self.begin().await?;
        self.append_audit_in(&mut tx, &[event]).await?;
        tx.commit().await?;
        Ok(())
    }
    async fn metrics(&self, now: i64) -> Result<Metrics> {
        self.counts(now).await
    }
    async fn dashboard(&self, agency_id: i64, now: i64, since: i64, ack_bounds: &[i64]) -> Result<Dashboard> {
        self.dashboard_figures(agency_id, now, since, ack_bounds).await
    }
}
