//! Dates of birth in many formats, partial dates, and ages turned into birth years.

/// A possibly partial date of birth. `month`/`day` are 0 when unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartialDate {
    /// Year (always known).
    pub year: u16,
    /// Month 1–12, 0 = unknown.
    pub month: u8,
    /// Day 1–31, 0 = unknown.
    pub day: u8,
    /// True when the year was derived from an age, so it may be one off.
    pub approx: bool,
}

impl PartialDate {
    /// True when year, month and day are all known.
    pub fn is_full(&self) -> bool {
        self.month != 0 && self.day != 0 && !self.approx
    }
}

impl std::fmt::Display for PartialDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.month, self.day) {
            (0, _) if self.approx => write!(f, "~{}", self.year),
            (0, _) => write!(f, "{}", self.year),
            (m, 0) => write!(f, "{}-{:02}", self.year, m),
            (m, d) => write!(f, "{}-{:02}-{:02}", self.year, m, d),
        }
    }
}

/// The date ages are counted from ("age 17" → born 17 years before it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefDate {
    /// Year.
    pub year: u16,
    /// Month 1–12.
    pub month: u8,
    /// Day 1–31.
    pub day: u8,
}

impl RefDate {
    /// Today's date (UTC) from the system clock.
    #[expect(
        clippy::disallowed_methods,
        reason = "the default reference date for ages, when the caller names none; ages move by a year at most"
    )]
    pub fn today() -> Self {
        let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
        // civil-from-days (Howard Hinnant)
        let z = (secs / 86_400) as i64 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as u16;
        RefDate { year, month, day }
    }
}

const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

fn month_of(word: &str) -> Option<u8> {
    if word.len() < 3 {
        return None;
    }
    MONTHS.iter().position(|m| word.starts_with(m)).map(|i| i as u8 + 1)
}

fn days_in(month: u8, year: u16) -> u8 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn full(year: u16, month: u8, day: u8, r: RefDate) -> Option<PartialDate> {
    (1880..=r.year).contains(&year).then_some(())?;
    (1..=12).contains(&month).then_some(())?;
    (1..=days_in(month, year)).contains(&day).then_some(())?;
    Some(PartialDate { year, month, day, approx: false })
}

fn year4(s: &str, r: RefDate) -> Option<u16> {
    let y: u16 = s.parse().ok()?;
    match s.len() {
        4 => Some(y),
        2 => Some(if y <= r.year % 100 { 2000 + y } else { 1900 + y }),
        _ => None,
    }
}

