//! A JSON body extractor whose every failure is a JSON error naming the field: a size limit
//! (413), malformed JSON or a wrong type (400, with the path of the bad field).

use crate::error::ApiError;
use axum::extract::{FromRequest, Request};
use domain::FieldError;
use serde::de::DeserializeOwned;

/// Largest JSON body accepted, in bytes.
pub const JSON_LIMIT: usize = 256 * 1024;

pub struct JsonBody<T>(pub T, pub bytes::Bytes);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, _state: &S) -> Result<Self, Self::Rejection> {
        let is_json =
            req.headers().get(axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| {
                v.split(';').next().is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
            });
        if !is_json {
            return Err(ApiError::Malformed(FieldError::new("content-type", "must be application/json")));
        }
        let bytes = axum::body::to_bytes(req.into_body(), JSON_LIMIT)
            .await
            .map_err(|_| ApiError::TooLarge { limit: JSON_LIMIT })?;
        let value = parse(&bytes)?;
        Ok(JsonBody(value, bytes))
    }
}

pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let (field, reason) = match inner.classify() {
            // A body that is not JSON at all is the body's fault, wherever parsing stopped.
            serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
                ("body".to_owned(), format!("is not valid JSON ({inner})"))
            }
            _ => {
                let field = if path.is_empty() || path == "." || path == "?" { "body".to_owned() } else { path };
                (field, strip_position(&inner.to_string()))
            }
        };
        ApiError::Malformed(FieldError::new(field, reason))
    })
}

/// serde_json appends "at line 1 column 20"; the field path says more.
fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_owned(),
        None => msg.to_owned(),
    }
}

/// A numeric id from the path, refused with a JSON error naming `id` (axum's own rejection is
/// plain text).
pub struct IdPath(pub i64);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for IdPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<i64>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(id)) => Ok(IdPath(id)),
            Err(_) => Err(ApiError::Malformed(FieldError::new("id", "must be a whole number"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct T {
        category: String,
        n: Option<i64>,
    }

    fn field_of(body: &str) -> String {
        match parse::<T>(body.as_bytes()) {
            Err(ApiError::Malformed(e)) => format!("{}: {}", e.field, e.reason),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn errors_name_the_field_or_the_body() {
        expect_test::expect![[r#"
            body: is not valid JSON (EOF while parsing a value at line 1 column 12)
            n: invalid type: string "x", expected i64
            body: missing field `category`
            body: is not valid JSON (expected ident at line 1 column 2)"#]]
        .assert_eq(
            &[field_of(r#"{"category":"#), field_of(r#"{"category":"a","n":"x"}"#), field_of("{}"), field_of("nope")]
                .join("\n"),
        );
    }
}
