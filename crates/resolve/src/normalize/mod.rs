//! Normalisation of raw field values into comparable forms.

pub mod address;
pub mod date;
pub mod email;
pub mod handle;
pub mod jaro;
pub mod name;
pub mod nickname;
pub mod phone;
pub mod text;

pub use address::{Street, normalize_city, normalize_postcode, normalize_state, normalize_street};
pub use date::{PartialDate, RefDate, parse_dob};
pub use email::{Email, normalize_email};
pub use handle::{Handle, normalize_handle};
pub use name::{NameNorm, normalize_first_name, normalize_last_name};
pub use nickname::{Nicknames, nicknames};
pub use phone::{Phone, normalize_phone};
pub use text::fold;

/// A normalised text value. Names, cities, e-mail addresses and handles are nearly all under 25
/// bytes, which `CompactString` keeps inside the record: comparing two records then reads their
/// own memory instead of chasing a pointer per field (at a million records, equality checks on
/// heap strings were a fifth of the run).
pub type Text = compact_str::CompactString;
