//! Persistence: the [`Store`] trait, its typed errors, and its SQLite and PostgreSQL backends.
//!
//! Only this crate knows SQL. Every state change is written together with its audit event in
//! one transaction; the audit log is append-only and hash-chained (see `domain::audit`).
//!
//! # Layout
//! - [`model`]: the rows the store reads and writes (not domain types, not API DTOs).
//! - [`error`]: [`StoreError`], separating "absent" and "conflict" from "broken".
//! - `sql`: the one SQL implementation, with per-backend [`Backend`] hooks and migrations.

pub mod admin;
pub mod attachments;
pub mod audit;
pub mod error;
pub mod figures;
pub mod jobs;
pub mod links;
pub mod model;
pub mod security;
mod sql;
pub mod tips;

pub use error::StoreError;
pub use sql::{Backend, SqlStore};

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

pub use admin::AdminStore;
pub use attachments::AttachmentStore;
pub use audit::AuditStore;
pub use figures::FiguresStore;
pub use jobs::JobStore;
pub use links::LinkStore;
pub use security::SecurityStore;
pub use tips::TipStore;

/// Every store trait, for `use store::prelude::*`: a trait's methods are callable only where it
/// is in scope, and most callers use several modules.
pub mod prelude {
    pub use crate::{
        AdminStore, AttachmentStore, AuditStore, FiguresStore, JobStore, LinkStore, SecurityStore, Store, TipStore,
    };
}

/// Everything Sightline persists: one trait per module, each implemented in the `sql/` file
/// that holds its SQL, and one contract suite (`tests/contract`) run on every backend.
pub trait Store:
    AdminStore + TipStore + AttachmentStore + SecurityStore + LinkStore + JobStore + AuditStore + FiguresStore + 'static
{
}

impl<T> Store for T where
    T: AdminStore
        + TipStore
        + AttachmentStore
        + SecurityStore
        + LinkStore
        + JobStore
        + AuditStore
        + FiguresStore
        + 'static
{
}
