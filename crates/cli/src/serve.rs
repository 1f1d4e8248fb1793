//! `sightline serve`: open the store, optionally load the demo, serve until Ctrl-C/SIGTERM.

use crate::Location;
use app::clock::SystemClock;
use clap::Args;
use std::net::SocketAddr;
use std::sync::Arc;
use web::state::{AppState, Options};

#[derive(Args)]
pub struct ServeArgs {
    #[command(flatten)]
    at: Location,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080", env = "SIGHTLINE_BIND")]
    bind: SocketAddr,
    /// Load demo agencies, schools, staff and 30 tips into an empty store.
    #[arg(long)]
    demo: bool,
    /// Serve HTTPS directly: a PEM certificate chain…
    #[arg(long, env = "SIGHTLINE_TLS_CERT", requires = "tls_key")]
    tls_cert: Option<std::path::PathBuf>,
    /// …and its PEM private key.
    #[arg(long, env = "SIGHTLINE_TLS_KEY", requires = "tls_cert")]
    tls_key: Option<std::path::PathBuf>,
    /// Behind reverse proxies you run: how many (1 when given alone). Clients are told apart
    /// (for rate limits only) by the X-Forwarded-For address the outermost of them appended,
    /// counted from the right; what a client writes there itself is ignored.
    #[arg(long, env = "SIGHTLINE_TRUST_PROXY", num_args = 0..=1, default_missing_value = "1", default_value_t = 0, value_name = "HOPS")]
    trust_proxy: u8,
    /// Also serve /metrics (Prometheus) to whoever reaches this address, e.g. one on the
    /// monitoring network. The public address answers /metrics only to this machine.
    #[arg(long, env = "SIGHTLINE_METRICS_BIND")]
    metrics_bind: Option<SocketAddr>,
    /// Pause sign-in to an account from a client after this many failures from it in the
    /// window (at most 5); the pause doubles with each further failure, up to the window.
    #[arg(long, default_value_t = 5)]
    lockout_threshold: i64,
    /// The failed sign-in window, in minutes (at least 15).
    #[arg(long, default_value_t = 15)]
    lockout_window_minutes: i64,
    /// End console sessions idle this many minutes (at most 30).
    #[arg(long, default_value_t = 30)]
    session_idle_minutes: i64,
    /// Disable accounts unused this many days (at most 90).
    #[arg(long, default_value_t = 90)]
    account_idle_days: i64,
    /// Shortest password accepted (at least 12).
    #[arg(long, default_value_t = 12)]
    password_min_length: usize,
}

pub async fn run(args: ServeArgs) -> anyhow::Result<()> {
    let (store, secrets) = args.at.open_with_secrets().await?;
    let security = app::policy::SecurityPolicy {
        lockout_threshold: args.lockout_threshold,
        lockout_window_ms: args.lockout_window_minutes * 60_000,
        session_idle_ms: args.session_idle_minutes * 60_000,
        account_idle_ms: args.account_idle_days * 86_400_000,
        password_min_len: args.password_min_length,
    };
    let options = Options {
        app: app::Options { security, ..app::Options::default() },
        trusted_proxy_hops: args.trust_proxy,
        ..Options::default()
    };
    let state = AppState::new(store, Arc::new(SystemClock), secrets, options)?;
    if args.demo {
        let logins = app::demo::load(&state).await?;
        if logins.is_empty() {
            println!("demo: the store already holds agencies; nothing loaded");
        } else {
            println!("demo: loaded agencies, schools, staff and 30 tips. Staff logins (shown once):");
            for l in &logins {
                println!(
                    "  {:<32} {:<36} {:<11} password {}  token {}  totp {}",
                    l.email, l.agency, l.roles, l.password, l.token, l.totp
                );
            }
        }
    }
    let mut app = web::App::bind(args.bind, state).await?;
    let scheme = match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => {
            app = app.with_tls(web::tls::server_config(cert, key)?);
            "https"
        }
        _ => "http",
    };
    if let Some(addr) = args.metrics_bind {
        println!("Metrics on http://{}/metrics", app.bind_metrics(addr).await?);
    }
    println!("Sightline listening on {scheme}://{}", app.local_addr());
    app.run_until(shutdown_signal()).await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
