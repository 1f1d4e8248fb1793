//! The rule table: the first rule whose condition holds sets the tier; lowering factors may take
//! it down one tier; the category sets a floor.
//!
//! The model is the one a trained analyst uses. Life safety is danger now (a weapon or violence
//! where people are, a medical emergency), a stated plan with a time or place and a means or a
//! list of targets, intent to kill with a weapon or a time, self-harm with a means, a time, a
//! goodbye or an act taken, and harm to a child or a trafficked person now. What lowers — a
//! denial, a rumour, a joke, a figure of speech, a question about the service — is a factor with
//! its words, and lowers one tier at most. A life-safety combination is lowered only by the
//! tipster's denial, and not when the person's own stated intent stands beside it.

use domain::tip::Category;
use domain::urgency::{FactorKind, Tier};

use crate::signals::Signals;

/// What may lower a rule's tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lowering {
    /// Nothing lowers it (self-harm, abuse, trafficking: a joke or a rumour is still looked at).
    Never,
    /// Only the tipster's explicit denial (life-safety combinations).
    Denial,
    /// The tipster's denial, unless the act is already taken or a goodbye said (self-harm).
    DenialUnlessActed,
    /// Denial, jokes and play; rumour too when the threat is not to kill.
    Threat,
    /// Denial, jokes, figures of speech and questions about the service (standard concerns
    /// that are often harmless).
    Mild,
}

/// One rule of the table.
pub struct Rule {
    pub id: &'static str,
    pub tier: Tier,
    pub text: &'static str,
    /// The factors the rule combines, named in its explanation when present.
    pub combines: &'static [FactorKind],
    pub when: fn(&Signals) -> bool,
    pub lowering: Lowering,
}

use FactorKind as F;

