//! E-mail addresses: case, and dots and `+tags` dropped where the provider ignores them.

use super::Text;

/// A normalised e-mail address `user@domain`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email {
    /// `user@domain`, lower case, tag removed, gmail dots removed.
    pub full: Text,
    /// Byte length of the user part.
    pub user_len: u8,
}

impl Email {
    /// The part before `@`.
    pub fn user(&self) -> &str {
        &self.full[..usize::from(self.user_len)]
    }

    /// The part after `@`.
    pub fn domain(&self) -> &str {
        &self.full[usize::from(self.user_len) + 1..]
    }
}

/// Providers that ignore dots in the user name.
const DOTLESS: &[&str] = &["gmail.com", "googlemail.com"];

/// Normalises an e-mail address: trimmed, lower case, `+tag` removed (all
/// providers), dots removed for Gmail, `googlemail.com` → `gmail.com`.
pub fn normalize_email(raw: &str) -> Option<Email> {
    let s = raw.trim().trim_start_matches("mailto:").to_lowercase();
    let (user, domain) = s.rsplit_once('@')?;
    let domain = domain.trim().trim_end_matches('.');
    let user = user.split('+').next().unwrap_or("").trim();
    if user.is_empty() || domain.is_empty() || !domain.contains('.') || user.len() > 200 {
        return None;
    }
    let (user, domain) =
        if DOTLESS.contains(&domain) { (user.replace('.', ""), "gmail.com") } else { (user.to_owned(), domain) };
    if user.is_empty() {
        return None;
    }
    Some(Email { user_len: user.len() as u8, full: format!("{user}@{domain}").into() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn providers() {
        let e = |s| normalize_email(s).map(|e| e.full.to_string()).unwrap_or_default();
        assert_eq!(e(" John.Smith+tips@GoogleMail.com "), "johnsmith@gmail.com");
        assert_eq!(e("john.smith+x@yahoo.com"), "john.smith@yahoo.com");
        assert_eq!(e("not an email"), "");
        let n = normalize_email("a.b@outlook.com").unwrap();
        assert_eq!((n.user(), n.domain()), ("a.b", "outlook.com"));
    }
}
