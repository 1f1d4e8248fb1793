//! Group commit for intake: concurrent `insert_tip` calls share one transaction, so one
//! fsync makes a whole batch durable.
//!
//! `insert_tip` hands its record, with a oneshot reply channel, to one background task. The
//! task takes the first queued tip, begins a transaction (on SQLite through its own connection,
//! [`direct`]; on PostgreSQL on a pooled one), and writes
//! whatever is queued with it (up to [`MAX_TIPS`] tips or [`MAX_BYTES`] of them) in one go:
//! one multi-row statement per table for the whole group (`insert_tips_in`); a tip whose
//! reference or idempotency key is in use gets `Conflict` and leaves nothing behind. What
//! queued meanwhile is written the same way, until the limits. Then it commits once and only
//! then answers every caller: a tip id means the tip is on disk, exactly as with a transaction
//! of its own. Nothing waits to fill a batch: an idle queue commits its first tip at once;
//! batches form while a commit is in flight.
//!
//! A group written after another in the same transaction runs inside a `SAVEPOINT`; the first
//! needs none. If one of a group's statements fails (some tip's row breaks a constraint, say),
//! the group is undone (rolled back to its savepoint, or the first group's transaction rolled
//! back and begun again) and its tips are written again one at a time, each inside a savepoint
//! of its own, so the failing tip fails alone and the others go on. If the shared transaction
//! itself fails (it cannot be rolled back to a savepoint or begun again, or the commit fails),
//! no tip of the batch was stored and every caller in it gets an error. If the task is gone,
//! `insert_tip` gets an error at once; it never waits for an answer that cannot come.
//! A tip whose caller stopped waiting before its turn is not written, as a transaction of its
//! own would not have been.

use super::exec::Exec;
use super::{SqlStore, direct};
use crate::model::NewTipRecord;
use crate::{Result, StoreError};
use std::collections::VecDeque;
use std::path::PathBuf;
use tokio::sync::{mpsc, oneshot};

/// Most tips in one transaction: every client of the load test's largest level (512) fits in
/// one. Against 256 it measured no different, within the load runs' noise.
const MAX_TIPS: usize = 512;
/// Most bytes (narratives and attachments, roughly) taken into one transaction; a single tip
/// larger than this still goes through, alone.
const MAX_BYTES: usize = 8 << 20;
/// Tips waiting for the task before `insert_tip` waits to hand its tip over.
const QUEUE: usize = 1024;

struct Request {
    tip: NewTipRecord,
    reply: Reply,
}

/// Where a caller waits for its tip's id.
type Reply = oneshot::Sender<Result<i64>>;
/// A written tip's outcome, held until the commit.
type Answer = (Reply, Result<i64>);

/// The handle `insert_tip` talks to; dropping the last one ends the task.
#[derive(Debug, Clone)]
pub(super) struct Intake {
    queue: mpsc::Sender<Request>,
}

impl Intake {
    /// Starts the writer for the SQLite database `file`; `store` is its own handle on the
    /// pools (without an [`Intake`]). It ends when the last [`Intake`] is dropped.
    ///
    /// It runs on a thread of its own and writes through a connection of its own
    /// ([`direct`]), synchronously: through sqlx every statement was a round trip to the
    /// connection's worker thread, and under load those waits, not SQLite, set the pace of
    /// intake. It takes the store's turn to write, as the sqlx writer does, for each batch.
    pub(super) fn start_sqlite(store: SqlStore, file: PathBuf) -> std::io::Result<Intake> {
        debug_assert!(store.intake.is_none(), "the task must not hold its own queue open");
        let (queue, rx) = mpsc::channel(QUEUE);
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        // Checkpoints run beside the writer for as long as it runs.
        let turn = store.turn.clone().ok_or_else(|| std::io::Error::other("a SQLite store without a turn to write"))?;
        let checkpoints = super::checkpoint::start(file.clone(), turn)?;
        std::thread::Builder::new().name("sightline-intake".into()).spawn(move || {
            runtime.block_on(run_direct(store, file, rx));
            drop(checkpoints);
        })?;
        Ok(Intake { queue })
    }

