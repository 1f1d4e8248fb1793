//! Deadlines and escalation: when a tip must be acknowledged and who is called next.

use crate::time::Millis;
use crate::urgency::Tier;

/// Acknowledge-by windows per tier, in milliseconds. Agencies may set their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AckPolicy {
    pub life_safety: i64,
    pub urgent: i64,
    pub standard: i64,
    pub informational: i64,
}

impl Default for AckPolicy {
    fn default() -> Self {
        AckPolicy {
            life_safety: 5 * Millis::MINUTE,
            urgent: Millis::HOUR,
            standard: 24 * Millis::HOUR,
            informational: 72 * Millis::HOUR,
        }
    }
}

impl AckPolicy {
    pub fn window(&self, tier: Tier) -> i64 {
        match tier {
            Tier::LifeSafety => self.life_safety,
            Tier::Urgent => self.urgent,
            Tier::Standard => self.standard,
            Tier::Informational => self.informational,
        }
    }

    pub fn due(&self, tier: Tier, from: Millis) -> Millis {
        from.plus(self.window(tier))
    }
}

/// The steps of the escalation ladder, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rung {
    /// The assignee, or the receiving agency's queue when nobody is assigned.
    Assignee,
    /// The receiving agency's on-call contacts.
    OnCall,
    /// The receiving agency's supervisors.
    Supervisor,
    /// The partner agency named in the agency's settings.
    PartnerAgency,
}

impl Rung {
    pub fn level(self) -> i64 {
        self as i64
    }

    pub fn from_level(level: i64) -> Rung {
        match level {
            i64::MIN..=0 => Rung::Assignee,
            1 => Rung::OnCall,
            2 => Rung::Supervisor,
            _ => Rung::PartnerAgency,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Rung::Assignee => "assignee",
            Rung::OnCall => "on_call",
            Rung::Supervisor => "supervisor",
            Rung::PartnerAgency => "partner_agency",
        }
    }

    /// The rung an overdue tip climbs to. The top rung repeats: the ladder never runs
    /// out, it keeps calling until someone acts.
    pub fn next(self) -> Rung {
        Rung::from_level(self.level() + 1)
    }
}

/// How long each rung has before the next is called: the tier's window, but never less
/// than a minute nor more than an hour, so a 72-hour tip that is already late does not
/// wait three more days per rung.
pub fn rung_interval(policy: &AckPolicy, tier: Tier) -> i64 {
    policy.window(tier).clamp(Millis::MINUTE, Millis::HOUR)
}

/// The acknowledge window of a tip several agencies receive: the shortest of theirs, so no
/// receiver's deadline is missed; the default policy's when nobody receives it yet.
pub fn shortest_window(policies: impl IntoIterator<Item = AckPolicy>, tier: Tier) -> i64 {
    policies.into_iter().map(|p| p.window(tier)).min().unwrap_or_else(|| AckPolicy::default().window(tier))
}

/// Who an agency's escalation contact is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContactRole {
    OnCall,
    Supervisor,
}

impl ContactRole {
    pub const ALL: [ContactRole; 2] = [ContactRole::OnCall, ContactRole::Supervisor];

    pub fn code(self) -> &'static str {
        match self {
            ContactRole::OnCall => "on_call",
            ContactRole::Supervisor => "supervisor",
        }
    }

    pub fn parse(code: &str) -> Option<ContactRole> {
        ContactRole::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// What an overdue tip is, for planning its next rung.
#[derive(Debug, Clone)]
pub struct Overdue<'a> {
    /// The rung reached so far.
    pub level: i64,
    /// A close waits for second review: supervisors are called, not the assignee.
    pub awaiting_review: bool,
    pub tier: Tier,
    /// The agencies holding the tip (pending or accepted routes).
    pub holders: &'a [i64],
    /// Who receives a tip nobody holds.
    pub fallback: Option<i64>,
}

/// One call of a rung: the contacts of this role at this agency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Call {
    pub agency_id: i64,
    pub role: ContactRole,
}

/// The next rung of an overdue tip: who is called, which partner agencies now receive the tip
/// (and on whose behalf), and how long until the rung after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EscalationPlan {
    pub rung: Rung,
    pub calls: Vec<Call>,
    /// (partner agency, the holder whose partner it is).
    pub new_routes: Vec<(i64, i64)>,
    pub interval: i64,
}

