//! The few statements intake and the audit chain need, on either kind of connection: a sqlx
//! connection, or on SQLite the intake thread's own synchronous connection ([`super::direct`]).
//!
//! The SQL is the same text for both; only how it reaches the database differs. Written once
//! against [`Exec`], the tip and audit writers serve both the group-commit writer and every
//! other transaction.

use super::bulk::Val;
use crate::Result;
use sqlx::{AnyConnection, AssertSqlSafe, Row};

/// Runs statements whose values are bound in order, already in the backend's placeholder form.
pub(super) trait Exec {
    /// Runs a statement that returns no rows.
    async fn run(&mut self, sql: &str, values: Vec<Val>) -> Result<()>;

    /// Runs a statement whose rows are (integer, text) pairs, and returns them.
    async fn pairs(&mut self, sql: &str, values: Vec<Val>) -> Result<Vec<(i64, String)>>;
}

fn query(sql: &str, values: Vec<Val>) -> sqlx::query::Query<'static, sqlx::Any, sqlx::any::AnyArguments> {
    let mut q = sqlx::query(AssertSqlSafe(sql.to_owned()));
    for v in values {
        q = match v {
            Val::Int(i) => q.bind(i),
            Val::OptInt(i) => q.bind(i),
            Val::Text(s) => q.bind(s),
            Val::OptText(s) => q.bind(s),
            Val::Bytes(b) => q.bind(b),
        };
    }
    q
}

impl Exec for AnyConnection {
    async fn run(&mut self, sql: &str, values: Vec<Val>) -> Result<()> {
        query(sql, values).execute(self).await?;
        Ok(())
    }

    async fn pairs(&mut self, sql: &str, values: Vec<Val>) -> Result<Vec<(i64, String)>> {
        let rows = query(sql, values).fetch_all(self).await?;
        rows.iter().map(|r| Ok((r.try_get::<i64, _>(0)?, r.try_get::<String, _>(1)?))).collect()
    }
}
