//! Street addresses (suffix abbreviations, unit numbers), cities, states and 5-digit ZIP codes.

use super::Text;

/// A normalised street address.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Street {
    /// House number, street name and abbreviated suffix ("12 oak st"), unit removed.
    pub text: Text,
    /// Byte length of the part before the suffix ("12 oak").
    pub core_len: u8,
    /// The unit ("5" for "Apt 5", "#5", "Unit 5"), if any.
    pub unit: Option<Text>,
}

impl Street {
    /// Number and name without the suffix.
    pub fn core(&self) -> &str {
        &self.text[..usize::from(self.core_len)]
    }
}

const SUFFIXES: &[(&str, &str)] = &[
    ("street", "st"),
    ("str", "st"),
    ("avenue", "ave"),
    ("av", "ave"),
    ("avn", "ave"),
    ("road", "rd"),
    ("drive", "dr"),
    ("drv", "dr"),
    ("lane", "ln"),
    ("court", "ct"),
    ("boulevard", "blvd"),
    ("blv", "blvd"),
    ("place", "pl"),
    ("circle", "cir"),
    ("terrace", "ter"),
    ("parkway", "pkwy"),
    ("pky", "pkwy"),
    ("highway", "hwy"),
    ("square", "sq"),
    ("trail", "trl"),
    ("way", "way"),
    ("alley", "aly"),
    ("crescent", "cres"),
    ("expressway", "expy"),
    ("freeway", "fwy"),
    ("plaza", "plz"),
    ("point", "pt"),
    ("route", "rte"),
    ("turnpike", "tpke"),
    ("row", "row"),
    ("loop", "loop"),
    ("run", "run"),
    ("path", "path"),
    ("pike", "pike"),
    ("walk", "walk"),
];
const ABBRS: &[&str] = &[
    "st", "ave", "rd", "dr", "ln", "ct", "blvd", "pl", "cir", "ter", "pkwy", "hwy", "sq", "trl", "way", "aly", "cres",
    "expy", "fwy", "plz", "pt", "rte", "tpke", "row", "loop", "run", "path", "pike", "walk",
];
const UNIT_WORDS: &[&str] =
    &["apt", "apartment", "unit", "suite", "ste", "no", "number", "flat", "rm", "room", "fl", "floor"];

/// Normalises a street line: folded, suffix abbreviated (USPS style), unit split off.
pub fn normalize_street(raw: &str) -> Option<Street> {
    let s = super::fold(&raw.replace('#', " apt "));
    let mut words: Vec<&str> = s.split(' ').filter(|w| !w.is_empty()).collect();
    let mut unit = None;
    if let Some(i) = words.iter().position(|w| UNIT_WORDS.contains(w)).filter(|&i| i > 0) {
        let u = words[i + 1..].join(" ");
        if !u.is_empty() {
            unit = Some(u.into());
        }
        words.truncate(i);
    }
    let mut out: Vec<&str> =
        words.iter().map(|w| SUFFIXES.iter().find(|(f, _)| f == w).map_or(*w, |(_, a)| *a)).collect();
    if out.is_empty() {
        return None;
    }
    let has_suffix = out.len() > 2 && ABBRS.contains(out.last().unwrap_or(&""));
    let text = out.join(" ");
    let core_len = if has_suffix {
        let last = out.pop().unwrap_or("");
        text.len() - last.len() - 1
    } else {
        text.len()
    };
    Some(Street { core_len: core_len.min(255) as u8, text: text.into(), unit })
}

/// Folds a city name ("St. Louis" → "st louis").
pub fn normalize_city(raw: &str) -> Option<Text> {
    let c = super::fold(raw);
    (!c.is_empty()).then(|| c.into())
}

/// Two-letter state code, upper case.
pub fn normalize_state(raw: &str) -> Option<Text> {
    let c = super::fold(raw).to_uppercase();
    (!c.is_empty()).then(|| c.into())
}

/// The 5-digit ZIP code ("12345-6789" and "123456789" → 12345).
pub fn normalize_postcode(raw: &str) -> Option<u32> {
    let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
    match digits.len() {
        5 | 9 => digits[..5].parse().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streets() {
        let s = normalize_street("12 Oak Street, Apt 5").unwrap();
        assert_eq!((&*s.text, s.core(), s.unit.as_deref()), ("12 oak st", "12 oak", Some("5")));
        let t = normalize_street("12 OAK ST #5").unwrap();
        assert_eq!((&*t.text, t.unit.as_deref()), ("12 oak st", Some("5")));
        assert_eq!(normalize_street("7 North Avenue").unwrap().text.as_str(), "7 north ave");
        assert_eq!(normalize_street("7 North").unwrap().core(), "7 north");
    }

    #[test]
    fn zips() {
        assert_eq!(normalize_postcode("02134-1234"), Some(2134));
        assert_eq!(normalize_postcode("1234"), None);
    }
}
