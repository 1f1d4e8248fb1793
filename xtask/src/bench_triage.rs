//! `cargo xtask bench triage [--runs 3] [--seconds 3]`: triage quality on the labelled corpus
//! (per part and language, from `crates/triage/examples/quality.rs`) and throughput, narratives
//! per second on one core, from the release build of `crates/triage/examples/throughput.rs`.
//! Writes the `triage` section of `BENCHMARKS.md`.

use crate::report::{self, thousands};
use crate::{cargo, project_root};
use anyhow::{Context, bail};
use std::process::Command;
use std::time::Instant;

/// Narratives a second on one core that keep triage far below the intake's own cost: ten times
/// the 2,000 tips a second the intake must reach on two cores.
const TARGET_PER_CORE: f64 = 20_000.0;

/// Exact-tier share the held-out part must reach, per language.
const TARGET_EXACT: f64 = 0.90;
const TIERS: [&str; 4] = ["life safety", "urgent", "standard", "informational"];

/// One part × language of the quality example's output.
#[derive(Clone, Debug, PartialEq)]
struct Quality {
    part: String,
    language: String,
    n: u64,
    exact: u64,
    life_safety: u64,
    life_safety_lower: u64,
    benign_high: u64,
    /// Expected row by got column, most urgent first.
    confusion: Vec<u64>,
}

fn parse_quality(line: &str) -> Option<Quality> {
    let f: Vec<&str> = line.split_whitespace().collect();
    if f.first() != Some(&"quality") {
        return None;
    }
    let at = |key: &str| f.iter().position(|w| *w == key).and_then(|i| f.get(i + 1)).copied();
    let num = |key: &str| at(key).and_then(|v| v.parse::<u64>().ok());
    let confusion: Vec<u64> = at("confusion")?.split(',').filter_map(|c| c.parse().ok()).collect();
    (confusion.len() == 16).then_some(())?;
    Some(Quality {
        part: at("part")?.to_owned(),
        language: at("language")?.to_owned(),
        n: num("n")?,
        exact: num("exact")?,
        life_safety: num("life_safety")?,
        life_safety_lower: num("life_safety_lower")?,
        benign_high: num("benign_high")?,
        confusion,
    })
}

#[derive(Clone, Debug, PartialEq)]
struct SetRun {
    name: String,
    /// Narratives in the set.
    size: u64,
    /// Assessments made (round after round over the set).
    narratives: u64,
    bytes: u64,
    seconds: f64,
    /// Narratives of the set rated life-safety.
    life_safety: u64,
}

impl SetRun {
    fn per_second(&self) -> f64 {
        self.narratives as f64 / self.seconds
    }
}

fn parse_line(line: &str) -> Option<SetRun> {
    let f: Vec<&str> = line.split_whitespace().collect();
    let at = |key: &str| f.iter().position(|w| *w == key).and_then(|i| f.get(i + 1)).copied();
    Some(SetRun {
        name: at("set")?.to_owned(),
        size: at("size")?.parse().ok()?,
        narratives: at("narratives")?.parse().ok()?,
        bytes: at("bytes")?.parse().ok()?,
        seconds: at("seconds")?.parse().ok()?,
        life_safety: at("life_safety")?.parse().ok()?,
    })
}

pub fn main(args: &[String]) -> anyhow::Result<()> {
    let (mut runs, mut seconds) = (3usize, 3.0f64);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = || it.next().with_context(|| format!("{a} needs a value"));
        match a.as_str() {
            "--runs" => runs = value()?.parse().context("--runs")?,
            "--seconds" => seconds = value()?.parse().context("--seconds")?,
            other => bail!("unknown option {other:?}; usage: cargo xtask bench triage [--runs 3] [--seconds 3]"),
        }
    }
    anyhow::ensure!((1..=20).contains(&runs) && (0.5..=60.0).contains(&seconds), "--runs 1–20, --seconds 0.5–60");
    let root = project_root();
    let examples = ["build", "--release", "-p", "triage", "--example", "throughput", "--example", "quality"];
    crate::run(cargo().current_dir(&root).args(examples))?;
    let bin = crate::target_dir().join("release/examples/throughput");
    let out = Command::new(crate::target_dir().join("release/examples/quality"))
        .arg(root.join("crates/triage/tests/corpus"))
        .output()
        .context("running quality")?;
    anyhow::ensure!(out.status.success(), "quality failed: {}", String::from_utf8_lossy(&out.stderr));
    let quality: Vec<Quality> = String::from_utf8_lossy(&out.stdout).lines().filter_map(parse_quality).collect();
    anyhow::ensure!(quality.len() == 4, "quality printed {} parts", quality.len());
    for q in &quality {
        eprintln!("triage quality {} {}: exact {}/{}", q.part, q.language, q.exact, q.n);
    }
    let load_before = report::load_average();
    let started = Instant::now();
    let mut all: Vec<Vec<SetRun>> = Vec::new();
    for i in 0..runs {
        let out =
            Command::new(&bin).args(["--seconds", &seconds.to_string()]).output().context("running throughput")?;
        anyhow::ensure!(out.status.success(), "throughput failed: {}", String::from_utf8_lossy(&out.stderr));
        let sets: Vec<SetRun> = String::from_utf8_lossy(&out.stdout).lines().filter_map(parse_line).collect();
        anyhow::ensure!(sets.len() == 2, "throughput printed {} sets", sets.len());
        for s in &sets {
            eprintln!("triage run {}: {} {:.0} narratives/s ({} B mean)", i + 1, s.name, s.per_second(), s.bytes);
        }
        all.push(sets);
    }
    let md = markdown(&all, runs, seconds, &load_before, started.elapsed().as_secs_f64(), &quality);
    report::write_section("triage", &md)
}

