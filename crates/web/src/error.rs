//! The one web error type: each variant knows its status code; causes of 500s are logged,
//! never shown.

use app::AppError;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::FieldError;
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 422: a field's value is not acceptable.
    #[error("{0}")]
    Invalid(FieldError),
    /// 400: the body is not the JSON it should be.
    #[error("{0}")]
    Malformed(FieldError),
    /// 413: the body is larger than allowed.
    #[error("body too large")]
    TooLarge { limit: usize },
    /// 401: no valid credentials. Says nothing about what exists.
    #[error("unauthorized")]
    Unauthorized,
    /// 403: signed in, but this is not yours to do.
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// 404: absent, or not visible to this viewer (the two are not told apart).
    #[error("not found")]
    NotFound,
    /// 429: too many attempts; try later.
    #[error("too many attempts")]
    TooMany,
    /// 409: the state does not allow it, or it changed meanwhile.
    #[error("conflict: {0}")]
    Conflict(String),
    /// 500: logged with its cause; the client sees a generic message.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
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

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::Invalid(e) => ApiError::Invalid(e),
            AppError::Unauthorized => ApiError::Unauthorized,
            AppError::Forbidden(why) => ApiError::Forbidden(why),
            AppError::NotFound => ApiError::NotFound,
            AppError::Conflict(why) => ApiError::Conflict(why),
            AppError::TooMany => ApiError::TooMany,
            AppError::Broken(cause) => ApiError::Internal(cause),
        }
    }
}

impl From<FieldError> for ApiError {
    fn from(e: FieldError) -> Self {
        ApiError::Invalid(e)
    }
}

impl ApiError {
    /// The status, the field at fault and the reason a person may read. A 500's cause is
    /// logged here, never shown.
    pub fn parts(&self) -> (StatusCode, Option<String>, String) {
        match self {
            ApiError::Invalid(e) => (StatusCode::UNPROCESSABLE_ENTITY, Some(e.field.clone()), e.reason.clone()),
            ApiError::Malformed(e) => (StatusCode::BAD_REQUEST, Some(e.field.clone()), e.reason.clone()),
            ApiError::TooLarge { limit } => {
                (StatusCode::PAYLOAD_TOO_LARGE, None, format!("the request body is larger than {limit} bytes"))
            }
            ApiError::Unauthorized => (StatusCode::UNAUTHORIZED, None, "valid credentials are required".into()),
            ApiError::Forbidden(why) => (StatusCode::FORBIDDEN, None, why.clone()),
            ApiError::NotFound => (StatusCode::NOT_FOUND, None, "not found".into()),
            ApiError::Conflict(why) => (StatusCode::CONFLICT, None, why.clone()),
            ApiError::TooMany => {
                (StatusCode::TOO_MANY_REQUESTS, None, "too many attempts; wait a few minutes and try again".into())
            }
            ApiError::Internal(cause) => {
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
