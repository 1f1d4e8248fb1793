//! Counting attempts without identifying anyone: fixed-window counters keyed by a hash of
//! what is counted under a random salt that lives only in memory and is replaced every hour, so
//! nothing is written anywhere and yesterday's keys match nobody today.

use domain::time::Millis;
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Mutex;

/// Fixed-window counters keyed by opaque 16-byte hashes.
pub struct Limiter {
    inner: Mutex<Inner>,
}

struct Inner {
    salt: [u8; 32],
    salt_from: i64,
    counts: HashMap<[u8; 16], (i64, u32)>,
}

/// How often the salt is replaced.
const SALT_LIFETIME_MS: i64 = Millis::HOUR;

/// What is limited, and how much.
#[derive(Clone, Copy)]
pub struct Limit {
    pub scope: &'static str,
    pub max: u32,
    pub window_ms: i64,
}

/// New tips from one client.
pub const FILE_TIP: Limit = Limit { scope: "file", max: 20, window_ms: 10 * Millis::MINUTE };
/// Follow-up sign-ins from one client.
pub const SIGN_IN: Limit = Limit { scope: "sign-in", max: 30, window_ms: 10 * Millis::MINUTE };
/// Wrong passphrases for one reference, from anyone: past `max`, each try waits longer before
/// it is answered (see `app::tipster`), but the right passphrase is never refused.
pub const PASSPHRASE: Limit = Limit { scope: "reference", max: 10, window_ms: Millis::HOUR };
/// Staff password attempts from one client (the account lockout is the main control).
pub const STAFF_SIGN_IN: Limit = Limit { scope: "staff", max: 30, window_ms: 10 * Millis::MINUTE };

impl Inner {
    /// The counter's key: a hash of the salted scope and input, never the input itself.
    fn key(&self, limit: Limit, what: &[u8]) -> [u8; 16] {
        let mut h = Sha256::new();
        h.update(self.salt);
        h.update(limit.scope.as_bytes());
        h.update([0]);
        h.update(what);
        h.finalize()[..16].try_into().unwrap_or([0; 16])
    }
}

fn fresh_salt() -> [u8; 32] {
    let mut s = [0u8; 32];
    rand::rng().fill_bytes(&mut s);
    s
}

impl Default for Limiter {
    fn default() -> Self {
        Limiter { inner: Mutex::new(Inner { salt: fresh_salt(), salt_from: 0, counts: HashMap::new() }) }
    }
}

impl Limiter {
    /// Counts one event for `what` under `limit`; false when over the limit.
    pub fn allow(&self, limit: Limit, what: &[u8], now: i64) -> bool {
        let Ok(mut inner) = self.inner.lock() else { return true };
        if now - inner.salt_from >= SALT_LIFETIME_MS || now < inner.salt_from {
            inner.salt = fresh_salt();
            inner.salt_from = now;
            inner.counts.clear();
        }
        let key = inner.key(limit, what);
        let window = now.div_euclid(limit.window_ms);
        let entry = inner.counts.entry(key).or_insert((window, 0));
        if entry.0 != window {
            *entry = (window, 0);
        }
        entry.1 = entry.1.saturating_add(1);
        let ok = entry.1 <= limit.max;
        if inner.counts.len() > 200_000 {
            // Bounded memory: old windows go first.
            inner.counts.retain(|_, (w, _)| *w == window);
        }
        ok
    }

    /// How many events `what` has in `limit`'s current window (without counting one).
    pub fn count(&self, limit: Limit, what: &[u8], now: i64) -> u32 {
        let Ok(inner) = self.inner.lock() else { return 0 };
        let key = inner.key(limit, what);
        inner.counts.get(&key).filter(|(w, _)| *w == now.div_euclid(limit.window_ms)).map_or(0, |(_, c)| *c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_per_key_and_window_and_forgets_with_the_salt() {
        let l = Limiter::default();
        let lim = Limit { scope: "t", max: 3, window_ms: 1000 };
        assert!((0..3).all(|_| l.allow(lim, b"a", 10)));
        assert!(!l.allow(lim, b"a", 10));
        assert!(l.allow(lim, b"b", 10), "another client has its own budget");
        assert!(l.allow(lim, b"a", 1010), "a new window");
        assert_eq!(l.count(lim, b"a", 1010), 1);
    }
}
