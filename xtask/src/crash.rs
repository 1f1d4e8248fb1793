//! `cargo xtask crash [--kills 20] [--clients 16] [--db sqlite|postgres|both]`: crash safety
//! under load. Concurrent clients file tips with unique idempotency keys while the server is
//! killed with SIGKILL at random moments and restarted; every request that got no answer is
//! retried with the same key and body until it gets its 201. Then every receipt must open its
//! tip, every key must still give the same receipt, the tip count must equal the number of keys
//! acknowledged, and `sightline audit verify` must pass. Writes the `crash` section of
//! `BENCHMARKS.md`; exits non-zero when an invariant fails.

use crate::pg;
use crate::report;
use crate::serve::{self, Db, Install, Server};
use anyhow::{Context, bail};
use serde_json::{Value, json};
use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

/// No retry loop runs longer than this, whatever happens.
const HARD_LIMIT: Duration = Duration::from_secs(600);
/// Nor does one client file more tips than this.
const MAX_TIPS_PER_CLIENT: usize = 100_000;
const MAX_ATTEMPTS: u32 = 20_000;

struct Opts {
    kills: usize,
    clients: usize,
    dbs: Vec<Db>,
}

fn parse_opts(args: &[String]) -> anyhow::Result<Opts> {
    let mut opts = Opts { kills: 20, clients: 16, dbs: vec![Db::Sqlite, Db::Postgres] };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = || it.next().with_context(|| format!("{a} needs a value"));
        match a.as_str() {
            "--kills" => opts.kills = value()?.parse().context("--kills")?,
            "--clients" => opts.clients = value()?.parse().context("--clients")?,
            "--db" => opts.dbs = Db::parse_list(value()?)?,
            other => bail!(
                "unknown option {other:?}; usage: cargo xtask crash [--kills 20] [--clients 16] [--db sqlite|postgres|both]"
            ),
        }
    }
    anyhow::ensure!((1..=1000).contains(&opts.kills), "--kills must be from 1 to 1000");
    anyhow::ensure!((1..=256).contains(&opts.clients), "--clients must be from 1 to 256");
    Ok(opts)
}

pub fn main(args: &[String]) -> anyhow::Result<()> {
    let opts = parse_opts(args)?;
    let bin = serve::build(false)?;
    let load_before = report::load_average();
    let started = Instant::now();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let mut outcomes = Vec::new();
    for &db in &opts.dbs {
        let pg = if db == Db::Postgres { Some(pg::Server::start()?) } else { None };
        let data = serve::scratch(&format!("crash-{}", db.code()))?;
        let install = Install { bin: bin.clone(), data: data.clone(), database_url: pg.as_ref().map(|p| p.url()) };
        eprintln!("crash: {} — {} clients, {} kills, data in {}", db.name(), opts.clients, opts.kills, data.display());
        let outcome = runtime.block_on(run(db, &install, &opts))?;
        eprintln!("{}", outcome.summary());
        if outcome.passed() {
            serve::clean(&data);
        } else {
            eprintln!("crash: kept {} for inspection (server.log holds the server's stderr)", data.display());
        }
        outcomes.push(outcome);
    }
    let minutes = started.elapsed().as_secs_f64() / 60.0;
    report::write_section("crash", &markdown(&outcomes, &opts, &load_before, minutes))?;
    let failed: Vec<&str> = outcomes.iter().filter(|o| !o.passed()).map(|o| o.db.name()).collect();
    if !failed.is_empty() {
        bail!("crash safety FAILED on {}", failed.join(" and "));
    }
    eprintln!("crash: every invariant held");
    Ok(())
}

#[derive(Clone)]
struct Ack {
    key: String,
    body: String,
    reference: String,
    passphrase: String,
    /// The server generation whose kill cut off a request for this key, if one did.
    cut_off: Option<u64>,
}

/// A 201's receipt, and whether a kill cut off an earlier attempt.
struct Receipt {
    reference: String,
    passphrase: String,
    cut_off: Option<u64>,
}

/// What the clients, the killer and the checks share.
struct Shared {
    client: reqwest::Client,
    url: RwLock<String>,
    stop: AtomicBool,
    deadline: Instant,
    retries: AtomicU64,
    server_errors: AtomicU64,
    /// How many times the server was restarted; requests carry the generation they went to.
    generation: AtomicU64,
    /// When each generation's server was dead (ms since the epoch), by generation.
    killed_at_ms: Mutex<Vec<i64>>,
    replays: AtomicU64,
    duplicates: AtomicU64,
    acks: Mutex<Vec<Ack>>,
    anomalies: Mutex<Vec<String>>,
}

