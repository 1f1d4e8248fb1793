//! The state every handler shares: the application's [`Ctx`] and the settings of the HTTP
//! door itself.

use app::Ctx;
use app::clock::Clock;
use std::sync::Arc;
use store::Store;
use vault::Secrets;

/// Settings the server runs with: the use cases' and the HTTP door's own.
#[derive(Debug, Clone)]
pub struct Options {
    pub app: app::Options,
    /// Start the background scheduler (tests drive jobs by hand instead).
    pub run_jobs: bool,
    /// How many proxies you run stand in front: the client address for rate limits is the
    /// `X-Forwarded-For` entry the outermost appended (0: the peer address).
    pub trusted_proxy_hops: u8,
    /// Timeouts and the per-client cap on connections.
    pub connection_limits: crate::serve::ConnectionLimits,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            app: app::Options::default(),
            run_jobs: true,
            trusted_proxy_hops: 0,
            connection_limits: Default::default(),
        }
    }
}

/// The application context and the HTTP settings, behind one `Arc` (axum clones the state for
/// every request).
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

pub struct Shared {
    ctx: Ctx,
    pub run_jobs: bool,
    pub trusted_proxy_hops: u8,
    pub connection_limits: crate::serve::ConnectionLimits,
}

impl std::ops::Deref for AppState {
    type Target = Ctx;
    fn deref(&self) -> &Ctx {
        &self.0.ctx
    }
}

impl AppState {
    pub fn new(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        secrets: Secrets,
        options: Options,
    ) -> anyhow::Result<AppState> {
        let outbound = Arc::new(crate::outbound::HttpSender::new()?);
        let ctx = Ctx::new(store, clock, secrets, options.app, outbound)?;
        Ok(AppState(Arc::new(Shared {
            ctx,
            run_jobs: options.run_jobs,
            trusted_proxy_hops: options.trusted_proxy_hops,
            connection_limits: options.connection_limits,
        })))
    }

    pub fn ctx(&self) -> &Ctx {
        &self.0.ctx
    }

    pub fn http(&self) -> &Shared {
        &self.0
    }
}
