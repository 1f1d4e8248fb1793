//! `sightline keys rotate`: a new wrapping key, and every tip's data key re-wrapped under it
//! (`app::keys::rotate`, crash-safe). Restart running servers afterwards so they load the new key.

use crate::Location;
use clap::Subcommand;

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
    let now = {
        use app::clock::{Clock, SystemClock};
        SystemClock.now().0
    };
    let r = app::keys::rotate(store.as_ref(), &at.data, now).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let (rewrapped, id, left) = (r.rewrapped, r.new_key_id, r.left_under_older);
    println!("rotated: {rewrapped} data keys re-wrapped under {id}; {left} still under an older key");
    if left > 0 {
        println!(
            "(tips filed by a running server meanwhile; restart servers and rotate again, then wrapping.key.old may go)"
        );
    }
    Ok(())
}
