//! Staff roles and the one access decision for tips.

use crate::FieldError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    Analyst,
    Supervisor,
    Admin,
    Auditor,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Analyst, Role::Supervisor, Role::Admin, Role::Auditor];

    pub fn code(self) -> &'static str {
        match self {
            Role::Analyst => "analyst",
            Role::Supervisor => "supervisor",
            Role::Admin => "admin",
            Role::Auditor => "auditor",
        }
    }

    pub fn parse(code: &str) -> Result<Role, FieldError> {
        Role::ALL
            .into_iter()
            .find(|r| r.code() == code)
            .ok_or_else(|| {
                FieldError::new("role", "must be one of analyst, supervisor, admin, auditor")
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

/// The access decision for a tip. `routed_to` lists the agencies the tip is or was routed
/// to; only those agencies' staff see it. Auditors read but never work.
pub fn tip_access(viewer: &Viewer, routed_to: &[i64], action: TipAction) -> Access {
    if !routed_to.contains(&viewer.agency_id) {
        return Access::Deny;
    }
    let allowed = match action {
        TipAction::Read => true,
        TipAction::Work => viewer.has(Role::Analyst) || viewer.has(Role::Supervisor),
        TipAction::Review => viewer.has(Role::Supervisor),
    };
    if allowed { Access::Allow } else { Access::Deny }
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;

    /// Every role × (own agency, other agency) × action.
    #[test]
    fn access_matrix() {
        let mut out = String::new();
        for role in Role::ALL {
            for (relation, routed) in [("routed", vec![1]), ("other", vec![2])] {
                let viewer = Viewer {
                    user_id: 1,
                    agency_id: 1,
                    roles: vec![role],
                };
                let cells: Vec<String> = [TipAction::Read, TipAction::Work, TipAction::Review]
                    .into_iter()
                    .map(|a| format!("{a:?}={:?}", tip_access(&viewer, &routed, a)))
                    .collect();
                out.push_str(&format!(
                    "{:<10} {relation:<6} {}\n",
                    role.code(),
                    cells.join(" ")
                ));
            }
        }
        expect![[r#"
            analyst    routed Read=Allow Work=Allow Review=Deny
            analyst    other  Read=Deny Work=Deny Review=Deny
            supervisor routed Read=Allow Work=Allow Review=Allow
            supervisor other  Read=Deny Work=Deny Review=Deny
            admin      routed Read=Allow Work=Deny Review=Deny
            admin      other  Read=Deny Work=Deny Review=Deny
            auditor    routed Read=Allow Work=Deny Review=Deny
            auditor    other  Read=Deny Work=Deny Review=Deny
        "#]]
        .assert_eq(&out);
    }
}
