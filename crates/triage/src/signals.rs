//! Signals: from lexicon hits to the domain factors with their evidence, and the facts rules read.
//!
//! Primary factors (intent, weapon, self-harm, child abuse, trafficking) stand alone. Context
//! factors (target, time frame, planning, leakage) are reported only beside a primary factor
//! they qualify: "the school" or "tomorrow" alone is not a concern.

use domain::urgency::{Factor, FactorKind, Span};

use crate::concept::Concept;
use crate::dates::find_dates;
use crate::lexicon::{Lexicon, Words};
use crate::scan::{Doc, Hit};

/// Words between a volition cue and a harm verb ("going to [really] kill").
const VOLITION_GAP: usize = 4;
/// Words after a threat looked at for a capitalised name ("kill [Marcus]", "matar a [Carlos]").
const NAME_WINDOW: usize = 3;

/// What the rules read.
#[derive(Debug, Clone, Copy, Default)]
pub struct Signals {
    pub intent: bool,
    pub intent_lethal: bool,
    pub weapon: bool,
    pub target: bool,
    /// The target is a place (from the text or the registered site), not only a person.
    pub place: bool,
    pub time: bool,
    pub planning: bool,
    /// Planning beyond obtaining the weapon itself (a list, a map, practice).
    pub preparation: bool,
    pub leakage: bool,
    pub self_harm: bool,
    pub sh_means: bool,
    pub sh_imminent: bool,
    pub child_abuse: bool,
    pub danger_now: bool,
    pub trafficking: bool,
    pub joke: bool,
    pub harassment: bool,
    pub bullying: bool,
    pub drugs: bool,
    pub online: bool,
    pub warning_signs: bool,
}

/// Structured-field facts from the tip beside the narrative.
#[derive(Debug, Clone, Copy)]
pub struct Flags {
    pub named_subject: bool,
    pub registered_site: bool,
    /// The tipster chose the self-harm category: a means or a goodbye then reads as self-harm.
    pub self_harm_category: bool,
}

/// Folded byte ranges per concept, from hits that were not negated.
struct Live {
    spans: Vec<Vec<(usize, usize)>>,
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
    let mut live = Live { spans: vec![Vec::new(); Concept::WarningSigns as usize + 1] };
    for hit in &doc.hits {
        for c in ALL_CONCEPTS {
            let blocked = hit.negated && Concept::NEGATABLE.has(c);
            if hit.concepts.has(c) && !blocked {
                live.spans[c as usize].push((hit.start, hit.end));
            }
        }
    }
    live.spans[Concept::Time as usize].extend(find_dates(doc, &lexicon.months));

    let (mut intent, combo_lethal) = volition_combos(doc, words);
    let intent_lethal = combo_lethal || live.any(Concept::IntentLethal);
    intent.extend_from_slice(live.of(Concept::IntentLethal));
    intent.extend_from_slice(live.of(Concept::IntentAssault));
    let mut after: Vec<(usize, usize)> = intent.clone();
    after.extend_from_slice(live.of(Concept::TargetPerson));
    let names = named_people(doc, &after);

    let weak_trafficking = live.of(Concept::TraffickingWeak).len();
    let mut s = Signals {
        intent: !intent.is_empty(),
        intent_lethal,
        weapon: live.any(Concept::Weapon),
        self_harm: live.any(Concept::SelfHarm)
            || (flags.self_harm_category && (live.any(Concept::ShMethod) || live.any(Concept::ShImminent))),
        child_abuse: live.any(Concept::ChildAbuse),
        trafficking: live.any(Concept::Trafficking) || weak_trafficking >= 2,
        danger_now: live.any(Concept::DangerNow),
        joke: live.any(Concept::Joke) && !live.any(Concept::Serious),
        harassment: live.any(Concept::Harassment),
        bullying: live.any(Concept::Bullying),
        drugs: live.any(Concept::Drugs),
        online: live.any(Concept::Online),
        warning_signs: live.any(Concept::WarningSigns),
        ..Signals::default()
    };
    let primary = s.intent || s.weapon || s.self_harm || s.child_abuse || s.trafficking;

