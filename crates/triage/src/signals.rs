//! Signals: from lexicon hits to the domain factors with their evidence, and the facts rules read.
//!
//! Primary factors (intent, weapon, self-harm, child abuse, trafficking, violence or a medical
//! emergency now) stand alone. Context factors (target, time frame, planning, leakage,
//! imminence) are reported only beside a primary factor they qualify: "the school" or "tomorrow"
//! alone is not a concern. Lowering factors (denial, rumour, joke, harmless use, a question
//! about the service) are reported whenever found, each with the words that lowered it.
//!
//! A factor is only reported with evidence in the narrative. A target known only from the
//! tip's fields (a named subject, a registered site) still counts for the rules, and the rule
//! text says so.

use domain::urgency::{Factor, FactorKind, Span};

use crate::concept::Concept;
use crate::dates::find_dates;
use crate::lexicon::{Lexicon, Words};
use crate::scan::{Doc, Hit};

/// Words between a volition cue and a harm verb ("going to [really] kill").
const VOLITION_GAP: usize = 4;
/// Words between "bring" and the weapon brought ("bring [his dad's two] guns").
const BRING_GAP: usize = 5;
/// Words after a threat looked at for a capitalised name ("kill [Marcus]", "matar a [Carlos]").
const NAME_WINDOW: usize = 3;
/// Words looked back over, before a volition cue, for a thing as its subject.
const IDIOM_WINDOW: usize = 8;
/// Words that end the look-back for a thing: a person, or the start of what someone said.
const STOPS: [&str; 30] = [
    "i", "im", "he", "hes", "she", "shes", "they", "we", "you", "u", "him", "them", "yo", "el", "ella", "ellos",
    "ellas", "nosotros", "tu", "who", "there", "said", "says", "told", "que", "q", "dijo", "dice", "porque", "because",
];
/// Words looked back over, before a purpose word, for what makes it harmless ("how to shoot").
const PURPOSE_BLOCK_WINDOW: usize = 2;

/// What the rules read.
#[derive(Debug, Clone, Copy, Default)]
pub struct Signals {
    pub intent: bool,
    pub intent_lethal: bool,
    /// Intent read from a person's own words about what they will do (a volition or purpose
    /// before a harm verb), not only a threat phrase ("hit list"): a denial does not undo it.
    pub stated_intent: bool,
    pub weapon: bool,
    pub target: bool,
    /// The target is known only from the tip's fields, not from its words.
    pub target_from_fields: bool,
    /// A place (a school, a backpack, the registered site) where the weapon is or goes.
    pub place: bool,
    pub time: bool,
    /// A time that can be a threat's time (not only when something was said), near the intent.
    pub when: bool,
    /// A time to come with a weapon (tomorrow, next week).
    pub future: bool,
    /// Present or imminent: right now, here, hiding, shots, today, tonight.
    pub imminent: bool,
    /// Present, in words other than a time of day (right now, here, on the way).
    pub present: bool,
    /// An attack under way: shots or hiding, with a second cue.
    pub attack_now: bool,
    pub planning: bool,
    /// Planning beyond obtaining the weapon itself (a list, a map, practice).
    pub preparation: bool,
    pub target_list: bool,
    pub leakage: bool,
    pub self_harm: bool,
    pub sh_means: bool,
    pub sh_imminent: bool,
    /// A time in the sentence of the self-harm words.
    pub sh_when: bool,
    pub child_abuse: bool,
    pub danger_now: bool,
    pub violence_now: bool,
    pub medical_now: bool,
    pub trafficking: bool,
    pub joke: bool,
    pub harassment: bool,
    pub bullying: bool,
    pub drugs: bool,
    pub online: bool,
    pub property: bool,
    pub warning_signs: bool,
    /// The tipster denies the danger in words ("he would never hurt anyone").
    pub denial: bool,
    pub rumor: bool,
    /// A figure of speech or harmless use hid a word of concern.
    pub harmless: bool,
    pub service_question: bool,
}

