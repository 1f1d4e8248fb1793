//! What a desk looks at: its agency's queue, and the supervisor's figures.

use crate::ctx::Ctx;
use crate::error::{AppError, AppResult};
use domain::staff::Viewer;
use domain::status::Status;
use domain::urgency::Tier;
use store::model::{Dashboard, QueueFilter, TipRow};

/// The viewer's agency's open tips (or those of the statuses named), most urgent first, then by
/// time left to the deadline; at most `limit` (1 to 5,000).
pub async fn queue(
    ctx: &Ctx,
    viewer: &Viewer,
    statuses: Vec<Status>,
    tiers: Vec<Tier>,
    limit: i64,
) -> AppResult<Vec<TipRow>> {
    if !(1..=5000).contains(&limit) {
        return Err(AppError::invalid("limit", "must be from 1 to 5000"));
    }
    let filter = QueueFilter { agency_id: Some(viewer.agency_id), statuses, tiers, include_closed: false, limit };
    Ok(ctx.store.queue(&filter, ctx.now()).await?)
}

/// Buckets of time to acknowledge on the dashboard: a label and the bound below which a tip
/// falls in it; the last bucket holds the rest.
pub const ACK_BUCKETS: [(&str, i64); 6] = [
    ("< 5 min", 300_000),
    ("< 15 min", 900_000),
    ("< 1 h", 3_600_000),
    ("< 4 h", 14_400_000),
    ("< 24 h", 86_400_000),
    ("≥ 24 h", i64::MAX),
];

/// The period the time-to-acknowledge chart covers.
pub const ACK_PERIOD_MS: i64 = 30 * 86_400_000;

/// The supervisor's view of an agency: the figures and the closes waiting for second review.
pub struct Supervision {
    pub figures: Dashboard,
    pub awaiting_review: Vec<TipRow>,
}

pub async fn supervision(ctx: &Ctx, viewer: &Viewer) -> AppResult<Supervision> {
    let now = ctx.now();
    let bounds: Vec<i64> = ACK_BUCKETS[..ACK_BUCKETS.len() - 1].iter().map(|(_, b)| *b).collect();
    let figures = ctx.store.dashboard(viewer.agency_id, now, now - ACK_PERIOD_MS, &bounds).await?;
    let awaiting_review = queue(ctx, viewer, vec![Status::AwaitingReview], Vec::new(), 5000).await?;
    Ok(Supervision { figures, awaiting_review })
}
