//! Background work claimed through the database: escalations and the notification outbox.
//! On PostgreSQL rows are claimed with `FOR UPDATE SKIP LOCKED`, so several server processes
//! never fire the same escalation or send the same notification twice.
//!
//! Each claim first looks, on a reading connection, whether anything is due at all, and begins
//! its write transaction only if so. Nearly every pass finds nothing (a plain tip's deadline is
//! minutes away), and on SQLite a write transaction holds the store's one turn to write for
//! every await inside it: under intake load those passes held it for 35 ms on average (mostly
//! waiting for busy runtime threads), 14 % of the time, while the intake writer waited.

use super::{Backend, SqlStore};
use crate::Result;
use crate::model::*;
use sqlx::{AssertSqlSafe, Row, SqlSafeStr, SqlStr};

/// Statuses on a clock: waiting for acknowledgement, or for a second reviewer. Written as the
/// condition of the index `tips_escalation_due` (migration 0007) is.
pub(super) const AWAITING: &str = "('received','triaged','routed','awaiting_review')";

/// An open tip someone must still act on: waiting as a whole, or for an agency whose primary
/// route is still pending after another agency took it. It names the condition of the
/// escalation index (`status <> 'closed'`), which SQLite needs to use it.
const WAITS: &str = "status <> 'closed' AND (status IN ('received','triaged','routed','awaiting_review') \
     OR EXISTS (SELECT 1 FROM tip_routes w WHERE w.tip_id = tips.id AND w.state = 'pending' AND w.role = 'primary'))";

/// Tips whose escalation is due at `$1`, read from their index.
fn escalations_due(backend: Backend) -> String {
    let index = backend.escalation_index();
    format!("FROM tips{index} WHERE next_escalation_at IS NOT NULL AND next_escalation_at <= $1 AND {WAITS}")
}

/// Notifications to send at `$1`, not claimed by another sender.
const NOTIFICATIONS_DUE: &str = "FROM notifications WHERE delivered_at IS NULL AND failed_at IS NULL \
    AND next_attempt_at <= $1 AND (claimed_until IS NULL OR claimed_until <= $1)";

/// Whether any row of `from` (a `FROM … WHERE` clause with `$1` for `now`) exists.
fn any_due_sql(from: &str) -> String {
    format!("SELECT 1 AS due {from} LIMIT 1")
}

/// The first `$2` escalations of `due` ([`escalations_due`]), locked on PostgreSQL.
fn escalations_to_claim_sql(due: &str, backend: Backend) -> String {
    format!("SELECT id {due} ORDER BY next_escalation_at LIMIT $2{}", backend.skip_locked())
}

/// Leases (until `$2`) the first `$3` notifications due at `$1`, and returns them.
fn notifications_to_claim_sql(backend: Backend) -> String {
    format!(
        "UPDATE notifications SET claimed_until = $2 WHERE id IN (\
           SELECT id {NOTIFICATIONS_DUE} ORDER BY next_attempt_at LIMIT $3{}) \
         RETURNING id, tip_id, kind, url, payload, attempts",
        backend.skip_locked()
    )
}

impl SqlStore {
    /// Whether any row of `from` (a `FROM … WHERE` clause with `$1` for `now`) exists, read
    /// without the turn to write. Only a hint: the claim that follows decides.
    async fn any_due(&self, from: &str, now: i64) -> Result<bool> {
        let row = sqlx::query(self.sql(&any_due_sql(from))).bind(now).fetch_optional(&self.read).await?;
        Ok(row.is_some())
    }
}

/// The earliest escalation or notification attempt to come, as `e` and `n`.
fn wakeup_sql(backend: Backend) -> String {
    let index = backend.escalation_index();
    format!(
        "SELECT (SELECT MIN(next_escalation_at) FROM tips{index} WHERE next_escalation_at IS NOT NULL AND {WAITS}) AS e, \
                (SELECT MIN(next_attempt_at) FROM notifications WHERE delivered_at IS NULL AND failed_at IS NULL) AS n"
    )
}

pub(super) fn sql_static(text: &'static str) -> SqlStr {
    text.into_sql_str()
}