/// Structured-field facts from the tip beside the narrative.
#[derive(Debug, Clone, Copy)]
pub struct Flags {
    pub named_subject: bool,
    pub registered_site: bool,
    /// The tipster chose the self-harm category: a means or a goodbye then reads as self-harm.
    pub self_harm_category: bool,
}

type Ranges = Vec<(usize, usize)>;

/// Folded byte ranges per concept, from hits that were not negated.
struct Live {
    spans: Vec<Ranges>,
}

impl Live {
    fn of(&self, c: Concept) -> &[(usize, usize)] {
        &self.spans[c as usize]
    }
    fn any(&self, c: Concept) -> bool {
        !self.of(c).is_empty()
    }
}

/// Reads `doc` into signals and factors.
pub fn collect(doc: &Doc<'_>, lexicon: &Lexicon, words: &Words, flags: Flags) -> (Signals, Vec<Factor>) {
    let mut live = Live { spans: vec![Vec::new(); Concept::ALL.len()] };
    let mut denied: Ranges = Vec::new();
    let mut harmless: Ranges = Vec::new();
    for hit in &doc.hits {
        if hit.negated && hit.concepts.intersects(Concept::CONCERNS) {
            denied.push((doc.negator_start(hit.first_tok, words).unwrap_or(hit.start), hit.end));
        }
        if hit.hid_concern && hit.concepts.has(Concept::Benign) {
            harmless.push((hit.start, hit.end));
        }
        let concepts = if hit.negated { hit.concepts.minus(Concept::NEGATABLE) } else { hit.concepts };
        for c in concepts.iter() {
            live.spans[c as usize].push((hit.start, hit.end));
        }
    }
    let dates = find_dates(doc, &lexicon.months);
    live.spans[Concept::Time as usize].extend(dates.days);
    live.spans[Concept::Time as usize].extend_from_slice(&dates.clock);
    live.spans[Concept::TimeImminent as usize].extend(dates.clock);
    for c in [Concept::TimeImminent, Concept::TimeFuture, Concept::Moment] {
        let extra = live.of(c).to_vec();
        live.spans[Concept::Time as usize].extend(extra);
    }
    harmless.extend_from_slice(live.of(Concept::Idiom));

    let combos = intent_combos(doc, words, !live.any(Concept::TargetPlace) && !live.any(Concept::TargetPerson));
    denied.extend_from_slice(&combos.negated);
    harmless.extend_from_slice(&combos.idioms);
    let mut intent = combos.found.clone();
    // Threat phrases said inside a video game, with nothing real named, are play.
    let nothing_real = !live.any(Concept::TargetPlace) && !live.any(Concept::TargetPerson);
    let (played, real): (Ranges, Ranges) = live
        .of(Concept::IntentLethal)
        .iter()
        .partition(|&&(s, _)| nothing_real && in_game(doc, doc.tokens.partition_point(|t| t.end <= s)));
    live.spans[Concept::IntentLethal as usize] = real;
    harmless.extend(played);
    intent.extend_from_slice(live.of(Concept::IntentLethal));
    intent.extend_from_slice(live.of(Concept::IntentAssault));
    intent.extend_from_slice(live.of(Concept::TargetList));
    let mut after: Ranges = intent.clone();
    after.extend_from_slice(live.of(Concept::TargetPerson));
    let names = named_people(doc, &after);

    let serious = live.any(Concept::Serious);
    let (minors, adults) = ages(doc);
    live.spans[Concept::Minor as usize].extend(minors);
    live.spans[Concept::Adult as usize].extend(adults);
    let minor = live.any(Concept::Minor);
    let images = live.of(Concept::IntimateImages).to_vec();
    live.spans[if minor { Concept::ChildAbuse } else { Concept::Online } as usize].extend(images);
    if minor && live.any(Concept::Adult) {
        let adults = live.of(Concept::Adult).to_vec();
        live.spans[Concept::TraffickingWeak as usize].extend(adults);
    }
    let weak_trafficking = live.of(Concept::TraffickingWeak).len();
    let mut s = Signals {
        intent: !intent.is_empty(),
        intent_lethal: combos.lethal || live.any(Concept::IntentLethal) || live.any(Concept::TargetList),
        stated_intent: !combos.found.is_empty(),
        weapon: live.any(Concept::Weapon),
        self_harm: live.any(Concept::SelfHarm)
            || (flags.self_harm_category && (live.any(Concept::ShMethod) || live.any(Concept::ShImminent))),
        child_abuse: live.any(Concept::ChildAbuse),
        trafficking: live.any(Concept::Trafficking) || weak_trafficking >= 2,
        danger_now: live.any(Concept::DangerNow),
        violence_now: live.any(Concept::ViolenceNow),
        medical_now: live.any(Concept::MedicalNow),
        joke: live.any(Concept::Joke) && !serious,
        harassment: live.any(Concept::Harassment),
        bullying: live.any(Concept::Bullying),
        drugs: live.any(Concept::Drugs),
        online: live.any(Concept::Online),
        property: live.any(Concept::Property),
        warning_signs: live.any(Concept::WarningSigns),
        rumor: live.any(Concept::Rumor),
        service_question: live.any(Concept::ServiceQuestion),
        ..Signals::default()
    };
    let primary =
        s.intent || s.weapon || s.self_harm || s.child_abuse || s.trafficking || s.violence_now || s.medical_now;

    let mut factors = Vec::new();
    let mut add = |kind: FactorKind, parts: &[&[(usize, usize)]], present: bool| {
        let evidence = if present { spans(doc, parts) } else { Vec::new() };
        let shown = !evidence.is_empty();
        if shown {
            factors.push(Factor { kind, evidence });
        }
        shown
    };
    add(FactorKind::IntentToHarm, &[&intent], s.intent);
    add(FactorKind::Weapon, &[live.of(Concept::Weapon)], s.weapon);
    let target_text =
        [live.of(Concept::TargetPlace), live.of(Concept::TargetPerson), live.of(Concept::TargetList), &names];
    let aimed = s.intent || s.weapon || s.violence_now;
    let text_target = add(FactorKind::SpecificTarget, &target_text, aimed);
    let field_target = aimed && (flags.named_subject || flags.registered_site);
    s.target = text_target || field_target;
    s.target_from_fields = !text_target && field_target;
    s.place = s.weapon
        && (flags.registered_site
            || same_sentence(
                doc,
                live.of(Concept::Weapon),
                &[live.of(Concept::TargetPlace), live.of(Concept::Carried)],
            ));
    s.time = add(FactorKind::TimeFrame, &[live.of(Concept::Time)], primary);
    let attack = live.of(Concept::Attack).len();
    let cues = attack + live.of(Concept::Presence).len() + live.of(Concept::Commotion).len();
    s.attack_now = attack >= 1 && cues >= 2;
    let now_parts = [live.of(Concept::Presence), live.of(Concept::Attack), live.of(Concept::TimeImminent)];
    s.imminent = add(FactorKind::Imminence, &now_parts, primary || s.attack_now);
    if s.attack_now {
        add(FactorKind::Imminence, &[live.of(Concept::Commotion)], true);
    }
    s.present = s.imminent && (live.any(Concept::Presence) || attack > 0);
    let moments = live.of(Concept::Moment);
    let threat_times: Ranges = live.of(Concept::Time).iter().copied().filter(|r| !moments.contains(r)).collect();
    s.when = s.time && near(doc, &threat_times, &intent, 1);
    s.future = s.time && live.any(Concept::TimeFuture);
    s.violence_now = add(FactorKind::ViolenceNow, &[live.of(Concept::ViolenceNow)], s.violence_now);
    s.medical_now = add(FactorKind::MedicalEmergency, &[live.of(Concept::MedicalNow)], s.medical_now);
    let plan_parts = [live.of(Concept::Planning), live.of(Concept::TargetList)];
    s.planning = add(FactorKind::Planning, &plan_parts, primary);
    s.target_list = s.planning && live.any(Concept::TargetList);
    let weapons = live.of(Concept::Weapon);
    s.preparation = s.target_list
        || (s.planning
            && live.of(Concept::Planning).iter().any(|&(ps, pe)| !weapons.iter().any(|&(ws, we)| ps < we && ws < pe)));
    s.leakage = add(FactorKind::Leakage, &[live.of(Concept::Leakage)], s.intent || s.weapon || s.self_harm);
    let sh_parts = [live.of(Concept::SelfHarm), live.of(Concept::ShMethod), live.of(Concept::ShImminent)];
    add(FactorKind::SelfHarm, &sh_parts, s.self_harm);
    let abuse_parts = [live.of(Concept::ChildAbuse), live.of(Concept::DangerNow)];
    add(FactorKind::ChildAbuse, &abuse_parts, s.child_abuse);
    let traffic_parts = [
        live.of(Concept::Trafficking),
        live.of(Concept::TraffickingWeak),
        live.of(Concept::Minor),
        live.of(Concept::DangerNow),
    ];
    add(FactorKind::Trafficking, &traffic_parts, s.trafficking);
    add(FactorKind::WarningSigns, &[live.of(Concept::WarningSigns)], s.warning_signs);
    add(FactorKind::Harassment, &[live.of(Concept::Harassment)], s.harassment);
    add(FactorKind::Bullying, &[live.of(Concept::Bullying)], s.bullying);
    add(FactorKind::Drugs, &[live.of(Concept::Drugs)], s.drugs);
    add(FactorKind::OnlineHarm, &[live.of(Concept::Online)], s.online);
    add(FactorKind::PropertyCrime, &[live.of(Concept::Property)], s.property);

    let explicit_denial = live.of(Concept::Denial);
    let threat_denied = doc
        .hits
        .iter()
        .any(|h| h.negated && (h.concepts.has(Concept::IntentLethal) || h.concepts.has(Concept::IntentAssault)));
    s.denial = !explicit_denial.is_empty() || !combos.negated.is_empty() || threat_denied;
    add(FactorKind::Denial, &[explicit_denial, &denied], true);
    s.rumor = add(FactorKind::Hearsay, &[live.of(Concept::Rumor)], s.rumor);
    s.joke = add(FactorKind::Joke, &[live.of(Concept::Joke)], s.joke);
    s.harmless = add(FactorKind::HarmlessUse, &[&harmless], true);
    s.service_question = add(FactorKind::ServiceQuestion, &[live.of(Concept::ServiceQuestion)], s.service_question);

    // Lethal means only (pills, rope, a firearm, a height): a blade used for cutting is not one.
    s.sh_means = live.any(Concept::ShMethod);
    s.sh_imminent = live.any(Concept::ShImminent);
    s.sh_when = s.self_harm && near(doc, &threat_times, live.of(Concept::SelfHarm), 0);
    (s, factors)
}

