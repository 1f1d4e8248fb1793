//! Benchmark harness: `cargo run --release --example bench -- records.csv clusters.csv [threshold]`.
//!
//! Details go to stderr; the last line on stdout is machine-readable `key=value` pairs
//! (read by `cargo xtask bench er`).

use resolve::batch::{BatchConfig, run_batch_with};
use resolve::compare::FIELDS;
use std::path::Path;
use std::time::Instant;

fn main() {
    // The allocator of the `sightline` binary, set up the same way, so the figures are the command's.
    allocator::return_freed_memory_at_once();
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: bench INPUT.csv OUTPUT.csv [threshold]");
        std::process::exit(2);
    }
    let mut cfg = BatchConfig { progress: true, ..BatchConfig::default() };
    if let Some(t) = args.get(3) {
        cfg.threshold = Some(t.parse().expect("threshold"));
    }
    if let Ok(b) = std::env::var("RESOLVE_CLUSTER_BAR") {
        cfg.cluster_bar = Some(b.parse().expect("bar"));
    }
    if std::env::var("RESOLVE_COMPONENTS").is_ok() {
        cfg.clustering = resolve::Clustering::Components;
    }
    let t = Instant::now();
    let r = run_batch_with(Path::new(&args[1]), Path::new(&args[2]), &cfg).expect("batch");
    let wall = t.elapsed().as_secs_f64();
    eprintln!(
        "records={} bad_rows={} candidate_pairs={} linked_pairs={} clusters={}",
        r.records,
        r.bad_rows.len(),
        r.candidate_pairs,
        r.linked_pairs,
        r.clusters
    );
    for (s, secs) in &r.timings {
        eprintln!("  {s:<12} {secs:>7.2}s");
    }
    for s in &r.train.sessions {
        eprintln!("  session {:<14} pairs={:<10} lambda={:.4} iterations={}", s.0, s.1, s.2, s.3);
    }
    let m = &r.model;
    eprintln!(
        "  candidates lambda={:.4} prior={:.2} threshold_weight={:.2}",
        r.train.lambda_candidates,
        m.prior_weight(),
        m.threshold_weight()
    );
    for f in FIELDS {
        let ws: Vec<String> = (1..f.n_levels())
            .map(|l| {
                format!(
                    "{}={:.1}(m{:.3},u{:.1e})",
                    f.levels()[l],
                    m.level_weight(f, l),
                    m.m[f as usize][l],
                    m.u[f as usize][l]
                )
            })
            .collect();
        eprintln!("  {:<13} {}", f.label(), ws.join(" "));
    }
    let stages: Vec<String> = r.timings.iter().map(|(s, secs)| format!("{s}_s={secs:.2}")).collect();
    println!(
        "records={} candidate_pairs={} linked_pairs={} clusters={} threads={} wall_s={wall:.2} {}",
        r.records,
        r.candidate_pairs,
        r.linked_pairs,
        r.clusters,
        rayon::current_num_threads(),
        stages.join(" ")
    );
}
