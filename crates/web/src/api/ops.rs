//! Operations and public reference data: health, Prometheus metrics, the OpenAPI document,
//! and the list of registered sites for the tip form's picker.

use crate::error::ApiResult;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use std::fmt::Write;
use utoipa::ToSchema;

/// Liveness and database reachability.
#[utoipa::path(get, path = "/healthz", tag = "ops", responses((status = 200, description = "ok"), (status = 500)))]
pub async fn healthz(State(state): State<AppState>) -> ApiResult<&'static str> {
    app::oversight::health(&state).await?;
    Ok("ok\n")
}

/// Prometheus text exposition. On the public listener only for this machine (a loopback peer,
/// no proxy trusted: through a proxy every request comes from loopback); elsewhere serve it on
/// its own address with `--metrics-bind`. Others get 404: the counts are not theirs to read.
#[utoipa::path(get, path = "/metrics", tag = "ops", responses((status = 200, description = "Prometheus text format", content_type = "text/plain"), (status = 404)))]
pub async fn metrics(State(state): State<AppState>, extensions: axum::http::Extensions) -> ApiResult<Response> {
    let peer = extensions.get::<axum::extract::ConnectInfo<crate::tls::ClientAddr>>().map(|c| c.0.0.ip());
    let from_this_machine = peer.is_some_and(|ip| ip.is_loopback()) && state.http().trusted_proxy_hops == 0;
    if !from_this_machine {
        return Err(app::AppError::NotFound.into());
    }
    metrics_text(&state).await
}

/// The metrics listener's own route (`--metrics-bind`): whoever reaches that address may read.
async fn metrics_anyone(State(state): State<AppState>) -> ApiResult<Response> {
    metrics_text(&state).await
}

/// What `/metrics` says.
async fn metrics_text(state: &AppState) -> ApiResult<Response> {
    let m = app::oversight::metrics(state).await?;
    let mut out = String::new();
    let mut metric = |name: &str, kind: &str, help: &str, lines: Vec<(String, i64)>| {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
        for (labels, v) in lines {
            let _ = writeln!(out, "{name}{labels} {v}");
        }
    };
    metric("sightline_tips_received_total", "counter", "Tips received.", vec![(String::new(), m.tips_total)]);
    let mut by_tier: Vec<(String, i64)> = domain::urgency::Tier::ALL
        .iter()
        .map(|t| {
            (
                format!("{{tier=\"{}\"}}", t.code()),
                m.tips_by_tier.iter().find(|(c, _)| c == t.code()).map_or(0, |x| x.1),
            )
        })
        .collect();
    by_tier.sort();
    metric("sightline_tips_by_tier_total", "counter", "Tips received, by current tier.", by_tier);
    metric("sightline_tips_open", "gauge", "Tips not closed.", vec![(String::new(), m.open)]);
    metric(
        "sightline_tips_overdue",
        "gauge",
        "Tips past their acknowledge or review deadline.",
        vec![(String::new(), m.overdue)],
    );
    metric("sightline_escalations_total", "counter", "Escalation steps taken.", vec![(String::new(), m.escalations)]);
    metric(
        "sightline_notification_failures_total",
        "counter",
        "Notifications given up after all retries.",
        vec![(String::new(), m.notification_failures)],
    );
    metric(
        "sightline_notifications_pending",
        "gauge",
        "Notifications waiting for delivery.",
        vec![(String::new(), m.notifications_pending)],
    );
    Ok(([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], out).into_response())
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct SiteView {
    pub id: i64,
    pub name: String,
    /// school, campus, house_of_worship …
    pub kind: String,
    pub address: Option<String>,
}

impl From<store::model::Site> for SiteView {
    fn from(s: store::model::Site) -> Self {
        SiteView { id: s.id, name: s.name, kind: s.kind.code().into(), address: s.address }
    }
}

/// Registered sites (schools, campuses, houses of worship), for choosing where a tip is about.
#[utoipa::path(get, path = "/api/v1/sites", tag = "intake", responses((status = 200, body = [SiteView])))]
pub async fn sites(State(state): State<AppState>) -> ApiResult<Json<Vec<SiteView>>> {
    let sites = app::intake::registered_sites(&state).await?;
    Ok(Json(sites.into_iter().map(SiteView::from).collect()))
}

/// The metrics listener: `/metrics` and `/healthz`, nothing else.
pub fn metrics_router() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new().route("/metrics", get(metrics_anyone)).route("/healthz", get(healthz))
}

pub fn router() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .route("/api/v1/sites", get(sites))
}
