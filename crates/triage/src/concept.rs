//! Concepts: the fine-grained cues a lexicon phrase can stand for, and small sets of them.

/// One kind of cue. Several concepts feed one domain factor (e.g. harm verbs and volition
/// combine into intent); some only steer rules (jokes, benign uses, denials).
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
    /// Bringing something ("bring", "bringing", "traer"): with a weapon after it, a plan.
    Bring,
    Weapon,
    /// A place that can be a target (a school, a church, the cafeteria).
    TargetPlace,
    /// Where a weapon is carried (a backpack, a locker, a waistband): a place, not a target.
    Carried,
    TargetPerson,
    Time,
    /// A time close at hand (today, tonight, after lunch), also a [`Concept::Time`].
    TimeImminent,
    /// A time to come (tomorrow, next week, mañana).
    TimeFuture,
    /// A moment of the day that usually says when something was said or seen ("at lunch",
    /// "en el recreo"): a time frame shown, but not the time of a threat.
    Moment,
    Planning,
    /// A list of people to harm (a hit list); planning and a target at once.
    TargetList,
    Leakage,
    SelfHarm,
    /// A means of suicide (pills, rope, a bridge).
    ShMethod,
    /// A cue that self-harm is close or already done ("tonight", "said goodbye", "already took").
    ShImminent,
    ChildAbuse,
    /// The person is a child ("15 year old", "a girl at our school", "menor").
    Minor,
    /// An adult, much older (with a minor, a trafficking indicator).
    Adult,
    /// Intimate images: sextortion or abuse with a minor, online harm without.
    IntimateImages,
    /// Theft or vandalism.
    Property,
    /// Danger to a person now ("locked in", "is bleeding", "can't get out").
    DangerNow,
    /// Presence and imminence: right now, here, on the way, people hiding or running, shots heard.
    Presence,
    /// An attack under way: shots heard, people hiding, doors locked ("heard pops", "escondidos").
    Attack,
    /// Commotion that confirms an attack but means little alone ("screaming", "corriendo").
    Commotion,
    /// Violence in progress ("is beating her", "la está golpeando").
    ViolenceNow,
    /// A medical emergency now ("not breathing", "unconscious").
    MedicalNow,
    /// A strong trafficking indicator.
    Trafficking,
    /// A weak trafficking indicator: two are needed, or one about a minor.
    TraffickingWeak,
    /// Joke, meme, game, play or lyrics framing.
    Joke,
    /// The tipster says it was not a joke; cancels joke framing.
    Serious,
    /// A harmless use that hides any cue inside it ("nerf gun", "killed it", "last friday").
    Benign,
    /// A video game, where "kill" is play when nothing real is named.
    Game,
    /// The tipster says the words were a figure of speech ("just an expression").
    Idiom,
    /// The tipster denies the danger ("he would never hurt anyone", "not serious").
    Denial,
    /// Rumour or hearsay ("a rumor that", "people are saying", "dicen que").
    Rumor,
    /// A question about the service itself ("is this anonymous").
    ServiceQuestion,
    /// Telling others to harm themselves ("kys"): harassment, not the author's self-harm.
    Harassment,
    Bullying,
    Drugs,
    Online,
    /// Warning behaviours short of a threat (fixation on shooters, withdrawal).
    WarningSigns,
}

impl Concept {
    /// Every concept, in declaration order (index = discriminant).
    pub const ALL: [Concept; 46] = [
        Concept::IntentLethal,
        Concept::IntentAssault,
        Concept::HarmLethal,
        Concept::HarmAssault,
        Concept::Volition,
        Concept::Bring,
        Concept::Weapon,
        Concept::TargetPlace,
        Concept::Carried,
        Concept::TargetPerson,
        Concept::Time,
        Concept::TimeImminent,
        Concept::TimeFuture,
        Concept::Moment,
        Concept::Planning,
        Concept::TargetList,
        Concept::Leakage,
        Concept::SelfHarm,
        Concept::ShMethod,
        Concept::ShImminent,
        Concept::ChildAbuse,
        Concept::Minor,
        Concept::Adult,
        Concept::IntimateImages,
        Concept::Property,
        Concept::DangerNow,
        Concept::Presence,
        Concept::Attack,
        Concept::Commotion,
        Concept::ViolenceNow,
        Concept::MedicalNow,
        Concept::Trafficking,
        Concept::TraffickingWeak,
        Concept::Joke,
        Concept::Serious,
        Concept::Benign,
        Concept::Game,
        Concept::Idiom,
        Concept::Denial,
        Concept::Rumor,
        Concept::ServiceQuestion,
        Concept::Harassment,
        Concept::Bullying,
        Concept::Drugs,
        Concept::Online,
        Concept::WarningSigns,
    ];

    /// Concepts that hide every other cue lying inside their match.
    pub const SUPPRESSORS: ConceptSet = ConceptSet::of(&[
        Concept::Benign,
        Concept::Harassment,
        Concept::SelfHarm,
        Concept::Serious,
        Concept::WarningSigns,
        Concept::Denial,
        Concept::ServiceQuestion,
    ]);

    /// Concepts a nearby negator cancels ("no weapon", "never hurt").
    pub const NEGATABLE: ConceptSet = ConceptSet::of(&[
        Concept::IntentLethal,
        Concept::IntentAssault,
        Concept::Weapon,
        Concept::Planning,
        Concept::TargetList,
        Concept::Leakage,
        Concept::SelfHarm,
        Concept::ChildAbuse,
        Concept::Trafficking,
        Concept::TraffickingWeak,
        Concept::Presence,
        Concept::Attack,
        Concept::Commotion,
        Concept::ViolenceNow,
        Concept::Joke,
        Concept::Bullying,
        Concept::Drugs,
        Concept::Online,
        Concept::WarningSigns,
        Concept::IntimateImages,
        Concept::Property,
    ]);

    /// Words that can read as harm inside a figure of speech ("killed it", "bombed the test").
    pub const HARM_WORDS: ConceptSet =
        ConceptSet::of(&[Concept::HarmLethal, Concept::HarmAssault, Concept::Weapon, Concept::IntentLethal]);

    /// Concerns a negator cancelling is worth showing as a denial ("doesn't have a gun").
    pub const CONCERNS: ConceptSet = ConceptSet::of(&[
        Concept::IntentLethal,
        Concept::IntentAssault,
        Concept::HarmLethal,
        Concept::HarmAssault,
        Concept::Weapon,
        Concept::TargetList,
        Concept::SelfHarm,
        Concept::ChildAbuse,
        Concept::Trafficking,
        Concept::ViolenceNow,
        Concept::Drugs,
    ]);
}

/// A set of concepts as a bit mask.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ConceptSet(u64);

impl ConceptSet {
    pub const fn of(items: &[Concept]) -> ConceptSet {
        let mut bits = 0u64;
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

    /// The concepts in the set, lowest first.
    pub fn iter(self) -> impl Iterator<Item = Concept> {
        let mut bits = self.0;
        std::iter::from_fn(move || {
            if bits == 0 {
                return None;
            }
            let i = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            Concept::ALL.get(i).copied()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_is_in_declaration_order_and_sets_iterate_their_members() {
        for (i, c) in Concept::ALL.iter().enumerate() {
            assert_eq!(*c as usize, i);
        }
        let set = ConceptSet::of(&[Concept::Weapon, Concept::IntentLethal, Concept::WarningSigns]);
        let members: Vec<Concept> = set.iter().collect();
        assert_eq!(members, [Concept::IntentLethal, Concept::Weapon, Concept::WarningSigns]);
    }
}
