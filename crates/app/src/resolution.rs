//! Who a tip is about: mentions from a tip's structured subjects and its narrative, an online
//! index of every stored mention, and the suggestions the matcher makes. People decide.

use domain::link::MentionSource;
use domain::tip::NewTip;
use resolve::{Model, OnlineIndex, Record};
use std::collections::HashMap;
use store::model::{Mention, MentionRow};

/// The mentions a new tip makes of people.
pub fn mentions_of(tip: &NewTip) -> Vec<MentionRow> {
    let mut out = Vec::new();
    for s in &tip.subjects {
        let mut handles = s.handles.iter();
        out.push(MentionRow {
            source: MentionSource::Subject,
            name: s.name.clone(),
            dob: s.dob.clone().or_else(|| s.age.map(|a| format!("age {a}"))),
            phone: s.phone.clone(),
            email: s.email.clone(),
            handle: handles.next().cloned(),
            school: s.school.clone(),
            evidence: None,
        });
        // Further handles of the same person are matched on their own.
        for h in handles {
            out.push(MentionRow {
                source: MentionSource::Subject,
                handle: Some(h.clone()),
                name: s.name.clone(),
                ..Default::default()
            });
        }
    }
    let text = tip.narrative.as_str();
    for f in resolve::extract::identifiers(text) {
        let evidence = serde_json::json!({"start": f.start, "end": f.end, "text": &text[f.start..f.end]}).to_string();
        let mut m = MentionRow { source: MentionSource::Narrative, evidence: Some(evidence), ..Default::default() };
        match f.kind {
            resolve::extract::Kind::Phone => m.phone = Some(f.value),
            resolve::extract::Kind::Email => m.email = Some(f.value),
            resolve::extract::Kind::Handle => m.handle = Some(f.value),
        }
        out.push(m);
    }
    out
}

/// A stored mention as the matching engine's record.
pub fn record_of(m: &Mention) -> Record {
    let mut r = Record::new(m.id.to_string(), format!("tip:{}", m.tip_id));
    if let Some(name) = &m.row.name {
        let parts: Vec<&str> = name.split_whitespace().collect();
        match parts.as_slice() {
            [] => {}
            [one] => r.first_name = Some((*one).to_owned()),
            [first, .., last] => {
                r.first_name = Some((*first).to_owned());
                r.last_name = Some((*last).to_owned());
            }
        }
    }
    r.dob = m.row.dob.clone();
    r.phone = m.row.phone.clone();
    r.email = m.row.email.clone();
    r.handle = m.row.handle.clone();
    r
}

/// The online index of every mention stored so far (opened, in memory), and which tip each
/// belongs to.
pub struct Resolver {
    pub index: OnlineIndex,
    pub tip_of: HashMap<i64, i64>,
    /// The highest mention id already in the index.
    pub last_id: i64,
}

impl Resolver {
    /// An empty index blocking on keyed hashes under this server's secret. The values it
    /// compares are opened from the store into memory only; they are never written back.
    pub fn new(secrets: &vault::secrets::Secrets) -> Self {
        let index = OnlineIndex::new(Model::default_prior()).with_block_key(&secrets.blocking_key());
        Resolver { index, tip_of: HashMap::new(), last_id: 0 }
    }

    pub fn add(&mut self, m: &Mention) {
        if self.index.insert(&record_of(m)) {
            self.tip_of.insert(m.id, m.tip_id);
        }
        self.last_id = self.last_id.max(m.id);
    }
}

/// Lowest match probability worth showing a person; the engine's own link threshold marks
/// the strong ones.
pub const SUGGEST_PROBABILITY: f64 = 0.5;
/// At most this many suggestions per mention.
pub const SUGGEST_MAX: usize = 10;

/// The explanation as stored: each field's contribution in words, and the totals.
pub fn explanation_json(e: &resolve::Explanation) -> String {
    let text = e.to_string();
    let mut lines = text.lines();
    let summary = lines.next().unwrap_or_default().to_owned();
    let reasons: Vec<String> = lines.map(|l| l.trim().to_owned()).filter(|l| !l.is_empty()).collect();
    serde_json::json!({"summary": summary, "reasons": reasons, "weight": e.weight, "probability": e.probability, "linked": e.linked})
        .to_string()
}
