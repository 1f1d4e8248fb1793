//! The rule table: the first rule whose condition holds sets the tier; the category sets a floor.
//!
//! Threat-to-others rules marked `StepDown` drop one tier when the tip frames the words as a
//! joke, meme, game or lyrics and reports no concrete plan. `self_harm_imminent` is skipped in
//! that case (the tip still lands on plain `self_harm`, urgent).

use domain::tip::Category;
use domain::urgency::Tier;

use crate::signals::Signals;

/// How joke framing affects a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Joke {
    Ignore,
    StepDown,
    Skip,
}

/// One rule of the table.
pub struct Rule {
    pub id: &'static str,
    pub tier: Tier,
    pub text: &'static str,
    pub when: fn(&Signals) -> bool,
    pub joke: Joke,
}

/// The rules, most urgent first. `no_factors` always matches.
pub static RULES: &[Rule] = &[
    Rule {
        id: "intent+weapon",
        tier: Tier::LifeSafety,
        text: "Intent to harm others together with a weapon or access to one",
        when: |s| s.intent && s.weapon,
        joke: Joke::StepDown,
    },
    Rule {
        id: "intent+plan",
        tier: Tier::LifeSafety,
        text: "Intent to kill or seriously harm others together with planning or preparation",
        when: |s| s.intent_lethal && s.planning,
        joke: Joke::Ignore,
    },
    Rule {
        id: "intent+target+time",
        tier: Tier::LifeSafety,
        text: "Intent to kill or seriously harm others against a specific target within a stated time frame",
        when: |s| s.intent_lethal && s.target && s.time,
        joke: Joke::StepDown,
    },
    Rule {
        id: "intent+time",
        tier: Tier::LifeSafety,
        text: "Intent to kill or seriously harm others within a stated time frame",
        when: |s| s.intent_lethal && s.time,
        joke: Joke::StepDown,
    },
    Rule {
        id: "weapon+plan+time",
        tier: Tier::LifeSafety,
        text: "A weapon together with preparation and a date or time, even without stated intent",
        when: |s| s.weapon && s.preparation && s.time,
        joke: Joke::StepDown,
    },
    Rule {
        id: "self_harm_imminent",
        tier: Tier::LifeSafety,
        text: "Self-harm or suicide with a means, a plan, a time frame or a goodbye",
        when: |s| s.self_harm && (s.sh_means || s.sh_imminent || s.time || s.planning),
        joke: Joke::Skip,
    },
    Rule {
        id: "child_abuse_ongoing",
        tier: Tier::LifeSafety,
        text: "Abuse of a child with danger now or a weapon involved",
        when: |s| s.child_abuse && (s.danger_now || s.weapon),
        joke: Joke::Ignore,
    },
    Rule {
        id: "trafficking_ongoing",
        tier: Tier::LifeSafety,
        text: "Trafficking indicators with danger now",
        when: |s| s.trafficking && s.danger_now,
        joke: Joke::Ignore,
    },
    Rule {
        id: "intent+target",
        tier: Tier::Urgent,
        text: "Intent to harm others against a specific target, without weapon, plan or time frame",
        when: |s| s.intent && s.target,
        joke: Joke::StepDown,
    },
    Rule {
        id: "intent",
        tier: Tier::Urgent,
        text: "Intent to harm others, without weapon, plan, target or time frame",
        when: |s| s.intent,
        joke: Joke::StepDown,
    },
    Rule {
        id: "self_harm",
        tier: Tier::Urgent,
        text: "Self-harm or suicidal talk without a stated means, plan or time",
        when: |s| s.self_harm,
        joke: Joke::Ignore,
    },
    Rule {
        id: "child_abuse",
        tier: Tier::Urgent,
        text: "Indicators of abuse or exploitation of a child",
        when: |s| s.child_abuse,
        joke: Joke::Ignore,
    },
    Rule {
        id: "trafficking",
        tier: Tier::Urgent,
        text: "Indicators of human trafficking",
        when: |s| s.trafficking,
        joke: Joke::Ignore,
    },
    Rule {
        id: "weapon_at_target",
        tier: Tier::Urgent,
        text: "A weapon at or brought to a school or other specific place, without stated intent",
        when: |s| s.weapon && s.place,
        joke: Joke::Ignore,
    },
    Rule {
        id: "weapon+warning_signs",
        tier: Tier::Urgent,
        text: "Access to a weapon together with warning behaviour such as fixation on attackers",
        when: |s| s.weapon && s.warning_signs,
        joke: Joke::Ignore,
    },
    Rule {
        id: "drugs+danger",
        tier: Tier::Urgent,
        text: "Drugs with someone passed out or overdosing",
        when: |s| s.drugs && s.danger_now,
        joke: Joke::Ignore,
    },
    Rule {
        id: "weapon",
        tier: Tier::Standard,
        text: "A weapon is mentioned, with no intent, target or warning behaviour",
        when: |s| s.weapon,
        joke: Joke::Ignore,
    },
    Rule {
        id: "harassment",
        tier: Tier::Standard,
        text: "Telling someone to harm or kill themselves (harassment, not the author's self-harm)",
        when: |s| s.harassment,
        joke: Joke::Ignore,
    },
    Rule {
        id: "warning_signs",
        tier: Tier::Standard,
        text: "Warning behaviour (fixation on attackers, withdrawal, anger) without a threat",
        when: |s| s.warning_signs,
        joke: Joke::Ignore,
    },
    Rule {
        id: "bullying",
        tier: Tier::Standard,
        text: "Bullying without threat factors",
        when: |s| s.bullying,
        joke: Joke::Ignore,
    },
    Rule {
        id: "drugs",
        tier: Tier::Standard,
        text: "Drugs or alcohol without threat factors",
        when: |s| s.drugs,
        joke: Joke::Ignore,
    },
    Rule {
        id: "online_harm",
        tier: Tier::Standard,
        text: "An online-safety concern (hacking, impersonation, leaked images) without threat factors",
        when: |s| s.online,
        joke: Joke::Ignore,
    },
    Rule {
        id: "no_factors",
        tier: Tier::Informational,
        text: "No concern found in the narrative",
        when: |_| true,
        joke: Joke::Ignore,
    },
];