/// Parses a date of birth or an age. Accepted: `2007-03-14`, `03/14/2007`,
/// `14/03/2007` (day first when the first number is over 12), `14.03.2007`
/// (dots: day first), `3-14-2007`, `March 14 2007`, `14 Mar 2007`, `20070314`,
/// `2007`, `03/2007`, `March 2007`, and ages (`17`, `age 17`, `17 years`,
/// `17 yo`) counted back from `r`. Ambiguous slash dates are read month first
/// (US); the comparison has a day/month-swap level for the other reading.
pub fn parse_dob(raw: &str, r: RefDate) -> Option<PartialDate> {
    let s = raw.trim().to_lowercase();
    if s.is_empty() {
        return None;
    }
    let dots = s.contains('.') && !s.contains('/') && !s.contains('-');
    let toks: Vec<&str> = s.split(|c: char| !c.is_ascii_alphanumeric()).filter(|t| !t.is_empty()).collect();
    // split tokens like "17yo" / "17yrs"
    let mut nums: Vec<&str> = Vec::new();
    let mut month_word = None;
    let mut age_word = false;
    for t in &toks {
        let digits = t.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            nums.push(digits);
            let suffix = &t[digits.len()..];
            if matches!(suffix, "y" | "yo" | "yr" | "yrs" | "years" | "st" | "nd" | "rd" | "th") {
                age_word |= suffix.starts_with('y');
            } else if !suffix.is_empty() {
                return None;
            }
        } else if let Some(m) = month_of(t) {
            month_word = Some(m);
        } else if matches!(*t, "age" | "aged" | "years" | "year" | "yrs" | "yo" | "old") {
            age_word = true;
        } else if !matches!(*t, "of" | "the" | "born" | "dob" | "about" | "approx" | "ca" | "circa") {
            return None;
        }
    }
    if let Some(m) = month_word {
        return match nums.as_slice() {
            [a, b] if a.len() == 4 => full(a.parse().ok()?, m, b.parse().ok()?, r),
            [a, b] => full(year4(b, r)?, m, a.parse().ok()?, r),
            [y] if y.len() == 4 => {
                let year = y.parse().ok()?;
                (1880..=r.year).contains(&year).then_some(PartialDate { year, month: m, day: 0, approx: false })
            }
            _ => None,
        };
    }
    match nums.as_slice() {
        [one] if age_word || one.len() <= 3 => {
            let age: u16 = one.parse().ok()?;
            if age > 120 {
                return None;
            }
            Some(PartialDate { year: r.year.checked_sub(age + 1)? + 1, month: 0, day: 0, approx: true })
        }
        [one] if one.len() == 4 => {
            let year = one.parse().ok()?;
            (1880..=r.year).contains(&year).then_some(PartialDate { year, month: 0, day: 0, approx: false })
        }
        [one] if one.len() == 8 => {
            let (a, b, c) = (&one[..4], &one[4..6], &one[6..]);
            let ymd = full(a.parse().ok()?, b.parse().ok()?, c.parse().ok()?, r);
            ymd.or_else(|| {
                let (m, d, y) = (&one[..2], &one[2..4], &one[4..]);
                full(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?, r)
                    .or_else(|| full(y.parse().ok()?, d.parse().ok()?, m.parse().ok()?, r))
            })
        }
        [a, b, c] if a.len() == 4 => full(a.parse().ok()?, b.parse().ok()?, c.parse().ok()?, r),
        [a, b, c] => {
            let y = year4(c, r)?;
            let (a, b): (u8, u8) = (a.parse().ok()?, b.parse().ok()?);
            if dots || a > 12 { full(y, b, a, r) } else { full(y, a, b, r).or_else(|| full(y, b, a, r)) }
        }
        [a, b] => {
            let (m, y) = if a.len() == 4 { (b, a) } else { (a, b) };
            let (year, month): (u16, u8) = (year4(y, r)?, m.parse().ok()?);
            ((1..=12).contains(&month) && (1880..=r.year).contains(&year)).then_some(PartialDate {
                year,
                month,
                day: 0,
                approx: false,
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const R: RefDate = RefDate { year: 2024, month: 6, day: 1 };

    fn p(s: &str) -> String {
        parse_dob(s, R).map(|d| d.to_string()).unwrap_or_else(|| "-".into())
    }

    #[test]
    fn formats() {
        for s in [
            "2007-03-14",
            "03/14/2007",
            "3/14/2007",
            "14/03/2007",
            "14.03.2007",
            "March 14 2007",
            "Mar 14, 2007",
            "14 Mar 2007",
            "20070314",
            "03-14-2007",
            "03142007",
        ] {
            assert_eq!(p(s), "2007-03-14", "{s}");
        }
        assert_eq!(p("03.04.2007"), "2007-04-03");
        assert_eq!(p("03/04/2007"), "2007-03-04");
        assert_eq!(p("2007"), "2007");
        assert_eq!(p("03/2007"), "2007-03");
        assert_eq!(p("March 2007"), "2007-03");
        assert_eq!(p("age 17"), "~2007");
        assert_eq!(p("17 yrs"), "~2007");
        assert_eq!(p("17"), "~2007");
        assert_eq!(p("02/30/2007"), "-");
        assert_eq!(p("banana"), "-");
    }

    #[test]
    fn today_is_plausible() {
        let t = RefDate::today();
        assert!(t.year >= 2024 && (1..=12).contains(&t.month) && (1..=31).contains(&t.day));
    }
}
