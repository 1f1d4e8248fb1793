//! Multi-row INSERTs: the rows of one table for a whole batch of tips in one statement, so a
//! batch costs a handful of statements rather than a dozen per tip.
//!
//! On SQLite the placeholders are plain `?`, each value bound once per use in the order they
//! appear: with numbered ones (`?17`) the driver looks up every parameter's name, which SQLite
//! finds by a linear scan, so binding cost grew with the square of the values in a statement
//! (half the writer's time went there with a few thousand values).

use super::exec::Exec;
use super::{Backend, SqlStore};
use crate::Result;

/// Most bound values in one statement: below SQLite's 32,766 and PostgreSQL's 65,535.
const MAX_VALUES: usize = 30_000;
/// Most rows in one statement. Statements hold a power of two of rows, at most this many, so
/// each table has a handful of statement shapes that stay in the connection's prepared
/// statement cache; a shape for every row count would be prepared afresh on almost every call
/// (preparing an INSERT with thousands of placeholders costs more than running it).
const MAX_ROWS: usize = 64;

/// One bound value.
#[derive(Debug, Clone)]
pub(super) enum Val {
    Int(i64),
    OptInt(Option<i64>),
    Text(String),
    OptText(Option<String>),
    Bytes(Vec<u8>),
}

impl From<i64> for Val {
    fn from(v: i64) -> Val {
        Val::Int(v)
    }
}
impl From<Option<i64>> for Val {
    fn from(v: Option<i64>) -> Val {
        Val::OptInt(v)
    }
}
impl From<&str> for Val {
    fn from(v: &str) -> Val {
        Val::Text(v.to_owned())
    }
}
impl From<&String> for Val {
    fn from(v: &String) -> Val {
        Val::Text(v.clone())
    }
}
impl From<&Option<String>> for Val {
    fn from(v: &Option<String>) -> Val {
        Val::OptText(v.clone())
    }
}
impl From<Option<String>> for Val {
    fn from(v: Option<String>) -> Val {
        Val::OptText(v)
    }
}

/// Rows for one `INSERT`: `head` is `INSERT INTO t (a, b)`, `row` the values of one row with
/// placeholders `$1…$n` local to the row (`($1, CAST($2 AS DOUBLE PRECISION))`), `tail` what
/// follows the values (`ON CONFLICT …`, `RETURNING …`), empty for none.
pub(super) struct Rows {
    head: &'static str,
    row: &'static str,
    tail: &'static str,
    width: usize,
    values: Vec<Val>,
}

/// A row template cut at its placeholders: the text before each `$k` with that `k`, and the
/// text after the last.
fn pieces(row: &str) -> (Vec<(&str, usize)>, &str) {
    let mut out = Vec::new();
    let mut rest = row;
    while let Some(at) = rest.find('$') {
        let digits = rest[at + 1..].bytes().take_while(u8::is_ascii_digit).count();
        match rest[at + 1..at + 1 + digits].parse::<usize>() {
            Ok(k) if k > 0 => {
                out.push((&rest[..at], k));
                rest = &rest[at + 1 + digits..];
            }
            _ => break,
        }
    }
    (out, rest)
}

impl Rows {
    pub(super) fn new(head: &'static str, row: &'static str, tail: &'static str) -> Rows {
        let width = pieces(row).0.iter().map(|&(_, k)| k).max().unwrap_or(0);
        Rows { head, row, tail, width, values: Vec::new() }
    }

    /// Adds a row; it must have exactly one value per placeholder of the template.
    pub(super) fn push<const N: usize>(&mut self, row: [Val; N]) {
        assert_eq!(N, self.width, "a row of {} needs {} values", self.head, self.width);
        self.values.extend(row);
    }

