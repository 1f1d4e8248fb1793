//! Urgency: tiers, the factors that set them, and the text evidence for each factor.

/// How fast a human must look at a tip. Ordered from most to least urgent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tier {
    LifeSafety,
    Urgent,
    Standard,
    Informational,
}

impl Tier {
    pub const ALL: [Tier; 4] = [Tier::LifeSafety, Tier::Urgent, Tier::Standard, Tier::Informational];

    /// Stable code, used in storage and the API.
    pub fn code(self) -> &'static str {
        match self {
            Tier::LifeSafety => "life_safety",
            Tier::Urgent => "urgent",
            Tier::Standard => "standard",
            Tier::Informational => "informational",
        }
    }

    pub fn parse(code: &str) -> Option<Tier> {
        Tier::ALL.into_iter().find(|t| t.code() == code)
    }

    /// 0 for the most urgent; sorts queues.
    pub fn rank(self) -> i64 {
        self as i64
    }

    /// Plain words for people.
    pub fn label(self) -> &'static str {
        match self {
            Tier::LifeSafety => "Life safety",
            Tier::Urgent => "Urgent",
            Tier::Standard => "Standard",
            Tier::Informational => "Informational",
        }
    }
}

/// A kind of concern found in a tip.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FactorKind {
    /// Stated or implied intent to harm other people.
    IntentToHarm,
    /// A weapon is mentioned, or access to one.
    Weapon,
    /// A specific target: a named person or a registered site.
    SpecificTarget,
    /// A time frame: today, tomorrow, a weekday, a date.
    TimeFrame,
    /// Planning or preparation: lists, maps, buying, practising.
    Planning,
    /// Leakage: intent posted online or told to others.
    Leakage,
    /// Self-harm or suicide.
    SelfHarm,
    /// Abuse of a child.
    ChildAbuse,
    /// Indicators of human trafficking.
    Trafficking,
}

impl FactorKind {
    pub const ALL: [FactorKind; 9] = [
        FactorKind::IntentToHarm,
        FactorKind::Weapon,
        FactorKind::SpecificTarget,
        FactorKind::TimeFrame,
        FactorKind::Planning,
        FactorKind::Leakage,
        FactorKind::SelfHarm,
        FactorKind::ChildAbuse,
        FactorKind::Trafficking,
    ];

    pub fn code(self) -> &'static str {
        match self {
            FactorKind::IntentToHarm => "intent_to_harm",
            FactorKind::Weapon => "weapon",
            FactorKind::SpecificTarget => "specific_target",
            FactorKind::TimeFrame => "time_frame",
            FactorKind::Planning => "planning",
            FactorKind::Leakage => "leakage",
            FactorKind::SelfHarm => "self_harm",
            FactorKind::ChildAbuse => "child_abuse",
            FactorKind::Trafficking => "trafficking",
        }
    }

    pub fn parse(code: &str) -> Option<FactorKind> {
        FactorKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The factor in words.
    pub fn label(self) -> &'static str {
        match self {
            FactorKind::IntentToHarm => "Intent to harm",
            FactorKind::Weapon => "Weapon",
            FactorKind::SpecificTarget => "A specific target",
            FactorKind::TimeFrame => "A time frame",
            FactorKind::Planning => "Planning",
            FactorKind::Leakage => "Leakage (told others)",
            FactorKind::SelfHarm => "Self-harm",
            FactorKind::ChildAbuse => "Child abuse",
            FactorKind::Trafficking => "Trafficking",
        }
    }

    /// Threat factors: a tip carrying any of these may not be closed as "no action" or
    /// "no lead value" by one person alone.
    pub fn is_threat(self) -> bool {
        !matches!(self, FactorKind::TimeFrame)
    }
}

/// A piece of the narrative that matched, as byte offsets into the narrative.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// One factor with the evidence that supports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Factor {
    pub kind: FactorKind,
    pub evidence: Vec<Span>,
}

/// The outcome of triage: a tier, the rule that set it, and the factors with evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    pub tier: Tier,
    /// Stable identifier of the rule that set the tier, e.g. `intent+weapon`.
    pub rule: String,
    /// The rule in words an analyst reads.
    pub rule_text: String,
    pub factors: Vec<Factor>,
}

impl Assessment {
    pub fn has(&self, kind: FactorKind) -> bool {
        self.factors.iter().any(|f| f.kind == kind)
    }

    pub fn has_threat_factor(&self) -> bool {
        self.factors.iter().any(|f| f.kind.is_threat())
    }
}
