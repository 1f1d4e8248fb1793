//! Evidence spans, negation and both languages, through the public interface.

use domain::tip::{Category, Language};
use domain::urgency::{Assessment, FactorKind, Tier};
use triage::{TriageInput, assess, detect_language};

fn run(text: &str) -> Assessment {
    assess(&TriageInput::narrative(text))
}

fn evidence(a: &Assessment, kind: FactorKind) -> Vec<&str> {
    a.factors.iter().filter(|f| f.kind == kind).flat_map(|f| f.evidence.iter().map(|s| s.text.as_str())).collect()
}

fn assert_spans_slice(text: &str, a: &Assessment) {
    for f in &a.factors {
        for s in &f.evidence {
            assert_eq!(text.get(s.start..s.end), Some(s.text.as_str()), "{:?} in {text:?}", f.kind);
        }
    }
}

#[test]
fn spans_slice_the_original_with_accents_and_case() {
    let text = "Él dijo que MAÑANA va a matar a Carlos en la CAFETERÍA con la pistola de su papá.";
    let a = run(text);
    assert_spans_slice(text, &a);
    assert_eq!(a.tier, Tier::LifeSafety);
    assert_eq!(evidence(&a, FactorKind::TimeFrame), ["MAÑANA"]);
    assert_eq!(evidence(&a, FactorKind::IntentToHarm), ["va a matar"]);
    assert_eq!(evidence(&a, FactorKind::Weapon), ["la pistola de su papá"]);
    assert_eq!(evidence(&a, FactorKind::SpecificTarget), ["Carlos", "la CAFETERÍA"]);
}

#[test]
fn spans_survive_curly_apostrophes_and_emoji() {
    let text = "😡 he’s gonna SHOOT UP the skool tmrw 🔫 don’t tell";
    let a = run(text);
    assert_spans_slice(text, &a);
    assert_eq!(evidence(&a, FactorKind::IntentToHarm), ["gonna SHOOT UP the skool"]);
    assert_eq!(evidence(&a, FactorKind::TimeFrame), ["tmrw"]);
}

#[test]
fn dates_are_time_frames() {
    let a = run("He said he will kill them on 3/14 at the assembly");
    assert_eq!(evidence(&a, FactorKind::TimeFrame), ["3/14"]);
    assert_eq!(a.rule, "intent+time");
    let a = run("dijo que los va a matar el 3 de marzo");
    assert_eq!(evidence(&a, FactorKind::TimeFrame), ["3 de marzo"]);
}

#[test]
fn negation_cancels_intent_weapon_and_self_harm() {
    for text in [
        "he said he would never hurt anyone",
        "there was no weapon, he doesn't have a gun",
        "nunca haría daño a nadie",
        "he's not going to kill himself, he promised",
        "no tiene armas y jamás lastimaría a nadie",
        "she isn't suicidal",
    ] {
        let a = run(text);
        let kinds: Vec<FactorKind> = a.factors.iter().map(|f| f.kind).collect();
        // What was negated is shown as a denial with its words, never silently dropped.
        assert_eq!(kinds, [FactorKind::Denial], "{text:?} gave {:?}", a.factors);
        assert!(a.factors.iter().all(|f| !f.evidence.is_empty()));
        assert_eq!(a.tier, Tier::Informational, "{text:?}");
    }
}

#[test]
fn negation_stays_in_its_clause() {
    let a = run("I don't know him well, but he said he is going to shoot people");
    assert!(a.has(FactorKind::IntentToHarm));
    let a = run("No sé, pero dijo que va a matar a todos");
    assert!(a.has(FactorKind::IntentToHarm));
}

#[test]
fn harassment_is_not_self_harm() {
    let a = run("they keep telling her to kys and to go kill herself");
    assert!(!a.has(FactorKind::SelfHarm));
    assert_eq!(a.rule, "harassment");
    let a = run("le dicen que se mate");
    assert!(!a.has(FactorKind::SelfHarm));
}

#[test]
fn self_harm_slang_in_both_languages() {
    for text in [
        "my friend keeps saying kms",
        "he wants to unalive himself",
        "dice que se quiere morir",
        "quiere quitarse la vida",
    ] {
        assert!(run(text).has(FactorKind::SelfHarm), "{text:?}");
    }
}

#[test]
fn weapon_slang_in_both_languages() {
    for text in ["he's strapped", "he got a glizzy", "said he would bring a piece", "trae un cuete", "tiene una fusca"]
    {
        assert!(run(text).has(FactorKind::Weapon), "{text:?}");
    }
}

#[test]
fn benign_uses_are_not_threats() {
    for text in ["we are going to kill it at the game friday", "bring a nerf gun to the party", "he shot a video"] {
        let a = run(text);
        assert!(!a.has(FactorKind::IntentToHarm) && !a.has(FactorKind::Weapon), "{text:?}: {:?}", a.factors);
    }
}

