//! The desk's decisions as one pure function: given what a tip is, who asks and what they ask,
//! the step to take — or why not. The use cases load the facts, call [`decide`], and write the
//! step with its audit event; nothing here reads a database or a clock.

use crate::staff::{Access, Audience, TipAction, Viewer, tip_access};
use crate::status::{Disposition, Event, Status, transition};
use crate::urgency::{FactorKind, Tier};

/// What the decision needs to know about a tip.
#[derive(Debug, Clone)]
pub struct Facts {
    pub status: Status,
    pub tier: Tier,
    /// The most urgent tier the tip was ever at (by triage or by hand): lowering the tier does
    /// not lower what a close without action needs.
    pub peak_tier: Tier,
    /// A lowering of the tier that waits for a second person: who asked for it.
    pub tier_requested_by: Option<i64>,
    /// Who holds the tip and who may read it.
    pub audience: Audience,
    /// Whether the viewer's agency has a pending or accepted route.
    pub routed_to_viewer: bool,
    /// Whether that route only informs the viewer's agency: acknowledging marks the tip as
    /// seen and moves nothing else.
    pub viewer_informed: bool,
    /// Who asked for the close that awaits review.
    pub close_requested_by: Option<i64>,
    /// The factor kinds as stored; `None` for a code this build does not know.
    pub factors: Vec<Option<FactorKind>>,
}

/// What a person asks the desk to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Read,
    Acknowledge,
    Assign,
    Message,
    Transfer,
    Decline,
    ChangeTier(Tier),
    Close(Disposition),
    Review {
        approve: bool,
    },
    /// A supervisor decides a lowering of the tier another person asked for.
    ReviewTier {
        approve: bool,
    },
    Reopen,
}

/// The step to take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Step {
    /// The tip's next status, when it changes.
    pub status: Option<Status>,
    /// The viewer's agency takes the tip: its route is accepted and the acknowledge clock stops.
    pub acknowledges: bool,
    /// A close, or a lowering of the tier, that waits for a second person with the
    /// supervisor role.
    pub needs_review: bool,
}

/// Why not.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The viewer may not even read the tip: its existence is not disclosed.
    #[error("not found")]
    NotFound,
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// The tip's state does not allow it.
    #[error("conflict: {0}")]
    Conflict(String),
}

impl From<crate::status::TransitionError> for Refusal {
    fn from(e: crate::status::TransitionError) -> Self {
        Refusal::Conflict(e.to_string())
    }
}

/// The second-review rule (the Parkland rule): a tip closed without action needs a second
/// person when any factor is a threat or the tip was ever at urgent tier or above (`peak`, so
/// lowering the tier first does not dodge it). A factor this build does not know counts as a
/// threat: the rule fails closed.
pub fn needs_second_review(factors: &[Option<FactorKind>], peak: Tier, disposition: Disposition) -> bool {
    let threat = factors.iter().any(|f| f.is_none_or(FactorKind::is_threat));
    disposition.ends_without_action() && (threat || peak <= Tier::Urgent)
}

/// Lowering a tier from urgent or life safety is a change a second person approves: until
/// then the higher tier and its deadline stand.
pub fn lowering_needs_review(from: Tier, to: Tier) -> bool {
    from <= Tier::Urgent && to > from
}

/// The access an action needs.
fn needs(action: Action) -> TipAction {
    match action {
        Action::Read => TipAction::Read,
        Action::Review { .. } | Action::ReviewTier { .. } => TipAction::Review,
        _ => TipAction::Work,
    }
}

const NOT_ROUTED: &str = "the tip is no longer routed to your agency";

/// Whether `viewer` may do what `need` asks of a tip with this audience. A tip the viewer may
/// not even read is "not found", never "forbidden": its existence is not disclosed.
pub fn check_access(viewer: &Viewer, audience: &Audience, need: TipAction) -> Result<(), Refusal> {
    if tip_access(viewer, audience, TipAction::Read) == Access::Deny {
        return Err(Refusal::NotFound);
    }
    if tip_access(viewer, audience, need) == Access::Deny {
        if !audience.holders.contains(&viewer.agency_id) {
            return Err(Refusal::Forbidden("your agency may read this tip but does not hold it".into()));
        }
        let role = if need == TipAction::Review { "the supervisor role" } else { "the analyst or supervisor role" };
        return Err(Refusal::Forbidden(format!("this needs {role}")));
    }
    Ok(())
}

