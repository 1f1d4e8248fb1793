//! Staff roles and the one access decision for tips.

use crate::FieldError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    Analyst,
    Supervisor,
    Admin,
    /// Searches the audit trail of the own agency: its tips, its people, its sites.
    Auditor,
    /// Searches the whole instance's audit trail; granted only on the command line.
    InstanceAuditor,
}

impl Role {
    pub const ALL: [Role; 5] = [Role::Analyst, Role::Supervisor, Role::Admin, Role::Auditor, Role::InstanceAuditor];

    pub fn code(self) -> &'static str {
        match self {
            Role::Analyst => "analyst",
            Role::Supervisor => "supervisor",
            Role::Admin => "admin",
            Role::Auditor => "auditor",
            Role::InstanceAuditor => "instance_auditor",
        }
    }

    pub fn parse(code: &str) -> Result<Role, FieldError> {
        Role::ALL.into_iter().find(|r| r.code() == code).ok_or_else(|| {
            FieldError::new("role", "must be one of analyst, supervisor, admin, auditor, instance_auditor")
        })
    }
}

/// Who is asking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Viewer {
    pub user_id: i64,
    pub agency_id: i64,
    pub roles: Vec<Role>,
}

impl Viewer {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }
}

/// What a viewer wants to do with a tip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TipAction {
    Read,
    /// Acknowledge, assign, message, transfer, decline, close, reopen, override.
    Work,
    /// Approve or reject a close that needs second review.
    Review,
}

/// The answer of the access policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Allow,
    Deny,
}

/// Which agencies a tip reaches.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Audience {
    /// Agencies that hold the tip now (a pending or accepted route): they work it.
    pub holders: Vec<i64>,
    /// Agencies that may read it: every agency it was ever routed to, and those granted
    /// access on request. Holders are readers too.
    pub readers: Vec<i64>,
}

/// The access decision for a tip: a tip is a record of class `Tip` distributed to the agencies
/// on its routing (see [`crate::access::decide`]).
pub fn tip_access(viewer: &Viewer, audience: &Audience, action: TipAction) -> Access {
    use crate::access::{Action, Distribution, Record, RecordClass, decide};
    let record = Record {
        class: RecordClass::Tip,
        distribution: Distribution::Routing,
        owner_agency: audience.holders.first().copied().unwrap_or(-1),
        holders: audience.holders.clone(),
        routed: audience.readers.clone(),
        group: Vec::new(),
    };
    let action = match action {
        TipAction::Read => Action::Read,
        TipAction::Work => Action::Work,
        TipAction::Review => Action::Review,
    };
    match decide(viewer, &record, action) {
        crate::access::Access::Allow => Access::Allow,
        crate::access::Access::Deny => Access::Deny,
    }
}

/// How long sign-in to an account from one client is paused after `failures` failed tries
/// from it within the window, the last at `last_at`: nothing below `threshold`, then one minute
/// doubling with each further failure, at most `max_ms`. `Some(until)` while it lasts.
pub fn sign_in_pause(failures: i64, last_at: i64, now: i64, threshold: i64, max_ms: i64) -> Option<i64> {
    if failures < threshold {
        return None;
    }
    let pause = (60_000_i64 << (failures - threshold).min(20)).min(max_ms);
    let until = last_at + pause;
    (now < until).then_some(until)
}

closed_codes! {
    /// What a staff token is.
    pub enum TokenKind {
        /// A bearer token for the API.
        Api => "api",
        /// A console sign-in (cookie), which needs its second factor.
        Session => "session",
        /// A wall display of an agency's queue: read-only, long-lived, made by a supervisor.
        Display => "display",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;

    #[test]
    fn sign_in_pauses_grow_and_end() {
        let until = |failures, now| sign_in_pause(failures, 1_000, now, 5, 900_000);
        assert_eq!(until(4, 1_000), None, "below the threshold");
        assert_eq!(until(5, 1_000), Some(61_000), "one minute at the threshold");
        assert_eq!(until(5, 61_000), None, "and then it ends");
        assert_eq!(until(6, 1_000), Some(121_000), "doubling");
        assert_eq!(until(30, 1_000), Some(901_000), "at most the cap");
    }

    /// Every role × agency relation (holds the tip, may read it, neither) × action.
    #[test]
    fn access_matrix() {
        let mut out = String::new();
        for role in Role::ALL {
            let relations = [
                ("holder", Audience { holders: vec![1], readers: vec![1] }),
                ("reader", Audience { holders: vec![2], readers: vec![1, 2] }),
                ("other", Audience { holders: vec![2], readers: vec![2] }),
            ];
            for (relation, audience) in relations {
                let viewer = Viewer { user_id: 1, agency_id: 1, roles: vec![role] };
                let cells: Vec<String> = [TipAction::Read, TipAction::Work, TipAction::Review]
                    .into_iter()
                    .map(|a| format!("{a:?}={:?}", tip_access(&viewer, &audience, a)))
                    .collect();
                out.push_str(&format!("{:<10} {relation:<6} {}\n", role.code(), cells.join(" ")));
            }
        }
        expect![[r#"
            analyst    holder Read=Allow Work=Allow Review=Deny
            analyst    reader Read=Allow Work=Deny Review=Deny
            analyst    other  Read=Deny Work=Deny Review=Deny
            supervisor holder Read=Allow Work=Allow Review=Allow
            supervisor reader Read=Allow Work=Deny Review=Deny
            supervisor other  Read=Deny Work=Deny Review=Deny
            admin      holder Read=Allow Work=Deny Review=Deny
            admin      reader Read=Allow Work=Deny Review=Deny
            admin      other  Read=Deny Work=Deny Review=Deny
            auditor    holder Read=Allow Work=Deny Review=Deny
            auditor    reader Read=Allow Work=Deny Review=Deny
            auditor    other  Read=Deny Work=Deny Review=Deny
            instance_auditor holder Read=Allow Work=Deny Review=Deny
            instance_auditor reader Read=Allow Work=Deny Review=Deny
            instance_auditor other  Read=Deny Work=Deny Review=Deny
        "#]]
        .assert_eq(&out);
    }
}
