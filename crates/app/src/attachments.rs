//! A stored file, opened for a person who may read its tip; the download is an audit event.

use crate::access::{actor, load};
use crate::ctx::Ctx;
use crate::error::AppResult;
use domain::audit::{AuditAction, ObjectRef};
use domain::staff::{TipAction, Viewer};
use store::model::{AttachmentMeta, NewAudit};

/// The file's description and its bytes, decrypted, after the read is recorded.
pub async fn download(ctx: &Ctx, viewer: &Viewer, attachment_id: i64) -> AppResult<(AttachmentMeta, Vec<u8>)> {
    let (meta, sealed) = ctx.store.attachment(attachment_id).await?;
    let tip = load(ctx, viewer, meta.tip_id, TipAction::Read).await?.tip;
    let key = crate::sealed::data_key(ctx, tip.id).await?;
    let bytes = vault::crypto::open_bytes(key.as_ref(), &tip.reference, "attachment", &sealed)?;
    let audit = NewAudit::new(ctx.now(), actor(viewer), AuditAction::TipRead, ObjectRef::Tip(meta.tip_id))
        .detail(serde_json::json!({"attachment_id": attachment_id}));
    ctx.store.append_audit(audit).await?;
    Ok((meta, bytes))
}
