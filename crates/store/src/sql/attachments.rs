//! Attachments: written in the caller's transaction, read by tip or by id.

use super::SqlStore;
use super::bulk::{Rows, Val};
use crate::model::*;
use crate::{Result, StoreError};
use sqlx::Row;
use sqlx::any::AnyRow;

const META: &str = "id, tip_id, uploader, filename, content_type, size, sha256, note, created_at";

fn meta(r: &AnyRow) -> Result<AttachmentMeta> {
    Ok(AttachmentMeta {
        id: r.try_get("id")?,
        tip_id: r.try_get("tip_id")?,
        uploader: super::rows::code(r, "uploader", domain::tip::Author::parse)?,
        filename: r.try_get("filename")?,
        content_type: r.try_get("content_type")?,
        size: r.try_get("size")?,
        sha256: r.try_get("sha256")?,
        note: r.try_get("note")?,
        created_at: r.try_get("created_at")?,
    })
}

pub(super) fn attachment_rows() -> Rows {
    Rows::new(
        "INSERT INTO attachments (tip_id, uploader, filename, content_type, size, sha256, note, data, created_at)",
        "($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        "",
    )
}

pub(super) fn push_attachments(rows: &mut Rows, tip_id: i64, files: &[NewAttachment], now: i64) {
    for f in files {
        rows.push([
            tip_id.into(),
            f.uploader.code().into(),
            (&f.filename).into(),
            (&f.content_type).into(),
            (f.data.len() as i64).into(),
            (&f.sha256).into(),
            (&f.note).into(),
            Val::Bytes(f.data.clone()),
            now.into(),
        ]);
    }
}

impl SqlStore {
    pub(super) async fn insert_attachments(
        &self,
        conn: &mut sqlx::AnyConnection,
        tip_id: i64,
        files: &[NewAttachment],
        now: i64,
    ) -> Result<()> {
        let mut rows = attachment_rows();
        push_attachments(&mut rows, tip_id, files, now);
        self.insert_rows(conn, rows).await
    }
}

#[async_trait::async_trait]
impl crate::AttachmentStore for SqlStore {
    async fn attachments(&self, tip_id: i64) -> Result<Vec<AttachmentMeta>> {
        let rows = sqlx::query(self.sql(&format!("SELECT {META} FROM attachments WHERE tip_id = $1 ORDER BY id")))
            .bind(tip_id)
            .fetch_all(&self.read)
            .await?;
        rows.iter().map(meta).collect()
    }

    async fn attachment(&self, id: i64) -> Result<(AttachmentMeta, Vec<u8>)> {
        let row = sqlx::query(self.sql(&format!("SELECT {META}, data FROM attachments WHERE id = $1")))
            .bind(id)
            .fetch_optional(&self.read)
            .await?
            .ok_or(StoreError::NotFound("attachment"))?;
        Ok((meta(&row)?, row.try_get("data")?))
    }
}
