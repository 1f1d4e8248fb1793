//! Matching new mentions against everything stored: the index is brought up to date from the
//! database (so several server processes each see every mention), then each unmatched mention
//! is queried and its suggestions stored with their reasons.

use crate::ctx::Ctx;
use crate::resolution::{SUGGEST_MAX, SUGGEST_PROBABILITY, explanation_json, record_of};
use domain::audit::{AuditAction, ObjectRef};
use serde_json::json;
use store::model::{NewAudit, NewLink};

pub async fn run(ctx: &Ctx) -> anyhow::Result<usize> {
    // While the index is rebuilt at start, new mentions wait (stored, unmatched) rather than
    // holding up escalation and the outbox, which run in the same pass.
    let Ok(_syncing) = ctx.resolver_sync.try_lock() else { return Ok(0) };
    let mut pending = ctx.store.unmatched_mentions(200).await?;
    if pending.is_empty() {
        return Ok(0);
    }
    crate::sealed::open_mentions(&ctx.secrets, &mut pending);
    sync(ctx).await?;
    let now = ctx.now();
    let mut suggested = 0;
    for m in &pending {
        let links: Vec<NewLink> = {
            // A panic elsewhere must not wedge matching for good: a poisoned index is still usable.
            let resolver = ctx.resolver.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            resolver
                .index
                .query(&record_of(m))
                .into_iter()
                .filter_map(|c| {
                    let other: i64 = c.id.parse().ok()?;
                    let other_tip = *resolver.tip_of.get(&other)?;
                    // Earlier mentions of other tips only: each pair is suggested once, by the newer side.
                    (other < m.id && other_tip != m.tip_id && c.probability >= SUGGEST_PROBABILITY).then(|| NewLink {
                        mention_id: m.id,
                        tip_id: m.tip_id,
                        other_mention_id: other,
                        other_tip_id: other_tip,
                        weight: c.weight,
                        probability: c.probability,
                        explanation: crate::sealed::seal_explanation(
                            &ctx.secrets,
                            m,
                            &explanation_json(&c.explanation),
                        ),
                    })
                })
                .take(SUGGEST_MAX)
                .collect()
        };
        let others: Vec<i64> = links.iter().map(|l| l.other_tip_id).collect();
        let audit = vec![
            NewAudit::new(now, domain::audit::Actor::System, AuditAction::LinkSuggested, ObjectRef::Tip(m.tip_id))
                .detail(json!({"mention_id": m.id, "other_tips": others})),
        ];
        suggested += ctx.store.record_matches(m.id, links, audit, now).await?;
    }
    Ok(pending.len() + suggested)
}

/// Rebuilds the index from every stored mention, opening each in memory: at start, so the
/// first tip after a restart is matched at once. Returns how many mentions the index holds.
pub async fn rebuild(ctx: &Ctx) -> anyhow::Result<usize> {
    let started = std::time::Instant::now();
    let _syncing = ctx.resolver_sync.lock().await;
    sync(ctx).await?;
    let held = ctx.resolver.lock().unwrap_or_else(std::sync::PoisonError::into_inner).index.len();
    tracing::info!(mentions = held, ms = started.elapsed().as_millis() as u64, "the matcher's index is rebuilt");
    Ok(held)
}

/// Adds every mention stored since the last sync to the index, opened in memory. The caller
/// holds `resolver_sync`.
async fn sync(ctx: &Ctx) -> anyhow::Result<()> {
    loop {
        let after = ctx.resolver.lock().unwrap_or_else(std::sync::PoisonError::into_inner).last_id;
        let mut page = ctx.store.mentions_after(after, 5_000).await?;
        if page.is_empty() {
            return Ok(());
        }
        // Opening and normalising are CPU work (a million mentions take seconds): off the
        // runtime's threads, so requests are served meanwhile.
        let shared = ctx.clone();
        tokio::task::spawn_blocking(move || {
            crate::sealed::open_mentions(&shared.secrets, &mut page);
            let mut resolver = shared.resolver.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            for m in &page {
                resolver.add(m);
            }
        })
        .await?;
    }
}
