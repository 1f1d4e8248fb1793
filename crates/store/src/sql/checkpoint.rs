//! Checkpoints of the SQLite write-ahead log, on a thread of their own.
//!
//! By default the connection whose commit takes the log past 1,000 pages copies them into the
//! database file, and syncs it, inside that commit. Under load that connection is the intake
//! writer, which then stalled for several milliseconds every few batches while every caller of
//! the next batch waited. Here a thread of its own runs a `PASSIVE` checkpoint (which never
//! blocks a writer or a reader) every [`EVERY`]. A passive checkpoint copies what was committed
//! when it began, but the log starts over from its beginning only after a checkpoint that left
//! nothing behind, and under steady intake there is always a newer batch: so once the log holds
//! more than [`RESTART_PAGES`], the thread takes the turn to write (a moment: the pages left are
//! the few committed meanwhile) and finishes, and the next commit starts the log over. A
//! committing connection still checkpoints by
//! itself past 20,000 pages (`wal_autocheckpoint` in [`super::SQLITE_SETTINGS`]; SQLite's
//! default is 1,000), a backstop for a thread that falls behind.
//! Commits are as durable as before: each still syncs the log (`synchronous=FULL`).

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
            let log_pages = match passive(&conn) {
                Ok(pages) => pages,
                Err(e) => {
                    tracing::warn!(error = %e, "checkpoint failed; the next one tries again");
                    continue;
                }
            };
            if log_pages > RESTART_PAGES {
                let started = std::time::Instant::now();
                // A plain thread, outside any runtime: a blocking wait for the lock is allowed.
                let _turn = turn.blocking_lock();
                let waited = started.elapsed();
                match passive(&conn) {
                    Ok(_) => tracing::debug!(
                        log_pages,
                        waited_us = waited.as_micros() as u64,
                        held_us = (started.elapsed() - waited).as_micros() as u64,
                        "checkpoint finished in turn; the log starts over"
                    ),
                    Err(e) => tracing::warn!(error = %e, "checkpoint failed; the next one tries again"),
                }
            }
        }
    })?;
    Ok(Checkpointer { _stop: stop })
}

/// One passive checkpoint; the pages in the log when it ran.
fn passive(conn: &rusqlite::Connection) -> rusqlite::Result<i64> {
    // (busy, pages in the log, pages copied into the database file)
    conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| r.get(1))
}
