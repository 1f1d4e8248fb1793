//! The JSON shapes of the API. These are the web layer's own types: domain types are not
//! `Serialize`, and every request DTO is parsed into domain types once, here at the edge.

use domain::tip::{Category, Contact, GeoPoint, Language, Location, NewTip, SUBJECTS_MAX, SubjectMention, short_text};
use domain::{FieldError, tip::Narrative};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A new tip, as a tipster files it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TipRequest {
    /// One of: planned_attack, weapon, threat, self_harm, bullying, abuse, drugs, trafficking,
    /// suspicious_activity, cyber, other.
    pub category: String,
    /// What happened, in the tipster's words (1 to 20,000 characters).
    pub narrative: String,
    /// `en` or `es`; detected from the narrative when absent.
    pub language: Option<String>,
    pub location: Option<LocationRequest>,
    /// A registered site (school, campus, house of worship), from `GET /api/v1/sites`.
    pub site_id: Option<i64>,
    #[serde(default)]
    pub subjects: Vec<SubjectRequest>,
    pub contact: Option<ContactRequest>,
}

/// Either a point or the tipster's own description of the place.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LocationRequest {
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub text: Option<String>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubjectRequest {
    pub name: Option<String>,
    pub age: Option<i64>,
    pub dob: Option<String>,
    pub school: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    #[serde(default)]
    pub handles: Vec<String>,
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactRequest {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

impl TryFrom<TipRequest> for NewTip {
    type Error = FieldError;

    fn try_from(r: TipRequest) -> Result<NewTip, FieldError> {
        let category = Category::parse(&r.category).ok_or_else(|| {
            let all: Vec<&str> = Category::ALL.iter().map(|c| c.code()).collect();
            FieldError::new("category", format!("must be one of {}", all.join(", ")))
        })?;
        let narrative = Narrative::parse(&r.narrative)?;
        let language = match r.language.as_deref().map(str::trim).filter(|l| !l.is_empty()) {
            None => None,
            Some(l) => Some(Language::parse(l).ok_or_else(|| FieldError::new("language", "must be en or es"))?),
        };
        let location = match r.location {
            None => None,
            Some(LocationRequest { lat: Some(lat), lon: Some(lon), text }) => {
                if text.is_some() {
                    return Err(FieldError::new("location", "give either lat and lon, or text, not both"));
                }
                Some(Location::Point(GeoPoint::parse(lat, lon)?))
            }
            Some(LocationRequest { lat: None, lon: None, text: Some(text) }) => {
                short_text("location.text", Some(&text))?.map(Location::Text)
            }
            Some(LocationRequest { lat: None, lon: None, text: None }) => None,
            Some(LocationRequest { lat: Some(_), lon: None, .. }) => {
                return Err(FieldError::new("location.lon", "is required with location.lat"));
            }
            Some(LocationRequest { lat: None, lon: Some(_), .. }) => {
                return Err(FieldError::new("location.lat", "is required with location.lon"));
            }
        };
        if r.subjects.len() > SUBJECTS_MAX {
            return Err(FieldError::new("subjects", format!("at most {SUBJECTS_MAX} people per tip")));
        }
        let mut subjects = Vec::new();
        for (i, s) in r.subjects.into_iter().enumerate() {
            let f = |name: &str| format!("subjects[{i}].{name}");
            let age = match s.age {
                None => None,
                Some(a) if (0..=120).contains(&a) => Some(a as u8),
                Some(_) => return Err(FieldError::new(f("age"), "must be from 0 to 120")),
            };
            if s.handles.len() > 20 {
                return Err(FieldError::new(f("handles"), "at most 20 handles"));
            }
            let mut handles = Vec::new();
            for (j, h) in s.handles.iter().enumerate() {
                if let Some(h) = short_text(&format!("{}[{j}]", f("handles")), Some(h))? {
                    handles.push(h);
                }
            }
            let mention = SubjectMention {
                name: short_text(&f("name"), s.name.as_deref())?,
                age,
                dob: short_text(&f("dob"), s.dob.as_deref())?,
                school: short_text(&f("school"), s.school.as_deref())?,
                phone: short_text(&f("phone"), s.phone.as_deref())?,
                email: short_text(&f("email"), s.email.as_deref())?,
                handles,
            };
            if !mention.is_empty() {
                subjects.push(mention);
            }
        }
        let contact = match r.contact {
            None => None,
            Some(c) => {
                let c = Contact {
                    name: short_text("contact.name", c.name.as_deref())?,
                    phone: short_text("contact.phone", c.phone.as_deref())?,
                    email: short_text("contact.email", c.email.as_deref())?,
                };
                if c.name.is_none() && c.phone.is_none() && c.email.is_none() { None } else { Some(c) }
            }
        };
        if let Some(id) = r.site_id
            && id <= 0
        {
            return Err(FieldError::new("site_id", "must be a registered site's id"));
        }
        Ok(NewTip { category, narrative, language, location, site_id: r.site_id, subjects, contact })
    }
}

/// The receipt. Shown once: the passphrase is not stored and cannot be shown again.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TipReceipt {
    /// Short, readable aloud; quote it when you follow up.
    pub reference: String,
    /// Secret; with the reference it lets you read replies and add information.
    pub passphrase: String,
    /// The status in plain words.
    pub status: String,
    /// What happens next, in plain words.
    pub next_steps: String,
}
