//! Per-field comparison levels of two normalised records, packed into a pattern.

use crate::normalize::text::{jw, one_slip_num};
use crate::normalize::{NameNorm, PartialDate, nickname::share};
use crate::record::NormRecord;

/// Number of compared fields.
pub const NF: usize = 8;
/// Largest number of levels of a field (level 0 = missing included).
pub const MAXL: usize = 8;

/// The compared fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Field {
    /// Given name.
    FirstName,
    /// Surname.
    LastName,
    /// Date of birth.
    Dob,
    /// Phone.
    Phone,
    /// E-mail.
    Email,
    /// Handle.
    Handle,
    /// Address: street, city/state and ZIP judged together (they are not
    /// independent: the same street implies the same city and ZIP).
    Address,
    /// National id.
    NationalId,
}

/// All fields in pattern order.
pub const FIELDS: [Field; NF] = [
    Field::FirstName,
    Field::LastName,
    Field::Dob,
    Field::Phone,
    Field::Email,
    Field::Handle,
    Field::Address,
    Field::NationalId,
];

impl Field {
    /// Name as a detective reads it.
    pub fn label(self) -> &'static str {
        ["first name", "last name", "date of birth", "phone", "e-mail", "handle", "address", "national id"]
            [self as usize]
    }

    /// Level names; index 0 is "missing" (one side or both lack the field),
    /// the last is "different", better levels come first.
    pub fn levels(self) -> &'static [&'static str] {
        match self {
            Field::FirstName => &[
                "missing",
                "exact",
                "nickname",
                "phonetic match",
                "similar spelling",
                "loosely similar spelling",
                "initial matches",
                "different",
            ],
            Field::LastName => &[
                "missing",
                "exact",
                "phonetic match",
                "similar spelling",
                "loosely similar spelling",
                "initial matches",
                "different",
            ],
            Field::Dob => &[
                "missing",
                "exact",
                "day and month swapped",
                "one part differs (slip)",
                "same year only",
                "different, within 5 years",
                "different by more than 5 years",
            ],
            Field::Phone => &["missing", "exact", "same local number", "one digit differs", "different"],
            Field::Email => &["missing", "exact", "same user name, other domain", "similar user name", "different"],
            Field::Handle => &["missing", "exact", "same apart from trailing digits", "similar", "different"],
            Field::Address => &[
                "missing",
                "same street address",
                "same house number and street name",
                "similar street address",
                "same ZIP code, other street",
                "same city, other street",
                "different",
            ],
            Field::NationalId => &["missing", "exact", "one character differs", "different"],
        }
    }

    /// Number of levels including "missing".
    pub fn n_levels(self) -> usize {
        self.levels().len()
    }
}

/// Comparison levels of all fields, 4 bits each (field `i` at bits `4i..4i+4`).
pub type Pattern = u64;

/// The level of field `f` in a pattern.
#[inline]
pub fn level(p: Pattern, f: usize) -> usize {
    ((p >> (4 * f)) & 0xF) as usize
}

/// The pattern with field `f` set to `l`.
#[inline]
pub fn with_level(p: Pattern, f: usize, l: usize) -> Pattern {
    (p & !(0xF << (4 * f))) | ((l as u64) << (4 * f))
}

/// True when two strong personal identifiers contradict each other: given
/// name and full date of birth both different, or national ids different.
/// Shared surname, address or household phone cannot outweigh that: such
/// pairs are household members (parent and child, spouses), not one person.
pub fn conflict(p: Pattern) -> bool {
    (level(p, Field::FirstName as usize) == DIFF as usize && level(p, Field::Dob as usize) >= 5)
        || level(p, Field::NationalId as usize) == 3
}

/// The outcome of comparing two records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Comparison {
    /// Levels of every field.
    pub pattern: Pattern,
    /// True when the names matched only with first and last name swapped.
    pub swapped: bool,
}

const EXACT: u8 = 1;
const NICK: u8 = 2;
const PHON: u8 = 3;
const JW92: u8 = 4;
const JW80: u8 = 5;
const INITIAL: u8 = 6;
const DIFF: u8 = 7;

fn name_level(a: &NameNorm, b: &NameNorm, nick: bool) -> u8 {
    if a.initial_only || b.initial_only {
        return if a.initial() == b.initial() { INITIAL } else { DIFF };
    }
    if a.text == b.text {
        return EXACT;
    }
    if nick && share(&a.nick, &b.nick) {
        return NICK;
    }
    let phon = a.dm.iter().any(|&x| x != 0 && b.dm.contains(&x));
    if phon {
        return PHON;
    }
    let s = jw(&a.text, &b.text);
    if s >= 0.92 {
        JW92
    } else if s >= 0.80 {
        JW80
    } else {
        DIFF
    }
}

/// Maps a name level to the level index of the surname field (no nickname level).
fn last_index(l: u8) -> u64 {
    u64::from(if l >= NICK { l - 1 } else { l })
}

