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
                (StatusCode::PAYLOAD_TOO_LARGE, None, format!("the request body is larger than {limit} bytes"))
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
