//! A signed checkpoint of the audit chain's head: at start (which anchors where the keyed chain
//! starts outside the database) and then every hour the chain has grown.

use crate::ctx::Ctx;
use std::sync::atomic::Ordering;

/// How often the head is signed while events keep coming.
pub const EVERY_MS: i64 = 60 * 60 * 1000;

/// Signs the head when due; true when it did. A server without a signer (tests) does nothing.
pub async fn run(ctx: &Ctx) -> anyhow::Result<bool> {
    if ctx.secrets.notary.is_none() {
        return Ok(false);
    }
    let now = ctx.now();
    let last = ctx.last_checkpoint.load(Ordering::Relaxed);
    if last != 0 && now - last < EVERY_MS {
        return Ok(false);
    }
    let (seq, _) = ctx.store.audit_head().await?;
    if last != 0 && seq == ctx.last_checkpoint_seq.load(Ordering::Relaxed) {
        // Nothing new to vouch for: try again in an hour.
        ctx.last_checkpoint.store(now, Ordering::Relaxed);
        return Ok(false);
    }
    let signed = crate::chain::checkpoint(ctx.store.as_ref(), &ctx.secrets, now).await?;
    ctx.last_checkpoint.store(now, Ordering::Relaxed);
    ctx.last_checkpoint_seq.store(signed.seq, Ordering::Relaxed);
    tracing::info!(seq = signed.seq, "audit checkpoint signed");
    Ok(true)
}
