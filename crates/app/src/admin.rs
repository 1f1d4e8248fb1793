//! Administration: agencies, sites, escalation contacts, staff accounts, API tokens and the
//! fallback agency. One implementation for the console and the `sightline` command: the same
//! checks, the same audit events (each written in the transaction of its change).

use crate::ctx::Ctx;
use crate::error::{AppError, AppResult};
use crate::policy::SecurityPolicy;
use crate::routing::FALLBACK_SETTING;
use domain::audit::{Actor, AuditAction, ObjectRef};
use domain::routing::{AgencyKind, SiteKind};
use domain::staff::{Role, Viewer};
use domain::tip::{GeoPoint, short_text};
use std::sync::Arc;
use store::Store;
use store::model::*;
use vault::secrets::{hash_password, new_token, token_hash};

/// Who administers, and with what: the store, the actor written in the audit trail, the time.
pub struct Admin {
    store: Arc<dyn Store>,
    actor: Actor,
    now: i64,
    fast_password_hash: bool,
}

impl Admin {
    /// An administrator on the console: needs the admin role.
    pub fn for_viewer(ctx: &Ctx, viewer: &Viewer) -> AppResult<Admin> {
        if !viewer.has(Role::Admin) {
            return Err(AppError::Forbidden("administration needs the admin role".into()));
        }
        Ok(Admin {
            store: ctx.store.clone(),
            actor: crate::access::actor(viewer),
            now: ctx.now(),
            fast_password_hash: ctx.options.fast_password_hash,
        })
    }

    /// The demo world's loader: actor `demo`.
    pub fn demo(ctx: &Ctx) -> Admin {
        Admin {
            store: ctx.store.clone(),
            actor: Actor::Demo,
            now: ctx.now(),
            fast_password_hash: ctx.options.fast_password_hash,
        }
    }

    /// The operator at the machine (the `sightline` command): actor `cli`.
    pub fn local(store: Arc<dyn Store>, now: i64) -> Admin {
        Admin { store, actor: Actor::Cli, now, fast_password_hash: false }
    }

    async fn agency_exists(&self, field: &str, id: i64) -> AppResult<()> {
        if self.store.list_agencies().await?.iter().any(|a| a.id == id) {
            Ok(())
        } else {
            Err(AppError::invalid(field, format!("there is no agency with id {id}")))
        }
    }

    pub async fn create_agency(&self, a: AgencyInput) -> AppResult<Agency> {
        let name = required("name", &a.name)?;
        if let Some(text) = &a.jurisdiction {
            crate::geo::parse_jurisdiction(text).map_err(|e| AppError::invalid("jurisdiction", e))?;
        }
        if let Some(p) = a.partner {
            self.agency_exists("partner", p).await?;
        }
        if let Some(windows) = a.ack_policy
            && windows.iter().any(|w| *w < 60_000)
        {
            return Err(AppError::invalid("ack_minutes", "every window must be at least one minute"));
        }
        let new = NewAgency {
            name,
            kind: a.kind,
            jurisdiction: a.jurisdiction,
            partner_agency_id: a.partner,
            ack_policy: a.ack_policy,
        };
        Ok(self.store.create_agency(new, &self.actor.to_string(), self.now).await?)
    }

    pub async fn create_site(&self, s: SiteInput) -> AppResult<Site> {
        let name = required("name", &s.name)?;
        if let (Some(lat), Some(lon)) = (s.lat, s.lon) {
            GeoPoint::parse(lat, lon)?;
        } else if s.lat.is_some() != s.lon.is_some() {
            return Err(AppError::invalid(
                if s.lat.is_some() { "lon" } else { "lat" },
                "give both lat and lon, or neither",
            ));
        }
        self.agency_exists("owner", s.owner).await?;
        let kind = s.kind.unwrap_or(SiteKind::School);
        let address = short_text("address", s.address.as_deref())?;
        let new = NewSite { name, kind, owner_agency_id: s.owner, lat: s.lat, lon: s.lon, address };
        Ok(self.store.create_site(new, &self.actor.to_string(), self.now).await?)
    }

    pub async fn create_contact(
        &self,
        agency: i64,
        role: ContactRole,
        name: &str,
        webhook: &str,
    ) -> AppResult<Contact> {
        let name = required("name", name)?;
        if !(webhook.starts_with("https://") || webhook.starts_with("http://")) {
            return Err(AppError::invalid("webhook", "must be an http(s) URL"));
        }
        self.agency_exists("agency", agency).await?;
        let new = NewContact { agency_id: agency, role, name, webhook_url: webhook.to_owned() };
        Ok(self.store.create_contact(new, &self.actor.to_string(), self.now).await?)
    }

