//! The API's input extractors, whose every failure is a JSON error naming the field: a JSON
//! body (413 over the limit; 400 for malformed JSON, data after the document, or a wrong type,
//! with the path of the bad field), a query string and a numeric path id (400 naming them).

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
    let value = serde_path_to_error::deserialize(&mut *de).map_err(|e| {
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
    })?;
    // `{…}garbage` is not one JSON document: refused, not read as its first part.
    de.end().map_err(|_| ApiError::Malformed(FieldError::new("body", "has data after the JSON document")))?;
    Ok(value)
}

/// A query string parsed into `T`: a wrong value or a key given twice is a JSON error naming
/// the parameter (axum's own rejection is plain text without one).
pub struct QueryParams<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> axum::extract::FromRequestParts<S> for QueryParams<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, _: &S) -> Result<Self, Self::Rejection> {
        parse_query(parts.uri.query().unwrap_or("")).map(QueryParams)
    }
}

pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    let pairs: Vec<(String, String)> =
        form_urlencoded::parse(query.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    let mut seen = std::collections::HashSet::new();
    if let Some((k, _)) = pairs.iter().find(|(k, _)| !seen.insert(k.as_str())) {
        return Err(ApiError::Malformed(FieldError::new(k.clone(), "is given more than once")));
    }
    let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner().to_string();
        let (field, reason) = match path.as_str() {
            "" | "." | "?" => match inner.split_once(": ") {
                // serde_urlencoded names the key in front of a number's error.
                Some((key, why)) if pairs.iter().any(|(k, _)| k == key) => (key.to_owned(), why.to_owned()),
                _ => ("query".to_owned(), inner),
            },
            _ => (path, inner),
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

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Q {
        limit: Option<i64>,
        status: Option<String>,
    }

    #[test]
    fn query_errors_name_the_parameter() {
        let shown = |q: &str| match parse_query::<Q>(q) {
            Ok(v) => format!("{q}: {v:?}"),
            Err(ApiError::Malformed(e)) => format!("{q}: {}: {}", e.field, e.reason),
            Err(other) => format!("{q}: {other:?}"),
        };
        let all: Vec<String> =
            ["limit=5&status=open", "limit=abc", "limit=1&limit=2", "colour=red", "limit=99999999999999999999"]
                .iter()
                .map(|q| shown(q))
                .collect();
        expect_test::expect![[r#"
            limit=5&status=open: Q { limit: Some(5), status: Some("open") }
            limit=abc: limit: invalid digit found in string
            limit=1&limit=2: limit: is given more than once
            colour=red: colour: unknown field `colour`, expected `limit` or `status`
            limit=99999999999999999999: limit: number too large to fit in target type"#]]
        .assert_eq(&all.join("\n"));
    }

    #[test]
    fn errors_name_the_field_or_the_body() {
        expect_test::expect![[r#"
            body: is not valid JSON (EOF while parsing a value at line 1 column 12)
            n: invalid type: string "x", expected i64
            body: missing field `category`
            body: is not valid JSON (expected ident at line 1 column 2)
            body: has data after the JSON document
            Ok(T { category: "a", n: None })"#]]
        .assert_eq(
            &[
                field_of(r#"{"category":"#),
                field_of(r#"{"category":"a","n":"x"}"#),
                field_of("{}"),
                field_of("nope"),
                field_of(r#"{"category":"a"}garbage"#),
                field_of(r#"{"category":"a"}  "#),
            ]
            .join("\n"),
        );
    }
}
