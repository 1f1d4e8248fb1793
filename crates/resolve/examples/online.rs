//! Online-index timing: `online records.csv [queries]` inserts every record, then times queries.
//!
//! Each query is a new mention: a copy of a stored record (sampled evenly through the file)
//! under a fresh id, so its stored twin is among the candidates it is scored against. The
//! time of a query covers normalising the mention, looking up its blocks, scoring every
//! candidate and explaining the best ones. The last line on stdout is machine-readable
//! `key=value` pairs (read by `cargo xtask bench er`).

use resolve::{Model, OnlineIndex, Record};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let queries: usize = args.get(2).map_or(10_000, |s| s.parse().expect("count"));
    let mut rdr = csv::Reader::from_path(&args[1]).expect("open");
    let recs: Vec<Record> = rdr
        .records()
        .map(|r| {
            let r = r.expect("row");
            let g = |i: usize| r.get(i).filter(|s| !s.is_empty()).map(str::to_owned);
            Record {
                id: r[0].to_owned(),
                source: r[1].to_owned(),
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
        .collect();
    let mut idx = OnlineIndex::new(Model::default_prior());
    let t = Instant::now();
    for r in &recs {
        idx.insert(r);
    }
    let insert_s = t.elapsed().as_secs_f64();
    eprintln!("inserted {} in {insert_s:.1}s", idx.len());
    let mentions: Vec<Record> = recs
        .iter()
        .step_by((recs.len() / queries).max(1))
        .take(queries)
        .enumerate()
        .map(|(q, r)| Record { id: format!("new-mention-{q}"), ..r.clone() })
        .collect();
    let mut times: Vec<f64> = Vec::with_capacity(mentions.len());
    let mut found = 0;
    for m in &mentions {
        let t = Instant::now();
        let c = idx.query(m);
        times.push(t.elapsed().as_secs_f64() * 1e3);
        found += c.len();
    }
    times.sort_by(f64::total_cmp);
    let mean = times.iter().sum::<f64>() / times.len() as f64;
    println!(
        "stored={} insert_s={insert_s:.2} queries={} mean_ms={mean:.3} p50_ms={:.3} p99_ms={:.3} max_ms={:.3} candidates_per_query={:.1}",
        idx.len(),
        times.len(),
        times[times.len() / 2],
        times[times.len() * 99 / 100],
        times[times.len() - 1],
        found as f64 / times.len() as f64
    );
}
