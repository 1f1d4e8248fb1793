//! The Sightline server: JSON API, background jobs, and (soon) the HTML pages.
//!
//! Only this crate knows HTTP. Handlers parse input into domain types once (`api::dto`),
//! the desk and intake modules decide with the domain and commit through the store, and
//! `jobs` delivers what the commits queued.
//!
//! # Layout
//! - [`App`]: bind, serve, shut down — the same path for `main` and for tests.
//! - [`state`]: shared state and the routing cache; [`clock`]: time as a dependency.
//! - [`intake`], [`desk`]: the use cases; [`jobs`]: escalation and the outbox.
//! - [`api`]: routes, DTOs, extractors, the OpenAPI document.
//! - [`secrets`]: the instance key, keyed hashes, tokens, passphrases, Argon2id.

pub mod abuse;
pub mod api;
pub mod auth;
pub mod clock;
pub mod crypto;
pub mod demo;
pub mod desk;
pub mod error;
pub mod geo;
pub mod intake;
pub mod jobs;
pub mod links;
pub mod media;
pub mod mfa;
pub mod pages;
pub mod policy;
pub mod resolution;
pub mod sealed;
pub mod secrets;
pub mod state;
pub mod tls;

use axum::http::HeaderValue;
use state::AppState;
use std::net::SocketAddr;
use tokio::net::TcpListener;

/// A bound, not yet serving, server.
pub struct App {
    listener: TcpListener,
    tls: Option<rustls::ServerConfig>,
    state: AppState,
}

impl App {
    /// Binds `addr` (port 0 picks a free port).
    pub async fn bind(addr: SocketAddr, state: AppState) -> anyhow::Result<App> {
        let listener = TcpListener::bind(addr).await?;
        Ok(App { listener, tls: None, state })
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
            .layer(axum::middleware::from_fn_with_state(state.clone(), abuse::limit_public))
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
        let jobs = self.state.options.run_jobs.then(|| tokio::spawn(jobs::scheduler(self.state.clone(), stop_rx)));
        // The peer address reaches only the rate limiter, which hashes it under a salt kept in
        // memory; nothing logs or stores it (see `abuse`).
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
        Ok(())
    }
}
