//! The SQL implementation of [`crate::Store`], shared by SQLite and PostgreSQL through sqlx's
//! `Any` driver. Where the two dialects differ (schema types, row locking, string
//! aggregation, connection settings), [`Backend`] says so in one place.
//!
//! SQLite: two writer connections, sqlx's for everything but new tips and the intake
//! writer's own ([`direct`], synchronous, for speed), taking turns through one in-process
//! lock (`SqlStore::turn`, first come first served; both also begin `IMMEDIATE`, so another
//! process waits rather than fails); a pool of readers; WAL with `synchronous=FULL`, so a
//! commit is on disk before the tip's receipt is returned. Intake commits in groups:
//! concurrent new tips share one transaction and one fsync (`group_commit`).
//! PostgreSQL: one pool; background work is claimed with `FOR UPDATE SKIP LOCKED`.

mod admin;
mod attachments;
mod audit;
mod background;
mod bulk;
mod checkpoint;
mod direct;
mod exec;
mod figures;
#[cfg(test)]
mod fixtures;
mod group_commit;
mod migrate;
mod resolution;
mod rows;
mod security;
mod tips;

use crate::{Result, StoreError};
use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, AssertSqlSafe, SqlSafeStr, SqlStr};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::OwnedMutexGuard;

/// Which database a store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// Text that locks claimed rows so concurrent processes skip them. SQLite has one writer.
    fn skip_locked(self) -> &'static str {
        match self {
            Backend::Sqlite => "",
            Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        }
    }

    /// Names the index of tips due to escalate (migration 0007) after `FROM tips`. SQLite's
    /// planner, without statistics, prefers the queue index for the status and reads every
    /// open tip; PostgreSQL's statistics find the index by themselves.
    fn escalation_index(self) -> &'static str {
        match self {
            Backend::Sqlite => " INDEXED BY tips_escalation_due",
            Backend::Postgres => "",
        }
    }

    /// Starts a write transaction. SQLite takes the write lock at once, so the transaction
    /// never finds, at its first write, that another connection wrote since it began.
    fn begin_write(self) -> &'static str {
        match self {
            Backend::Sqlite => "BEGIN IMMEDIATE",
            Backend::Postgres => "BEGIN",
        }
    }

    fn for_update(self) -> &'static str {
        match self {
            Backend::Sqlite => "",
            Backend::Postgres => " FOR UPDATE",
        }
    }

    /// Comma-joined ids of a column in an aggregate.
    fn join_ids(self, column: &str) -> String {
        match self {
            Backend::Sqlite => format!("group_concat({column})"),
            Backend::Postgres => format!("string_agg({column}::text, ',')"),
        }
    }
}

/// A store on SQLite or PostgreSQL. Clones share the pools and the intake task.
#[derive(Clone)]
pub struct SqlStore {
    backend: Backend,
    write: AnyPool,
    read: AnyPool,
    /// The group-commit writer for new tips; `None` only inside the writer itself.
    intake: Option<group_commit::Intake>,
    /// SQLite only: the turn to write, taken by the sqlx writer and the intake writer alike.
    /// Every write goes through [`SqlStore::begin`], which takes it; `write` is used directly
    /// only to read.
    /// Tokio's mutex serves waiters in order; SQLite's busy handler polls with sleeps, and a
    /// waiting writer could lose the lock again and again to intake under sustained load.
    turn: Option<Arc<tokio::sync::Mutex<()>>>,
    /// The audit chain's key and where the keyed chain starts, once loaded (shared by clones,
    /// the intake writer's among them).
    chain: Arc<std::sync::OnceLock<domain::audit::ChainKey>>,
}

/// A write transaction on the writer pool, holding the turn to write until it ends.
pub(super) struct WriteTx {
    tx: sqlx::Transaction<'static, sqlx::Any>,
    _turn: Option<OwnedMutexGuard<()>>,
}

impl WriteTx {
    pub(super) async fn commit(self) -> std::result::Result<(), sqlx::Error> {
        self.tx.commit().await
    }
}

impl std::ops::Deref for WriteTx {
    type Target = sqlx::AnyConnection;
    fn deref(&self) -> &sqlx::AnyConnection {
        &self.tx
    }
}

impl std::ops::DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut sqlx::AnyConnection {
        &mut self.tx
    }
}

impl std::fmt::Debug for SqlStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // No URL here: it may carry credentials.
        f.debug_struct("SqlStore").field("backend", &self.backend).finish()
    }
}

