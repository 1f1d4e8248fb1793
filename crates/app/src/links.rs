//! The people a tip is about, across tips and agencies: suggested links with their reasons,
//! human decisions on them, and requests for records another agency holds.
//!
//! A link to a tip the viewer may not read shows only that another agency may hold a related
//! record, and offers a request for access — never the other record's content, nor the
//! matching values that would reveal it.

use crate::access::{actor, load};
use crate::ctx::Ctx;
use crate::error::{AppError, AppResult};
use domain::audit::{AuditAction, ObjectRef};
use domain::link::{LinkDecision, LinkState, decide};
use domain::staff::{Access, TipAction, Viewer, tip_access};
use domain::status::Reason;
use serde_json::json;
use store::model::{LinkRow, NewAccessRequest, NewAudit, TipRow};

/// The link between two tips seen from one of them: one suggestion per pair of tips, however
/// many of their mentions matched.
pub struct LinkedTip {
    /// The link that stands for the pair: its strongest still to decide, else its strongest.
    /// Deciding it decides the pair.
    pub link: LinkRow,
    /// Every link between the two tips (one per pair of mentions that matched), `link` first.
    pub link_ids: Vec<i64>,
    /// Their reasons, opened, `link`'s first.
    pub explanations: Vec<String>,
    /// The tip on the other side.
    pub other_tip_id: i64,
    /// The other tip, when the viewer may read it.
    pub other: Option<TipRow>,
}

/// Every link of a tip the viewer may read, one per other tip, strongest first, with what the
/// viewer may see of the other side.
pub async fn linked(ctx: &Ctx, viewer: &Viewer, tip_id: i64) -> AppResult<Vec<LinkedTip>> {
    let links = ctx.store.links_for_tip(tip_id).await?;
    // Grouped by the other tip, in the order of each pair's strongest link.
    let mut pairs: Vec<(i64, Vec<LinkRow>)> = Vec::new();
    for link in links {
        let other = if link.link.tip_id == tip_id { link.link.other_tip_id } else { link.link.tip_id };
        match pairs.iter_mut().find(|(o, _)| *o == other) {
            Some((_, group)) => group.push(link),
            None => pairs.push((other, vec![link])),
        }
    }
    let mut keys = std::collections::HashMap::new();
    let mut out = Vec::new();
    for (other_tip_id, mut group) in pairs {
        // A pair gathers new reasons only while undecided: its undecided link leads.
        let lead = group.iter().position(|l| l.state == LinkState::Suggested).unwrap_or(0);
        group.swap(0, lead);
        let audience = ctx.store.tip_audience(other_tip_id).await?;
        let other = if tip_access(viewer, &audience, TipAction::Read) == Access::Allow {
            let mut t = ctx.store.get_tip(other_tip_id).await?;
            crate::sealed::open_tip(&ctx.secrets, &mut t);
            Some(t)
        } else {
            None
        };
        let mut explanations = Vec::new();
        for l in &group {
            explanations.push(explanation(ctx, &mut keys, l).await?);
        }
        let link_ids = group.iter().map(|l| l.id).collect();
        let link = group.swap_remove(0);
        out.push(LinkedTip { link, link_ids, explanations, other_tip_id, other });
    }
    Ok(out)
}

/// The matcher's reasons for a link, opened with the key of the tip they are sealed under
/// (each tip's key unwrapped once).
async fn explanation(
    ctx: &Ctx,
    keys: &mut std::collections::HashMap<i64, (String, Option<vault::crypto::Key>)>,
    link: &LinkRow,
) -> AppResult<String> {
    let under = link.link.tip_id;
    if let std::collections::hash_map::Entry::Vacant(slot) = keys.entry(under) {
        let tip = ctx.store.get_tip(under).await?;
        let key = ctx.secrets.data_key(tip.data_key.as_ref())?;
        slot.insert((tip.reference, key));
    }
    let (reference, key) = &keys[&under];
    Ok(crate::sealed::open_explanation(key.as_ref(), reference, &link.link.explanation))
}

/// The links of a tip, for a viewer who may read it (another agency's tip is not found).
pub async fn links_of(ctx: &Ctx, viewer: &Viewer, tip_id: i64) -> AppResult<Vec<LinkedTip>> {
    load(ctx, viewer, tip_id, TipAction::Read).await?;
    linked(ctx, viewer, tip_id).await
}

/// Confirm, reject or undo a link. The decider must work one side and read both.
pub async fn decide_link(
    ctx: &Ctx,
    viewer: &Viewer,
    link_id: i64,
    decision: LinkDecision,
    reason: &str,
) -> AppResult<()> {
    let link = ctx.store.get_link(link_id).await?;
    let (a, b) = (link.link.tip_id, link.link.other_tip_id);
    let readable = |audience: &domain::staff::Audience| tip_access(viewer, audience, TipAction::Read) == Access::Allow;
    let (aa, ba) = (ctx.store.tip_audience(a).await?, ctx.store.tip_audience(b).await?);
    if !readable(&aa) && !readable(&ba) {
        return Err(AppError::NotFound);
    }
    if !(readable(&aa) && readable(&ba)) {
        return Err(AppError::Forbidden("request access to the other record before deciding this link".into()));
    }
    let works = tip_access(viewer, &aa, TipAction::Work) == Access::Allow
        || tip_access(viewer, &ba, TipAction::Work) == Access::Allow;
    if !works {
        return Err(AppError::Forbidden(
            "this needs the analyst or supervisor role in an agency holding one of the tips".into(),
        ));
    }
    let reason = match decision {
        // Confirming needs no essay; rejecting and undoing say why, so the pair's history reads.
        LinkDecision::Confirm if reason.trim().is_empty() => String::new(),
        _ => Reason::parse(reason)?.as_str().to_owned(),
    };
    let to = decide(link.state, decision).map_err(|e| AppError::Conflict(e.to_string()))?;
    let action = match decision {
        LinkDecision::Confirm => AuditAction::LinkConfirmed,
        LinkDecision::Reject => AuditAction::LinkRejected,
        LinkDecision::Undo => AuditAction::LinkUndone,
    };
    let audit = NewAudit::new(ctx.now(), actor(viewer), action, ObjectRef::Tip(a))
        .reason(&reason)
        .detail(json!({"link_id": link_id, "other_tip_id": b, "from": link.state.code(), "to": to.code()}));
    ctx.store.decide_link(link_id, link.state, to, viewer.user_id, &reason, audit).await?;
    Ok(())
}

