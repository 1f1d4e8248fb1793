//! The record type, its normalised form, and the normaliser settings.

use crate::normalize::{self, Email, Handle, NameNorm, PartialDate, Phone, RefDate, Street, Text};

/// One mention of a person as it came in: every field optional but the ids.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Record {
    /// Unique id of the record.
    pub id: String,
    /// Agency or channel the record came from.
    pub source: String,
    /// Given name.
    pub first_name: Option<String>,
    /// Surname.
    pub last_name: Option<String>,
    /// Date of birth (many formats) or an age.
    pub dob: Option<String>,
    /// Phone number.
    pub phone: Option<String>,
    /// E-mail address.
    pub email: Option<String>,
    /// Social-media handle or profile URL.
    pub handle: Option<String>,
    /// Street line.
    pub street: Option<String>,
    /// City.
    pub city: Option<String>,
    /// State.
    pub state: Option<String>,
    /// Postal code.
    pub postcode: Option<String>,
    /// National id (SSN or similar).
    pub national_id: Option<String>,
}

/// Settings of normalisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Normalizer {
    /// Date ages are counted back from.
    pub reference_date: RefDate,
}

impl Default for Normalizer {
    fn default() -> Self {
        Normalizer { reference_date: RefDate::today() }
    }
}

/// The normalised, comparable form of a [`Record`]; computed once per record
/// by [`Record::normalise`] and stored by the index and the batch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NormRecord {
    /// Given name.
    pub first: Option<NameNorm>,
    /// Surname.
    pub last: Option<NameNorm>,
    /// Date of birth.
    pub dob: Option<PartialDate>,
    /// Phone.
    pub phone: Option<Phone>,
    /// E-mail.
    pub email: Option<Email>,
    /// Handle.
    pub handle: Option<Handle>,
    /// Street.
    pub street: Option<Street>,
    /// City.
    pub city: Option<Text>,
    /// State code.
    pub state: Option<Text>,
    /// 5-digit ZIP.
    pub postcode: Option<u32>,
    /// National id, alphanumerics only.
    pub national_id: Option<Text>,
}

fn field<T>(v: &Option<String>, f: impl FnOnce(&str) -> Option<T>) -> Option<T> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty()).and_then(f)
}

impl Record {
    /// A record with the given id and source and no fields.
    pub fn new(id: impl Into<String>, source: impl Into<String>) -> Self {
        Record { id: id.into(), source: source.into(), ..Record::default() }
    }

    /// Computes the normalised form.
    pub fn normalise(&self, n: &Normalizer) -> NormRecord {
        NormRecord {
            first: field(&self.first_name, normalize::normalize_first_name),
            last: field(&self.last_name, normalize::normalize_last_name),
            dob: field(&self.dob, |s| normalize::parse_dob(s, n.reference_date)),
            phone: field(&self.phone, normalize::normalize_phone),
            email: field(&self.email, normalize::normalize_email),
            handle: field(&self.handle, normalize::normalize_handle),
            street: field(&self.street, normalize::normalize_street),
            city: field(&self.city, normalize::normalize_city),
            state: field(&self.state, normalize::normalize_state),
            postcode: field(&self.postcode, normalize::normalize_postcode),
            national_id: field(&self.national_id, |s| {
                let t: String = s.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_lowercase();
                (t.len() >= 4 && !t.bytes().all(|b| b == t.as_bytes()[0])).then(|| t.into())
            }),
        }
    }
}
