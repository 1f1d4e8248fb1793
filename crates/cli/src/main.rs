//! The `sightline` command: serve, administer the local store, verify the audit chain.

mod admin;
mod audit;
mod dedupe;
mod keys;
mod serve;

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser)]
#[command(name = "sightline", version, about = "Tips in, a recorded human decision out.")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Where the data lives: a folder (SQLite file and instance key), and optionally PostgreSQL.
#[derive(Args, Clone, Debug)]
pub struct Location {
    /// Data folder: the SQLite database (unless --database-url), the instance key.
    #[arg(long, default_value = "sightline-data", env = "SIGHTLINE_DATA")]
    pub data: PathBuf,
    /// PostgreSQL URL (postgres://user@host/db). Without it, SQLite in the data folder.
    #[arg(long, env = "SIGHTLINE_DATABASE_URL")]
    pub database_url: Option<String>,
    /// Start even when other users may read the data folder (it holds the database and keys).
    #[arg(long, env = "SIGHTLINE_ALLOW_SHARED_DATA_FOLDER")]
    pub allow_shared_data_folder: bool,
}

impl Location {
    /// Makes sure the data folder is private, then opens the store with the audit chain's key.
    pub async fn open(&self) -> anyhow::Result<std::sync::Arc<dyn store::Store>> {
        Ok(self.open_with_secrets().await?.0)
    }

    /// The store, and the keys of the data folder (the chain key already handed to the store).
    pub async fn open_with_secrets(
        &self,
    ) -> anyhow::Result<(std::sync::Arc<dyn store::Store>, vault::secrets::Secrets)> {
        vault::folder::prepare(&self.data, self.allow_shared_data_folder)?;
        let store: std::sync::Arc<dyn store::Store> =
            std::sync::Arc::new(store::SqlStore::open(self.database_url.as_deref(), &self.data).await?);
        let secrets = vault::secrets::Secrets::load_or_create(&self.data)?;
        app::chain::load_key(store.as_ref(), &secrets).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        Ok((store, secrets))
    }
}

#[derive(Subcommand)]
enum Command {
    /// Run the server.
    Serve(serve::ServeArgs),
    /// Create or update the database schema, then exit.
    Migrate {
        #[command(flatten)]
        at: Location,
    },
    /// Agencies: add, list.
    #[command(subcommand)]
    Agency(admin::AgencyCommand),
    /// Registered sites (schools, campuses, houses of worship).
    #[command(subcommand)]
    Site(admin::SiteCommand),
    /// Escalation contacts (webhooks) of an agency.
    #[command(subcommand)]
    Contact(admin::ContactCommand),
    /// Staff users.
    #[command(subcommand)]
    User(admin::UserCommand),
    /// API tokens.
    #[command(subcommand)]
    Token(admin::TokenCommand),
    /// Instance settings.
    #[command(subcommand)]
    Settings(admin::SettingsCommand),
    /// The audit trail.
    #[command(subcommand)]
    Audit(audit::AuditCommand),
    /// Encryption keys.
    #[command(subcommand)]
    Keys(keys::KeysCommand),
    /// Deduplicate a CSV of person records: which rows are the same person.
    Resolve(dedupe::ResolveArgs),
}

fn main() -> std::process::ExitCode {
    // Before any other thread starts, as SQLite requires.
    let sqlite_on_mimalloc = allocator::sqlite_allocates_through_mimalloc();
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("SIGHTLINE_LOG").unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    tracing::debug!(sqlite_on_mimalloc, "SQLite's allocator");
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Serve(args) => serve::run(args).await,
            Command::Migrate { at } => {
                at.open().await?;
                println!("database is up to date");
                Ok(())
            }
            Command::Agency(c) => admin::agency(c).await,
            Command::Site(c) => admin::site(c).await,
            Command::Contact(c) => admin::contact(c).await,
            Command::User(c) => admin::user(c).await,
            Command::Token(c) => admin::token(c).await,
            Command::Settings(c) => admin::settings(c).await,
            Command::Audit(c) => audit::run(c).await,
            Command::Resolve(args) => {
                // A batch frees a stage's memory just before the next stage allocates its own.
                allocator::return_freed_memory_at_once();
                dedupe::run(args)
            }
            Command::Keys(c) => keys::run(c).await,
        }
    });
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