    pub(super) fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The statements, each with the values it binds: as many rows per statement as fit.
    /// PostgreSQL gets numbered placeholders (`$k` of row r becomes `$(r·width + k)`); SQLite
    /// gets `?` with each value repeated where its placeholder is.
    fn statements(self, backend: Backend) -> Vec<(String, Vec<Val>)> {
        if self.width == 0 || self.values.is_empty() {
            return Vec::new();
        }
        let (cuts, end) = pieces(self.row);
        // On SQLite a row binds one value per placeholder, repeats included.
        let most = (MAX_VALUES / self.width.max(cuts.len())).clamp(1, MAX_ROWS);
        let mut out = Vec::new();
        let mut rest = self.values.as_slice();
        while !rest.is_empty() {
            let rows = (rest.len() / self.width).min(most);
            let (chunk, after) = rest.split_at((1 << rows.ilog2()) * self.width);
            rest = after;
            let mut sql = String::from(self.head);
            sql.push_str(" VALUES ");
            // PostgreSQL numbers its placeholders: the row's values as they are.
            let mut bound = if backend == Backend::Sqlite { Vec::new() } else { chunk.to_vec() };
            for (r, row) in chunk.chunks(self.width).enumerate() {
                if r > 0 {
                    sql.push_str(", ");
                }
                for &(text, k) in &cuts {
                    sql.push_str(text);
                    if backend == Backend::Sqlite {
                        sql.push('?');
                        bound.push(row[k - 1].clone());
                    } else {
                        sql.push_str(&format!("${}", r * self.width + k));
                    }
                }
                sql.push_str(end);
            }
            if !self.tail.is_empty() {
                sql.push(' ');
                sql.push_str(self.tail);
            }
            out.push((sql, bound));
        }
        out
    }
}

impl SqlStore {
    /// Inserts every row, in as few statements as fit.
    pub(super) async fn insert_rows(&self, conn: &mut impl Exec, rows: Rows) -> Result<()> {
        for (sql, values) in rows.statements(self.backend) {
            conn.run(&sql, values).await?;
        }
        Ok(())
    }

    /// Inserts every row and returns what the statements' `RETURNING` gave (an integer and a
    /// text column), in order.
    pub(super) async fn insert_rows_returning(&self, conn: &mut impl Exec, rows: Rows) -> Result<Vec<(i64, String)>> {
        let mut out = Vec::new();
        for (sql, values) in rows.statements(self.backend) {
            out.extend(conn.pairs(&sql, values).await?);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_become_multi_row_statements() {
        let rows = || {
            let mut rows = Rows::new("INSERT INTO t (a, b, c)", "($1, $2, $1, 'x')", "RETURNING id");
            assert!(rows.is_empty());
            rows.push([Val::Int(1), "x".into()]);
            rows.push([Val::Int(2), Val::OptText(None)]);
            rows
        };
        let pg = rows().statements(Backend::Postgres);
        assert_eq!(pg.len(), 1);
        assert_eq!(pg[0].0, "INSERT INTO t (a, b, c) VALUES ($1, $2, $1, 'x'), ($3, $4, $3, 'x') RETURNING id");
        assert_eq!(pg[0].1.len(), 4);
        let lite = rows().statements(Backend::Sqlite);
        assert_eq!(lite[0].0, "INSERT INTO t (a, b, c) VALUES (?, ?, ?, 'x'), (?, ?, ?, 'x') RETURNING id");
        let ints: Vec<Option<i64>> =
            lite[0].1.iter().map(|v| if let Val::Int(i) = v { Some(*i) } else { None }).collect();
        assert_eq!(ints, vec![Some(1), None, Some(1), Some(2), None, Some(2)], "each value where its placeholder is");
        assert_eq!(pieces("($10, CAST($2 AS REAL))"), (vec![("(", 10), (", CAST(", 2)], " AS REAL))"));
    }

    #[test]
    fn statements_hold_a_power_of_two_of_rows_so_few_shapes_exist() {
        let mut rows = Rows::new("INSERT INTO t (a, b, c)", "($1, $2, $3)", "");
        for i in 0..25_000 {
            rows.push([Val::Int(i), Val::Int(i), Val::Int(i)]);
        }
        let s = rows.statements(Backend::Postgres);
        let counts: Vec<usize> = s.iter().map(|(_, v)| v.len() / 3).collect();
        assert!(counts.iter().all(|&n| n.is_power_of_two() && n <= MAX_ROWS), "{counts:?}");
        assert_eq!(counts.iter().sum::<usize>(), 25_000);
        assert_eq!(counts.len(), 25_000 / 64 + 2, "390 of 64, then 32 and 8");
        let shapes: std::collections::BTreeSet<&str> = s.iter().map(|(sql, _)| sql.as_str()).collect();
        assert_eq!(shapes.len(), 3);
        assert!(s[0].0.ends_with("($190, $191, $192)"), "{}", &s[0].0[s[0].0.len() - 30..]);
    }
}