fn markdown(
    all: &[Vec<SetRun>],
    runs: usize,
    seconds: f64,
    load_before: &str,
    secs: f64,
    quality: &[Quality],
) -> String {
    let mut s = String::from("## Triage: quality and throughput\n\n");
    s.push_str(&format!(
        "Written by `cargo xtask bench triage --runs {runs} --seconds {seconds}` on {}; the run took {secs:.0} s.\n\n### Machine\n\n{}- Other work on the machine: load average {load_before} at the start, {} at the end.\n\n",
        report::now_utc(),
        report::machine(),
        report::load_average()
    ));
    s.push_str(&quality_markdown(quality));
    let size = all.first().and_then(|r| r.first()).map_or(0, |r| r.size);
    s.push_str(&format!("### Throughput method\n\nThe release build of `crates/triage/examples/throughput.rs` calls `triage::assess` — the function intake calls for every tip: Unicode folding, language detection, the lexicon automata, the factors with their evidence, what lowers them and the tier rules — on one thread, round after round over a set for the given seconds, after one untimed pass over the set that counts its life-safety tips (and builds the automata). Two sets: the triage corpus's {size} narratives as written (`crates/triage/tests/corpus/dev/seed.txt`, English and Spanish, tips of a few sentences), and {size} narratives of at least 1 KB built by joining consecutive corpus entries (long tips, more words to scan). Each run is a separate process; the table shows each set's fastest run and lists all.\n\n"));
    s.push_str("| set | mean narrative | narratives/s on one core | µs per narrative | MB/s | life-safety in the set |\n| --- | ---: | ---: | ---: | ---: | ---: |\n");
    let names: Vec<String> = all.first().map(|r| r.iter().map(|s| s.name.clone()).collect()).unwrap_or_default();
    let mut best_of = Vec::new();
    for name in &names {
        let of_set: Vec<&SetRun> = all.iter().flatten().filter(|r| &r.name == name).collect();
        let Some(best) = of_set.iter().max_by(|a, b| a.per_second().total_cmp(&b.per_second())) else { continue };
        s.push_str(&format!(
            "| {} | {} B | **{}** | {:.1} | {:.1} | {} of {} |\n",
            if name == "corpus" { "corpus as written" } else { "≥ 1 KB" },
            best.bytes,
            thousands(best.per_second() as u64),
            1e6 / best.per_second(),
            best.per_second() * best.bytes as f64 / 1e6,
            best.life_safety,
            best.size,
        ));
        best_of.push(((*best).clone(), of_set.iter().map(|r| format!("{:.0}", r.per_second())).collect::<Vec<_>>()));
    }
    s.push('\n');
    for (best, every) in &best_of {
        s.push_str(&format!("Every run, set `{}`, narratives/s: {}.\n", best.name, every.join(", ")));
    }
    s.push_str("\n### Against the target\n\nThe issue sets no number for triage; the one below is derived: triage must stay a small part of intake's cost, so one core should assess ten times the 2,000 tips a second the intake must take on two cores.\n\n| target | measured | |\n| --- | --- | --- |\n");
    if let Some((long, _)) = best_of.iter().find(|(b, _)| b.name == "1kb") {
        let ok = long.per_second() >= TARGET_PER_CORE;
        s.push_str(&format!(
            "| ≥ {} narratives/s on one core, 1 KB narratives | {} narratives/s | {} |\n",
            thousands(TARGET_PER_CORE as u64),
            thousands(long.per_second() as u64),
            report::verdict(ok)
        ));
    }
    s
}

