//! The state every handler shares: the application's [`Ctx`] and the settings of the HTTP
//! door itself.

use app::Ctx;
use app::clock::Clock;
use std::sync::Arc;
use store::Store;
use vault::Secrets;

/// Settings the server runs with.
#[derive(Debug, Clone)]
pub struct Options {
    /// Cheap Argon2 parameters, for tests only.
    pub fast_password_hash: bool,
    /// How long a tipster's follow-up session lasts.
    pub tipster_session_ms: i64,
    /// Start the background scheduler (tests drive jobs by hand instead).
    pub run_jobs: bool,
    /// Staff access controls (stricter-only).
    pub security: app::policy::SecurityPolicy,
    /// Take the client address for rate limits from `X-Forwarded-For` (behind a proxy you run).
    pub trust_proxy: bool,
}

impl Default for Options {
    fn default() -> Self {
        let app = app::Options::default();
        Options {
            fast_password_hash: app.fast_password_hash,
            tipster_session_ms: app.tipster_session_ms,
            run_jobs: true,
            security: app.security,
            trust_proxy: false,
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
    pub trust_proxy: bool,
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
        let app_options = app::Options {
            fast_password_hash: options.fast_password_hash,
            tipster_session_ms: options.tipster_session_ms,
            security: options.security,
        };
        let outbound = Arc::new(crate::outbound::HttpSender::new()?);
        let ctx = Ctx::new(store, clock, secrets, app_options, outbound)?;
        Ok(AppState(Arc::new(Shared { ctx, run_jobs: options.run_jobs, trust_proxy: options.trust_proxy })))
    }

    pub fn ctx(&self) -> &Ctx {
        &self.0.ctx
    }

    pub fn http(&self) -> &Shared {
        &self.0
    }
}
