//! Opening and sealing a tip's encrypted fields with its data key (see `crypto`).

use crate::ctx::Ctx;
use crate::error::AppResult;
use vault::crypto::{self, Key};

/// The tip's data key, unwrapped with this server's wrapping key.
pub async fn data_key(ctx: &Ctx, tip_id: i64) -> AppResult<Option<Key>> {
    let wrapped = ctx.store.tip_key(tip_id).await?;
    Ok(ctx.secrets.data_key(wrapped.as_ref())?)
}

/// A message body as people read it. A body this server cannot open is shown as such (and
/// logged), rather than failing the whole page.
pub fn open_message(key: Option<&Key>, reference: &str, body: &str) -> String {
    crypto::open_text(key, reference, "message", body).unwrap_or_else(|e| {
        tracing::error!(reference, error = %e, "a message cannot be decrypted");
        "[sealed: this server's key cannot open it]".to_owned()
    })
}

pub fn seal_message(key: Option<&Key>, reference: &str, body: &str) -> String {
    match key {
        Some(k) => crypto::seal_text(k, reference, "message", body),
        None => body.to_owned(),
    }
}

pub fn seal_file(key: Option<&Key>, reference: &str, data: &[u8]) -> Vec<u8> {
    match key {
        Some(k) => crypto::seal_bytes(k, reference, "attachment", data),
        None => data.to_vec(),
    }
}
