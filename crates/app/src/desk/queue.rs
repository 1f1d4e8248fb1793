//! What a desk looks at: its agency's queue, and the supervisor's figures.

use crate::ctx::Ctx;
use crate::error::{AppError, AppResult};
use domain::staff::Viewer;
use domain::status::Status;
use domain::urgency::Tier;
use store::model::{Dashboard, QueueFilter, TipRow};

/// The viewer's agency's open tips (or those of the statuses named), most urgent first, then by
/// time left to the deadline; at most `limit` (1 to 5,000). An agency named must be the viewer's.
pub async fn queue(
    ctx: &Ctx,
    viewer: &Viewer,
    agency: Option<i64>,
    statuses: Vec<Status>,
    tiers: Vec<Tier>,
    limit: i64,
) -> AppResult<Vec<TipRow>> {
    if agency.is_some_and(|a| a != viewer.agency_id) {
        return Err(AppError::Forbidden("you may list only your own agency's queue".into()));
    }
    if !(1..=5000).contains(&limit) {
        return Err(AppError::invalid("limit", "must be from 1 to 5000"));
    }
    let filter = QueueFilter { agency_id: Some(viewer.agency_id), statuses, tiers, limit, ..QueueFilter::default() };
    Ok(ctx.store.queue(&filter, ctx.now()).await?)
}

/// Bounds of the dashboard's buckets of time to acknowledge (5 min, 15 min, 1 h, 4 h, 24 h):
/// a tip falls in the first bucket whose bound it is below; one more bucket holds the rest.
pub const ACK_BOUNDS: [i64; 5] = [300_000, 900_000, 3_600_000, 14_400_000, 86_400_000];

/// The period the time-to-acknowledge chart covers.
pub const ACK_PERIOD_MS: i64 = 30 * 86_400_000;

/// The supervisor's view of an agency: the figures, and the closes and lowerings of the tier
/// waiting for second review.
pub struct Supervision {
    pub figures: Dashboard,
    pub awaiting_review: Vec<TipRow>,
    pub tier_lowerings: Vec<TipRow>,
}

pub async fn supervision(ctx: &Ctx, viewer: &Viewer) -> AppResult<Supervision> {
    let now = ctx.now();
    let figures = ctx.store.dashboard(viewer.agency_id, now, now - ACK_PERIOD_MS, &ACK_BOUNDS).await?;
    let awaiting_review = queue(ctx, viewer, None, vec![Status::AwaitingReview], Vec::new(), 5000).await?;
    let lowerings = QueueFilter {
        agency_id: Some(viewer.agency_id),
        tier_request_pending: true,
        limit: 5000,
        ..QueueFilter::default()
    };
    let tier_lowerings = ctx.store.queue(&lowerings, now).await?;
    Ok(Supervision { figures, awaiting_review, tier_lowerings })
}
