//! Shared helpers of the integration tests: CSV text to records, resolving, link listings.

#![allow(dead_code)]

use resolve::batch::{BatchConfig, id_ranks, resolve};
use resolve::normalize::RefDate;
use resolve::{Model, Normalizer, Record};
use std::collections::BTreeMap;

/// Normalisation with a fixed reference date, so ages give stable years.
pub fn normalizer() -> Normalizer {
    Normalizer { reference_date: RefDate { year: 2024, month: 6, day: 1 } }
}

/// The cold-start model with the fixed reference date.
pub fn model() -> Model {
    let mut m = Model::default_prior();
    m.normalizer = normalizer();
    m
}

/// Parses records from CSV text with the batch header (leading spaces trimmed per line).
pub fn parse(csv_text: &str) -> Vec<Record> {
    let text: String = csv_text.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("\n");
    let mut rdr = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    rdr.records()
        .map(|r| {
            let r = r.expect("fixture row");
            let g = |i: usize| r.get(i).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
            Record {
                id: g(0).expect("id"),
                source: g(1).unwrap_or_default(),
                first_name: g(2),
                last_name: g(3),
                dob: g(4),
                phone: g(5),
                email: g(6),
                handle: g(7),
                street: g(8),
                city: g(9),
                state: g(10),
                postcode: g(11),
                national_id: g(12),
            }
        })
        .collect()
}

/// Resolves records (cold-start model) and returns clusters as sorted id lists, sorted.
pub fn clusters(records: &[Record]) -> Vec<Vec<String>> {
    let cfg = BatchConfig { normalizer: normalizer(), ..BatchConfig::default() };
    let norm: Vec<_> = records.iter().map(|r| r.normalise(&cfg.normalizer)).collect();
    let ids: Vec<&str> = records.iter().map(|r| r.id.as_str()).collect();
    let res = resolve(&norm, &id_ranks(&ids), &cfg);
    let mut by: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    for (i, l) in res.labels.iter().enumerate() {
        by.entry(*l).or_default().push(records[i].id.clone());
    }
    let mut out: Vec<Vec<String>> = by
        .into_values()
        .map(|mut v| {
            v.sort();
            v
        })
        .collect();
    out.sort();
    out
}