    /// Starts the writer on the store's pool (PostgreSQL). Its connections belong to the
    /// runtime that opened them (their sockets are registered with its reactor), so it is a
    /// task on that runtime.
    pub(super) fn start_pooled(store: SqlStore) -> Intake {
        debug_assert!(store.intake.is_none(), "the task must not hold its own queue open");
        let (queue, rx) = mpsc::channel(QUEUE);
        tokio::spawn(run_pooled(store, rx));
        Intake { queue }
    }

    async fn insert(&self, tip: NewTipRecord) -> Result<i64> {
        let (reply, answer) = oneshot::channel();
        self.queue.send(Request { tip, reply }).await.map_err(|_| task_gone())?;
        // The task answers every request it takes, after the commit; if it died instead, the
        // reply sender was dropped and this errs rather than hangs.
        answer.await.map_err(|_| task_gone())?
    }
}

fn task_gone() -> StoreError {
    StoreError::Database(sqlx::Error::WorkerCrashed)
}

/// The error for a caller whose tip was written, or refused, in a transaction that failed.
fn batch_failed(cause: &StoreError) -> StoreError {
    StoreError::Database(sqlx::Error::Io(std::io::Error::other(format!(
        "the intake transaction was rolled back, nothing of this tip was stored: {cause}"
    ))))
}

fn weight(tip: &NewTipRecord) -> usize {
    1024 + tip.narrative.len() + tip.attachments.iter().map(|a| a.data.len() + a.filename.len()).sum::<usize>()
}

/// Tells every caller in `replies` that nothing of its tip was stored, because of `cause`.
fn fail_all(replies: impl IntoIterator<Item = Reply>, cause: &StoreError) {
    for reply in replies {
        let _ = reply.send(Err(batch_failed(cause)));
    }
}

async fn run_direct(store: SqlStore, file: PathBuf, mut queue: mpsc::Receiver<Request>) {
    let mut conn = None;
    while let Some(first) = queue.recv().await {
        let turn = store.turn().await;
        let mut writer = match conn.take() {
            Some(c) => c,
            None => match direct::open(&file) {
                Ok(c) => c,
                Err(e) => {
                    fail_all([first.reply], &e);
                    continue;
                }
            },
        };
        // A connection left inside a failed transaction is closed (SQLite rolls back what it
        // had not committed) and opened afresh for the next batch.
        if store.commit_batch(&mut writer, first, &mut queue).await {
            conn = Some(writer);
        }
        drop(turn);
    }
}

async fn run_pooled(store: SqlStore, mut queue: mpsc::Receiver<Request>) {
    while let Some(first) = queue.recv().await {
        let mut conn = match store.write.acquire().await {
            Ok(conn) => conn,
            Err(e) => {
                fail_all([first.reply], &e.into());
                continue;
            }
        };
        if !store.commit_batch(&mut *conn, first, &mut queue).await {
            // Not back into the pool inside a transaction that might still be open.
            conn.close_on_drop();
        }
    }
}

/// The tips taken into the current transaction and not yet written.
struct Batch {
    waiting: VecDeque<Request>,
    taken: usize,
    bytes: usize,
}

impl Batch {
    fn new(first: Request) -> Batch {
        let mut batch = Batch { waiting: VecDeque::new(), taken: 0, bytes: 0 };
        batch.push(first);
        batch
    }

    fn push(&mut self, r: Request) {
        self.taken += 1;
        self.bytes += weight(&r.tip);
        self.waiting.push_back(r);
    }

    /// Takes what is queued now, within the limits; never waits.
    fn fill(&mut self, queue: &mut mpsc::Receiver<Request>) {
        while self.taken < MAX_TIPS && self.bytes < MAX_BYTES {
            match queue.try_recv() {
                Ok(r) => self.push(r),
                Err(_) => break,
            }
        }
    }

    /// The waiting tips whose callers still wait, to be written now.
    fn group(&mut self) -> Vec<Request> {
        self.waiting.drain(..).filter(|r| !r.reply.is_closed()).collect()
    }
}

