//! `cargo xtask load [--db sqlite|postgres|both] [--seconds 10] [--backlog 100000] [--release]`:
//! intake under load. Starts `sightline serve` (the debug build unless `--release`), then for
//! 1, 64 and 512 concurrent clients files tips over HTTP for the given seconds each, recording
//! every latency; meanwhile the staff queue (page and API) is sampled, a life-safety tip is
//! filed every half second and its first notification timed ([`alarm`]), and the server's
//! memory is read from `/proc`. Then the queue is filled to the backlog and timed at rest
//! ([`backlog`]). Beside it, the raw limit: the same kind of rows committed straight into a
//! fresh SQLite file with the server's settings, in batched transactions. Writes the `load`
//! section of `BENCHMARKS.md`.

mod alarm;
mod backlog;
mod console;
mod intake;
mod markdown;
mod paired;
mod raw;

use crate::pg;
use crate::project_root;
use crate::report;
use crate::serve::{self, Db, Install};
use anyhow::{Context, bail};
use serde_json::json;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

struct Opts {
    dbs: Vec<Db>,
    seconds: u64,
    release: bool,
    levels: Vec<usize>,
    /// Open tips to fill the queue to before timing it at rest; 0 skips that step.
    backlog: u64,
}

fn parse_opts(args: &[String]) -> anyhow::Result<Opts> {
    let mut opts = Opts {
        dbs: vec![Db::Sqlite, Db::Postgres],
        seconds: 10,
        release: false,
        levels: vec![1, 64, 512],
        backlog: 100_000,
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = || it.next().with_context(|| format!("{a} needs a value"));
        match a.as_str() {
            "--db" => opts.dbs = Db::parse_list(value()?)?,
            "--seconds" => opts.seconds = value()?.parse().context("--seconds")?,
            "--release" => opts.release = true,
            "--backlog" => opts.backlog = value()?.parse().context("--backlog")?,
            "--clients" => {
                opts.levels =
                    value()?.split(',').map(|c| c.trim().parse()).collect::<Result<_, _>>().context("--clients")?
            }
            other => bail!(
                "unknown option {other:?}; usage: cargo xtask load [--db sqlite|postgres|both] [--seconds 10] [--clients 1,64,512] [--backlog 100000] [--release]"
            ),
        }
    }
    anyhow::ensure!((1..=600).contains(&opts.seconds), "--seconds must be from 1 to 600");
    anyhow::ensure!(opts.levels.iter().all(|c| (1..=2000).contains(c)), "--clients: each from 1 to 2000");
    anyhow::ensure!(opts.backlog <= 2_000_000, "--backlog: at most 2,000,000");
    Ok(opts)
}

pub fn main(args: &[String]) -> anyhow::Result<()> {
    let opts = parse_opts(args)?;
    if opts.release && cfg!(debug_assertions) {
        return in_release_build(args);
    }
    let bin = serve::build(opts.release)?;
    let load_before = report::load_average();
    let started = Instant::now();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let mut runs = Vec::new();
    for &db in &opts.dbs {
        let pg = if db == Db::Postgres { Some(pg::Server::start()?) } else { None };
        let data = serve::scratch(&format!("load-{}", db.code()))?;
        let install = Install { bin: bin.clone(), data: data.clone(), database_url: pg.as_ref().map(|p| p.url()) };
        let receiver = runtime.block_on(alarm::Receiver::start())?;
        let desk = set_up_desk(&install, &receiver.url)?;
        let server = install.serve()?;
        eprintln!("load: {} at {} (pid {})", db.name(), server.url, server.pid);
        let (levels, backlog) = runtime.block_on(async {
            let mut levels = Vec::new();
            let console = console::sign_in(&server.url, DESK_EMAIL, &desk.password).await?;
            warm_up(&server.url).await?;
            for &clients in &opts.levels {
                let probes = Probes { token: &desk.token, console: &console, receiver: &receiver };
                let l = level(&server.url, probes, clients, opts.seconds, server.pid).await?;
                eprintln!("{}", l.line(db));
                levels.push(l);
            }
            let backlog = if opts.backlog > 0 {
                let pg_url = pg.as_ref().map(|p| p.url());
                let b = backlog::measure(&server.url, &desk.token, &console, opts.backlog, pg_url.as_deref()).await?;
                eprintln!(
                    "load: {} queue with {} open tips: page p50 {:.1} ms p99 {:.1} ms, API p50 {:.1} ms p99 {:.1} ms",
                    db.name(),
                    b.open_tips,
                    b.page.p50,
                    b.page.p99,
                    b.api.p50,
                    b.api.p99
                );
                Some(b)
            } else {
                None
            };
            anyhow::Ok((levels, backlog))
        })?;
        server.kill()?;
        let db_bytes = dir_bytes(&data);
        serve::clean(&data);
        // The share of the raw limit, in pairs, at the best level, on a server of its own, so
        // that the intake and the raw file both start empty and grow side by side.
        let pairs = match best_level(&levels).map(|l| l.clients) {
            Some(clients) if db == Db::Sqlite => Some(pairs_on_a_fresh_server(&runtime, &bin, &receiver.url, clients)?),
            _ => None,
        };
        runs.push(DbRun { db, levels, pairs, backlog, db_bytes });
    }
    let raw = if opts.dbs.contains(&Db::Sqlite) {
        let dir = serve::scratch("load-raw")?;
        let limits = raw::Limits::measure(&dir)?;
        serve::clean(&dir);
        Some(limits)
    } else {
        None
    };
    let minutes = started.elapsed().as_secs_f64() / 60.0;
    let md = markdown::markdown(&runs, raw.as_ref(), &opts, &load_before, minutes);
    println!("{md}");
    report::write_section("load", &md)?;
    Ok(())
}

