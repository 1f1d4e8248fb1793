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
