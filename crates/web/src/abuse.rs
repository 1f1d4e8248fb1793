//! Abuse control without identifying anyone, set per route: a handler that is limited takes a
//! [`Limited`] extractor naming its limit, so the route and its limit are read in one place.
//! Clients are counted by a hash of their address under a random salt that lives only in
//! memory and is replaced every hour (`app::limiter`): nothing is written anywhere, and
//! yesterday's keys match nobody today. Passphrase guessing is limited per reference, whoever
//! tries (`app::tipster`).

use crate::error::ApiError;
use crate::state::AppState;
use app::limiter::Limit;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use std::marker::PhantomData;
use std::net::IpAddr;

/// A route's limit per client, and how its refusal is answered.
pub trait RouteLimit: Send + Sync + 'static {
    const LIMIT: Limit;
    /// A JSON error body (the API) or a page's plain words (the HTML forms).
    const JSON: bool;
}

/// New tips through the API.
pub struct FileTipApi;
/// New tips through the form.
pub struct FileTipForm;
/// Follow-up sign-ins through the API.
pub struct TipsterSignInApi;
/// Follow-up sign-ins through the form.
pub struct TipsterSignInForm;
/// Staff password sign-ins.
pub struct StaffSignIn;

impl RouteLimit for FileTipApi {
    const LIMIT: Limit = app::limiter::FILE_TIP;
    const JSON: bool = true;
}
impl RouteLimit for FileTipForm {
    const LIMIT: Limit = app::limiter::FILE_TIP;
    const JSON: bool = false;
}
impl RouteLimit for TipsterSignInApi {
    const LIMIT: Limit = app::limiter::SIGN_IN;
    const JSON: bool = true;
}
impl RouteLimit for TipsterSignInForm {
    const LIMIT: Limit = app::limiter::SIGN_IN;
    const JSON: bool = false;
}
impl RouteLimit for StaffSignIn {
    const LIMIT: Limit = app::limiter::STAFF_SIGN_IN;
    const JSON: bool = false;
}

/// Counts this request against `L` for its client, or refuses it with 429 before the body is
/// read. A request from this machine (loopback) is not counted.
pub struct Limited<L>(PhantomData<L>);

impl<L: RouteLimit> FromRequestParts<AppState> for Limited<L> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if let Some(ip) = client(parts, state.http().trust_proxy)
            && !state.limiter.allow(L::LIMIT, ip.to_string().as_bytes(), state.now())
        {
            return Err(too_many(L::JSON));
        }
        Ok(Limited(PhantomData))
    }
}

/// The client's address: the peer, or with a trusted proxy the first `X-Forwarded-For` hop;
/// none for loopback peers. Used only as limiter input, never stored or logged.
fn client(parts: &Parts, trust_proxy: bool) -> Option<IpAddr> {
    if trust_proxy {
        return parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .and_then(|v| v.trim().parse().ok());
    }
    // A loopback peer is this machine: the operator, a local tool, or a local proxy (which
    // should be run with `--trust-proxy` so clients are told apart).
    parts.extensions.get::<ConnectInfo<crate::tls::ClientAddr>>().map(|c| c.0.0.ip()).filter(|ip| !ip.is_loopback())
}

pub fn too_many(json: bool) -> Response {
    if json {
        ApiError::App(app::AppError::TooMany).into_response()
    } else {
        (
            axum::http::StatusCode::TOO_MANY_REQUESTS,
            "Too many attempts. Wait a few minutes and try again. If someone is in danger now, call 911.",
        )
            .into_response()
    }
}