/// Cores the host may take during a measurement (5 % of the 2) for a miss to count as one.
const STOLEN_TO_JUDGE: f64 = 0.1;

/// [`paired::Pairs::measure`] against a server started on a fresh SQLite data folder, set up as
/// for the levels.
fn pairs_on_a_fresh_server(
    runtime: &tokio::runtime::Runtime,
    bin: &Path,
    webhook: &str,
    clients: usize,
) -> anyhow::Result<paired::Pairs> {
    let data = serve::scratch("load-pairs")?;
    let install = Install { bin: bin.to_owned(), data: data.clone(), database_url: None };
    set_up_desk(&install, webhook)?;
    let server = install.serve()?;
    let pairs = runtime.block_on(async {
        warm_up(&server.url).await?;
        let raw = data.join("raw");
        std::fs::create_dir_all(&raw)?;
        paired::Pairs::measure(socket_addr(&server.url)?, clients, &raw, tip_body).await
    });
    server.kill()?;
    // Kept after a failure, with the server's log.
    if pairs.is_ok() {
        serve::clean(&data);
    }
    pairs
}

/// The analyst whose queue is sampled.
const DESK_EMAIL: &str = "a@x.test";

/// The analyst's API token and console password.
struct Desk {
    token: String,
    password: String,
}

/// One agency, the fallback, so every tip lands in its queue; its on-call contact is the
/// alarm probe's webhook receiver; one analyst with an API token and a console password.
fn set_up_desk(install: &Install, webhook: &str) -> anyhow::Result<Desk> {
    let agency = install.admin(&["agency", "add", "--name", "Load Test Fusion Centre", "--kind", "fusion_centre"])?;
    let agency = agency.lines().last().unwrap_or_default().trim().to_owned();
    let added = install.admin(&["user", "add", "--agency", &agency, "--role", "analyst", "--email", DESK_EMAIL])?;
    let password = added
        .lines()
        .find_map(|l| l.split("password (shown once): ").nth(1))
        .context("`user add` printed no password")?
        .trim()
        .to_owned();
    install.admin(&["settings", "fallback", "--agency", &agency])?;
    install.admin(&[
        "contact",
        "add",
        "--agency",
        &agency,
        "--role",
        "on_call",
        "--name",
        "Load test on-call",
        "--webhook",
        webhook,
    ])?;
    let token = install.admin(&["token", "create", "--user", DESK_EMAIL])?;
    Ok(Desk { token: token.lines().last().unwrap_or_default().trim().to_owned(), password })
}

fn tip_body(n: u64) -> String {
    json!({
        "category": "other",
        "narrative": format!("Load test tip {n}: a bag was left unattended near the north entrance of the library."),
    })
    .to_string()
}

/// A few tips first, so the first level does not measure start-up.
async fn warm_up(url: &str) -> anyhow::Result<()> {
    let client = serve::client(2, Duration::from_secs(30))?;
    for n in 0..20 {
        let key = format!("warm-{n}-{:x}", rand::random::<u64>());
        let r = serve::file_tip(&client, url, &key, tip_body(n)).send().await?;
        anyhow::ensure!(r.status().as_u16() == 201, "warm-up tip: {}", r.status());
    }
    Ok(())
}

/// Latency figures in milliseconds.
#[derive(Default)]
struct Stats {
    n: usize,
    p50: f64,
    p99: f64,
    p999: f64,
    max: f64,
}