/// Decides `action` by `viewer` on a tip with these `facts`.
pub fn decide(facts: &Facts, viewer: &Viewer, action: Action) -> Result<Step, Refusal> {
    check_access(viewer, &facts.audience, needs(action))?;
    let acts = !matches!(action, Action::Read | Action::Message | Action::Acknowledge | Action::Decline);
    if facts.viewer_informed && acts {
        return Err(Refusal::Forbidden(
            "your agency is informed of this tip: the agencies that must acknowledge it act on it".into(),
        ));
    }
    let status = facts.status;
    let step = match action {
        Action::Read | Action::Message => Step::default(),
        Action::Acknowledge => {
            if !facts.routed_to_viewer {
                return Err(Refusal::Conflict(NOT_ROUTED.into()));
            }
            if facts.viewer_informed {
                // Seen: the tip waits for its primary receivers as before.
                return Ok(Step { acknowledges: true, ..Step::default() });
            }
            acknowledge(status)?
        }
        Action::Assign => {
            let mut step = if status.awaits_acknowledgement() { acknowledge(status)? } else { Step::default() };
            let now = step.status.unwrap_or(status);
            if matches!(now, Status::Closed | Status::AwaitingReview) {
                return Err(Refusal::Conflict(format!(
                    "a tip that is {} cannot be assigned",
                    now.code().replace('_', " ")
                )));
            }
            step.status = Some(transition(now, Event::StartWork)?);
            step
        }
        Action::Transfer | Action::Decline => {
            if !facts.routed_to_viewer {
                return Err(Refusal::Conflict(NOT_ROUTED.into()));
            }
            Step::default()
        }
        Action::ChangeTier(to) => {
            if status == Status::Closed {
                return Err(Refusal::Conflict("reopen the tip before changing its tier".into()));
            }
            if facts.tier_requested_by.is_some() {
                return Err(Refusal::Conflict(
                    "a lowering of this tip's tier awaits a supervisor's review; it is decided first".into(),
                ));
            }
            if to == facts.tier {
                return Err(Refusal::Conflict(format!("the tip is already {}", to.label().to_lowercase())));
            }
            Step { needs_review: lowering_needs_review(facts.tier, to), ..Step::default() }
        }
        Action::ReviewTier { .. } => match facts.tier_requested_by {
            None => return Err(Refusal::Conflict("no lowering of this tip's tier awaits review".into())),
            Some(by) if by == viewer.user_id => {
                return Err(Refusal::Forbidden("the second review must be done by a different person".into()));
            }
            Some(_) => Step::default(),
        },
        Action::Close(disposition) => {
            let peak = facts.peak_tier.min(facts.tier);
            let needs_review = needs_second_review(&facts.factors, peak, disposition);
            Step { status: Some(transition(status, Event::Close { needs_review })?), needs_review, acknowledges: false }
        }
        Action::Review { approve } => {
            if facts.close_requested_by == Some(viewer.user_id) {
                return Err(Refusal::Forbidden("the second review must be done by a different person".into()));
            }
            let event = if approve { Event::ApproveClose } else { Event::RejectClose };
            Step { status: Some(transition(status, event)?), ..Step::default() }
        }
        Action::Reopen => Step { status: Some(transition(status, Event::Reopen)?), ..Step::default() },
    };
    Ok(step)
}

