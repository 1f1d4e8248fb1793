//! `cargo xtask bench er`: the entity-resolution benchmark, Sightline against Splink.
//!
//! Uses the benchmark kit kept outside the project (`<root>/../shared/er-bench`, or `--kit DIR`):
//! generates synthetic records with known truth, runs our engine (the release build of
//! `crates/resolve/examples/bench.rs`, the same library code as `sightline resolve`) and Splink
//! on the same file in the same invocation, measures each child process's wall time and peak
//! memory (`/usr/bin/time -v`), scores both with the kit's `score.py`, times online queries at
//! the largest size, and rewrites the part of `BENCHMARKS.md` between `<!-- er:begin -->` and
//! `<!-- er:end -->`. Everything it generates (Python venv, data, outputs) lives under
//! `target/er-bench/`.
//!
//! This file is long because it is one report: the kit's runner, the measurement of both
//! engines and the section of BENCHMARKS.md are read together when a figure is questioned.

use crate::report::{thousands, verdict};
use crate::run;
use anyhow::{Context, bail};
use serde_json::Value;
use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fmt::Write as _;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

const PY_PACKAGES: [&str; 5] = ["splink", "duckdb", "pandas", "numpy", "scipy"];
const USAGE: &str = "usage: cargo xtask bench er [--sizes 100000,1000000] [--seed 42] [--kit DIR] \
[--queries 10000] [--runs 1] [--skip-splink]
  --sizes        record counts to run (default 100000,1000000)
  --seed         generator seed (default 42)
  --kit          the er-bench kit (default <project root>/../shared/er-bench)
  --queries      online queries at the largest size (default 10000)
  --runs         runs of each tool; the fastest is reported, with every run's time (default 1)
  --skip-splink  quick local run: only Sightline; BENCHMARKS.md is left alone";

struct Opts {
    sizes: Vec<usize>,
    seed: u64,
    kit: Option<PathBuf>,
    queries: usize,
    runs: usize,
    skip_splink: bool,
}

fn parse_opts(args: &[String]) -> anyhow::Result<Opts> {
    let mut o =
        Opts { sizes: vec![100_000, 1_000_000], seed: 42, kit: None, queries: 10_000, runs: 1, skip_splink: false };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) => (f, Some(v.to_owned())),
            None => (a.as_str(), None),
        };
        let mut value =
            || inline.clone().or_else(|| it.next().cloned()).with_context(|| format!("{flag} needs a value"));
        match flag {
            "--sizes" => {
                o.sizes = value()?
                    .split(',')
                    .map(|s| s.trim().replace('_', "").parse::<usize>())
                    .collect::<Result<_, _>>()
                    .context("--sizes: comma-separated record counts")?;
                if o.sizes.is_empty() || o.sizes.contains(&0) {
                    bail!("--sizes: give at least one positive count");
                }
            }
            "--seed" => o.seed = value()?.parse().context("--seed")?,
            "--kit" => o.kit = Some(PathBuf::from(value()?)),
            "--queries" => o.queries = value()?.parse().context("--queries")?,
            "--runs" => {
                o.runs = value()?.parse().context("--runs")?;
                if o.runs == 0 {
                    bail!("--runs: at least 1");
                }
            }
            "--skip-splink" => o.skip_splink = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            _ => bail!("unknown option {a}\n{USAGE}"),
        }
    }
    Ok(o)
}

