//! Jaro–Winkler for short ASCII strings without allocating: the hot loop of batch scoring.
//!
//! `strsim::jaro_winkler` walks `char`s and allocates its match flags on every call; over
//! twenty million candidate pairs that (with the allocator) was a quarter of the batch's time.
//! Names, e-mail users, handles and streets are short and, once folded, almost always ASCII:
//! for those the flags fit in two `u64`s and the matching is bit-parallel. It pairs the same
//! characters as strsim's scan and the arithmetic is strsim's, step for step, so the result is
//! the same number to the bit (a property test holds it to that); anything longer than 64
//! bytes or not ASCII goes to strsim.

/// Jaro–Winkler similarity of `a` and `b`, equal to `strsim::jaro_winkler(a, b)`.
pub fn jaro_winkler(a: &str, b: &str) -> f64 {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    if x.len() > 64 || y.len() > 64 || !a.is_ascii() || !b.is_ascii() {
        return strsim::jaro_winkler(a, b);
    }
    let sim = jaro(x, y);
    if sim > 0.7 {
        let prefix = x.iter().take(4).zip(y).take_while(|(p, q)| p == q).count();
        sim + 0.1 * prefix as f64 * (1.0 - sim)
    } else {
        sim
    }
}

thread_local! {
    /// Per byte value, the positions of `b` that hold it; all zero between calls.
    static POSITIONS: std::cell::RefCell<[u64; 128]> = const { std::cell::RefCell::new([0; 128]) };
}

/// The bits `lo..hi` of a `u64` (`hi` at most 64).
fn bits(lo: usize, hi: usize) -> u64 {
    let below_hi = if hi >= 64 { u64::MAX } else { (1u64 << hi) - 1 };
    below_hi & !((1u64 << lo) - 1)
}

/// Jaro similarity of two ASCII byte strings of at most 64 bytes.
///
/// Bit-parallel: a table gives, for each byte value, the positions of `b` holding it, so the
/// first free match of `a[i]` inside its window is the lowest bit of one AND — the same
/// match the textbook scan of the window finds, without scanning it.
fn jaro(a: &[u8], b: &[u8]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    } else if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let range = (a.len().max(b.len()) / 2).saturating_sub(1);
    let (a_flags, b_flags, matches) = POSITIONS.with_borrow_mut(|at| {
        for (j, &d) in b.iter().enumerate() {
            at[usize::from(d & 0x7f)] |= 1 << j;
        }
        let (mut a_flags, mut b_flags, mut matches) = (0u64, 0u64, 0usize);
        for (i, &c) in a.iter().enumerate() {
            let window = bits(i.saturating_sub(range), b.len().min(i + range + 1));
            let free = at[usize::from(c & 0x7f)] & window & !b_flags;
            if free != 0 {
                a_flags |= 1 << i;
                b_flags |= free & free.wrapping_neg();
                matches += 1;
            }
        }
        for &d in b {
            at[usize::from(d & 0x7f)] = 0;
        }
        (a_flags, b_flags, matches)
    });
    if matches == 0 {
        return 0.0;
    }
    // The k-th matched byte of `a` against the k-th matched byte of `b`.
    let (mut af, mut bf, mut transpositions) = (a_flags, b_flags, 0usize);
    while af != 0 {
        let (i, j) = (af.trailing_zeros() as usize, bf.trailing_zeros() as usize);
        transpositions += usize::from(a[i] != b[j]);
        af &= af - 1;
        bf &= bf - 1;
    }
    transpositions /= 2;
    ((matches as f64 / a.len() as f64)
        + (matches as f64 / b.len() as f64)
        + ((matches - transpositions) as f64 / matches as f64))
        / 3.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_values_and_edges() {
        for (a, b) in [
            ("", ""),
            ("", "a"),
            ("martha", "marhta"),
            ("dixon", "dicksonx"),
            ("cheeseburger", "cheese fries"),
            ("jon", "john"),
            ("a", "a"),
            (
                "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl",
                "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkm",
            ),
            ("josé", "jose"),
        ] {
            assert_eq!(jaro_winkler(a, b).to_bits(), strsim::jaro_winkler(a, b).to_bits(), "{a:?} {b:?}");
        }
    }

    proptest! {
        #[test]
        fn the_same_number_as_strsim(a in "[a-e ]{0,70}", b in "[a-e ]{0,70}") {
            prop_assert_eq!(jaro_winkler(&a, &b).to_bits(), strsim::jaro_winkler(&a, &b).to_bits());
        }

        #[test]
        fn the_same_number_as_strsim_on_any_text(a in "\\PC{0,20}", b in "\\PC{0,20}") {
            prop_assert_eq!(jaro_winkler(&a, &b).to_bits(), strsim::jaro_winkler(&a, &b).to_bits());
        }
    }
}
