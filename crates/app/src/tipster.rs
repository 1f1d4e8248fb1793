//! The tipster's follow-up: sign in with reference and passphrase, read the status and the
//! conversation, answer questions and add information and files.

use crate::ctx::{Ctx, TipEvent};
use crate::error::{AppError, AppResult};
use crate::intake::passphrase_hash;
use crate::sealed;
use domain::audit::{AuditAction, ObjectRef};
use domain::status::Status;
use domain::tip::Author;
use store::model::{NewAttachment, NewAudit, TipChange};
use vault::secrets::{new_token, normalise_code, token_hash};

/// Checks a reference and passphrase and opens a session: the token, or `Unauthorized`
/// (the same whether the reference exists or not).
pub async fn open_session(ctx: &Ctx, reference: &str, passphrase: &str) -> AppResult<String> {
    let reference = format_reference(reference);
    let key = reference.clone().unwrap_or_default();
    // Guessing a 100-bit passphrase is hopeless, but slowed anyway: past ten wrong tries for a
    // reference (from anyone), each try waits longer before it is answered. Nobody can lock a
    // tipster out of their own tip: the right passphrase, after the wait, still opens it.
    let wrong = ctx.limiter.count(crate::limiter::PASSPHRASE, key.as_bytes(), ctx.now());
    let wait = guess_delay_ms(wrong, crate::limiter::PASSPHRASE.max);
    if wait > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(wait)).await;
    }
    // The hash is computed whether or not the reference exists, so timing tells nothing.
    let offered = passphrase_hash(&ctx.secrets, passphrase);
    let found = match reference {
        Some(r) => ctx.store.tip_credentials(&r).await?,
        None => None,
    };
    let matches = found.as_ref().is_some_and(|(_, stored)| vault::same_secret(offered.as_bytes(), stored.as_bytes()));
    let Some((tip_id, _)) = found.filter(|_| matches) else {
        ctx.limiter.allow(crate::limiter::PASSPHRASE, key.as_bytes(), ctx.now());
        return Err(AppError::Unauthorized);
    };
    let token = new_token("tps");
    let now = ctx.now();
    ctx.store.create_tipster_session(&token_hash(&token), tip_id, now + ctx.options.tipster_session_ms, now).await?;
    Ok(token)
}

/// New information on a closed tip must not go unseen: the tip waits again for its agencies
/// to pick it up, on the clock of its tier (escalating as any new tip), and their on-call
/// contacts are told at once, whatever the tier.
async fn reopen_for_news(ctx: &Ctx, tip: &store::model::TipRow, change: &mut TipChange) -> AppResult<()> {
    let now = change.now;
    let routing = ctx.routing().await?;
    let due = now + domain::sla::shortest_window(routing.policies_of(&tip.active_agencies), tip.tier);
    change.status = Some(domain::status::transition(tip.status, domain::status::Event::NewInformation)?);
    change.disposition = Some(None);
    change.closed = Some(None);
    change.close_requested_by = Some(None);
    change.ack_due_at = Some(Some(due));
    change.escalation = Some((0, Some(due)));
    for &agency in &tip.active_agencies {
        for c in routing.contacts(agency, domain::sla::ContactRole::OnCall) {
            change.notifications.push(store::model::NewNotification {
                agency_id: Some(agency),
                contact_id: Some(c.id),
                kind: domain::sla::NotificationKind::NewInformation,
                url: c.webhook_url.clone(),
                payload: serde_json::json!({
                    "event": "new_information",
                    "reference": tip.reference,
                    "tier": tip.tier.code(),
                    "agency_id": agency,
                    "acknowledge_required": true,
                    "at": now,
                })
                .to_string(),
            });
        }
    }
    change.audit.push(
        NewAudit::new(now, domain::audit::Actor::System, AuditAction::TipReopened, ObjectRef::Tip(tip.id))
            .reason("the tipster added information to the closed tip")
            .detail(serde_json::json!({"was": tip.disposition.map(|d| d.code()), "due": due})),
    );
    Ok(())
}

/// The wait before answering a sign-in for a reference with `wrong` wrong tries in the window:
/// none up to `free`, then 250 ms doubling to at most 4 s.
pub fn guess_delay_ms(wrong: u32, free: u32) -> u64 {
    match wrong.checked_sub(free) {
        None => 0,
        Some(extra) => (250_u64 << extra.min(4)).min(4_000),
    }
}

