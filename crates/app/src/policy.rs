//! The staff access policy of the CJIS Security Policy controls we enforce, with its
//! defaults. Every value may be made stricter, never laxer: `validate` refuses a laxer one.

use domain::time::Millis;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecurityPolicy {
    /// Failed sign-ins that lock an account…
    pub lockout_threshold: i64,
    /// …when they fall within this window.
    pub lockout_window_ms: i64,
    /// A console session ends after this long without a request.
    pub session_idle_ms: i64,
    /// An account unused this long is disabled.
    pub account_idle_ms: i64,
    /// Shortest password accepted.
    pub password_min_len: usize,
}

impl Default for SecurityPolicy {
    fn default() -> Self {
        SecurityPolicy {
            lockout_threshold: 5,
            lockout_window_ms: 15 * Millis::MINUTE,
            session_idle_ms: 30 * Millis::MINUTE,
            account_idle_ms: 90 * 24 * Millis::HOUR,
            password_min_len: 12,
        }
    }
}

impl SecurityPolicy {
    /// Accepts only values at least as strict as the defaults.
    pub fn validate(&self) -> Result<(), String> {
        let d = SecurityPolicy::default();
        let mut problems = Vec::new();
        if !(1..=d.lockout_threshold).contains(&self.lockout_threshold) {
            problems.push(format!("lockout threshold must be 1 to {}", d.lockout_threshold));
        }
        if self.lockout_window_ms < d.lockout_window_ms {
            problems.push("the lockout window may not be shorter than 15 minutes".to_owned());
        }
        if !(Millis::MINUTE..=d.session_idle_ms).contains(&self.session_idle_ms) {
            problems.push("the session idle timeout must be 1 to 30 minutes".to_owned());
        }
        if !(Millis::HOUR..=d.account_idle_ms).contains(&self.account_idle_ms) {
            problems.push("accounts must be disabled after at most 90 days unused".to_owned());
        }
        if self.password_min_len < d.password_min_len {
            problems.push("passwords may not be shorter than 12 characters".to_owned());
        }
        if problems.is_empty() { Ok(()) } else { Err(problems.join("; ")) }
    }

    /// Why a chosen password is not acceptable, if it is not.
    pub fn password_problem(&self, password: &str, email: &str) -> Option<String> {
        let chars: Vec<char> = password.chars().collect();
        if chars.len() < self.password_min_len {
            return Some(format!("must be at least {} characters", self.password_min_len));
        }
        if chars.len() > 256 {
            return Some("must be at most 256 characters".into());
        }
        let distinct: std::collections::HashSet<char> = chars.iter().copied().collect();
        if distinct.len() < 5 {
            return Some("must use at least 5 different characters".into());
        }
        let lower = password.to_lowercase();
        let local = email.split('@').next().unwrap_or("").to_lowercase();
        if local.len() >= 3 && lower.contains(&local) {
            return Some("must not contain your e-mail name".into());
        }
        const COMMON: [&str; 12] = [
            "password",
            "123456",
            "qwerty",
            "letmein",
            "welcome",
            "sightline",
            "admin",
            "iloveyou",
            "monkey",
            "dragon",
            "abc123",
            "111111",
        ];
        if COMMON.iter().any(|c| lower.contains(c)) {
            return Some("must not contain a common password".into());
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_stricter_values_are_accepted() {
        assert_eq!(SecurityPolicy::default().validate(), Ok(()));
        let stricter = SecurityPolicy {
            lockout_threshold: 3,
            session_idle_ms: 10 * Millis::MINUTE,
            password_min_len: 16,
            ..Default::default()
        };
        assert_eq!(stricter.validate(), Ok(()));
        for laxer in [
            SecurityPolicy { lockout_threshold: 6, ..Default::default() },
            SecurityPolicy { lockout_window_ms: Millis::MINUTE, ..Default::default() },
            SecurityPolicy { session_idle_ms: 31 * Millis::MINUTE, ..Default::default() },
            SecurityPolicy { account_idle_ms: 91 * 24 * Millis::HOUR, ..Default::default() },
            SecurityPolicy { password_min_len: 8, ..Default::default() },
        ] {
            assert!(laxer.validate().is_err(), "{laxer:?}");
        }
    }

    #[test]
    fn password_rules() {
        let p = SecurityPolicy::default();
        assert!(p.password_problem("short", "a@b.c").is_some());
        assert!(p.password_problem("aaaaaaaaaaaaaaaa", "a@b.c").is_some());
        assert!(p.password_problem("MyPassword2026!!", "a@b.c").is_some(), "common word");
        assert!(p.password_problem("lee.carter-rocks-77", "lee.carter@sheriff.example").is_some());
        assert_eq!(p.password_problem("violet tractor 7 harbour", "lee@sheriff.example"), None);
    }
}
