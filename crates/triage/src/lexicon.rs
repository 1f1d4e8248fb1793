//! Lexicons: the phrase lists in `lexicons/*.toml`, parsed and compiled once into one automaton.
//!
//! Every language's phrases go into the same automaton, so code-switched tips ("dijo que va a
//! shoot up la escuela") are read in full. The tip's language picks the negators.

use std::collections::HashMap;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use domain::tip::Language;
use serde::Deserialize;

use crate::concept::{Concept, ConceptSet};
use crate::fold::fold;
use crate::wordset::WordSet;

const SOURCES: [(&str, &str); 2] =
    [("en.toml", include_str!("../lexicons/en.toml")), ("es.toml", include_str!("../lexicons/es.toml"))];

/// The compiled lexicons, built on first use.
pub static LEXICON: LazyLock<Lexicon> = LazyLock::new(|| match Lexicon::build(&SOURCES) {
    Ok(lexicon) => lexicon,
    // The files are embedded and checked by the test suite; a broken one is a build defect.
    Err(e) => panic!("embedded lexicon is invalid: {e}"),
});

/// One automaton pattern: a folded phrase and what it stands for.
#[derive(Debug, Clone)]
pub struct Pattern {
    pub concepts: ConceptSet,
    /// A trailing `*` in the file: the match may run on to the end of the word.
    pub star: bool,
    /// The lexicons it comes from: bit 0 English, bit 1 Spanish.
    pub languages: u8,
}

impl Pattern {
    pub fn is_in(&self, language: Language) -> bool {
        self.languages & language_bit(language) != 0
    }
}

fn language_bit(language: Language) -> u8 {
    match language {
        Language::En => 1,
        Language::Es => 2,
    }
}

/// Word lists of one language.
#[derive(Debug, Default)]
pub struct Words {
    pub negators: WordSet,
    pub stopwords: WordSet,
    /// Things, not people, that "kill" only in a figure of speech ("this test is going to kill us").
    pub idiom_subjects: WordSet,
    /// Words of purpose before a harm verb ("a knife to stab him", "un arma para matar").
    pub purpose: WordSet,
    /// Words that make a purpose harmless ("how to shoot", "aprender a disparar").
    pub purpose_blockers: WordSet,
}

#[derive(Debug)]
pub struct Lexicon {
    pub automaton: AhoCorasick,
    pub patterns: Vec<Pattern>,
    pub en: Words,
    pub es: Words,
    /// Words that start a new clause ("but", "pero"): negation does not reach across them.
    pub clause_breaks: WordSet,
    /// Month names and abbreviations, folded, for dates like "march 3" or "3 de marzo".
    pub months: WordSet,
}

impl Lexicon {
    pub fn words(&self, language: Language) -> &Words {
        match language {
            Language::En => &self.en,
            Language::Es => &self.es,
        }
    }

    /// Parses and compiles lexicon files given as `(name, toml text)`.
    pub fn build(sources: &[(&str, &str)]) -> Result<Lexicon, String> {
        let mut keys: HashMap<(String, bool), usize> = HashMap::new();
        let mut strings: Vec<String> = Vec::new();
        let mut patterns: Vec<Pattern> = Vec::new();
        let mut en = Words::default();
        let mut es = Words::default();
        let mut clause_breaks = WordSet::default();
        let mut months = WordSet::default();

        for (name, text) in sources {
            let file: File = toml::from_str(text).map_err(|e| format!("{name}: {e}"))?;
            let language = Language::parse(&file.language).ok_or_else(|| format!("{name}: unknown language"))?;
            let words = match language {
                Language::En => &mut en,
                Language::Es => &mut es,
            };
            words.negators.extend(file.words.negators.iter().map(|w| folded_word(w)));
            words.stopwords.extend(file.words.stopwords.iter().map(|w| folded_word(w)));
            words.idiom_subjects.extend(file.words.idiom_subjects.iter().map(|w| folded_word(w)));
            words.purpose.extend(file.words.purpose.iter().map(|w| folded_word(w)));
            words.purpose_blockers.extend(file.words.purpose_blockers.iter().map(|w| folded_word(w)));
            clause_breaks.extend(file.words.clause_breaks.iter().map(|w| folded_word(w)));
            months.extend(file.words.months.iter().map(|w| folded_word(w)));

            for (key, phrases) in &file.phrases {
                let concept = Concept::ALL
                    .into_iter()
                    .find(|c| section_name(*c) == *key)
                    .ok_or_else(|| format!("{name}: unknown phrase list {key:?}"))?;
                for raw in phrases {
                    let (body, star) = match raw.strip_suffix('*') {
                        Some(body) => (body, true),
                        None => (raw.as_str(), false),
                    };
                    let folded = folded_word(body);
                    if folded.is_empty() {
                        return Err(format!("{name}: empty phrase in {concept:?}"));
                    }
                    let index = *keys.entry((folded.clone(), star)).or_insert_with(|| {
                        strings.push(folded);
                        patterns.push(Pattern { concepts: ConceptSet::default(), star, languages: 0 });
                        patterns.len() - 1
                    });
                    patterns[index].concepts.insert(concept);
                    patterns[index].languages |= language_bit(language);
                }
            }
        }

        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&strings)
            .map_err(|e| format!("automaton: {e}"))?;
        Ok(Lexicon { automaton, patterns, en, es, clause_breaks, months })
    }
}

fn folded_word(raw: &str) -> String {
    fold(raw).text.trim().to_owned()
}

/// The phrase list a concept reads from in the lexicon files: its name in snake case
/// (`IntentLethal` → `intent_lethal`).
pub fn section_name(concept: Concept) -> String {
    let mut out = String::new();
    for (i, c) in format!("{concept:?}").chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    language: String,
    words: FileWords,
    /// Phrase lists by [`section_name`]; an unknown name is an error.
    phrases: std::collections::BTreeMap<String, Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileWords {
    negators: Vec<String>,
    clause_breaks: Vec<String>,
    stopwords: Vec<String>,
    months: Vec<String>,
    #[serde(default)]
    idiom_subjects: Vec<String>,
    #[serde(default)]
    purpose: Vec<String>,
    #[serde(default)]
    purpose_blockers: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_lexicons_compile() {
        let lexicon = Lexicon::build(&SOURCES);
        assert!(lexicon.is_ok(), "{:?}", lexicon.err());
    }

    #[test]
    fn section_names_are_snake_case() {
        assert_eq!(section_name(Concept::IntentLethal), "intent_lethal");
        assert_eq!(section_name(Concept::Online), "online");
    }

    #[test]
    fn rejects_unknown_sections() {
        let bad = "language = \"en\"\n[words]\nnegators=[]\nclause_breaks=[]\nstopwords=[]\nmonths=[]\n[phrases]\nnope=[\"x\"]\n";
        assert!(Lexicon::build(&[("bad.toml", bad)]).is_err());
    }
}
