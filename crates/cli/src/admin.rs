//! Administration on the local store: agencies, sites, contacts, users, tokens, settings.
//! The same rules as the server: every change is audited (actor `cli`).

use crate::Location;
use clap::Subcommand;
use domain::routing::AgencyKind;
use domain::staff::Role;
use std::path::PathBuf;
use store::model::*;
use web::secrets::{hash_password, new_token, token_hash};

fn now() -> i64 {
    use web::clock::{Clock, SystemClock};
    SystemClock.now().0
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
                Some(path) => {
                    let text = std::fs::read_to_string(&path)?;
                    web::geo::parse_jurisdiction(&text).map_err(|e| anyhow::anyhow!("--jurisdiction: {e}"))?;
                    Some(text)
                }
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
                    if v.iter().any(|m| *m <= 0) {
                        anyhow::bail!("--ack-minutes: every window must be at least one minute");
                    }
                    Some([a * 60_000, b * 60_000, c * 60_000, d * 60_000])
                }
            };
            let store = at.open().await?;
            let a = store
                .create_agency(
                    NewAgency { name, kind, jurisdiction, partner_agency_id: partner, ack_policy },
                    "cli",
                    now(),
                )
                .await?;
            println!("{}", a.id);
        }
        AgencyCommand::List { at } => {
            let store = at.open().await?;
            for a in store.list_agencies().await? {
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
        /// school, campus, house_of_worship, …
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
    if let (Some(lat), Some(lon)) = (lat, lon) {
        domain::tip::GeoPoint::parse(lat, lon)?;
    }
    let store = at.open().await?;
    let s = store.create_site(NewSite { name, kind, owner_agency_id: agency, lat, lon, address }, "cli", now()).await?;
    println!("{}", s.id);
    Ok(())
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
    if !(webhook.starts_with("https://") || webhook.starts_with("http://")) {
        anyhow::bail!("--webhook: must be an http(s) URL");
    }
    let store = at.open().await?;
    let c =
        store.create_contact(NewContact { agency_id: agency, role, name, webhook_url: webhook }, "cli", now()).await?;
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

async fn account(at: &Location, email: &str) -> anyhow::Result<(std::sync::Arc<dyn store::Store>, User)> {
    let store = at.open().await?;
    let user = store.user_by_email(email).await?.ok_or_else(|| anyhow::anyhow!("--email: no such user"))?;
    Ok((store, user))
}

pub async fn user(c: UserCommand) -> anyhow::Result<()> {
    use domain::audit::AuditAction;
    match c {
        UserCommand::Add { at, agency, role, email, name } => {
            let roles: Vec<Role> = role.iter().map(|r| Role::parse(r.trim())).collect::<Result<_, _>>()?;
            if !email.contains('@') || email.len() > 254 {
                anyhow::bail!("--email: not an e-mail address");
            }
            let store = at.open().await?;
            if !store.list_agencies().await?.iter().any(|a| a.id == agency) {
                anyhow::bail!("--agency: no agency with id {agency}");
            }
            let password: String = new_token("pw").chars().skip(3).take(20).collect();
            let user = store
                .create_user(
                    NewUser {
                        agency_id: agency,
                        display_name: name.unwrap_or_else(|| email.clone()),
                        email,
                        roles,
                        password_hash: hash_password(&password, false)?,
                    },
                    "cli",
                    now(),
                )
                .await?;
            println!("user {} created; password (shown once): {password}", user.id);
        }
        UserCommand::Unlock { at, email } => {
            let (store, u) = account(&at, &email).await?;
            store
                .update_account(
                    u.id,
                    true,
                    None,
                    None,
                    NewAudit::new(now(), "cli", AuditAction::AccountUnlocked, format!("user:{}", u.id)),
                )
                .await?;
            println!("{email} unlocked");
        }
        UserCommand::Disable { at, email, enable } => {
            let (store, u) = account(&at, &email).await?;
            let action = if enable { AuditAction::AccountUpdated } else { AuditAction::AccountDisabled };
            let audit = NewAudit::new(now(), "cli", action, format!("user:{}", u.id)).reason(if enable {
                "enabled"
            } else {
                "disabled by an administrator"
            });
            // Enabling also restarts the idle clock, or the account would be disabled again at once.
            store.update_account(u.id, enable, Some(!enable), None, audit).await?;
            println!("{email} {}", if enable { "enabled" } else { "disabled" });
        }
        UserCommand::GrantReveal { at, email, withdraw } => {
            let (store, u) = account(&at, &email).await?;
            let audit = NewAudit::new(now(), "cli", AuditAction::AccountUpdated, format!("user:{}", u.id))
                .detail(serde_json::json!({"can_reveal_contact": !withdraw}));
            store.update_account(u.id, false, None, Some(!withdraw), audit).await?;
            println!("{email} {} reveal tipsters' contact details", if withdraw { "may no longer" } else { "may now" });
        }
        UserCommand::ResetMfa { at, email } => {
            let (store, u) = account(&at, &email).await?;
            let audit = NewAudit::new(now(), "cli", AuditAction::MfaReset, format!("user:{}", u.id))
                .reason("reset by an administrator");
            store.set_mfa(u.id, None, None, vec![], Some(audit)).await?;
            println!("{email}: second factor removed; a new one is set up at the next sign-in");
        }
        UserCommand::Password { at, email } => {
            let (store, u) = account(&at, &email).await?;
            let mut line = String::new();
            std::io::stdin().read_line(&mut line)?;
            let password = line.trim_end_matches(['\n', '\r']);
            if let Some(problem) = web::policy::SecurityPolicy::default().password_problem(password, &u.email) {
                anyhow::bail!("the password {problem}");
            }
            store
                .set_password(
                    u.id,
                    &hash_password(password, false)?,
                    NewAudit::new(now(), "cli", AuditAction::AccountUpdated, format!("user:{}", u.id))
                        .reason("password set"),
                )
                .await?;
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
            if !(1..=366).contains(&expires_days) {
                anyhow::bail!("--expires-days: from 1 to 366");
            }
            let store = at.open().await?;
            let user = store.user_by_email(&user).await?.ok_or_else(|| anyhow::anyhow!("--user: no such user"))?;
            let scope = if role.is_empty() {
                None
            } else {
                let roles: Vec<Role> = role.iter().map(|r| Role::parse(r.trim())).collect::<Result<_, _>>()?;
                if let Some(r) = roles.iter().find(|r| !user.roles.contains(r)) {
                    anyhow::bail!("--role: the user does not have the role {}", r.code());
                }
                Some(roles)
            };
            let token = new_token("slt");
            let now = now();
            store
                .create_token(
                    NewToken {
                        user_id: user.id,
                        token_hash: token_hash(&token),
                        label,
                        expires_at: Some(now + expires_days * 86_400_000),
                        scope_roles: scope,
                        ..Default::default()
                    },
                    "cli",
                    now,
                )
                .await?;
            println!("{token}");
        }
        TokenCommand::List { at, user } => {
            let (store, u) = account(&at, &user).await?;
            for t in store.list_tokens(u.id).await? {
                let state = if t.revoked_at.is_some() { "revoked" } else { "active" };
                println!("{}\t{}\t{}\t{state}\texpires {:?}", t.id, t.kind, t.label, t.expires_at);
            }
        }
        TokenCommand::Revoke { at, id } => {
            let store = at.open().await?;
            store
                .revoke_token(
                    id,
                    NewAudit::new(now(), "cli", domain::audit::AuditAction::TokenRevoked, format!("token:{id}")),
                )
                .await?;
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
}

pub async fn settings(c: SettingsCommand) -> anyhow::Result<()> {
    let SettingsCommand::Fallback { at, agency } = c;
    let store = at.open().await?;
    if !store.list_agencies().await?.iter().any(|a| a.id == agency) {
        anyhow::bail!("--agency: no agency with id {agency}");
    }
    store.set_setting(web::state::FALLBACK_SETTING, &agency.to_string()).await?;
    println!("fallback agency set to {agency}");
    Ok(())
}