#[test]
fn jokes_never_lower_life_safety_and_lower_threats_with_their_words() {
    let a = run("it was a meme: gonna shoot up the school tomorrow with my glock");
    assert_eq!(a.tier, Tier::LifeSafety);
    assert_eq!(evidence(&a, FactorKind::Joke), ["meme"]);
    let a = run("Noah said he is gonna beat up Sam lol, we were joking around");
    assert_eq!((a.tier, a.rule.as_str()), (Tier::Standard, "lowered:intent+target"));
    assert_eq!(evidence(&a, FactorKind::Joke), ["lol", "joking around"]);
    assert!(a.rule_text.contains("Lowered one tier"), "{}", a.rule_text);
}

#[test]
fn only_the_tipsters_denial_lowers_life_safety_and_only_once() {
    let a = run("He would never hurt anyone, but there is a rumor that he has a hit list");
    assert_eq!(a.tier, Tier::Urgent, "{}: {:?}", a.rule, a.factors);
    assert_eq!(evidence(&a, FactorKind::Hearsay), ["rumor"]);
    assert_eq!(evidence(&a, FactorKind::Denial), ["would never hurt anyone"]);
    let a = run("there's a rumor that there will be a shooting at Westview on Friday");
    assert_eq!(a.tier, Tier::LifeSafety);
}

#[test]
fn danger_now_is_life_safety() {
    for text in [
        "a man is walking down the hallway with a rifle and students are hiding in the classrooms",
        "he's beating his wife right now and has a knife in his hand",
        "he has a gun in his backpack right now and said he is going to use it after lunch",
        "bomb threat for 10 a.m. today, they sent a photo of the device",
        "Tuesday in Mr. Ruiz's room he will bring his dad's two guns",
        "un hombre con un rifle en el pasillo y los alumnos están escondidos",
        "la está golpeando ahorita con un cuchillo en la mano",
        "dice que va a traer las pistolas de su papá el viernes al salón de la maestra Ruiz",
    ] {
        let a = run(text);
        assert_eq!(a.tier, Tier::LifeSafety, "{text:?}: {} {:?}", a.rule, a.factors);
    }
}

#[test]
fn idioms_are_harmless_uses_with_their_words() {
    for text in [
        "this test is going to kill us lol",
        "shoot for the stars!",
        "this sale will kill it",
        "este examen nos va a matar jaja",
    ] {
        let a = run(text);
        assert_eq!(a.tier, Tier::Informational, "{text:?}: {} {:?}", a.rule, a.factors);
        assert!(a.has(FactorKind::HarmlessUse), "{text:?}: {:?}", a.factors);
    }
}

#[test]
fn spanish_intent_and_teasing() {
    let a = run("compró una pistola para matar a su padrastro");
    assert!(a.has(FactorKind::IntentToHarm), "{:?}", a.factors);
    let a = run("a mi hijo lo molestan en el recreo");
    assert!(!a.has(FactorKind::ChildAbuse) && a.has(FactorKind::Bullying), "{:?}", a.factors);
}

#[test]
fn every_factor_has_evidence_and_rules_name_what_they_combine() {
    let a = run("he is bringing a knife Friday to stab Jayden");
    assert!(a.factors.iter().all(|f| !f.evidence.is_empty()), "{:?}", a.factors);
    assert_eq!(evidence(&a, FactorKind::SpecificTarget), ["Jayden"]);
    assert!(a.rule_text.contains("combines intent to harm, weapon"), "{}", a.rule_text);
    let a = run("she has been cutting and doesn't want to be alive anymore");
    assert!(a.has(FactorKind::SelfHarm), "{:?}", a.factors);
}

#[test]
fn flags_give_a_target_without_an_empty_factor() {
    let a = assess(&TriageInput {
        category: Category::Threat,
        narrative: "he has a knife",
        language: Some(Language::En),
        named_subject: false,
        registered_site: true,
    });
    assert!(!a.has(FactorKind::SpecificTarget));
    assert_eq!(a.rule, "weapon_at_place");
    assert!(a.rule_text.contains("named in the tip's fields"), "{}", a.rule_text);
}

#[test]
fn context_alone_is_not_a_factor() {
    let a = run("see you at school tomorrow, I posted the schedule on instagram");
    assert!(a.factors.is_empty());
    assert_eq!(a.rule, "no_factors");
}

#[test]
fn language_detection() {
    assert_eq!(detect_language("he is going to the school with his friends"), Language::En);
    assert_eq!(detect_language("él va a la escuela con sus amigos"), Language::Es);
}