impl SqlStore {
    /// `insert_tip`: through the writer. Only the writer's own handle has none, and it never
    /// files tips through this.
    pub(super) async fn intake_tip(&self, tip: NewTipRecord) -> Result<i64> {
        match &self.intake {
            Some(intake) => intake.insert(tip).await,
            None => Err(task_gone()),
        }
    }

    /// Writes and commits one batch on `conn`; false if the connection may still be inside
    /// the failed transaction (a rollback failed too) and must not be used again.
    async fn commit_batch(&self, conn: &mut impl Exec, first: Request, queue: &mut mpsc::Receiver<Request>) -> bool {
        let mut batch = Batch::new(first);
        let started = std::time::Instant::now();
        if let Err(e) = conn.run(self.backend.begin_write(), Vec::new()).await {
            fail_all(batch.waiting.into_iter().map(|r| r.reply), &e);
            return true;
        }
        // Answers go out only after the commit.
        let mut answers: Vec<Answer> = Vec::new();
        loop {
            batch.fill(queue);
            let group = batch.group();
            if group.is_empty() {
                break;
            }
            // The first group is all the transaction holds, so it needs no savepoint.
            let alone = answers.is_empty();
            if let Err(broken) = self.write_group(conn, group, &mut answers, alone).await {
                tracing::error!(error = %broken, "intake transaction failed; batch rolled back");
                let written = answers.into_iter().map(|(reply, _)| reply);
                fail_all(written.chain(batch.waiting.into_iter().map(|r| r.reply)), &broken);
                return conn.run("ROLLBACK", Vec::new()).await.is_ok();
            }
        }
        let written = started.elapsed();
        match conn.run("COMMIT", Vec::new()).await {
            Ok(()) => {
                tracing::debug!(
                    tips = answers.len(),
                    write_us = written.as_micros() as u64,
                    commit_us = (started.elapsed() - written).as_micros() as u64,
                    "intake batch committed"
                );
                for (reply, outcome) in answers {
                    let _ = reply.send(outcome);
                }
                true
            }
            Err(e) => {
                tracing::error!(error = %e, "intake commit failed; the batch is rolled back");
                fail_all(answers.into_iter().map(|(reply, _)| reply), &e);
                // A commit that failed may leave the transaction open (SQLite, when busy).
                conn.run("ROLLBACK", Vec::new()).await.is_ok()
            }
        }
    }

    /// Writes a group of tips all at once; if that fails, undoes it and writes its tips one at
    /// a time. A group `alone` in the transaction so far is written bare, and undone by rolling
    /// the transaction back and beginning it again; any other group is written inside
    /// `SAVEPOINT tips`, and undone by rolling back to it. (A savepoint makes SQLite copy every
    /// page the group changes into its journal first: about 8 % of the writer's time in perf,
    /// for a failure that hardly ever comes.) Each tip's outcome goes to `answers`; `Err` means
    /// the transaction broke (every caller of the group has been answered with an error by then).
    async fn write_group(
        &self,
        tx: &mut impl Exec,
        group: Vec<Request>,
        answers: &mut Vec<Answer>,
        alone: bool,
    ) -> Result<()> {
        let (tips, replies): (Vec<NewTipRecord>, Vec<Reply>) = group.into_iter().map(|r| (r.tip, r.reply)).unzip();
        let fail = |replies: Vec<Reply>, e: StoreError| {
            fail_all(replies, &e);
            e
        };
        if !alone && let Err(e) = tx.run("SAVEPOINT tips", Vec::new()).await {
            return Err(fail(replies, e));
        }
        match self.insert_tips_in(tx, &tips).await {
            Ok(outcomes) => {
                if !alone && let Err(e) = tx.run("RELEASE tips", Vec::new()).await {
                    return Err(fail(replies, e));
                }
                answers.extend(replies.into_iter().zip(outcomes));
                Ok(())
            }
            Err(e) => {
                tracing::warn!(error = %e, tips = tips.len(), "writing the group at once failed; one tip at a time");
                if let Err(e) = self.undo_group(tx, alone).await {
                    return Err(fail(replies, e));
                }
                self.write_one_at_a_time(tx, &tips, replies, answers).await
            }
        }
    }

