//! Counts for `/metrics`, and the supervisor's figures for one agency, as SQL aggregates over
//! every tip of the period:
//! counting rows in the process would mean reading them all, and reading a capped page of the
//! queue instead made the figures silently wrong once an agency held more tips than the page.

use super::SqlStore;
use super::background::{AWAITING, sql_static};
use crate::Result;
use crate::model::*;
use domain::urgency::Tier;
use sqlx::{Row, SqlStr};

/// Tips routed to agency `$1`, pending or accepted: the agency's own tips.
const HELD_BY: &str = "EXISTS (SELECT 1 FROM tip_routes q WHERE q.tip_id = t.id AND q.agency_id = $1 AND q.state IN ('pending','accepted'))";

#[async_trait::async_trait]
impl crate::FiguresStore for SqlStore {
    async fn metrics(&self, now: i64) -> Result<Metrics> {
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

    async fn dashboard(&self, agency_id: i64, now: i64, since: i64, ack_bounds: &[i64]) -> Result<Dashboard> {
        let open = self.sql(&format!(
            "SELECT t.tier, COUNT(*) AS open, \
                    COUNT(CASE WHEN t.ack_due_at IS NOT NULL AND t.ack_due_at < $2 THEN 1 END) AS breached, \
                    COUNT(CASE WHEN t.escalation_level > 0 THEN 1 END) AS escalated \
             FROM tips t WHERE t.status <> 'closed' AND {HELD_BY} GROUP BY t.tier"
        ));
        let mut figures = Dashboard {
            tiers: Tier::ALL.iter().map(|&tier| TierFigures { tier, open: 0, breached: 0 }).collect(),
            ..Dashboard::default()
        };
        for r in sqlx::query(open).bind(agency_id).bind(now).fetch_all(&self.read).await? {
            let code: String = r.try_get("tier")?;
            let tier = Tier::parse(&code).ok_or_else(|| crate::StoreError::Corrupt(format!("tier {code:?}")))?;
            if let Some(f) = figures.tiers.iter_mut().find(|f| f.tier == tier) {
                f.open = r.try_get("open")?;
                f.breached = r.try_get("breached")?;
            }
            figures.escalated += r.try_get::<i64, _>("escalated")?;
        }
        // One count per bucket of time to acknowledge: below each bound and at or above the one
        // before it; the last bucket holds the rest. Bounds are numbers, not user text.
        let mut buckets = Vec::new();
        let mut lower: Option<i64> = None;
        for (i, bound) in ack_bounds.iter().chain(std::iter::once(&i64::MAX)).enumerate() {
            let above = lower.map(|l| format!(" AND took >= {l}")).unwrap_or_default();
            let below = if *bound == i64::MAX { String::new() } else { format!(" AND took < {bound}") };
            buckets.push(format!("COUNT(CASE WHEN 1 = 1{above}{below} THEN 1 END) AS b{i}"));
            lower = Some(*bound);
        }
        let acked = self.sql(&format!(
            "SELECT {} FROM (SELECT t.acknowledged_at - t.received_at AS took FROM tips t \
             WHERE t.received_at >= $2 AND t.acknowledged_at IS NOT NULL AND {HELD_BY}) x",
            buckets.join(", ")
        ));
        let r = sqlx::query(acked).bind(agency_id).bind(since).fetch_one(&self.read).await?;
        for i in 0..=ack_bounds.len() {
            figures.acknowledged_in.push(r.try_get(format!("b{i}").as_str())?);
        }
        Ok(figures)
    }
}
