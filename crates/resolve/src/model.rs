//! Fellegi–Sunter model: m and u probabilities per field level, prior, term frequencies, weights.

use crate::compare::{self, Comparison, FIELDS, Field, MAXL, NF, Pattern};
use crate::normalize::Text;
use crate::record::{NormRecord, Normalizer};
use rustc_hash::FxHashMap;

/// Per-field, per-level probabilities (index 0 = missing, unused).
pub type Table = [[f64; MAXL]; NF];

/// Counts of given names and surnames, for term-frequency adjustment of exact
/// name matches ("Smith" = "Smith" is weaker evidence than "Vanderberg" = "Vanderberg").
#[derive(Debug, Clone, Default)]
pub struct TermFreqs {
    first: FxHashMap<Text, u32>,
    last: FxHashMap<Text, u32>,
    n_first: u64,
    n_last: u64,
}

impl TermFreqs {
    /// Counts the names of one record.
    pub fn add(&mut self, r: &NormRecord) {
        if let Some(f) = r.first.as_ref().filter(|n| !n.initial_only) {
            *self.first.entry(f.text.clone()).or_default() += 1;
            self.n_first += 1;
        }
        if let Some(l) = &r.last {
            *self.last.entry(l.text.clone()).or_default() += 1;
            self.n_last += 1;
        }
    }

    /// Share of records with this value (at least one record's worth), or None
    /// while fewer than 1000 names are counted (too little to say).
    fn freq(map: &FxHashMap<Text, u32>, n: u64, v: &str) -> Option<f64> {
        (n >= 1000).then(|| f64::from(map.get(v).copied().unwrap_or(0).max(1)) / n as f64)
    }

    /// Share of given names equal to `v`.
    pub fn first_freq(&self, v: &str) -> Option<f64> {
        Self::freq(&self.first, self.n_first, v)
    }

    /// Share of surnames equal to `v`.
    pub fn last_freq(&self, v: &str) -> Option<f64> {
        Self::freq(&self.last, self.n_last, v)
    }
}

/// A trained (or hand-set) model.
#[derive(Debug, Clone)]
pub struct Model {
    /// P(level | match).
    pub m: Table,
    /// P(level | non-match), from random pairs.
    pub u: Table,
    /// Prior probability that two random records match.
    pub lambda: f64,
    /// Match probability at or above which a pair is linked.
    pub threshold: f64,
    /// Name frequencies for term-frequency adjustments (empty = none).
    pub tf: TermFreqs,
    /// Normalisation settings the model's records use.
    pub normalizer: Normalizer,
    weights: Table,
}

/// Default link threshold on the match probability; see [`Model::threshold`].
pub const DEFAULT_THRESHOLD: f64 = 0.95;

/// log2 of a probability ratio, bounded to ±30 bits.
fn log2_ratio(m: f64, u: f64) -> f64 {
    (m.max(1e-12) / u.max(1e-12)).log2().clamp(-30.0, 30.0)
}

/// Turns log2 odds into a probability.
pub fn probability(log2_odds: f64) -> f64 {
    1.0 / (1.0 + (-log2_odds).exp2())
}

/// Makes the levels 1.. of every field sum to one.
pub fn normalise_table(t: &mut Table) {
    for f in FIELDS {
        let n = f.n_levels();
        let row = &mut t[f as usize];
        let s: f64 = row[1..n].iter().sum();
        if s > 0.0 {
            for x in &mut row[1..n] {
                *x /= s;
            }
        }
        row[0] = 0.0;
    }
}

impl Model {
    /// A model from m, u and the prior; weights are computed here.
    pub fn new(mut m: Table, mut u: Table, lambda: f64, normalizer: Normalizer) -> Self {
        normalise_table(&mut m);
        normalise_table(&mut u);
        let mut model = Model {
            m,
            u,
            lambda,
            threshold: DEFAULT_THRESHOLD,
            tf: TermFreqs::default(),
            normalizer,
            weights: [[0.0; MAXL]; NF],
        };
        model.refresh();
        model
    }

    /// Recomputes the cached weights after `m` or `u` were changed.
    pub fn refresh(&mut self) {
        for f in FIELDS {
            let i = f as usize;
            for l in 1..f.n_levels() {
                self.weights[i][l] = log2_ratio(self.m[i][l], self.u[i][l]);
            }
        }
    }