/// Ends a tipster's session (sign-out, quick exit); an unknown token is no error.
pub async fn end_session(ctx: &Ctx, token: &str) -> AppResult<()> {
    Ok(ctx.store.end_tipster_session(&token_hash(token)).await?)
}

/// The tip a tipster's session token opens, if it is still valid.
pub async fn session_tip(ctx: &Ctx, token: &str) -> AppResult<Option<i64>> {
    Ok(ctx.store.tipster_session(&token_hash(token), ctx.now()).await?)
}

/// A reference as typed (any case, spaces or dashes) in its stored form, when it has the right length.
pub(crate) fn format_reference(typed: &str) -> Option<String> {
    let code = normalise_code(typed);
    (code.len() == 8).then(|| format!("{}-{}", &code[..4], &code[4..]))
}

/// Who wrote a message, as the tipster sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum From {
    You,
    Staff,
}

pub struct TipsterMessage {
    pub from: From,
    pub body: String,
    pub at: i64,
}

/// What the tipster sees of their own tip.
pub struct TipsterView {
    pub reference: String,
    pub status: Status,
    pub category: domain::tip::Category,
    pub received_at: i64,
    pub messages: Vec<TipsterMessage>,
}

/// The tipster's own tip: its status and the conversation, opened with the tip's key.
pub async fn view(ctx: &Ctx, tip_id: i64) -> AppResult<TipsterView> {
    let d = ctx.store.tip_detail(tip_id).await?;
    let key = sealed::data_key(ctx, tip_id).await?;
    let reference = d.tip.reference.clone();
    Ok(TipsterView {
        messages: d
            .messages
            .into_iter()
            .map(|m| TipsterMessage {
                from: if m.author == Author::Tipster { From::You } else { From::Staff },
                body: sealed::open_message(key.as_ref(), &reference, &m.body),
                at: m.created_at,
            })
            .collect(),
        reference,
        status: d.tip.status,
        category: d.tip.category,
        received_at: d.tip.received_at,
    })
}

/// Adds a tipster's message (and files) to their tip, retrying if staff changed the tip meanwhile.
pub async fn add_message(ctx: &Ctx, tip_id: i64, body: Option<String>, files: Vec<NewAttachment>) -> AppResult<()> {
    let body = body.map(|b| crate::desk::message_body(&b)).transpose()?;
    if body.is_none() && files.is_empty() {
        return Err(AppError::invalid("body", "write a message or add a file"));
    }
    let key = sealed::data_key(ctx, tip_id).await?;
    for _ in 0..3 {
        let tip = ctx.store.get_tip(tip_id).await?;
        let now = ctx.now();
        let detail = serde_json::json!({"message": body.is_some(), "attachments": files.len()});
        let sealed_body = body.as_deref().map(|b| sealed::seal_message(key.as_ref(), &tip.reference, b));
        let sealed_files: Vec<NewAttachment> = files
            .iter()
            .map(|f| NewAttachment { data: sealed::seal_file(key.as_ref(), &tip.reference, &f.data), ..f.clone() })
            .collect();
        let mut change = TipChange {
            tip_id,
            expected_version: tip.version,
            now,
            messages: sealed_body.iter().map(|b| (Author::Tipster, None, b.clone())).collect(),
            attachments: sealed_files,
            // Shown on the queue and the tip until someone who works the tip reads it.
            tipster_news: Some(Some(now)),
            audit: vec![
                NewAudit::new(
                    now,
                    domain::audit::Actor::Tipster,
                    AuditAction::MessageFromTipster,
                    ObjectRef::Tip(tip_id),
                )
                .detail(detail),
            ],
            ..Default::default()
        };
        if tip.status == Status::Closed {
            reopen_for_news(ctx, &tip, &mut change).await?;
        }
        match ctx.store.commit_tip_change(change).await {
            Ok(()) => {
                // A reopened tip's notifications go out now, not at the next tick.
                ctx.jobs.notify_one();
                ctx.publish(TipEvent { tip_id, kind: "changed", tier: tip.tier.code(), agencies: tip.active_agencies });
                return Ok(());
            }
            // Staff changed the tip meanwhile: the message must still land.
            Err(store::StoreError::Conflict(_)) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(AppError::Conflict("the tip is busy; please send again".into()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn guessing_is_slowed_never_stopped() {
        let waits: Vec<u64> = [0, 9, 10, 11, 12, 14, 30, 1000].map(|n| super::guess_delay_ms(n, 10)).to_vec();
        assert_eq!(waits, [0, 0, 250, 500, 1000, 4000, 4000, 4000]);
    }
}
