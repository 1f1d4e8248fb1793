//! Agencies, sites, escalation contacts, staff accounts, API tokens and instance settings.

use crate::Result;
#[allow(unused_imports)]
use crate::model::*;
use async_trait::async_trait;
use domain::routing::AgencyKind;
use domain::staff::Role;

#[async_trait]
pub trait AdminStore: Send + Sync {
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
    /// Replaces a user's roles, with its audit event.
    async fn set_roles(&self, user_id: i64, roles: &[domain::staff::Role], audit: NewAudit) -> Result<()>;
    async fn create_token(&self, token: NewToken, actor: &str, now: i64) -> Result<i64>;
    async fn get_setting(&self, key: &str) -> Result<Option<String>>;
    /// Sets an instance setting, with the audit event of the change.
    async fn set_setting(&self, key: &str, value: &str, audit: NewAudit) -> Result<()>;
}

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
    pub kind: domain::routing::SiteKind,
    pub owner_agency_id: i64,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub address: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Site {
    pub id: i64,
    pub name: String,
    pub kind: domain::routing::SiteKind,
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
    /// The password is a first one, given by someone else: to be replaced at first sign-in.
    pub must_change_password: bool,
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
    pub kind: domain::staff::TokenKind,
    /// For API tokens: the roles it may use; `None` means all of the user's roles.
    pub scope_roles: Option<Vec<domain::staff::Role>>,
    /// Sessions start false until the second factor is checked.
    pub mfa_passed: bool,
    /// A wall display shows the start of each narrative.
    pub shows_narratives: bool,
}

impl Default for NewToken {
    fn default() -> Self {
        NewToken {
            user_id: 0,
            token_hash: String::new(),
            label: String::new(),
            expires_at: None,
            kind: domain::staff::TokenKind::Api,
            scope_roles: None,
            mfa_passed: true,
            shows_narratives: false,
        }
    }
}
