//! The raw SQLite limit: the rows a plain tip writes, committed straight into a fresh SQLite
//! file with the server's schema and durability settings, with no HTTP, JSON, triage or routing
//! — the rate the intake is held against.

use crate::project_root;
use crate::serve;
use anyhow::{Context, bail};
use serde_json::json;
use sha2::{Digest, Sha256};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Tips per transaction for the batched raw limits.
pub(super) const RAW_BATCH: usize = 100;
/// Seconds for each raw measurement.
pub(super) const RAW_SECONDS: f64 = 5.0;

/// The raw figures of one run.
pub(super) struct Limits {
    /// rusqlite, [`RAW_BATCH`] tips per transaction, SQLite checkpointing inside commits (its
    /// default).
    pub batched: Raw,
    /// The same with the server's way of checkpointing: a thread beside the writer.
    pub batched_beside: Raw,
    /// rusqlite, one tip per transaction.
    pub single: Raw,
    /// Python's `sqlite3`, batched, with its SQLite version (when `python3` ran).
    pub python: Option<(Raw, String)>,
}

impl Limits {
    /// Measures every raw figure in the folder `dir`.
    pub fn measure(dir: &Path) -> anyhow::Result<Limits> {
        let batched = raw_limit(dir, RAW_BATCH, RAW_SECONDS, u64::MAX, Checkpoints::Inline)?;
        let batched_beside = raw_limit(dir, RAW_BATCH, RAW_SECONDS, u64::MAX, Checkpoints::Beside)?;
        let single = raw_limit(dir, 1, RAW_SECONDS, u64::MAX, Checkpoints::Inline)?;
        for (r, how) in [(&batched, "checkpoints in commits"), (&batched_beside, "checkpoint thread"), (&single, "")] {
            eprintln!(
                "load: raw SQLite, {} tips per transaction{}: {:.0} tips/s ({:.2} cores; {:.2} stolen by the host)",
                r.per_tx,
                if how.is_empty() { String::new() } else { format!(", {how}") },
                r.per_second(),
                r.cpu,
                r.stolen
            );
        }
        let python = python_raw_limit(dir);
        match &python {
            Ok((r, version)) => {
                eprintln!(
                    "load: raw SQLite {version} from Python, {} tips per transaction: {:.0} tips/s",
                    r.per_tx,
                    r.per_second()
                )
            }
            Err(e) => eprintln!("load: the raw limit through Python could not be measured: {e:#}"),
        }
        Ok(Limits { batched, batched_beside, single, python: python.ok() })
    }

    /// The best batched rusqlite rate.
    pub fn best_rusqlite(&self) -> f64 {
        self.batched.per_second().max(self.batched_beside.per_second())
    }

    /// The limit: the best batched rate by any route.
    pub fn best(&self) -> f64 {
        self.best_run().per_second()
    }

    /// The measurement the limit comes from.
    pub fn best_run(&self) -> &Raw {
        let routes = [Some(&self.batched), Some(&self.batched_beside), self.python.as_ref().map(|(p, _)| p)];
        routes.into_iter().flatten().max_by(|a, b| a.per_second().total_cmp(&b.per_second())).unwrap_or(&self.batched)
    }
}

pub(super) struct Raw {
    pub per_tx: usize,
    pub tips: u64,
    pub seconds: f64,
    /// CPU used by this process meanwhile, in cores.
    pub cpu: f64,
    /// CPU the host took from the machine meanwhile, in cores (see [`serve::stolen_seconds`]).
    pub stolen: f64,
}

impl Raw {
    pub fn per_second(&self) -> f64 {
        self.tips as f64 / self.seconds
    }
}

/// Who checkpoints the write-ahead log.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Checkpoints {
    /// The committing connection, past 1,000 pages: SQLite's default.
    Inline,
    /// As the server does (`crates/store/src/sql/checkpoint.rs`): a thread beside the writer,
    /// passive checkpoints every 50 ms, finished while the writer waits once the log is past
    /// 8,000 pages; the writer's own only past 20,000.
    Beside,
}