impl Shared {
    fn url(&self) -> String {
        self.url.read().expect("url lock").clone()
    }

    fn anomaly(&self, what: String) {
        eprintln!("crash: ANOMALY {what}");
        self.anomalies.lock().expect("anomalies lock").push(what);
    }
}

struct Outcome {
    db: Db,
    clients: usize,
    kills: usize,
    kills_cutting: usize,
    cut_off_keys: usize,
    committed_before_kill: usize,
    acks: usize,
    distinct_keys: usize,
    distinct_refs: usize,
    tips_in_metrics: Option<i64>,
    retries: u64,
    server_errors: u64,
    replays: u64,
    duplicates: usize,
    unreadable: usize,
    anomalies: Vec<String>,
    verify: Result<String, String>,
    seconds: f64,
}

impl Outcome {
    fn passed(&self) -> bool {
        self.duplicates == 0
            && self.unreadable == 0
            && self.anomalies.is_empty()
            && self.distinct_refs == self.distinct_keys
            && self.tips_in_metrics == Some(self.distinct_keys as i64)
            && self.verify.is_ok()
            && self.acks > 0
    }

    fn summary(&self) -> String {
        format!(
            "crash {}: {} kills ({} cut off requests: {} keys, {} of them committed before the kill), {} tips acknowledged ({} distinct keys, {} distinct references, {} in /metrics), \
             {} retries, {} 5xx answers, {} replays, {} duplicates, {} unreadable, {} other anomalies, audit verify: {} — {}",
            self.db.name(),
            self.kills,
            self.kills_cutting,
            self.cut_off_keys,
            self.committed_before_kill,
            self.acks,
            self.distinct_keys,
            self.distinct_refs,
            self.tips_in_metrics.map_or_else(|| "unreadable".into(), |n| n.to_string()),
            self.retries,
            self.server_errors,
            self.replays,
            self.duplicates,
            self.unreadable,
            self.anomalies.len(),
            match &self.verify {
                Ok(t) => format!("passed ({t})"),
                Err(t) => format!("FAILED ({t})"),
            },
            if self.passed() { "PASSED" } else { "FAILED" }
        )
    }
}