/// Intent read from how words follow each other, with what was negated or idiomatic.
struct Combos {
    found: Ranges,
    lethal: bool,
    /// Negated intent ("would never hurt"): a denial.
    negated: Ranges,
    /// A thing, not a person, that "will kill" ("this test is going to kill us").
    idioms: Ranges,
}

/// Three shapes, each within one clause:
/// - a volition cue then a harm verb ("going to [really] kill");
/// - a volition cue (or a time frame) with "bring" then a weapon ("will bring his dad's guns");
/// - a purpose word then a harm verb ("a knife to stab", "para matar"), unless it is learning.
fn intent_combos(doc: &Doc<'_>, words: &Words, nothing_real_named: bool) -> Combos {
    let mut out = Combos { found: Vec::new(), lethal: false, negated: Vec::new(), idioms: Vec::new() };
    let verbs: Vec<&Hit> = doc
        .hits
        .iter()
        .filter(|h| h.concepts.has(Concept::HarmLethal) || h.concepts.has(Concept::HarmAssault))
        .collect();
    let clause_of = |tok: usize| doc.tokens.get(tok).map(|t| t.clause);
    for v in doc.hits.iter().filter(|h| h.concepts.has(Concept::Volition)) {
        let clause = clause_of(v.first_tok);
        let from = verbs.partition_point(|h| h.first_tok <= v.last_tok);
        for h in verbs[from..].iter().take_while(|h| h.first_tok <= v.last_tok + 1 + VOLITION_GAP) {
            if clause_of(h.first_tok) != clause {
                continue;
            }
            let span = (v.start, h.end);
            if doc.negated_before(v.first_tok, words) || doc.any_negator(v.last_tok + 1..h.first_tok, words) {
                out.negated.push((doc.negator_start(v.first_tok, words).unwrap_or(v.start), h.end));
            } else if let Some(subject) = idiom_subject(doc, v.first_tok, words) {
                out.idioms.push((subject, h.end));
            } else if nothing_real_named && in_game(doc, v.first_tok) {
                out.idioms.push(span);
            } else {
                out.found.push(span);
                out.lethal |= h.concepts.has(Concept::HarmLethal);
            }
        }
    }
    let weapons: Vec<&Hit> = doc.hits.iter().filter(|h| h.concepts.has(Concept::Weapon) && !h.negated).collect();
    let timed = doc.hits.iter().any(|h| h.concepts.has(Concept::Time) || h.concepts.has(Concept::TimeImminent));
    for b in doc.hits.iter().filter(|h| h.concepts.has(Concept::Bring) && !h.negated) {
        let clause = clause_of(b.first_tok);
        let willed = doc.hits.iter().any(|v| {
            v.concepts.has(Concept::Volition)
                && v.last_tok < b.first_tok
                && b.first_tok <= v.last_tok + 3
                && clause_of(v.first_tok) == clause
        });
        // "bringing a gun Friday" is a plan; "bring" with a time but no will is not.
        let word = doc.word(b.last_tok);
        let progressive = word.ends_with("ing") || word.ends_with("ndo");
        if !(willed || (timed && progressive)) {
            continue;
        }
        if let Some(w) = weapons.iter().find(|w| {
            w.first_tok > b.last_tok && w.first_tok <= b.last_tok + 1 + BRING_GAP && clause_of(w.first_tok) == clause
        }) {
            out.found.push((b.start, w.end));
            out.lethal = true;
        }
    }
    for h in &verbs {
        let Some(before) = h.first_tok.checked_sub(1) else {
            continue;
        };
        if !words.purpose.contains(doc.word(before)) || clause_of(before) != clause_of(h.first_tok) {
            continue;
        }
        let blocked = (before.saturating_sub(PURPOSE_BLOCK_WINDOW)..before)
            .any(|i| words.purpose_blockers.contains(doc.word(i)) || words.negators.contains(doc.word(i)));
        // A verb a volition already read (as intent, an idiom or a denial) is not read twice.
        let already = out.found.iter().chain(&out.idioms).chain(&out.negated).any(|&(s, e)| s <= h.start && h.end <= e);
        if !blocked && !already {
            out.found.push((doc.tokens[before].start, h.end));
            out.lethal |= h.concepts.has(Concept::HarmLethal);
        }
    }
    out
}

