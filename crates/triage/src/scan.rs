//! Scanning: fold the narrative, split it into words and clauses, and find lexicon hits.
//!
//! Hits must sit on word boundaries. A hit lying inside a longer hit loses the concepts that
//! the longer one also has, and loses everything if the longer one is a suppressor (a benign
//! use, harassment, self-harm, "not a joke", a warning sign such as "talks about guns"). A
//! negator within four words before a hit, in the same clause, marks it negated. Where a
//! phrase of the tip's language and one of the other language match the same words, the tip's
//! language wins (Spanish "molestan", they tease, is not English "molest").

use domain::tip::Language;

use crate::concept::{Concept, ConceptSet};
use crate::fold::{Folded, fold};
use crate::lexicon::{Lexicon, Words};

/// Words looked back over for a negator.
pub const NEGATION_WINDOW: usize = 4;
/// Abbreviations whose full stop does not end a clause ("Mr. Dalton", "Sra. Gómez").
const ABBREVIATIONS: [&str; 11] = ["mr", "mrs", "ms", "dr", "st", "sr", "sra", "srta", "prof", "jr", "coach"];

/// A word of the folded text.
#[derive(Debug, Clone, Copy)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub clause: u32,
    /// Sentences end at `.`, `!`, `?` and line breaks; clauses also at commas and "but".
    pub sentence: u32,
}

/// A lexicon match in the folded text.
#[derive(Debug, Clone)]
pub struct Hit {
    pub start: usize,
    pub end: usize,
    pub concepts: ConceptSet,
    pub first_tok: usize,
    pub last_tok: usize,
    pub negated: bool,
    exact: bool,
    /// The phrase is in the tip's language's lexicon.
    native: bool,
    /// A suppressing hit that hid a word of concern inside it ("nerf [gun]", "[killed] it").
    pub hid_concern: bool,
}

/// A scanned narrative.
pub struct Doc<'a> {
    pub original: &'a str,
    pub language: Language,
    pub folded: Folded,
    pub tokens: Vec<Token>,
    pub hits: Vec<Hit>,
}