/// Entry point: `args` are what follows `bench er`.
pub fn main(args: &[String]) -> anyhow::Result<()> {
    let opts = parse_opts(args)?;
    let root = crate::project_root();
    let kit = opts.kit.clone().unwrap_or_else(|| root.join("..").join("shared").join("er-bench"));
    for f in ["gen_synth.py", "run_splink.py", "score.py"] {
        if !kit.join(f).is_file() {
            bail!("{} not found: pass the er-bench kit with --kit DIR", kit.join(f).display());
        }
    }
    let kit = kit.canonicalize()?;
    let work = root.join("target").join("er-bench");
    std::fs::create_dir_all(&work)?;
    let load_before = crate::report::load_average();
    let started = Instant::now();

    let python = venv(&work)?;
    let timer = time_bin()?;
    let (bench_bin, online_bin) = build_engine(&root)?;

    let mut sizes = Vec::new();
    for &n in &opts.sizes {
        let data = generate(&python, &kit, &work, n, opts.seed)?;
        let run_dir = work.join("runs").join(format!("n{n}-seed{}", opts.seed));
        sizes.push(bench_size(
            &python,
            &kit,
            &bench_bin,
            timer.as_deref(),
            &data,
            &run_dir,
            n,
            opts.runs,
            opts.skip_splink,
        )?);
    }
    let largest = *opts.sizes.iter().max().expect("sizes is not empty");
    let data = work.join("data").join(format!("n{largest}-seed{}", opts.seed));
    let online = bench_online(&online_bin, timer.as_deref(), &data, &work, opts.queries, opts.runs)?;

    let report = Report {
        machine: Machine::probe(&python),
        seed: opts.seed,
        runs: opts.runs,
        command: ["cargo xtask bench er"]
            .into_iter()
            .chain(args.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(" "),
        sizes,
        online,
        load_before,
        load_after: crate::report::load_average(),
        minutes: started.elapsed().as_secs_f64() / 60.0,
        timer: timer.is_some(),
    };
    let section = report.markdown();
    let copy = work.join("BENCHMARKS-er.md");
    std::fs::write(&copy, &section)?;
    println!("{section}");
    if opts.skip_splink {
        eprintln!("--skip-splink: BENCHMARKS.md left alone; the section is in {}", copy.display());
    } else {
        crate::report::write_section("er", &section)?;
    }
    Ok(())
}

/// The venv's Python, creating the venv and installing the packages when needed.
fn venv(work: &Path) -> anyhow::Result<PathBuf> {
    let dir = work.join("venv");
    let python = dir.join("bin").join("python");
    if !python.exists() {
        run(Command::new("python3").arg("-m").arg("venv").arg(&dir))?;
    }
    let import = format!("import {}", PY_PACKAGES.join(", "));
    let ok = Command::new(&python).args(["-c", &import]).stderr(Stdio::null()).status()?.success();
    if !ok {
        run(Command::new(&python)
            .args(["-m", "pip", "install", "-q", "--disable-pip-version-check"])
            .args(PY_PACKAGES))?;
    }
    Ok(python)
}

/// `/usr/bin/time`, installed from Debian's packages when missing and running as root.
fn time_bin() -> anyhow::Result<Option<PathBuf>> {
    let p = PathBuf::from("/usr/bin/time");
    if p.exists() {
        return Ok(Some(p));
    }
    let root = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("Uid:")).map(|l| l.split_whitespace().nth(1) == Some("0")))
        .unwrap_or(false);
    if root && Command::new("apt-get").arg("--version").stdout(Stdio::null()).status().is_ok_and(|s| s.success()) {
        eprintln!("/usr/bin/time not found: installing it from Debian's packages");
        let _ = run(Command::new("apt-get").args(["update", "-q"]));
        let _ = run(Command::new("apt-get").args(["install", "-y", "-q", "time"]));
    }
    if p.exists() {
        return Ok(Some(p));
    }
    eprintln!("warning: /usr/bin/time unavailable: peak memory will be reported as unknown");
    Ok(None)
}

/// Builds the engine's benchmark examples in release mode; returns the two executables.
fn build_engine(root: &Path) -> anyhow::Result<(PathBuf, PathBuf)> {
    let mut cmd = crate::cargo();
    cmd.current_dir(root).args([
        "build",
        "--release",
        "-p",
        "resolve",
        "--example",
        "bench",
        "--example",
        "online",
        "--message-format=json-render-diagnostics",
    ]);
    eprintln!("$ {cmd:?}");
    let out = cmd.stderr(Stdio::inherit()).output().context("starting cargo build")?;
    if !out.status.success() {
        bail!("cargo build of the resolve examples failed");
    }
    let mut exes = BTreeMap::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let Ok(v) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        if v["reason"] == "compiler-artifact"
            && let (Some(name), Some(exe)) = (v["target"]["name"].as_str(), v["executable"].as_str())
        {
            exes.insert(name.to_owned(), PathBuf::from(exe));
        }
    }
    let get = |n: &str| exes.get(n).cloned().with_context(|| format!("cargo reported no executable for example {n}"));
    Ok((get("bench")?, get("online")?))
}

