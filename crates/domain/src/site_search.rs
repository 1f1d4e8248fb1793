//! Finding a registered site from what a tipster typed: words in any order, the start of a
//! word, a small typo, accents and case all forgiven, so "cedar creek" finds "Cedar Creek
//! Elementary" and "san jose" finds "San José Middle School".

use unicode_normalization::UnicodeNormalization;

/// Words a tipster adds that a site's name may leave out ("the school").
const GENERIC: [&str; 9] = ["the", "school", "of", "escuela", "de", "la", "el", "del", "los"];

/// What a typed name finds among the registered sites.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// One site fits best: it is the one meant.
    One(i64),
    /// Several fit as well: the tipster chooses, best first.
    Several(Vec<i64>),
    None,
}

/// Lower case, accents and apostrophes off, anything else but letters and digits a space: the
/// words of a name ("St. Mary's" → "st", "marys").
fn words(s: &str) -> Vec<String> {
    let folded: String = s
        .nfkd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c) && !matches!(c, '\'' | '\u{2019}'))
        .flat_map(char::to_lowercase)
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    folded.split_whitespace().map(str::to_owned).collect()
}

/// Typos forgiven in a word of this many letters.
fn typos_allowed(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// How well one typed word matches one word of a name: 3 the same, 2 its start, 1 within a
/// typo or two (of the word, or of its start as long as the typed word).
fn word_score(typed: &str, word: &str) -> Option<u32> {
    if typed == word {
        return Some(3);
    }
    let typed_len = typed.chars().count();
    if typed_len >= 2 && word.starts_with(typed) {
        return Some(2);
    }
    let allowed = typos_allowed(typed_len);
    if allowed == 0 {
        return None;
    }
    let start: String = word.chars().take(typed_len).collect();
    let close = strsim::damerau_levenshtein(typed, word) <= allowed
        || (word.chars().count() > typed_len && strsim::damerau_levenshtein(typed, &start) <= allowed);
    close.then_some(1)
}

/// How well `typed` names `name`: every typed word must match a word of the name (generic
/// words may match nothing, and alone match nothing); higher is better, then fewer words of
/// the name left over.
fn score(typed: &[String], name: &[String]) -> Option<(u32, i64)> {
    let mut total = 0;
    let mut telling = 0;
    for t in typed {
        let generic = GENERIC.contains(&t.as_str());
        match name.iter().filter_map(|w| word_score(t, w)).max() {
            Some(s) => {
                total += s;
                telling += usize::from(!generic);
            }
            None if generic => {}
            None => return None,
        }
    }
    (telling > 0).then(|| (total, -(name.len() as i64)))
}

/// The sites `typed` may mean, as (id, name) pairs.
pub fn find<'a>(typed: &str, sites: impl IntoIterator<Item = (i64, &'a str)>) -> Found {
    let typed = words(typed);
    if typed.is_empty() {
        return Found::None;
    }
    let mut ranked: Vec<((u32, i64), i64)> =
        sites.into_iter().filter_map(|(id, name)| score(&typed, &words(name)).map(|s| (s, id))).collect();
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    match ranked.as_slice() {
        [] => Found::None,
        [(_, id)] => Found::One(*id),
        [(best, id), (next, _), ..] if best.0 > next.0 => Found::One(*id),
        _ => {
            // Those as good as the best by the words typed; the rest would only confuse.
            let top = ranked[0].0.0;
            Found::Several(ranked.iter().take_while(|(s, _)| s.0 == top).map(|(_, id)| *id).take(8).collect())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;

    const SITES: [(i64, &str); 7] = [
        (1, "Cedar Creek Elementary"),
        (2, "Cedar Creek Middle School"),
        (3, "Pine High"),
        (4, "Pine Hills Elementary"),
        (5, "San José Middle School"),
        (6, "Lincoln High School"),
        (7, "St. Mary's Church"),
    ];

    /// Each row: what was typed; the snapshot shows what it finds.
    #[test]
    fn typed_names() {
        let rows = [
            "cedar creek",
            "Cedar Creek Elementary",
            "elementary cedar creek",
            "cedar crek elementary",
            "cedar creek middle",
            "pine high",
            "pine hi",
            "san jose",
            "SAN JOSÉ middle",
            "lincon high school",
            "lincoln",
            "the lincoln school",
            "st marys",
            "st mary's church",
            "washington",
            "school",
            "",
            "  -- ",
        ];
        let shown: Vec<String> = rows.iter().map(|typed| format!("{typed:?}: {:?}", find(typed, SITES))).collect();
        expect![[r#"
            "cedar creek": Several([1, 2])
            "Cedar Creek Elementary": One(1)
            "elementary cedar creek": One(1)
            "cedar crek elementary": One(1)
            "cedar creek middle": One(2)
            "pine high": One(3)
            "pine hi": Several([3, 4])
            "san jose": One(5)
            "SAN JOSÉ middle": One(5)
            "lincon high school": One(6)
            "lincoln": One(6)
            "the lincoln school": One(6)
            "st marys": One(7)
            "st mary's church": One(7)
            "washington": None
            "school": None
            "": None
            "  -- ": None"#]]
        .assert_eq(&shown.join("\n"));
    }
}
