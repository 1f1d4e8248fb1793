//! Checkpoints of the SQLite write-ahead log, on a thread of their own.
//!
//! By default the connection whose commit takes the log past 1,000 pages copies them into the
//! database file, and syncs it, inside that commit. Under load that connection is the intake
//! writer, which then stalled for several milliseconds every few batches while every caller of
//! the next batch waited. Here a thread of its own runs a `PASSIVE` checkpoint (which never
//! blocks a writer or a reader) every [`EVERY`]. A passive checkpoint copies what was committed
//! when it began, but the log starts over from its beginning only after a checkpoint that left
//! nothing behind, and under steady intake there is always a newer batch: so once the log holds
//! more than [`RESTART_PAGES`], the thread takes the turn to write (for the pages committed
//! since its passive round began and a sync of the database file: 7–12 ms on average under
//! load, measured) and finishes, and the next commit starts the log over. A
//! committing connection still checkpoints by itself past 20,000 pages (`wal_autocheckpoint`
//! in [`super::SQLITE_SETTINGS`]; SQLite's default is 1,000), a backstop for a thread that
//! falls behind. Commits are as durable as before: each still syncs the log
//! (`synchronous=FULL`).

use std::path::PathBuf;
use std::sync::{Arc, mpsc};
use std::time::Duration;

/// Time between checkpoints.
const EVERY: Duration = Duration::from_millis(50);
/// Log pages (of 4 KiB) past which a checkpoint is finished in turn, so the log starts over.
const RESTART_PAGES: i64 = 8_000;

/// The checkpointing thread; dropping this ends it.
pub(super) struct Checkpointer {
    _stop: mpsc::Sender<()>,
}

/// Starts checkpointing the database `file`; `turn` is the store's turn to write.
pub(super) fn start(file: PathBuf, turn: Arc<tokio::sync::Mutex<()>>) -> std::io::Result<Checkpointer> {
    let (stop, stopped) = mpsc::channel::<()>();
    std::thread::Builder::new().name("sightline-checkpoint".into()).spawn(move || {
        let conn = match super::direct::open(&file) {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!(error = %e, "no checkpoint thread; connections checkpoint by themselves");
                return;
            }
        };
        // Ends when the sender is dropped (`recv_timeout` then fails with `Disconnected`).
        while let Err(mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(EVERY) {
            if let Err(e) = round(&conn, &turn, RESTART_PAGES) {
                tracing::warn!(error = %e, "checkpoint failed; the next one tries again");
            }
        }
    })?;
    Ok(Checkpointer { _stop: stop })
}

/// One round: a passive checkpoint, finished in `turn` when the log holds more than
/// `restart_pages`. Called on a plain thread, outside any runtime, where a blocking wait for
/// the lock is allowed.
fn round(conn: &rusqlite::Connection, turn: &tokio::sync::Mutex<()>, restart_pages: i64) -> rusqlite::Result<()> {
    let log_pages = passive(conn)?;
    if log_pages > restart_pages {
        let started = std::time::Instant::now();
        let _turn = turn.blocking_lock();
        let waited = started.elapsed();
        passive(conn)?;
        tracing::debug!(
            log_pages,
            waited_us = waited.as_micros() as u64,
            held_us = (started.elapsed() - waited).as_micros() as u64,
            "checkpoint finished in turn; the log starts over"
        );
    }
    Ok(())
}

/// One passive checkpoint; the pages in the log when it ran.
fn passive(conn: &rusqlite::Connection) -> rusqlite::Result<i64> {
    // (busy, pages in the log, pages copied into the database file)
    conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| r.get(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A database file with one table and its writer (with the settings of every connection).
    fn database(dir: &std::path::Path) -> (PathBuf, rusqlite::Connection) {
        let file = dir.join("c.db");
        rusqlite::Connection::open(&file).expect("create").execute_batch("CREATE TABLE t (a)").expect("table");
        let writer = super::super::direct::open(&file).expect("writer");
        writer.execute("INSERT INTO t (a) VALUES (1)", []).expect("insert");
        (file, writer)
    }

    #[test]
    #[expect(clippy::disallowed_methods, reason = "polls a real thread of its own until it is done")]
    fn a_round_takes_the_turn_to_write_only_past_the_limit() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (file, _writer) = database(dir.path());
        let turn = Arc::new(tokio::sync::Mutex::new(()));
        let held = turn.clone().try_lock_owned().expect("the turn");
        let round_with = |limit: i64| {
            let (file, turn) = (file.clone(), turn.clone());
            std::thread::spawn(move || {
                let conn = super::super::direct::open(&file).expect("checkpoint connection");
                round(&conn, &turn, limit).expect("round");
            })
        };
        let finishes = |round: &std::thread::JoinHandle<()>, within: Duration| {
            let deadline = std::time::Instant::now() + within;
            while !round.is_finished() && std::time::Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(10));
            }
            round.is_finished()
        };
        // Under the limit: a passive checkpoint, without waiting for the turn.
        let under = round_with(i64::MAX);
        assert!(finishes(&under, Duration::from_secs(10)), "waited for the turn under the limit");
        // Past it (the log holds the row): waits for the turn, then finishes.
        let past = round_with(0);
        assert!(!finishes(&past, Duration::from_millis(200)), "finished without the turn");
        drop(held);
        assert!(finishes(&past, Duration::from_secs(10)), "did not finish once the turn was free");
        for r in [under, past] {
            r.join().expect("round");
        }
    }

    #[test]
    #[expect(clippy::disallowed_methods, reason = "polls a real thread of its own until it is done")]
    fn the_thread_copies_commits_into_the_database_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (file, _writer) = database(dir.path());
        let thread = start(file.clone(), Arc::new(tokio::sync::Mutex::new(()))).expect("start");
        // The database file alone, without its log, holds the row once a checkpoint ran
        // (commits checkpoint by themselves only past 20,000 pages).
        let copies = tempfile::tempdir().expect("temp dir");
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        for k in 0.. {
            let copy = copies.path().join(format!("{k}.db"));
            std::fs::copy(&file, &copy).expect("copy");
            let rows = rusqlite::Connection::open(&copy)
                .and_then(|c| c.query_row("SELECT count(*) FROM t", [], |r| r.get::<_, i64>(0)));
            if rows.as_ref().is_ok_and(|&n| n == 1) {
                break;
            }
            assert!(std::time::Instant::now() < deadline, "not in the database file: {rows:?}");
            std::thread::sleep(EVERY);
        }
        drop(thread);
    }
}
