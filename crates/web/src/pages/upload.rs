//! Multipart forms: text fields and files, within limits, files checked and photos re-drawn
//! from their pixels before anything is stored.

use crate::media::{self, MAX_FILES};
use axum::extract::Multipart;
use std::collections::HashMap;
use store::model::NewAttachment;

pub struct FormData {
    pub fields: HashMap<String, String>,
    pub files: Vec<NewAttachment>,
    /// Files refused, with the reason in words.
    pub refused: Vec<String>,
}

impl FormData {
    pub fn get(&self, name: &str) -> &str {
        self.fields.get(name).map(String::as_str).unwrap_or("")
    }
}

/// Why a form could not be read at all: too large (413), or malformed (400).
pub fn unreadable(e: axum::extract::multipart::MultipartError) -> crate::error::ApiError {
    if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        crate::error::ApiError::TooLarge { limit: super::FORM_LIMIT }
    } else {
        crate::error::ApiError::Malformed(domain::FieldError::new("form", format!("could not be read: {e}")))
    }
}

/// Reads a multipart form. A malformed or oversized body is an error; a refused file is
/// reported, not fatal.
pub async fn read(mut multipart: Multipart, uploader: domain::tip::Author) -> Result<FormData, crate::error::ApiError> {
    let mut data = FormData { fields: HashMap::new(), files: Vec::new(), refused: Vec::new() };
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or("").to_owned();
        if name == "attachments" {
            let filename = field.file_name().unwrap_or("").to_owned();
            let bytes = field.bytes().await.map_err(unreadable)?;
            if bytes.is_empty() && filename.is_empty() {
                continue; // the empty file input a browser sends when nothing was chosen
            }
            if data.files.len() >= MAX_FILES {
                data.refused.push(format!("{filename}: at most {MAX_FILES} files"));
                continue;
            }
            // Decoding and encoding a photo is seconds of CPU: off the async threads.
            let cleaned = tokio::task::spawn_blocking(move || media::clean(&bytes))
                .await
                .map_err(|e| crate::error::ApiError::App(app::AppError::Broken(e.into())))?;
            match cleaned {
                Ok(c) => data.files.push(NewAttachment {
                    uploader,
                    filename: media::safe_filename(&filename, c.kind),
                    content_type: c.kind.content_type().to_owned(),
                    sha256: vault::secrets::sha256_hex(&c.bytes),
                    note: c.note.to_owned(),
                    data: c.bytes,
                }),
                Err(why) => data.refused.push(format!("{}: {why}", media::tame(&filename))),
            }
        } else {
            let text = field.text().await.map_err(unreadable)?;
            if text.len() > 100_000 {
                return Err(crate::error::ApiError::Malformed(domain::FieldError::new(name, "is too long")));
            }
            data.fields.insert(name, text);
        }
    }
    Ok(data)
}
