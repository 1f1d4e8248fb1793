//! The append-only, hash-chained audit trail (keyed: see `domain::audit`).

use crate::Result;
#[allow(unused_imports)]
use crate::model::*;
use async_trait::async_trait;

#[async_trait]
pub trait AuditStore: Send + Sync {
    async fn search_audit(&self, query: &AuditQuery) -> Result<Vec<domain::audit::StoredAudit>>;
    async fn audit_events(&self, after_seq: i64, limit: i64) -> Result<Vec<domain::audit::StoredAudit>>;
    async fn audit_head(&self) -> Result<(i64, String)>;
    /// Loads the chain key (kept outside the database) for every event written from now on,
    /// and returns it with where the keyed chain starts. Until it is loaded no event can be
    /// written: an unkeyed event would be one anybody with the database could forge.
    async fn use_chain_key(&self, key: [u8; 32]) -> Result<domain::audit::ChainKey>;
    async fn audit_for_object(&self, object: domain::audit::ObjectRef) -> Result<Vec<domain::audit::StoredAudit>>;
    async fn append_audit(&self, event: NewAudit) -> Result<()>;
}

/// An audit event to append; seq and hashes are assigned by the store.
#[derive(Debug, Clone)]
pub struct NewAudit {
    pub at_ms: i64,
    pub actor: String,
    pub action: domain::audit::AuditAction,
    /// What it is about; encoded only when written.
    pub object: domain::audit::ObjectRef,
    pub reason: String,
    /// Compact JSON text.
    pub detail: String,
}

impl NewAudit {
    /// `actor` is a `domain::audit::Actor` (or, from a caller that only passes it on, its text).
    pub fn new(
        at_ms: i64,
        actor: impl std::fmt::Display,
        action: domain::audit::AuditAction,
        object: domain::audit::ObjectRef,
    ) -> NewAudit {
        NewAudit { at_ms, actor: actor.to_string(), action, object, reason: String::new(), detail: "{}".into() }
    }

    pub fn reason(mut self, reason: &str) -> NewAudit {
        self.reason = reason.to_owned();
        self
    }

    pub fn detail(mut self, detail: serde_json::Value) -> NewAudit {
        self.detail = detail.to_string();
        self
    }
}

/// Filters for the audit trail.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub object: Option<String>,
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
    pub limit: i64,
    /// Only events about this agency's records and people: tips routed or shared to it, its
    /// users (as object or actor), the agency itself, its sites and contacts. `None`: all.
    pub agency: Option<i64>,
}
