//! The tip page's forms: each checks the session's CSRF token, calls the same desk or links
//! function the JSON API calls, and returns to the tip page with the outcome.

use super::staff::Console;
use crate::state::AppState;
use app::AppError;
use app::desk;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
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
    let ok = vault::same_secret(field(f, "csrf").as_bytes(), console.csrf.as_bytes());
    (!ok).then(|| {
        (StatusCode::FORBIDDEN, "the form was not sent from this console (missing or wrong CSRF token)").into_response()
    })
}

fn parse_id(f: &Fields, name: &str) -> Result<i64, AppError> {
    field(f, name).trim().parse().map_err(|_| AppError::invalid(name, "choose one"))
}

/// Back to the tip page with what happened; an absent tip or a failure on our side is a page
/// of its own.
/// The form's words for a field the use case names (the API's names stay in the API).
fn label(field: &str) -> &str {
    match field {
        "reason" => "Reason",
        "body" => "Message",
        "user_id" => "Assign to",
        "agency_id" => "Transfer to",
        "tier" => "Tier",
        "disposition" => "Disposition",
        "duplicate_of" => "The tip it duplicates",
        other => other,
    }
}

/// A refusal as the console says it: the API's flag named by the checkbox that sets it.
fn in_words(message: &str) -> String {
    message.replace(
        "close with prior_tips_reviewed set",
        "tick \"I have looked at the other tips on the same person\" and close again",
    )
}

/// Where on the tip page to come back to after an action: the form it was sent from (its id,
/// sent as `return_to`), so the person is where they were, not at the top.
fn anchor(f: &Fields) -> String {
    let to = field(f, "return_to");
    let safe = !to.is_empty() && to.len() <= 40 && to.chars().all(|c| c.is_ascii_lowercase() || c == '-');
    if safe { format!("#{to}") } else { String::new() }
}

async fn outcome(
    state: &AppState,
    console: &Console,
    tip: i64,
    anchor: &str,
    done: Result<&str, AppError>,
) -> Response {
    let (message, carried_out) = match done {
        Ok(msg) => (msg.to_owned(), true),
        Err(e @ (AppError::Broken(_) | AppError::NotFound)) => return super::failure::console(e),
        Err(AppError::Invalid(fe)) => (format!("Not done — {}: {}", label(&fe.field), fe.reason), false),
        Err(other) => (format!("Not done — {}", in_words(&other.to_string())), false),
    };
    super::notice::leave(state, console, &message, carried_out, &format!("/staff/tips/{tip}{anchor}")).await
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
    let done: Result<&str, AppError> = async {
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
                let tier = Tier::parse(field(&f, "tier")).ok_or_else(|| AppError::invalid("tier", "choose a tier"))?;
                desk::override_tier(s, &v, id, tier, field(&f, "reason")).await.map(|waits| {
                    if waits {
                        "Lowering sent to a supervisor; until approved the tier and its deadline stand."
                    } else {
                        "Tier changed; the original is kept."
                    }
                })
            }
            "tier-review" => {
                let approve = field(&f, "approve") == "true";
                desk::review_tier(s, &v, id, approve, field(&f, "reason"))
                    .await
                    .map(|_| if approve { "Lowering approved." } else { "Lowering refused; the tier stands." })
            }
            "close" => {
                let d = Disposition::parse(field(&f, "disposition"))
                    .ok_or_else(|| AppError::invalid("disposition", "choose a disposition"))?;
                let closing = desk::Closing {
                    disposition: d,
                    reason: field(&f, "reason"),
                    prior_tips_reviewed: field(&f, "prior_tips_reviewed") == "on",
                    duplicate_of: Some(field(&f, "duplicate_of")),
                };
                desk::close(s, &v, id, closing)
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
            _ => Err(AppError::NotFound),
        }
    }
    .await;
    outcome(&state, &console, id, &anchor(&f), done).await
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
    let Ok(tip) = field(&f, "tip_id").parse::<i64>() else {
        return super::failure::console(AppError::invalid("tip_id", "the form names no tip"));
    };
    let v = console.viewer();
    let reason = field(&f, "reason");
    let done = match action.as_str() {
        "confirm" => {
            app::links::decide_link(&state, &v, id, LinkDecision::Confirm, reason).await.map(|_| "Link confirmed.")
        }
        "reject" => {
            app::links::decide_link(&state, &v, id, LinkDecision::Reject, reason).await.map(|_| "Link rejected.")
        }
        "undo" => app::links::decide_link(&state, &v, id, LinkDecision::Undo, reason).await.map(|_| "Decision undone."),
        "request-access" => app::links::request_access(&state, &v, id, reason).await.map(|_| "Access requested."),
        _ => Err(AppError::NotFound),
    };
    outcome(&state, &console, tip, &anchor(&f), done).await
}

pub fn router() -> axum::Router<AppState> {
    use axum::routing::post;
    axum::Router::new()
        .route("/staff/tips/{id}/{action}", post(act))
        .route("/staff/links/{id}/{action}", post(link_act))
}