/// Ask the agencies holding the other side of a link for read access to it.
pub async fn request_access(ctx: &Ctx, viewer: &Viewer, link_id: i64, reason: &str) -> AppResult<i64> {
    let reason = Reason::parse(reason)?;
    let link = ctx.store.get_link(link_id).await?;
    let (a, b) = (link.link.tip_id, link.link.other_tip_id);
    let (aa, ba) = (ctx.store.tip_audience(a).await?, ctx.store.tip_audience(b).await?);
    let can_read = |x: &domain::staff::Audience| tip_access(viewer, x, TipAction::Read) == Access::Allow;
    let target = match (can_read(&aa), can_read(&ba)) {
        (true, false) => b,
        (false, true) => a,
        (true, true) => return Err(AppError::Conflict("you can already read both records".into())),
        (false, false) => return Err(AppError::NotFound),
    };
    let audit = NewAudit::new(ctx.now(), actor(viewer), AuditAction::AccessRequested, ObjectRef::Tip(target))
        .reason(reason.as_str());
    let id = ctx
        .store
        .create_access_request(
            NewAccessRequest {
                tip_id: target,
                link_id: Some(link_id),
                requesting_agency_id: viewer.agency_id,
                requested_by: viewer.user_id,
                reason: reason.as_str().to_owned(),
            },
            audit,
        )
        .await?;
    Ok(id)
}

/// A supervisor of an agency holding the record grants or refuses a request, with a reason.
pub async fn decide_access(ctx: &Ctx, viewer: &Viewer, request_id: i64, grant: bool, reason: &str) -> AppResult<()> {
    let reason = Reason::parse(reason)?;
    let request = ctx.store.get_access_request(request_id).await?;
    let is_requester = request.request.requesting_agency_id == viewer.agency_id;
    let detail = match load(ctx, viewer, request.request.tip_id, TipAction::Review).await {
        Ok(d) => d,
        Err(AppError::NotFound) if !is_requester => return Err(AppError::NotFound),
        Err(AppError::NotFound) => return Err(AppError::Forbidden("the agency holding the record decides".into())),
        Err(e) => return Err(e),
    };
    let action = if grant { AuditAction::AccessGranted } else { AuditAction::AccessRefused };
    let audit = NewAudit::new(ctx.now(), actor(viewer), action, ObjectRef::Tip(detail.tip.id))
        .reason(reason.as_str())
        .detail(json!({"request_id": request_id, "agency_id": request.request.requesting_agency_id}));
    ctx.store.decide_access_request(request_id, grant, viewer.user_id, reason.as_str(), audit).await?;
    Ok(())
}

/// Links that stand in the way of closing: undecided suggestions the viewer can judge, and
/// confirmed links to other tips on the same person.
pub struct CloseCheck {
    pub undecided: Vec<String>,
    pub confirmed: Vec<String>,
}

pub async fn close_check(ctx: &Ctx, viewer: &Viewer, tip_id: i64) -> AppResult<CloseCheck> {
    let mut check = CloseCheck { undecided: Vec::new(), confirmed: Vec::new() };
    for l in linked(ctx, viewer, tip_id).await? {
        let Some(other) = &l.other else { continue };
        match l.link.state {
            LinkState::Suggested => check.undecided.push(other.reference.clone()),
            LinkState::Confirmed => check.confirmed.push(other.reference.clone()),
            LinkState::Rejected => {}
        }
    }
    for v in [&mut check.undecided, &mut check.confirmed] {
        v.sort();
        v.dedup();
    }
    Ok(check)
}

/// An access request as the viewer's agency sees it.
pub struct SeenRequest {
    pub request: store::model::AccessRequestRow,
    /// The viewer's agency asked (rather than holds the record).
    pub outgoing: bool,
    /// The record asked for: shown to the agency holding it, and to the one that asked once
    /// it is granted.
    pub tip_id: Option<i64>,
}

/// Access requests the viewer's agency made, and those for records it holds.
pub async fn access_requests(ctx: &Ctx, viewer: &Viewer) -> AppResult<Vec<SeenRequest>> {
    let rows = ctx.store.access_requests(viewer.agency_id).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let outgoing = r.request.requesting_agency_id == viewer.agency_id;
            let tip_id = (!outgoing || r.state == domain::link::RequestState::Granted).then_some(r.request.tip_id);
            SeenRequest { request: r, outgoing, tip_id }
        })
        .collect())
}