/// Is a video game named in the sentence of token `tok`?
fn in_game(doc: &Doc<'_>, tok: usize) -> bool {
    let sentence = doc.tokens.get(tok).map(|t| t.sentence);
    doc.hits
        .iter()
        .any(|h| h.concepts.has(Concept::Game) && doc.tokens.get(h.first_tok).map(|t| t.sentence) == sentence)
}

/// Ages written as numbers: 8–17 a minor, 20–90 an adult ("she's 14", "(15)", "de 14 años",
/// "like 35", "maybe 13").
fn ages(doc: &Doc<'_>) -> (Ranges, Ranges) {
    let (mut minors, mut adults) = (Vec::new(), Vec::new());
    for (i, token) in doc.tokens.iter().enumerate() {
        let Ok(age) = doc.word(i).parse::<u32>() else {
            continue;
        };
        let before = i.checked_sub(1).map_or("", |k| doc.word(k));
        let after = doc.word(i + 1);
        let text = doc.folded.text.as_str();
        let in_parens = text[..token.start].ends_with('(') && text[token.end..].starts_with(')');
        let ageish = matches!(
            before,
            "is" | "s" | "age" | "aged" | "tiene" | "maybe" | "about" | "like" | "around" | "only" | "como"
        ) && !matches!(
            after,
            "am" | "pm" | "minutes" | "min" | "hours" | "dollars" | "dolares" | "kids" | "people" | "times"
        );
        if !(in_parens || ageish || matches!(after, "years" | "year" | "yr" | "yrs" | "yo" | "anos" | "ano")) {
            continue;
        }
        if (8..=17).contains(&age) {
            minors.push((token.start, token.end));
        } else if (20..=90).contains(&age) {
            adults.push((token.start, token.end));
        }
    }
    (minors, adults)
}