    /// Hand-set m and u for a cold start, when there is too little data to
    /// train (a few thousand records or fewer). The m values are typical
    /// error rates of tip data; the u values typical chance agreement of
    /// unrelated people in a city-sized population. The prior assumes about
    /// one stored record in 10,000 is the same person as a new one.
    pub fn default_prior() -> Self {
        let mut m = [[0.0; MAXL]; NF];
        let mut u = [[0.0; MAXL]; NF];
        let set = |t: &mut Table, f: Field, v: &[f64]| t[f as usize][1..=v.len()].copy_from_slice(v);
        use Field::*;
        set(&mut m, FirstName, &[0.78, 0.08, 0.03, 0.03, 0.02, 0.03, 0.03]);
        set(&mut u, FirstName, &[0.01, 0.002, 0.005, 0.005, 0.04, 0.004, 0.934]);
        set(&mut m, LastName, &[0.84, 0.04, 0.05, 0.02, 0.005, 0.045]);
        set(&mut u, LastName, &[0.003, 0.003, 0.004, 0.03, 0.002, 0.958]);
        set(&mut m, Dob, &[0.86, 0.02, 0.07, 0.03, 0.015, 0.005]);
        set(&mut u, Dob, &[4e-5, 1e-5, 2e-3, 0.014, 0.15, 0.834]);
        set(&mut m, Phone, &[0.7, 0.04, 0.03, 0.23]);
        set(&mut u, Phone, &[1e-6, 1e-6, 2e-6, 1.0]);
        set(&mut m, Email, &[0.72, 0.03, 0.04, 0.21]);
        set(&mut u, Email, &[1e-6, 1e-6, 1e-5, 1.0]);
        set(&mut m, Handle, &[0.75, 0.05, 0.05, 0.15]);
        set(&mut u, Handle, &[1e-6, 1e-5, 1e-4, 1.0]);
        set(&mut m, Address, &[0.6, 0.08, 0.05, 0.07, 0.05, 0.15]);
        set(&mut u, Address, &[2e-5, 1e-5, 2e-5, 1e-3, 0.01, 0.989]);
        set(&mut m, NationalId, &[0.95, 0.03, 0.02]);
        set(&mut u, NationalId, &[1e-8, 1e-7, 1.0]);
        Model::new(m, u, 1e-4, Normalizer::default())
    }

    /// Match weight (log2 Bayes factor) of one field at one level; 0 for missing.
    pub fn level_weight(&self, f: Field, level: usize) -> f64 {
        if level == 0 { 0.0 } else { self.weights[f as usize][level] }
    }

    /// Prior log2 odds of a match.
    pub fn prior_weight(&self) -> f64 {
        (self.lambda / (1.0 - self.lambda)).log2()
    }

    /// Term-frequency adjustment of an exact name match (log2), 0 when none applies.
    pub fn tf_adjustment(&self, f: Field, value: &str) -> f64 {
        let (freq, i) = match f {
            Field::FirstName => (self.tf.first_freq(value), 0),
            Field::LastName => (self.tf.last_freq(value), 1),
            _ => return 0.0,
        };
        // replace u(exact) by the value's own frequency, within ±6 bits
        freq.map_or(0.0, |q| log2_ratio(self.u[i][1], q).clamp(-6.0, 6.0))
    }

    /// Term-frequency adjustments of `a`'s given name and surname, to cache per
    /// record (see [`Self::score_cached`]).
    pub fn tf_adjustments(&self, a: &NormRecord) -> [f32; 2] {
        let f = a.first.as_ref().map_or(0.0, |n| self.tf_adjustment(Field::FirstName, &n.text));
        let l = a.last.as_ref().map_or(0.0, |n| self.tf_adjustment(Field::LastName, &n.text));
        [f as f32, l as f32]
    }

    /// [`Self::score`] with `a`'s term-frequency adjustments given (from
    /// [`Self::tf_adjustments`]) instead of looked up.
    pub fn score_cached(&self, a: &NormRecord, b: &NormRecord, tf_a: [f32; 2]) -> (Comparison, f64) {
        let c = compare::compare(a, b);
        let mut w = self.raw_weight(c.pattern);
        if !c.swapped {
            if compare::level(c.pattern, 0) == 1 {
                w += f64::from(tf_a[0]);
            }
            if compare::level(c.pattern, 1) == 1 {
                w += f64::from(tf_a[1]);
            }
        }
        (c, w)
    }

    /// Total match weight of a comparison (sum of field weights and term-frequency adjustments).
    pub fn pattern_weight(&self, c: &Comparison, a: &NormRecord) -> f64 {
        let mut w = 0.0;
        for i in 0..NF {
            let l = compare::level(c.pattern, i);
            if l == 0 {
                continue;
            }
            w += self.weights[i][l];
        }
        if !c.swapped {
            if compare::level(c.pattern, 0) == 1
                && let Some(n) = &a.first
            {
                w += self.tf_adjustment(Field::FirstName, &n.text);
            }
            if compare::level(c.pattern, 1) == 1
                && let Some(n) = &a.last
            {
                w += self.tf_adjustment(Field::LastName, &n.text);
            }
        }
        w
    }

    /// Weight of a bare pattern (no term-frequency adjustment).
    pub fn raw_weight(&self, p: Pattern) -> f64 {
        (0..NF)
            .map(|i| {
                let l = compare::level(p, i);
                if l == 0 { 0.0 } else { self.weights[i][l] }
            })
            .sum()
    }

    /// Compares two normalised records and returns the comparison and its weight.
    pub fn score(&self, a: &NormRecord, b: &NormRecord) -> (Comparison, f64) {
        let c = compare::compare(a, b);
        (c, self.pattern_weight(&c, a))
    }

    /// The weight at or above which a pair is linked (threshold as log2 odds minus the prior).
    pub fn threshold_weight(&self) -> f64 {
        let p = self.threshold.clamp(1e-9, 1.0 - 1e-9);
        (p / (1.0 - p)).log2() - self.prior_weight()
    }
}