/// The tier a category never goes below, whatever the words say.
pub fn category_floor(category: Category) -> Tier {
    match category {
        Category::PlannedAttack | Category::Weapon | Category::SelfHarm | Category::Abuse => Tier::Urgent,
        Category::Threat
        | Category::Bullying
        | Category::Drugs
        | Category::Trafficking
        | Category::SuspiciousActivity
        | Category::Cyber => Tier::Standard,
        Category::Other => Tier::Informational,
    }
}

/// The outcome: tier, rule id and rule text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub tier: Tier,
    pub rule: String,
    pub text: String,
}

/// Applies the table, then the category floor.
pub fn decide(s: &Signals, category: Category) -> Decision {
    let discounted = s.joke && !s.planning;
    let mut decision = Decision { tier: Tier::Informational, rule: "no_factors".into(), text: String::new() };
    for rule in RULES {
        if !(rule.when)(s) {
            continue;
        }
        match rule.joke {
            Joke::Skip if discounted => continue,
            Joke::StepDown if discounted => {
                decision = Decision {
                    tier: step_down(rule.tier),
                    rule: format!("joke:{}", rule.id),
                    text: format!(
                        "{}, but framed as a joke, meme, game or lyrics with no concrete plan: one tier lower",
                        rule.text
                    ),
                };
            }
            _ => decision = Decision { tier: rule.tier, rule: rule.id.into(), text: rule.text.into() },
        }
        break;
    }
    let floor = category_floor(category);
    if floor < decision.tier {
        decision = Decision {
            tier: floor,
            rule: format!("category_floor:{}", category.code()),
            text: format!(
                "The tipster chose the category {}, which is never below {} (the words alone gave {})",
                category.code(),
                floor.label().to_lowercase(),
                decision.tier.label().to_lowercase()
            ),
        };
    }
    decision
}

fn step_down(tier: Tier) -> Tier {
    match tier {
        Tier::LifeSafety => Tier::Urgent,
        Tier::Urgent => Tier::Standard,
        Tier::Standard | Tier::Informational => Tier::Informational,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_ids_are_unique_and_table_ends_with_catch_all() {
        let mut ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), RULES.len());
        assert_eq!(RULES.last().map(|r| r.id), Some("no_factors"));
    }

    #[test]
    fn floor_raises_but_never_lowers() {
        let nothing = Signals::default();
        let d = decide(&nothing, Category::PlannedAttack);
        assert_eq!((d.tier, d.rule.as_str()), (Tier::Urgent, "category_floor:planned_attack"));
        let armed = Signals { intent: true, weapon: true, ..Signals::default() };
        assert_eq!(decide(&armed, Category::Other).tier, Tier::LifeSafety);
    }

    #[test]
    fn jokes_step_down_unless_planned() {
        let joke = Signals { intent: true, intent_lethal: true, weapon: true, joke: true, ..Signals::default() };
        assert_eq!(decide(&joke, Category::Other).rule, "joke:intent+weapon");
        let planned = Signals { planning: true, ..joke };
        assert_eq!(decide(&planned, Category::Other).tier, Tier::LifeSafety);
    }
}
