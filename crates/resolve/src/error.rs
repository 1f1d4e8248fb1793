//! Error type of the crate.

use std::path::PathBuf;

/// Errors returned by the library (only the batch module does IO).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file involved.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The CSV reader or writer failed (not a bad row: those are reported, not fatal).
    #[error("{path}: {source}")]
    Csv {
        /// The file involved.
        path: PathBuf,
        /// The underlying error.
        source: csv::Error,
    },
    /// The input's header is not the expected one.
    #[error("{path}: bad header: {message}")]
    Header {
        /// The file involved.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}
