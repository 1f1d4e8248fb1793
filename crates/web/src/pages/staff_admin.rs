//! Administration from the console (admins only): add agencies, sites and staff users, set the
//! fallback agency, and manage the users of the administrator's agency (unlock, disable or
//! enable, reset the second factor, change roles) — through `app::admin`, the same code as the
//! `sightline` command, every change audited.

use super::staff::Console;
use crate::state::AppState;
use app::AppError;
use app::admin::{Admin, AgencyInput, SiteInput};
use axum::extract::{Form, Path, State};
use axum::response::Response;
use domain::routing::{AgencyKind, SiteKind};
use domain::staff::Role;
use std::collections::HashMap;

type Fields = HashMap<String, String>;

fn field<'a>(f: &'a Fields, name: &str) -> &'a str {
    f.get(name).map(|s| s.trim()).unwrap_or("")
}

fn optional<T: std::str::FromStr>(f: &Fields, name: &str, why: &str) -> Result<Option<T>, AppError> {
    match field(f, name) {
        "" => Ok(None),
        v => v.parse().map(Some).map_err(|_| AppError::invalid(name, why)),
    }
}

fn chosen(f: &Fields, name: &str) -> Result<i64, AppError> {
    optional(f, name, "choose an agency")?.ok_or_else(|| AppError::invalid(name, "choose an agency"))
}

pub async fn create(
    State(state): State<AppState>,
    console: Console,
    Path(what): Path<String>,
    Form(f): Form<Fields>,
) -> Response {
    if let Some(refused) = super::staff_actions::forged(&console, &f) {
        return refused;
    }
    let admin = match Admin::for_viewer(&state, &console.viewer()) {
        Ok(a) => a,
        Err(e) => return super::failure::console(e),
    };
    let done: Result<String, AppError> = async {
        match what.as_str() {
            "agency" => {
                let kind =
                    AgencyKind::parse(field(&f, "kind")).ok_or_else(|| AppError::invalid("kind", "choose a kind"))?;
                let jurisdiction = Some(field(&f, "jurisdiction")).filter(|j| !j.is_empty()).map(str::to_owned);
                let input = AgencyInput {
                    name: field(&f, "name").to_owned(),
                    kind,
                    jurisdiction,
                    partner: optional(&f, "partner", "choose an agency")?,
                    ack_policy: None,
                };
                Ok(format!("Agency {} added.", admin.create_agency(input).await?.name))
            }
            "site" => {
                let input = SiteInput {
                    name: field(&f, "name").to_owned(),
                    kind: match field(&f, "kind") {
                        "" => None,
                        k => Some(SiteKind::parse(k).ok_or_else(|| AppError::invalid("kind", "choose a kind"))?),
                    },
                    owner: chosen(&f, "owner")?,
                    lat: optional(&f, "lat", "must be a number")?,
                    lon: optional(&f, "lon", "must be a number")?,
                    address: Some(field(&f, "address").to_owned()),
                };
                Ok(format!("Site {} added.", admin.create_site(input).await?.name))
            }
            "user" => {
                let role = Role::parse(field(&f, "role"))?;
                let (u, password) =
                    admin.create_user(chosen(&f, "agency")?, field(&f, "email"), None, vec![role]).await?;
                Ok(format!("User {} added (id {}). One-time password, shown only now: {password}", u.email, u.id))
            }
            "fallback" => {
                admin.set_fallback(chosen(&f, "agency")?).await?;
                Ok("Fallback agency set.".to_owned())
            }
            _ => Err(AppError::NotFound),
        }
    }
    .await;
    state.invalidate_routing().await;
    let message = match done {
        Ok(message) => message,
        Err(AppError::Invalid(e)) => format!("Not done — {}: {}", e.field, e.reason),
        Err(AppError::Conflict(why)) => format!("Not done — {why}"),
        Err(e) => return super::failure::console(e),
    };
    super::notice::leave(&state, &console, &message, false, "/staff/admin").await
}

/// The roles an administrator may give on the console; the instance-wide auditor is given
/// only at the machine.
pub const CONSOLE_ROLES: [Role; 4] = [Role::Analyst, Role::Supervisor, Role::Admin, Role::Auditor];

/// One change to a user of the administrator's own agency.
pub async fn manage_user(
    State(state): State<AppState>,
    console: Console,
    Path((id, action)): Path<(i64, String)>,
    Form(f): Form<Fields>,
) -> Response {
    if let Some(refused) = super::staff_actions::forged(&console, &f) {
        return refused;
    }
    let viewer = console.viewer();
    let done: Result<String, AppError> = async {
        let admin = Admin::for_viewer(&state, &viewer)?;
        let user = admin.managed_user(Some(viewer.agency_id), id).await?;
        match action.as_str() {
            "unlock" => admin.unlock(&user).await.map(|_| format!("{} can sign in again.", user.email)),
            "disable" if user.id == viewer.user_id => Err(AppError::Conflict("you cannot disable yourself".into())),
            "disable" => admin
                .set_enabled(&user, false)
                .await
                .map(|_| format!("{} is disabled; their sessions and tokens ended.", user.email)),
            "enable" => admin.set_enabled(&user, true).await.map(|_| format!("{} is enabled.", user.email)),
            "reset-mfa" => admin.reset_mfa(&user).await.map(|_| {
                format!("{}'s second factor is reset; they set up a new one at their next sign-in.", user.email)
            }),
            "roles" => {
                // An instance-wide auditor keeps that role: it is given and taken at the machine.
                let kept = user.roles.iter().copied().filter(|r| !CONSOLE_ROLES.contains(r));
                let chosen = CONSOLE_ROLES.into_iter().filter(|r| field(&f, &format!("role_{}", r.code())) == "on");
                admin
                    .set_roles(&user, kept.chain(chosen).collect())
                    .await
                    .map(|_| format!("{}'s roles are changed.", user.email))
            }
            _ => Err(AppError::NotFound),
        }
    }
    .await;
    let message = match done {
        Ok(message) => message,
        Err(AppError::Invalid(e)) => format!("Not done — {}", e.reason),
        Err(AppError::Conflict(why)) => format!("Not done — {why}"),
        Err(e) => return super::failure::console(e),
    };
    super::notice::leave(&state, &console, &message, false, "/staff/admin").await
}

pub fn router() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/staff/admin/{what}", axum::routing::post(create))
        .route("/staff/admin/users/{id}/{action}", axum::routing::post(manage_user))
}
