//! Unicode folding shared by every text field: accents off, lower case, punctuation to spaces.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Folds `s` to lower-case ASCII-ish words: NFKD, combining marks removed,
/// lower-cased, anything not alphanumeric turned into a single space, trimmed.
/// `ß` becomes `ss`, `ø` `o`, `æ` `ae` and so on for a few letters NFKD keeps.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.nfkd() {
        if is_combining_mark(c) {
            continue;
        }
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            match c {
                'ß' => out.push_str("ss"),
                'ø' | 'Ø' => out.push('o'),
                'æ' | 'Æ' => out.push_str("ae"),
                'œ' | 'Œ' => out.push_str("oe"),
                'ł' | 'Ł' => out.push('l'),
                'đ' | 'Đ' => out.push('d'),
                _ => out.extend(c.to_lowercase()),
            }
        } else {
            space = true;
        }
    }
    out
}

/// Jaro–Winkler similarity with the arguments put in a canonical order, so
/// the result is exactly symmetric.
pub fn jw(a: &str, b: &str) -> f64 {
    if a <= b { super::jaro::jaro_winkler(a, b) } else { super::jaro::jaro_winkler(b, a) }
}

/// True when `a` and `b` (same length) differ in exactly one position or by
/// one swap of adjacent characters.
pub fn one_slip(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() || a == b {
        return false;
    }
    let diff: Vec<usize> = (0..a.len()).filter(|&i| a[i] != b[i]).take(3).collect();
    match diff.as_slice() {
        [_] => true,
        [i, j] => *j == i + 1 && a[*i] == b[*j] && a[*j] == b[*i],
        _ => false,
    }
}

/// [`one_slip`] on the decimal digits of two numbers, zero-padded to `width`.
pub fn one_slip_num(a: u64, b: u64, width: usize) -> bool {
    let digits = |mut x: u64| {
        let mut d = [0u8; 20];
        for i in (0..width.min(20)).rev() {
            d[i] = (x % 10) as u8;
            x /= 10;
        }
        d
    };
    let w = width.min(20);
    one_slip(&digits(a)[..w], &digits(b)[..w])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_accents_case_and_punctuation() {
        assert_eq!(fold("  José-María  O'Brien "), "jose maria o brien");
        assert_eq!(fold("STRAßE"), "strasse");
        assert_eq!(fold("Łukasz Ørsted"), "lukasz orsted");
    }

    #[test]
    fn slips() {
        assert!(one_slip(b"12345", b"12354"));
        assert!(one_slip(b"12345", b"12395"));
        assert!(!one_slip(b"12345", b"13254"));
        assert!(!one_slip(b"12345", b"12345"));
        assert!(one_slip_num(2125550134, 2125550143, 10));
        assert!(one_slip_num(1987, 1978, 4));
        assert!(!one_slip_num(1987, 1789, 4));
    }
}
