//! The transactional outbox: notifications written with the change that caused them are
//! delivered here as HMAC-signed webhooks, with retries and exponential backoff.
//!
//! Receivers check `X-Sightline-Signature: sha256=<hex>` = HMAC-SHA-256 over
//! `<X-Sightline-Timestamp>.<body>` under the instance's webhook key.

use crate::state::AppState;
use store::model::{DeliveryOutcome, Notification};

/// Attempts before a notification is given up (and counted as a failure in `/metrics`).
pub const MAX_ATTEMPTS: i64 = 8;
/// How long a claimed notification is reserved for the claiming process.
const LEASE_MS: i64 = 60_000;

pub async fn run(state: &AppState) -> anyhow::Result<usize> {
    let now = state.now();
    let batch = state.store.claim_notifications(now, LEASE_MS, 32).await?;
    let n = batch.len();
    let mut sends = tokio::task::JoinSet::new();
    for note in batch {
        let state = state.clone();
        sends.spawn(async move {
            let outcome = deliver(&state, &note).await;
            (note.id, outcome)
        });
    }
    while let Some(done) = sends.join_next().await {
        let (id, outcome) = done?;
        if let DeliveryOutcome::Failed { error } = &outcome {
            tracing::warn!(notification = id, error, "notification failed for good");
        }
        state.store.finish_notification(id, outcome, state.now()).await?;
    }
    Ok(n)
}

/// Backoff after the n-th failed attempt: 5 s, 10 s, 20 s … capped at 30 minutes.
pub fn backoff_ms(attempts_so_far: i64) -> i64 {
    (5_000_i64 << attempts_so_far.clamp(0, 20)).min(30 * 60_000)
}

async fn deliver(state: &AppState, note: &Notification) -> DeliveryOutcome {
    let body = serde_json::json!({
        "notification_id": note.id,
        "tip_id": note.tip_id,
        "kind": note.kind,
        "data": serde_json::from_str::<serde_json::Value>(&note.payload).unwrap_or_default(),
    })
    .to_string();
    let ts = state.now();
    let signature = state.secrets.sign_webhook(ts, &body);
    let result = state
        .http
        .post(&note.url)
        .header("content-type", "application/json")
        .header("x-sightline-timestamp", ts.to_string())
        .header("x-sightline-signature", format!("sha256={signature}"))
        .body(body)
        .send()
        .await;
    let error = match result {
        Ok(resp) if resp.status().is_success() => return DeliveryOutcome::Delivered,
        Ok(resp) => format!("receiver answered {}", resp.status()),
        Err(e) => format!("could not deliver: {e}"),
    };
    let attempts = note.attempts + 1;
    if attempts >= MAX_ATTEMPTS {
        DeliveryOutcome::Failed { error }
    } else {
        DeliveryOutcome::Retry { at: state.now() + backoff_ms(note.attempts), error }
    }
}
