//! `sightline audit verify` and `sightline audit checkpoint`: prove the audit chain intact
//! (its keyed hashes, its head, every signed checkpoint), and sign its head now.

use crate::Location;
use clap::Subcommand;

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Exit 0 when the chain is intact — every hash, the head, and every checkpoint in the
    /// instance's log and in FILE — otherwise name the first bad event and exit 1.
    Verify {
        #[command(flatten)]
        at: Location,
        /// Checkpoints an auditor kept elsewhere (lines of `audit checkpoint` or of
        /// `GET /api/v1/audit/checkpoints`): a rewrite or a cut behind any of them is found.
        #[arg(long, value_name = "FILE")]
        checkpoints: Option<std::path::PathBuf>,
    },
    /// Sign the chain's head now, append it to the log beside the data and print it (one line
    /// of JSON, to keep elsewhere).
    Checkpoint {
        #[command(flatten)]
        at: Location,
    },
}

pub async fn run(c: AuditCommand) -> anyhow::Result<()> {
    match c {
        AuditCommand::Verify { at, checkpoints } => {
            let kept = match checkpoints {
                None => Vec::new(),
                Some(path) => {
                    let text = std::fs::read_to_string(&path)
                        .map_err(|e| anyhow::anyhow!("reading {}: {e}", path.display()))?;
                    vault::notary::parse_log(&text)?
                }
            };
            let (store, secrets) = at.open_with_secrets().await?;
            let v = app::chain::verify(store.as_ref(), &secrets, &kept).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("audit chain intact: {} events, {} signed checkpoints hold", v.events, v.checkpoints);
        }
        AuditCommand::Checkpoint { at } => {
            let (store, secrets) = at.open_with_secrets().await?;
            let now = app::clock::Clock::now(&app::clock::SystemClock).0;
            let signed =
                app::chain::checkpoint(store.as_ref(), &secrets, now).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("{}", serde_json::to_string(&signed)?);
        }
    }
    Ok(())
}
