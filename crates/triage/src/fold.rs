//! Case and accent folding that remembers, for every folded byte, the original char it came from.
//!
//! Folding lowercases, decomposes (NFKD) and drops combining marks, so `MAÑANA` and `mañana`
//! both become `manana`. Runs of whitespace, hyphens, underscores, quotes and apostrophes
//! become one space (`don't` → `don t`, `shoot-up` → `shoot up`). Other punctuation is kept, so
//! clause breaks and dates like `3/14` survive. Lexicon phrases go through the same function.

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// Folded text plus a map from each of its bytes back to a char range of the original.
#[derive(Debug, Clone)]
pub struct Folded {
    pub text: String,
    /// For each byte of `text`: the byte range `(start, end)` in the original of its source char.
    origin: Vec<(usize, usize)>,
}

impl Folded {
    /// The original byte range covered by the folded range `start..end` (non-empty, in bounds).
    pub fn original_range(&self, start: usize, end: usize) -> Option<(usize, usize)> {
        if start >= end || end > self.origin.len() {
            return None;
        }
        Some((self.origin[start].0, self.origin[end - 1].1))
    }
}

/// Folds `src`; see the module docs.
pub fn fold(src: &str) -> Folded {
    let mut out = Folded { text: String::with_capacity(src.len()), origin: Vec::with_capacity(src.len()) };
    // The source range of the first separator in a pending run, emitted as one space lazily.
    let mut pending: Option<(usize, usize)> = None;
    for (i, c) in src.char_indices() {
        let range = (i, i + c.len_utf8());
        if c.is_ascii_alphanumeric() {
            if let Some(space) = pending.take()
                && !out.text.is_empty()
            {
                push(&mut out, ' ', space);
            }
            push(&mut out, c.to_ascii_lowercase(), range);
            continue;
        }
        for lower in c.to_lowercase() {
            decompose_compatible(lower, |d| {
                if is_combining_mark(d) {
                    return;
                }
                if is_separator(d) {
                    pending.get_or_insert(range);
                    return;
                }
                if let Some(space) = pending.take()
                    && !out.text.is_empty()
                {
                    push(&mut out, ' ', space);
                }
                push(&mut out, d, range);
            });
        }
    }
    out
}

fn push(out: &mut Folded, c: char, range: (usize, usize)) {
    out.text.push(c);
    for _ in 0..c.len_utf8() {
        out.origin.push(range);
    }
}

fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '-' | '_'
                | '\''
                | '`'
                | '"'
                | '*'
                | '~'
                | '|'
                | '\u{2018}'
                | '\u{2019}'
                | '\u{201A}'
                | '\u{201B}'
                | '\u{201C}'
                | '\u{201D}'
                | '\u{201E}'
                | '\u{00AB}'
                | '\u{00BB}'
                | '\u{02BC}'
                | '\u{2010}'
                | '\u{2011}'
                | '\u{2012}'
                | '\u{2013}'
                | '\u{2014}'
                | '\u{200B}'
                | '\u{200C}'
                | '\u{200D}'
                | '\u{FEFF}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_accents_and_apostrophes() {
        assert_eq!(fold("MAÑANA  él—Don’t  shoot-up!").text, "manana el don t shoot up!");
        assert_eq!(fold("  leading").text, "leading");
    }

    #[test]
    fn maps_back_to_original_chars() {
        let src = "Él dijo: MAÑANA";
        let f = fold(src);
        let at = f.text.find("manana").unwrap_or(0);
        let (s, e) = f.original_range(at, at + "manana".len()).unwrap_or((0, 0));
        assert_eq!(&src[s..e], "MAÑANA");
    }
}
