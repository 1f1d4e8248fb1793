//! Identifiers found in free text: phone numbers, e-mail addresses, social-media handles and
//! profile links, each with the byte span it came from, so a narrative's mentions of a person
//! can be matched like structured fields.

use regex::Regex;
use std::sync::LazyLock;

/// What kind of identifier was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Phone,
    Email,
    /// An @handle or a profile link (the handle is taken from the link).
    Handle,
}

/// One identifier found in text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub kind: Kind,
    /// The identifier as written (for a profile link: the handle part).
    pub value: String,
    /// Byte offsets of the whole match in the text.
    pub start: usize,
    pub end: usize,
}

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b[a-z0-9][a-z0-9._%+-]{0,63}@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,24}\b").expect("valid")
});
static PROFILE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:https?://)?(?:www\.|m\.)?(?:instagram\.com|tiktok\.com|twitter\.com|x\.com|snapchat\.com/add|facebook\.com|youtube\.com|threads\.net|twitch\.tv|reddit\.com/u(?:ser)?)/@?([a-z0-9._-]{2,40})",
    )
    .expect("valid")
});
static HANDLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|[\s(\[,;:])@([A-Za-z0-9_.]{2,30})").expect("valid"));
static PHONE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:\+?1[\s.-]?)?(?:\(\d{3}\)|\b\d{3})[\s.-]?\d{3}[\s.-]?\d{4}\b").expect("valid"));

/// Finds identifiers in `text`, in order of position, without overlaps (an e-mail's domain is
/// not also a profile, an e-mail's local part not also a handle).
pub fn identifiers(text: &str) -> Vec<Found> {
    let mut found: Vec<Found> = Vec::new();
    let taken = |found: &[Found], s: usize, e: usize| found.iter().any(|f| s < f.end && f.start < e);
    for m in EMAIL.find_iter(text) {
        found.push(Found { kind: Kind::Email, value: m.as_str().to_owned(), start: m.start(), end: m.end() });
    }
    for c in PROFILE.captures_iter(text) {
        let (Some(all), Some(handle)) = (c.get(0), c.get(1)) else { continue };
        let value = handle.as_str().trim_end_matches(['.', '-']);
        if !taken(&found, all.start(), all.end()) && !matches!(value, "p" | "reel" | "watch" | "channel" | "share") {
            found.push(Found { kind: Kind::Handle, value: value.to_owned(), start: all.start(), end: all.end() });
        }
    }
    for c in HANDLE.captures_iter(text) {
        let Some(handle) = c.get(1) else { continue };
        let start = handle.start() - 1; // include the '@'
        let value = handle.as_str().trim_end_matches('.');
        if !taken(&found, start, handle.end()) {
            found.push(Found { kind: Kind::Handle, value: format!("@{value}"), start, end: start + 1 + value.len() });
        }
    }
    for m in PHONE.find_iter(text) {
        let digits = m.as_str().chars().filter(char::is_ascii_digit).count();
        if (10..=11).contains(&digits) && !taken(&found, m.start(), m.end()) {
            found.push(Found { kind: Kind::Phone, value: m.as_str().to_owned(), start: m.start(), end: m.end() });
        }
    }
    found.sort_by_key(|f| f.start);
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;

    fn check(text: &str, expect: expect_test::Expect) {
        let out: Vec<String> = identifiers(text)
            .iter()
            .map(|f| format!("{:?} {:?} [{}..{}] {:?}", f.kind, f.value, f.start, f.end, &text[f.start..f.end]))
            .collect();
        expect.assert_eq(&out.join("\n"));
    }

    #[test]
    fn finds_identifiers_with_spans() {
        check(
            "His insta is instagram.com/nik_cruz.99 and he posts as @nikc on TikTok. Call (954) 555-0123 or mail N.Cruz+x@gmail.com",
            expect![[r#"
                Handle "nik_cruz.99" [13..38] "instagram.com/nik_cruz.99"
                Handle "@nikc" [55..60] "@nikc"
                Phone "(954) 555-0123" [77..91] "(954) 555-0123"
                Email "N.Cruz+x@gmail.com" [100..118] "N.Cruz+x@gmail.com""#]],
        );
    }

    #[test]
    fn leaves_ordinary_text_alone() {
        check("He said 3 people saw it at 10:30 on 3/14; room 204. Email me at the office.", expect![[r#""#]]);
        check(
            "tiktok.com/@school_fight_vids shared it, and +1 555 201 3344",
            expect![[r#"
            Handle "school_fight_vids" [0..29] "tiktok.com/@school_fight_vids"
            Phone "+1 555 201 3344" [45..60] "+1 555 201 3344""#]],
        );
    }

    #[test]
    fn never_panics_on_odd_unicode() {
        for t in ["@", "@@@@", "ñ@ñ.ñ", "📱 (555) 555-5555 📱", "@José_🙂"] {
            for f in identifiers(t) {
                assert!(t.is_char_boundary(f.start) && t.is_char_boundary(f.end));
            }
        }
    }
}
