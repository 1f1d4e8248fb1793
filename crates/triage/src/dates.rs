//! Dates and times of day: `3/14`, `14/3/2025`, `march 3rd`, `3 de marzo`, `3rd period`, and
//! clock times `10am`, `10 a.m.`, `10:30`, `a las 3`.
//!
//! Works on the folded text and its words, in one pass, with no regular expressions.

use crate::scan::Doc;
use crate::wordset::WordSet;

/// Folded byte ranges of the dates and of the clock times in a narrative.
#[derive(Debug, Default)]
pub struct Dates {
    pub days: Vec<(usize, usize)>,
    /// A named time of day: with a threat, a time close at hand.
    pub clock: Vec<(usize, usize)>,
}

/// Finds the dates and clock times in `doc`.
pub fn find_dates(doc: &Doc<'_>, months: &WordSet) -> Dates {
    let text = doc.folded.text.as_str();
    let mut found = Vec::new();
    let mut clock = Vec::new();
    for (i, token) in doc.tokens.iter().enumerate() {
        let word = doc.word(i);
        if let Some(end) = clock_time(doc, i) {
            clock.push((token.start, end));
            continue;
        }
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
        // 3rd period, 5th hour
        if ordinal(word) && next_same_clause(i + 1).is_some_and(|w| matches!(w, "period" | "hour" | "block")) {
            found.push((token.start, doc.tokens[i + 1].end));
            continue;
        }
        // the 14th
        if i > 0 && doc.word(i - 1) == "the" && ordinal(word) {
            found.push((doc.tokens[i - 1].start, token.end));
        }
    }
    Dates { days: found, clock }
}

/// A clock time starting at token `i`; returns the folded end of it.
fn clock_time(doc: &Doc<'_>, i: usize) -> Option<usize> {
    let text = doc.folded.text.as_str();
    let token = doc.tokens.get(i)?;
    let word = doc.word(i);
    let digits = word.find(|c: char| !c.is_ascii_digit()).unwrap_or(word.len());
    let hour: u32 = word[..digits].parse().ok().filter(|h| (1..=24).contains(h))?;
    let suffix = &word[digits..];
    if digits <= 2 && matches!(suffix, "am" | "pm" | "hrs" | "h") {
        return Some(token.end);
    }
    if !suffix.is_empty() {
        return None;
    }
    // 10:30
    if let Some(rest) = text[token.end..].strip_prefix(':')
        && rest.len() >= 2
        && rest.as_bytes()[..2].iter().all(u8::is_ascii_digit)
        && !rest[2..].starts_with(|c: char| c.is_ascii_digit())
    {
        return Some(token.end + 3);
    }
    let next = |k: usize| doc.tokens.get(i + k).filter(|t| t.sentence == token.sentence).map(|_| doc.word(i + k));
    // 10 am, 10 a.m., 10 o'clock
    // "a.m." ends a sentence at its own dots: the "m" may sit just after one.
    let dotted = |k: usize| doc.tokens.get(i + k).map(|_| doc.word(i + k));
    match (next(1), dotted(2)) {
        (Some("am" | "pm"), _) => return Some(doc.tokens[i + 1].end),
        (Some("a" | "p"), Some("m")) => return Some(doc.tokens[i + 2].end),
        (Some("o"), Some("clock")) | (Some("oclock"), _) => {
            return Some(doc.tokens[i + 1 + usize::from(next(1) == Some("o"))].end);
        }
        _ => {}
    }
    // a las 3 (Spanish), only up to 12
    let las = i >= 2 && doc.word(i - 1) == "las" && doc.word(i - 2) == "a";
    (las && hour <= 12).then_some(token.end)
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
        let doc = Doc::scan(text, &LEXICON, domain::tip::Language::En);
        find_dates(&doc, &LEXICON.months).days.into_iter().map(|(s, e)| doc.folded.text[s..e].to_owned()).collect()
    }

    fn clocks(text: &str) -> Vec<String> {
        let doc = Doc::scan(text, &LEXICON, domain::tip::Language::En);
        find_dates(&doc, &LEXICON.months).clock.into_iter().map(|(s, e)| doc.folded.text[s..e].to_owned()).collect()
    }

    #[test]
    fn finds_clock_times() {
        assert_eq!(clocks("at 10 a.m. today, or 3pm, or 10:30, or 7 o'clock"), ["10 a.m", "3pm", "10:30", "7 o clock"]);
        assert_eq!(clocks("a las 3 de la tarde"), ["3"]);
        assert!(clocks("room 12 and 3 kids, 100 pm").is_empty());
    }

    #[test]
    fn finds_dates() {
        assert_eq!(dates("on 3/14 and 14/3/2025, not 45/99"), ["3/14", "14/3/2025"]);
        assert_eq!(dates("March 3rd or the 14th"), ["march 3rd", "the 14th"]);
        assert_eq!(dates("el 3 de Marzo"), ["3 de marzo"]);
        assert!(dates("room 12 in march").is_empty());
        assert_eq!(dates("in 3rd period"), ["3rd period"]);
    }
}
