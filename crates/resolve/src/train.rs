//! Unsupervised estimation: u from random pairs, m and the prior by expectation–maximisation.

use crate::compare::{self, FIELDS, Field, MAXL, NF, Pattern};
use crate::model::{Model, Table, normalise_table};
use crate::record::{NormRecord, Normalizer};
use rayon::prelude::*;
use rustc_hash::FxHashMap;

/// Counts of comparison patterns.
pub type Counts = FxHashMap<Pattern, u64>;

/// An EM training session: the candidate pairs found by some blocking keys,
/// with the fields those keys constrain left out (their agreement there is
/// forced by the blocking, so it says nothing about m), as in Splink.
#[derive(Debug, Clone, Copy)]
pub struct Session {
    /// Name for reports.
    pub name: &'static str,
    /// Bit mask of key kinds (see [`crate::blocking::KEY_NAMES`]) whose pairs are used.
    pub keys: u32,
    /// Fields not estimated in this session.
    pub held_out: &'static [Field],
}

/// The default sessions: pairs blocked on names (estimates everything but
/// names), on dates of birth (estimates names and the rest), on e-mail.
pub const SESSIONS: [Session; 3] = [
    Session { name: "names", keys: 1 << 9, held_out: &[Field::FirstName, Field::LastName] },
    Session { name: "date of birth", keys: 1 << 7 | 1 << 8, held_out: &[Field::Dob] },
    Session { name: "e-mail", keys: 1 << 0, held_out: &[Field::Email] },
];

/// Training settings.
#[derive(Debug, Clone, Copy)]
pub struct TrainConfig {
    /// Random pairs sampled for u.
    pub u_pairs: usize,
    /// EM iterations per session.
    pub em_iterations: usize,
    /// Seed of the pair sampler.
    pub seed: u64,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig { u_pairs: 2_000_000, em_iterations: 30, seed: 1 }
    }
}

