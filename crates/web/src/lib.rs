//! The Sightline server's HTTP door: the JSON API, the HTML pages, and nothing else.
//!
//! Only this crate knows HTTP. Handlers parse input into domain types once (`views`), call the
//! use case in `app`, and map its answer (or its `AppError`) to a response.
//!
//! # Layout
//! - [`App`]: bind, serve, shut down — the same path for `main` and for tests.
//! - [`state`]: the application context and the HTTP settings.
//! - [`api`]: the JSON routes, their extractors and the OpenAPI document; [`pages`]: the HTML.
//! - [`views`]: the shapes both show (tip requests, tip views, link views), written once.
//! - [`abuse`]: per-route rate limits; [`outbound`]: webhooks out; [`tls`], [`media`].

pub mod abuse;
pub mod api;
pub mod error;
pub mod media;
pub mod outbound;
pub mod pages;
pub mod state;
pub mod tls;
pub mod views;

use axum::http::HeaderValue;
use state::AppState;
use std::net::SocketAddr;
use tokio::net::TcpListener;

/// A bound, not yet serving, server.
pub struct App {
    listener: TcpListener,
    tls: Option<rustls::ServerConfig>,
    state: AppState,
    /// A second listener for `/metrics` alone (`--metrics-bind`).
    metrics: Option<TcpListener>,
}

impl App {
    /// Binds `addr` (port 0 picks a free port).
    pub async fn bind(addr: SocketAddr, state: AppState) -> anyhow::Result<App> {
        let listener = TcpListener::bind(addr).await?;
        Ok(App { listener, tls: None, state, metrics: None })
    }

    /// Also serves `/metrics` (and `/healthz`) to whoever reaches `addr`: an address on the
    /// monitoring network, not the public one. Returns the bound address.
    pub async fn bind_metrics(&mut self, addr: SocketAddr) -> anyhow::Result<SocketAddr> {
        let listener = TcpListener::bind(addr).await?;
        let bound = listener.local_addr()?;
        self.metrics = Some(listener);
        Ok(bound)
    }

    /// Serves HTTPS with this configuration instead of plain HTTP.
    pub fn with_tls(mut self, config: rustls::ServerConfig) -> App {
        self.tls = Some(config);
        self
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener.local_addr().expect("a bound listener has an address")
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    pub fn router(state: AppState) -> axum::Router {
        use tower_http::set_header::SetResponseHeaderLayer;
        let header = |name: &'static str, value: &'static str| {
            SetResponseHeaderLayer::if_not_present(
                axum::http::HeaderName::from_static(name),
                HeaderValue::from_static(value),
            )
        };
        api::router()
            .merge(pages::router())
            .fallback(pages::failure::not_found)
            .with_state(state)
            .layer(header("x-content-type-options", "nosniff"))
            .layer(header("referrer-policy", "no-referrer"))
            .layer(header("cache-control", "no-store"))
            .layer(header("x-frame-options", "DENY"))
            .layer(header(
                "content-security-policy",
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; \
                 form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
            ))
    }

    /// Serves until `shutdown` resolves; the scheduler runs beside it when enabled.
    pub async fn run_until(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        let mut metrics_stop = stop_rx.clone();
        let jobs =
            self.state.http().run_jobs.then(|| tokio::spawn(app::jobs::scheduler(self.state.ctx().clone(), stop_rx)));
        // The peer address reaches only the rate limiter, which hashes it under a salt kept in
        // memory; nothing logs or stores it (see `abuse`).
        let metrics = self.metrics.map(|listener| {
            let router = api::ops::metrics_router().with_state(self.state.clone());
            tokio::spawn(async move {
                let stop = async move {
                    let _ = metrics_stop.wait_for(|s| *s).await;
                };
                axum::serve(listener, router).with_graceful_shutdown(stop).await
            })
        });
        let router = App::router(self.state).into_make_service_with_connect_info::<tls::ClientAddr>();
        let stop = async move {
            shutdown.await;
            let _ = stop_tx.send(true);
        };
        match self.tls {
            None => axum::serve(self.listener, router).with_graceful_shutdown(stop).await?,
            Some(config) => {
                axum::serve(tls::TlsListener::new(self.listener, config)?, router).with_graceful_shutdown(stop).await?
            }
        }
        if let Some(j) = jobs {
            let _ = j.await;
        }
        if let Some(m) = metrics {
            let _ = m.await;
        }
        Ok(())
    }
}