/// The same rows through Python's sqlite3 module (`raw_limit.py`),
/// by another route; the faster of the batched rates is the limit. With the SQLite version used.
fn python_raw_limit(dir: &Path) -> anyhow::Result<(Raw, String)> {
    let script = dir.join("raw_limit.py");
    std::fs::write(&script, include_str!("raw_limit.py"))?;
    let (stolen0, started) = (serve::stolen_seconds(), Instant::now());
    let out = std::process::Command::new("python3")
        .arg(&script)
        .arg(project_root().join("crates/store/src/migrations/sqlite"))
        .arg(dir.join("raw-python.db"))
        .arg(RAW_BATCH.to_string())
        .arg(RAW_SECONDS.to_string())
        .output()
        .context("running python3")?;
    // Over the whole child process, start-up included: the script times only its writing.
    let stolen = serve::cores(stolen0, serve::stolen_seconds(), started.elapsed().as_secs_f64());
    anyhow::ensure!(out.status.success(), "raw_limit.py failed: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    let f: Vec<&str> = text.lines().last().unwrap_or_default().split_whitespace().collect();
    match f.as_slice() {
        ["raw", per_tx, tips, seconds, cpu, version] => Ok((
            Raw { per_tx: per_tx.parse()?, tips: tips.parse()?, seconds: seconds.parse()?, cpu: cpu.parse()?, stolen },
            (*version).to_owned(),
        )),
        _ => bail!("raw_limit.py printed {text:?}"),
    }
}

/// The raw limit: the rows a plain tip writes (the tip, its idempotency key, its wrapped data
/// key, one route, three chained audit events and the chain head) committed straight into a
/// fresh SQLite file with the server's schema and settings (WAL, `synchronous=FULL`), `per_tx`
/// tips per transaction, through rusqlite, as the server's intake writer does, for `seconds` or
/// until `most` tips (the last transaction holds the rest). A file of an earlier call with the
/// same settings in `dir` is written on, after its tips.
pub(super) fn raw_limit(
    dir: &Path,
    per_tx: usize,
    seconds: f64,
    most: u64,
    checkpoints: Checkpoints,
) -> anyhow::Result<Raw> {
    let file = dir.join(format!("raw-{per_tx}-{}.db", checkpoints == Checkpoints::Beside));
    let earlier = file.exists();
    let conn = rusqlite::Connection::open(&file)?;
    conn.execute_batch(SETTINGS)?;
    if checkpoints == Checkpoints::Beside {
        conn.execute_batch("PRAGMA wal_autocheckpoint=20000;")?;
    }
    if !earlier {
        create_schema(&conn)?;
    }
    let narrative = "Load test tip: a bag was left unattended near the north entrance of the library.";
    let turn = Arc::new(Mutex::new(()));
    let stop = Arc::new(AtomicBool::new(false));
    let checkpointer = (checkpoints == Checkpoints::Beside).then(|| {
        let (file, turn, stop) = (file.clone(), turn.clone(), stop.clone());
        std::thread::spawn(move || checkpoint_beside(&file, &turn, &stop))
    });
    // Numbers (and so references and keys) go on from the tips already in the file.
    let first = conn.query_row("SELECT COALESCE(MAX(id), 0) FROM tips", [], |r| r.get::<_, i64>(0))?.unsigned_abs();
    let cpu0 = serve::cpu_seconds("self");
    let stolen0 = serve::stolen_seconds();
    let start = Instant::now();
    let mut written = 0u64;
    while start.elapsed().as_secs_f64() < seconds && written < most {
        let _turn = turn.lock().map_err(|_| anyhow::anyhow!("the checkpoint thread panicked"))?;
        let tx = conn.unchecked_transaction()?;
        // The last transaction stops at `most`, so a paired run writes exactly as many tips.
        let left = usize::try_from(most - written).unwrap_or(usize::MAX);
        for _ in 0..per_tx.min(left) {
            written += 1;
            let n = first + written;
            let now = 1_700_000_000_000 + n as i64;
            // random-looking, like the server's references (a sequential key would flatter the
            // index), and never repeated: an odd multiplier permutes 32-bit numbers (hashing
            // collided within 70,000 tips)
            let mixed = format!("{:08X}", (n as u32).wrapping_mul(0x9E37_79B1));
            let reference = format!("{}-{}", &mixed[..4], &mixed[4..]);
            let id: i64 = tx
                .prepare_cached(
                    "INSERT INTO tips (reference, passphrase_hash, category, narrative, language, location_text, lat, lon, site_id, \
                     tier, tier_rank, tier_rule, tier_rule_text, original_tier, status, ack_due_at, escalation_level, \
                     next_escalation_at, received_at, updated_at, version) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?10, 'routed', ?14, 0, ?15, ?16, ?16, 1) RETURNING id",
                )?
                .query_row(
                    rusqlite::params![
                        reference,
                        hex::encode(Sha256::digest(reference.as_bytes())),
                        "other",
                        narrative,
                        "en",
                        None::<String>,
                        None::<f64>,
                        None::<f64>,
                        None::<i64>,
                        "standard",
                        2_i64,
                        "category_floor",
                        "The category sets the floor.",
                        now + 86_400_000,
                        now + 86_400_000,
                        now,
                    ],
                    |r| r.get(0),
                )?;
            tx.prepare_cached(
                "INSERT INTO idempotency_keys (key_hash, tip_id, request_hash, created_at) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(rusqlite::params![
                hex::encode(Sha256::digest(format!("key-{n}").as_bytes())),
                id,
                hex::encode(Sha256::digest(narrative.as_bytes())),
                now
            ])?;
            // the tip's data key, wrapped: 96 characters of text, as the server stores it
            tx.prepare_cached("INSERT INTO tip_keys (tip_id, key_id, wrapped) VALUES (?1, ?2, ?3)")?.execute(
                rusqlite::params![
                    id,
                    "8bdeb142639ab46d",
                    &hex::encode(Sha256::digest(reference.as_bytes())).repeat(2)[..96]
                ],
            )?;
            tx.prepare_cached(
                "INSERT INTO tip_routes (tip_id, agency_id, reason, state, created_at) VALUES (?1, 1, 'fallback agency', 'pending', ?2)",
            )?
            .execute(rusqlite::params![id, now])?;
            let (mut seq, mut prev): (i64, String) = tx
                .prepare_cached("SELECT seq, hash FROM audit_head WHERE id = 1")?
                .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            for (actor, action) in [("tipster", "tip.received"), ("system", "tip.triaged"), ("system", "tip.routed")] {
                seq += 1;
                let object = format!("tip:{id}");
                let detail = json!({"reference": reference, "category": "other", "channel": "web"}).to_string();
                let mut h = Sha256::new();
                for part in [prev.as_str(), &seq.to_string(), &now.to_string(), actor, action, &object, "", &detail] {
                    h.update((part.len() as u64).to_be_bytes());
                    h.update(part.as_bytes());
                }
                let hash = hex::encode(h.finalize());
                tx.prepare_cached(
                    "INSERT INTO audit_events (seq, at_ms, actor, action, object, reason, detail, prev_hash, hash) \
                     VALUES (?1, ?2, ?3, ?4, ?5, '', ?6, ?7, ?8)",
                )?
                .execute(rusqlite::params![seq, now, actor, action, object, detail, prev, hash])?;
                prev = hash;
            }
            tx.prepare_cached("UPDATE audit_head SET seq = ?1, hash = ?2 WHERE id = 1")?
                .execute(rusqlite::params![seq, prev])?;
        }
        tx.commit()?;
    }
    let seconds = start.elapsed().as_secs_f64();
    let cpu = serve::cores(cpu0, serve::cpu_seconds("self"), seconds);
    let stolen = serve::cores(stolen0, serve::stolen_seconds(), seconds);
    stop.store(true, Ordering::SeqCst);
    if let Some(t) = checkpointer {
        t.join().map_err(|_| anyhow::anyhow!("the checkpoint thread panicked"))??;
    }
    Ok(Raw { per_tx, tips: written, seconds, cpu, stolen })
}

