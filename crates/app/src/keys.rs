//! Rotating the wrapping key: a new key, and every tip's data key re-wrapped under it.
//!
//! Crash-safe order: the new key is written to `wrapping.key.next` first; the database is
//! re-wrapped in one transaction; then the new key replaces `wrapping.key`, whose old value is
//! kept as `wrapping.key.old`. At every moment each data key is under a key on disk. Running
//! servers load the new key when restarted.

use crate::error::AppResult;
use domain::audit::{Actor, AuditAction, ObjectRef};
use std::path::Path;
use store::Store;
use store::model::NewAudit;
use vault::crypto::{Keyring, NEXT_FILE, OLD_FILE, WRAPPING_FILE, key_id, random_key, write_key};

/// What a rotation did.
pub struct Rotation {
    pub new_key_id: String,
    pub rewrapped: usize,
    /// Data keys still under an older key: tips filed by a running server meanwhile.
    pub left_under_older: usize,
}

pub async fn rotate(store: &dyn Store, data_dir: &Path, now: i64) -> AppResult<Rotation> {
    let ring = Keyring::load_or_create(data_dir)?;
    let next = random_key();
    let next_path = data_dir.join(NEXT_FILE);
    write_key(&next_path, &next)?;
    let new_ring = Keyring::from_key(next);
    let keys = store.tip_keys().await?;
    let mut rewrapped = Vec::with_capacity(keys.len());
    for (tip_id, id, wrapped) in &keys {
        let data_key = ring.unwrap(id, wrapped).map_err(|e| anyhow::anyhow!("tip {tip_id}: {e}"))?;
        let (new_id, new_wrapped) = new_ring.wrap(&data_key);
        rewrapped.push((*tip_id, new_id, new_wrapped));
    }
    let audit = NewAudit::new(now, Actor::Cli, AuditAction::KeysRotated, ObjectRef::InstanceKeys)
        .detail(serde_json::json!({"from": ring.current_id(), "to": key_id(&next), "data_keys": rewrapped.len()}));
    let count = rewrapped.len();
    store.rewrap_tip_keys(rewrapped, audit).await?;
    let current = data_dir.join(WRAPPING_FILE);
    std::fs::copy(&current, data_dir.join(OLD_FILE)).map_err(anyhow::Error::from)?;
    std::fs::rename(&next_path, &current).map_err(anyhow::Error::from)?;
    let new_key_id = key_id(&next);
    let left_under_older = store.tip_keys().await?.iter().filter(|(_, id, _)| *id != new_key_id).count();
    Ok(Rotation { new_key_id, rewrapped: count, left_under_older })
}
