//! Security state: tip data keys, second factors, failed sign-ins and lockout, sessions and
//! tokens, contact details, and searching the audit trail.

use super::{SqlStore, rows};
use crate::model::*;
use crate::{Result, StoreError};
use domain::audit::{Actor, AuditAction, ObjectRef};
use sqlx::Row;

#[async_trait::async_trait]
impl crate::SecurityStore for SqlStore {
    async fn tip_key(&self, tip_id: i64) -> Result<Option<(String, String)>> {
        let row = sqlx::query(self.sql("SELECT key_id, wrapped FROM tip_keys WHERE tip_id = $1"))
            .bind(tip_id)
            .fetch_optional(&self.read)
            .await?;
        Ok(match row {
            Some(r) => Some((r.try_get("key_id")?, r.try_get("wrapped")?)),
            None => None,
        })
    }

    async fn tip_keys(&self) -> Result<Vec<(i64, String, String)>> {
        let rows =
            sqlx::query("SELECT tip_id, key_id, wrapped FROM tip_keys ORDER BY tip_id").fetch_all(&self.write).await?;
        rows.iter().map(|r| Ok((r.try_get("tip_id")?, r.try_get("key_id")?, r.try_get("wrapped")?))).collect()
    }

    async fn rewrap_tip_keys(&self, keys: Vec<(i64, String, String)>, audit: NewAudit) -> Result<()> {
        let mut tx = self.begin().await?;
        let sql = self.sql("UPDATE tip_keys SET key_id = $1, wrapped = $2 WHERE tip_id = $3");
        for (tip_id, key_id, wrapped) in &keys {
            sqlx::query(sql.clone()).bind(key_id).bind(wrapped).bind(tip_id).execute(&mut *tx).await?;
        }
        self.append_audit_in(&mut tx, &[audit]).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn tip_contact(&self, tip_id: i64) -> Result<Option<ContactRow>> {
        let row = sqlx::query(self.sql("SELECT name, phone, email FROM tip_contacts WHERE tip_id = $1"))
            .bind(tip_id)
            .fetch_optional(&self.read)
            .await?;
        Ok(match row {
            Some(r) => {
                Some(ContactRow { name: r.try_get("name")?, phone: r.try_get("phone")?, email: r.try_get("email")? })
            }
            None => None,
        })
    }

    async fn account_security(&self, user_id: i64) -> Result<AccountSecurity> {
        let r = sqlx::query(self.sql(
            "SELECT totp_secret, totp_enabled_at, recovery_codes, locked_at, last_active_at, created_at, can_reveal_contact, must_change_password FROM users WHERE id = $1",
        ))
        .bind(user_id)
        .fetch_optional(&self.write)
        .await?
        .ok_or(StoreError::NotFound("user"))?;
        let codes: String = r.try_get("recovery_codes")?;
        Ok(AccountSecurity {
            totp_secret: r.try_get("totp_secret")?,
            totp_enabled_at: r.try_get("totp_enabled_at")?,
            recovery_codes: serde_json::from_str(&codes)
                .map_err(|e| StoreError::Corrupt(format!("recovery codes of user {user_id}: {e}")))?,
            locked_at: r.try_get("locked_at")?,
            last_active_at: r.try_get("last_active_at")?,
            created_at: r.try_get("created_at")?,
            can_reveal_contact: r.try_get::<i64, _>("can_reveal_contact")? != 0,
            must_change_password: r.try_get::<i64, _>("must_change_password")? != 0,
        })
    }

    /// Writes a user's second-factor state and its audit event together.
    async fn set_mfa(
        &self,
        user_id: i64,
        secret: Option<String>,
        enabled_at: Option<i64>,
        codes: Vec<String>,
        audit: Option<NewAudit>,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query(
            self.sql("UPDATE users SET totp_secret = $1, totp_enabled_at = $2, recovery_codes = $3 WHERE id = $4"),
        )
        .bind(secret)
        .bind(enabled_at)
        .bind(serde_json::to_string(&codes).unwrap_or_else(|_| "[]".into()))
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        if let Some(a) = audit {
            self.append_audit_in(&mut tx, &[a]).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn accept_totp_step(&self, user_id: i64, step: i64) -> Result<bool> {
        let done = sqlx::query(self.sql(
            "UPDATE users SET totp_last_step = $1 WHERE id = $2 AND (totp_last_step IS NULL OR totp_last_step < $1)",
        ))
        .bind(step)
        .bind(user_id)
        .execute(&self.write)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn record_failed_sign_in(&self, user_id: i64, client: &str, now: i64, window_ms: i64) -> Result<(i64, i64)> {
        let mut tx = self.begin().await?;
        sqlx::query(self.sql("INSERT INTO login_failures (user_id, client, at) VALUES ($1, $2, $3)"))
            .bind(user_id)
            .bind(client)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        let (n, last) = failures_in(&mut tx, self, user_id, client, now - window_ms).await?;
        let event = NewAudit::new(now, Actor::System, AuditAction::SignInFailed, ObjectRef::User(user_id))
            .detail(serde_json::json!({"in_window_from_client": n}));
        self.append_audit_in(&mut tx, &[event]).await?;
        tx.commit().await?;
        Ok((n, last))
    }

    async fn sign_in_failures(&self, user_id: i64, client: &str, since: i64) -> Result<(i64, i64)> {
        let mut conn = self.write.acquire().await?;
        failures_in(&mut conn, self, user_id, client, since).await
    }

    async fn record_sign_in(&self, user_id: i64, client: &str, now: i64) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query(self.sql("DELETE FROM login_failures WHERE user_id = $1 AND client = $2"))
            .bind(user_id)
            .bind(client)
            .execute(&mut *tx)
            .await?;
        sqlx::query(self.sql("UPDATE users SET last_active_at = $1 WHERE id = $2"))
            .bind(now)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        self.append_audit_in(
            &mut tx,
            &[NewAudit::new(now, Actor::User(user_id), AuditAction::SignedIn, ObjectRef::User(user_id))],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn update_account(
        &self,
        user_id: i64,
        unlock: bool,
        disable: Option<bool>,
        reveal: Option<bool>,
        audit: NewAudit,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        if unlock {
            sqlx::query(self.sql("UPDATE users SET locked_at = NULL, last_active_at = $1 WHERE id = $2"))
                .bind(audit.at_ms)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query(self.sql("DELETE FROM login_failures WHERE user_id = $1"))
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        }
        if let Some(d) = disable {
            sqlx::query(self.sql("UPDATE users SET disabled = $1 WHERE id = $2"))
                .bind(i64::from(d))
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            if d {
                // A disabled account's sessions and tokens end with it.
                sqlx::query(
                    self.sql("UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL"),
                )
                .bind(audit.at_ms)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            }
        }
        if let Some(r) = reveal {
            sqlx::query(self.sql("UPDATE users SET can_reveal_contact = $1 WHERE id = $2"))
                .bind(i64::from(r))
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        }
        self.append_audit_in(&mut tx, &[audit]).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn token_info(&self, token_hash: &str) -> Result<Option<TokenInfo>> {
        let row = sqlx::query(self.sql(
            "SELECT t.id AS token_id, t.kind, t.scope_roles, t.mfa_passed, t.expires_at, t.last_used_at, t.created_at AS token_created, t.revoked_at, t.shows_narratives, \
             u.id, u.agency_id, u.email, u.display_name, u.roles, u.password_hash, u.disabled \
             FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1",
        ))
        .bind(token_hash)
        .fetch_optional(&self.write)
        .await?;
        let Some(r) = row else { return Ok(None) };
        if r.try_get::<Option<i64>, _>("revoked_at")?.is_some() {
            return Ok(None);
        }
        let scope: Option<String> = r.try_get("scope_roles")?;
        let scope_roles = match scope {
            None => None,
            Some(s) => Some(
                s.split(',')
                    .filter(|x| !x.is_empty())
                    .map(|x| domain::staff::Role::parse(x).map_err(|e| StoreError::Corrupt(e.to_string())))
                    .collect::<Result<Vec<_>>>()?,
            ),
        };
        Ok(Some(TokenInfo {
            id: r.try_get("token_id")?,
            user: rows::user(&r)?,
            kind: rows::code(&r, "kind", domain::staff::TokenKind::parse)?,
            scope_roles,
            mfa_passed: r.try_get::<i64, _>("mfa_passed")? != 0,
            shows_narratives: r.try_get::<i64, _>("shows_narratives")? != 0,
            expires_at: r.try_get("expires_at")?,
            last_used_at: r.try_get("last_used_at")?,
            created_at: r.try_get("token_created")?,
        }))
    }

    async fn touch_token(&self, token_id: i64, user_id: i64, now: i64, mfa_passed: Option<bool>) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query(self.sql("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2"))
            .bind(now)
            .bind(token_id)
            .execute(&mut *tx)
            .await?;
        if let Some(m) = mfa_passed {
            sqlx::query(self.sql("UPDATE api_tokens SET mfa_passed = $1 WHERE id = $2"))
                .bind(i64::from(m))
                .bind(token_id)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query(self.sql("UPDATE users SET last_active_at = $1 WHERE id = $2"))
            .bind(now)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn revoke_token(&self, token_id: i64, audit: NewAudit) -> Result<()> {
        let mut tx = self.begin().await?;
        let done = sqlx::query(self.sql("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL"))
            .bind(audit.at_ms)
            .bind(token_id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::NotFound("active token"));
        }
        self.append_audit_in(&mut tx, &[audit]).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn end_sessions(&self, user_id: i64, audit: NewAudit) -> Result<u64> {
        let mut tx = self.begin().await?;
        let done = sqlx::query(self.sql(
            "UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND kind = 'session' AND revoked_at IS NULL",
        ))
        .bind(audit.at_ms)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        let mut audit = audit;
        audit.detail = serde_json::json!({"sessions_ended": done.rows_affected()}).to_string();
        self.append_audit_in(&mut tx, &[audit]).await?;
        tx.commit().await?;
        Ok(done.rows_affected())
    }

    async fn display_tokens(&self, agency_id: i64) -> Result<Vec<(TokenRow, String)>> {
        let rows = sqlx::query(self.sql(
            "SELECT t.id, t.user_id, t.label, t.kind, t.created_at, t.expires_at, t.revoked_at, t.shows_narratives, u.email \
             FROM api_tokens t JOIN users u ON u.id = t.user_id \
             WHERE u.agency_id = $1 AND t.kind = 'display' AND t.revoked_at IS NULL ORDER BY t.id",
        ))
        .bind(agency_id)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(|r| Ok((token_row(r)?, r.try_get("email")?))).collect()
    }

    async fn list_tokens(&self, user_id: i64) -> Result<Vec<TokenRow>> {
        let rows = sqlx::query(self.sql(
            "SELECT id, user_id, label, kind, created_at, expires_at, revoked_at, shows_narratives FROM api_tokens WHERE user_id = $1 ORDER BY id",
        ))
        .bind(user_id)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(token_row).collect()
    }

    async fn set_password(&self, user_id: i64, hash: &str, temporary: bool, audit: NewAudit) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query(self.sql("UPDATE users SET password_hash = $1, must_change_password = $2 WHERE id = $3"))
            .bind(hash)
            .bind(i64::from(temporary))
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        self.append_audit_in(&mut tx, &[audit]).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn set_notice(&self, token_id: i64, notice: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query(self.sql("UPDATE api_tokens SET notice = $1 WHERE id = $2"))
            .bind(notice)
            .bind(token_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn take_notice(&self, token_id: i64) -> Result<Option<String>> {
        // Read on the writer: a notice set a moment ago must be seen by the very next page.
        let r = sqlx::query(self.sql("SELECT notice FROM api_tokens WHERE id = $1"))
            .bind(token_id)
            .fetch_optional(&self.write)
            .await?;
        let notice: Option<String> = match r {
            Some(r) => r.try_get("notice")?,
            None => None,
        };
        if notice.is_some() {
            let mut tx = self.begin().await?;
            sqlx::query(self.sql("UPDATE api_tokens SET notice = NULL WHERE id = $1"))
                .bind(token_id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        }
        Ok(notice)
    }
}

/// Failures of a user from a client since a time: how many, and the last one's time (0 if none).
async fn failures_in(
    conn: &mut sqlx::AnyConnection,
    store: &SqlStore,
    user_id: i64,
    client: &str,
    since: i64,
) -> Result<(i64, i64)> {
    let r = sqlx::query(store.sql(
        "SELECT COUNT(*) AS n, COALESCE(MAX(at), 0) AS last FROM login_failures WHERE user_id = $1 AND client = $2 AND at > $3",
    ))
    .bind(user_id)
    .bind(client)
    .bind(since)
    .fetch_one(&mut *conn)
    .await?;
    Ok((r.try_get("n")?, r.try_get("last")?))
}

/// A token as listed, from the columns `list_tokens` and `display_tokens` read.
fn token_row(r: &sqlx::any::AnyRow) -> Result<TokenRow> {
    Ok(TokenRow {
        id: r.try_get("id")?,
        user_id: r.try_get("user_id")?,
        label: r.try_get("label")?,
        kind: rows::code(r, "kind", domain::staff::TokenKind::parse)?,
        created_at: r.try_get("created_at")?,
        expires_at: r.try_get("expires_at")?,
        revoked_at: r.try_get("revoked_at")?,
        shows_narratives: r.try_get::<i64, _>("shows_narratives")? != 0,
    })
}