/// Do any of `a` lie within `reach` sentences of any of `b`?
fn near(doc: &Doc<'_>, a: &[(usize, usize)], b: &[(usize, usize)], reach: u32) -> bool {
    let sentence = |at: usize| doc.tokens.get(doc.tokens.partition_point(|t| t.end <= at)).map_or(0, |t| t.sentence);
    a.iter().any(|&(s, _)| b.iter().any(|&(t, _)| sentence(s).abs_diff(sentence(t)) <= reach))
}

/// The start of a thing that cannot mean harm just before a volition cue, skipping auxiliaries
/// ("this [test] is going to kill us", "[esto] me va a matar").
fn idiom_subject(doc: &Doc<'_>, volition: usize, words: &Words) -> Option<usize> {
    let clause = doc.tokens.get(volition)?.clause;
    let mut i = volition;
    for _ in 0..IDIOM_WINDOW {
        i = i.checked_sub(1)?;
        let token = doc.tokens.get(i)?;
        if token.clause != clause {
            return None;
        }
        let word = doc.word(i);
        if words.idiom_subjects.contains(word) {
            return Some(token.start);
        }
        if STOPS.contains(&word) {
            return None;
        }
    }
    None
}

/// Do any of `a` and any of `b`'s ranges lie in one sentence?
fn same_sentence(doc: &Doc<'_>, a: &[(usize, usize)], b: &[&[(usize, usize)]]) -> bool {
    let sentence = |at: usize| doc.tokens.get(doc.tokens.partition_point(|t| t.end <= at)).map(|t| t.sentence);
    a.iter().any(|&(s, _)| {
        let here = sentence(s);
        b.iter().flat_map(|p| p.iter()).any(|&(t, _)| sentence(t) == here)
    })
}

