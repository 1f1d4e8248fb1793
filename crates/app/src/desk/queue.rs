//! What a desk looks at: its agency's queue, and the supervisor's figures.

use crate::ctx::Ctx;
use crate::error::{AppError, AppResult};
use domain::staff::Viewer;
use domain::status::Status;
use domain::urgency::Tier;
use store::model::{Dashboard, QueueFilter, TipRow};

/// What a person asks of the queue; the default is every open tip of their agency.
#[derive(Debug, Clone, Default)]
pub struct QueueAsk {
    /// An agency named must be the viewer's.
    pub agency: Option<i64>,
    pub statuses: Vec<Status>,
    pub tiers: Vec<Tier>,
    /// Only the viewer's own tips (`Some(true)`) or the unassigned (`Some(false)`).
    pub mine: Option<bool>,
    /// Only tips with a tipster's unread message.
    pub news_only: bool,
    /// 1 to 5,000; 500 when not given.
    pub limit: Option<i64>,
}

/// The viewer's agency's open tips (or those asked for), most urgent first, then by time left
/// to the deadline.
pub async fn queue(ctx: &Ctx, viewer: &Viewer, ask: &QueueAsk) -> AppResult<Vec<TipRow>> {
    if ask.agency.is_some_and(|a| a != viewer.agency_id) {
        return Err(AppError::Forbidden("you may list only your own agency's queue".into()));
    }
    let limit = ask.limit.unwrap_or(500);
    if !(1..=5000).contains(&limit) {
        return Err(AppError::invalid("limit", "must be from 1 to 5000"));
    }
    let filter = QueueFilter {
        agency_id: Some(viewer.agency_id),
        statuses: ask.statuses.clone(),
        tiers: ask.tiers.clone(),
        assignee: ask.mine.map(|mine| mine.then_some(viewer.user_id)),
        news_only: ask.news_only,
        limit,
        ..QueueFilter::default()
    };
    opened(ctx, ctx.store.queue(&filter, ctx.now()).await?)
}

/// The rows of a queue as people read them: only the rows shown are opened.
fn opened(ctx: &Ctx, mut rows: Vec<TipRow>) -> AppResult<Vec<TipRow>> {
    for t in &mut rows {
        crate::sealed::open_tip(&ctx.secrets, t);
    }
    Ok(rows)
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
    let waiting = QueueAsk { statuses: vec![Status::AwaitingReview], limit: Some(5000), ..QueueAsk::default() };
    let awaiting_review = queue(ctx, viewer, &waiting).await?;
    let lowerings = QueueFilter {
        agency_id: Some(viewer.agency_id),
        tier_request_pending: true,
        limit: 5000,
        ..QueueFilter::default()
    };
    let tier_lowerings = opened(ctx, ctx.store.queue(&lowerings, now).await?)?;
    Ok(Supervision { figures, awaiting_review, tier_lowerings })
}
