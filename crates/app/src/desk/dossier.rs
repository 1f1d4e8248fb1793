//! A tip as staff see it on one screen: the record, its conversation opened with the tip's
//! key, every recorded event, the other tips on the same person (and, for the page, its files).
//! Reading it is an audit event.

use crate::ctx::Ctx;
use crate::error::AppResult;
use crate::links::LinkedTip;
use domain::audit::StoredAudit;
use domain::staff::{Role, TipAction, Viewer};
use store::model::{AttachmentMeta, TipDetail, User};

pub struct Dossier {
    pub detail: TipDetail,
    /// The message bodies, opened, in the order of `detail.messages`.
    pub messages: Vec<String>,
    /// Every recorded event on the tip, oldest first.
    pub timeline: Vec<StoredAudit>,
    /// Other tips that may be about the same person, strongest first.
    pub linked: Vec<LinkedTip>,
    /// The viewer may act on the tip (acknowledge, assign, close …).
    pub may_work: bool,
    /// The viewer may do the second review the tip's close waits for (not their own close).
    pub may_review: bool,
    /// The viewer may decide the lowering of the tier that waits (not their own request).
    pub may_review_tier: bool,
    /// The role of the viewer's agency's route while it is to be acknowledged: it must
    /// acknowledge (primary) or mark the tip as seen (informed).
    pub awaits_viewer: Option<domain::routing::RouteRole>,
    /// The names of the people the page mentions (the timeline, messages, requests), by user id.
    pub people: std::collections::HashMap<i64, String>,
}

impl Dossier {
    /// Who did it, by name: a person, Sightline itself, the tipster, or the command line.
    pub fn actor_name(&self, actor: &str) -> String {
        match actor.strip_prefix("user:").and_then(|id| id.parse::<i64>().ok()) {
            Some(id) => self.person(id),
            None => match actor {
                "system" => "Sightline".into(),
                "tipster" => "the tipster".into(),
                "cli" => "an administrator at the server".into(),
                other => other.into(),
            },
        }
    }

    /// A user by name (one no longer known by number).
    pub fn person(&self, id: i64) -> String {
        self.people.get(&id).cloned().unwrap_or_else(|| format!("user {id}"))
    }
}

/// The display names of the users the dossier mentions.
async fn people(
    ctx: &Ctx,
    detail: &TipDetail,
    timeline: &[StoredAudit],
) -> AppResult<std::collections::HashMap<i64, String>> {
    let mut ids: Vec<i64> = timeline
        .iter()
        .filter_map(|e| e.actor.strip_prefix("user:").and_then(|id| id.parse().ok()))
        .chain(detail.messages.iter().filter_map(|m| m.user_id))
        .chain(detail.tip.tier_request.iter().map(|r| r.by))
        .chain(detail.tip.assignee_id)
        .chain(detail.tip.close_requested_by)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let mut names = std::collections::HashMap::new();
    for id in ids {
        if let Some(u) = ctx.store.user_by_id(id).await? {
            names.insert(id, u.display_name);
        }
    }
    Ok(names)
}

/// The tip for this viewer, its read recorded first.
pub async fn dossier(ctx: &Ctx, viewer: &Viewer, tip_id: i64, by: super::ReadBy) -> AppResult<Dossier> {
    let detail = super::read(ctx, viewer, tip_id, by).await?;
    let key = crate::sealed::data_key(ctx, tip_id).await?;
    let messages = detail
        .messages
        .iter()
        .map(|m| crate::sealed::open_message(key.as_ref(), &detail.tip.reference, &m.body))
        .collect();
    let timeline = ctx.store.audit_for_object(domain::audit::ObjectRef::Tip(tip_id)).await?;
    let linked = crate::links::linked(ctx, viewer, tip_id).await?;
    let audience = detail.audience();
    let may = |need| domain::desk::check_access(viewer, &audience, need).is_ok();
    let may_work = may(TipAction::Work);
    let someone_else = |by: Option<i64>| by.is_some_and(|by| by != viewer.user_id);
    let may_review = may(TipAction::Review)
        && detail.tip.status == domain::status::Status::AwaitingReview
        && someone_else(detail.tip.close_requested_by);
    let may_review_tier = may(TipAction::Review) && someone_else(detail.tip.tier_request.as_ref().map(|r| r.by));
    // Pending, or primary on a tip waiting as a whole (new information reopened it).
    let waiting = detail.tip.status.awaits_acknowledgement();
    let awaits_viewer = detail
        .routes
        .iter()
        .find(|r| r.agency_id == viewer.agency_id && r.state.is_active())
        .filter(|r| {
            r.state == domain::routing::RouteState::Pending
                || (waiting && r.role != domain::routing::RouteRole::Informed)
        })
        .map(|r| r.role);
    let people = people(ctx, &detail, &timeline).await?;
    Ok(Dossier { detail, messages, timeline, linked, may_work, may_review, may_review_tier, awaits_viewer, people })
}

/// The files of a tip the viewer has read (the dossier is the proof), for the page that lists
/// them; the API's tip has no list of files, so it does not pay for one.
pub async fn attachments(ctx: &Ctx, dossier: &Dossier) -> AppResult<Vec<AttachmentMeta>> {
    Ok(ctx.store.attachments(dossier.detail.tip.id).await?)
}

/// The people of the viewer's agency a tip can be assigned to.
pub async fn colleagues(ctx: &Ctx, viewer: &Viewer) -> AppResult<Vec<User>> {
    let users = ctx.store.list_users(viewer.agency_id).await?;
    Ok(users
        .into_iter()
        .filter(|u| !u.disabled && u.roles.iter().any(|r| matches!(r, Role::Analyst | Role::Supervisor)))
        .collect())
}
