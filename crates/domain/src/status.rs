//! The tip status machine: closed states, closed events, one transition function.
//!
//! received → triaged → routed → acknowledged → in_progress → closed, with
//! awaiting_review between in_progress and closed when a second person must approve,
//! and reopen back to in_progress. Escalation is a level on the tip, not a state: an
//! escalated tip still waits for the same human decision.

use crate::FieldError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    Received,
    Triaged,
    Routed,
    Acknowledged,
    InProgress,
    AwaitingReview,
    Closed,
}

impl Status {
    /// The status in words, as the console shows it.
    pub fn label(self) -> &'static str {
        match self {
            Status::Received => "Received",
            Status::Triaged => "Triaged",
            Status::Routed => "Waiting to be acknowledged",
            Status::Acknowledged => "Acknowledged",
            Status::InProgress => "In progress",
            Status::AwaitingReview => "Awaiting second review",
            Status::Closed => "Closed",
        }
    }

    pub const ALL: [Status; 7] = [
        Status::Received,
        Status::Triaged,
        Status::Routed,
        Status::Acknowledged,
        Status::InProgress,
        Status::AwaitingReview,
        Status::Closed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Status::Received => "received",
            Status::Triaged => "triaged",
            Status::Routed => "routed",
            Status::Acknowledged => "acknowledged",
            Status::InProgress => "in_progress",
            Status::AwaitingReview => "awaiting_review",
            Status::Closed => "closed",
        }
    }

    pub fn parse(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Whether the acknowledge clock still runs: nobody has taken the tip yet.
    pub fn awaits_acknowledgement(self) -> bool {
        matches!(self, Status::Received | Status::Triaged | Status::Routed)
    }

    pub fn is_open(self) -> bool {
        self != Status::Closed
    }

    /// What a tipster is told, in plain words.
    pub fn tipster_words(self) -> &'static str {
        match self {
            Status::Received | Status::Triaged | Status::Routed => {
                "Received. Your tip has been sent to the people responsible and is waiting for them to pick it up."
            }
            Status::Acknowledged | Status::InProgress | Status::AwaitingReview => {
                "Being worked on. Someone responsible has your tip and is looking into it."
            }
            Status::Closed => "Closed. The people responsible have finished their work on your tip. Thank you.",
        }
    }
}

/// How a tip was closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Disposition {
    /// Action was taken (intervention, referral, arrest, welfare check…).
    ActionTaken,
    /// Referred to another service (counselling, child protection, crisis line).
    Referred,
    /// Handled by merging into another open tip or case.
    Duplicate,
    /// Looked into; no action was needed.
    NoAction,
    /// Nothing in it could be followed up.
    NoLeadValue,
    /// Shown to be false or made in bad faith.
    Unfounded,
}

impl Disposition {
    /// The disposition in words.
    pub fn label(self) -> &'static str {
        match self {
            Disposition::ActionTaken => "Action taken",
            Disposition::Referred => "Referred",
            Disposition::Duplicate => "Duplicate of another tip",
            Disposition::NoAction => "No action needed",
            Disposition::NoLeadValue => "No lead value",
            Disposition::Unfounded => "Unfounded",
        }
    }

    pub const ALL: [Disposition; 6] = [
        Disposition::ActionTaken,
        Disposition::Referred,
        Disposition::Duplicate,
        Disposition::NoAction,
        Disposition::NoLeadValue,
        Disposition::Unfounded,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Disposition::ActionTaken => "action_taken",
            Disposition::Referred => "referred",
            Disposition::Duplicate => "duplicate",
            Disposition::NoAction => "no_action",
            Disposition::NoLeadValue => "no_lead_value",
            Disposition::Unfounded => "unfounded",
        }
    }

    pub fn parse(code: &str) -> Option<Disposition> {
        Disposition::ALL.into_iter().find(|d| d.code() == code)
    }

    /// Dispositions that end work without acting: on a tip with a threat factor they need a
    /// second person with the supervisor role (the Parkland rule).
    pub fn ends_without_action(self) -> bool {
        matches!(self, Disposition::NoAction | Disposition::NoLeadValue | Disposition::Unfounded)
    }
}

/// Shortest written reason accepted for closing, declining or overriding, in characters.
pub const REASON_MIN_CHARS: usize = 10;
/// Longest reason, in characters.
pub const REASON_MAX_CHARS: usize = 4_000;

/// A reason a person wrote: required for closing, declining, overriding and revealing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason(String);