/// The rules, most urgent first. `no_factors` always matches.
pub static RULES: &[Rule] = &[
    Rule {
        id: "attack_now",
        tier: Tier::LifeSafety,
        text: "An attack under way: shots heard or people hiding, with a second sign",
        combines: &[F::Imminence, F::Weapon, F::ViolenceNow],
        when: |s| s.attack_now,
        lowering: Lowering::Denial,
    },
    Rule {
        id: "violence_now",
        tier: Tier::LifeSafety,
        text: "Violence happening now",
        combines: &[F::ViolenceNow, F::Weapon, F::Imminence],
        when: |s| s.violence_now,
        lowering: Lowering::Denial,
    },
    Rule {
        id: "weapon_now",
        tier: Tier::LifeSafety,
        text: "A weapon where people are, now or within hours",
        combines: &[F::Weapon, F::Imminence, F::SpecificTarget],
        when: |s| s.weapon && s.imminent,
        lowering: Lowering::Denial,
    },
    Rule {
        id: "medical_now",
        tier: Tier::LifeSafety,
        text: "A medical emergency happening now",
        combines: &[F::MedicalEmergency, F::Drugs],
        when: |s| s.medical_now,
        lowering: Lowering::Never,
    },
    Rule {
        id: "intent+weapon",
        tier: Tier::LifeSafety,
        text: "Intent to harm others together with a weapon or access to one",
        combines: &[F::IntentToHarm, F::Weapon, F::SpecificTarget, F::TimeFrame],
        when: |s| s.intent && s.weapon,
        lowering: Lowering::Denial,
    },
    Rule {
        id: "plan+means",
        tier: Tier::LifeSafety,
        text: "A plan with a time or place and a means or a list of targets",
        combines: &[F::Planning, F::Weapon, F::TimeFrame, F::SpecificTarget],
        when: |s| s.preparation && (s.time || s.place || s.target) && (s.weapon || s.target_list),
        lowering: Lowering::Denial,
    },
    Rule {
        id: "intent+plan",
        tier: Tier::LifeSafety,
        text: "Intent to kill or seriously harm others together with planning or preparation",
        combines: &[F::IntentToHarm, F::Planning, F::SpecificTarget],
        when: |s| s.intent_lethal && s.planning,
        lowering: Lowering::Denial,
    },
    Rule {
        id: "intent+time",
        tier: Tier::LifeSafety,
        text: "Intent to kill or seriously harm others within a stated time frame",
        combines: &[F::IntentToHarm, F::TimeFrame, F::SpecificTarget, F::Imminence],
        when: |s| s.intent_lethal && s.when,
        lowering: Lowering::Denial,
    },
    Rule {
        id: "weapon+future+target",
        tier: Tier::LifeSafety,
        text: "A weapon with a day to come and a target named",
        combines: &[F::Weapon, F::TimeFrame, F::SpecificTarget],
        when: |s| s.weapon && s.future && s.target && !s.target_from_fields,
        lowering: Lowering::Denial,
    },
    Rule {
        id: "self_harm_imminent",
        tier: Tier::LifeSafety,
        text: "Self-harm or suicide with a means, a plan, a time frame, a goodbye or an act already taken",
        combines: &[F::SelfHarm, F::TimeFrame, F::Planning, F::Imminence],
        when: |s| s.self_harm && (s.sh_means || s.sh_imminent || s.sh_when || s.planning || s.danger_now),
        lowering: Lowering::DenialUnlessActed,
    },
    Rule {
        id: "child_harm_now",
        tier: Tier::LifeSafety,
        text: "Harm to a child happening now, or with a weapon",
        combines: &[F::ChildAbuse, F::Imminence, F::Weapon],
        when: |s| s.child_abuse && (s.danger_now || s.present || s.weapon),
        lowering: Lowering::Never,
    },
    Rule {
        id: "trafficking_now",
        tier: Tier::LifeSafety,
        text: "Trafficking indicators with danger now",
        combines: &[F::Trafficking, F::Imminence],
        when: |s| s.trafficking && (s.danger_now || s.imminent),
        lowering: Lowering::Never,
    },
    Rule {
        id: "intent+target",
        tier: Tier::Urgent,
        text: "Intent to harm others against a specific target, without weapon, plan or time frame",
        combines: &[F::IntentToHarm, F::SpecificTarget, F::Leakage],
        when: |s| s.intent && s.target,
        lowering: Lowering::Threat,
    },
    Rule {
        id: "intent",
        tier: Tier::Urgent,
        text: "Intent to harm others, without weapon, plan, target or time frame",
        combines: &[F::IntentToHarm, F::Leakage],
        when: |s| s.intent,
        lowering: Lowering::Threat,
    },
    Rule {
        id: "self_harm",
        tier: Tier::Urgent,
        text: "Self-harm or suicidal talk without a stated means, plan or time",
        combines: &[F::SelfHarm, F::Leakage],
        when: |s| s.self_harm,
        lowering: Lowering::Never,
    },
    Rule {
        id: "child_abuse",
        tier: Tier::Urgent,
        text: "Indicators of abuse or exploitation of a child",
        combines: &[F::ChildAbuse],
        when: |s| s.child_abuse,
        lowering: Lowering::Never,
    },
    Rule {
        id: "trafficking",
        tier: Tier::Urgent,
        text: "Indicators of human trafficking (two indicators, or one about a minor)",
        combines: &[F::Trafficking],
        when: |s| s.trafficking,
        lowering: Lowering::Never,
    },
    Rule {
        id: "weapon_at_place",
        tier: Tier::Urgent,
        text: "A weapon at or brought to a school or other place people gather, without stated intent",
        combines: &[F::Weapon, F::SpecificTarget, F::TimeFrame],
        when: |s| s.weapon && s.place,
        lowering: Lowering::Threat,
    },
    Rule {
        id: "weapon+warning_signs",
        tier: Tier::Urgent,
        text: "Access to a weapon together with warning behaviour such as fixation on attackers",
        combines: &[F::Weapon, F::WarningSigns],
        when: |s| s.weapon && s.warning_signs,
        lowering: Lowering::Threat,
    },
    Rule {
        id: "drugs+danger",
        tier: Tier::Urgent,
        text: "Drugs with someone passed out or in danger",
        combines: &[F::Drugs, F::Imminence],
        when: |s| s.drugs && s.danger_now,
        lowering: Lowering::Never,
    },
    Rule {
        id: "weapon",
        tier: Tier::Standard,
        text: "A weapon is mentioned, with no intent, target or warning behaviour",
        combines: &[F::Weapon],
        when: |s| s.weapon,
        lowering: Lowering::Mild,
    },
    Rule {
        id: "harassment",
        tier: Tier::Standard,
        text: "Telling someone to harm or kill themselves (harassment, not the author's self-harm)",
        combines: &[F::Harassment],
        when: |s| s.harassment,
        lowering: Lowering::Never,
    },
    Rule {
        id: "warning_signs",
        tier: Tier::Standard,
        text: "Warning behaviour (fixation on attackers, withdrawal, anger) without a threat",
        combines: &[F::WarningSigns],
        when: |s| s.warning_signs,
        lowering: Lowering::Mild,
    },
    Rule {
        id: "bullying",
        tier: Tier::Standard,
        text: "Bullying without threat factors",
        combines: &[F::Bullying],
        when: |s| s.bullying,
        lowering: Lowering::Never,
    },
    Rule {
        id: "drugs",
        tier: Tier::Standard,
        text: "Drugs or alcohol without threat factors",
        combines: &[F::Drugs],
        when: |s| s.drugs,
        lowering: Lowering::Never,
    },
    Rule {
        id: "online_harm",
        tier: Tier::Standard,
        text: "An online-safety concern (hacking, impersonation, leaked images) without threat factors",
        combines: &[F::OnlineHarm],
        when: |s| s.online,
        lowering: Lowering::Never,
    },
    Rule {
        id: "property",
        tier: Tier::Standard,
        text: "Theft or vandalism without threat factors",
        combines: &[F::PropertyCrime],
        when: |s| s.property,
        lowering: Lowering::Never,
    },
    Rule {
        id: "no_factors",
        tier: Tier::Informational,
        text: "No concern found in the narrative",
        combines: &[],
        when: |_| true,
        lowering: Lowering::Never,
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

/// Applies the table, the lowering factors, then the category floor. `present` lists the
/// factors shown with evidence, so the explanation names only what the analyst can see.
pub fn decide(s: &Signals, category: Category, present: &[FactorKind]) -> Decision {
    let rule = RULES.iter().find(|r| (r.when)(s)).unwrap_or(&RULES[RULES.len() - 1]);
    let mut text = explain(rule, s, present);
    let mut tier = rule.tier;
    let mut id = rule.id.to_owned();
    if let Some(reasons) = lowered_by(rule, s) {
        tier = step_down(tier);
        id = format!("lowered:{id}");
        text = format!("{text}. Lowered one tier: {}", labels(&reasons));
    } else if rule.lowering == Lowering::Denial && s.denial && s.stated_intent && !s.rumor {
        text = format!("{text}. The denial does not lower it: the person's own words of intent stand beside it");
    }
    // Words that explain the concern away lower the floor one step; a denial lowers only the
    // urgent floors (a denied weapon is still looked at the same day).
    let explained_away = s.joke || s.harmless || s.service_question;
    let mut floor = category_floor(category);
    if (explained_away && floor < Tier::Informational) || (s.denial && floor == Tier::Urgent) {
        floor = step_down(floor);
    }
    if floor < tier {
        return Decision {
            tier: floor,
            rule: format!("category_floor:{}", category.code()),
            text: format!(
                "The tipster chose the category {}, which is never below {} (the words alone gave {}: {})",
                category.code(),
                floor.label().to_lowercase(),
                tier.label().to_lowercase(),
                text
            ),
        };
    }
    Decision { tier, rule: id, text }
}

/// The lowering factors that take `rule` down a tier, if any do.
fn lowered_by(rule: &Rule, s: &Signals) -> Option<Vec<FactorKind>> {
    let mut reasons = Vec::new();
    let mut note = |on: bool, kind: FactorKind| {
        if on {
            reasons.push(kind);
        }
    };
    match rule.lowering {
        Lowering::Never => {}
        Lowering::Denial => note(s.denial && (s.rumor || !s.stated_intent), F::Denial),
        Lowering::DenialUnlessActed => note(s.denial && !s.sh_imminent, F::Denial),
        Lowering::Threat => {
            note(s.denial, F::Denial);
            note(s.joke, F::Joke);
            note(s.rumor && !s.intent_lethal, F::Hearsay);
        }
        Lowering::Mild => {
            note(s.denial, F::Denial);
            note(s.joke, F::Joke);
            note(s.harmless, F::HarmlessUse);
            note(s.service_question, F::ServiceQuestion);
        }
    }
    (!reasons.is_empty()).then_some(reasons)
}

/// The rule's words and the factors it combined that the analyst can see.
fn explain(rule: &Rule, s: &Signals, present: &[FactorKind]) -> String {
    let mut combined: Vec<FactorKind> = rule.combines.iter().copied().filter(|k| present.contains(k)).collect();
    combined.dedup();
    let mut text = rule.text.to_owned();
    if !combined.is_empty() {
        text.push_str(" — combines ");
        text.push_str(&labels(&combined));
    }
    if s.target_from_fields && rule.combines.contains(&F::SpecificTarget) {
        text.push_str("; the target is the person or site named in the tip's fields");
    }
    text
}

fn labels(kinds: &[FactorKind]) -> String {
    kinds.iter().map(|k| k.label().to_lowercase()).collect::<Vec<_>>().join(", ")
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
        let d = decide(&nothing, Category::PlannedAttack, &[]);
        assert_eq!((d.tier, d.rule.as_str()), (Tier::Urgent, "category_floor:planned_attack"));
        let armed = Signals { intent: true, weapon: true, ..Signals::default() };
        assert_eq!(decide(&armed, Category::Other, &[]).tier, Tier::LifeSafety);
    }

    #[test]
    fn jokes_never_lower_life_safety_but_denial_does_once() {
        let joke = Signals { intent: true, intent_lethal: true, weapon: true, joke: true, ..Signals::default() };
        assert_eq!(decide(&joke, Category::Other, &[]).tier, Tier::LifeSafety);
        let denied = Signals { denial: true, ..joke };
        let d = decide(&denied, Category::Other, &[F::Denial]);
        assert_eq!((d.tier, d.rule.as_str()), (Tier::Urgent, "lowered:intent+weapon"));
        let stated = Signals { stated_intent: true, ..denied };
        assert_eq!(decide(&stated, Category::Other, &[]).tier, Tier::LifeSafety);
    }

    #[test]
    fn a_joke_lowers_a_threat_and_explains_the_floor_away() {
        let joke = Signals { intent: true, joke: true, ..Signals::default() };
        assert_eq!(decide(&joke, Category::Other, &[]).tier, Tier::Standard);
        let idiom = Signals { harmless: true, ..Signals::default() };
        assert_eq!(decide(&idiom, Category::Threat, &[]).tier, Tier::Informational);
        assert_eq!(decide(&idiom, Category::Weapon, &[]).tier, Tier::Standard);
    }

    #[test]
    fn explanation_names_the_factors_combined() {
        let armed = Signals { intent: true, weapon: true, ..Signals::default() };
        let d = decide(&armed, Category::Other, &[F::IntentToHarm, F::Weapon]);
        assert!(d.text.ends_with("combines intent to harm, weapon"), "{}", d.text);
    }
}
