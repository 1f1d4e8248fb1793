//! The files stored with tips (sealed by the caller).

use crate::Result;
#[allow(unused_imports)]
use crate::model::*;
use async_trait::async_trait;

#[async_trait]
pub trait AttachmentStore: Send + Sync {
    async fn attachments(&self, tip_id: i64) -> Result<Vec<AttachmentMeta>>;
    async fn attachment(&self, id: i64) -> Result<(AttachmentMeta, Vec<u8>)>;
}

/// A file to store with a tip (already checked and cleaned of metadata by the caller).
#[derive(Clone)]
pub struct NewAttachment {
    pub uploader: domain::tip::Author,
    pub filename: String,
    pub content_type: String,
    pub sha256: String,
    /// What was done to it, e.g. "re-drawn from its pixels: …".
    pub note: String,
    pub data: Vec<u8>,
}

impl std::fmt::Debug for NewAttachment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewAttachment").field("filename", &self.filename).field("size", &self.data.len()).finish()
    }
}

/// A stored file's description, without its bytes.
#[derive(Debug, Clone)]
pub struct AttachmentMeta {
    pub id: i64,
    pub tip_id: i64,
    pub uploader: domain::tip::Author,
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub note: String,
    pub created_at: i64,
}
