//! Milliseconds since the Unix epoch, UTC: the one representation of an instant.

/// An instant, in milliseconds since 1970-01-01T00:00:00Z.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Millis(pub i64);

impl Millis {
    pub const SECOND: i64 = 1_000;
    pub const MINUTE: i64 = 60 * Self::SECOND;
    pub const HOUR: i64 = 60 * Self::MINUTE;

    pub fn plus(self, millis: i64) -> Millis {
        Millis(self.0.saturating_add(millis))
    }
}
