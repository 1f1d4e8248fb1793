//! `sightline keys rotate`: a new wrapping key, and every tip's data key re-wrapped under it.
//!
//! Crash-safe order: the new key is written to `wrapping.key.next` first; the database is
//! re-wrapped in one transaction; then the new key replaces `wrapping.key`, whose old value is
//! kept as `wrapping.key.old`. At every moment each data key is under a key on disk. Restart
//! running servers afterwards so they load the new key.

use crate::Location;
use clap::Subcommand;
use domain::audit::ObjectRef;
use vault::crypto::{Keyring, NEXT_FILE, OLD_FILE, WRAPPING_FILE, key_id, random_key, write_key};

#[derive(Subcommand)]
pub enum KeysCommand {
    /// Re-wrap every tip's data key under a new wrapping key.
    Rotate {
        #[command(flatten)]
        at: Location,
    },
}

pub async fn run(c: KeysCommand) -> anyhow::Result<()> {
    let KeysCommand::Rotate { at } = c;
    let store = at.open().await?;
    let ring = Keyring::load_or_create(&at.data)?;
    let next = random_key();
    let next_path = at.data.join(NEXT_FILE);
    write_key(&next_path, &next)?;
    let new_ring = Keyring::from_key(next);
    let keys = store.tip_keys().await?;
    let mut rewrapped = Vec::with_capacity(keys.len());
    for (tip_id, id, wrapped) in &keys {
        let data_key = ring.unwrap(id, wrapped).map_err(|e| anyhow::anyhow!("tip {tip_id}: {e}"))?;
        let (new_id, new_wrapped) = new_ring.wrap(&data_key);
        rewrapped.push((*tip_id, new_id, new_wrapped));
    }
    let now = {
        use app::clock::{Clock, SystemClock};
        SystemClock.now().0
    };
    let audit =
        store::model::NewAudit::new(now, "cli", domain::audit::AuditAction::KeysRotated, ObjectRef::InstanceKeys)
            .detail(serde_json::json!({"from": ring.current_id(), "to": key_id(&next), "data_keys": rewrapped.len()}));
    store.rewrap_tip_keys(rewrapped, audit).await?;
    let current = at.data.join(WRAPPING_FILE);
    std::fs::copy(&current, at.data.join(OLD_FILE))?;
    std::fs::rename(&next_path, &current)?;
    let left = store.tip_keys().await?.iter().filter(|(_, id, _)| id != &key_id(&next)).count();
    println!("rotated: {} data keys re-wrapped under {}; {left} still under an older key", keys.len(), key_id(&next));
    if left > 0 {
        println!(
            "(tips filed by a running server meanwhile; restart servers and rotate again, then wrapping.key.old may go)"
        );
    }
    Ok(())
}
