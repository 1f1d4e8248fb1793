//! The tip page's forms: each checks the session's CSRF token, calls the same desk or links
//! function the JSON API calls, and returns to the tip page with the outcome.

use super::staff::Console;
use crate::desk;
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::FieldError;
use domain::link::LinkDecision;
use domain::status::Disposition;
use domain::urgency::Tier;
use std::collections::HashMap;

type Fields = HashMap<String, String>;

fn field<'a>(f: &'a Fields, name: &str) -> &'a str {
    f.get(name).map(String::as_str).unwrap_or("")
}

/// Refuses a form that does not carry this session's CSRF token (compared in constant time).
pub fn forged(console: &Console, f: &Fields) -> Option<Response> {
    let sent = field(f, "csrf").as_bytes();
    let want = console.csrf.as_bytes();
    let ok = sent.len() == want.len() && sent.iter().zip(want).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0;
    (!ok).then(|| {
        (StatusCode::FORBIDDEN, "the form was not sent from this console (missing or wrong CSRF token)").into_response()
    })
}

fn back(tip: i64, message: &str) -> Response {
    let mut encoded = String::new();
    for b in message.bytes() {
        if b.is_ascii_alphanumeric() {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    Redirect::to(&format!("/staff/tips/{tip}?flash={encoded}")).into_response()
}

fn parse_id(f: &Fields, name: &str) -> Result<i64, ApiError> {
    field(f, name).trim().parse().map_err(|_| ApiError::Invalid(FieldError::new(name, "choose one")))
}

fn outcome(tip: i64, done: Result<&str, ApiError>) -> Response {
    match done {
        Ok(msg) => back(tip, msg),
        Err(ApiError::Internal(e)) => ApiError::Internal(e).into_response(),
        Err(ApiError::NotFound) => ApiError::NotFound.into_response(),
        Err(e) => {
            let text = match &e {
                ApiError::Invalid(fe) | ApiError::Malformed(fe) => format!("Not done — {}: {}", fe.field, fe.reason),
                other => format!("Not done — {other}"),
            };
            back(tip, &text)
        }
    }
}

pub async fn act(
    State(state): State<AppState>,
    console: Console,
    Path((id, action)): Path<(i64, String)>,
    Form(f): Form<Fields>,
) -> Response {
    if let Some(refused) = forged(&console, &f) {
        return refused;
    }
    let v = console.viewer();
    let s = &state;
    let done: Result<&str, ApiError> = async {
        match action.as_str() {
            "acknowledge" => desk::acknowledge(s, &v, id).await.map(|_| "Acknowledged."),
            "assign" => desk::assign(s, &v, id, parse_id(&f, "user_id")?).await.map(|_| "Assigned."),
            "message" => {
                desk::message_tipster(s, &v, id, field(&f, "body")).await.map(|_| "Question sent to the tipster.")
            }
            "transfer" => {
                desk::transfer(s, &v, id, parse_id(&f, "agency_id")?, field(&f, "reason")).await.map(|_| "Transferred.")
            }
            "decline" => {
                desk::decline(s, &v, id, field(&f, "reason")).await.map(|_| "Declined; the tip was routed again.")
            }
            "tier" => {
                let tier = Tier::parse(field(&f, "tier"))
                    .ok_or_else(|| ApiError::Invalid(FieldError::new("tier", "choose a tier")))?;
                desk::override_tier(s, &v, id, tier, field(&f, "reason"))
                    .await
                    .map(|_| "Tier changed; the original is kept.")
            }
            "close" => {
                let d = Disposition::parse(field(&f, "disposition"))
                    .ok_or_else(|| ApiError::Invalid(FieldError::new("disposition", "choose a disposition")))?;
                let reviewed = field(&f, "prior_tips_reviewed") == "on";
                desk::close(s, &v, id, d, field(&f, "reason"), reviewed)
                    .await
                    .map(|review| if review { "Sent for second review by a supervisor." } else { "Closed." })
            }
            "review" => {
                let approve = field(&f, "approve") == "true";
                desk::review(s, &v, id, approve, field(&f, "reason"))
                    .await
                    .map(|_| if approve { "Close approved." } else { "Sent back." })
            }
            "reopen" => desk::reopen(s, &v, id, field(&f, "reason")).await.map(|_| "Reopened."),
            _ => Err(ApiError::NotFound),
        }
    }
    .await;
    outcome(id, done)
}

pub async fn link_act(
    State(state): State<AppState>,
    console: Console,
    Path((id, action)): Path<(i64, String)>,
    Form(f): Form<Fields>,
) -> Response {
    if let Some(refused) = forged(&console, &f) {
        return refused;
    }
    let tip: i64 = field(&f, "tip_id").parse().unwrap_or(0);
    let v = console.viewer();
    let reason = field(&f, "reason");
    let done = match action.as_str() {
        "confirm" => {
            crate::links::decide_link(&state, &v, id, LinkDecision::Confirm, reason).await.map(|_| "Link confirmed.")
        }
        "reject" => {
            crate::links::decide_link(&state, &v, id, LinkDecision::Reject, reason).await.map(|_| "Link rejected.")
        }
        "undo" => {
            crate::links::decide_link(&state, &v, id, LinkDecision::Undo, reason).await.map(|_| "Decision undone.")
        }
        "request-access" => crate::links::request_access(&state, &v, id, reason).await.map(|_| "Access requested."),
        _ => Err(ApiError::NotFound),
    };
    outcome(tip, done)
}
