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

/// A kind of concern found in a tip, or a reason the tip reads as less urgent than its words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FactorKind {
    /// Stated or implied intent to harm other people.
    IntentToHarm,
    /// A weapon is mentioned, or access to one.
    Weapon,
    /// A specific target: a named person or a place.
    SpecificTarget,
    /// A time frame: today, tomorrow, a weekday, a date, a time of day.
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
    /// Happening now or about to: right now, on the way, people hiding, shots heard.
    Imminence,
    /// Violence in progress: someone is being beaten, stabbed, choked or shot.
    ViolenceNow,
    /// A medical emergency now: not breathing, unconscious, overdosing.
    MedicalEmergency,
    /// Warning behaviour short of a threat: fixation on attackers, violent drawings.
    WarningSigns,
    /// Telling someone to harm or kill themselves.
    Harassment,
    Bullying,
    /// Drugs, vaping or alcohol.
    Drugs,
    /// Online harm: hacking, impersonation, leaked images.
    OnlineHarm,
    /// Theft or vandalism.
    PropertyCrime,
    /// Lowers: the tipster denies the danger ("he would never hurt anyone").
    Denial,
    /// Lowers: reported as rumour or hearsay ("a rumor that").
    Hearsay,
    /// Lowers: framed as a joke, a game, play or lyrics.
    Joke,
    /// Lowers: a figure of speech or a harmless use of a word of concern ("killed it", "nerf gun").
    HarmlessUse,
    /// Lowers: a question about the service itself ("is this anonymous?").
    ServiceQuestion,
}

impl FactorKind {
    pub const ALL: [FactorKind; 23] = [
        FactorKind::IntentToHarm,
        FactorKind::Weapon,
        FactorKind::SpecificTarget,
        FactorKind::TimeFrame,
        FactorKind::Planning,
        FactorKind::Leakage,
        FactorKind::SelfHarm,
        FactorKind::ChildAbuse,
        FactorKind::Trafficking,
        FactorKind::Imminence,
        FactorKind::ViolenceNow,
        FactorKind::MedicalEmergency,
        FactorKind::WarningSigns,
        FactorKind::Harassment,
        FactorKind::Bullying,
        FactorKind::Drugs,
        FactorKind::OnlineHarm,
        FactorKind::PropertyCrime,
        FactorKind::Denial,
        FactorKind::Hearsay,
        FactorKind::Joke,
        FactorKind::HarmlessUse,
        FactorKind::ServiceQuestion,
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
            FactorKind::Imminence => "imminence",
            FactorKind::ViolenceNow => "violence_now",
            FactorKind::MedicalEmergency => "medical_emergency",
            FactorKind::WarningSigns => "warning_signs",
            FactorKind::Harassment => "harassment",
            FactorKind::Bullying => "bullying",
            FactorKind::Drugs => "drugs",
            FactorKind::OnlineHarm => "online_harm",
            FactorKind::PropertyCrime => "property_crime",
            FactorKind::Denial => "denial",
            FactorKind::Hearsay => "hearsay",
            FactorKind::Joke => "joke",
            FactorKind::HarmlessUse => "harmless_use",
            FactorKind::ServiceQuestion => "service_question",
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
            FactorKind::Imminence => "Happening now or about to",
            FactorKind::ViolenceNow => "Violence in progress",
            FactorKind::MedicalEmergency => "Medical emergency now",
            FactorKind::WarningSigns => "Warning signs",
            FactorKind::Harassment => "Telling someone to harm themselves",
            FactorKind::Bullying => "Bullying",
            FactorKind::Drugs => "Drugs or alcohol",
            FactorKind::OnlineHarm => "Online harm",
            FactorKind::PropertyCrime => "Theft or vandalism",
            FactorKind::Denial => "Lowered: denied by the tipster",
            FactorKind::Hearsay => "Lowered: reported as rumour",
            FactorKind::Joke => "Lowered: framed as a joke or game",
            FactorKind::HarmlessUse => "Lowered: a figure of speech or harmless use",
            FactorKind::ServiceQuestion => "Lowered: a question about the service",
        }
    }

    /// A reason the tip reads as less urgent than its words, shown beside the concerns.
    pub fn lowers(self) -> bool {
        matches!(
            self,
            FactorKind::Denial
                | FactorKind::Hearsay
                | FactorKind::Joke
                | FactorKind::HarmlessUse
                | FactorKind::ServiceQuestion
        )
    }

    /// Threat factors: a tip carrying any of these may not be closed as "no action" or
    /// "no lead value" by one person alone. Lowering factors, time frames and everyday concerns
    /// (bullying, drugs, online harm) are not threats by themselves.
    pub fn is_threat(self) -> bool {
        !self.lowers()
            && !matches!(
                self,
                FactorKind::TimeFrame
                    | FactorKind::Bullying
                    | FactorKind::Drugs
                    | FactorKind::OnlineHarm
                    | FactorKind::PropertyCrime
            )
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn factor_codes_round_trip_and_lowering_is_never_a_threat() {
        for kind in FactorKind::ALL {
            assert_eq!(FactorKind::parse(kind.code()), Some(kind));
            assert!(!(kind.lowers() && kind.is_threat()), "{kind:?}");
            assert!(!kind.label().is_empty());
        }
        assert!(FactorKind::Weapon.is_threat() && FactorKind::Imminence.is_threat());
        assert!(!FactorKind::Bullying.is_threat() && FactorKind::Hearsay.lowers());
    }
}