/// Acknowledging moves a waiting tip on; a tip already taken by another agency stays as it is.
fn acknowledge(status: Status) -> Result<Step, Refusal> {
    let next = if status.awaits_acknowledgement() { Some(transition(status, Event::Acknowledge)?) } else { None };
    Ok(Step { status: next, acknowledges: true, needs_review: false })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::staff::Role;
    use expect_test::expect;

    fn facts(status: Status) -> Facts {
        Facts {
            status,
            tier: Tier::Urgent,
            peak_tier: Tier::Urgent,
            tier_requested_by: None,
            audience: Audience { holders: vec![1], readers: vec![1, 3] },
            routed_to_viewer: true,
            viewer_informed: false,
            close_requested_by: Some(7),
            factors: vec![Some(FactorKind::Weapon)],
        }
    }

    fn viewer(agency: i64, role: Role) -> Viewer {
        Viewer { user_id: 1, agency_id: agency, roles: vec![role] }
    }

    /// Each row: the case, its facts, who asks, what they ask; the snapshot shows the outcome.
    fn check(cases: &[(&str, Facts, Viewer, Action)], expected: expect_test::Expect) {
        let mut out = String::new();
        for (name, f, v, a) in cases {
            let outcome = match decide(f, v, *a) {
                Ok(s) => format!(
                    "{:?}{}{}",
                    s.status,
                    if s.acknowledges { " +ack" } else { "" },
                    if s.needs_review { " +review" } else { "" }
                ),
                Err(r) => format!("refused: {r}"),
            };
            out.push_str(&format!("{name}: {outcome}\n"));
        }
        expected.assert_eq(&out);
    }

    #[test]
    fn desk_decisions() {
        use Action::*;
        let analyst = viewer(1, Role::Analyst);
        let supervisor = viewer(1, Role::Supervisor);
        let timeframe_only = Facts {
            tier: Tier::Standard,
            peak_tier: Tier::Standard,
            factors: vec![Some(FactorKind::TimeFrame)],
            ..facts(Status::InProgress)
        };
        let lowered_from_urgent = Facts { peak_tier: Tier::Urgent, ..timeframe_only.clone() };
        let lowering_asked = |by| Facts { tier_requested_by: Some(by), ..facts(Status::InProgress) };
        check(
            &[
                ("stranger reads", facts(Status::Routed), viewer(9, Role::Analyst), Read),
                ("reader works", facts(Status::Routed), viewer(3, Role::Analyst), Acknowledge),
                ("auditor works", facts(Status::Routed), viewer(1, Role::Auditor), Acknowledge),
                ("analyst reviews", facts(Status::AwaitingReview), analyst.clone(), Review { approve: true }),
                ("acknowledge", facts(Status::Routed), analyst.clone(), Acknowledge),
                ("acknowledge taken", facts(Status::InProgress), analyst.clone(), Acknowledge),
                (
                    "informed sees",
                    Facts { viewer_informed: true, ..facts(Status::Routed) },
                    analyst.clone(),
                    Acknowledge,
                ),
                (
                    "informed closes",
                    Facts { viewer_informed: true, ..facts(Status::InProgress) },
                    analyst.clone(),
                    Close(Disposition::Referred),
                ),
                (
                    "acknowledge unrouted",
                    Facts { routed_to_viewer: false, ..facts(Status::Routed) },
                    analyst.clone(),
                    Acknowledge,
                ),
                ("assign waiting", facts(Status::Routed), analyst.clone(), Assign),
                ("assign acknowledged", facts(Status::Acknowledged), analyst.clone(), Assign),
                ("assign closed", facts(Status::Closed), analyst.clone(), Assign),
                ("assign in review", facts(Status::AwaitingReview), analyst.clone(), Assign),
                ("tier of closed", facts(Status::Closed), analyst.clone(), ChangeTier(Tier::Standard)),
                ("tier lowered from urgent", facts(Status::InProgress), analyst.clone(), ChangeTier(Tier::Standard)),
                ("tier raised", timeframe_only.clone(), analyst.clone(), ChangeTier(Tier::Urgent)),
                (
                    "tier lowered from standard",
                    timeframe_only.clone(),
                    analyst.clone(),
                    ChangeTier(Tier::Informational),
                ),
                ("tier unchanged", facts(Status::InProgress), analyst.clone(), ChangeTier(Tier::Urgent)),
                ("tier while a lowering waits", lowering_asked(7), analyst.clone(), ChangeTier(Tier::LifeSafety)),
                ("tier review by analyst", lowering_asked(7), analyst.clone(), ReviewTier { approve: true }),
                ("tier review own", lowering_asked(1), supervisor.clone(), ReviewTier { approve: true }),
                ("tier review", lowering_asked(7), supervisor.clone(), ReviewTier { approve: false }),
                ("tier review none", facts(Status::InProgress), supervisor.clone(), ReviewTier { approve: true }),
                (
                    "decline unrouted",
                    Facts { routed_to_viewer: false, ..facts(Status::InProgress) },
                    analyst.clone(),
                    Decline,
                ),
                ("close acted on", facts(Status::InProgress), analyst.clone(), Close(Disposition::ActionTaken)),
                ("close threat no lead", facts(Status::InProgress), analyst.clone(), Close(Disposition::NoLeadValue)),
                ("close standard time frame", timeframe_only.clone(), analyst.clone(), Close(Disposition::NoAction)),
                ("close once urgent", lowered_from_urgent, analyst.clone(), Close(Disposition::NoAction)),
                (
                    "close unknown factor",
                    Facts { factors: vec![None], ..timeframe_only },
                    analyst.clone(),
                    Close(Disposition::NoAction),
                ),
                (
                    "review own close",
                    Facts { close_requested_by: Some(1), ..facts(Status::AwaitingReview) },
                    supervisor.clone(),
                    Review { approve: true },
                ),
                ("review approve", facts(Status::AwaitingReview), supervisor.clone(), Review { approve: true }),
                ("review reject", facts(Status::AwaitingReview), supervisor.clone(), Review { approve: false }),
                ("review not awaiting", facts(Status::InProgress), supervisor.clone(), Review { approve: true }),
                ("reopen closed", facts(Status::Closed), analyst.clone(), Reopen),
                ("reopen open", facts(Status::InProgress), analyst, Reopen),
            ],
            expect![[r#"
                stranger reads: refused: not found
                reader works: refused: forbidden: your agency may read this tip but does not hold it
                auditor works: refused: forbidden: this needs the analyst or supervisor role
                analyst reviews: refused: forbidden: this needs the supervisor role
                acknowledge: Some(Acknowledged) +ack
                acknowledge taken: None +ack
                informed sees: None +ack
                informed closes: refused: forbidden: your agency is informed of this tip: the agencies that must acknowledge it act on it
                acknowledge unrouted: refused: conflict: the tip is no longer routed to your agency
                assign waiting: Some(InProgress) +ack
                assign acknowledged: Some(InProgress)
                assign closed: refused: conflict: a tip that is closed cannot be assigned
                assign in review: refused: conflict: a tip that is awaiting review cannot be assigned
                tier of closed: refused: conflict: reopen the tip before changing its tier
                tier lowered from urgent: None +review
                tier raised: None
                tier lowered from standard: None
                tier unchanged: refused: conflict: the tip is already urgent
                tier while a lowering waits: refused: conflict: a lowering of this tip's tier awaits a supervisor's review; it is decided first
                tier review by analyst: refused: forbidden: this needs the supervisor role
                tier review own: refused: forbidden: the second review must be done by a different person
                tier review: None
                tier review none: refused: conflict: no lowering of this tip's tier awaits review
                decline unrouted: refused: conflict: the tip is no longer routed to your agency
                close acted on: Some(Closed)
                close threat no lead: Some(AwaitingReview) +review
                close standard time frame: Some(Closed)
                close once urgent: Some(AwaitingReview) +review
                close unknown factor: Some(AwaitingReview) +review
                review own close: refused: forbidden: the second review must be done by a different person
                review approve: Some(Closed)
                review reject: Some(InProgress)
                review not awaiting: refused: conflict: a tip that is in progress cannot be approved for closing
                reopen closed: Some(InProgress)
                reopen open: refused: conflict: a tip that is in progress cannot be reopened
            "#]],
        );
    }
}
