//! Administration on the local store: agencies, sites, contacts, users, tokens, settings —
//! parsed from the command line, then done by `app::admin`, the code the console uses too
//! (every change audited, actor `cli`).

use crate::Location;
use app::admin::{Admin, AgencyInput, SiteInput};
use clap::Subcommand;
use domain::routing::AgencyKind;
use domain::staff::Role;
use std::path::PathBuf;
use store::model::ContactRole;

fn now() -> i64 {
    use app::clock::{Clock, SystemClock};
    SystemClock.now().0
}

/// The administrator of the store at `at`.
async fn admin(at: &Location) -> anyhow::Result<Admin> {
    Ok(Admin::local(at.open().await?, now()))
}

/// A refusal of `app::admin` in the words of the command line: the field as its flag.
fn refused(e: app::AppError) -> anyhow::Error {
    match e {
        app::AppError::Invalid(f) => anyhow::anyhow!("--{}: {}", f.field.replace('_', "-"), f.reason),
        other => anyhow::anyhow!(other),
    }
}

fn roles(codes: &[String]) -> anyhow::Result<Vec<Role>> {
    Ok(codes.iter().map(|r| Role::parse(r.trim())).collect::<Result<_, _>>()?)
}

#[derive(Subcommand)]
pub enum AgencyCommand {
    /// Add an agency; prints its id.
    Add {
        #[command(flatten)]
        at: Location,
        #[arg(long)]
        name: String,
        /// law_enforcement, school_district, school, fusion_centre, federal, crisis_centre,
        /// college, house_of_worship
        #[arg(long)]
        kind: String,
        /// A GeoJSON file with the jurisdiction (Polygon or MultiPolygon).
        #[arg(long)]
        jurisdiction: Option<PathBuf>,
        /// The agency called when this one does not acknowledge in time.
        #[arg(long)]
        partner: Option<i64>,
        /// Acknowledge windows in minutes: life_safety,urgent,standard,informational (e.g. 5,60,1440,4320).
        #[arg(long)]
        ack_minutes: Option<String>,
    },
    /// List agencies.
    List {
        #[command(flatten)]
        at: Location,
    },
}

pub async fn agency(c: AgencyCommand) -> anyhow::Result<()> {
    match c {
        AgencyCommand::Add { at, name, kind, jurisdiction, partner, ack_minutes } => {
            let kind =
                AgencyKind::parse(&kind).ok_or_else(|| anyhow::anyhow!("--kind: unknown agency kind {kind:?}"))?;
            let jurisdiction = match jurisdiction {
                Some(path) => Some(std::fs::read_to_string(&path)?),
                None => None,
            };
            let ack_policy = match ack_minutes {
                None => None,
                Some(text) => {
                    let v: Vec<i64> = text
                        .split(',')
                        .map(|s| s.trim().parse::<i64>())
                        .collect::<Result<_, _>>()
                        .map_err(|_| anyhow::anyhow!("--ack-minutes: four whole numbers, e.g. 5,60,1440,4320"))?;
                    let [a, b, c, d] = v[..] else { anyhow::bail!("--ack-minutes: exactly four numbers") };
                    Some([a * 60_000, b * 60_000, c * 60_000, d * 60_000])
                }
            };
            let input = AgencyInput { name, kind, jurisdiction, partner, ack_policy };
            let a = admin(&at).await?.create_agency(input).await.map_err(refused)?;
            println!("{}", a.id);
        }
        AgencyCommand::List { at } => {
            for a in admin(&at).await?.agencies().await.map_err(refused)? {
                println!("{}\t{}\t{}", a.id, a.kind.code(), a.name);
            }
        }
    }
    Ok(())
}

#[derive(Subcommand)]
pub enum SiteCommand {
    /// Add a site; prints its id.
    Add {
        #[command(flatten)]
        at: Location,
        #[arg(long)]
        name: String,
        /// school, campus, house_of_worship or other
        #[arg(long, default_value = "school")]
        kind: String,
        /// The owning agency's id.
        #[arg(long)]
        agency: i64,
        #[arg(long, allow_hyphen_values = true)]
        lat: Option<f64>,
        #[arg(long, allow_hyphen_values = true)]
        lon: Option<f64>,
        #[arg(long)]
        address: Option<String>,
    },
}

