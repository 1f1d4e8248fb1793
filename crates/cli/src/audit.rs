//! `sightline audit verify`: walks the hash chain and compares its end with the stored head.

use crate::Location;
use clap::Subcommand;

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Exit 0 when the chain is intact; otherwise name the first bad event and exit 1.
    Verify {
        #[command(flatten)]
        at: Location,
    },
}

pub async fn run(c: AuditCommand) -> anyhow::Result<()> {
    let AuditCommand::Verify { at } = c;
    let store = at.open().await?;
    let n = app::oversight::verify_chain(store.as_ref()).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    println!("audit chain intact: {n} events");
    Ok(())
}