async fn run(db: Db, install: &Install, opts: &Opts) -> anyhow::Result<Outcome> {
    let started = Instant::now();
    let first = {
        let install = install.clone();
        tokio::task::spawn_blocking(move || install.serve()).await??
    };
    let shared = Arc::new(Shared {
        client: serve::client(opts.clients * 2, Duration::from_secs(30))?,
        url: RwLock::new(first.url.clone()),
        stop: AtomicBool::new(false),
        deadline: Instant::now() + HARD_LIMIT,
        retries: AtomicU64::new(0),
        server_errors: AtomicU64::new(0),
        generation: AtomicU64::new(0),
        killed_at_ms: Mutex::new(Vec::new()),
        replays: AtomicU64::new(0),
        duplicates: AtomicU64::new(0),
        acks: Mutex::new(Vec::new()),
        anomalies: Mutex::new(Vec::new()),
    });
    let run_id: u64 = rand::random();
    let clients: Vec<_> = (0..opts.clients).map(|id| tokio::spawn(client_loop(shared.clone(), run_id, id))).collect();

    // The killer: SIGKILL at a random moment, restart (on a new port), tell the clients.
    let mut server: Server = first;
    for k in 0..opts.kills {
        tokio::time::sleep(Duration::from_millis(rand::random_range(100..=1500))).await;
        let install = install.clone();
        let shared2 = shared.clone();
        server = tokio::task::spawn_blocking(move || -> anyhow::Result<Server> {
            server.kill()?;
            shared2.killed_at_ms.lock().expect("kill times").push(epoch_ms());
            install.serve()
        })
        .await??;
        // the new address first, then the generation: a request tagged with the new generation
        // never goes to the old address
        *shared.url.write().expect("url lock") = server.url.clone();
        shared.generation.fetch_add(1, Ordering::SeqCst);
        eprintln!(
            "crash: kill {} of {} done; {} tips acknowledged so far",
            k + 1,
            opts.kills,
            shared.acks.lock().expect("acks").len()
        );
    }

    // Every client finishes the key it is working on, then stops.
    shared.stop.store(true, Ordering::SeqCst);
    for c in clients {
        let left = shared.deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, c).await {
            Ok(joined) => joined.context("client task")?,
            Err(_) => shared.anomaly("a client did not finish before the hard time limit".into()),
        }
    }

    // The checks, against the last server.
    let acks = shared.acks.lock().expect("acks").clone();
    let distinct_keys = acks.iter().map(|a| a.key.as_str()).collect::<HashSet<_>>().len();
    let distinct_refs = acks.iter().map(|a| a.reference.as_str()).collect::<HashSet<_>>().len();
    let (replay_duplicates, unreadable, committed_before_kill) = check_receipts(&shared, &acks, opts.clients).await;
    let cut_off_keys = acks.iter().filter(|a| a.cut_off.is_some()).count();
    let kills_cutting = acks.iter().filter_map(|a| a.cut_off).collect::<HashSet<_>>().len();
    let tips_in_metrics = match get_text(&shared, "/metrics").await {
        Some(text) => serve::metric(&text, "sightline_tips_received_total"),
        None => None,
    };
    // A duplicate shows as a replay with another receipt, two keys sharing a reference, or
    // more tips stored than keys acknowledged.
    let extra_tips = tips_in_metrics.map_or(0, |n| usize::try_from(n).unwrap_or(0).saturating_sub(distinct_keys));
    let duplicates = shared.duplicates.load(Ordering::SeqCst) as usize
        + replay_duplicates
        + distinct_keys.saturating_sub(distinct_refs)
        + extra_tips;
    let install2 = install.clone();
    let verify = tokio::task::spawn_blocking(move || -> anyhow::Result<Result<String, String>> {
        server.kill()?; // one more crash, then verify the chain on disk
        install2.audit_verify()
    })
    .await??;
    let anomalies = shared.anomalies.lock().expect("anomalies").clone();
    Ok(Outcome {
        db,
        clients: opts.clients,
        kills: opts.kills,
        kills_cutting,
        cut_off_keys,
        committed_before_kill,
        acks: acks.len(),
        distinct_keys,
        distinct_refs,
        tips_in_metrics,
        retries: shared.retries.load(Ordering::SeqCst),
        server_errors: shared.server_errors.load(Ordering::SeqCst),
        replays: shared.replays.load(Ordering::SeqCst),
        duplicates,
        unreadable,
        anomalies,
        verify,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// Files tips until told to stop; now and then replays one of its own earlier receipts.
async fn client_loop(shared: Arc<Shared>, run_id: u64, id: usize) {
    let mut mine: Vec<Ack> = Vec::new();
    for seq in 0..MAX_TIPS_PER_CLIENT {
        if shared.stop.load(Ordering::SeqCst) {
            break;
        }
        let key = format!("crash-{run_id:016x}-{id}-{seq}");
        let body = json!({
            "category": "other",
            "narrative": format!("Crash test tip {seq} from client {id}: a bag was left by the north entrance."),
        })
        .to_string();
        match submit(&shared, &key, &body).await {
            Ok(Receipt { reference, passphrase, cut_off }) => {
                let ack = Ack { key, body, reference, passphrase, cut_off };
                shared.acks.lock().expect("acks").push(ack.clone());
                mine.push(ack);
            }
            Err(e) => {
                shared.anomaly(e);
                break;
            }
        }
        if rand::random_range(0..8) == 0 {
            let old = mine[rand::random_range(0..mine.len())].clone();
            shared.replays.fetch_add(1, Ordering::SeqCst);
            if replay_differs(&shared, &old, "during the run").await {
                shared.duplicates.fetch_add(1, Ordering::SeqCst);
            }
        }
    }
}

/// Replays a receipt's key and body; true when the answer is a different receipt (a
/// duplicate). Errors are recorded as anomalies.
async fn replay_differs(shared: &Shared, ack: &Ack, when: &str) -> bool {
    match submit(shared, &ack.key, &ack.body).await {
        Ok(Receipt { reference: r, passphrase: p, .. }) if r == ack.reference && p == ack.passphrase => false,
        Ok(Receipt { reference: r, passphrase: p, .. }) => {
            shared.anomaly(format!(
                "DUPLICATE: replaying key {} {when} gave reference {r}{}; the first answer was {}",
                ack.key,
                if p == ack.passphrase { "" } else { " with a different passphrase" },
                ack.reference,
            ));
            true
        }
        Err(e) => {
            shared.anomaly(format!("replaying key {} {when}: {e}", ack.key));
            false
        }
    }
}

/// POSTs a tip until it gets a 201; a request with no answer (refused, cut off, timed out) or
/// a 5xx is sent again with the same key and body. Any other status is an error.
async fn submit(shared: &Shared, key: &str, body: &str) -> Result<Receipt, String> {
    let mut cut_off = None;
    for attempt in 0..MAX_ATTEMPTS {
        if Instant::now() > shared.deadline {
            return Err(format!("key {key}: no 201 before the hard time limit"));
        }
        if attempt > 0 {
            shared.retries.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let generation = shared.generation.load(Ordering::SeqCst);
        let answer = async {
            let resp = serve::file_tip(&shared.client, &shared.url(), key, body.to_owned()).send().await?;
            let status = resp.status().as_u16();
            Ok::<_, reqwest::Error>((status, resp.text().await?))
        }
        .await;
        let (status, text) = match answer {
            Ok(a) => a,
            Err(e) => {
                // refused: the server was already dead, the request never reached it
                if !e.is_connect() && cut_off.is_none() {
                    cut_off = Some(generation);
                }
                continue;
            }
        };
        match status {
            201 => {
                let v: Value =
                    serde_json::from_str(&text).map_err(|e| format!("key {key}: 201 with bad JSON ({e}): {text}"))?;
                let field = |f: &str| {
                    v[f].as_str().map(str::to_owned).ok_or_else(|| format!("key {key}: 201 without {f}: {text}"))
                };
                return Ok(Receipt { reference: field("reference")?, passphrase: field("passphrase")?, cut_off });
            }
            500..=599 => {
                shared.server_errors.fetch_add(1, Ordering::SeqCst);
                eprintln!("crash: key {key}: {status} {text}");
            }
            _ => return Err(format!("key {key}: unexpected {status}: {text}")),
        }
    }
    Err(format!("key {key}: no 201 in {MAX_ATTEMPTS} attempts"))
}

/// For every receipt: the key still gives the same receipt, and the reference and passphrase
/// open a tipster session that reads the tip. Returns (duplicates, unreadable, and how many
/// cut-off keys were committed by the server that was then killed — their first answer was
/// lost after the commit, and the retry got the stored receipt).
async fn check_receipts(shared: &Arc<Shared>, acks: &[Ack], parallel: usize) -> (usize, usize, usize) {
    let killed_at = shared.killed_at_ms.lock().expect("kill times").clone();
    let chunks: Vec<Vec<Ack>> = acks.chunks(acks.len().div_ceil(parallel).max(1)).map(<[Ack]>::to_vec).collect();
    let tasks: Vec<_> = chunks
        .into_iter()
        .map(|chunk| {
            let shared = shared.clone();
            let killed_at = killed_at.clone();
            tokio::spawn(async move {
                let (mut dup, mut unreadable, mut before_kill) = (0, 0, 0);
                for ack in &chunk {
                    if replay_differs(&shared, ack, "after the run").await {
                        dup += 1;
                    }
                    match read_as_tipster(&shared, ack).await {
                        Ok(received_at) => {
                            let killed = ack.cut_off.and_then(|g| killed_at.get(g as usize));
                            if killed.is_some_and(|&k| received_at <= k) {
                                before_kill += 1;
                            }
                        }
                        Err(e) => {
                            shared.anomaly(format!("UNREADABLE: tip {} (key {}): {e}", ack.reference, ack.key));
                            unreadable += 1;
                        }
                    }
                }
                (dup, unreadable, before_kill)
            })
        })
        .collect();
    let (mut dup, mut unreadable, mut before_kill) = (0, 0, 0);
    for t in tasks {
        match t.await {
            Ok((d, u, b)) => {
                dup += d;
                unreadable += u;
                before_kill += b;
            }
            Err(e) => shared.anomaly(format!("check task failed: {e}")),
        }
    }
    (dup, unreadable, before_kill)
}

/// Signs in with the receipt and reads the tip; returns when it was received (ms since the epoch).
async fn read_as_tipster(shared: &Shared, ack: &Ack) -> Result<i64, String> {
    let base = shared.url();
    let c = &shared.client;
    let session = json!({"reference": ack.reference, "passphrase": ack.passphrase});
    let r = c.post(format!("{base}/api/v1/tipster/session")).json(&session).send().await.map_err(|e| e.to_string())?;
    let status = r.status().as_u16();
    let v: Value = r.json().await.unwrap_or(Value::Null);
    let token = v["token"].as_str().filter(|_| status == 200).ok_or_else(|| format!("session: {status} {v}"))?;
    let r = c.get(format!("{base}/api/v1/tipster/tip")).bearer_auth(token).send().await.map_err(|e| e.to_string())?;
    let status = r.status().as_u16();
    let v: Value = r.json().await.unwrap_or(Value::Null);
    if status != 200 || v["reference"].as_str() != Some(ack.reference.as_str()) {
        return Err(format!("tipster view: {status} {v}"));
    }
    let received = v["received_at"].as_str().unwrap_or_default();
    let at = time::OffsetDateTime::parse(received, &time::format_description::well_known::Rfc3339)
        .map_err(|e| format!("received_at {received:?}: {e}"))?;
    Ok((at.unix_timestamp_nanos() / 1_000_000) as i64)
}

fn epoch_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}

async fn get_text(shared: &Shared, path: &str) -> Option<String> {
    for _ in 0..5 {
        if let Ok(r) = shared.client.get(format!("{}{path}", shared.url())).send().await
            && r.status().is_success()
            && let Ok(t) = r.text().await
        {
            return Some(t);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    None
}

fn markdown(outcomes: &[Outcome], opts: &Opts, load_before: &str, minutes: f64) -> String {
    let mut s = String::new();
    s.push_str("## Crash safety\n\n");
    s.push_str(&format!(
        "Written by `cargo xtask crash --kills {} --clients {} --db {}` on {}; run it again to refresh this section (the text between the `crash:begin` and `crash:end` markers is replaced, the rest of the file is kept). The run took {minutes:.1} minutes.\n\n",
        opts.kills,
        opts.clients,
        match opts.dbs.as_slice() {
            [only] => only.code(),
            _ => "both",
        },
        report::now_utc(),
    ));
    s.push_str("### Machine\n\n");
    s.push_str(&report::machine());
    s.push_str(&format!(
        "- Other work on the machine: load average {load_before} at the start, {} at the end (the machine was shared; others were compiling).\n\n",
        report::load_average()
    ));
    s.push_str("### Method\n\n");
    if let Some(bin) = std::env::var_os("SIGHTLINE_BIN") {
        s.push_str(&format!(
            "- The binary given in `SIGHTLINE_BIN` ({}), not the fresh debug build described next.\n",
            bin.to_string_lossy()
        ));
    }
    s.push_str(
        "- The debug build of `sightline` (`cargo build -p cli`), started as `sightline serve --bind 127.0.0.1:0` on a fresh data folder; for PostgreSQL with `--database-url` to a throwaway cluster (`xtask/src/pg.rs`) on 127.0.0.1.\n\
         - Concurrent clients (tokio tasks with reqwest, one process) each file tips one after the other: `POST /api/v1/tips` with `{\"category\":\"other\",\"narrative\":…}` and a unique `Idempotency-Key`. A request with no answer (connection refused or reset, answer cut off, 30 s timeout) or a 5xx is sent again with the same key and byte-identical body every 20 ms until it gets its 201. About one time in eight a client also replays one of its earlier keys and checks it gets the same reference and passphrase.\n\
         - A killer sleeps a random 100–1500 ms, sends SIGKILL to the server (no graceful shutdown), starts it again on a new port and tells the clients the new address; repeated `--kills` times. A request that got no answer other than \"connection refused\" was cut off by a kill; when the tip of such a key turns out to have been received before that kill (its `received_at`, read back as the tipster, is earlier than the moment the killed server was reaped), the killed server had committed it and only the answer was lost: the retry must get the stored receipt, not a second tip.\n\
         - Then every client finishes the key it is working on (so no key is left without its 201) and stops, and against the last server: every acknowledged key is replayed once more (same reference and passphrase, else a duplicate), every receipt opens a tipster session (`POST /api/v1/tipster/session`) whose `GET /api/v1/tipster/tip` shows the same reference (else unreadable), the distinct references must equal the distinct keys, and `sightline_tips_received_total` in `/metrics` must equal the distinct keys (a higher count would be a tip stored twice or a tip without a receipt).\n\
         - Finally the server is killed once more and `sightline audit verify` must exit 0 (the hash chain and its head intact).\n\n",
    );
    s.push_str("### Results\n\n");
    s.push_str("| |");
    for o in outcomes {
        s.push_str(&format!(" {} |", o.db.name()));
    }
    s.push_str("\n| --- |");
    for _ in outcomes {
        s.push_str(" ---: |");
    }
    s.push('\n');
    let row = |s: &mut String, label: &str, f: &dyn Fn(&Outcome) -> String| {
        s.push_str(&format!("| {label} |"));
        for o in outcomes {
            s.push_str(&format!(" {} |", f(o)));
        }
        s.push('\n');
    };
    row(&mut s, "clients", &|o| o.clients.to_string());
    row(&mut s, "SIGKILLs (and restarts)", &|o| o.kills.to_string());
    row(&mut s, "kills that cut off a request in flight", &|o| o.kills_cutting.to_string());
    row(&mut s, "keys with a request cut off by a kill", &|o| o.cut_off_keys.to_string());
    row(&mut s, "… of which the killed server had committed (answer lost after the commit)", &|o| {
        o.committed_before_kill.to_string()
    });
    row(&mut s, "tips acknowledged (201, distinct keys)", &|o| report::thousands(o.distinct_keys as u64));
    row(&mut s, "distinct references", &|o| report::thousands(o.distinct_refs as u64));
    row(&mut s, "tips in `/metrics`", &|o| {
        o.tips_in_metrics.map_or_else(|| "unreadable".into(), |n| report::thousands(n as u64))
    });
    row(&mut s, "retries (re-sent after no answer or a 5xx)", &|o| report::thousands(o.retries));
    row(&mut s, "5xx answers", &|o| o.server_errors.to_string());
    row(&mut s, "replays during the run (+ one per key after)", &|o| report::thousands(o.replays));
    row(&mut s, "duplicates found", &|o| o.duplicates.to_string());
    row(&mut s, "unreadable tips found", &|o| o.unreadable.to_string());
    row(&mut s, "other anomalies", &|o| o.anomalies.len().to_string());
    row(&mut s, "`sightline audit verify`", &|o| match &o.verify {
        Ok(t) => format!("passed ({})", t.trim_start_matches("audit chain intact: ")),
        Err(_) => "**FAILED**".into(),
    });
    row(&mut s, "time", &|o| format!("{:.0} s", o.seconds));
    row(&mut s, "verdict", &|o| if o.passed() { "passed".into() } else { "**FAILED**".into() });
    s.push_str("\n### Against the target\n\n| target | measured | |\n| --- | --- | --- |\n");
    for o in outcomes {
        s.push_str(&format!(
            "| {}: after ≥ 20 SIGKILLs every acknowledged tip readable, none twice, `audit verify` passes | {} kills, {} tips acknowledged, {} duplicates, {} unreadable, audit {} | {} |\n",
            o.db.name(),
            o.kills,
            report::thousands(o.distinct_keys as u64),
            o.duplicates,
            o.unreadable,
            if o.verify.is_ok() { "intact" } else { "broken" },
            report::verdict(o.passed() && o.kills >= 20),
        ));
    }
    for o in outcomes.iter().filter(|o| !o.anomalies.is_empty() || o.verify.is_err()) {
        s.push_str(&format!("\n{} findings:\n\n", o.db.name()));
        if let Err(t) = &o.verify {
            s.push_str(&format!("- audit verify: {}\n", t.replace('\n', " ")));
        }
        for a in o.anomalies.iter().take(20) {
            s.push_str(&format!("- {a}\n"));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options() {
        let o = parse_opts(&["--kills".into(), "3".into(), "--db".into(), "sqlite".into()]).unwrap();
        assert_eq!((o.kills, o.clients, o.dbs), (3, 16, vec![Db::Sqlite]));
        assert!(parse_opts(&["--kills".into()]).is_err());
        assert!(parse_opts(&["--frobnicate".into()]).is_err());
    }
}
