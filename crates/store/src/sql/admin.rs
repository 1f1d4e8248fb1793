//! Agencies, sites, contacts, staff users, API tokens and settings.

use super::{SqlStore, rows};
use crate::model::*;
use crate::{Result, StoreError};
use domain::audit::{AuditAction, ObjectRef};
use sqlx::Row;

impl SqlStore {
    pub(super) async fn user_by(&self, email: Option<&str>, id: Option<i64>) -> Result<Option<User>> {
        let sql = self.sql(
            "SELECT id, agency_id, email, display_name, roles, password_hash, disabled FROM users \
             WHERE ($1 IS NULL OR lower(email) = lower($1)) AND ($2 IS NULL OR id = $2)",
        );
        let row = sqlx::query(sql.clone()).bind(email).bind(id).fetch_optional(&self.read).await?;
        row.as_ref().map(rows::user).transpose()
    }
}

#[async_trait::async_trait]
impl crate::AdminStore for SqlStore {
    async fn create_agency(&self, a: NewAgency, actor: &str, now: i64) -> Result<Agency> {
        let mut tx = self.begin().await?;
        let policy = a.ack_policy.map(|p| serde_json::to_string(&p).expect("four integers serialise"));
        let id: i64 = sqlx::query(self.sql(
            "INSERT INTO agencies (name, kind, jurisdiction, partner_agency_id, ack_policy, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        ))
        .bind(&a.name)
        .bind(a.kind.code())
        .bind(&a.jurisdiction)
        .bind(a.partner_agency_id)
        .bind(&policy)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| StoreError::from_write(e, "an agency with this name exists"))?
        .try_get("id")?;
        let event = NewAudit::new(now, actor, AuditAction::AgencyCreated, ObjectRef::Agency(id))
            .detail(serde_json::json!({"name": a.name, "kind": a.kind.code()}));
        self.append_audit_in(&mut tx, &[event]).await?;
        tx.commit().await?;
        Ok(Agency {
            id,
            name: a.name,
            kind: a.kind,
            jurisdiction: a.jurisdiction,
            partner_agency_id: a.partner_agency_id,
            ack_policy: a.ack_policy,
        })
    }

    async fn list_agencies(&self) -> Result<Vec<Agency>> {
        let rows =
            sqlx::query("SELECT id, name, kind, jurisdiction, partner_agency_id, ack_policy FROM agencies ORDER BY id")
                .fetch_all(&self.read)
                .await?;
        rows.iter().map(rows::agency).collect()
    }

    async fn create_site(&self, s: NewSite, actor: &str, now: i64) -> Result<Site> {
        let mut tx = self.begin().await?;
        let id: i64 = sqlx::query(self.sql(
            "INSERT INTO sites (name, kind, owner_agency_id, lat, lon, address, created_at) \
             VALUES ($1, $2, $3, CAST($4 AS DOUBLE PRECISION), CAST($5 AS DOUBLE PRECISION), $6, $7) RETURNING id",
        ))
        .bind(&s.name)
        .bind(s.kind.code())
        .bind(s.owner_agency_id)
        .bind(super::float(s.lat))
        .bind(super::float(s.lon))
        .bind(&s.address)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| StoreError::from_write(e, "site"))?
        .try_get("id")?;
        let event = NewAudit::new(now, actor, AuditAction::SiteCreated, ObjectRef::Site(id))
            .detail(serde_json::json!({"name": s.name, "owner_agency_id": s.owner_agency_id}));
        self.append_audit_in(&mut tx, &[event]).await?;
        tx.commit().await?;
        Ok(Site {
            id,
            name: s.name,
            kind: s.kind,
            owner_agency_id: s.owner_agency_id,
            lat: s.lat,
            lon: s.lon,
            address: s.address,
        })
    }

