//! The pure core of Sightline: the types and rules every other crate shares.
//!
//! Nothing here does IO, reads a clock, or knows of HTTP or SQL: functions take data
//! (and `now`, when time matters) and return data. `tests/purity.rs` enforces this.
//!
//! # Layout
//! - [`tip`]: categories, languages, the validated new-tip input.
//! - [`urgency`]: tiers, factors and the evidence spans that explain them.
//! - [`status`]: the tip status machine and dispositions; [`desk`]: the desk's decisions.
//! - [`sla`]: acknowledge-by deadlines and the escalation ladder.
//! - [`routing`]: which agencies receive a tip, and why.
//! - [`staff`]: roles and viewers; [`access`]: the one access decision (record class ×
//!   distribution level × agency relation × role).
//! - [`link`]: suggested links between mentions of a person, and their human decisions.
//! - [`audit`]: audit actions with stable codes and the hash chain.
//! - [`time`]: the millisecond timestamp every layer uses.

/// A closed set of values with stable codes, as stored and exchanged: the enum, `ALL`, `code()`
/// and `parse()` (of exactly the code).
macro_rules! closed_codes {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident => $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            pub const ALL: [$name; [$($code),+].len()] = [$($name::$variant),+];

            pub fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code),+
                }
            }

            pub fn parse(code: &str) -> Option<$name> {
                $name::ALL.into_iter().find(|v| v.code() == code)
            }
        }
    };
}

pub mod access;
pub mod audit;
pub mod desk;
pub mod link;
pub mod routing;
pub mod site_search;
pub mod sla;
pub mod staff;
pub mod status;
pub mod text;
pub mod time;
pub mod tip;
pub mod urgency;
pub mod zone;

/// A value outside the edge's accepted domain, naming the field and the reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct FieldError {
    pub field: String,
    pub reason: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, reason: impl Into<String>) -> Self {
        FieldError { field: field.into(), reason: reason.into() }
    }
}