    /// Adds a staff user with a generated password, returned once (stored as an Argon2id hash).
    /// The user sets up a second factor at first sign-in.
    pub async fn create_user(
        &self,
        agency: i64,
        email: &str,
        name: Option<&str>,
        roles: Vec<Role>,
    ) -> AppResult<(User, String)> {
        let email = email.trim();
        if !email.contains('@') || email.len() > 254 {
            return Err(AppError::invalid("email", "is not an e-mail address"));
        }
        if roles.is_empty() {
            return Err(AppError::invalid("role", "give at least one role"));
        }
        if roles.contains(&Role::InstanceAuditor) && self.actor != Actor::Cli {
            // Reading every agency's trail is granted by the operator at the machine, not by
            // an administrator of one agency on the console.
            return Err(AppError::invalid("role", "the instance auditor role is granted only on the command line"));
        }
        self.agency_exists("agency", agency).await?;
        let password: String = new_token("pw").chars().skip(3).take(20).collect();
        let display_name = short_text("name", name)?.unwrap_or_else(|| email.to_owned());
        let new = NewUser {
            agency_id: agency,
            email: email.to_owned(),
            display_name,
            roles,
            password_hash: hash_password(&password, self.fast_password_hash)?,
            // The generated password was seen by whoever created the account (the demo's are
            // printed for trying it out): the user replaces it at first sign-in.
            must_change_password: self.actor != Actor::Demo,
        };
        Ok((self.store.create_user(new, &self.actor.to_string(), self.now).await?, password))
    }

    /// The agency that receives tips no site or jurisdiction matches.
    pub async fn set_fallback(&self, agency: i64) -> AppResult<()> {
        self.agency_exists("agency", agency).await?;
        let audit =
            NewAudit::new(self.now, self.actor, AuditAction::SettingChanged, ObjectRef::Setting(FALLBACK_SETTING))
                .detail(serde_json::json!({"value": agency}));
        Ok(self.store.set_setting(FALLBACK_SETTING, &agency.to_string(), audit).await?)
    }

    /// The time zone the console shows times in, an IANA name (`America/Chicago`).
    pub async fn set_time_zone(&self, name: &str) -> AppResult<String> {
        let zone = domain::zone::Zone::parse(name)?;
        let setting = crate::routing::TIME_ZONE_SETTING;
        let audit = NewAudit::new(self.now, self.actor, AuditAction::SettingChanged, ObjectRef::Setting(setting))
            .detail(serde_json::json!({"value": zone.name()}));
        self.store.set_setting(setting, zone.name(), audit).await?;
        Ok(zone.name().to_owned())
    }

    pub async fn user(&self, email: &str) -> AppResult<User> {
        self.store.user_by_email(email.trim()).await?.ok_or_else(|| AppError::invalid("email", "no such user"))
    }

    /// Unlocks an account locked after failed sign-ins.
    pub async fn unlock(&self, user: &User) -> AppResult<()> {
        let audit = NewAudit::new(self.now, self.actor, AuditAction::AccountUnlocked, ObjectRef::User(user.id));
        Ok(self.store.update_account(user.id, true, None, None, audit).await?)
    }

    /// Disables an account (its sessions and tokens end), or enables it again.
    pub async fn set_enabled(&self, user: &User, enabled: bool) -> AppResult<()> {
        let action = if enabled { AuditAction::AccountUpdated } else { AuditAction::AccountDisabled };
        let audit = NewAudit::new(self.now, self.actor, action, ObjectRef::User(user.id)).reason(if enabled {
            "enabled"
        } else {
            "disabled by an administrator"
        });
        // Enabling also restarts the idle clock, or the account would be disabled again at once.
        Ok(self.store.update_account(user.id, enabled, Some(!enabled), None, audit).await?)
    }

    /// Allows (or withdraws) revealing tipsters' contact details.
    pub async fn set_reveal(&self, user: &User, allowed: bool) -> AppResult<()> {
        let audit = NewAudit::new(self.now, self.actor, AuditAction::AccountUpdated, ObjectRef::User(user.id))
            .detail(serde_json::json!({"can_reveal_contact": allowed}));
        Ok(self.store.update_account(user.id, false, None, Some(allowed), audit).await?)
    }

    /// Removes a user's second factor; they set up a new one at next sign-in.
    pub async fn reset_mfa(&self, user: &User) -> AppResult<()> {
        let audit = NewAudit::new(self.now, self.actor, AuditAction::MfaReset, ObjectRef::User(user.id))
            .reason("reset by an administrator");
        Ok(self.store.set_mfa(user.id, None, None, vec![], Some(audit)).await?)
    }

