//! What a tipster reports: categories, languages and the validated new-tip input.

use crate::FieldError;

/// What the tip is about, as the tipster chose it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    PlannedAttack,
    Weapon,
    Threat,
    SelfHarm,
    Bullying,
    Abuse,
    Drugs,
    Trafficking,
    SuspiciousActivity,
    Cyber,
    Other,
}

impl Category {
    /// The category in words, as staff read it.
    pub fn label(self) -> &'static str {
        match self {
            Category::PlannedAttack => "Planned attack",
            Category::Weapon => "Weapon",
            Category::Threat => "Threat",
            Category::SelfHarm => "Self-harm or suicide",
            Category::Bullying => "Bullying",
            Category::Abuse => "Abuse",
            Category::Drugs => "Drugs",
            Category::Trafficking => "Trafficking",
            Category::SuspiciousActivity => "Suspicious activity",
            Category::Cyber => "Online harm",
            Category::Other => "Something else",
        }
    }

    pub const ALL: [Category; 11] = [
        Category::PlannedAttack,
        Category::Weapon,
        Category::Threat,
        Category::SelfHarm,
        Category::Bullying,
        Category::Abuse,
        Category::Drugs,
        Category::Trafficking,
        Category::SuspiciousActivity,
        Category::Cyber,
        Category::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Category::PlannedAttack => "planned_attack",
            Category::Weapon => "weapon",
            Category::Threat => "threat",
            Category::SelfHarm => "self_harm",
            Category::Bullying => "bullying",
            Category::Abuse => "abuse",
            Category::Drugs => "drugs",
            Category::Trafficking => "trafficking",
            Category::SuspiciousActivity => "suspicious_activity",
            Category::Cyber => "cyber",
            Category::Other => "other",
        }
    }

    pub fn parse(code: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// Languages triage has lexicons for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Language {
    En,
    Es,
}

impl Language {
    pub fn code(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Es => "es",
        }
    }

    pub fn parse(code: &str) -> Option<Language> {
        match code.to_ascii_lowercase().as_str() {
            "en" | "eng" | "english" => Some(Language::En),
            "es" | "spa" | "spanish" | "español" => Some(Language::Es),
            _ => None,
        }
    }
}

/// Longest narrative accepted, in characters.
pub const NARRATIVE_MAX_CHARS: usize = 20_000;
/// Longest free-text field (names, school, location text), in characters.
pub const SHORT_TEXT_MAX_CHARS: usize = 300;
/// Most subjects one tip may name.
pub const SUBJECTS_MAX: usize = 20;

/// A narrative: something visible after cleaning and trimming, at most [`NARRATIVE_MAX_CHARS`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Narrative(String);

impl Narrative {
    pub fn parse(raw: &str) -> Result<Narrative, FieldError> {
        crate::text::required("narrative", raw, NARRATIVE_MAX_CHARS).map(Narrative)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A point in WGS 84.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GeoPoint {
    lat: f64,
    lon: f64,
}

impl GeoPoint {
    pub fn parse(lat: f64, lon: f64) -> Result<GeoPoint, FieldError> {
        if !lat.is_finite() || !(-90.0..=90.0).contains(&lat) {
            return Err(FieldError::new("location.lat", "must be a number from -90 to 90"));
        }
        if !lon.is_finite() || !(-180.0..=180.0).contains(&lon) {
            return Err(FieldError::new("location.lon", "must be a number from -180 to 180"));
        }
        Ok(GeoPoint { lat, lon })
    }

    pub fn lat(&self) -> f64 {
        self.lat
    }

    pub fn lon(&self) -> f64 {
        self.lon
    }
}

/// Where the concern is: a point or the tipster's own words.
#[derive(Debug, Clone, PartialEq)]
pub enum Location {
    Point(GeoPoint),
    Text(String),
}

/// A person the tip is about, as the tipster described them. All fields optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubjectMention {
    pub name: Option<String>,
    pub age: Option<u8>,
    pub dob: Option<String>,
    pub school: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub handles: Vec<String>,
}

impl SubjectMention {
    pub fn is_empty(&self) -> bool {
        self.name.is_none()
            && self.age.is_none()
            && self.dob.is_none()
            && self.school.is_none()
            && self.phone.is_none()
            && self.email.is_none()
            && self.handles.is_empty()
    }
}

/// How to reach a tipster who chose to be reachable.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Contact {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// A tip as accepted at the edge: every field already valid.
#[derive(Debug, Clone, PartialEq)]
pub struct NewTip {
    pub category: Category,
    pub narrative: Narrative,
    pub language: Option<Language>,
    pub location: Option<Location>,
    pub site_id: Option<i64>,
    pub subjects: Vec<SubjectMention>,
    pub contact: Option<Contact>,
}

/// Checks an optional short free-text field: cleaned and trimmed, empty becomes `None`, text
/// with nothing visible is refused, bounded length.
pub fn short_text(field: &str, raw: Option<&str>) -> Result<Option<String>, FieldError> {
    let Some(raw) = raw else { return Ok(None) };
    if raw.trim().is_empty() {
        return Ok(None);
    }
    let text = crate::text::visible(raw).ok_or_else(|| FieldError::new(field, "has no visible character"))?;
    if text.chars().count() > SHORT_TEXT_MAX_CHARS {
        return Err(FieldError::new(field, format!("is longer than {SHORT_TEXT_MAX_CHARS} characters")));
    }
    Ok(Some(text))
}

closed_codes! {
    /// Who wrote a message on a tip or sent a file with it.
    pub enum Author {
        Tipster => "tipster",
        Staff => "staff",
    }
}
