//! Store errors: what was absent or contended is told apart from what is broken.

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0} not found")]
    NotFound(&'static str),
    /// A uniqueness rule or a concurrent change stopped the write; nothing was written.
    #[error("conflict: {0}")]
    Conflict(String),
    /// The database failed or held something it should not; the cause is logged.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
}

impl StoreError {
    /// Maps a unique-constraint violation to [`StoreError::Conflict`].
    pub(crate) fn from_write(e: sqlx::Error, what: &str) -> StoreError {
        if let sqlx::Error::Database(db) = &e {
            let msg = db.message().to_ascii_lowercase();
            if msg.contains("unique") || msg.contains("duplicate key") {
                return StoreError::Conflict(what.to_owned());
            }
        }
        StoreError::Database(e)
    }
}