impl Reason {
    pub fn parse(raw: &str) -> Result<Reason, FieldError> {
        let trimmed = crate::text::visible(raw).unwrap_or_default();
        let chars = trimmed.chars().count();
        if chars < REASON_MIN_CHARS {
            return Err(FieldError::new("reason", format!("must say why, in at least {REASON_MIN_CHARS} characters")));
        }
        if chars > REASON_MAX_CHARS {
            return Err(FieldError::new("reason", format!("is longer than {REASON_MAX_CHARS} characters")));
        }
        Ok(Reason(trimmed))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Something a person does to a tip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    Triage,
    Route,
    Acknowledge,
    StartWork,
    /// Transfer or decline: the tip goes back to waiting for another agency.
    Reroute,
    /// Close with a disposition; `needs_review` when the second-review rule applies.
    Close {
        needs_review: bool,
    },
    ApproveClose,
    RejectClose,
    Reopen,
    /// The tipster wrote or sent a file after the tip was closed: it goes back to waiting for
    /// an agency to pick it up, on the clock, so the new information is seen.
    NewInformation,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a tip that is {} cannot be {action}", from.code().replace('_', " "))]
pub struct TransitionError {
    pub from: Status,
    pub action: &'static str,
}

fn event_name(event: Event) -> &'static str {
    match event {
        Event::Triage => "triaged",
        Event::Route => "routed",
        Event::Acknowledge => "acknowledged",
        Event::StartWork => "worked",
        Event::Reroute => "transferred or declined",
        Event::Close { .. } => "closed",
        Event::ApproveClose => "approved for closing",
        Event::RejectClose => "sent back from review",
        Event::Reopen => "reopened",
        Event::NewInformation => "reopened with new information",
    }
}

/// The one transition function.
pub fn transition(from: Status, event: Event) -> Result<Status, TransitionError> {
    use Status::*;
    let to = match (from, event) {
        (Received, Event::Triage) => Triaged,
        (Triaged, Event::Route) => Routed,
        (Routed, Event::Acknowledge) => Acknowledged,
        (Routed | Acknowledged | InProgress, Event::Reroute) => Routed,
        (Acknowledged | InProgress, Event::StartWork) => InProgress,
        (Acknowledged | InProgress, Event::Close { needs_review: false }) => Closed,
        (Acknowledged | InProgress, Event::Close { needs_review: true }) => AwaitingReview,
        (AwaitingReview, Event::ApproveClose) => Closed,
        (AwaitingReview, Event::RejectClose) => InProgress,
        (Closed, Event::Reopen) => InProgress,
        (Closed, Event::NewInformation) => Routed,
        _ => {
            return Err(TransitionError { from, action: event_name(event) });
        }
    };
    Ok(to)
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;

    /// Prints the whole transition table, so any change to the machine shows in review.
    #[test]
    fn transition_table() {
        let events = [
            Event::Triage,
            Event::Route,
            Event::Acknowledge,
            Event::StartWork,
            Event::Reroute,
            Event::Close { needs_review: false },
            Event::Close { needs_review: true },
            Event::ApproveClose,
            Event::RejectClose,
            Event::Reopen,
            Event::NewInformation,
        ];
        let mut out = String::new();
        for from in Status::ALL {
            for event in events {
                if let Ok(to) = transition(from, event) {
                    out.push_str(&format!("{} --{event:?}--> {}\n", from.code(), to.code()));
                }
            }
        }
        expect![[r#"
            received --Triage--> triaged
            triaged --Route--> routed
            routed --Acknowledge--> acknowledged
            routed --Reroute--> routed
            acknowledged --StartWork--> in_progress
            acknowledged --Reroute--> routed
            acknowledged --Close { needs_review: false }--> closed
            acknowledged --Close { needs_review: true }--> awaiting_review
            in_progress --StartWork--> in_progress
            in_progress --Reroute--> routed
            in_progress --Close { needs_review: false }--> closed
            in_progress --Close { needs_review: true }--> awaiting_review
            awaiting_review --ApproveClose--> closed
            awaiting_review --RejectClose--> in_progress
            closed --Reopen--> in_progress
            closed --NewInformation--> routed
        "#]]
        .assert_eq(&out);
    }

    #[test]
    fn closing_from_routed_is_refused_in_words() {
        let err = transition(Status::Routed, Event::Close { needs_review: false }).unwrap_err();
        assert_eq!(err.to_string(), "a tip that is routed cannot be closed");
    }

    #[test]
    fn reason_needs_words() {
        assert!(Reason::parse("  ").is_err());
        assert!(Reason::parse("no lead").is_err());
        assert!(Reason::parse("Spoke with the school; the post was a quoted song lyric.").is_ok());
    }
}
