//! Dates written as numbers or with month names: `3/14`, `14/3/2025`, `march 3rd`, `3 de marzo`.
//!
//! Works on the folded text and its words, in one pass, with no regular expressions.

use crate::scan::Doc;
use crate::wordset::WordSet;

/// Folded byte ranges of the dates in `doc`.
pub fn find_dates(doc: &Doc<'_>, months: &WordSet) -> Vec<(usize, usize)> {
    let text = doc.folded.text.as_str();
    let mut found = Vec::new();
    for (i, token) in doc.tokens.iter().enumerate() {
        let word = doc.word(i);
        // 3/14 or 14/3/2025: the slash groups stay inside the folded text.
        if let Some(end) = numeric_date(text, token.start, token.end) {
            found.push((token.start, end));
            continue;
        }
        let next_same_clause = |k: usize| doc.tokens.get(k).filter(|t| t.clause == token.clause).map(|_| doc.word(k));
        // march 3 / march 3rd
        if months.contains(word)
            && let Some(day) = next_same_clause(i + 1)
            && day_number(day).is_some()
        {
            found.push((token.start, doc.tokens[i + 1].end));
            continue;
        }
        // 3 de marzo
        if day_number(word).is_some()
            && next_same_clause(i + 1) == Some("de")
            && next_same_clause(i + 2).is_some_and(|m| months.contains(m))
        {
            found.push((token.start, doc.tokens[i + 2].end));
            continue;
        }
        // the 14th
        if i > 0 && doc.word(i - 1) == "the" && ordinal(word) {
            found.push((doc.tokens[i - 1].start, token.end));
        }
    }
    found
}

/// A day of the month, written `3`, `03`, `3rd` or `14th`.
fn day_number(word: &str) -> Option<u32> {
    let digits_end = word.find(|c: char| !c.is_ascii_digit()).unwrap_or(word.len());
    let (digits, suffix) = word.split_at(digits_end);
    if digits.is_empty() || digits.len() > 2 || !matches!(suffix, "" | "st" | "nd" | "rd" | "th") {
        return None;
    }
    digits.parse().ok().filter(|d| (1..=31).contains(d))
}

fn ordinal(word: &str) -> bool {
    word.len() > 2 && day_number(word).is_some() && !word.ends_with(|c: char| c.is_ascii_digit())
}

/// If `text[start..end]` is a 1–2 digit number followed by `/N` (and optionally `/YYYY`),
/// returns the end of the whole date.
fn numeric_date(text: &str, start: usize, end: usize) -> Option<usize> {
    let first: u32 = small_number(&text[start..end])?;
    let (second, mut stop) = slash_number(text, end)?;
    let valid = |m: u32, d: u32| (1..=12).contains(&m) && (1..=31).contains(&d);
    if !(valid(first, second) || valid(second, first)) {
        return None;
    }
    if let Some(after) = text[stop..].strip_prefix('/') {
        let year_len = after.find(|c: char| !c.is_ascii_digit()).unwrap_or(after.len());
        if year_len == 2 || year_len == 4 {
            stop += 1 + year_len;
        }
    }
    if text[stop..].starts_with(|c: char| c.is_alphanumeric()) {
        return None;
    }
    Some(stop)
}

fn slash_number(text: &str, at: usize) -> Option<(u32, usize)> {
    let after = text[at..].strip_prefix('/')?;
    let len = after.find(|c: char| !c.is_ascii_digit()).unwrap_or(after.len());
    Some((small_number(&after[..len])?, at + 1 + len))
}

fn small_number(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 2 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::LEXICON;

    fn dates(text: &str) -> Vec<String> {
        let doc = Doc::scan(text, &LEXICON, &LEXICON.en);
        find_dates(&doc, &LEXICON.months).into_iter().map(|(s, e)| doc.folded.text[s..e].to_owned()).collect()
    }

    #[test]
    fn finds_dates() {
        assert_eq!(dates("on 3/14 and 14/3/2025, not 45/99"), ["3/14", "14/3/2025"]);
        assert_eq!(dates("March 3rd or the 14th"), ["march 3rd", "the 14th"]);
        assert_eq!(dates("el 3 de Marzo"), ["3 de marzo"]);
        assert!(dates("room 12 in march").is_empty());
    }
}