/// The quality tables: per part and language, then each held-out confusion matrix.
fn quality_markdown(quality: &[Quality]) -> String {
    let mut s = String::from("### Quality on the labelled corpus\n\n");
    s.push_str("The release build of `crates/triage/examples/quality.rs` scores every narrative of `crates/triage/tests/corpus/` (its labelling guide is `GUIDE.md` there) with the category and flags the tipster gave, and compares the tier with the analyst's. The development part is what the rules and lexicons are tuned against; the held-out part was written apart and nobody tunes against it, so its rows are the figures to judge.\n\n");
    s.push_str("| part | language | narratives | exact tier | life safety found | life safety scored lower | informational scored urgent or above |\n| --- | --- | ---: | ---: | ---: | ---: | ---: |\n");
    for q in quality {
        s.push_str(&format!(
            "| {} | {} | {} | {} ({:.1} %) | {} of {} | {} | {} |\n",
            if q.part == "heldout" { "held-out" } else { "development" },
            language_name(&q.language),
            q.n,
            q.exact,
            100.0 * q.exact as f64 / q.n.max(1) as f64,
            q.life_safety - q.life_safety_lower,
            q.life_safety,
            q.life_safety_lower,
            q.benign_high
        ));
    }
    for q in quality.iter().filter(|q| q.part == "heldout") {
        s.push_str(&format!(
            "\nHeld-out, {}: rows are the analyst's tier, columns the tier given.\n\n| analyst \\ triage | {} |\n| --- | ---: | ---: | ---: | ---: |\n",
            language_name(&q.language),
            TIERS.join(" | ")
        ));
        for (row, name) in TIERS.iter().enumerate() {
            let cells: Vec<String> = q.confusion[row * 4..row * 4 + 4].iter().map(u64::to_string).collect();
            s.push_str(&format!("| {name} | {} |\n", cells.join(" | ")));
        }
    }
    s.push_str("\n| target (held-out part, per language) | measured | |\n| --- | --- | --- |\n");
    for q in quality.iter().filter(|q| q.part == "heldout") {
        let language = language_name(&q.language);
        let share = q.exact as f64 / q.n.max(1) as f64;
        s.push_str(&format!(
            "| {language}: exact tier ≥ 90 % | {:.1} % ({} of {}) | {} |\n",
            100.0 * share,
            q.exact,
            q.n,
            report::verdict(share >= TARGET_EXACT)
        ));
        s.push_str(&format!(
            "| {language}: life-safety recall 100 % | {} of {} | {} |\n",
            q.life_safety - q.life_safety_lower,
            q.life_safety,
            report::verdict(q.life_safety_lower == 0)
        ));
        s.push_str(&format!(
            "| {language}: no informational narrative at urgent or above | {} | {} |\n",
            q.benign_high,
            report::verdict(q.benign_high == 0)
        ));
    }
    s.push('\n');
    s
}

fn language_name(code: &str) -> &'static str {
    if code == "es" { "Spanish" } else { "English" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_example_output() {
        let r = parse_line("set 1kb size 145 narratives 4000 bytes 1100 seconds 0.5000 life_safety 117").unwrap();
        assert_eq!((r.name.as_str(), r.size, r.narratives, r.bytes, r.life_safety), ("1kb", 145, 4000, 1100, 117));
        assert_eq!(r.per_second(), 8000.0);
        assert!(parse_line("garbage").is_none());
        let q = parse_quality(
            "quality part heldout language es n 10 exact 9 life_safety 3 life_safety_lower 1 benign_high 0 confusion 2,1,0,0,0,3,0,0,0,0,2,0,0,0,0,2",
        )
        .unwrap();
        assert_eq!((q.n, q.exact, q.life_safety_lower), (10, 9, 1));
        let md = markdown(&[vec![r]], 1, 0.5, "0 0 0", 1.0, &[q]);
        assert!(md.contains("| held-out | Spanish | 10 | 9 (90.0 %) | 2 of 3 | 1 | 0 |"), "{md}");
        assert!(md.contains("| life safety | 2 | 1 | 0 | 0 |"), "{md}");
        assert!(md.contains("| ≥ 1 KB | 1100 B | **8,000** | 125.0 | 8.8 | 117 of 145 |"), "{md}");
        assert!(md.contains("**missed**"), "{md}");
    }
}
