//! Public intake: `POST /api/v1/tips`. No login; nothing about the sender is recorded.

use super::json::JsonBody;
use crate::abuse::{FileTipApi, Limited};
use crate::error::{ApiError, ApiResult, ErrorBody};
use crate::state::AppState;
use crate::views::request::{TipReceipt, TipRequest};
use app::intake::{self, Idempotency};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use domain::status::Status;
use domain::tip::NewTip;
use vault::secrets::sha256_hex;

/// File a tip.
///
/// Returns only after the tip is durably stored. Send an `Idempotency-Key` header (any
/// unique string up to 200 characters) to make retries safe: a retry returns the same receipt.
#[utoipa::path(post, path = "/api/v1/tips", tag = "intake", request_body = TipRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retried submission return the same receipt")),
    responses(
        (status = 201, description = "Stored", body = TipReceipt),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 409, description = "Idempotency-Key reused for a different tip", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 422, description = "A field is invalid", body = ErrorBody),
    ))]
pub async fn file_tip(
    State(state): State<AppState>,
    _: Limited<FileTipApi>,
    headers: HeaderMap,
    JsonBody(request, raw): JsonBody<TipRequest>,
) -> ApiResult<(StatusCode, Json<TipReceipt>)> {
    let tip = NewTip::try_from(request)?;
    let idem = match headers.get("idempotency-key") {
        None => None,
        Some(v) => {
            let key = v.to_str().ok().map(str::trim).filter(|k| !k.is_empty() && k.len() <= 200).ok_or_else(|| {
                ApiError::App(app::AppError::Invalid(domain::FieldError::new(
                    "Idempotency-Key",
                    "must be 1 to 200 visible ASCII characters",
                )))
            })?;
            Some(Idempotency { key: key.to_owned(), request_hash: sha256_hex(&raw) })
        }
    };
    let receipt = intake::file_tip(&state, tip, &[], idem).await?;
    Ok((
        StatusCode::CREATED,
        Json(TipReceipt {
            reference: receipt.reference,
            passphrase: receipt.passphrase,
            status: Status::Routed.tipster_words().into(),
            next_steps: "Keep the reference and passphrase somewhere safe: they are shown only once. With them you can \
                         come back, read questions from the people working on your tip, and add information. If anyone is \
                         in danger right now, call 911."
                .into(),
        }),
    ))
}

pub fn router() -> axum::Router<AppState> {
    axum::Router::new().route("/api/v1/tips", axum::routing::post(file_tip))
}