/// Capitalised words just after a threat or a title ("Coach", "Mr."), not part of any lexicon
/// hit: likely a named person.
fn named_people(doc: &Doc<'_>, after: &[(usize, usize)]) -> Ranges {
    let mut covered = vec![false; doc.tokens.len()];
    for h in &doc.hits {
        for slot in covered.iter_mut().take(h.last_tok + 1).skip(h.first_tok) {
            *slot = true;
        }
    }
    let mut names = Vec::new();
    for &(_, end) in after {
        let last = doc.tokens.partition_point(|t| t.end < end);
        let Some(clause) = doc.tokens.get(last).map(|t| t.clause) else {
            continue;
        };
        let window = (last + 1)..(last + 1 + NAME_WINDOW).min(doc.tokens.len());
        for i in window {
            if doc.tokens[i].clause != clause {
                break;
            }
            let word = doc.original_word(i);
            let capitalised = word.chars().next().is_some_and(char::is_uppercase) && word.chars().count() > 1;
            if capitalised && !covered[i] {
                names.push((doc.tokens[i].start, doc.tokens[i].end));
                break;
            }
        }
    }
    names
}

/// Folded ranges to original spans: merged where they overlap, sorted.
fn spans(doc: &Doc<'_>, parts: &[&[(usize, usize)]]) -> Vec<Span> {
    let mut ranges: Ranges =
        parts.iter().flat_map(|p| p.iter()).filter_map(|&(s, e)| doc.folded.original_range(s, e)).collect();
    ranges.sort_unstable();
    let mut merged: Ranges = Vec::new();
    for (s, e) in ranges {
        match merged.last_mut() {
            Some(last) if s < last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    merged
        .into_iter()
        .filter_map(|(s, e)| doc.original.get(s..e).map(|text| Span { start: s, end: e, text: text.to_owned() }))
        .collect()
}