    async fn list_sites(&self) -> Result<Vec<Site>> {
        let rows = sqlx::query("SELECT id, name, kind, owner_agency_id, lat, lon, address FROM sites ORDER BY name")
            .fetch_all(&self.read)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(Site {
                    id: r.try_get("id")?,
                    name: r.try_get("name")?,
                    kind: rows::code(r, "kind", domain::routing::SiteKind::parse)?,
                    owner_agency_id: r.try_get("owner_agency_id")?,
                    lat: r.try_get("lat")?,
                    lon: r.try_get("lon")?,
                    address: r.try_get("address")?,
                })
            })
            .collect()
    }

    async fn create_contact(&self, c: NewContact, actor: &str, now: i64) -> Result<Contact> {
        let mut tx = self.begin().await?;
        let id: i64 = sqlx::query(
            self.sql("INSERT INTO contacts (agency_id, role, name, webhook_url) VALUES ($1, $2, $3, $4) RETURNING id"),
        )
        .bind(c.agency_id)
        .bind(c.role.code())
        .bind(&c.name)
        .bind(&c.webhook_url)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        let event = NewAudit::new(now, actor, AuditAction::ContactCreated, ObjectRef::Contact(id))
            .detail(serde_json::json!({"agency_id": c.agency_id, "role": c.role.code()}));
        self.append_audit_in(&mut tx, &[event]).await?;
        tx.commit().await?;
        Ok(Contact { id, agency_id: c.agency_id, role: c.role, name: c.name, webhook_url: c.webhook_url })
    }

    async fn list_contacts(&self, agency_id: i64) -> Result<Vec<Contact>> {
        let rows = sqlx::query(
            self.sql("SELECT id, agency_id, role, name, webhook_url FROM contacts WHERE agency_id = $1 ORDER BY id"),
        )
        .bind(agency_id)
        .fetch_all(&self.read)
        .await?;
        rows.iter()
            .map(|r| {
                let role: String = r.try_get("role")?;
                Ok(Contact {
                    id: r.try_get("id")?,
                    agency_id: r.try_get("agency_id")?,
                    role: ContactRole::parse(&role)
                        .ok_or_else(|| StoreError::Corrupt(format!("contact role {role:?}")))?,
                    name: r.try_get("name")?,
                    webhook_url: r.try_get("webhook_url")?,
                })
            })
            .collect()
    }

    async fn create_user(&self, u: NewUser, actor: &str, now: i64) -> Result<User> {
        let roles: Vec<&str> = u.roles.iter().map(|r| r.code()).collect();
        let roles = roles.join(",");
        let mut tx = self.begin().await?;
        let id: i64 = sqlx::query(self.sql(
            "INSERT INTO users (agency_id, email, display_name, roles, password_hash, created_at, disabled, must_change_password) \
             VALUES ($1, $2, $3, $4, $5, $6, 0, $7) RETURNING id",
        ))
        .bind(u.agency_id)
        .bind(&u.email)
        .bind(&u.display_name)
        .bind(&roles)
        .bind(&u.password_hash)
        .bind(now)
        .bind(i64::from(u.must_change_password))
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| StoreError::from_write(e, "a user with this e-mail exists"))?
        .try_get("id")?;
        let event = NewAudit::new(now, actor, AuditAction::UserCreated, ObjectRef::User(id))
            .detail(serde_json::json!({"email": u.email, "agency_id": u.agency_id, "roles": roles}));
        self.append_audit_in(&mut tx, &[event]).await?;
        tx.commit().await?;
        Ok(User {
            id,
            agency_id: u.agency_id,
            email: u.email,
            display_name: u.display_name,
            roles: u.roles,
            password_hash: u.password_hash,
            disabled: false,
        })
    }

    async fn user_by_email(&self, email: &str) -> Result<Option<User>> {
        self.user_by(Some(email), None).await
    }

    async fn user_by_id(&self, id: i64) -> Result<Option<User>> {
        self.user_by(None, Some(id)).await
    }

    async fn list_users(&self, agency_id: i64) -> Result<Vec<User>> {
        let rows = sqlx::query(self.sql(
            "SELECT id, agency_id, email, display_name, roles, password_hash, disabled FROM users WHERE agency_id = $1 ORDER BY id",
        ))
        .bind(agency_id)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(rows::user).collect()
    }

    async fn set_roles(&self, user_id: i64, roles: &[domain::staff::Role], audit: NewAudit) -> Result<()> {
        let codes: Vec<&str> = roles.iter().map(|r| r.code()).collect();
        let mut tx = self.begin().await?;
        let done = sqlx::query(self.sql("UPDATE users SET roles = $1 WHERE id = $2"))
            .bind(codes.join(","))
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::NotFound("user"));
        }
        self.append_audit_in(&mut tx, &[audit]).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn create_token(&self, t: NewToken, actor: &str, now: i64) -> Result<i64> {
        let mut tx = self.begin().await?;
        let scope = t.scope_roles.as_ref().map(|r| r.iter().map(|x| x.code()).collect::<Vec<_>>().join(","));
        let id: i64 = sqlx::query(self.sql(
            "INSERT INTO api_tokens (user_id, token_hash, label, created_at, expires_at, kind, scope_roles, mfa_passed, last_used_at, shows_narratives) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $4, $9) RETURNING id",
        ))
        .bind(t.user_id)
        .bind(&t.token_hash)
        .bind(&t.label)
        .bind(now)
        .bind(t.expires_at)
        .bind(t.kind.code())
        .bind(&scope)
        .bind(i64::from(t.mfa_passed))
        .bind(i64::from(t.shows_narratives))
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        if t.kind != domain::staff::TokenKind::Session {
            let event = NewAudit::new(now, actor, AuditAction::TokenCreated, ObjectRef::User(t.user_id)).detail(
                serde_json::json!({"token_id": id, "kind": t.kind.code(), "label": t.label, "expires_at": t.expires_at,
                    "scope": scope, "shows_narratives": t.shows_narratives}),
            );
            self.append_audit_in(&mut tx, &[event]).await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    async fn get_setting(&self, key: &str) -> Result<Option<String>> {
        let row = sqlx::query(self.sql("SELECT value FROM settings WHERE key = $1"))
            .bind(key)
            .fetch_optional(&self.read)
            .await?;
        Ok(row.map(|r| r.try_get("value")).transpose()?)
    }

    async fn set_setting(&self, key: &str, value: &str, audit: NewAudit) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query(self.sql(
            "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        ))
        .bind(key)
        .bind(value)
        .execute(&mut *tx)
        .await?;
        self.append_audit_in(&mut tx, &[audit]).await?;
        tx.commit().await?;
        Ok(())
    }
}