impl Stats {
    fn of(mut ms: Vec<f64>) -> Stats {
        if ms.is_empty() {
            return Stats::default();
        }
        ms.sort_by(f64::total_cmp);
        let at = |p: f64| ms[((p * ms.len() as f64).ceil() as usize).clamp(1, ms.len()) - 1];
        Stats { n: ms.len(), p50: at(0.50), p99: at(0.99), p999: at(0.999), max: ms[ms.len() - 1] }
    }
}

struct Level {
    clients: usize,
    tips: u64,
    errors: u64,
    error_sample: Option<String>,
    seconds: f64,
    latency: Stats,
    queue: Stats,
    queue_errors: u64,
    page: Stats,
    page_errors: u64,
    alarms: alarm::Alarms,
    rss_peak_kib: u64,
    hwm_kib: u64,
    server_cpu: f64,
    generator_cpu: f64,
    /// CPU the host took from the machine meanwhile, in cores (see [`serve::stolen_seconds`]).
    stolen: f64,
}

impl Level {
    fn per_second(&self) -> f64 {
        self.tips as f64 / self.seconds
    }

    fn line(&self, db: Db) -> String {
        format!(
            "load {} {:>4} clients: {} tips in {:.1} s = {:.0} tips/s; p50 {:.1} ms, p99 {:.1} ms, p99.9 {:.1} ms, max {:.1} ms; {} errors; \
             queue API p50 {:.1} ms p99 {:.1} ms ({} samples, {} errors), page p50 {:.1} ms p99 {:.1} ms ({} samples, {} errors); \
             life-safety notification p50 {:.1} ms p99 {:.1} ms max {:.1} ms ({} filed, {} missing); RSS peak {} MiB, HWM {} MiB; server CPU {:.2} cores, load generator {:.2} cores; {:.2} cores stolen by the host",
            db.name(),
            self.clients,
            self.tips,
            self.seconds,
            self.per_second(),
            self.latency.p50,
            self.latency.p99,
            self.latency.p999,
            self.latency.max,
            self.errors,
            self.queue.p50,
            self.queue.p99,
            self.queue.n,
            self.queue_errors,
            self.page.p50,
            self.page.p99,
            self.page.n,
            self.page_errors,
            self.alarms.latency.p50,
            self.alarms.latency.p99,
            self.alarms.latency.max,
            self.alarms.filed,
            self.alarms.missing,
            self.rss_peak_kib / 1024,
            self.hwm_kib / 1024,
            self.server_cpu,
            self.generator_cpu,
            self.stolen,
        )
    }
}

/// What samples the server beside the filing clients.
#[derive(Clone, Copy)]
struct Probes<'a> {
    token: &'a str,
    console: &'a console::Session,
    receiver: &'a alarm::Receiver,
}

/// The staff queue as the console shows it.
fn queue_page(client: &reqwest::Client, url: &str, console: &console::Session) -> reqwest::RequestBuilder {
    client.get(format!("{url}/staff")).header(reqwest::header::COOKIE, &console.cookie)
}

/// The staff queue through the API.
fn queue_api(client: &reqwest::Client, url: &str, token: &str) -> reqwest::RequestBuilder {
    client.get(format!("{url}/api/v1/tips")).bearer_auth(token)
}

/// Sends `request`: milliseconds until the whole answer was read, and its size in bytes; an
/// error for no answer or one that is not a success.
async fn timed(request: reqwest::RequestBuilder) -> anyhow::Result<(f64, usize)> {
    let t0 = Instant::now();
    let r = request.send().await?;
    anyhow::ensure!(r.status().is_success(), "answered {}", r.status());
    let bytes = r.bytes().await?.len();
    Ok((t0.elapsed().as_secs_f64() * 1e3, bytes))
}

