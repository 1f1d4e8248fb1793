//! Links between mentions of a person across tips: the matcher suggests, a person decides.
//! Links are never merges: a decision can be undone, and a rejected pair is never suggested
//! again.

/// Where a suggested link stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LinkState {
    Suggested,
    Confirmed,
    Rejected,
}

impl LinkState {
    /// The link's state in words.
    pub fn label(self) -> &'static str {
        match self {
            LinkState::Suggested => "suggested — to decide",
            LinkState::Confirmed => "confirmed: the same person",
            LinkState::Rejected => "rejected: someone else",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            LinkState::Suggested => "suggested",
            LinkState::Confirmed => "confirmed",
            LinkState::Rejected => "rejected",
        }
    }

    pub fn parse(code: &str) -> Option<LinkState> {
        [LinkState::Suggested, LinkState::Confirmed, LinkState::Rejected].into_iter().find(|s| s.code() == code)
    }
}

/// A person's decision on a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkDecision {
    Confirm,
    Reject,
    /// Back to suggested: the earlier decision was wrong.
    Undo,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a link that is {} cannot be {}", from.code(), match to { LinkDecision::Confirm => "confirmed", LinkDecision::Reject => "rejected", LinkDecision::Undo => "undone" })]
pub struct LinkTransitionError {
    pub from: LinkState,
    pub to: LinkDecision,
}

pub fn decide(from: LinkState, decision: LinkDecision) -> Result<LinkState, LinkTransitionError> {
    match (from, decision) {
        (LinkState::Suggested, LinkDecision::Confirm) => Ok(LinkState::Confirmed),
        (LinkState::Suggested, LinkDecision::Reject) => Ok(LinkState::Rejected),
        (LinkState::Confirmed | LinkState::Rejected, LinkDecision::Undo) => Ok(LinkState::Suggested),
        _ => Err(LinkTransitionError { from, to: decision }),
    }
}

/// Where a request for another agency's record stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestState {
    Pending,
    Granted,
    Refused,
}

impl RequestState {
    pub fn code(self) -> &'static str {
        match self {
            RequestState::Pending => "pending",
            RequestState::Granted => "granted",
            RequestState::Refused => "refused",
        }
    }

    pub fn parse(code: &str) -> Option<RequestState> {
        [RequestState::Pending, RequestState::Granted, RequestState::Refused].into_iter().find(|s| s.code() == code)
    }
}

closed_codes! {
    /// Where a mention of a person was found (by default the tipster's fields).
    pub enum MentionSource {
        /// The tipster's structured fields about the person.
        Subject => "subject",
        /// An identifier (phone, e-mail, handle) found in the narrative.
        Narrative => "narrative",
    }
}

#[expect(clippy::derivable_impls, reason = "closed_codes! declares the enum with a fixed set of derives")]
impl Default for MentionSource {
    fn default() -> Self {
        MentionSource::Subject
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decisions() {
        assert_eq!(decide(LinkState::Suggested, LinkDecision::Confirm), Ok(LinkState::Confirmed));
        assert_eq!(decide(LinkState::Rejected, LinkDecision::Undo), Ok(LinkState::Suggested));
        let e = decide(LinkState::Rejected, LinkDecision::Confirm).unwrap_err();
        assert_eq!(e.to_string(), "a link that is rejected cannot be confirmed");
        assert!(decide(LinkState::Suggested, LinkDecision::Undo).is_err());
    }
}
