//! Appending to the hash-chained audit log inside the caller's transaction.
//!
//! The chain's head (last seq and hash) lives in one row, `audit_head`, locked for the rest
//! of the transaction: appends are serialised, and removing the newest events is detected
//! because the head no longer matches the last event.

use super::bulk::{Rows, Val};
use super::exec::Exec;
use super::{SqlStore, rows};
use crate::model::*;
use crate::{Result, StoreError};
use domain::audit::{AuditRecord, ChainKey, StoredAudit};
use sqlx::{AnyConnection, Row};

impl SqlStore {
    /// Appends events to the chain in the caller's transaction (sqlx).
    pub(super) async fn append_audit_in(&self, conn: &mut AnyConnection, events: &[NewAudit]) -> Result<()> {
        self.append_audit(conn, events).await
    }

    /// Appends events to the chain in the caller's transaction, on either kind of connection.
    pub(super) async fn append_audit(&self, conn: &mut impl Exec, events: &[NewAudit]) -> Result<()> {
        if events.is_empty() {
            return Ok(());
        }
        let head = format!("SELECT seq, hash FROM audit_head WHERE id = 1{}", self.backend.for_update());
        let chain = self.chain.get().ok_or_else(|| {
            StoreError::Corrupt("the audit chain key is not loaded: no event is written without it".into())
        })?;
        let (mut seq, mut prev) =
            conn.pairs(&head, Vec::new()).await?.pop().ok_or_else(|| StoreError::Corrupt("no audit head".into()))?;
        let mut rows = Rows::new(
            "INSERT INTO audit_events (seq, at_ms, actor, action, object, reason, detail, prev_hash, hash)",
            "($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            "",
        );
        for e in events {
            seq += 1;
            let object = e.object.to_string();
            let record = AuditRecord {
                seq,
                at_ms: e.at_ms,
                actor: &e.actor,
                action: e.action.code(),
                object: &object,
                reason: &e.reason,
                detail: &e.detail,
            };
            let hash = chain.hash(&prev, &record);
            rows.push([
                seq.into(),
                e.at_ms.into(),
                (&e.actor).into(),
                e.action.code().into(),
                (&object).into(),
                (&e.reason).into(),
                (&e.detail).into(),
                (&prev).into(),
                (&hash).into(),
            ]);
            prev = hash;
        }
        self.insert_rows(conn, rows).await?;
        conn.run(
            &self.sql_text("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1"),
            vec![seq.into(), Val::Text(prev)],
        )
        .await?;
        Ok(())
    }

    pub(super) async fn audit_of(&self, object: &str) -> Result<Vec<StoredAudit>> {
        let rows = sqlx::query(self.sql(
            "SELECT seq, at_ms, actor, action, object, reason, detail, prev_hash, hash FROM audit_events \
             WHERE object = $1 ORDER BY seq",
        ))
        .bind(object)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(rows::audit).collect()
    }
}

/// What an agency's auditor sees of the trail ($6 is the agency): events about the tips routed
/// or shared to it, its users (as object or as actor) and their tokens, itself, its sites and
/// its contacts.
const AGENCY_SCOPE: &str = " AND (object IN (SELECT 'tip:' || r.tip_id FROM tip_routes r WHERE r.agency_id = $6) \
     OR object IN (SELECT 'tip:' || s.tip_id FROM tip_shares s WHERE s.agency_id = $6) \
     OR object IN (SELECT 'user:' || u.id FROM users u WHERE u.agency_id = $6) \
     OR actor IN (SELECT 'user:' || u.id FROM users u WHERE u.agency_id = $6) \
     OR object = 'agency:' || $6 \
     OR object IN (SELECT 'site:' || x.id FROM sites x WHERE x.owner_agency_id = $6) \
     OR object IN (SELECT 'contact:' || c.id FROM contacts c WHERE c.agency_id = $6) \
     OR object IN (SELECT 'token:' || t.id FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE u.agency_id = $6))";

#[async_trait::async_trait]
impl crate::AuditStore for SqlStore {
    async fn search_audit(&self, q: &AuditQuery) -> Result<Vec<StoredAudit>> {
        let limit = if q.limit <= 0 { 1000 } else { q.limit.min(100_000) };
        let sql = self.sql(&format!(
            "SELECT seq, at_ms, actor, action, object, reason, detail, prev_hash, hash FROM audit_events \
             WHERE ($1 IS NULL OR actor = $1) AND ($2 IS NULL OR action = $2) AND ($3 IS NULL OR object = $3) \
             AND ($4 IS NULL OR at_ms >= $4) AND ($5 IS NULL OR at_ms < $5){scope} ORDER BY seq LIMIT {limit}",
            scope = if q.agency.is_some() { AGENCY_SCOPE } else { "" }
        ));
        let mut query = sqlx::query(sql).bind(&q.actor).bind(&q.action).bind(&q.object).bind(q.from_ms).bind(q.to_ms);
        if let Some(agency) = q.agency {
            query = query.bind(agency);
        }
        let rows = query.fetch_all(&self.read).await?;
        rows.iter().map(rows::audit).collect()
    }

    async fn audit_events(&self, after_seq: i64, limit: i64) -> Result<Vec<StoredAudit>> {
        let rows = sqlx::query(self.sql(
            "SELECT seq, at_ms, actor, action, object, reason, detail, prev_hash, hash FROM audit_events \
             WHERE seq > $1 ORDER BY seq LIMIT $2",
        ))
        .bind(after_seq)
        .bind(limit)
        .fetch_all(&self.read)
        .await?;
        rows.iter().map(rows::audit).collect()
    }

    async fn audit_head(&self) -> Result<(i64, String)> {
        let r = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1").fetch_one(&self.read).await?;
        Ok((r.try_get("seq")?, r.try_get("hash")?))
    }

    async fn use_chain_key(&self, key: [u8; 32]) -> Result<ChainKey> {
        let r = sqlx::query("SELECT keyed_from FROM audit_head WHERE id = 1").fetch_one(&self.write).await?;
        let keyed_from: Option<i64> = r.try_get("keyed_from")?;
        let chain = ChainKey { key, keyed_from: keyed_from.unwrap_or(1) };
        let loaded = self.chain.get_or_init(|| chain.clone());
        if *loaded != chain {
            return Err(StoreError::Conflict("another audit chain key is already loaded".into()));
        }
        Ok(chain)
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
}
