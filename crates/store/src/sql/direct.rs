//! The intake writer's own SQLite connection: synchronous, on the intake thread, its
//! statements prepared once and kept.
//!
//! Through sqlx every statement is a round trip to the connection's worker thread, and with
//! both cores busy serving HTTP each of those waits to be scheduled: a batch of 256 tips spent
//! about 70 ms writing and the writer, not SQLite, set the pace of intake. Here a batch runs
//! start to end on one thread. It is the same bundled SQLite, the same file and settings, and
//! the same SQL text ([`super::exec::Exec`]). The intake thread holds the sqlx writer
//! connection while it writes, so in this process there is still one writer at a time.

use super::bulk::Val;
use super::exec::Exec;
use crate::{Result, StoreError};
use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, OpenFlags, ToSql, params_from_iter};
use std::borrow::Cow;
use std::path::Path;

/// Prepared statements kept: a handful of shapes per table (see `bulk::MAX_ROWS`).
const STATEMENT_CACHE: usize = 256;
/// Page cache of the writer, in KiB (SQLite's default is 2 MiB): the indexes a batch touches
/// stay in memory instead of being read back from the file at every batch. Temporary data
/// (the savepoint journal of a group, which can outgrow SQLite's in-memory spill limit) stays
/// in memory too (`temp_store`).
const CACHE_KIB: i64 = 32 * 1024;

/// Opens the database file for writing with the settings of every Sightline connection
/// ([`super::SQLITE_SETTINGS`]), and the writer's own cache settings.
pub(super) fn open(file: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(file, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(failure)?;
    let cache = format!("PRAGMA cache_size=-{CACHE_KIB}; PRAGMA temp_store=MEMORY;");
    conn.execute_batch(&format!("{} {cache}", super::SQLITE_SETTINGS)).map_err(failure)?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    Ok(conn)
}

impl ToSql for Val {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match self {
            Val::Int(i) => ValueRef::Integer(*i),
            Val::OptInt(i) => i.map_or(ValueRef::Null, ValueRef::Integer),
            Val::Text(s) => ValueRef::Text(s.as_bytes()),
            Val::OptText(s) => s.as_deref().map_or(ValueRef::Null, |s| ValueRef::Text(s.as_bytes())),
            Val::Bytes(b) => ValueRef::Blob(b),
        }))
    }
}

// The futures finish at their first poll: nothing here waits on anything but SQLite.
impl Exec for Connection {
    async fn run(&mut self, sql: &str, values: Vec<Val>) -> Result<()> {
        let mut statement = self.prepare_cached(sql).map_err(failure)?;
        statement.execute(params_from_iter(&values)).map_err(failure)?;
        Ok(())
    }

    async fn pairs(&mut self, sql: &str, values: Vec<Val>) -> Result<Vec<(i64, String)>> {
        let mut statement = self.prepare_cached(sql).map_err(failure)?;
        let rows = statement.query_map(params_from_iter(&values), |r| Ok((r.get(0)?, r.get(1)?))).map_err(failure)?;
        rows.collect::<rusqlite::Result<_>>().map_err(failure)
    }
}

/// A failure of this connection as a database error like sqlx's own, so it is classified
/// (unique violation → conflict) and reported the same way.
pub(super) fn failure(e: rusqlite::Error) -> StoreError {
    StoreError::Database(sqlx::Error::Database(Box::new(SqliteFailure::from(e))))
}

#[derive(Debug)]
struct SqliteFailure {
    message: String,
    extended_code: Option<i32>,
    source: rusqlite::Error,
}

impl From<rusqlite::Error> for SqliteFailure {
    fn from(source: rusqlite::Error) -> SqliteFailure {
        SqliteFailure {
            message: source.to_string(),
            extended_code: source.sqlite_error().map(|e| e.extended_code),
            source,
        }
    }
}

