//! Incremental index: insert records one by one and query a new mention against all stored ones.
//!
//! With [`OnlineIndex::with_block_key`] the blocks are keyed by HMAC-SHA-256 of each blocking
//! key under a secret, so the block table names no value (a phone number, a name's phonetic
//! code) that anyone without the secret could look up or recompute.

use crate::blocking::{DEFAULT_MAX_BLOCK, keys};
use crate::explain::{Explanation, explain_norm};
use crate::model::Model;
use crate::record::{NormRecord, Record};
use hmac::{Hmac, Mac};
use rustc_hash::{FxHashMap, FxHashSet};
use sha2::Sha256;

/// A stored record that may be the same person as the query.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// Id of the stored record.
    pub id: String,
    /// Match weight (log2 Bayes factor).
    pub weight: f64,
    /// Posterior match probability.
    pub probability: f64,
    /// Why.
    pub explanation: Explanation,
}

/// Stored records with their blocking keys; no batch rebuild needed.
pub struct OnlineIndex {
    model: Model,
    ids: Vec<String>,
    records: Vec<NormRecord>,
    blocks: FxHashMap<u64, Vec<u32>>,
    by_id: FxHashMap<String, u32>,
    max_block: usize,
    max_results: usize,
    /// The keyed hash the blocking keys go through, when blocks are keyed.
    block_key: Option<Hmac<Sha256>>,
}

impl OnlineIndex {
    /// An empty index scoring with `model` (e.g. [`Model::default_prior`] on a cold start).
    pub fn new(model: Model) -> Self {
        OnlineIndex {
            model,
            ids: Vec::new(),
            records: Vec::new(),
            blocks: FxHashMap::default(),
            by_id: FxHashMap::default(),
            max_block: DEFAULT_MAX_BLOCK,
            max_results: 50,
            block_key: None,
        }
    }

    /// Blocks on keyed hashes of the blocking keys (HMAC-SHA-256 under `key`, 64 bits kept)
    /// rather than on the keys themselves. Matching is unchanged.
    pub fn with_block_key(mut self, key: &[u8; 32]) -> Self {
        self.block_key = Some(Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length"));
        self
    }

    /// The keys `n` is blocked on (0 for a kind it has no key of).
    fn block_keys(&self, n: &NormRecord) -> impl Iterator<Item = u64> + '_ {
        keys(n).into_iter().filter(|&k| k != 0).map(|k| match &self.block_key {
            None => k,
            Some(mac) => {
                let mut mac = mac.clone();
                mac.update(&k.to_le_bytes());
                let tag = mac.finalize().into_bytes();
                u64::from_le_bytes(tag[..8].try_into().expect("a SHA-256 tag has 8 bytes")) | 1
            }
        })
    }

    /// Blocks larger than this are not searched (default 1000).
    pub fn with_max_block(mut self, n: usize) -> Self {
        self.max_block = n;
        self
    }

    /// At most this many candidates are returned by [`Self::query`] (default 50).
    pub fn with_max_results(mut self, n: usize) -> Self {
        self.max_results = n;
        self
    }

    /// Number of stored records.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// True when nothing is stored.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// The model.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// Stores a record. Returns false (and stores nothing) when its id is already stored.
    pub fn insert(&mut self, record: &Record) -> bool {
        if self.by_id.contains_key(&record.id) {
            return false;
        }
        let n = record.normalise(&self.model.normalizer);
        let i = self.records.len() as u32;
        let block_keys: Vec<u64> = self.block_keys(&n).collect();
        for k in block_keys {
            self.blocks.entry(k).or_default().push(i);
        }
        self.model.tf.add(&n);
        self.by_id.insert(record.id.clone(), i);
        self.ids.push(record.id.clone());
        self.records.push(n);
        true
    }

    /// Stored records sharing a blocking key with `record`, ranked by match
    /// weight, best first; the record's own id is left out.
    pub fn query(&self, record: &Record) -> Vec<Candidate> {
        let q = record.normalise(&self.model.normalizer);
        let mut seen = FxHashSet::default();
        let mut scored: Vec<(f64, u32)> = Vec::new();
        for k in self.block_keys(&q) {
            let Some(members) = self.blocks.get(&k).filter(|m| m.len() <= self.max_block) else {
                continue;
            };
            for &j in members {
                if seen.insert(j) && self.ids[j as usize] != record.id {
                    let (_, w) = self.model.score(&q, &self.records[j as usize]);
                    scored.push((w, j));
                }
            }
        }
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        scored.truncate(self.max_results);
        scored
            .into_iter()
            .map(|(w, j)| {
                let explanation = explain_norm(&q, &self.records[j as usize], &self.model);
                Candidate {
                    id: self.ids[j as usize].clone(),
                    weight: w,
                    probability: explanation.probability,
                    explanation,
                }
            })
            .collect()
    }
}