/// Generated data for `n` records and `seed`, reused when already there.
fn generate(python: &Path, kit: &Path, work: &Path, n: usize, seed: u64) -> anyhow::Result<PathBuf> {
    let dir = work.join("data").join(format!("n{n}-seed{seed}"));
    if dir.join("records.csv").is_file() && dir.join("truth.csv").is_file() {
        eprintln!("reusing {}", dir.display());
        return Ok(dir);
    }
    let tmp = work.join("data").join(format!(".n{n}-seed{seed}.partial"));
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp)?;
    run(Command::new(python)
        .arg(kit.join("gen_synth.py"))
        .arg(n.to_string())
        .arg(&tmp)
        .arg("--seed")
        .arg(seed.to_string()))?;
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::rename(&tmp, &dir)?;
    Ok(dir)
}

/// Wall time and peak memory of one child process.
struct Measured {
    wall_s: f64,
    peak_mib: Option<f64>,
    /// User plus system CPU seconds.
    cpu_s: Option<f64>,
    stdout: String,
}

/// Runs `argv` with stdout captured and stderr sent to `log`, under `/usr/bin/time -v` when
/// there is one; the wall time is taken here, around the child.
fn measure(argv: &[OsString], timer: Option<&Path>, log: &Path) -> anyhow::Result<Measured> {
    let time_out = log.with_extension("time");
    let mut cmd = match timer {
        Some(t) => {
            let mut c = Command::new(t);
            c.arg("-v").arg("-o").arg(&time_out).args(argv);
            c
        }
        None => {
            let mut c = Command::new(&argv[0]);
            c.args(&argv[1..]);
            c
        }
    };
    cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(File::create(log)?);
    eprintln!(
        "$ {} (stderr: {})",
        argv.iter().map(|a| a.to_string_lossy()).collect::<Vec<_>>().join(" "),
        log.display()
    );
    let t = Instant::now();
    let out = cmd.output().with_context(|| format!("starting {:?}", argv[0]))?;
    let wall_s = t.elapsed().as_secs_f64();
    if !out.status.success() {
        let err = std::fs::read_to_string(log).unwrap_or_default();
        let tail: Vec<&str> = err.lines().rev().take(20).collect::<Vec<_>>().into_iter().rev().collect();
        bail!("{:?} failed with {}:\n{}", argv[0], out.status, tail.join("\n"));
    }
    let report = timer.and_then(|_| std::fs::read_to_string(&time_out).ok()).unwrap_or_default();
    let field =
        |name: &str| -> Option<f64> { report.lines().find_map(|l| l.trim().strip_prefix(name))?.trim().parse().ok() };
    let peak_mib = field("Maximum resident set size (kbytes):").map(|kib| kib / 1024.0);
    let cpu_s = field("User time (seconds):").zip(field("System time (seconds):")).map(|(u, s)| u + s);
    Ok(Measured { wall_s, peak_mib, cpu_s, stdout: String::from_utf8_lossy(&out.stdout).into_owned() })
}

/// The `key=value` pairs of the last line of `stdout` that has any.
fn key_values(stdout: &str) -> BTreeMap<String, String> {
    stdout
        .lines()
        .rev()
        .find(|l| l.contains('='))
        .unwrap_or("")
        .split_whitespace()
        .filter_map(|kv| kv.split_once('=').map(|(k, v)| (k.to_owned(), v.to_owned())))
        .collect()
}

/// One tool's result at one size.
struct ToolRun {
    wall_s: f64,
    peak_mib: Option<f64>,
    cpu_s: Option<f64>,
    scores: Scores,
    /// Details: stage timings, threads, versions.
    info: BTreeMap<String, String>,
}

/// The figures taken from `score.py --json`.
struct Scores {
    precision: f64,
    recall: f64,
    f1: f64,
    b3_f1: f64,
    clusters: u64,
}

fn score(python: &Path, kit: &Path, truth: &Path, pred: &Path) -> anyhow::Result<Scores> {
    let json = pred.with_file_name("score.json");
    let out = Command::new(python)
        .arg(kit.join("score.py"))
        .arg("--truth")
        .arg(truth)
        .arg("--pred")
        .arg(pred)
        .arg("--json")
        .arg(&json)
        .stderr(Stdio::inherit())
        .output()
        .context("starting score.py")?;
    if !out.status.success() {
        bail!("score.py failed on {}", pred.display());
    }
    let v: Value = serde_json::from_str(&std::fs::read_to_string(&json)?)?;
    let c = &v["clusters"];
    let f = |k: &str| c[k].as_f64().with_context(|| format!("{}: no clusters.{k}", json.display()));
    Ok(Scores {
        precision: f("pairwise_precision")?,
        recall: f("pairwise_recall")?,
        f1: f("pairwise_f1")?,
        b3_f1: f("b3_f1")?,
        clusters: c["pred_clusters"].as_u64().unwrap_or(0),
    })
}