pub async fn site(c: SiteCommand) -> anyhow::Result<()> {
    let SiteCommand::Add { at, name, kind, agency, lat, lon, address } = c;
    let kind = domain::routing::SiteKind::parse(&kind).ok_or_else(|| {
        let all: Vec<&str> = domain::routing::SiteKind::ALL.iter().map(|k| k.code()).collect();
        anyhow::anyhow!("--kind: one of {}", all.join(", "))
    })?;
    let input = SiteInput { name, kind: Some(kind), owner: agency, lat, lon, address };
    let s = admin(&at).await?.create_site(input).await.map_err(|e| refused(rename_owner(e)))?;
    println!("{}", s.id);
    Ok(())
}

/// The site's owner is `--agency` on the command line.
fn rename_owner(e: app::AppError) -> app::AppError {
    match e {
        app::AppError::Invalid(mut f) if f.field == "owner" => {
            f.field = "agency".into();
            app::AppError::Invalid(f)
        }
        other => other,
    }
}

#[derive(Subcommand)]
pub enum ContactCommand {
    /// Add an escalation contact reached by webhook; prints its id.
    Add {
        #[command(flatten)]
        at: Location,
        #[arg(long)]
        agency: i64,
        /// on_call or supervisor
        #[arg(long)]
        role: String,
        #[arg(long)]
        name: String,
        /// The webhook URL notifications are POSTed to (HMAC-signed).
        #[arg(long)]
        webhook: String,
    },
}

pub async fn contact(c: ContactCommand) -> anyhow::Result<()> {
    let ContactCommand::Add { at, agency, role, name, webhook } = c;
    let role = ContactRole::parse(&role).ok_or_else(|| anyhow::anyhow!("--role: on_call or supervisor"))?;
    let c = admin(&at).await?.create_contact(agency, role, &name, &webhook).await.map_err(refused)?;
    println!("{}", c.id);
    Ok(())
}

#[derive(Subcommand)]
pub enum UserCommand {
    /// Add a staff user; prints a generated password once (stored as an Argon2id hash). The
    /// user sets up a second factor at first sign-in.
    Add {
        #[command(flatten)]
        at: Location,
        #[arg(long)]
        agency: i64,
        /// analyst, supervisor, admin, auditor (repeat or comma-separate for several)
        #[arg(long, value_delimiter = ',', required = true)]
        role: Vec<String>,
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: Option<String>,
    },
    /// Unlock an account locked after failed sign-ins.
    Unlock {
        #[command(flatten)]
        at: Location,
        #[arg(long)]
        email: String,
    },
    /// Disable an account (its sessions and tokens end) or enable it again.
    Disable {
        #[command(flatten)]
        at: Location,
        #[arg(long)]
        email: String,
        /// Enable instead of disable.
        #[arg(long)]
        enable: bool,
    },
    /// Allow (or with --withdraw, stop) a user to reveal tipsters' contact details.
    GrantReveal {
        #[command(flatten)]
        at: Location,
        #[arg(long)]
        email: String,
        #[arg(long)]
        withdraw: bool,
    },
    /// Remove a user's second factor; they set up a new one at next sign-in.
    ResetMfa {
        #[command(flatten)]
        at: Location,
        #[arg(long)]
        email: String,
    },
    /// Set a user's password, read from standard input (one line), under the password rules.
    Password {
        #[command(flatten)]
        at: Location,
        #[arg(long)]
        email: String,
    },
}

/// The administrator and the account named by `--email` (or `--user`).
async fn account(at: &Location, email: &str, flag: &str) -> anyhow::Result<(Admin, store::model::User)> {
    let admin = admin(at).await?;
    let user = admin.user(email).await.map_err(|e| match e {
        app::AppError::Invalid(_) => anyhow::anyhow!("--{flag}: no such user"),
        other => anyhow::anyhow!(other),
    })?;
    Ok((admin, user))
}

