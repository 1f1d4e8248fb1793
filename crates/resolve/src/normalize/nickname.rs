//! The given-name equivalence table (nicknames, diminutives, spelling variants) from `data/nicknames.txt`.

use rustc_hash::FxHashMap;
use std::sync::LazyLock;

static TABLE: LazyLock<Nicknames> = LazyLock::new(|| Nicknames::parse(include_str!("../../data/nicknames.txt")));

/// The built-in table.
pub fn nicknames() -> &'static Nicknames {
    &TABLE
}

/// Groups of given names that refer to the same name. A name may sit in
/// several groups ("al" is Albert, Alfred and Alexander); two names are
/// equivalent when they share a group. Group ids are line numbers of the file.
#[derive(Debug, Default)]
pub struct Nicknames {
    groups: FxHashMap<String, Vec<u16>>,
    formal: Vec<String>,
    pairs: usize,
}

/// Up to three group ids of one name, 0 meaning none (ids start at 1).
pub type Groups = [u16; 3];

impl Nicknames {
    /// Parses the `formal: variant variant ...` format; `#` starts a comment line.
    pub fn parse(text: &str) -> Self {
        let mut t = Nicknames::default();
        for line in text.lines() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((formal, rest)) = line.split_once(':') else {
                continue;
            };
            let id = (t.formal.len() + 1) as u16;
            let formal = super::fold(formal);
            t.formal.push(formal.clone());
            let mut add = |n: String| {
                let v = t.groups.entry(n).or_default();
                if !v.contains(&id) {
                    v.push(id);
                }
            };
            add(formal);
            for v in rest.split_whitespace() {
                add(super::fold(v));
                t.pairs += 1;
            }
        }
        t
    }

    /// Number of (formal, variant) pairs in the table.
    pub fn pair_count(&self) -> usize {
        self.pairs
    }

    /// The group ids of a folded given name (at most three kept).
    pub fn groups(&self, name: &str) -> Groups {
        let mut g = [0u16; 3];
        if let Some(v) = self.groups.get(name) {
            for (slot, id) in g.iter_mut().zip(v) {
                *slot = *id;
            }
        }
        g
    }

    /// The formal name of a group id.
    pub fn formal(&self, id: u16) -> Option<&str> {
        self.formal.get(usize::from(id).checked_sub(1)?).map(String::as_str)
    }

    /// True when the two folded names are listed as equivalent.
    pub fn equivalent(&self, a: &str, b: &str) -> bool {
        share(&self.groups(a), &self.groups(b))
    }
}

/// True when two group sets have a group in common.
pub fn share(a: &Groups, b: &Groups) -> bool {
    a.iter().any(|&x| x != 0 && b.contains(&x))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_big_and_knows_the_classics() {
        let t = nicknames();
        assert!(t.pair_count() >= 500, "{}", t.pair_count());
        for (a, b) in [
            ("william", "bill"),
            ("bill", "liam"),
            ("margaret", "peggy"),
            ("robert", "bob"),
            ("jose", "pepe"),
            ("francisco", "paco"),
            ("steven", "stephen"),
        ] {
            assert!(t.equivalent(a, b), "{a} {b}");
        }
        assert!(!t.equivalent("albert", "alexander"));
        assert!(t.equivalent("al", "alexander"));
    }
}