/// Plans the next rung. `partner_of` names an agency's partner; `policy_of` its acknowledge
/// policy. The top rung repeats: the ladder keeps calling until someone acts.
pub fn plan_escalation(
    tip: &Overdue<'_>,
    partner_of: impl Fn(i64) -> Option<i64>,
    policy_of: impl Fn(i64) -> AckPolicy,
) -> EscalationPlan {
    let current = Rung::from_level(tip.level);
    let rung = if tip.awaiting_review { current.max(Rung::OnCall).next() } else { current.next() };
    let agencies: Vec<i64> =
        if tip.holders.is_empty() { tip.fallback.into_iter().collect() } else { tip.holders.to_vec() };
    let role = match rung {
        Rung::Assignee | Rung::OnCall => ContactRole::OnCall,
        Rung::Supervisor | Rung::PartnerAgency => ContactRole::Supervisor,
    };
    let mut calls: Vec<Call> = agencies.iter().map(|&agency_id| Call { agency_id, role }).collect();
    let mut new_routes = Vec::new();
    if rung == Rung::PartnerAgency {
        for &a in &agencies {
            if let Some(p) = partner_of(a)
                && !tip.holders.contains(&p)
                && !calls.iter().any(|c| c.agency_id == p)
            {
                new_routes.push((p, a));
                // A partner is new to the tip: its on-call desk answers first.
                calls.push(Call { agency_id: p, role: ContactRole::OnCall });
            }
        }
    }
    let interval = agencies.iter().map(|a| rung_interval(&policy_of(*a), tip.tier)).min().unwrap_or(Millis::MINUTE);
    EscalationPlan { rung, calls, new_routes, interval }
}

closed_codes! {
    /// Why a notification was queued.
    pub enum NotificationKind {
        /// A new life-safety or urgent tip pages the receiving agencies at once.
        NewTip => "new_tip",
        /// An unacknowledged tip climbed a rung.
        Escalation => "escalation",
        /// The tipster added information to a closed tip, which is open again.
        NewInformation => "new_information",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortest_window_of_the_receivers() {
        let slow = AckPolicy { urgent: 2 * Millis::HOUR, ..AckPolicy::default() };
        let fast = AckPolicy { urgent: 10 * Millis::MINUTE, ..AckPolicy::default() };
        assert_eq!(shortest_window([slow, fast], Tier::Urgent), 10 * Millis::MINUTE);
        assert_eq!(shortest_window([], Tier::Urgent), Millis::HOUR, "nobody yet: the default");
    }

    /// Each row: the case and the tip; the snapshot shows the rung, the calls, new routes and
    /// the interval. Agency 1's partner is 5; agency 2 has none; 9 is the fallback.
    #[test]
    fn escalation_plans() {
        let partner = |a: i64| (a == 1).then_some(5);
        let policy = |a: i64| {
            if a == 2 {
                AckPolicy { urgent: 20 * Millis::MINUTE, ..AckPolicy::default() }
            } else {
                AckPolicy::default()
            }
        };
        let tip = |level, awaiting_review, holders: &'static [i64]| Overdue {
            level,
            awaiting_review,
            tier: Tier::Urgent,
            holders,
            fallback: Some(9),
        };
        let cases = [
            ("first miss", tip(0, false, &[1, 2])),
            ("second miss", tip(1, false, &[1])),
            ("third miss: partner", tip(2, false, &[1, 2])),
            ("top repeats, partner now holds", tip(3, false, &[1, 5])),
            ("review waits: supervisors", tip(0, true, &[1])),
            ("nobody holds it", tip(0, false, &[])),
        ];
        let mut out = String::new();
        for (name, t) in cases {
            let p = plan_escalation(&t, partner, policy);
            let calls: Vec<String> = p.calls.iter().map(|c| format!("{}:{}", c.agency_id, c.role.code())).collect();
            out.push_str(&format!(
                "{name}: {} calls [{}] routes {:?} next in {} min\n",
                p.rung.code(),
                calls.join(" "),
                p.new_routes,
                p.interval / Millis::MINUTE
            ));
        }
        expect_test::expect![[r#"
            first miss: on_call calls [1:on_call 2:on_call] routes [] next in 20 min
            second miss: supervisor calls [1:supervisor] routes [] next in 60 min
            third miss: partner: partner_agency calls [1:supervisor 2:supervisor 5:on_call] routes [(5, 1)] next in 20 min
            top repeats, partner now holds: partner_agency calls [1:supervisor 5:supervisor] routes [] next in 60 min
            review waits: supervisors: supervisor calls [1:supervisor] routes [] next in 60 min
            nobody holds it: on_call calls [9:on_call] routes [] next in 60 min
        "#]]
        .assert_eq(&out);
    }

    #[test]
    fn ladder_climbs_and_stays_on_top() {
        let mut rung = Rung::Assignee;
        let mut seen = vec![];
        for _ in 0..5 {
            rung = rung.next();
            seen.push(rung.code());
        }
        assert_eq!(seen, ["on_call", "supervisor", "partner_agency", "partner_agency", "partner_agency"]);
    }

    #[test]
    fn default_windows() {
        let p = AckPolicy::default();
        assert_eq!(p.due(Tier::LifeSafety, Millis(0)), Millis(300_000));
        assert_eq!(rung_interval(&p, Tier::Informational), Millis::HOUR);
        assert_eq!(rung_interval(&p, Tier::LifeSafety), 5 * Millis::MINUTE);
    }
}