    let mut factors = Vec::new();
    let mut add = |kind: FactorKind, parts: &[&[(usize, usize)]], present: bool| {
        if present {
            factors.push(Factor { kind, evidence: spans(doc, parts) });
        }
        present
    };
    add(FactorKind::IntentToHarm, &[&intent], s.intent);
    add(FactorKind::Weapon, &[live.of(Concept::Weapon)], s.weapon);
    let target_text = [live.of(Concept::TargetPlace), live.of(Concept::TargetPerson), &names];
    let has_target_text = target_text.iter().any(|p| !p.is_empty());
    let flagged = flags.named_subject || flags.registered_site;
    s.target = add(FactorKind::SpecificTarget, &target_text, (s.intent || s.weapon) && (has_target_text || flagged));
    s.place = s.target && (live.any(Concept::TargetPlace) || flags.registered_site);
    s.time = add(FactorKind::TimeFrame, &[live.of(Concept::Time)], primary && live.any(Concept::Time));
    s.planning = add(FactorKind::Planning, &[live.of(Concept::Planning)], primary && live.any(Concept::Planning));
    let leaks = (s.intent || s.weapon || s.self_harm) && live.any(Concept::Leakage);
    let weapons = live.of(Concept::Weapon);
    s.preparation = s.planning
        && live.of(Concept::Planning).iter().any(|&(ps, pe)| !weapons.iter().any(|&(ws, we)| ps < we && ws < pe));
    s.leakage = add(FactorKind::Leakage, &[live.of(Concept::Leakage)], leaks);
    let sh_parts = [live.of(Concept::SelfHarm), live.of(Concept::ShMethod), live.of(Concept::ShImminent)];
    add(FactorKind::SelfHarm, &sh_parts, s.self_harm);
    let abuse_parts = [live.of(Concept::ChildAbuse), live.of(Concept::DangerNow)];
    add(FactorKind::ChildAbuse, &abuse_parts, s.child_abuse);
    let traffic_parts = [live.of(Concept::Trafficking), live.of(Concept::TraffickingWeak), live.of(Concept::DangerNow)];
    add(FactorKind::Trafficking, &traffic_parts, s.trafficking);

    // Lethal means only (pills, rope, a firearm, a height): a blade used for cutting is not one.
    s.sh_means = live.any(Concept::ShMethod);
    s.sh_imminent = live.any(Concept::ShImminent);
    (s, factors)
}

const ALL_CONCEPTS: [Concept; 26] = [
    Concept::IntentLethal,
    Concept::IntentAssault,
    Concept::HarmLethal,
    Concept::HarmAssault,
    Concept::Volition,
    Concept::Weapon,
    Concept::TargetPlace,
    Concept::TargetPerson,
    Concept::Time,
    Concept::Planning,
    Concept::Leakage,
    Concept::SelfHarm,
    Concept::ShMethod,
    Concept::ShImminent,
    Concept::ChildAbuse,
    Concept::DangerNow,
    Concept::Trafficking,
    Concept::TraffickingWeak,
    Concept::Joke,
    Concept::Serious,
    Concept::Benign,
    Concept::Harassment,
    Concept::Bullying,
    Concept::Drugs,
    Concept::Online,
    Concept::WarningSigns,
];

/// Volition followed closely by a harm verb, in one clause, with no negator before or between.
/// Returns the folded spans and whether any verb was lethal.
fn volition_combos(doc: &Doc<'_>, words: &Words) -> (Vec<(usize, usize)>, bool) {
    let mut verbs: Vec<&Hit> = doc
        .hits
        .iter()
        .filter(|h| h.concepts.has(Concept::HarmLethal) || h.concepts.has(Concept::HarmAssault))
        .collect();
    verbs.sort_by_key(|h| h.first_tok);
    let mut found = Vec::new();
    let mut lethal = false;
    for v in doc.hits.iter().filter(|h| h.concepts.has(Concept::Volition)) {
        let clause = doc.tokens.get(v.first_tok).map(|t| t.clause);
        let from = verbs.partition_point(|h| h.first_tok <= v.last_tok);
        for h in verbs[from..].iter().take_while(|h| h.first_tok <= v.last_tok + 1 + VOLITION_GAP) {
            let same_clause = doc.tokens.get(h.first_tok).map(|t| t.clause) == clause;
            let negated = doc.negated_before(v.first_tok, words) || doc.any_negator(v.last_tok + 1..h.first_tok, words);
            if same_clause && !negated {
                found.push((v.start, h.end));
                lethal |= h.concepts.has(Concept::HarmLethal);
            }
        }
    }
    (found, lethal)
}

/// Capitalised words just after a threat or a title ("Coach", "Mr."), not part of any lexicon
/// hit: likely a named person.
fn named_people(doc: &Doc<'_>, after: &[(usize, usize)]) -> Vec<(usize, usize)> {
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
    let mut ranges: Vec<(usize, usize)> =
        parts.iter().flat_map(|p| p.iter()).filter_map(|&(s, e)| doc.folded.original_range(s, e)).collect();
    ranges.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::new();
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
