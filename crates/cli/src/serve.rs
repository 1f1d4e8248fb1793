//! `sightline serve`: open the store, optionally load the demo, serve until Ctrl-C/SIGTERM.

use crate::Location;
use clap::Args;
use std::net::SocketAddr;
use std::sync::Arc;
use web::clock::SystemClock;
use web::secrets::Secrets;
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
}

pub async fn run(args: ServeArgs) -> anyhow::Result<()> {
    let store = args.at.open().await?;
    let secrets = Secrets::load_or_create(&args.at.data)?;
    let state = AppState::new(store, Arc::new(SystemClock), secrets, Options::default())?;
    if args.demo {
        let logins = web::demo::load(&state).await?;
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
    let app = web::App::bind(args.bind, state).await?;
    println!("Sightline listening on http://{}", app.local_addr());
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
