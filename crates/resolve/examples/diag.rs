//! Diagnostics against a truth file: `diag records.csv truth.csv` prints false links by pattern.

use resolve::batch::{BatchConfig, read_records, resolve};
use resolve::compare::{self, FIELDS};
use resolve::explain_norm;
use std::collections::HashMap;
use std::path::Path;

fn main() {
    let a: Vec<String> = std::env::args().collect();
    let cfg = BatchConfig::default();
    let (ids, recs, _) = read_records(Path::new(&a[1]), &cfg.normalizer).expect("read");
    let truth: HashMap<String, String> = std::fs::read_to_string(&a[2])
        .expect("truth")
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once(',').map(|(x, y)| (x.to_owned(), y.to_owned())))
        .collect();
    let ent: Vec<&str> = ids.iter().map(|i| truth[&**i].as_str()).collect();
    let res = resolve(&recs, &resolve::batch::id_ranks(&ids), &cfg);
    let mut by: HashMap<String, (usize, f32)> = HashMap::new();
    let mut shown = 0;
    let mut fp = 0;
    for &(w, i, j) in &res.edges {
        if ent[i as usize] != ent[j as usize] {
            fp += 1;
            let c = compare::compare(&recs[i as usize], &recs[j as usize]);
            let key: Vec<String> = FIELDS
                .iter()
                .enumerate()
                .map(|(k, f)| f.levels()[compare::level(c.pattern, k)][..4].to_string())
                .collect();
            let e = by.entry(key.join(" ")).or_default();
            e.0 += 1;
            e.1 = w;
            if shown < 6 {
                shown += 1;
                println!(
                    "{} {}\n{}",
                    ids[i as usize],
                    ids[j as usize],
                    explain_norm(&recs[i as usize], &recs[j as usize], &res.model)
                );
            }
        }
    }
    // true m among linked true pairs, for comparison with the EM estimate
    let mut m = [[0u64; 8]; 8];
    for &(_, i, j) in &res.edges {
        if ent[i as usize] == ent[j as usize] {
            let c = compare::compare(&recs[i as usize], &recs[j as usize]);
            for k in 0..8 {
                m[k][compare::level(c.pattern, k)] += 1;
            }
        }
    }
    for (k, f) in FIELDS.iter().enumerate() {
        let t: u64 = m[k][1..].iter().sum();
        let v: Vec<String> = (1..f.n_levels()).map(|l| format!("{:.3}", m[k][l] as f64 / t as f64)).collect();
        println!("true m {:<14} {}", f.label(), v.join(" "));
    }
    println!("false edges {fp} of {}", res.edges.len());
    let mut v: Vec<_> = by.into_iter().collect();
    v.sort_by_key(|e| std::cmp::Reverse(e.1.0));
    for (k, (n, w)) in v.iter().take(25) {
        println!("{n:>6} w={w:.1} {k}");
    }
}
