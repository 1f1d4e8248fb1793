//! Abuse control without identifying anyone. Public routes are rate-limited per client, keyed
//! by a hash of the client's address under a random salt that lives only in memory and is
//! replaced every hour: nothing is written anywhere, and yesterday's keys match nobody today.
//! Passphrase guessing is limited per reference, whoever tries.

use crate::error::ApiError;
use crate::state::AppState;
use app::limiter::{FILE_TIP, SIGN_IN, STAFF_SIGN_IN};
use axum::extract::{ConnectInfo, Request};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::IpAddr;

/// The client's address: the peer, or with a trusted proxy the first `X-Forwarded-For` hop;
/// none for loopback peers. Used only as limiter input, never stored or logged.
fn client(req: &Request, trust_proxy: bool) -> Option<IpAddr> {
    if trust_proxy {
        return req
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .and_then(|v| v.trim().parse().ok());
    }
    // A loopback peer is this machine: the operator, a local tool, or a local proxy (which
    // should be run with `--trust-proxy` so clients are told apart).
    req.extensions().get::<ConnectInfo<crate::tls::ClientAddr>>().map(|c| c.0.0.ip()).filter(|ip| !ip.is_loopback())
}

/// The per-client limits of the public routes.
pub async fn limit_public(
    axum::extract::State(state): axum::extract::State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let limit = match (req.method().as_str(), req.uri().path()) {
        ("POST", "/api/v1/tips" | "/tips") => Some(FILE_TIP),
        ("POST", "/api/v1/tipster/session" | "/follow-up") => Some(SIGN_IN),
        ("POST", "/staff/login") => Some(STAFF_SIGN_IN),
        _ => None,
    };
    if let Some(limit) = limit
        && let Some(ip) = client(&req, state.http().trust_proxy)
        && !state.limiter.allow(limit, ip.to_string().as_bytes(), state.now())
    {
        return too_many(req.uri().path().starts_with("/api/"));
    }
    next.run(req).await
}

pub fn too_many(json: bool) -> Response {
    if json {
        ApiError::TooMany.into_response()
    } else {
        (
            axum::http::StatusCode::TOO_MANY_REQUESTS,
            "Too many attempts. Wait a few minutes and try again. If someone is in danger now, call 911.",
        )
            .into_response()
    }
}
