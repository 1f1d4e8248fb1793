//! Concepts: the fine-grained cues a lexicon phrase can stand for, and small sets of them.

/// One kind of cue. Several concepts feed one domain factor (e.g. harm verbs and volition
/// combine into intent); some only steer rules (jokes, benign uses, bullying).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Concept {
    /// A threat phrase that is intent to kill or seriously injure by itself ("shoot up").
    IntentLethal,
    /// A threat phrase of lesser violence ("threatened", "beat him up").
    IntentAssault,
    /// A lethal verb that becomes intent after a volition cue ("going to" … "shoot").
    HarmLethal,
    /// An assault verb that becomes intent after a volition cue ("gonna" … "hurt").
    HarmAssault,
    /// A cue of will or future ("going to", "wants to", "voy a").
    Volition,
    Weapon,
    TargetPlace,
    TargetPerson,
    Time,
    Planning,
    Leakage,
    SelfHarm,
    /// A means of suicide (pills, rope, a bridge).
    ShMethod,
    /// A cue that self-harm is close ("tonight", "said goodbye").
    ShImminent,
    ChildAbuse,
    /// A cue of danger happening now ("right now", "locked in").
    DangerNow,
    /// A strong trafficking indicator.
    Trafficking,
    /// A weak trafficking indicator; two are needed.
    TraffickingWeak,
    /// Joke, meme, game or lyrics framing.
    Joke,
    /// The tipster says it was not a joke; cancels joke framing.
    Serious,
    /// A harmless use that hides any cue inside it ("nerf gun", "killed it", "last friday").
    Benign,
    /// Telling others to harm themselves ("kys"): harassment, not the author's self-harm.
    Harassment,
    Bullying,
    Drugs,
    Online,
    /// Warning behaviours short of a threat (fixation on shooters, withdrawal).
    WarningSigns,
}

impl Concept {
    /// Concepts that hide every other cue lying inside their match.
    pub const SUPPRESSORS: ConceptSet = ConceptSet::of(&[
        Concept::Benign,
        Concept::Harassment,
        Concept::SelfHarm,
        Concept::Serious,
        Concept::WarningSigns,
    ]);

    /// Concepts a nearby negator cancels ("no weapon", "never hurt").
    pub const NEGATABLE: ConceptSet = ConceptSet::of(&[
        Concept::IntentLethal,
        Concept::IntentAssault,
        Concept::Weapon,
        Concept::Planning,
        Concept::Leakage,
        Concept::SelfHarm,
        Concept::ChildAbuse,
        Concept::Trafficking,
        Concept::TraffickingWeak,
        Concept::Joke,
        Concept::Bullying,
        Concept::Drugs,
        Concept::Online,
        Concept::WarningSigns,
    ]);
}

/// A set of concepts as a bit mask.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ConceptSet(u32);

impl ConceptSet {
    pub const fn of(items: &[Concept]) -> ConceptSet {
        let mut bits = 0u32;
        let mut i = 0;
        while i < items.len() {
            bits |= 1 << items[i] as u8;
            i += 1;
        }
        ConceptSet(bits)
    }

    pub fn insert(&mut self, c: Concept) {
        self.0 |= 1 << c as u8;
    }

    pub fn has(self, c: Concept) -> bool {
        self.0 & (1 << c as u8) != 0
    }

    pub fn union(self, other: ConceptSet) -> ConceptSet {
        ConceptSet(self.0 | other.0)
    }

    pub fn minus(self, other: ConceptSet) -> ConceptSet {
        ConceptSet(self.0 & !other.0)
    }

    pub fn intersects(self, other: ConceptSet) -> bool {
        self.0 & other.0 != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}
