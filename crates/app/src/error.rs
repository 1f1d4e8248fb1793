//! What a use case can answer besides success. Each door (HTTP, the command line) maps these
//! to its own answer; a broken cause is logged there and never shown.

use domain::FieldError;
use store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// A value is not acceptable: which field, and why.
    #[error("{0}")]
    Invalid(FieldError),
    /// No valid credentials. Says nothing about what exists.
    #[error("unauthorized")]
    Unauthorized,
    /// Known, but this is not theirs to do.
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// Absent, or not visible to this viewer (the two are not told apart).
    #[error("not found")]
    NotFound,
    /// The state does not allow it, or it changed meanwhile.
    #[error("conflict: {0}")]
    Conflict(String),
    /// Too many attempts; try later.
    #[error("too many attempts")]
    TooMany,
    /// Something on our side failed (the database, a key file).
    #[error(transparent)]
    Broken(#[from] anyhow::Error),
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    /// `Invalid` for one field.
    pub fn invalid(field: &str, reason: impl Into<String>) -> AppError {
        AppError::Invalid(FieldError::new(field, reason))
    }
}

impl From<FieldError> for AppError {
    fn from(e: FieldError) -> Self {
        AppError::Invalid(e)
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(_) => AppError::NotFound,
            StoreError::Conflict(what) => AppError::Conflict(what),
            other => AppError::Broken(anyhow::Error::new(other)),
        }
    }
}

impl From<domain::desk::Refusal> for AppError {
    fn from(r: domain::desk::Refusal) -> Self {
        use domain::desk::Refusal;
        match r {
            Refusal::NotFound => AppError::NotFound,
            Refusal::Forbidden(why) => AppError::Forbidden(why),
            Refusal::Conflict(why) => AppError::Conflict(why),
        }
    }
}

impl From<domain::status::TransitionError> for AppError {
    fn from(e: domain::status::TransitionError) -> Self {
        AppError::Conflict(e.to_string())
    }
}