#[async_trait::async_trait]
impl crate::JobStore for SqlStore {
    async fn escalate_due(&self, now: i64, limit: i64, plan: &EscalationPlan) -> Result<usize> {
        let due = escalations_due(self.backend);
        if !self.any_due(&due, now).await? {
            return Ok(0);
        }
        let mut tx = self.begin().await?;
        let ids: Vec<i64> = sqlx::query(self.sql(&escalations_to_claim_sql(&due, self.backend)))
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

    async fn claim_notifications(&self, now: i64, lease_ms: i64, limit: i64) -> Result<Vec<Notification>> {
        if !self.any_due(NOTIFICATIONS_DUE, now).await? {
            return Ok(Vec::new());
        }
        let sql = self.sql(&notifications_to_claim_sql(self.backend));
        let mut tx = self.begin().await?;
        let rows = sqlx::query(sql).bind(now).bind(now + lease_ms).bind(limit).fetch_all(&mut *tx).await?;
        tx.commit().await?;
        rows.iter()
            .map(|r| {
                Ok(Notification {
                    id: r.try_get("id")?,
                    tip_id: r.try_get("tip_id")?,
                    kind: super::rows::code(r, "kind", domain::sla::NotificationKind::parse)?,
                    url: r.try_get("url")?,
                    payload: r.try_get("payload")?,
                    attempts: r.try_get("attempts")?,
                })
            })
            .collect()
    }

    async fn finish_notification(&self, id: i64, outcome: DeliveryOutcome, now: i64) -> Result<()> {
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

    async fn next_wakeup(&self) -> Result<Option<i64>> {
        let row = sqlx::query(AssertSqlSafe(wakeup_sql(self.backend))).fetch_one(&self.read).await?;
        let e: Option<i64> = row.try_get("e")?;
        let n: Option<i64> = row.try_get("n")?;
        Ok(match (e, n) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{runtime, tip};
    use super::*;
    use crate::JobStore;
    use std::time::Duration;

    /// What `f` comes to within half a second; None if it is still waiting then.
    fn answer<T>(rt: &tokio::runtime::Runtime, f: impl Future<Output = T>) -> Option<T> {
        rt.block_on(async { tokio::time::timeout(Duration::from_millis(500), f).await }).ok()
    }

    #[test]
    fn a_claim_waits_for_the_turn_to_write_only_when_something_is_due() {
        let dir = tempfile::tempdir().expect("temp dir");
        let rt = runtime();
        let store = rt.block_on(SqlStore::open_sqlite(dir.path())).expect("open");
        rt.block_on(crate::AuditStore::use_chain_key(&store, [1; 32])).expect("chain key");
        // Its escalation and its notification are due at 1,000 ms.
        let mut due = tip();
        (due.received_at, due.next_escalation_at) = (1_000, 1_000);
        due.notifications = vec![NewNotification {
            agency_id: None,
            contact_id: None,
            kind: domain::sla::NotificationKind::NewTip,
            url: "http://127.0.0.1:9/".into(),
            payload: "{}".into(),
        }];
        rt.block_on(store.insert_tip(due)).expect("tip");
        let held = rt.block_on(store.turn()).expect("a SQLite store has a turn");
        let plan: &EscalationPlan = &|_| unreachable!("the turn is held throughout");
        // Before then: each answers at once though another holds the turn.
        assert_eq!(answer(&rt, store.escalate_due(999, 10, plan)).map(Result::unwrap), Some(0));
        assert!(
            answer(&rt, store.claim_notifications(999, 60_000, 10)).map(Result::unwrap).is_some_and(|n| n.is_empty())
        );
        // From then: each waits for the turn.
        assert!(answer(&rt, store.escalate_due(1_000, 10, plan)).is_none(), "escalated without the turn");
        assert!(answer(&rt, store.claim_notifications(1_000, 60_000, 10)).is_none(), "claimed without the turn");
        drop(held);
        let claimed = rt.block_on(store.claim_notifications(1_000, 60_000, 10)).expect("claim");
        assert_eq!(claimed.len(), 1, "the claim finds the notification once the turn is free");
    }

    /// Each query a pass of the jobs runs to find and claim what is due (the very text it runs)
    /// reads an index from the start and stops: its cost does not grow with the open tips.
    /// (Without `INDEXED BY` SQLite went through the queue index and read every open tip.)
    #[test]
    fn finding_what_is_due_reads_an_index_in_order() {
        let dir = tempfile::tempdir().expect("temp dir");
        let rt = runtime();
        let store = rt.block_on(SqlStore::open_sqlite(dir.path())).expect("open");
        rt.block_on(crate::AuditStore::use_chain_key(&store, [1; 32])).expect("chain key");
        let plan = |sql: String| -> String {
            let rows = rt
                .block_on(sqlx::query(AssertSqlSafe(format!("EXPLAIN QUERY PLAN {sql}"))).fetch_all(&store.read))
                .expect(&sql);
            rows.iter().map(|r| r.try_get::<String, _>("detail").expect("detail") + "\n").collect()
        };
        let escalations = escalations_due(Backend::Sqlite);
        let cases = [
            ("escalation look", any_due_sql(&escalations), "tips_escalation_due"),
            ("escalation claim", escalations_to_claim_sql(&escalations, Backend::Sqlite), "tips_escalation_due"),
            ("wake-up", wakeup_sql(Backend::Sqlite), "tips_escalation_due"),
            ("notification look", any_due_sql(NOTIFICATIONS_DUE), "notifications_due"),
            ("notification claim", notifications_to_claim_sql(Backend::Sqlite), "notifications_due"),
        ];
        for (what, sql, index) in cases {
            let detail = plan(store.sql_text(&sql));
            assert!(detail.contains(&format!("USING INDEX {index}")), "{what}: {detail}");
            assert!(!detail.contains("SCAN tips") && !detail.contains("TEMP B-TREE"), "{what}: {detail}");
        }
    }
}