impl<'a> Doc<'a> {
    pub fn scan(original: &'a str, lexicon: &Lexicon, language: Language) -> Doc<'a> {
        Doc::scan_folded(original, fold(original), lexicon, language)
    }

    /// [`Doc::scan`] with the folding already done.
    pub fn scan_folded(original: &'a str, folded: Folded, lexicon: &Lexicon, language: Language) -> Doc<'a> {
        let words = lexicon.words(language);
        let tokens = tokenize(&folded.text, lexicon);
        let mut doc = Doc { original, language, folded, tokens, hits: Vec::new() };
        doc.hits = doc.find_hits(lexicon);
        let negated: Vec<bool> = doc.hits.iter().map(|h| doc.negated_before(h.first_tok, words)).collect();
        for (hit, negated) in doc.hits.iter_mut().zip(negated) {
            hit.negated = negated;
        }
        inherit_negation(&mut doc.hits);
        doc
    }

    /// The folded text of token `i`.
    pub fn word(&self, i: usize) -> &str {
        self.tokens.get(i).map_or("", |t| &self.folded.text[t.start..t.end])
    }

    /// The original text of token `i`.
    pub fn original_word(&self, i: usize) -> &str {
        self.tokens
            .get(i)
            .and_then(|t| self.folded.original_range(t.start, t.end))
            .map_or("", |(s, e)| &self.original[s..e])
    }

    /// Is any token in `range` (folded token indices) a negator?
    pub fn any_negator(&self, range: std::ops::Range<usize>, words: &Words) -> bool {
        range.into_iter().any(|i| words.negators.contains(self.word(i)))
    }

    /// Is there a negator within the window before token `first`, in its clause?
    pub fn negated_before(&self, first: usize, words: &Words) -> bool {
        self.negator_start(first, words).is_some()
    }

    /// The folded start of the earliest negator within the window before token `first`, in its
    /// clause: where a denial's evidence begins ("[doesn't have a] gun").
    pub fn negator_start(&self, first: usize, words: &Words) -> Option<usize> {
        let clause = self.tokens.get(first)?.clause;
        self.tokens[first.saturating_sub(NEGATION_WINDOW)..first]
            .iter()
            .find(|t| t.clause == clause && words.negators.contains(&self.folded.text[t.start..t.end]))
            .map(|t| t.start)
    }

    fn find_hits(&self, lexicon: &Lexicon) -> Vec<Hit> {
        let text = self.folded.text.as_str();
        let mut hits = Vec::new();
        for m in lexicon.automaton.find_overlapping_iter(text) {
            let Some(pattern) = lexicon.patterns.get(m.pattern().as_usize()) else {
                continue;
            };
            let (start, mut end) = (m.start(), m.end());
            if !text.is_char_boundary(start) || !text.is_char_boundary(end) {
                continue;
            }
            if text[..start].chars().next_back().is_some_and(char::is_alphanumeric) {
                continue;
            }
            let next_is_word = text[end..].chars().next().is_some_and(char::is_alphanumeric);
            if pattern.star {
                end += text[end..].find(|c: char| !c.is_alphanumeric()).unwrap_or(text.len() - end);
            } else if next_is_word {
                continue;
            }
            let first_tok = self.tokens.partition_point(|t| t.end <= start);
            let last_tok = self.tokens.partition_point(|t| t.end < end).max(first_tok);
            hits.push(Hit {
                start,
                end,
                concepts: pattern.concepts,
                first_tok,
                last_tok,
                negated: false,
                exact: !pattern.star,
                native: pattern.is_in(self.language),
                hid_concern: false,
            });
        }
        suppress_contained(&mut hits);
        hits
    }
}

/// Splits folded text into alphanumeric words, numbering clauses.
fn tokenize(text: &str, lexicon: &Lexicon) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut clause = 0u32;
    let mut sentence = 0u32;
    let mut broke = false;
    let mut ended = false;
    let mut start: Option<usize> = None;
    let mut close = |tokens: &mut Vec<Token>, s: usize, e: usize, broke: &mut bool, ended: &mut bool| {
        if *broke || lexicon.clause_breaks.contains(&text[s..e]) {
            clause += 1;
            *broke = false;
        }
        if *ended {
            sentence += 1;
            *ended = false;
        }
        tokens.push(Token { start: s, end: e, clause, sentence });
    };
    for (i, c) in text.char_indices() {
        if c.is_alphanumeric() {
            start.get_or_insert(i);
            continue;
        }
        if let Some(s) = start.take() {
            close(&mut tokens, s, i, &mut broke, &mut ended);
            if c == '.' && ABBREVIATIONS.contains(&&text[s..i]) {
                continue;
            }
        }
        if matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | '¿' | '¡' | '…' | '(' | ')' | '\n') {
            broke = true;
        }
        if matches!(c, '.' | '!' | '?' | '…' | '\n') {
            ended = true;
        }
    }
    if let Some(s) = start {
        close(&mut tokens, s, text.len(), &mut broke, &mut ended);
    }
    tokens
}

/// Drops concepts of hits that lie inside longer (or equal, earlier-sorted) hits; see module docs.
fn suppress_contained(hits: &mut Vec<Hit>) {
    hits.sort_by(|a, b| {
        a.start.cmp(&b.start).then(b.end.cmp(&a.end)).then(b.native.cmp(&a.native)).then(b.exact.cmp(&a.exact))
    });
    let originals: Vec<ConceptSet> = hits.iter().map(|h| h.concepts).collect();
    let mut active: Vec<usize> = Vec::new();
    for i in 0..hits.len() {
        let (start, end) = (hits[i].start, hits[i].end);
        active.retain(|&j| hits[j].end > start);
        for &j in &active {
            if hits[j].end >= end {
                let outer = originals[j];
                let same_words_other_language =
                    hits[j].start == start && hits[j].end == end && hits[j].native && !hits[i].native;
                let suppressed = outer.intersects(Concept::SUPPRESSORS);
                if suppressed && hits[i].concepts.intersects(Concept::CONCERNS.union(Concept::HARM_WORDS)) {
                    hits[j].hid_concern = true;
                }
                hits[i].concepts = if suppressed || same_words_other_language {
                    ConceptSet::default()
                } else {
                    hits[i].concepts.minus(outer)
                };
            }
        }
        active.push(i);
    }
    hits.retain(|h| !h.concepts.is_empty());
}

/// A hit inside a negated hit is negated too: "no one should [bring a [gun]]".
/// Expects hits sorted by start, then longest first (as [`suppress_contained`] leaves them).
fn inherit_negation(hits: &mut [Hit]) {
    let mut active: Vec<usize> = Vec::new();
    for i in 0..hits.len() {
        let (start, end) = (hits[i].start, hits[i].end);
        active.retain(|&j| hits[j].end > start);
        if active.iter().any(|&j| hits[j].end >= end && hits[j].negated) {
            hits[i].negated = true;
        }
        active.push(i);
    }
}
