//! `sightline audit verify`: walks the hash chain and compares its end with the stored head.

use crate::Location;
use clap::Subcommand;
use domain::audit::ChainVerifier;

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
    let mut verifier = ChainVerifier::default();
    let mut after = 0;
    loop {
        let page = store.audit_events(after, 10_000).await?;
        let Some(last) = page.last() else { break };
        after = last.seq;
        for e in &page {
            verifier.push(e).map_err(|e| anyhow::anyhow!("audit chain broken: {e}"))?;
        }
    }
    let (head_seq, head_hash) = store.audit_head().await?;
    let n = verifier.finish(head_seq, &head_hash).map_err(|e| anyhow::anyhow!("audit chain broken: {e}"))?;
    println!("audit chain intact: {n} events");
    Ok(())
}
