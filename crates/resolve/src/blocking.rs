//! Blocking keys and the batch block index that enumerates candidate pairs.

use crate::record::NormRecord;
use rayon::prelude::*;
use rustc_hash::FxHasher;
use std::hash::{Hash, Hasher};

/// Names of the blocking keys, in key-kind order.
pub const KEY_NAMES: [&str; 16] = [
    "e-mail",
    "e-mail user name",
    "phone",
    "phone local number",
    "handle",
    "handle without digits",
    "national id",
    "dob + first initial",
    "dob + last initial",
    "given name group + surname phonetic",
    "name phonetics in either order",
    "name prefixes + birth year",
    "ZIP + surname prefix",
    "ZIP + given-name prefix",
    "street",
    "surname + city",
];
/// Number of key kinds.
pub const NK: usize = KEY_NAMES.len();
/// Default cap on block size: larger blocks are skipped (too common to be evidence).
pub const DEFAULT_MAX_BLOCK: usize = 1000;

fn h(kind: usize, v: impl Hash) -> u64 {
    let mut s = FxHasher::default();
    kind.hash(&mut s);
    v.hash(&mut s);
    // never 0: 0 means "no key"
    s.finish() | 1
}

fn prefix(s: &str, n: usize) -> &str {
    &s[..s.char_indices().nth(n).map_or(s.len(), |(i, _)| i)]
}

/// The blocking keys of a record: `keys[k]` is 0 when the record has no key of kind `k`.
pub fn keys(r: &NormRecord) -> [u64; NK] {
    let mut k = [0u64; NK];
    if let Some(e) = &r.email {
        k[0] = h(0, &e.full);
        if e.user().len() >= 4 {
            k[1] = h(1, e.user());
        }
    }
    if let Some(p) = &r.phone {
        if let Some(n) = p.national {
            k[2] = h(2, n);
        }
        k[3] = h(3, p.local);
    }
    if let Some(x) = &r.handle {
        k[4] = h(4, &x.text);
        if x.stem().len() >= 4 {
            k[5] = h(5, x.stem());
        }
    }
    if let Some(n) = &r.national_id {
        k[6] = h(6, n);
    }
    let first = r.first.as_ref();
    let full_first = first.filter(|f| !f.initial_only);
    if let Some(d) = r.dob.filter(|d| d.is_full()) {
        if let Some(f) = first {
            k[7] = h(7, (d.year, d.month, d.day, f.initial()));
        }
        if let Some(l) = &r.last {
            k[8] = h(8, (d.year, d.month, d.day, l.initial()));
        }
    }
    if let (Some(f), Some(l)) = (full_first, &r.last) {
        k[9] = h(9, (f.canon_key(), l.dm[0]));
        let (a, b) = (f.dm[0].min(l.dm[0]), f.dm[0].max(l.dm[0]));
        k[10] = h(10, (a, b));
        if let Some(d) = r.dob {
            k[11] = h(11, (prefix(&f.text, 3), prefix(&l.text, 3), d.year));
        }
    }
    if let Some(z) = r.postcode {
        if let Some(l) = &r.last {
            k[12] = h(12, (z, prefix(&l.text, 2)));
        }
        if let Some(f) = first {
            k[13] = h(13, (z, prefix(&f.text, 2)));
        }
    }
    if let Some(s) = &r.street {
        k[14] = h(14, &s.text);
    }
    if let (Some(l), Some(c)) = (&r.last, &r.city) {
        k[15] = h(15, (&l.text, c));
    }
    k
}

const NONE: u32 = u32::MAX;

/// Block index over a fixed set of records (compressed rows: every block's
/// members in ascending record order, every record's block per key kind).
pub struct BlockIndex {
    rec_block: Vec<Vec<u32>>,
    offsets: Vec<u32>,
    members: Vec<u32>,
    /// Blocks skipped for being larger than the cap, per key kind.
    pub skipped: [usize; NK],
}

/// Per-thread scratch space for [`BlockIndex::candidates`].
pub struct Scratch {
    stamp: Vec<u32>,
    mask: Vec<u32>,
}

impl Scratch {
    /// Scratch for `n` records.
    pub fn new(n: usize) -> Self {
        Scratch { stamp: vec![NONE; n], mask: vec![0; n] }
    }
}

impl BlockIndex {
    /// Builds the index; blocks with more than `max_block` members are skipped.
    pub fn build(records: &[NormRecord], max_block: usize) -> Self {
        let n = records.len();
        let flat: Vec<[u64; NK]> = records.par_iter().map(keys).collect();
        let mut idx =
            BlockIndex { rec_block: Vec::with_capacity(NK), offsets: vec![0], members: Vec::new(), skipped: [0; NK] };
        for k in 0..NK {
            let mut entries: Vec<(u64, u32)> =
                flat.iter().enumerate().filter(|(_, ks)| ks[k] != 0).map(|(i, ks)| (ks[k], i as u32)).collect();
            entries.par_sort_unstable();
            let mut rb = vec![NONE; n];
            for group in entries.chunk_by(|a, b| a.0 == b.0) {
                if group.len() < 2 {
                    continue;
                }
                if group.len() > max_block {
                    idx.skipped[k] += 1;
                    continue;
                }
                let id = (idx.offsets.len() - 1) as u32;
                for &(_, r) in group {
                    idx.members.push(r);
                    rb[r as usize] = id;
                }
                idx.offsets.push(idx.members.len() as u32);
            }
            idx.rec_block.push(rb);
        }
        idx
    }

    /// Candidates `j < i` of record `i`, each with a bit mask of the key kinds that found it.
    pub fn candidates(&self, i: u32, s: &mut Scratch, out: &mut Vec<(u32, u32)>) {
        out.clear();
        for k in 0..NK {
            let b = self.rec_block[k][i as usize];
            if b == NONE {
                continue;
            }
            let ms = &self.members[self.offsets[b as usize] as usize..self.offsets[b as usize + 1] as usize];
            for &j in ms {
                if j >= i {
                    break;
                }
                let ju = j as usize;
                if s.stamp[ju] != i {
                    s.stamp[ju] = i;
                    s.mask[ju] = 0;
                    out.push((j, 0));
                }
                s.mask[ju] |= 1 << k;
            }
        }
        for c in out.iter_mut() {
            c.1 = s.mask[c.0 as usize];
        }
    }
}