/// Times `request` every 200 ms until `stop`: (milliseconds of the answered ones, failures).
async fn sample(request: reqwest::RequestBuilder, stop: Arc<AtomicBool>) -> (Vec<f64>, u64) {
    let (mut ms, mut errors) = (Vec::new(), 0u64);
    while !stop.load(Ordering::SeqCst) {
        let Some(r) = request.try_clone() else { break };
        match timed(r).await {
            Ok((t, _)) => ms.push(t),
            Err(_) => errors += 1,
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    (ms, errors)
}

/// The level with the highest rate.
fn best_level(levels: &[Level]) -> Option<&Level> {
    levels.iter().max_by(|a, b| a.per_second().total_cmp(&b.per_second()))
}

/// The server's address in its URL, `http://ip:port`.
fn socket_addr(url: &str) -> anyhow::Result<std::net::SocketAddr> {
    url.strip_prefix("http://").and_then(|a| a.parse().ok()).with_context(|| format!("not http://ip:port: {url}"))
}

/// `clients` tasks file tips back to back for `seconds`; beside them the staff queue's API and
/// page are each fetched every 200 ms, the alarm probe files a life-safety tip every 500 ms,
/// and the server's memory is read every 100 ms.
async fn level(url: &str, probes: Probes<'_>, clients: usize, seconds: u64, pid: u32) -> anyhow::Result<Level> {
    let client = serve::client(4, Duration::from_secs(60))?;
    let addr = socket_addr(url)?;
    let ready = intake::connect_clients(addr, clients, tip_body).await?;
    let stop = Arc::new(AtomicBool::new(false));
    let (server_cpu0, self_cpu0) = (serve::cpu_seconds(&pid.to_string()), serve::cpu_seconds("self"));
    let stolen0 = serve::stolen_seconds();
    let start = Instant::now();
    let intake = ready.go(start + Duration::from_secs(seconds));
    let queue = tokio::spawn(sample(queue_api(&client, url, probes.token), stop.clone()));
    let page = tokio::spawn(sample(queue_page(&client, url, probes.console), stop.clone()));
    let alarms = tokio::spawn(alarm::probe(client.clone(), url.to_owned(), probes.receiver.clone(), stop.clone()));
    let memory = {
        let stop = stop.clone();
        tokio::spawn(async move {
            let (mut peak, mut hwm) = (0, 0);
            for _ in 0..1_000_000 {
                if let Some((rss, h)) = serve::memory_kib(pid) {
                    peak = peak.max(rss);
                    hwm = hwm.max(h);
                }
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            (peak, hwm)
        })
    };
    let intake::Outcome { ms: all, errors, sample: error_sample } = intake.finish().await?;
    let elapsed = start.elapsed().as_secs_f64();
    let server_cpu = serve::cores(server_cpu0, serve::cpu_seconds(&pid.to_string()), elapsed);
    let generator_cpu = serve::cores(self_cpu0, serve::cpu_seconds("self"), elapsed);
    let stolen = serve::cores(stolen0, serve::stolen_seconds(), elapsed);
    stop.store(true, Ordering::SeqCst);
    let (queue_ms, queue_errors) = queue.await?;
    let (page_ms, page_errors) = page.await?;
    let alarms = alarms.await?;
    let (rss_peak_kib, hwm_kib) = memory.await?;
    Ok(Level {
        clients,
        tips: all.len() as u64,
        errors,
        error_sample,
        seconds: elapsed,
        latency: Stats::of(all),
        queue: Stats::of(queue_ms),
        queue_errors,
        page: Stats::of(page_ms),
        page_errors,
        alarms,
        rss_peak_kib,
        hwm_kib,
        server_cpu,
        generator_cpu,
        stolen,
    })
}

struct DbRun {
    db: Db,
    levels: Vec<Level>,
    /// SQLite only: the intake against the raw limit, in pairs.
    pairs: Option<paired::Pairs>,
    backlog: Option<backlog::Backlog>,
    db_bytes: u64,
}

/// Runs this command from a release build of xtask. The load generator shares the machine
/// with the server it measures, and unoptimised it spent more CPU per tip than the server (the
/// HTTP client's generic code is compiled in this crate); the raw limit, too, is then compiled
/// like the release server it is compared with.
fn in_release_build(args: &[String]) -> anyhow::Result<()> {
    let root = project_root();
    crate::run(crate::cargo().current_dir(&root).args(["build", "--release", "-p", "xtask"]))?;
    crate::run(
        std::process::Command::new(crate::target_dir().join("release").join("xtask"))
            .current_dir(&root)
            .arg("load")
            .args(args),
    )
}

fn dir_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|d| d.filter_map(|e| e.ok()?.metadata().ok()).filter(|m| m.is_file()).map(|m| m.len()).sum())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_and_options() {
        let s = Stats::of((1..=1000).map(f64::from).collect());
        assert_eq!((s.n, s.p50, s.p99, s.p999, s.max), (1000, 500.0, 990.0, 999.0, 1000.0));
        assert_eq!(Stats::of(vec![]).n, 0);
        let o = parse_opts(&["--db".into(), "sqlite".into(), "--clients".into(), "1,8".into()]).unwrap();
        assert_eq!((o.dbs, o.levels, o.seconds, o.release), (vec![Db::Sqlite], vec![1, 8], 10, false));
        assert!(parse_opts(&["--seconds".into(), "0".into()]).is_err());
    }
}