fn splitmix(x: &mut u64) -> u64 {
    *x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *x;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// u probabilities from `pairs` random pairs of distinct records, with
/// half-count smoothing so that no level has probability 0.
///
/// Pairs are drawn by `rank` (a content-based order of the records), so the
/// sample does not depend on the input order.
pub fn estimate_u(records: &[NormRecord], rank: &[u32], pairs: usize, seed: u64) -> Table {
    let mut by_rank = vec![0u32; records.len()];
    for (i, &r) in rank.iter().enumerate() {
        by_rank[r as usize] = i as u32;
    }
    let n = records.len() as u64;
    let mut u = [[0.0; MAXL]; NF];
    if n < 2 {
        return Model::default_prior().u;
    }
    let chunks = 64;
    let counts: Vec<[[u64; MAXL]; NF]> = (0..chunks)
        .into_par_iter()
        .map(|c| {
            let mut st = seed ^ (c as u64).wrapping_mul(0xA076_1D64_78BD_642F);
            let mut t = [[0u64; MAXL]; NF];
            for _ in 0..pairs / chunks {
                let i = splitmix(&mut st) % n;
                let j = splitmix(&mut st) % n;
                if i == j {
                    continue;
                }
                let (i, j) = (by_rank[i as usize] as usize, by_rank[j as usize] as usize);
                let p = compare::compare(&records[i], &records[j]).pattern;
                for (f, row) in t.iter_mut().enumerate() {
                    row[compare::level(p, f)] += 1;
                }
            }
            t
        })
        .collect();
    let prior = Model::default_prior().u;
    for f in FIELDS {
        let i = f as usize;
        let seen: u64 = (1..f.n_levels()).map(|l| counts.iter().map(|t| t[i][l]).sum::<u64>()).sum();
        if seen < 1000 {
            u[i] = prior[i]; // too few pairs have the field: keep the hand-set values
            continue;
        }
        for l in 1..f.n_levels() {
            u[i][l] = counts.iter().map(|t| t[i][l]).sum::<u64>() as f64 + 0.5;
        }
    }
    normalise_table(&mut u);
    u
}

/// Expectation–maximisation over pattern counts with u fixed. Updates `m`
/// for the fields in `free` (when `update_m`) and the share `lambda` of
/// matches among the counted pairs. Returns the iterations run.
pub fn em(
    counts: &[(Pattern, f64)],
    m: &mut Table,
    u: &Table,
    lambda: &mut f64,
    free: [bool; NF],
    update_m: bool,
    iterations: usize,
) -> usize {
    for it in 0..iterations {
        let lm: Table = m.map(|r| r.map(|x| x.max(1e-12).ln()));
        let lu: Table = u.map(|r| r.map(|x| x.max(1e-12).ln()));
        let mut acc = [[0.0; MAXL]; NF];
        let (mut sr, mut tot) = (0.0, 0.0);
        let (l1, l0) = (lambda.ln(), (1.0 - *lambda).ln());
        for &(p, c) in counts {
            let (mut a, mut b) = (l1, l0);
            for f in 0..NF {
                let l = compare::level(p, f);
                if l != 0 && free[f] {
                    a += lm[f][l];
                    b += lu[f][l];
                }
            }
            let r = 1.0 / (1.0 + (b - a).exp());
            sr += c * r;
            tot += c;
            for (f, row) in acc.iter_mut().enumerate() {
                let l = compare::level(p, f);
                if l != 0 {
                    row[l] += c * r;
                }
            }
        }
        if tot == 0.0 {
            return it;
        }
        let new_lambda = (sr / tot).clamp(1e-9, 1.0 - 1e-9);
        let mut delta = (new_lambda - *lambda).abs();
        *lambda = new_lambda;
        if update_m {
            for f in FIELDS {
                let i = f as usize;
                if !free[i] {
                    continue;
                }
                let n = f.n_levels();
                let s: f64 = acc[i][1..n].iter().sum::<f64>();
                if s < 1.0 {
                    continue;
                }
                for l in 1..n {
                    let v = (acc[i][l] + 0.01) / (s + 0.01 * (n - 1) as f64);
                    delta = delta.max((v - m[i][l]).abs());
                    m[i][l] = v;
                }
            }
        }
        if delta < 1e-5 {
            return it + 1;
        }
    }
    iterations
}

/// What training found, for reports.
#[derive(Debug, Clone, Default)]
pub struct TrainReport {
    /// Per session: name, pairs used, share of matches estimated, iterations.
    pub sessions: Vec<(&'static str, u64, f64, usize)>,
    /// Share of all candidate pairs estimated to match.
    pub lambda_candidates: f64,
    /// Candidate pairs counted.
    pub candidate_pairs: u64,
}

/// Trains a model: u from random pairs of `records`, m by EM sessions over
/// the session pattern counts (`session_counts[s]` for [`SESSIONS`]`[s]`),
/// then the prior from one more EM pass (m and u fixed) over all candidate
/// pairs, scaled from candidate pairs to all pairs. The counts cover the
/// candidates of one record in `sample_modulus`.
#[allow(clippy::too_many_arguments)]
pub fn train(
    records: &[NormRecord],
    rank: &[u32],
    all: &Counts,
    session_counts: &[Counts],
    sample_modulus: u64,
    cfg: &TrainConfig,
    normalizer: Normalizer,
) -> (Model, TrainReport) {
    let u = estimate_u(records, rank, cfg.u_pairs, cfg.seed);
    let init = Model::default_prior();
    let mut sum = [[0.0; MAXL]; NF];
    let mut n_est = [0usize; NF];
    let mut report = TrainReport::default();
    for (s, counts) in SESSIONS.iter().zip(session_counts) {
        let mut free = [true; NF];
        for f in s.held_out {
            free[*f as usize] = false;
        }
        let list: Vec<(Pattern, f64)> = counts.iter().map(|(&p, &c)| (p, c as f64)).collect();
        let pairs: u64 = counts.values().sum();
        if pairs < 100 {
            continue;
        }
        let mut m = init.m;
        let mut lambda = 0.3;
        let it = em(&list, &mut m, &u, &mut lambda, free, true, cfg.em_iterations);
        report.sessions.push((s.name, pairs, lambda, it));
        for f in 0..NF {
            if free[f] {
                for l in 0..MAXL {
                    sum[f][l] += m[f][l];
                }
                n_est[f] += 1;
            }
        }
    }
    let mut m = init.m;
    for f in 0..NF {
        if n_est[f] > 0 {
            m[f] = sum[f].map(|x| x / n_est[f] as f64);
        }
    }
    normalise_table(&mut m);
    let list: Vec<(Pattern, f64)> = all.iter().map(|(&p, &c)| (p, c as f64)).collect();
    let cand: u64 = all.values().sum::<u64>() * sample_modulus;
    let mut lb = 0.1;
    em(&list, &mut m, &u, &mut lb, [true; NF], false, cfg.em_iterations);
    report.lambda_candidates = lb;
    report.candidate_pairs = cand;
    let n = records.len() as f64;
    let total_pairs = (n * (n - 1.0) / 2.0).max(1.0);
    let lambda = (lb * cand as f64 / total_pairs).clamp(1e-12, 0.5);
    (Model::new(m, u, lambda, normalizer), report)
}
