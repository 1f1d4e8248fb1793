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
}

/// Word lists of one language.
#[derive(Debug, Default)]
pub struct Words {
    pub negators: WordSet,
    pub stopwords: WordSet,
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
            clause_breaks.extend(file.words.clause_breaks.iter().map(|w| folded_word(w)));
            months.extend(file.words.months.iter().map(|w| folded_word(w)));

            for (concept, phrases) in file.phrases.lists() {
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
                        patterns.push(Pattern { concepts: ConceptSet::default(), star });
                        patterns.len() - 1
                    });
                    patterns[index].concepts.insert(concept);
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    language: String,
    words: FileWords,
    phrases: Phrases,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileWords {
    negators: Vec<String>,
    clause_breaks: Vec<String>,
    stopwords: Vec<String>,
    months: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
struct Phrases {
    intent_lethal: Vec<String>,
    intent_assault: Vec<String>,
    harm_lethal: Vec<String>,
    harm_assault: Vec<String>,
    volition: Vec<String>,
    weapon: Vec<String>,
    target_place: Vec<String>,
    target_person: Vec<String>,
    time: Vec<String>,
    planning: Vec<String>,
    leakage: Vec<String>,
    self_harm: Vec<String>,
    sh_method: Vec<String>,
    sh_imminent: Vec<String>,
    child_abuse: Vec<String>,
    danger_now: Vec<String>,
    trafficking: Vec<String>,
    trafficking_weak: Vec<String>,
    joke: Vec<String>,
    serious: Vec<String>,
    benign: Vec<String>,
    harassment: Vec<String>,
    bullying: Vec<String>,
    drugs: Vec<String>,
    online: Vec<String>,
    warning_signs: Vec<String>,
}

impl Phrases {
    fn lists(&self) -> [(Concept, &Vec<String>); 26] {
        [
            (Concept::IntentLethal, &self.intent_lethal),
            (Concept::IntentAssault, &self.intent_assault),
            (Concept::HarmLethal, &self.harm_lethal),
            (Concept::HarmAssault, &self.harm_assault),
            (Concept::Volition, &self.volition),
            (Concept::Weapon, &self.weapon),
            (Concept::TargetPlace, &self.target_place),
            (Concept::TargetPerson, &self.target_person),
            (Concept::Time, &self.time),
            (Concept::Planning, &self.planning),
            (Concept::Leakage, &self.leakage),
            (Concept::SelfHarm, &self.self_harm),
            (Concept::ShMethod, &self.sh_method),
            (Concept::ShImminent, &self.sh_imminent),
            (Concept::ChildAbuse, &self.child_abuse),
            (Concept::DangerNow, &self.danger_now),
            (Concept::Trafficking, &self.trafficking),
            (Concept::TraffickingWeak, &self.trafficking_weak),
            (Concept::Joke, &self.joke),
            (Concept::Serious, &self.serious),
            (Concept::Benign, &self.benign),
            (Concept::Harassment, &self.harassment),
            (Concept::Bullying, &self.bullying),
            (Concept::Drugs, &self.drugs),
            (Concept::Online, &self.online),
            (Concept::WarningSigns, &self.warning_signs),
        ]
    }
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
    fn rejects_unknown_sections() {
        let bad = "language = \"en\"\n[words]\nnegators=[]\nclause_breaks=[]\nstopwords=[]\nmonths=[]\n[phrases]\nnope=[\"x\"]\n";
        assert!(Lexicon::build(&[("bad.toml", bad)]).is_err());
    }
}
