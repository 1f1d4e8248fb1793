//! The transactional outbox: notifications written with the change that caused them are
//! delivered here as HMAC-signed webhooks, with retries and exponential backoff.
//!
//! Receivers check `X-Sightline-Signature: sha256=<hex>` = HMAC-SHA-256 over
//! `<X-Sightline-Timestamp>.<body>` under the instance's webhook key.

use crate::ctx::Ctx;
use store::model::{DeliveryOutcome, Notification};

/// Attempts before a notification is given up (and counted as a failure in `/metrics`).
pub const MAX_ATTEMPTS: i64 = 8;
/// How long a claimed notification is reserved for the claiming process.
const LEASE_MS: i64 = 60_000;

pub async fn run(ctx: &Ctx) -> anyhow::Result<usize> {
    let now = ctx.now();
    let batch = ctx.store.claim_notifications(now, LEASE_MS, 32).await?;
    let n = batch.len();
    let mut sends = tokio::task::JoinSet::new();
    for note in batch {
        let ctx = ctx.clone();
        sends.spawn(async move {
            let outcome = deliver(&ctx, &note).await;
            (note.id, outcome)
        });
    }
    while let Some(done) = sends.join_next().await {
        let (id, outcome) = done?;
        if let DeliveryOutcome::Failed { error } = &outcome {
            tracing::warn!(notification = id, error, "notification failed for good");
        }
        ctx.store.finish_notification(id, outcome, ctx.now()).await?;
    }
    Ok(n)
}

/// Backoff after the n-th failed attempt: 5 s, 10 s, 20 s … capped at 30 minutes.
pub fn backoff_ms(attempts_so_far: i64) -> i64 {
    (5_000_i64 << attempts_so_far.clamp(0, 20)).min(30 * 60_000)
}

async fn deliver(ctx: &Ctx, note: &Notification) -> DeliveryOutcome {
    let body = serde_json::json!({
        "notification_id": note.id,
        "tip_id": note.tip_id,
        "kind": note.kind.code(),
        // Stored as JSON by the commit that queued it; were it not, the text still goes out.
        "data": serde_json::from_str::<serde_json::Value>(&note.payload)
            .unwrap_or_else(|_| serde_json::Value::String(note.payload.clone())),
    })
    .to_string();
    let ts = ctx.now();
    let signature = format!("sha256={}", ctx.secrets.sign_webhook(ts, &body));
    let hook = crate::outbound::Webhook { url: &note.url, timestamp: ts, signature, body };
    let error = match ctx.outbound.post(hook).await {
        Ok(status) if (200..300).contains(&status) => return DeliveryOutcome::Delivered,
        Ok(status) => format!("receiver answered {status}"),
        Err(e) => format!("could not deliver: {e}"),
    };
    let attempts = note.attempts + 1;
    if attempts >= MAX_ATTEMPTS {
        DeliveryOutcome::Failed { error }
    } else {
        DeliveryOutcome::Retry { at: ctx.now() + backoff_ms(note.attempts), error }
    }
}
