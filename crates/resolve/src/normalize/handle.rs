//! Social-media handles: case, leading `@`, separators, and profile URLs.

use super::Text;

/// A normalised handle.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Handle {
    /// Lower case, without `@` and without `.`, `_`, `-` separators.
    pub text: Text,
    /// Byte length of the stem: the text without trailing digits.
    pub stem_len: u8,
}

impl Handle {
    /// The handle without trailing digits ("jsmith" for "jsmith1987").
    pub fn stem(&self) -> &str {
        &self.text[..usize::from(self.stem_len)]
    }
}

/// Normalises a handle or profile URL (`instagram.com/name`, `https://x.com/@name?x=1`).
pub fn normalize_handle(raw: &str) -> Option<Handle> {
    let s = raw.trim().to_lowercase();
    let s = s.split(['?', '#']).next().unwrap_or("");
    let s = if s.contains('/') {
        let path = s.split_once("://").map_or(s, |(_, rest)| rest);
        let mut parts = path.split('/').filter(|p| !p.is_empty());
        let first = parts.next().unwrap_or("");
        if first.contains('.') { parts.next().unwrap_or("") } else { first }
    } else {
        s
    };
    let text: String =
        s.trim_start_matches('@').chars().filter(|c| !matches!(c, '.' | '_' | '-' | ' ' | '@')).collect();
    if text.is_empty() || text.len() > 100 {
        return None;
    }
    let stem_len = text.trim_end_matches(|c: char| c.is_ascii_digit()).len() as u8;
    Some(Handle { stem_len, text: text.into() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles() {
        let h = |s| normalize_handle(s).map(|h| h.text.to_string()).unwrap_or_default();
        assert_eq!(h("@John.Smith_99"), "johnsmith99");
        assert_eq!(h("https://www.instagram.com/john_smith99/?hl=en"), "johnsmith99");
        assert_eq!(h("tiktok.com/@john-smith99"), "johnsmith99");
        assert_eq!(normalize_handle("jsmith1987").unwrap().stem(), "jsmith");
        assert_eq!(h(" @ "), "");
    }
}
