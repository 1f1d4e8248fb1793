//! Counts for `/metrics` and the supervisor's dashboard, aggregated in SQL.

use crate::Result;
#[allow(unused_imports)]
use crate::model::*;
use async_trait::async_trait;
use domain::urgency::Tier;

#[async_trait]
pub trait FiguresStore: Send + Sync {
    async fn metrics(&self, now: i64) -> Result<Metrics>;
    /// The supervisor's figures for an agency: open tips by tier and breached at `now`, open
    /// tips escalated, and tips received since `since` acknowledged, bucketed by
    /// `ack_bounds` (ascending milliseconds). Aggregated over every tip, not a page of them.
    async fn dashboard(&self, agency_id: i64, now: i64, since: i64, ack_bounds: &[i64]) -> Result<Dashboard>;
}

/// Counts for `/metrics`.
#[derive(Debug, Clone, Default)]
pub struct Metrics {
    pub tips_total: i64,
    pub tips_by_tier: Vec<(String, i64)>,
    pub open: i64,
    pub overdue: i64,
    pub escalations: i64,
    pub notification_failures: i64,
    pub notifications_pending: i64,
}

/// The supervisor's figures for one agency.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Dashboard {
    /// Open tips by tier, every tier present.
    pub tiers: Vec<TierFigures>,
    /// Open tips that escalated at least once.
    pub escalated: i64,
    /// Tips of the period acknowledged, by time to acknowledge: one count per bucket (below the
    /// first bound, …, at or above the last).
    pub acknowledged_in: Vec<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TierFigures {
    pub tier: Tier,
    pub open: i64,
    /// Open and past the acknowledge or review deadline.
    pub breached: i64,
}
