//! North American phone numbers to E.164, with or without the area code.

/// A normalised phone number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Phone {
    /// The 10-digit national number (area code + local), when the area code was given.
    pub national: Option<u64>,
    /// The last seven digits (exchange + line).
    pub local: u32,
}

impl Phone {
    /// E.164 form (`+1NPANXXXXXX`), or the bare 7 digits when no area code was given.
    pub fn e164(&self) -> String {
        match self.national {
            Some(n) => format!("+1{n:010}"),
            None => format!("{:07}", self.local),
        }
    }
}

/// Parses a North American number: 10 digits, 11 with a leading 1, or 7
/// (no area code); any punctuation, spaces, `+`. Extensions ("x123") are dropped.
pub fn normalize_phone(raw: &str) -> Option<Phone> {
    let main = raw.to_lowercase();
    let main = main.split(['x', 'e']).next().unwrap_or("");
    let digits: String = main.chars().filter(char::is_ascii_digit).collect();
    let d = match digits.len() {
        11 if digits.starts_with('1') => &digits[1..],
        10 | 7 => &digits[..],
        _ => return None,
    };
    if d.bytes().all(|b| b == d.as_bytes()[0]) {
        return None; // 0000000000, 5555555 and the like
    }
    let local: u32 = d[d.len() - 7..].parse().ok()?;
    let national = (d.len() == 10).then(|| d.parse().ok()).flatten();
    Some(Phone { national, local })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        for s in [
            "(212) 555-0134",
            "212-555-0134",
            "212.555.0134",
            "2125550134",
            "+12125550134",
            "+1 212 555 0134",
            "1-212-555-0134",
            "212 555 0134 x12",
        ] {
            assert_eq!(normalize_phone(s).unwrap().e164(), "+12125550134", "{s}");
        }
        let p = normalize_phone("555-0134").unwrap();
        assert_eq!(p.national, None);
        assert_eq!(p.e164(), "5550134");
        assert!(normalize_phone("12345").is_none());
        assert!(normalize_phone("000-000-0000").is_none());
    }
}
