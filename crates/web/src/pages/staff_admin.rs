//! Administration from the console (admins only): add agencies, sites and staff users, and set
//! the fallback agency. The same store calls as the `sightline` command; every change audited.

use super::staff::Console;
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use domain::FieldError;
use domain::routing::AgencyKind;
use domain::staff::Role;
use std::collections::HashMap;
use store::model::{NewAgency, NewSite, NewUser};

type Fields = HashMap<String, String>;

fn field<'a>(f: &'a Fields, name: &str) -> &'a str {
    f.get(name).map(|s| s.trim()).unwrap_or("")
}

fn back(message: &str) -> Response {
    let encoded: String = message
        .bytes()
        .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect();
    Redirect::to(&format!("/staff/admin?flash={encoded}")).into_response()
}

fn optional_f64(f: &Fields, name: &str) -> Result<Option<f64>, FieldError> {
    match field(f, name) {
        "" => Ok(None),
        v => v.parse().map(Some).map_err(|_| FieldError::new(name, "must be a number")),
    }
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
    if !console.user.roles.contains(&Role::Admin) {
        return ApiError::Forbidden("administration needs the admin role".into()).into_response();
    }
    let actor = format!("user:{}", console.user.id);
    let now = state.now();
    let done: Result<String, ApiError> = async {
        match what.as_str() {
            "agency" => {
                let name = domain::tip::short_text("name", Some(field(&f, "name")))?
                    .ok_or_else(|| FieldError::new("name", "is required"))?;
                let kind =
                    AgencyKind::parse(field(&f, "kind")).ok_or_else(|| FieldError::new("kind", "choose a kind"))?;
                let jurisdiction = match field(&f, "jurisdiction") {
                    "" => None,
                    text => {
                        crate::geo::parse_jurisdiction(text).map_err(|e| FieldError::new("jurisdiction", e))?;
                        Some(text.to_owned())
                    }
                };
                let partner = match field(&f, "partner") {
                    "" => None,
                    p => Some(p.parse::<i64>().map_err(|_| FieldError::new("partner", "choose an agency"))?),
                };
                let a = state
                    .store
                    .create_agency(
                        NewAgency { name, kind, jurisdiction, partner_agency_id: partner, ack_policy: None },
                        &actor,
                        now,
                    )
                    .await?;
                Ok(format!("Agency {} added.", a.name))
            }
            "site" => {
                let name = domain::tip::short_text("name", Some(field(&f, "name")))?
                    .ok_or_else(|| FieldError::new("name", "is required"))?;
                let owner: i64 =
                    field(&f, "owner").parse().map_err(|_| FieldError::new("owner", "choose an agency"))?;
                let (lat, lon) = (optional_f64(&f, "lat")?, optional_f64(&f, "lon")?);
                if let (Some(lat), Some(lon)) = (lat, lon) {
                    domain::tip::GeoPoint::parse(lat, lon)?;
                }
                let kind = match field(&f, "kind") {
                    "" => "school".to_owned(),
                    k => k.to_owned(),
                };
                let address = domain::tip::short_text("address", Some(field(&f, "address")))?;
                let s = state
                    .store
                    .create_site(NewSite { name, kind, owner_agency_id: owner, lat, lon, address }, &actor, now)
                    .await?;
                Ok(format!("Site {} added.", s.name))
            }
            "user" => {
                let email = field(&f, "email").to_owned();
                if !email.contains('@') || email.len() > 254 {
                    return Err(FieldError::new("email", "is not an e-mail address").into());
                }
                let agency: i64 =
                    field(&f, "agency").parse().map_err(|_| FieldError::new("agency", "choose an agency"))?;
                let role = Role::parse(field(&f, "role"))?;
                let password: String = crate::secrets::new_token("pw").chars().skip(3).take(20).collect();
                let hash = crate::secrets::hash_password(&password, state.options.fast_password_hash)?;
                let u = state
                    .store
                    .create_user(
                        NewUser {
                            agency_id: agency,
                            email: email.clone(),
                            display_name: email.clone(),
                            roles: vec![role],
                            password_hash: hash,
                        },
                        &actor,
                        now,
                    )
                    .await?;
                Ok(format!("User {} added (id {}). One-time password, shown only now: {password}", u.email, u.id))
            }
            "fallback" => {
                let agency: i64 =
                    field(&f, "agency").parse().map_err(|_| FieldError::new("agency", "choose an agency"))?;
                state.store.set_setting(crate::state::FALLBACK_SETTING, &agency.to_string()).await?;
                Ok("Fallback agency set.".to_owned())
            }
            _ => Err(ApiError::NotFound),
        }
    }
    .await;
    state.invalidate_routing().await;
    match done {
        Ok(message) => back(&message),
        Err(ApiError::Invalid(e)) => back(&format!("Not done — {}: {}", e.field, e.reason)),
        Err(ApiError::Conflict(why)) => back(&format!("Not done — {why}")),
        Err(e) => e.into_response(),
    }
}