pub async fn user(c: UserCommand) -> anyhow::Result<()> {
    match c {
        UserCommand::Add { at, agency, role, email, name } => {
            let roles = roles(&role)?;
            let (user, password) =
                admin(&at).await?.create_user(agency, &email, name.as_deref(), roles).await.map_err(refused)?;
            println!("user {} created; password (shown once): {password}", user.id);
        }
        UserCommand::Unlock { at, email } => {
            let (admin, u) = account(&at, &email, "email").await?;
            admin.unlock(&u).await.map_err(refused)?;
            println!("{email} unlocked");
        }
        UserCommand::Disable { at, email, enable } => {
            let (admin, u) = account(&at, &email, "email").await?;
            admin.set_enabled(&u, enable).await.map_err(refused)?;
            println!("{email} {}", if enable { "enabled" } else { "disabled" });
        }
        UserCommand::GrantReveal { at, email, withdraw } => {
            let (admin, u) = account(&at, &email, "email").await?;
            admin.set_reveal(&u, !withdraw).await.map_err(refused)?;
            println!("{email} {} reveal tipsters' contact details", if withdraw { "may no longer" } else { "may now" });
        }
        UserCommand::ResetMfa { at, email } => {
            let (admin, u) = account(&at, &email, "email").await?;
            admin.reset_mfa(&u).await.map_err(refused)?;
            println!("{email}: second factor removed; a new one is set up at the next sign-in");
        }
        UserCommand::Password { at, email } => {
            let (admin, u) = account(&at, &email, "email").await?;
            let mut line = String::new();
            std::io::stdin().read_line(&mut line)?;
            let password = line.trim_end_matches(['\n', '\r']);
            match admin.set_password(&u, password, &app::policy::SecurityPolicy::default()).await {
                Err(app::AppError::Invalid(f)) => anyhow::bail!("the password {}", f.reason),
                other => other.map_err(refused)?,
            }
            println!("{email}: password set");
        }
    }
    Ok(())
}

#[derive(Subcommand)]
pub enum TokenCommand {
    /// Create an API token for a user and print it (shown once; stored hashed).
    Create {
        #[command(flatten)]
        at: Location,
        /// The user's e-mail.
        #[arg(long)]
        user: String,
        /// Days until it expires (default 90, at most 366).
        #[arg(long, default_value_t = 90)]
        expires_days: i64,
        /// Limit the token to these of the user's roles (default: all of them).
        #[arg(long, value_delimiter = ',')]
        role: Vec<String>,
        #[arg(long, default_value = "cli")]
        label: String,
    },
    /// List a user's tokens (never their secrets).
    List {
        #[command(flatten)]
        at: Location,
        #[arg(long)]
        user: String,
    },
    /// Revoke a token by id.
    Revoke {
        #[command(flatten)]
        at: Location,
        #[arg(long)]
        id: i64,
    },
}

pub async fn token(c: TokenCommand) -> anyhow::Result<()> {
    match c {
        TokenCommand::Create { at, user, expires_days, role, label } => {
            let (admin, u) = account(&at, &user, "user").await?;
            let token = admin.create_token(&u, expires_days, roles(&role)?, &label).await.map_err(refused)?;
            println!("{token}");
        }
        TokenCommand::List { at, user } => {
            let (admin, u) = account(&at, &user, "user").await?;
            for t in admin.tokens(&u).await.map_err(refused)? {
                let state = if t.revoked_at.is_some() { "revoked" } else { "active" };
                println!("{}\t{}\t{}\t{state}\texpires {:?}", t.id, t.kind.code(), t.label, t.expires_at);
            }
        }
        TokenCommand::Revoke { at, id } => {
            admin(&at).await?.revoke_token(id).await.map_err(refused)?;
            println!("token {id} revoked");
        }
    }
    Ok(())
}

#[derive(Subcommand)]
pub enum SettingsCommand {
    /// The agency that receives tips no site or jurisdiction matches.
    Fallback {
        #[command(flatten)]
        at: Location,
        #[arg(long)]
        agency: i64,
    },
    /// The time zone the console shows times in (an IANA name: America/Chicago); UTC until set.
    TimeZone {
        #[command(flatten)]
        at: Location,
        zone: String,
    },
}

pub async fn settings(c: SettingsCommand) -> anyhow::Result<()> {
    match c {
        SettingsCommand::Fallback { at, agency } => {
            admin(&at).await?.set_fallback(agency).await.map_err(refused)?;
            println!("fallback agency set to {agency}");
        }
        SettingsCommand::TimeZone { at, zone } => {
            let name = admin(&at).await?.set_time_zone(&zone).await.map_err(refused)?;
            println!("times are shown in {name} (running servers show it within seconds)");
        }
    }
    Ok(())
}
