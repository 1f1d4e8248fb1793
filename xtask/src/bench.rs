//! `cargo xtask bench [triage|load|crash|er|matcher] [options]`: the benchmarks. With no part
//! named, runs every one in turn — triage throughput, intake load on the release build (SQLite
//! and PostgreSQL, with the queue backlog and the alarm probe), the crash test on both
//! databases, entity resolution against Splink, and the matcher's rebuild at start — and each
//! writes its section of `BENCHMARKS.md`,
//! whose summary of every target is rebuilt after each.

use anyhow::bail;

const USAGE: &str = "usage: cargo xtask bench [triage|load|crash|er|matcher] [options of that part]";

/// Each part's options as a benchmark (the release build, both databases), before the
/// caller's own, which win where they repeat one.
fn with_defaults(defaults: &[&str], rest: &[String]) -> Vec<String> {
    defaults.iter().map(|s| (*s).to_owned()).chain(rest.iter().cloned()).collect()
}

pub fn main(args: &[String]) -> anyhow::Result<()> {
    let rest = args.get(1..).unwrap_or_default();
    match args.first().map(String::as_str) {
        None | Some("all") => all(rest),
        Some("triage") => crate::bench_triage::main(rest),
        Some("load") => crate::load::main(&with_defaults(&["--release", "--db", "both"], rest)),
        Some("crash") => crate::crash::main(&with_defaults(&["--kills", "20", "--db", "both"], rest)),
        Some("er") => crate::bench_er::main(rest),
        Some("matcher") => crate::bench_matcher::main(rest),
        Some(other) => bail!("unknown benchmark {other:?}; {USAGE}"),
    }
}

fn all(rest: &[String]) -> anyhow::Result<()> {
    if !rest.is_empty() {
        bail!("`cargo xtask bench` takes no options; name a part to pass options to it. {USAGE}");
    }
    let mut failed = Vec::new();
    for name in ["triage", "load", "crash", "er", "matcher"] {
        eprintln!("bench: {name}");
        if let Err(e) = main(&[name.to_owned()]) {
            eprintln!("bench: {name} failed: {e:#}");
            failed.push(name);
        }
    }
    if !failed.is_empty() {
        bail!("these benchmarks did not finish: {}", failed.join(", "));
    }
    eprintln!("bench: every part written to BENCHMARKS.md");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_callers_options_come_after_the_defaults() {
        let rest = vec!["--db".to_owned(), "sqlite".to_owned()];
        assert_eq!(
            with_defaults(&["--release", "--db", "both"], &rest),
            ["--release", "--db", "both", "--db", "sqlite"]
        );
        assert!(main(&["frobnicate".to_owned()]).is_err());
    }
}