fn names(a: &NormRecord, b: &NormRecord) -> (u64, u64, bool) {
    let lf = match (&a.first, &b.first) {
        (Some(x), Some(y)) => name_level(x, y, true),
        _ => 0,
    };
    let ll = match (&a.last, &b.last) {
        (Some(x), Some(y)) => name_level(x, y, false),
        _ => 0,
    };
    if let (Some(af), Some(al), Some(bf), Some(bl)) = (&a.first, &a.last, &b.first, &b.last)
        && lf + ll > 2 * EXACT
        && !af.initial_only
        && !bf.initial_only
    {
        {
            let close =
                |x: &NameNorm, y: &NameNorm| x.text == y.text || x.dm.iter().any(|&c| c != 0 && y.dm.contains(&c));
            if close(af, bl) && close(al, bf) {
                let s1 = name_level(af, bl, true);
                let s2 = name_level(al, bf, true);
                if s1 + s2 >= lf + ll {
                    return (u64::from(lf), last_index(ll), false);
                }
                // symmetric assignment: the weaker of the two to the given name
                return (u64::from(s1.max(s2)), last_index(s1.min(s2)), true);
            }
        }
    }
    (u64::from(lf), last_index(ll), false)
}

fn year_close(a: u16, b: u16) -> bool {
    a.abs_diff(b) == 1 || one_slip_num(u64::from(a), u64::from(b), 4)
}

fn dob_level(a: &PartialDate, b: &PartialDate) -> u64 {
    if a.is_full() && b.is_full() {
        let (y, m, d) = (a.year == b.year, a.month == b.month, a.day == b.day);
        return if y && m && d {
            1
        } else if y && a.month == b.day && a.day == b.month {
            2
        } else if (y && (m || d)) || (m && d && year_close(a.year, b.year)) {
            3
        } else if y {
            4
        } else {
            far(a, b)
        };
    }
    let year = if a.approx || b.approx { a.year.abs_diff(b.year) <= 1 } else { a.year == b.year };
    let month = a.month == 0 || b.month == 0 || a.month == b.month;
    if year && month { 4 } else { far(a, b) }
}

fn far(a: &PartialDate, b: &PartialDate) -> u64 {
    if a.year.abs_diff(b.year) > 5 { 6 } else { 5 }
}

fn phone_level(a: &crate::normalize::Phone, b: &crate::normalize::Phone) -> u64 {
    match (a.national, b.national) {
        (Some(x), Some(y)) if x == y => 1,
        (Some(x), Some(y)) if one_slip_num(x, y, 10) => 3,
        _ if a.local == b.local => 2,
        (None, _) | (_, None) if one_slip_num(u64::from(a.local), u64::from(b.local), 7) => 3,
        _ => 4,
    }
}

/// Street, city/state and ZIP as one comparison; "missing" when no part is
/// present on both sides.
fn address_level(a: &NormRecord, b: &NormRecord) -> u64 {
    let street = match (&a.street, &b.street) {
        (Some(x), Some(y)) if x.text == y.text => return 1,
        (Some(x), Some(y)) if x.core() == y.core() => return 2,
        (Some(x), Some(y)) => Some(jw(&x.text, &y.text) >= 0.9),
        _ => None,
    };
    let zip = a.postcode.zip(b.postcode).map(|(x, y)| x == y);
    let state_ok = !matches!((&a.state, &b.state), (Some(x), Some(y)) if x != y);
    let city = a.city.as_ref().zip(b.city.as_ref()).map(|(x, y)| state_ok && (x == y || jw(x, y) >= 0.92));
    match (street, zip, city) {
        (None, None, None) => 0,
        (Some(true), Some(true) | None, _) | (Some(true), _, Some(true)) => 3,
        (_, Some(true), _) => 4,
        (_, _, Some(true)) => 5,
        _ => 6,
    }
}

fn opt<T: ?Sized>(a: Option<&T>, b: Option<&T>, f: impl FnOnce(&T, &T) -> u64) -> u64 {
    match (a, b) {
        (Some(x), Some(y)) => f(x, y),
        _ => 0,
    }
}

/// Compares two records field by field. Symmetric: `compare(a, b) == compare(b, a)`.
pub fn compare(a: &NormRecord, b: &NormRecord) -> Comparison {
    let (fl, ll, swapped) = names(a, b);
    let dob = opt(a.dob.as_ref(), b.dob.as_ref(), dob_level);
    let phone = opt(a.phone.as_ref(), b.phone.as_ref(), phone_level);
    let email = opt(a.email.as_ref(), b.email.as_ref(), |x, y| {
        if x.full == y.full {
            1
        } else if x.user() == y.user() {
            2
        } else if x.user().len() >= 4 && jw(x.user(), y.user()) >= 0.92 {
            3
        } else {
            4
        }
    });
    let handle = opt(a.handle.as_ref(), b.handle.as_ref(), |x, y| {
        if x.text == y.text {
            1
        } else if x.stem().len() >= 3 && x.stem() == y.stem() {
            2
        } else if jw(&x.text, &y.text) >= 0.92 {
            3
        } else {
            4
        }
    });
    let address = address_level(a, b);
    let nid = opt(a.national_id.as_deref(), b.national_id.as_deref(), |x, y| {
        if x == y {
            1
        } else if strsim::damerau_levenshtein(x, y) <= 1 {
            2
        } else {
            3
        }
    });
    let levels = [fl, ll, dob, phone, email, handle, address, nid];
    let pattern = levels.iter().enumerate().fold(0u64, |p, (i, &l)| p | l << (4 * i));
    Comparison { pattern, swapped }
}