/// Both tools at one size: every run, in order.
struct SizeResult {
    n: usize,
    records: u64,
    sightline: Vec<ToolRun>,
    splink: Vec<ToolRun>,
}

/// The run with the shortest wall time.
fn best(runs: &[ToolRun]) -> Option<&ToolRun> {
    runs.iter().min_by(|a, b| a.wall_s.total_cmp(&b.wall_s))
}

/// Runs both tools `runs` times, alternating (Sightline, Splink, Sightline, ...), and scores every run.
#[allow(clippy::too_many_arguments)]
fn bench_size(
    python: &Path,
    kit: &Path,
    bench_bin: &Path,
    timer: Option<&Path>,
    data: &Path,
    run_dir: &Path,
    n: usize,
    runs: usize,
    skip_splink: bool,
) -> anyhow::Result<SizeResult> {
    let records = data.join("records.csv");
    let truth = data.join("truth.csv");
    let _ = std::fs::remove_dir_all(run_dir);
    let mut result = SizeResult { n, records: n as u64, sightline: Vec::new(), splink: Vec::new() };
    for k in 1..=runs {
        let ours = run_dir.join(format!("sightline-{k}"));
        std::fs::create_dir_all(&ours)?;
        let clusters = ours.join("clusters.csv");
        let argv: Vec<OsString> = vec![bench_bin.into(), records.clone().into(), clusters.clone().into()];
        let m = measure(&argv, timer, &ours.join("stderr.log"))?;
        let info = key_values(&m.stdout);
        let scores = score(python, kit, &truth, &clusters)?;
        eprintln!("sightline n={n} run {k}: {:.1}s, {} MiB, F1 {:.4}", m.wall_s, mib(m.peak_mib), scores.f1);
        result.records = info.get("records").and_then(|s| s.parse().ok()).unwrap_or(n as u64);
        result.sightline.push(ToolRun { wall_s: m.wall_s, peak_mib: m.peak_mib, cpu_s: m.cpu_s, scores, info });
        if skip_splink {
            continue;
        }
        let dir = run_dir.join(format!("splink-{k}"));
        std::fs::create_dir_all(&dir)?;
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let argv: Vec<OsString> = vec![
            python.into(),
            kit.join("run_splink.py").into(),
            "--input".into(),
            records.clone().into(),
            "--out-dir".into(),
            dir.clone().into(),
            "--threads".into(),
            threads.to_string().into(),
            "--quiet".into(),
        ];
        let m = measure(&argv, timer, &dir.join("stderr.log"))?;
        let _ = std::fs::remove_dir_all(dir.join("duckdb_tmp"));
        let run: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("run.json"))?)?;
        let mut info = BTreeMap::new();
        if let Some(o) = run.as_object() {
            for (k, v) in o {
                if v.is_number() || v.is_string() {
                    info.insert(k.clone(), v.as_str().map_or_else(|| v.to_string(), str::to_owned));
                }
            }
        }
        let scores = score(python, kit, &truth, &dir.join("clusters.csv"))?;
        eprintln!("splink n={n} run {k}: {:.1}s, {} MiB, F1 {:.4}", m.wall_s, mib(m.peak_mib), scores.f1);
        result.splink.push(ToolRun { wall_s: m.wall_s, peak_mib: m.peak_mib, cpu_s: m.cpu_s, scores, info });
    }
    Ok(result)
}

/// Online query latency at one size: the run with the lowest p99, and every run's p99.
struct OnlineResult {
    n: usize,
    peak_mib: Option<f64>,
    kv: BTreeMap<String, String>,
    p99s: Vec<String>,
}

