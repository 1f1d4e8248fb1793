//! Who may see a tip, and who a viewer is in the audit trail: the two things every use case on
//! a tip starts from (the desk, links, oversight, attachments), kept here so none of them has
//! to reach into another.

use crate::ctx::Ctx;
use crate::error::AppResult;
use domain::audit::Actor;
use domain::staff::{TipAction, Viewer};
use store::model::TipDetail;

/// Loads a tip the viewer may act on, opened. A tip of another agency is "not found", never
/// "forbidden": its existence is not disclosed (nor is it opened).
pub async fn load(ctx: &Ctx, viewer: &Viewer, tip_id: i64, need: TipAction) -> AppResult<TipDetail> {
    let mut detail = ctx.store.tip_detail(tip_id).await?;
    domain::desk::check_access(viewer, &detail.audience(), need)?;
    crate::sealed::open_detail(&ctx.secrets, &mut detail);
    Ok(detail)
}

/// The viewer as the audit trail names them.
pub fn actor(viewer: &Viewer) -> Actor {
    Actor::User(viewer.user_id)
}