    /// Undoes a group whose statements failed (see [`Self::write_group`]).
    async fn undo_group(&self, tx: &mut impl Exec, alone: bool) -> Result<()> {
        if alone {
            // SQLite may have ended the transaction itself; a failed ROLLBACK is then nothing
            // to worry about, and BEGIN tells whether the connection is usable.
            let _ = tx.run("ROLLBACK", Vec::new()).await;
            tx.run(self.backend.begin_write(), Vec::new()).await
        } else {
            tx.run("ROLLBACK TO tips", Vec::new()).await?;
            tx.run("RELEASE tips", Vec::new()).await
        }
    }

    /// Writes `tips` one at a time, each in a savepoint of its own (see [`Self::write_group`]).
    async fn write_one_at_a_time(
        &self,
        tx: &mut impl Exec,
        tips: &[NewTipRecord],
        replies: Vec<Reply>,
        answers: &mut Vec<Answer>,
    ) -> Result<()> {
        let mut rest = tips.iter().zip(replies);
        while let Some((tip, reply)) = rest.next() {
            match self.insert_in_savepoint(tx, tip).await {
                Ok(outcome) => answers.push((reply, outcome)),
                Err((own, broken)) => {
                    let _ = reply.send(Err(own));
                    fail_all(rest.map(|(_, reply)| reply), &broken);
                    return Err(broken);
                }
            }
        }
        Ok(())
    }

    /// Writes one tip inside `SAVEPOINT tip`. `Ok` holds the tip's own outcome, the
    /// transaction still usable; `Err` means the transaction broke: (this tip's error, the
    /// cause to tell the others).
    async fn insert_in_savepoint(
        &self,
        tx: &mut impl Exec,
        tip: &NewTipRecord,
    ) -> std::result::Result<Result<i64>, (StoreError, StoreError)> {
        let broken = |e: StoreError| (batch_failed(&e), e);
        tx.run("SAVEPOINT tip", Vec::new()).await.map_err(broken)?;
        match self.insert_tip_in(tx, tip).await {
            Ok(id) => {
                tx.run("RELEASE tip", Vec::new()).await.map_err(broken)?;
                Ok(Ok(id))
            }
            Err(own) => {
                let undone = async {
                    tx.run("ROLLBACK TO tip", Vec::new()).await?;
                    tx.run("RELEASE tip", Vec::new()).await
                };
                match undone.await {
                    Ok(()) => Ok(Err(own)),
                    Err(e) => Err((own, e)),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{runtime, tip};
    use super::*;
    use crate::TipStore;

    #[test]
    fn the_writer_outlives_the_runtime_that_opened_the_store() {
        let dir = tempfile::tempdir().expect("temp dir");
        let first = runtime();
        let store = first.block_on(SqlStore::open_sqlite(dir.path())).expect("open");
        first.block_on(crate::AuditStore::use_chain_key(&store, [1; 32])).expect("chain key");
        first.block_on(async { store.insert_tip(tip()).await }).expect("first tip");
        drop(first);
        let second = runtime();
        let mut next = tip();
        next.reference = "DEAD-0002".into();
        let r = second
            .block_on(async { tokio::time::timeout(std::time::Duration::from_secs(10), store.insert_tip(next)).await });
        assert!(matches!(r, Ok(Ok(_))), "{r:?}");
    }

    #[test]
    fn a_dead_writer_is_an_error_not_a_hang() {
        let rt = runtime();
        // Gone before the tip is handed over.
        let (queue, rx) = mpsc::channel(1);
        drop(rx);
        let r = rt.block_on(Intake { queue }.insert(tip()));
        assert!(matches!(r, Err(StoreError::Database(sqlx::Error::WorkerCrashed))), "{r:?}");
        // Gone after taking the tip, without answering.
        let (queue, mut rx) = mpsc::channel::<Request>(1);
        let r = rt.block_on(async {
            let writer = tokio::spawn(async move { drop(rx.recv().await) });
            let r = tokio::time::timeout(std::time::Duration::from_secs(10), Intake { queue }.insert(tip())).await;
            writer.await.expect("writer");
            r
        });
        assert!(matches!(r, Ok(Err(StoreError::Database(sqlx::Error::WorkerCrashed)))), "{r:?}");
    }
}