fn bench_online(
    online_bin: &Path,
    timer: Option<&Path>,
    data: &Path,
    work: &Path,
    queries: usize,
    runs: usize,
) -> anyhow::Result<OnlineResult> {
    let dir = work.join("runs").join("online");
    std::fs::create_dir_all(&dir)?;
    let argv: Vec<OsString> = vec![online_bin.into(), data.join("records.csv").into(), queries.to_string().into()];
    let mut all = Vec::new();
    for k in 1..=runs {
        let m = measure(&argv, timer, &dir.join(format!("stderr-{k}.log")))?;
        eprintln!("online run {k}: {}", m.stdout.trim());
        all.push((key_values(&m.stdout), m.peak_mib));
    }
    let p99 = |kv: &BTreeMap<String, String>| kv.get("p99_ms").and_then(|v| v.parse::<f64>().ok()).unwrap_or(f64::MAX);
    let p99s = all.iter().map(|(kv, _)| kv.get("p99_ms").cloned().unwrap_or_else(|| "?".into())).collect();
    let (kv, peak_mib) = all.into_iter().min_by(|a, b| p99(&a.0).total_cmp(&p99(&b.0))).context("no online run")?;
    let n = kv.get("stored").and_then(|s| s.parse().ok()).unwrap_or(0);
    Ok(OnlineResult { n, peak_mib, kv, p99s })
}

/// What the benchmark ran on.
struct Machine {
    cpu: String,
    cores: usize,
    mem_gib: f64,
    os: String,
    kernel: String,
    rustc: String,
    python: String,
    nice: String,
}

impl Machine {
    fn probe(python: &Path) -> Machine {
        let h = crate::report::host();
        let python = crate::report::command_line(
            Command::new(python).args(["-c", "import platform; print(platform.python_version())"]),
        );
        Machine {
            cpu: h.cpu,
            cores: h.cores,
            mem_gib: h.mem_gib,
            os: h.os,
            kernel: h.kernel,
            rustc: h.rustc,
            python: python.unwrap_or_else(|| "unknown".into()),
            nice: h.nice,
        }
    }
}

fn mib(m: Option<f64>) -> String {
    m.map_or_else(|| "unknown".into(), |m| format!("{m:.0}"))
}

struct Report {
    machine: Machine,
    seed: u64,
    runs: usize,
    command: String,
    sizes: Vec<SizeResult>,
    online: OnlineResult,
    load_before: String,
    load_after: String,
    minutes: f64,
    timer: bool,
}

