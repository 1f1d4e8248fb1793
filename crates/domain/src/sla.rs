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

#[cfg(test)]
mod tests {
    use super::*;

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