    /// Replaces a user's roles. At least one; and nobody takes the admin role from themselves
    /// (another administrator does), so an agency is never left without one by a slip.
    pub async fn set_roles(&self, user: &User, roles: Vec<Role>) -> AppResult<()> {
        if roles.is_empty() {
            return Err(AppError::invalid("roles", "choose at least one role"));
        }
        if self.actor == Actor::User(user.id) && user.roles.contains(&Role::Admin) && !roles.contains(&Role::Admin) {
            return Err(AppError::Conflict("another administrator must take the admin role from you".into()));
        }
        let codes: Vec<&str> = roles.iter().map(|r| r.code()).collect();
        let audit = NewAudit::new(self.now, self.actor, AuditAction::AccountUpdated, ObjectRef::User(user.id)).detail(
            serde_json::json!({"roles": codes, "were": user.roles.iter().map(|r| r.code()).collect::<Vec<_>>()}),
        );
        Ok(self.store.set_roles(user.id, &roles, audit).await?)
    }

    /// A user the administrator may manage: on the console, one of their own agency (another
    /// agency's users are not found); at the machine, anyone.
    pub async fn managed_user(&self, agency_id: Option<i64>, user_id: i64) -> AppResult<User> {
        let user = self.store.user_by_id(user_id).await?.ok_or(AppError::NotFound)?;
        match agency_id {
            Some(a) if a != user.agency_id => Err(AppError::NotFound),
            _ => Ok(user),
        }
    }

    /// Sets a password under the password rules.
    pub async fn set_password(&self, user: &User, password: &str, policy: &SecurityPolicy) -> AppResult<()> {
        if let Some(problem) = policy.password_problem(password, &user.email) {
            return Err(AppError::invalid("password", problem));
        }
        let audit = NewAudit::new(self.now, self.actor, AuditAction::AccountUpdated, ObjectRef::User(user.id))
            .reason("password set");
        // Chosen by an administrator, not the user: replaced at the user's next sign-in.
        let hash = hash_password(password, self.fast_password_hash)?;
        Ok(self.store.set_password(user.id, &hash, true, audit).await?)
    }

    /// An API token for a user, limited to some of their roles if asked; shown once, stored hashed.
    pub async fn create_token(
        &self,
        user: &User,
        expires_days: i64,
        roles: Vec<Role>,
        label: &str,
    ) -> AppResult<String> {
        if !(1..=366).contains(&expires_days) {
            return Err(AppError::invalid("expires_days", "from 1 to 366"));
        }
        if let Some(r) = roles.iter().find(|r| !user.roles.contains(r)) {
            return Err(AppError::invalid("role", format!("the user does not have the role {}", r.code())));
        }
        let token = new_token("slt");
        let new = NewToken {
            user_id: user.id,
            token_hash: token_hash(&token),
            label: label.to_owned(),
            expires_at: Some(self.now + expires_days * 86_400_000),
            scope_roles: (!roles.is_empty()).then_some(roles),
            ..Default::default()
        };
        self.store.create_token(new, &self.actor.to_string(), self.now).await?;
        Ok(token)
    }

    /// A user's tokens (never their secrets).
    pub async fn tokens(&self, user: &User) -> AppResult<Vec<store::model::TokenRow>> {
        Ok(self.store.list_tokens(user.id).await?)
    }

    pub async fn agencies(&self) -> AppResult<Vec<Agency>> {
        Ok(self.store.list_agencies().await?)
    }

    pub async fn revoke_token(&self, id: i64) -> AppResult<()> {
        let audit = NewAudit::new(self.now, self.actor, AuditAction::TokenRevoked, ObjectRef::Token(id));
        Ok(self.store.revoke_token(id, audit).await?)
    }
}

/// A new agency as an administrator describes it.
pub struct AgencyInput {
    pub name: String,
    pub kind: AgencyKind,
    /// GeoJSON text (Polygon or MultiPolygon).
    pub jurisdiction: Option<String>,
    pub partner: Option<i64>,
    /// Acknowledge windows in ms: life_safety, urgent, standard, informational.
    pub ack_policy: Option<[i64; 4]>,
}

/// A new site as an administrator describes it.
pub struct SiteInput {
    pub name: String,
    /// School when not given.
    pub kind: Option<SiteKind>,
    pub owner: i64,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub address: Option<String>,
}

fn required(field: &str, value: &str) -> AppResult<String> {
    short_text(field, Some(value))?.ok_or_else(|| AppError::invalid(field, "is required"))
}

/// What the administration page lists: every agency and site, the users of the viewer's agency,
/// and the fallback agency. Administrators change them; supervisors may read them.
pub struct Overview {
    pub agencies: Vec<Agency>,
    pub sites: Vec<Site>,
    pub users: Vec<User>,
    pub fallback: Option<i64>,
}

pub async fn overview(ctx: &Ctx, viewer: &Viewer) -> AppResult<Overview> {
    if !viewer.has(Role::Admin) && !viewer.has(Role::Supervisor) {
        return Err(AppError::Forbidden("administration needs the admin or supervisor role".into()));
    }
    Ok(Overview {
        agencies: ctx.store.list_agencies().await?,
        sites: ctx.store.list_sites().await?,
        users: ctx.store.list_users(viewer.agency_id).await?,
        fallback: ctx.routing().await?.fallback_agency_id,
    })
}
