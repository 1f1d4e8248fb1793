//! Background work: escalating overdue tips, delivering the notification outbox, matching
//! people, and signing checkpoints of the audit chain.
//!
//! The loop wakes at the earliest deadline in the database, at least once a second, and
//! whenever a request commits new work. All claiming goes through the database, so any
//! number of server processes may run this loop against one PostgreSQL.

pub mod checkpoint;
pub mod escalate;
pub mod outbox;
pub mod resolve;

use crate::ctx::Ctx;
use std::time::Duration;

/// Runs everything due at the clock's present moment, until nothing is left. Tests call
/// this after moving their manual clock.
pub async fn run_pending(ctx: &Ctx) -> anyhow::Result<()> {
    // A checkpoint that cannot be written (a full disk, a missing log) is logged and retried
    // next pass; it must never hold up escalation or the outbox.
    if let Err(e) = checkpoint::run(ctx).await {
        tracing::error!(error.cause_chain = ?e, "the audit checkpoint could not be signed; retrying");
    }
    loop {
        let escalated = escalate::run(ctx).await?;
        let delivered = outbox::run(ctx).await?;
        let matched = resolve::run(ctx).await?;
        if escalated == 0 && delivered == 0 && matched == 0 {
            return Ok(());
        }
    }
}

/// The scheduler loop, until `shutdown` resolves.
pub async fn scheduler(ctx: Ctx, shutdown: tokio::sync::watch::Receiver<bool>) {
    let mut shutdown = shutdown;
    tokio::spawn({
        let ctx = ctx.clone();
        async move {
            match resolve::rebuild(&ctx).await {
                Ok(_) => ctx.jobs.notify_one(),
                Err(e) => {
                    tracing::error!(error.cause_chain = ?e, "the matcher's index could not be rebuilt; the job retries")
                }
            }
        }
    });
    loop {
        // Each pass runs in its own task: a panic in one job is logged and the clock keeps
        // running, rather than taking the scheduler (and every deadline) down with it.
        let pass = tokio::spawn({
            let ctx = ctx.clone();
            async move { run_pending(&ctx).await }
        });
        match pass.await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => tracing::error!(error.cause_chain = ?e, "background jobs failed; retrying"),
            Err(e) => tracing::error!(error = %e, "a background job panicked; the scheduler goes on"),
        }
        let wait = match ctx.store.next_wakeup().await {
            Ok(Some(at)) => (at - ctx.now()).clamp(0, 1_000),
            Ok(None) => 1_000,
            Err(e) => {
                tracing::error!(error.cause_chain = ?e, "cannot read the next deadline");
                1_000
            }
        };
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_millis(wait as u64)) => {}
            _ = ctx.jobs.notified() => {}
            _ = shutdown.changed() => return,
        }
    }
}