impl SqlStore {
    /// Opens (creating if missing) `sightline.db` in `data_dir` and migrates it.
    pub async fn open_sqlite(data_dir: &Path) -> Result<SqlStore> {
        std::fs::create_dir_all(data_dir)
            .map_err(|e| StoreError::Corrupt(format!("cannot create {}: {e}", data_dir.display())))?;
        let file = data_dir.join("sightline.db");
        let url = format!("sqlite://{}?mode=rwc", file.display());
        sqlx::any::install_default_drivers();
        // A local file cannot go stale: no ping (a round trip to its worker thread) before each use.
        let write = AnyPoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .test_before_acquire(false)
            .after_connect(sqlite_pragmas)
            .connect(&url)
            .await?;
        let read = AnyPoolOptions::new()
            .max_connections(8)
            .test_before_acquire(false)
            .after_connect(sqlite_pragmas)
            .connect(&url)
            .await?;
        let turn = Some(Arc::new(tokio::sync::Mutex::new(())));
        let mut store = SqlStore { backend: Backend::Sqlite, write, read, intake: None, turn, chain: Arc::default() };
        store.migrate().await?;
        store.intake =
            Some(group_commit::Intake::start_sqlite(store.clone(), file).map_err(|e| StoreError::Database(e.into()))?);
        Ok(store)
    }

    /// Connects to PostgreSQL at `url` and migrates it.
    pub async fn open_postgres(url: &str) -> Result<SqlStore> {
        sqlx::any::install_default_drivers();
        let pool =
            AnyPoolOptions::new().max_connections(16).acquire_timeout(Duration::from_secs(30)).connect(url).await?;
        let mut store = SqlStore {
            backend: Backend::Postgres,
            write: pool.clone(),
            read: pool,
            intake: None,
            turn: None,
            chain: Arc::default(),
        };
        store.migrate().await?;
        store.intake = Some(group_commit::Intake::start_pooled(store.clone()));
        Ok(store)
    }

    /// Opens by URL (`postgres://…`) or, without one, the SQLite file in `data_dir`.
    pub async fn open(database_url: Option<&str>, data_dir: &Path) -> Result<SqlStore> {
        match database_url {
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                SqlStore::open_postgres(url).await
            }
            Some(url) => Err(StoreError::Corrupt(format!(
                "unsupported database URL scheme in {:?}: use postgres://…, or no URL for SQLite",
                url.split(':').next().unwrap_or("")
            ))),
            None => SqlStore::open_sqlite(data_dir).await,
        }
    }

    /// SQL for this backend. Only our own constant text and closed-enum codes go in here;
    /// every value from outside is a bound parameter.
    fn sql(&self, text: &str) -> SqlStr {
        AssertSqlSafe(self.sql_text(text)).into_sql_str()
    }

    /// Waits for the turn to write (SQLite; PostgreSQL locks rows instead).
    async fn turn(&self) -> Option<OwnedMutexGuard<()>> {
        match &self.turn {
            Some(turn) => Some(turn.clone().lock_owned().await),
            None => None,
        }
    }

    /// Begins a write transaction on the writer ([`Backend::begin_write`]), in turn.
    async fn begin(&self) -> Result<WriteTx> {
        let turn = self.turn().await;
        Ok(WriteTx { tx: self.write.begin_with(self.backend.begin_write()).await?, _turn: turn })
    }

    /// [`SqlStore::sql`] as text, for [`exec::Exec`].
    fn sql_text(&self, text: &str) -> String {
        placeholders(self.backend, text)
    }

    pub async fn close(&self) {
        self.write.close().await;
        self.read.close().await;
    }
}

type SetupFuture<'c> = std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), sqlx::Error>> + Send + 'c>>;

/// Durability and integrity settings for every SQLite connection: WAL, a full fsync at each
/// commit, foreign keys enforced, and a wait rather than an error when another process writes.
/// A commit checkpoints the log by itself only past 20,000 pages: the checkpoint thread
/// ([`checkpoint`]) does it long before, off the writer's path.
const SQLITE_SETTINGS: &str = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; \
     PRAGMA busy_timeout=10000; PRAGMA wal_autocheckpoint=20000;";

/// [`SQLITE_SETTINGS`] on each new sqlx connection.
fn sqlite_pragmas(conn: &mut sqlx::AnyConnection, _: sqlx::pool::PoolConnectionMetadata) -> SetupFuture<'_> {
    Box::pin(async move {
        use sqlx::Executor;
        conn.execute(SQLITE_SETTINGS).await?;
        Ok(())
    })
}

/// A nullable float as text, for `CAST($n AS DOUBLE PRECISION)` in SQL. sqlx 0.9's Any driver
/// binds a NULL `f64` as a PostgreSQL `float4`, so a statement first prepared with NULL would
/// refuse every later value ("incorrect binary data format"); text sidesteps it on both backends.
fn float(v: Option<f64>) -> Option<String> {
    v.filter(|x| x.is_finite()).map(|x| format!("{x:?}"))
}

/// SQL is written once with `$1` placeholders; SQLite gets `?1`, which it reads by number.
fn placeholders(backend: Backend, text: &str) -> String {
    if backend == Backend::Postgres {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' && chars.peek().is_some_and(|n| n.is_ascii_digit()) {
            out.push('?');
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_for_sqlite() {
        assert_eq!(placeholders(Backend::Sqlite, "a = $1 AND b = $12 AND c = '$'"), "a = ?1 AND b = ?12 AND c = '$'");
        assert_eq!(placeholders(Backend::Postgres, "a = $1"), "a = $1");
    }
}
