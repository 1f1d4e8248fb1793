//! `cargo xtask bench [triage|load|crash|er] [options]`: the benchmarks. With no part named,
//! runs every one in turn — triage throughput, intake load on the release build (SQLite and
//! PostgreSQL, with the queue backlog and the alarm probe), the crash test on both databases,
//! and entity resolution against Splink — and each writes its section of `BENCHMARKS.md`,
//! whose summary of every target is rebuilt after each.

use anyhow::bail;

const USAGE: &str = "usage: cargo xtask bench [triage|load|crash|er] [options of that part]";

pub fn main(args: &[String]) -> anyhow::Result<()> {
    let rest = args.get(1..).unwrap_or_default();
    match args.first().map(String::as_str) {
        None | Some("all") => all(rest),
        Some("triage") => crate::bench_triage::main(rest),
        Some("load") => crate::load::main(rest),
        Some("crash") => crate::crash::main(rest),
        Some("er") => crate::bench_er::main(rest),
        Some(other) => bail!("unknown benchmark {other:?}; {USAGE}"),
    }
}

fn all(rest: &[String]) -> anyhow::Result<()> {
    if !rest.is_empty() {
        bail!("`cargo xtask bench` takes no options; name a part to pass options to it. {USAGE}");
    }
    let owned = |a: &[&str]| a.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    let mut failed = Vec::new();
    let parts: [(&str, Vec<String>); 4] = [
        ("triage", vec![]),
        ("load", owned(&["--release", "--db", "both"])),
        ("crash", owned(&["--kills", "20", "--db", "both"])),
        ("er", vec![]),
    ];
    for (name, options) in parts {
        eprintln!("bench: {name} {}", options.join(" "));
        if let Err(e) = main(&[vec![name.to_owned()], options].concat()) {
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
