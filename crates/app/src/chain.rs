//! The audit chain's proofs: loading its key, signing checkpoints of its head, and verifying
//! it end to end — keyed part, head, and every checkpoint the instance signed or an auditor kept.

use crate::ctx::Ctx;
use crate::error::{AppError, AppResult};
use domain::audit::{ChainKey, ChainVerifier, Checkpoint};
use domain::staff::Viewer;
use store::Store;
use vault::notary::SignedCheckpoint;
use vault::secrets::Secrets;

/// Hands the chain key to the store (no event is written before) and says where the keyed
/// chain starts. Every opener of a store calls this.
pub async fn load_key(store: &dyn Store, secrets: &Secrets) -> AppResult<ChainKey> {
    Ok(store.use_chain_key(secrets.chain_key()).await?)
}

fn notary(secrets: &Secrets) -> AppResult<&vault::notary::Notary> {
    secrets.notary.as_ref().ok_or_else(|| AppError::Conflict("this server has no checkpoint signer".into()))
}

/// Signs the chain's head as it is now and appends it to the checkpoint log.
pub async fn checkpoint(store: &dyn Store, secrets: &Secrets, now_ms: i64) -> AppResult<SignedCheckpoint> {
    let key = load_key(store, secrets).await?;
    let (seq, hash) = store.audit_head().await?;
    Ok(notary(secrets)?.checkpoint(seq, &hash, key.keyed_from, &domain::time::rfc3339(now_ms))?)
}

/// The instance's public key and every checkpoint it signed, for auditors to keep elsewhere.
pub fn checkpoints(ctx: &Ctx, viewer: &Viewer) -> AppResult<(String, Vec<SignedCheckpoint>)> {
    crate::oversight::may_search_audit(viewer)?;
    let notary = notary(&ctx.secrets)?;
    Ok((notary.public_key(), notary.log()?))
}

/// What a verification found.
#[derive(Debug, PartialEq, Eq)]
pub struct Verified {
    pub events: i64,
    /// Checkpoints checked (the instance's log and those given).
    pub checkpoints: usize,
}

fn broken(e: impl std::fmt::Display) -> AppError {
    AppError::Broken(anyhow::anyhow!("audit chain broken: {e}"))
}

/// Walks the whole chain: each event's hash (keyed from where the keyed chain starts), the
/// stored head, and every checkpoint — the instance's own log and `kept` (copies an auditor
/// kept elsewhere) — each signed by this instance. The keyed chain is taken to start at the
/// earliest point the database or any checkpoint says, so moving the start in the database
/// does not turn keyed events into plain ones.
pub async fn verify(store: &dyn Store, secrets: &Secrets, kept: &[SignedCheckpoint]) -> AppResult<Verified> {
    let mut key = load_key(store, secrets).await?;
    let mut all: Vec<SignedCheckpoint> = match &secrets.notary {
        Some(n) => n.log()?,
        None => Vec::new(),
    };
    all.extend(kept.iter().cloned());
    let ours = secrets.notary.as_ref().map(vault::notary::Notary::public_key);
    for c in &all {
        c.check_signature().map_err(|e| broken(format!("checkpoint at event {} ({}): {e}", c.seq, c.at)))?;
        if ours.as_ref().is_some_and(|k| *k != c.public_key) {
            return Err(broken(format!(
                "checkpoint at event {} ({}) is signed by another key than this instance's",
                c.seq, c.at
            )));
        }
        key.keyed_from = key.keyed_from.min(c.keyed_from);
    }
    let signed = all.iter().map(|c| Checkpoint { seq: c.seq, hash: c.hash.clone() });
    let mut verifier = ChainVerifier::keyed(key).with_checkpoints(signed);
    let mut after = 0;
    loop {
        let page = store.audit_events(after, 10_000).await?;
        let Some(last) = page.last() else { break };
        after = last.seq;
        for e in &page {
            verifier.push(e).map_err(broken)?;
        }
    }
    let (head_seq, head_hash) = store.audit_head().await?;
    let events = verifier.finish(head_seq, &head_hash).map_err(broken)?;
    Ok(Verified { events: events as i64, checkpoints: all.len() })
}
