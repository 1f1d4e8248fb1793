//! The one access decision: viewer (user, roles, agency) × record (class, distribution, the
//! agencies holding it, the agencies on its routing, its sharing group) → allow or deny.

use crate::staff::{Role, Viewer};

/// What kind of record it is; each class has its own rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordClass {
    Tip,
    SuspiciousActivityReport,
    ThreatAssessmentCase,
    /// Criminal intelligence under 28 CFR Part 23: shared only with a need and right to know,
    /// never opened up to every agency on the instance.
    CriminalIntelligence,
}

impl RecordClass {
    pub const ALL: [RecordClass; 4] = [
        RecordClass::Tip,
        RecordClass::SuspiciousActivityReport,
        RecordClass::ThreatAssessmentCase,
        RecordClass::CriminalIntelligence,
    ];
}

/// How far a record may travel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Distribution {
    OwningAgency,
    /// Agencies on the record's routing (and those it was shared with on request).
    Routing,
    /// A named sharing group of agencies.
    SharingGroup,
    AllAgencies,
    /// Agencies of connected instances; on this instance the same as every agency.
    ConnectedInstances,
}

impl Distribution {
    pub const ALL: [Distribution; 5] = [
        Distribution::OwningAgency,
        Distribution::Routing,
        Distribution::SharingGroup,
        Distribution::AllAgencies,
        Distribution::ConnectedInstances,
    ];
}

/// A record as the policy sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub class: RecordClass,
    pub distribution: Distribution,
    pub owner_agency: i64,
    /// Agencies that hold it now (work it).
    pub holders: Vec<i64>,
    /// Agencies on its routing, now or before, and those granted access on request.
    pub routed: Vec<i64>,
    /// Members of its sharing group, for `Distribution::SharingGroup`.
    pub group: Vec<i64>,
}

/// What a viewer wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Read,
    /// Acknowledge, assign, message, transfer, decline, close, reopen, override.
    Work,
    /// Approve or reject a close that needs second review.
    Review,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Allow,
    Deny,
}

/// May this agency read the record, by its distribution?
fn may_read(agency: i64, r: &Record) -> bool {
    let owner = agency == r.owner_agency || r.holders.contains(&agency);
    let routed = owner || r.routed.contains(&agency);
    match (r.class, r.distribution) {
        (_, Distribution::OwningAgency) => owner,
        (_, Distribution::Routing) => routed,
        (_, Distribution::SharingGroup) => routed || r.group.contains(&agency),
        // Criminal intelligence never goes to everyone: need and right to know only.
        (RecordClass::CriminalIntelligence, Distribution::AllAgencies | Distribution::ConnectedInstances) => routed,
        (_, Distribution::AllAgencies | Distribution::ConnectedInstances) => true,
    }
}

/// The one access decision for every read and write.
pub fn decide(viewer: &Viewer, record: &Record, action: Action) -> Access {
    let holder = record.holders.contains(&viewer.agency_id);
    let allowed = match action {
        Action::Read => may_read(viewer.agency_id, record),
        // Only agencies holding a record work it; reading widely never means acting.
        Action::Work => holder && (viewer.has(Role::Analyst) || viewer.has(Role::Supervisor)),
        Action::Review => holder && viewer.has(Role::Supervisor),
    };
    if allowed { Access::Allow } else { Access::Deny }
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect_file;

    /// Every role × agency relation × record class × distribution level × action.
    #[test]
    fn access_matrix() {
        let relations: [(&str, i64); 5] = [("owner", 1), ("holder", 2), ("routed", 3), ("in-group", 4), ("other", 5)];
        let mut out =
            String::from("role        relation  class                        distribution        Read  Work  Review\n");
        for role in Role::ALL {
            for (relation, agency) in relations {
                for class in RecordClass::ALL {
                    for distribution in Distribution::ALL {
                        let record = Record {
                            class,
                            distribution,
                            owner_agency: 1,
                            holders: vec![1, 2],
                            routed: vec![1, 2, 3],
                            group: vec![4],
                        };
                        let viewer = Viewer { user_id: 9, agency_id: agency, roles: vec![role] };
                        let cell = |a| if decide(&viewer, &record, a) == Access::Allow { "yes" } else { "-" };
                        out.push_str(&format!(
                            "{:<11} {relation:<9} {:<28} {:<19} {:<5} {:<5} {}\n",
                            role.code(),
                            format!("{class:?}"),
                            format!("{distribution:?}"),
                            cell(Action::Read),
                            cell(Action::Work),
                            cell(Action::Review)
                        ));
                    }
                }
            }
        }
        expect_file!["access_matrix.txt"].assert_eq(&out);
    }
}