impl Report {
    fn markdown(&self) -> String {
        let mut s = String::new();
        let m = &self.machine;
        let splink_info = self.sizes.iter().find_map(|r| best(&r.splink)).map(|s| &s.info);
        let version = |k: &str| splink_info.and_then(|i| i.get(k)).cloned().unwrap_or_else(|| "not run".into());
        let our_threads = self
            .sizes
            .first()
            .and_then(|r| best(&r.sightline)?.info.get("threads"))
            .cloned()
            .unwrap_or_else(|| "?".into());
        let splink_threads = splink_info.and_then(|i| i.get("threads")).cloned().unwrap_or_else(|| "?".into());
        let sizes: Vec<String> = self.sizes.iter().map(|r| thousands(r.n as u64)).collect();

        let _ = writeln!(s, "## Entity resolution\n");
        let _ = writeln!(
            s,
            "Written by `{}` on {} (UTC); run it again to refresh this section \
             (the text between the `er:begin` and `er:end` markers is replaced, the rest of the file is kept). \
             The whole run took {:.0} minutes.\n",
            self.command,
            crate::report::today(),
            self.minutes
        );
        let _ = writeln!(s, "### Machine\n");
        let _ = writeln!(s, "- CPU: {}, {} logical cores (`nproc`)", m.cpu, m.cores);
        let _ = writeln!(s, "- Memory: {:.1} GiB", m.mem_gib);
        let _ = writeln!(s, "- OS: {}, Linux {}", m.os, m.kernel);
        let _ = writeln!(
            s,
            "- Software: {}; Python {}; Splink {}, DuckDB {}",
            m.rustc,
            m.python,
            version("splink_version"),
            version("duckdb_version")
        );
        let busy = [&self.load_before, &self.load_after]
            .iter()
            .any(|l| l.split_whitespace().next().and_then(|x| x.parse::<f64>().ok()).is_none_or(|x| x >= 0.5));
        let _ = writeln!(
            s,
            "- Other work on the machine: load average (1, 5, 15 min) {} at the start, {} at the end; the benchmark \
             ran at nice {}. {} Times vary from run to run (the kit quotes ±15 % for Splink).\n",
            self.load_before,
            self.load_after,
            m.nice,
            if busy {
                "The machine was shared with other work, which competed for the same cores: the times are upper \
                 bounds, and they hurt Sightline (which keeps both cores busy) more than Splink (mostly one core)."
            } else {
                "The machine was otherwise idle."
            }
        );

        let _ = writeln!(s, "### Method\n");
        let _ = writeln!(
            s,
            "- Data: the er-bench kit's `gen_synth.py N DIR --seed {}` for N = {}: synthetic person records \
             (\"tips\" from 12 agencies) with realistic duplication (typos, nicknames, swapped names, date slips, \
             phone/e-mail/handle variants, households sharing surnames and addresses) and the true person of every \
             record in `truth.csv`. The kit lives outside the project (`../shared/er-bench`).",
            self.seed,
            sizes.join(" and ")
        );
        let _ = writeln!(
            s,
            "- Sightline: the release build of `crates/resolve/examples/bench.rs`, which calls \
             `resolve::run_batch_with` with the default settings, the same library code as \
             `sightline resolve --input records.csv --output clusters.csv` (a release build of the whole CLI takes \
             about 15 minutes on this machine, so the example binary is used). It is built first and its binary run \
             directly, so cargo's own time is not measured. {our_threads} worker threads (rayon's default: one per core)."
        );
        let _ = writeln!(
            s,
            "- Splink: the kit's `run_splink.py --input records.csv --out-dir DIR --threads {splink_threads} --quiet` \
             (DuckDB backend with {splink_threads} threads; blocking rules, comparisons, EM training, prediction, \
             connected components at match probability 0.95, as set by the kit), in a venv under \
             `target/er-bench/venv`."
        );
        let _ = writeln!(
            s,
            "- Both tools ran one after the other on the same file in the same invocation, Sightline first{}. \
             Wall time is measured around the child process (start to exit: reading the CSV, every stage, writing \
             `clusters.csv`; for Splink also Python's start-up and imports). {}",
            if self.runs > 1 {
                format!(
                    ", {} times each, alternating; the tables show each tool's fastest run (the one least disturbed \
                     by other work) and list every run's time",
                    self.runs
                )
            } else {
                String::new()
            },
            if self.timer {
                "Peak memory is the child's maximum resident set size from `/usr/bin/time -v` \
                 (DuckDB runs inside the Python process, so it is included)."
            } else {
                "Peak memory is unknown: `/usr/bin/time` was not available."
            }
        );
        let _ = writeln!(
            s,
            "- Quality: the kit's `score.py --truth truth.csv --pred clusters.csv`: pairwise precision, recall and F1 \
             over the record pairs placed in the same cluster, and B-cubed F1.\n"
        );

        for r in &self.sizes {
            let _ = writeln!(s, "### {} records\n", thousands(r.records));
            let Some(o) = best(&r.sightline) else { continue };
            let sp = best(&r.splink);
            let cell = |f: &dyn Fn(&ToolRun) -> String| sp.map_or_else(|| "not run".to_owned(), f);
            let _ = writeln!(s, "| | Sightline | Splink |");
            let _ = writeln!(s, "| --- | ---: | ---: |");
            let row = |s: &mut String, name: &str, f: &dyn Fn(&ToolRun) -> String| {
                let _ = writeln!(s, "| {name} | {} | {} |", f(o), cell(f));
            };
            row(&mut s, "pairwise precision", &|t| format!("{:.4}", t.scores.precision));
            row(&mut s, "pairwise recall", &|t| format!("{:.4}", t.scores.recall));
            row(&mut s, "pairwise F1", &|t| format!("{:.4}", t.scores.f1));
            row(&mut s, "B-cubed F1", &|t| format!("{:.4}", t.scores.b3_f1));
            row(&mut s, "clusters", &|t| thousands(t.scores.clusters));
            row(&mut s, "wall time", &|t| format!("{:.1} s", t.wall_s));
            row(&mut s, "CPU time (user + system)", &|t| {
                t.cpu_s.map_or_else(|| "unknown".into(), |c| format!("{c:.1} s"))
            });
            row(&mut s, "cores kept busy (CPU time / wall time)", &|t| {
                t.cpu_s.map_or_else(|| "unknown".into(), |c| format!("{:.2}", c / t.wall_s))
            });
            row(&mut s, "peak memory", &|t| format!("{} MiB", mib(t.peak_mib)));
            let per_million = |t: &ToolRun| t.peak_mib.map(|p| p / (r.records as f64 / 1e6));
            row(&mut s, "peak memory per million records", &|t| format!("{} MiB", mib(per_million(t))));
            let _ = writeln!(s);
            if self.runs > 1 {
                let list = |runs: &[ToolRun]| {
                    runs.iter()
                        .map(|t| format!("{:.1} s (F1 {:.4})", t.wall_s, t.scores.f1))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let _ = write!(s, "Every run, in order: Sightline {}", list(&r.sightline));
                if !r.splink.is_empty() {
                    let _ = write!(s, "; Splink {}", list(&r.splink));
                }
                let _ = writeln!(s, ".\n");
            }
            let stages: Vec<String> = ["read", "blocking", "candidates", "training", "scoring", "clustering", "write"]
                .iter()
                .filter_map(|k| o.info.get(&format!("{k}_s")).map(|v| format!("{k} {v} s")))
                .collect();
            let _ = writeln!(
                s,
                "Sightline's stages: {} ({} candidate pairs compared, {} linked).",
                stages.join(", "),
                o.info.get("candidate_pairs").map_or("?".into(), |v| v.parse().map_or(v.clone(), thousands)),
                o.info.get("linked_pairs").map_or("?".into(), |v| v.parse().map_or(v.clone(), thousands)),
            );
            if let Some(sp) = sp {
                let g = |k: &str| sp.info.get(k).cloned().unwrap_or_else(|| "?".into());
                let _ = writeln!(
                    s,
                    "Splink's own figures (`run.json`): load {} s, training {} s, prediction {} s, clustering {} s, \
                     writing {} s; core (training + prediction + clustering) {} s; peak RSS {} MiB.",
                    g("load_s"),
                    g("train_s"),
                    g("predict_s"),
                    g("cluster_s"),
                    g("write_s"),
                    g("core_s"),
                    g("peak_rss_mib")
                );
                let core: Option<f64> = sp.info.get("core_s").and_then(|v| v.parse().ok());
                let _ = writeln!(
                    s,
                    "\n**Speed ratio: Sightline is {:.1}× faster than Splink** in wall time ({:.1} s against {:.1} s){}.",
                    sp.wall_s / o.wall_s,
                    o.wall_s,
                    sp.wall_s,
                    core.map_or(String::new(), |c| format!(
                        "; against Splink's core time alone ({c:.1} s, without loading, writing or start-up) the ratio is {:.1}×",
                        c / o.wall_s
                    ))
                );
                if let (Some(a), Some(b)) = (o.cpu_s, sp.cpu_s) {
                    let _ = writeln!(
                        s,
                        "In CPU time, which depends less on what else the machine is doing, the ratio is {:.1}× \
                         ({a:.1} s against {b:.1} s).",
                        b / a
                    );
                }
            }
            let _ = writeln!(s);
        }

        let on = &self.online;
        let g = |k: &str| on.kv.get(k).cloned().unwrap_or_else(|| "?".into());
        let _ = writeln!(s, "### Online matching\n");
        let _ = writeln!(
            s,
            "The release build of `crates/resolve/examples/online.rs` stores all {} records of the largest data set in \
             an `OnlineIndex` (with the untrained `Model::default_prior()`: scoring costs the same with any weights; \
             inserting took {} s), then matches {} new mentions one at a time on one thread. Each mention is a copy of a \
             stored record, taken evenly through the file, under a fresh id, so its stored twin is among its candidates: \
             at least the work of a genuinely new mention. A query's time covers normalising the mention, looking up its \
             blocks, scoring every candidate and explaining the best 50. Peak memory of the process (all records held \
             twice, raw and indexed): {} MiB.\n",
            thousands(on.n as u64),
            g("insert_s"),
            g("queries").parse().map_or_else(|_| g("queries"), thousands),
            mib(on.peak_mib)
        );
        let _ = writeln!(s, "| stored records | queries | p50 | p99 | max | mean | candidates per query |");
        let _ = writeln!(s, "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        let _ = writeln!(
            s,
            "| {} | {} | {} ms | {} ms | {} ms | {} ms | {} |\n",
            thousands(on.n as u64),
            g("queries").parse().map_or_else(|_| g("queries"), thousands),
            g("p50_ms"),
            g("p99_ms"),
            g("max_ms"),
            g("mean_ms"),
            g("candidates_per_query")
        );
        if on.p99s.len() > 1 {
            let _ = writeln!(
                s,
                "The online benchmark ran {} times; the table shows the run with the lowest p99. p99 of every run, in \
                 order: {} ms.\n",
                on.p99s.len(),
                on.p99s.join(", ")
            );
        }

        let _ = writeln!(s, "### Against the targets\n");
        let _ = writeln!(s, "| target | data | measured | |");
        let _ = writeln!(s, "| --- | --- | --- | --- |");
        let mut missed = Vec::new();
        for r in &self.sizes {
            let n = thousands(r.records);
            let Some(o) = best(&r.sightline) else { continue };
            if let Some(sp) = best(&r.splink) {
                let ok = o.scores.f1 >= sp.scores.f1;
                let _ = writeln!(
                    s,
                    "| pairwise F1 ≥ Splink's | {n} | {:.4} against {:.4} (B-cubed {:.4} against {:.4}) | {} |",
                    o.scores.f1,
                    sp.scores.f1,
                    o.scores.b3_f1,
                    sp.scores.b3_f1,
                    verdict(ok)
                );
                if !ok {
                    missed.push(format!(
                        "at {n} records Sightline's pairwise F1 ({:.4}) is below Splink's ({:.4})",
                        o.scores.f1, sp.scores.f1
                    ));
                }
                let ratio = sp.wall_s / o.wall_s;
                let ok = ratio >= 10.0;
                let _ = writeln!(
                    s,
                    "| ≥ 10× less wall time than Splink | {n} | {ratio:.1}× ({:.1} s against {:.1} s) | {} |",
                    o.wall_s,
                    sp.wall_s,
                    verdict(ok)
                );
                if !ok {
                    missed.push(format!(
                        "at {n} records Sightline is only {ratio:.1}× faster than Splink ({:.1} s against {:.1} s; 10× needs ≤ {:.1} s)",
                        o.wall_s,
                        sp.wall_s,
                        sp.wall_s / 10.0
                    ));
                }
            }
            match o.peak_mib {
                Some(p) => {
                    let per = p / (r.records as f64 / 1e6);
                    let ok = per <= 1024.0;
                    let _ = writeln!(
                        s,
                        "| ≤ 1 GiB memory per million records | {n} | {p:.0} MiB peak = {per:.0} MiB per million | {} |",
                        verdict(ok)
                    );
                    if !ok {
                        missed.push(format!(
                            "at {n} records Sightline's peak memory is {p:.0} MiB, {per:.0} MiB per million records (target ≤ 1024)"
                        ));
                    }
                }
                None => {
                    let _ = writeln!(s, "| ≤ 1 GiB memory per million records | {n} | unknown | not measured |");
                }
            }
        }
        let p99: Option<f64> = on.kv.get("p99_ms").and_then(|v| v.parse().ok());
        let ok = p99.is_some_and(|p| p < 2.0);
        if on.n >= 1_000_000 {
            let _ = writeln!(
                s,
                "| online match of one new mention, p99 < 2 ms | {} stored | p99 {} ms | {} |",
                thousands(on.n as u64),
                g("p99_ms"),
                verdict(ok)
            );
            if !ok {
                missed.push(format!(
                    "online p99 is {} ms against {} stored records (target < 2 ms)",
                    g("p99_ms"),
                    thousands(on.n as u64)
                ));
            }
        } else {
            let _ = writeln!(
                s,
                "| online match of one new mention, p99 < 2 ms | {} stored | p99 {} ms | not judged: fewer than 1,000,000 stored |",
                thousands(on.n as u64),
                g("p99_ms")
            );
        }
        if self.sizes.iter().all(|r| r.splink.is_empty()) {
            let _ = writeln!(s, "\nSplink was not run (`--skip-splink`): the F1 and speed targets are not judged.");
        }
        let _ = writeln!(s);
        if missed.is_empty() {
            let _ = writeln!(s, "Every target judged in this run was met.");
        } else {
            let _ = writeln!(s, "Targets missed in this run:\n");
            for m in &missed {
                let _ = writeln!(s, "- {m}.");
            }
        }
        let _ = writeln!(
            s,
            "\nRaw outputs (clusters, logs, `score.json`, Splink's `run.json`) are left in `target/er-bench/runs/`, not committed."
        );
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers() {
        let kv = key_values("noise\nrecords=5 wall_s=1.25\n");
        assert_eq!(kv["records"], "5");
        assert_eq!(kv["wall_s"], "1.25");
        assert_eq!(crate::report::today().len(), 10);
    }
}