impl std::fmt::Display for SqliteFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SqliteFailure {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

impl sqlx::error::DatabaseError for SqliteFailure {
    fn message(&self) -> &str {
        &self.message
    }

    fn code(&self) -> Option<Cow<'_, str>> {
        self.extended_code.map(|c| Cow::Owned(c.to_string()))
    }

    fn as_error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        self
    }

    fn as_error_mut(&mut self) -> &mut (dyn std::error::Error + Send + Sync + 'static) {
        self
    }

    fn into_error(self: Box<Self>) -> Box<dyn std::error::Error + Send + Sync + 'static> {
        self
    }

    fn kind(&self) -> sqlx::error::ErrorKind {
        use rusqlite::ffi;
        use sqlx::error::ErrorKind;
        match self.extended_code {
            Some(ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY) => ErrorKind::UniqueViolation,
            Some(ffi::SQLITE_CONSTRAINT_FOREIGNKEY) => ErrorKind::ForeignKeyViolation,
            Some(ffi::SQLITE_CONSTRAINT_NOTNULL) => ErrorKind::NotNullViolation,
            Some(ffi::SQLITE_CONSTRAINT_CHECK) => ErrorKind::CheckViolation,
            _ => ErrorKind::Other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_writer_has_every_connection_s_durability_settings() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("w.db");
        Connection::open(&file).expect("create").execute_batch("CREATE TABLE t (a)").expect("table");
        let conn = open(&file).expect("open");
        let pragma = |name: &str| {
            let value = conn.query_row(&format!("PRAGMA {name}"), [], |r| r.get::<_, rusqlite::types::Value>(0));
            match value.expect(name) {
                rusqlite::types::Value::Integer(i) => i.to_string(),
                rusqlite::types::Value::Text(t) => t,
                other => format!("{other:?}"),
            }
        };
        assert_eq!(pragma("journal_mode"), "wal");
        assert_eq!(pragma("synchronous"), "2", "FULL");
        assert_eq!(pragma("foreign_keys"), "1");
        assert_eq!(pragma("busy_timeout"), "10000");
        assert_eq!(pragma("cache_size"), format!("-{CACHE_KIB}"));
    }

    /// The bundled SQLite is built with the options in `.cargo/config.toml` (`LIBSQLITE3_FLAGS`):
    /// a build without them still works, only slower under load, so this is where it shows.
    #[test]
    fn sqlite_is_built_without_its_global_mutexes_on_memory() {
        let conn = Connection::open_in_memory().expect("open");
        let mut statement = conn.prepare("PRAGMA compile_options").expect("prepare");
        let options: Vec<String> =
            statement.query_map([], |r| r.get(0)).expect("query").collect::<rusqlite::Result<_>>().expect("rows");
        assert!(options.iter().any(|o| o == "DEFAULT_MEMSTATUS=0"), "{options:?}");
        assert!(!options.iter().any(|o| o == "ENABLE_MEMORY_MANAGEMENT"), "{options:?}");
    }

    #[test]
    fn a_unique_violation_reads_as_one() {
        let mut conn = Connection::open_in_memory().expect("open");
        conn.execute_batch("CREATE TABLE t (a INTEGER UNIQUE)").expect("table");
        let insert = |conn: &mut Connection| {
            let fut = conn.run("INSERT INTO t (a) VALUES (?)", vec![Val::Int(1)]);
            tokio::runtime::Builder::new_current_thread().build().expect("runtime").block_on(fut)
        };
        insert(&mut conn).expect("first");
        match insert(&mut conn) {
            Err(StoreError::Database(sqlx::Error::Database(e))) => assert!(e.is_unique_violation(), "{e}"),
            other => panic!("{other:?}"),
        }
        let pairs = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime")
            .block_on(conn.pairs("SELECT a, 'x' || a FROM t WHERE a = ?", vec![Val::Int(1)]))
            .expect("pairs");
        assert_eq!(pairs, vec![(1, "x1".to_owned())]);
    }
}
