//! Wall displays: the read-only queue on the desk's screen (`/wall`, through the display's own
//! cookie), and the supervisor's page that makes and revokes them (`/staff/displays`).

use super::cookies::{cookie, session_cookie};
use super::render;
use super::staff::{Console, Row};
use crate::state::AppState;
use app::AppError;
use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use std::collections::HashMap;

const WALL_COOKIE: &str = "sl_wall";

#[derive(Template)]
#[template(path = "wall.html")]
struct WallPage {
    agency: String,
    at: String,
    shows_narratives: bool,
    rows: Vec<Row>,
}

#[derive(Deserialize)]
pub struct Connect {
    key: String,
}

/// The link a supervisor opens on the wall's screen: the key becomes the screen's cookie and
/// leaves the address bar.
pub async fn connect(Query(c): Query<Connect>) -> Response {
    let max_age = app::displays::DISPLAY_DAYS * 86_400;
    let set = [(header::SET_COOKIE, session_cookie(WALL_COOKIE, c.key.trim(), "/wall", max_age))];
    (set, Redirect::to("/wall")).into_response()
}

pub async fn wall(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let gone = || {
        let text = "This screen's wall display has ended or was revoked. A supervisor can make a new one on the console (Wall displays).";
        (StatusCode::UNAUTHORIZED, text).into_response()
    };
    let Some(key) = cookie(&headers, WALL_COOKIE) else { return gone() };
    let wall = match app::displays::wall(&state, &key).await {
        Ok(Some(w)) => w,
        Ok(None) => return gone(),
        Err(e) => return super::failure::console(e),
    };
    let routing = match state.routing().await {
        Ok(r) => r,
        Err(e) => return super::failure::console(e),
    };
    let now = state.now();
    let page = WallPage {
        agency: routing.agency_name(wall.agency_id),
        at: routing.zone.day(now, now),
        shows_narratives: wall.shows_narratives,
        rows: wall.tips.iter().map(|t| super::staff::row(t, now, wall.agency_id)).collect(),
    };
    render(StatusCode::OK, &page)
}

#[derive(Template)]
#[template(path = "staff/displays.html")]
struct DisplaysPage {
    console: Console,
    displays: Vec<(store::model::TokenRow, String)>,
    new_link: Option<String>,
    flash: Option<String>,
}

impl DisplaysPage {
    fn created(&self, d: &store::model::TokenRow) -> String {
        domain::time::rfc3339(d.created_at)
    }
}

async fn displays_page(state: &AppState, console: Console, new_link: Option<String>) -> Response {
    let flash = super::notice::take(state, &console, "/staff/displays").await.map(|n| n.text);
    match app::displays::list(state, &console.viewer()).await {
        Ok(displays) => render(StatusCode::OK, &DisplaysPage { console, displays, new_link, flash }),
        Err(e) => super::failure::console(e),
    }
}

pub async fn displays(State(state): State<AppState>, console: Console) -> Response {
    displays_page(&state, console, None).await
}

type Fields = HashMap<String, String>;

pub async fn create(
    State(state): State<AppState>,
    console: Console,
    headers: HeaderMap,
    Form(f): Form<Fields>,
) -> Response {
    if let Some(refused) = super::staff_actions::forged(&console, &f) {
        return refused;
    }
    let name = f.get("name").map(String::as_str).unwrap_or("");
    let narratives = f.get("narratives").is_some_and(|v| v == "on");
    match app::displays::create(&state, &console.viewer(), name, narratives).await {
        Ok(key) => {
            // The link as the supervisor reached this server, for the screen to open.
            let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
            let local = ["localhost", "127.0.0.1", "[::1]"]
                .iter()
                .any(|l| host.split(':').next() == Some(l) || host.starts_with(l));
            let scheme = if local { "http" } else { "https" };
            let link = format!("{scheme}://{host}/wall/connect?key={key}");
            displays_page(&state, console, Some(link)).await
        }
        Err(AppError::Invalid(e)) => {
            super::notice::leave(&state, &console, &format!("Not done — {}", e.reason), false, "/staff/displays").await
        }
        Err(e) => super::failure::console(e),
    }
}

pub async fn revoke(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
    Form(f): Form<Fields>,
) -> Response {
    if let Some(refused) = super::staff_actions::forged(&console, &f) {
        return refused;
    }
    match app::displays::revoke(&state, &console.viewer(), id).await {
        Ok(()) => {
            super::notice::leave(
                &state,
                &console,
                "The display is revoked; its screen shows the queue no more.",
                true,
                "/staff/displays",
            )
            .await
        }
        Err(e) => super::failure::console(e),
    }
}

pub fn router() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/wall", get(wall))
        .route("/wall/connect", get(connect))
        .route("/staff/displays", get(displays).post(create))
        .route("/staff/displays/{id}/revoke", post(revoke))
}
