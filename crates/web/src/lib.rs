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
//! - [`abuse`]: per-route rate limits; [`serve`]: connection limits (timeouts, per client);
//!   [`outbound`]: webhooks out; [`tls`], [`media`].

pub mod abuse;
pub mod api;
pub mod error;
pub mod media;
pub mod outbound;
pub mod pages;
pub mod serve;
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
            .layer(axum::middleware::from_fn(refuse_oversized))
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
        let mut limits = self.state.http().connection_limits.clone();
        if self.state.http().trusted_proxy_hops > 0 {
            // Every connection comes from the proxy: counting them per address would count
            // all clients as one. The proxy limits its clients.
            limits.per_client = usize::MAX;
        }
        let router = App::router(self.state);
        let serve_stop = stop_tx.subscribe();
        tokio::spawn(async move {
            shutdown.await;
            let _ = stop_tx.send(true);
        });
        match self.tls {
            None => serve::serve(self.listener, router, limits, serve_stop).await,
            Some(config) => {
                serve::serve(tls::TlsListener::new(self.listener, config)?, router, limits, serve_stop).await
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

/// A body that says it is larger than any route takes is refused with 413 before a byte of it
/// is read (a body without a length is cut off at the route's own limit).
async fn refuse_oversized(req: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    let api = req.uri().path().starts_with("/api/");
    let limit = if api { api::json::JSON_LIMIT } else { pages::FORM_LIMIT };
    let declared = req
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        let refused = error::ApiError::TooLarge { limit };
        return if api {
            axum::response::IntoResponse::into_response(refused)
        } else {
            let lang = pages::chrome::PageLang::from_query_or_cookie(&req);
            pages::failure::public(refused, lang)
        };
    }
    next.run(req).await
}
