//! Person names: folding, initials, titles and suffixes, nickname groups and a Double Metaphone code.

use super::Text;
use super::nickname::{Groups, nicknames};
use rphonetic::DoubleMetaphone;
use std::sync::LazyLock;

static DM: LazyLock<DoubleMetaphone> = LazyLock::new(DoubleMetaphone::default);

const TITLES: &[&str] = &["mr", "mrs", "ms", "miss", "dr", "prof", "rev", "sir"];
const SUFFIXES: &[&str] = &["jr", "sr", "ii", "iii", "iv", "phd", "md", "esq"];

/// A normalised name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameNorm {
    /// Folded name: for a given name its first word, for a surname all words joined.
    pub text: Text,
    /// Double Metaphone primary and alternate codes, packed (see [`pack_code`]).
    pub dm: [u32; 2],
    /// Nickname groups (given names only).
    pub nick: Groups,
    /// True when only an initial was given ("J." or "J").
    pub initial_only: bool,
}

impl NameNorm {
    /// The first letter.
    pub fn initial(&self) -> u8 {
        self.text.as_bytes()[0]
    }

    /// A key that is shared by nickname-equivalent names: the first group's
    /// formal name id, else the phonetic code.
    pub fn canon_key(&self) -> u64 {
        if self.nick[0] != 0 { u64::from(self.nick[0]) << 32 } else { u64::from(self.dm[0]) | 1 << 63 }
    }
}

/// Packs a phonetic code of at most 4 ASCII bytes into a `u32` (0 = empty).
pub fn pack_code(code: &str) -> u32 {
    code.bytes().take(4).fold(0u32, |acc, b| acc << 8 | u32::from(b))
}

/// The Double Metaphone primary and alternate codes of a folded word, packed. Only ASCII
/// letters reach the encoder: rphonetic 4 slices by bytes and panics on other characters
/// (found by a property test), and the code is defined on Latin letters anyway.
pub fn phonetic(word: &str) -> [u32; 2] {
    let ascii: String = word.chars().filter(|c| c.is_ascii_alphabetic()).collect();
    if ascii.is_empty() {
        return [0, 0];
    }
    let r = DM.double_metaphone(&ascii);
    [pack_code(&r.primary()), pack_code(&r.alternate())]
}

#[cfg(test)]
mod phonetic_tests {
    #[test]
    fn non_ascii_letters_do_not_panic() {
        for w in ["s\u{133f2}u", "\u{1F600}", "ñandú", "Ωμέγα", "x\u{200d}y", ""] {
            let _ = super::phonetic(w);
        }
        assert_eq!(super::phonetic("smith"), super::phonetic("smith\u{1F600}"));
    }
}

fn words(raw: &str) -> Vec<String> {
    super::fold(raw)
        .split(' ')
        .filter(|w| !w.is_empty() && !TITLES.contains(w) && !SUFFIXES.contains(w))
        .map(str::to_owned)
        .collect()
}

/// A given name: the first word (a middle name or initial after it is dropped);
/// a lone letter is kept as an initial.
pub fn normalize_first_name(raw: &str) -> Option<NameNorm> {
    let w = words(raw);
    let first = w.first()?;
    if first.chars().count() == 1 {
        return Some(NameNorm { text: first.as_str().into(), dm: [0, 0], nick: [0; 3], initial_only: true });
    }
    Some(NameNorm {
        dm: phonetic(first),
        nick: nicknames().groups(first),
        text: first.as_str().into(),
        initial_only: false,
    })
}

/// A surname: all words joined ("Van der Berg" → "vanderberg", "Smith-Jones" → "smithjones").
pub fn normalize_last_name(raw: &str) -> Option<NameNorm> {
    let joined: String = words(raw).concat();
    if joined.is_empty() {
        return None;
    }
    Some(NameNorm {
        dm: phonetic(&joined),
        nick: nicknames().groups(&joined),
        initial_only: joined.chars().count() == 1,
        text: joined.into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_names() {
        let n = normalize_first_name(" Mr. JOSÉ  a ").unwrap();
        assert_eq!(&*n.text, "jose");
        assert!(!n.initial_only);
        assert_ne!(n.nick[0], 0);
        assert!(normalize_first_name("J.").unwrap().initial_only);
        assert!(normalize_first_name(" . ").is_none());
    }

    #[test]
    fn last_names_and_phonetics() {
        assert_eq!(&*normalize_last_name("Smith-Jones Jr.").unwrap().text, "smithjones");
        let a = normalize_last_name("Smith").unwrap();
        let b = normalize_last_name("Smyth").unwrap();
        assert_eq!(a.dm[0], b.dm[0]);
    }
}