/// The server's migrations, and the one agency every tip is routed to.
fn create_schema(conn: &rusqlite::Connection) -> anyhow::Result<()> {
    let migrations = project_root().join("crates/store/src/migrations/sqlite");
    let mut files: Vec<_> = std::fs::read_dir(&migrations)
        .with_context(|| format!("reading {}", migrations.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "sql"))
        .collect();
    files.sort();
    for f in &files {
        conn.execute_batch(&std::fs::read_to_string(f)?).with_context(|| format!("applying {}", f.display()))?;
    }
    conn.execute("INSERT INTO agencies (id, name, kind, created_at) VALUES (1, 'Raw', 'fusion_centre', 0)", [])?;
    Ok(())
}

/// The server's durability settings (`SQLITE_SETTINGS` in `crates/store/src/sql/mod.rs`) but
/// for the checkpoint size, which [`Checkpoints`] sets.
const SETTINGS: &str =
    "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;";

/// [`Checkpoints::Beside`]'s thread, until `stop`.
fn checkpoint_beside(file: &Path, turn: &Mutex<()>, stop: &AtomicBool) -> anyhow::Result<()> {
    let conn = rusqlite::Connection::open(file)?;
    conn.execute_batch(SETTINGS)?;
    let passive = || conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| r.get::<_, i64>(1));
    while !stop.load(Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(50));
        if passive()? > 8_000 {
            let _turn = turn.lock().map_err(|_| anyhow::anyhow!("the writer panicked"))?;
            passive()?;
        }
    }
    Ok(())
}
