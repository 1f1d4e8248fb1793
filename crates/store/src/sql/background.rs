//! Background work claimed through the database: escalations and the notification outbox.
//! On PostgreSQL rows are claimed with `FOR UPDATE SKIP LOCKED`, so several server processes
//! never fire the same escalation or send the same notification twice.

use super::SqlStore;
use crate::Result;
use crate::model::*;
use sqlx::{AssertSqlSafe, Row, SqlSafeStr, SqlStr};

/// Statuses on a clock: waiting for acknowledgement, or for a second reviewer.
const AWAITING: &str = "('received','triaged','routed','awaiting_review')";

impl SqlStore {
    pub(super) async fn escalate(&self, now: i64, limit: i64, plan: &EscalationPlan) -> Result<usize> {
        let mut tx = self.begin().await?;
        let ids: Vec<i64> = sqlx::query(self.sql(&format!(
            "SELECT id FROM tips WHERE next_escalation_at IS NOT NULL AND next_escalation_at <= $1 AND status IN {AWAITING} \
             ORDER BY next_escalation_at LIMIT $2{}",
            self.backend.skip_locked()
        )))
        .bind(now)
        .bind(limit)
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|r| r.try_get("id"))
        .collect::<Result<_, _>>()?;
        for id in &ids {
            let tip = self.tip_by_id(Some(&mut tx), *id).await?;
            let change = plan(&tip);
            self.apply_change(&mut tx, &change).await?;
        }
        tx.commit().await?;
        Ok(ids.len())
    }

    pub(super) async fn claim(&self, now: i64, lease_ms: i64, limit: i64) -> Result<Vec<Notification>> {
        let sql = self.sql(&format!(
            "UPDATE notifications SET claimed_until = $1 WHERE id IN (\
               SELECT id FROM notifications WHERE delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $2 \
               AND (claimed_until IS NULL OR claimed_until <= $2) ORDER BY next_attempt_at LIMIT $3{}) \
             RETURNING id, tip_id, kind, url, payload, attempts",
            self.backend.skip_locked()
        ));
        let mut tx = self.begin().await?;
        let rows = sqlx::query(sql.clone()).bind(now + lease_ms).bind(now).bind(limit).fetch_all(&mut *tx).await?;
        tx.commit().await?;
        rows.iter()
            .map(|r| {
                Ok(Notification {
                    id: r.try_get("id")?,
                    tip_id: r.try_get("tip_id")?,
                    kind: r.try_get("kind")?,
                    url: r.try_get("url")?,
                    payload: r.try_get("payload")?,
                    attempts: r.try_get("attempts")?,
                })
            })
            .collect()
    }

    pub(super) async fn finish(&self, id: i64, outcome: DeliveryOutcome, now: i64) -> Result<()> {
        let (sql, at, error) = match outcome {
            DeliveryOutcome::Delivered => (
                "UPDATE notifications SET delivered_at = $2, attempts = attempts + 1, claimed_until = NULL, last_error = $3 WHERE id = $1",
                now,
                None,
            ),
            DeliveryOutcome::Retry { at, error } => (
                "UPDATE notifications SET next_attempt_at = $2, attempts = attempts + 1, claimed_until = NULL, last_error = $3 WHERE id = $1",
                at,
                Some(error),
            ),
            DeliveryOutcome::Failed { error } => (
                "UPDATE notifications SET failed_at = $2, attempts = attempts + 1, claimed_until = NULL, last_error = $3 WHERE id = $1",
                now,
                Some(error),
            ),
        };
        let mut tx = self.begin().await?;
        sqlx::query(self.sql(sql)).bind(id).bind(at).bind(error).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(())
    }

    pub(super) async fn wakeup(&self) -> Result<Option<i64>> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT (SELECT MIN(next_escalation_at) FROM tips WHERE next_escalation_at IS NOT NULL AND status IN {AWAITING}) AS e, \
                    (SELECT MIN(next_attempt_at) FROM notifications WHERE delivered_at IS NULL AND failed_at IS NULL) AS n"
        )))
        .fetch_one(&self.read)
        .await?;
        let e: Option<i64> = row.try_get("e")?;
        let n: Option<i64> = row.try_get("n")?;
        Ok(match (e, n) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        })
    }

    pub(super) async fn counts(&self, now: i64) -> Result<Metrics> {
        let one = |sql: SqlStr| async move {
            let r = sqlx::query(sql).fetch_one(&self.read).await?;
            Ok::<i64, crate::StoreError>(r.try_get::<i64, _>("n")?)
        };
        let mut m = Metrics {
            tips_total: one(sql_static("SELECT COUNT(*) AS n FROM tips")).await?,
            open: one(sql_static("SELECT COUNT(*) AS n FROM tips WHERE status <> 'closed'")).await?,
            overdue: one(
                self.sql(&format!("SELECT COUNT(*) AS n FROM tips WHERE status IN {AWAITING} AND ack_due_at < {now}"))
            )
            .await?,
            escalations: one(sql_static("SELECT COUNT(*) AS n FROM audit_events WHERE action = 'tip.escalated'"))
                .await?,
            notification_failures: one(sql_static(
                "SELECT COUNT(*) AS n FROM notifications WHERE failed_at IS NOT NULL",
            ))
            .await?,
            notifications_pending: one(sql_static(
                "SELECT COUNT(*) AS n FROM notifications WHERE delivered_at IS NULL AND failed_at IS NULL",
            ))
            .await?,
            tips_by_tier: Vec::new(),
        };
        let rows = sqlx::query("SELECT tier, COUNT(*) AS n FROM tips GROUP BY tier ORDER BY tier")
            .fetch_all(&self.read)
            .await?;
        for r in rows {
            m.tips_by_tier.push((r.try_get("tier")?, r.try_get("n")?));
        }
        Ok(m)
    }
}

fn sql_static(text: &'static str) -> SqlStr {
    text.into_sql_str()
}
