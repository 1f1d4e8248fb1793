//! The one web error type: a use case's `AppError`, or a refusal of the HTTP door itself
//! (malformed or too large a body), each with its status code; causes of 500s are logged, never shown.

use app::AppError;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::FieldError;
use serde::Serialize;

/// What a use case answered, or one of the two refusals only the HTTP door makes.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The use case's answer: 422, 401, 403, 404, 409, 429 or 500.
    #[error(transparent)]
    App(#[from] AppError),
    /// 400: the body is not the JSON it should be.
    #[error("{0}")]
    Malformed(FieldError),
    /// 413: the body is larger than allowed.
    #[error("body too large")]
    TooLarge { limit: usize },
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// The input field at fault, when there is one (dotted path, e.g. `location.lat`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    pub reason: String,
}

impl From<FieldError> for ApiError {
    fn from(e: FieldError) -> Self {
        ApiError::App(AppError::Invalid(e))
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(e: anyhow::Error) -> Self {
        ApiError::App(AppError::Broken(e))
    }
}

impl ApiError {
    /// The status, the field at fault and the reason a person may read. A 500's cause is
    /// logged here, never shown.
    pub fn parts(&self) -> (StatusCode, Option<String>, String) {
        match self {
            ApiError::Malformed(e) => (StatusCode::BAD_REQUEST, Some(e.field.clone()), e.reason.clone()),
            ApiError::TooLarge { limit } => {
                let reason = format!("is larger than {limit} bytes");
                (StatusCode::PAYLOAD_TOO_LARGE, Some("body".into()), reason)
            }
            ApiError::App(AppError::Invalid(e)) => {
                (StatusCode::UNPROCESSABLE_ENTITY, Some(e.field.clone()), e.reason.clone())
            }
            ApiError::App(AppError::Unauthorized) => {
                (StatusCode::UNAUTHORIZED, None, "valid credentials are required".into())
            }
            ApiError::App(AppError::Forbidden(why)) => (StatusCode::FORBIDDEN, None, why.clone()),
            ApiError::App(AppError::NotFound) => (StatusCode::NOT_FOUND, None, "not found".into()),
            ApiError::App(AppError::Conflict(why)) => (StatusCode::CONFLICT, None, why.clone()),
            ApiError::App(AppError::TooMany) => {
                (StatusCode::TOO_MANY_REQUESTS, None, "too many attempts; wait a few minutes and try again".into())
            }
            ApiError::App(AppError::Broken(cause)) => {
                tracing::error!(error.cause_chain = ?cause, "internal error");
                (StatusCode::INTERNAL_SERVER_ERROR, None, "something went wrong on our side".into())
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, field, reason) = self.parts();
        (status, Json(ErrorBody { error: ErrorDetail { field, reason } })).into_response()
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// The JSON error body for a status the router or an extractor answered itself.
pub fn json_error(status: StatusCode, field: Option<&str>, reason: &str) -> Response {
    let error = ErrorDetail { field: field.map(str::to_owned), reason: reason.to_owned() };
    (status, Json(ErrorBody { error })).into_response()
}

/// On the API, every 4xx is the JSON error: what axum or tower answered in plain text (a
/// method not allowed, a body over a layer's limit, an extractor's rejection) is rewritten,
/// keeping its words as the reason.
pub async fn api_errors_in_json(resp: Response) -> Response {
    let status = resp.status();
    let is_json = resp
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !status.is_client_error() || is_json {
        return resp;
    }
    let allow = resp.headers().get(axum::http::header::ALLOW).cloned();
    // A plain-text rejection is a sentence; one that cannot be read falls back to the status's words.
    let text = axum::body::to_bytes(resp.into_body(), 4096).await.unwrap_or_else(|_| bytes::Bytes::new());
    let said = String::from_utf8_lossy(&text).trim().to_owned();
    let (field, fallback) = match status {
        StatusCode::METHOD_NOT_ALLOWED => (Some("method"), "this endpoint does not take that method"),
        StatusCode::PAYLOAD_TOO_LARGE => (Some("body"), "the request body is too large"),
        StatusCode::NOT_FOUND => (Some("path"), "no such endpoint"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (Some("content-type"), "this content type is not accepted"),
        _ => (None, "the request was refused"),
    };
    let mut out = json_error(status, field, if said.is_empty() { fallback } else { &said });
    if let Some(allow) = allow {
        out.headers_mut().insert(axum::http::header::ALLOW, allow);
    }
    out
}
