//! `cargo xtask bench matcher [--mentions 1000000]`: how long a restarted server takes to
//! rebuild the matcher's index, every mention opened from its sealed row, from the release
//! build of `crates/app/examples/matcher_start.rs`. Writes the `matcher` section of
//! `BENCHMARKS.md`.

use crate::report::{self, thousands};
use crate::{cargo, project_root};
use anyhow::{Context, bail};
use std::process::Command;
use std::time::Instant;

/// The rebuild runs beside the desk (intake, the queue and escalation go on; only matching
/// waits), so the bound is how long a new tip may wait for its links after a restart.
const TARGET_SECONDS: f64 = 60.0;

/// The example's one line of `key=value` figures.
#[derive(Debug, PartialEq)]
struct Figures {
    tips: u64,
    mentions: u64,
    filed_s: f64,
    rebuild_s: f64,
    per_mention_us: f64,
    index_mib: f64,
}

fn parse_line(line: &str) -> Option<Figures> {
    let at = |key: &str| {
        line.split_whitespace().find_map(|kv| kv.strip_prefix(key).and_then(|v| v.strip_prefix('=')).map(str::to_owned))
    };
    Some(Figures {
        tips: at("tips")?.parse().ok()?,
        mentions: at("mentions")?.parse().ok()?,
        filed_s: at("filed_s")?.parse().ok()?,
        rebuild_s: at("rebuild_s")?.parse().ok()?,
        per_mention_us: at("per_mention_us")?.parse().ok()?,
        index_mib: at("index_mib")?.parse().ok()?,
    })
}

pub fn main(args: &[String]) -> anyhow::Result<()> {
    let mut mentions = 1_000_000u64;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--mentions" => mentions = it.next().context("--mentions needs a value")?.parse().context("--mentions")?,
            other => bail!("unknown option {other:?}; usage: cargo xtask bench matcher [--mentions 1000000]"),
        }
    }
    anyhow::ensure!((1_000..=5_000_000).contains(&mentions), "--mentions 1,000–5,000,000");
    let root = project_root();
    crate::run(cargo().current_dir(&root).args(["build", "--release", "-p", "app", "--example", "matcher_start"]))?;
    let bin = crate::target_dir().join("release/examples/matcher_start");
    let dir = std::env::temp_dir().join(format!("sightline-matcher-{}", std::process::id()));
    let load_before = report::load_average();
    let started = Instant::now();
    let out = Command::new(&bin)
        .args(["--mentions", &mentions.to_string(), "--dir"])
        .arg(&dir)
        .stderr(std::process::Stdio::inherit())
        .output()
        .context("running matcher_start");
    let _ = std::fs::remove_dir_all(&dir);
    let out = out?;
    anyhow::ensure!(out.status.success(), "matcher_start failed");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let f = stdout.lines().find_map(parse_line).context("matcher_start printed no figures")?;
    eprintln!("matcher: {} mentions rebuilt in {:.1} s", f.mentions, f.rebuild_s);
    report::write_section("matcher", &markdown(&f, mentions, &load_before, started.elapsed().as_secs_f64()))
}

fn markdown(f: &Figures, asked: u64, load_before: &str, secs: f64) -> String {
    let mut s = String::from("## Matcher start-up\n\n");
    s.push_str(&format!(
        "Written by `cargo xtask bench matcher --mentions {asked}` on {}; the run took {secs:.0} s.\n\n### Machine\n\n{}- Other work on the machine: load average {load_before} at the start, {} at the end.\n\n",
        report::now_utc(),
        report::machine(),
        report::load_average()
    ));
    s.push_str(&format!("### Method\n\nThe names, dates of birth, phone numbers, handles and narrative quotes the matcher compares are sealed at rest with each tip's data key, so a restarted server opens every one of them into memory before it can match a new tip. The release build of `crates/app/examples/matcher_start.rs` files {} tips through intake (64 at a time, sealed as the server seals them; two named subjects with a date of birth and a phone or a handle, and a phone and a handle in the narrative: four mentions a tip) into a SQLite data folder, then opens the folder afresh and times `jobs::resolve::rebuild`: every mention read in pages of 5,000, each tip's data key unwrapped once, each field opened, normalised (phonetic codes, nicknames, phone numbers) and inserted into the index, blocking on keyed hashes. The server runs this beside the desk at start: intake, the queue and escalation go on meanwhile, and new mentions wait, stored, until it ends.\n\n", thousands(f.tips)));
    s.push_str("| mentions | rebuild | µs per mention | index memory | filing them took |\n| ---: | ---: | ---: | ---: | ---: |\n");
    s.push_str(&format!(
        "| {} | **{:.1} s** | {:.1} | {:.0} MiB | {:.0} s |\n\n",
        thousands(f.mentions),
        f.rebuild_s,
        f.per_mention_us,
        f.index_mib,
        f.filed_s
    ));
    s.push_str("### Against the target\n\nThe issue asks for the figure, not a bound; the bound below is ours: a new tip's links may wait a minute after a restart, never its routing or its clock.\n\n| target | measured | |\n| --- | --- | --- |\n");
    s.push_str(&format!(
        "| rebuild at start ≤ {TARGET_SECONDS:.0} s — {} mentions | {:.1} s | {} |\n",
        thousands(f.mentions),
        f.rebuild_s,
        report::verdict(f.rebuild_s <= TARGET_SECONDS && f.mentions >= 1_000_000)
    ));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_example_output() {
        let line = "tips=250000 mentions=1000000 filed_s=61.2 rebuild_s=8.41 per_mention_us=8.41 index_mib=702";
        let f = parse_line(line).unwrap();
        assert_eq!((f.tips, f.mentions, f.index_mib), (250_000, 1_000_000, 702.0));
        assert!(parse_line("filing: 3 of 64 workers done").is_none());
        let md = markdown(&f, 1_000_000, "0.1", 70.0);
        assert!(md.contains("| rebuild at start ≤ 60 s — 1,000,000 mentions | 8.4 s | **met** |"), "{md}");
    }
}
