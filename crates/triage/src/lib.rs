//! Triage: scores a tip's urgency from its narrative, with the rule and text evidence behind it.
//!
//! The narrative is folded (case and accents), matched against the English and Spanish
//! lexicons in `lexicons/` with one Aho-Corasick automaton, read into factors with byte-offset
//! evidence (concerns and what lowers them), and then a rule table picks the tier; the tip's
//! category gives a floor.
//!
//! # Layout
//! - [`fold`]: case and accent folding with a map back to original byte offsets.
//! - [`concept`]: the cue kinds a lexicon phrase stands for.
//! - [`corpus`]: the labelled-corpus format.
//! - [`lexicon`]: the embedded lexicon files, compiled once.
//! - [`scan`]: words, clauses, lexicon hits, containment and negation.
//! - [`dates`]: dates written with numbers or month names.
//! - [`signals`]: hits to factors, evidence and the facts rules read.
//! - [`rules`]: the rule table and category floors.
//! - [`language`]: stopword-count language detection.
//! - [`wordset`]: word sets with a fast hash.

pub mod concept;
pub mod corpus;
pub mod dates;
pub mod fold;
pub mod language;
pub mod lexicon;
pub mod rules;
pub mod scan;
pub mod signals;
pub mod wordset;

use domain::tip::{Category, Language};
use domain::urgency::Assessment;

use crate::lexicon::LEXICON;
use crate::scan::Doc;
use crate::signals::{Flags, collect};

/// What triage reads from a tip.
pub struct TriageInput<'a> {
    pub category: Category,
    pub narrative: &'a str,
    /// `None`: detect from the narrative.
    pub language: Option<Language>,
    /// The tip names a subject person in structured fields.
    pub named_subject: bool,
    /// The tip is attached to a registered school or site.
    pub registered_site: bool,
}

impl<'a> TriageInput<'a> {
    /// A narrative alone: category "other", its language detected, no structured subject or
    /// registered site. Set the other fields with struct update syntax.
    pub fn narrative(narrative: &'a str) -> TriageInput<'a> {
        TriageInput {
            category: Category::Other,
            narrative,
            language: None,
            named_subject: false,
            registered_site: false,
        }
    }
}

/// Scores a tip. Never panics; bounded, linear-ish time in the narrative's length.
pub fn assess(input: &TriageInput<'_>) -> Assessment {
    let folded = fold::fold(input.narrative);
    let language = input.language.unwrap_or_else(|| language::detect_folded(input.narrative, &folded.text));
    let lexicon = &*LEXICON;
    let words = lexicon.words(language);
    let doc = Doc::scan_folded(input.narrative, folded, lexicon, language);
    let flags = Flags {
        named_subject: input.named_subject,
        registered_site: input.registered_site,
        self_harm_category: input.category == Category::SelfHarm,
    };
    let (signals, factors) = collect(&doc, lexicon, words, flags);
    let present: Vec<_> = factors.iter().map(|f| f.kind).collect();
    let decision = rules::decide(&signals, input.category, &present);
    Assessment { tier: decision.tier, rule: decision.rule, rule_text: decision.text, factors }
}

/// Guesses the narrative's language (English or Spanish) by counting stopwords.
pub fn detect_language(text: &str) -> Language {
    language::detect(text)
}
