//! The staff console: sign-in, the live queue, a tip's page, the supervisor dashboard, the
//! administration lists, CSV export, attachment downloads.

use super::cookies::{clear_cookie, cookie, session_cookie};
use super::render;
use crate::abuse::{Limited, StaffSignIn};
use crate::state::AppState;
use crate::views::tip::TipDetailView;
use app::AppError;
use askama::Template;
use axum::extract::{Form, FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Redirect, Response};
use domain::staff::{Role, Viewer};
use domain::time::rfc3339;
use futures_util::stream::Stream;
use serde::Deserialize;
use store::model::{TipRow, User};

pub const STAFF_COOKIE: &str = "sl_staff";
/// A console session lasts at most this long (idle limits come with the CJIS controls).
const SESSION_MS: i64 = 12 * 60 * 60 * 1000;

/// A signed-in staff member on a page: a session cookie, or off to the sign-in page.
pub struct Console {
    pub user: User,
    pub csrf: String,
    /// The session, for notices kept with it (`pages::notice`).
    pub session_id: i64,
    /// The password is a first one someone else chose (only `/staff/password` opens).
    pub must_change_password: bool,
    /// The instance's time zone and the server's clock, for the times people read.
    pub zone: domain::zone::Zone,
    pub now: i64,
}

impl Console {
    pub fn viewer(&self) -> Viewer {
        self.user.viewer()
    }

    /// An instant the views carry (RFC 3339, UTC) as people here read it: "Wed 2 Dec 10:43 CST · 5 min ago".
    pub fn local(&self, rfc3339: &str) -> String {
        self.zone.local_text(rfc3339, self.now)
    }

    /// The day and time only, for an instant shown beside a live countdown.
    pub fn local_day(&self, rfc3339: &str) -> String {
        self.zone.local_text_only(rfc3339, self.now)
    }

    /// The same, for an optional instant (empty when absent).
    pub fn local_opt(&self, rfc3339: &Option<String>) -> String {
        rfc3339.as_deref().map(|t| self.local(t)).unwrap_or_default()
    }
}

impl FromRequestParts<AppState> for Console {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let to = |path: &str| Redirect::to(path).into_response();
        let token = cookie(&parts.headers, STAFF_COOKIE).ok_or_else(|| to("/staff/login"))?;
        match app::auth::authenticate(state, &token, domain::staff::TokenKind::Session, true).await {
            // A first password someone else chose is replaced before anything else is shown.
            Ok(Ok(auth)) if auth.must_change_password && !super::account::PATHS.contains(&parts.uri.path()) => {
                Err(to(super::account::PASSWORD_PATH))
            }
            Ok(Ok(auth)) => {
                let zone = state.routing().await.map_err(super::failure::console)?.zone.clone();
                Ok(Console {
                    csrf: csrf_token(state, &token),
                    session_id: auth.token.id,
                    must_change_password: auth.must_change_password,
                    user: auth.user,
                    zone,
                    now: state.now(),
                })
            }
            Ok(Err(app::auth::Rejected::NeedsSecondFactor)) => Err(to("/staff/mfa")),
            Ok(Err(app::auth::Rejected::Idle)) => Err(to("/staff/login?ended=idle")),
            Ok(Err(_)) => Err(to("/staff/login")),
            Err(e) => Err(super::failure::console(e)),
        }
    }
}

/// A session whose second factor is not yet checked: only the MFA pages accept it.
pub struct PendingConsole {
    pub auth: app::auth::Authenticated,
    pub csrf: String,
}

impl FromRequestParts<AppState> for PendingConsole {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let to_login = || Redirect::to("/staff/login").into_response();
        let token = cookie(&parts.headers, STAFF_COOKIE).ok_or_else(to_login)?;
        match app::auth::authenticate(state, &token, domain::staff::TokenKind::Session, false).await {
            Ok(Ok(auth)) => Ok(PendingConsole { csrf: csrf_token(state, &token), auth }),
            Ok(Err(_)) => Err(to_login()),
            Err(e) => Err(super::failure::console(e)),
        }
    }
}

/// The form token bound to a session: a page from another site cannot know it.
pub fn csrf_token(state: &AppState, session: &str) -> String {
    state.secrets.keyed_hash("csrf", session)
}

#[derive(Template)]
#[template(path = "staff/login.html")]
struct LoginPage {
    message: Option<String>,
}

#[derive(Deserialize)]
pub struct LoginQuery {
    ended: Option<String>,
}

pub async fn login_form(State(state): State<AppState>, Query(q): Query<LoginQuery>) -> Response {
    let minutes = state.options.security.session_idle_ms / 60_000;
    let message = q.ended.as_deref().map(|why| match why {
        "everywhere" => {
            "You are signed out everywhere: every console session of yours has ended. Sign in again.".into()
        }
        _ => format!("You were signed out after {minutes} minutes without activity. Sign in again."),
    });
    render(StatusCode::OK, &LoginPage { message })
}

#[derive(Deserialize)]
pub struct Login {
    email: String,
    password: String,
}

pub async fn login(
    State(state): State<AppState>,
    _: Limited<StaffSignIn>,
    client: crate::abuse::ClientBucket,
    Form(f): Form<Login>,
) -> Response {
    match app::auth::password_sign_in(&state, &f.email, &f.password, &client.0).await {
        Ok(app::auth::SignIn::Session { token, needs_setup }) => {
            let next = if needs_setup { "/staff/mfa/setup" } else { "/staff/mfa" };
            (
                [(header::SET_COOKIE, session_cookie(STAFF_COOKIE, &token, "/staff", SESSION_MS / 1000))],
                Redirect::to(next),
            )
                .into_response()
        }
        // One answer whatever the cause: it must not tell which e-mails have accounts.
        Ok(app::auth::SignIn::Refused) => render(
            StatusCode::UNAUTHORIZED,
            &LoginPage {
                message: Some(
                    "That e-mail and password do not match an active account. After several failed tries, \
                     sign-in from this device waits a few minutes; an administrator can help."
                        .to_owned(),
                ),
            },
        ),
        Err(e) => super::failure::console(e),
    }
}

pub async fn logout(State(state): State<AppState>, headers: axum::http::HeaderMap) -> Response {
    let clear = [(header::SET_COOKIE, clear_cookie(STAFF_COOKIE, "/staff"))];
    // The browser forgets the session either way; if the server could not end it, the person is
    // told (it still ends when idle) rather than shown a sign-in page as if it had.
    if let Some(token) = cookie(&headers, STAFF_COOKIE)
        && let Err(e) = app::auth::sign_out(&state, &token).await
    {
        return (clear, super::failure::console(e)).into_response();
    }
    (clear, Redirect::to("/staff/login")).into_response()
}

#[derive(Template)]
#[template(path = "staff/mfa_setup.html")]
struct MfaSetupPage {
    csrf: String,
    qr: String,
    secret_text: String,
    sealed: String,
    failed: bool,
}

#[derive(Template)]
#[template(path = "staff/mfa.html")]
struct MfaPage {
    csrf: String,
    failed: bool,
    recovery_codes: Vec<String>,
}

fn setup_page(state: &AppState, p: &PendingConsole, secret: &[u8; 32], failed: bool) -> Response {
    let url = match vault::mfa::otpauth_url(secret, &p.auth.user.email) {
        Ok(u) => u,
        Err(e) => return super::failure::console(e),
    };
    let qr = match vault::mfa::qr_data_url(&url) {
        Ok(q) => q,
        Err(e) => return super::failure::console(e),
    };
    let page = MfaSetupPage {
        csrf: p.csrf.clone(),
        qr,
        secret_text: vault::mfa::secret_text(secret),
        sealed: vault::mfa::seal_secret(&state.secrets.keyring, secret),
        failed,
    };
    render(if failed { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK }, &page)
}

pub async fn mfa_setup_form(State(state): State<AppState>, pending: PendingConsole) -> Response {
    setup_page(&state, &pending, &vault::mfa::new_secret(), false)
}

#[derive(Deserialize)]
pub struct MfaForm {
    csrf: String,
    code: String,
    sealed: Option<String>,
}

pub async fn mfa_setup(State(state): State<AppState>, pending: PendingConsole, Form(f): Form<MfaForm>) -> Response {
    if !vault::same_secret(f.csrf.as_bytes(), pending.csrf.as_bytes()) {
        return (StatusCode::FORBIDDEN, "wrong CSRF token").into_response();
    }
    let Some(secret) = f.sealed.as_deref().and_then(|s| vault::mfa::open_secret(&state.secrets.keyring, s).ok()) else {
        return (StatusCode::BAD_REQUEST, "the setup form was altered; start again").into_response();
    };
    let (codes, hashes) = vault::mfa::recovery_codes();
    match app::auth::enrol(&state, &pending.auth, &secret, &f.code, hashes).await {
        Ok(true) => render(StatusCode::OK, &MfaPage { csrf: pending.csrf, failed: false, recovery_codes: codes }),
        Ok(false) => setup_page(&state, &pending, &secret, true),
        Err(e) => super::failure::console(e),
    }
}

pub async fn mfa_form(pending: PendingConsole) -> Response {
    render(StatusCode::OK, &MfaPage { csrf: pending.csrf, failed: false, recovery_codes: vec![] })
}

pub async fn mfa(
    State(state): State<AppState>,
    pending: PendingConsole,
    client: crate::abuse::ClientBucket,
    Form(f): Form<MfaForm>,
) -> Response {
    if !vault::same_secret(f.csrf.as_bytes(), pending.csrf.as_bytes()) {
        return (StatusCode::FORBIDDEN, "wrong CSRF token").into_response();
    }
    match app::auth::second_factor(&state, &pending.auth, &f.code, &client.0).await {
        Ok(true) => Redirect::to("/staff").into_response(),
        Ok(false) => {
            render(StatusCode::UNAUTHORIZED, &MfaPage { csrf: pending.csrf, failed: true, recovery_codes: vec![] })
        }
        Err(e) => super::failure::console(e),
    }
}

/// A queue row as the console shows it.
pub struct Row {
    pub id: i64,
    pub reference: String,
    pub tier: &'static str,
    pub tier_label: &'static str,
    pub status: &'static str,
    pub status_label: &'static str,
    pub category: String,
    pub due_ms: Option<i64>,
    pub due_text: String,
    pub overdue: bool,
    pub escalation: i64,
    pub received: String,
    pub excerpt: String,
    /// New information from the tipster that nobody working the tip has read.
    pub news: bool,
    /// The viewer's agency must still acknowledge it, though another agency took it.
    pub waits_for_you: bool,
}

pub fn row(t: &TipRow, now: i64, agency_id: i64) -> Row {
    let due_text = match t.ack_due_at {
        None => "—".to_owned(),
        Some(d) => human_duration(d - now),
    };
    Row {
        id: t.id,
        reference: t.reference.clone(),
        tier: t.tier.code(),
        tier_label: t.tier.label(),
        status: t.status.code(),
        status_label: t.status.label(),
        category: t.category.label().to_owned(),
        due_ms: t.ack_due_at,
        due_text,
        overdue: t.ack_due_at.is_some_and(|d| d < now),
        escalation: t.escalation_level,
        received: rfc3339(t.received_at),
        excerpt: t.narrative.chars().take(140).collect(),
        news: t.tipster_news_at.is_some(),
        waits_for_you: t.waiting_agencies.contains(&agency_id) && !t.status.awaits_acknowledgement(),
    }
}

/// "4 min left", "12 min overdue".
pub fn human_duration(ms: i64) -> String {
    let (abs, late) = (ms.abs(), ms < 0);
    let text = if abs < 60_000 {
        format!("{} s", abs / 1000)
    } else if abs < 3_600_000 {
        format!("{} min", abs / 60_000)
    } else if abs < 172_800_000 {
        format!("{} h {} min", abs / 3_600_000, (abs % 3_600_000) / 60_000)
    } else {
        format!("{} days", abs / 86_400_000)
    };
    if late { format!("{text} overdue") } else { format!("{text} left") }
}

/// What the queue page is asked to show (`?show=mine|unassigned|new&tier=…&status=…`); an
/// unknown value shows everything rather than nothing.
#[derive(Deserialize, Default, Clone)]
pub struct QueueQuery {
    #[serde(default)]
    show: String,
    #[serde(default)]
    tier: String,
    #[serde(default)]
    status: String,
}

impl QueueQuery {
    fn ask(&self) -> app::desk::queue::QueueAsk {
        app::desk::queue::QueueAsk {
            mine: match self.show.as_str() {
                "mine" => Some(true),
                "unassigned" => Some(false),
                _ => None,
            },
            news_only: self.show == "new",
            tiers: domain::urgency::Tier::parse(&self.tier).into_iter().collect(),
            statuses: domain::status::Status::parse(&self.status).into_iter().collect(),
            ..Default::default()
        }
    }

    pub fn is_show(&self, value: &str) -> bool {
        self.show == value
    }
    pub fn is_tier(&self, value: &str) -> bool {
        self.tier == value
    }
    pub fn is_status(&self, value: &str) -> bool {
        self.status == value
    }
}

async fn my_queue(state: &AppState, viewer: &Viewer, q: &QueueQuery) -> Result<Vec<Row>, AppError> {
    let now = state.now();
    Ok(app::desk::queue::queue(state, viewer, &q.ask()).await?.iter().map(|t| row(t, now, viewer.agency_id)).collect())
}

#[derive(Template)]
#[template(path = "staff/queue.html")]
struct QueuePage {
    console: Console,
    agency: String,
    rows: Vec<Row>,
    flash: Option<String>,
    q: QueueQuery,
    /// The query string as asked, for the live refresh and the export.
    query: String,
}

#[derive(Template)]
#[template(path = "staff/rows.html")]
struct RowsFragment {
    rows: Vec<Row>,
}

async fn agency_name(state: &AppState, id: i64) -> Result<String, AppError> {
    Ok(state.routing().await?.agency_name(id))
}

pub async fn queue(State(state): State<AppState>, console: Console, Query(q): Query<QueueQuery>) -> Response {
    let page = async {
        let rows = my_queue(&state, &console.viewer(), &q).await?;
        Ok::<_, AppError>((rows, agency_name(&state, console.user.agency_id).await?))
    };
    match page.await {
        Ok((rows, agency)) => {
            let flash = super::notice::take(&state, &console, "/staff").await.map(|n| n.text);
            let query = serde_urlencoded::to_string([("show", &q.show), ("tier", &q.tier), ("status", &q.status)])
                .unwrap_or_else(|_| String::new());
            render(StatusCode::OK, &QueuePage { console, agency, rows, flash, q, query })
        }
        Err(e) => super::failure::console(e),
    }
}

pub async fn queue_rows(State(state): State<AppState>, console: Console, Query(q): Query<QueueQuery>) -> Response {
    match my_queue(&state, &console.viewer(), &q).await {
        Ok(rows) => render(StatusCode::OK, &RowsFragment { rows }),
        Err(e) => super::failure::console(e),
    }
}

pub async fn queue_csv(State(state): State<AppState>, console: Console, Query(q): Query<QueueQuery>) -> Response {
    let rows = match my_queue(&state, &console.viewer(), &q).await {
        Ok(r) => r,
        Err(e) => return super::failure::console(e),
    };
    let mut out = String::from("id,reference,tier,status,category,received,due,overdue,escalation_level\n");
    for r in rows {
        let due = r.due_ms.map(rfc3339).unwrap_or_default();
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{}\n",
            r.id,
            r.reference,
            r.tier,
            r.status,
            crate::views::csv::cell(&r.category),
            r.received,
            due,
            r.overdue,
            r.escalation
        ));
    }
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"queue.csv\""),
        ],
        out,
    )
        .into_response()
}

/// Server-sent events: tips arriving or changing in the viewer's agency.
pub async fn events(
    State(state): State<AppState>,
    console: Console,
    headers: axum::http::HeaderMap,
) -> Sse<impl Stream<Item = Result<Event, std::convert::Infallible>>> {
    use futures_util::StreamExt;
    let agency = console.user.agency_id;
    // The stream ends with the session: checked every half minute (without counting as
    // activity), so an idle console's stream stops and its page says the session ended.
    let token = cookie(&headers, STAFF_COOKIE).unwrap_or_default();
    let ctx = state.ctx().clone();
    let ended = async move {
        loop {
            tokio::time::sleep(std::time::Duration::from_secs(30)).await;
            if !app::auth::session_alive(&ctx, &token).await.unwrap_or(false) {
                return;
            }
        }
    };
    let stream =
        tokio_stream::wrappers::BroadcastStream::new(state.events.subscribe()).filter_map(move |e| async move {
            let e = e.ok()?;
            e.agencies.contains(&agency).then(|| {
                let data = serde_json::json!({"tip_id": e.tip_id, "kind": e.kind, "tier": e.tier}).to_string();
                Ok(Event::default().event("tip").data(data))
            })
        });
    Sse::new(stream.take_until(ended)).keep_alive(KeepAlive::default())
}

/// A piece of the narrative, highlighted when a factor matched it.
pub struct Segment {
    pub text: String,
    pub factor: Option<String>,
}

/// Splits the narrative at the evidence spans (byte offsets from triage).
pub fn segments(narrative: &str, view: &TipDetailView) -> Vec<Segment> {
    let mut spans: Vec<(usize, usize, String)> = view
        .factors
        .iter()
        .flat_map(|f| f.evidence.iter().map(move |e| (e.start, e.end, f.kind.clone())))
        .filter(|(s, e, _)| {
            s < e && *e <= narrative.len() && narrative.is_char_boundary(*s) && narrative.is_char_boundary(*e)
        })
        .collect();
    spans.sort();
    let mut out = Vec::new();
    let mut at = 0;
    for (s, e, kind) in spans {
        if s < at {
            continue; // overlapping evidence: the first span wins
        }
        if s > at {
            out.push(Segment { text: narrative[at..s].to_owned(), factor: None });
        }
        out.push(Segment { text: narrative[s..e].to_owned(), factor: Some(kind.replace('_', " ")) });
        at = e;
    }
    if at < narrative.len() {
        out.push(Segment { text: narrative[at..].to_owned(), factor: None });
    }
    out
}

#[derive(Template)]
#[template(path = "staff/tip.html")]
struct TipPage {
    console: Console,
    t: TipDetailView,
    segments: Vec<Segment>,
    attachments: Vec<store::model::AttachmentMeta>,
    agencies: Vec<(i64, String)>,
    colleagues: Vec<(i64, String)>,
    flash: Option<String>,
    can_work: bool,
    can_review: bool,
    can_review_tier: bool,
    /// The button for the viewer's agency's pending route: "Acknowledge" or "Mark as seen".
    acknowledge_label: Option<&'static str>,
}

impl TipPage {
    fn has_linked(&self) -> bool {
        self.t.linked_tips.iter().any(|l| l.state == "confirmed")
    }
}

pub async fn tip(State(state): State<AppState>, console: Console, Path(id): Path<i64>) -> Response {
    let notice = super::notice::take(&state, &console, &format!("/staff/tips/{id}")).await;
    let viewer = console.viewer();
    // The page after the person's own action carried out on this tip: the action is in the
    // trail already, so the redirect does not add a read of its own. After a refusal it does.
    let own_action = notice.as_ref().is_some_and(|n| n.after_own_action);
    let read = if own_action { app::desk::ReadBy::OwnAction } else { app::desk::ReadBy::Person };
    let flash = notice.map(|n| n.text);
    let loaded = async {
        let dossier = app::desk::dossier::dossier(&state, &viewer, id, read).await?;
        let attachments = app::desk::dossier::attachments(&state, &dossier).await?;
        let colleagues = app::desk::dossier::colleagues(&state, &viewer).await?;
        let routing = state.routing().await?;
        Ok::<_, AppError>((dossier, attachments, colleagues, routing))
    };
    let (dossier, attachments, colleagues, routing) = match loaded.await {
        Ok(l) => l,
        Err(e) => return super::failure::console(e),
    };
    let mut agencies: Vec<(i64, String)> =
        routing.names.iter().filter(|(a, _)| **a != viewer.agency_id).map(|(k, v)| (*k, v.clone())).collect();
    agencies.sort();
    let colleagues = colleagues.into_iter().map(|u| (u.id, u.display_name)).collect();
    let view = TipDetailView::of(&dossier, state.now());
    let (can_work, can_review, can_review_tier) = (dossier.may_work, dossier.may_review, dossier.may_review_tier);
    let acknowledge_label = dossier.awaits_viewer.filter(|_| can_work).map(|role| match role {
        domain::routing::RouteRole::Primary | domain::routing::RouteRole::Backup => "Acknowledge",
        domain::routing::RouteRole::Informed => "Mark as seen",
    });
    let segments = segments(&view.narrative, &view);
    let page = TipPage {
        console,
        segments,
        t: view,
        attachments,
        agencies,
        colleagues,
        flash,
        can_work,
        can_review,
        can_review_tier,
        acknowledge_label,
    };
    render(StatusCode::OK, &page)
}

pub async fn attachment(State(state): State<AppState>, console: Console, Path(id): Path<i64>) -> Response {
    let (meta, bytes) = match app::attachments::download(&state, &console.viewer(), id).await {
        Ok(file) => file,
        Err(e) => return super::failure::console(e),
    };
    (
        [
            (header::CONTENT_TYPE, meta.content_type.clone()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{}\"", meta.filename)),
        ],
        bytes,
    )
        .into_response()
}

pub struct TierCount {
    pub tier: &'static str,
    pub label: &'static str,
    pub open: i64,
    pub breached: i64,
}

pub struct Bar {
    pub label: &'static str,
    pub count: i64,
    pub x: usize,
    pub height: usize,
    pub y: usize,
}

#[derive(Template)]
#[template(path = "staff/dashboard.html")]
struct DashboardPage {
    console: Console,
    agency: String,
    tiers: Vec<TierCount>,
    breached: i64,
    escalated: i64,
    bars: Vec<Bar>,
    acknowledged: i64,
    awaiting: Vec<Row>,
    lowerings: Vec<Row>,
}

pub async fn dashboard(State(state): State<AppState>, console: Console) -> Response {
    let viewer = console.viewer();
    let loaded = async {
        let s = app::desk::queue::supervision(&state, &viewer).await?;
        Ok::<_, AppError>((s, agency_name(&state, viewer.agency_id).await?))
    };
    let (supervision, agency) = match loaded.await {
        Ok(l) => l,
        Err(e) => return super::failure::console(e),
    };
    let now = state.now();
    let f = &supervision.figures;
    let tiers: Vec<TierCount> = f
        .tiers
        .iter()
        .map(|t| TierCount { tier: t.tier.code(), label: t.tier.label(), open: t.open, breached: t.breached })
        .collect();
    let breached = tiers.iter().map(|t| t.breached).sum();
    let acknowledged = f.acknowledged_in.iter().sum();
    let max = f.acknowledged_in.iter().copied().max().unwrap_or(0).max(1);
    // One label for each of app::desk::queue::ACK_BOUNDS, and the rest.
    const LABELS: [&str; 6] = ["< 5 min", "< 15 min", "< 1 h", "< 4 h", "< 24 h", "≥ 24 h"];
    const _: () = assert!(LABELS.len() == app::desk::queue::ACK_BOUNDS.len() + 1);
    let bars = LABELS
        .iter()
        .zip(&f.acknowledged_in)
        .enumerate()
        .map(|(i, (label, &count))| {
            let height = (count * 120 / max) as usize;
            Bar { label, count, x: 10 + i * 70, height, y: 140 - height }
        })
        .collect();
    let awaiting = supervision.awaiting_review.iter().map(|t| row(t, now, viewer.agency_id)).collect();
    let lowerings = supervision.tier_lowerings.iter().map(|t| row(t, now, viewer.agency_id)).collect();
    let escalated = f.escalated;
    let page = DashboardPage { console, agency, tiers, breached, escalated, bars, acknowledged, awaiting, lowerings };
    render(StatusCode::OK, &page)
}

#[derive(Template)]
#[template(path = "staff/admin.html")]
struct AdminPage {
    console: Console,
    agencies: Vec<store::model::Agency>,
    sites: Vec<store::model::Site>,
    users: Vec<User>,
    fallback: Option<i64>,
    flash: Option<String>,
    is_admin: bool,
    /// The roles the console may give.
    console_roles: [domain::staff::Role; 4],
}

impl AdminPage {
    fn is_fallback(&self, id: &i64) -> bool {
        self.fallback == Some(*id)
    }

    /// An agency by name, for the tables that refer to one.
    fn agency_name(&self, id: &i64) -> String {
        self.agencies.iter().find(|a| a.id == *id).map_or_else(|| format!("agency {id}"), |a| a.name.clone())
    }

    fn roles(&self, u: &User) -> String {
        u.roles.iter().map(|r| r.code()).collect::<Vec<_>>().join(", ")
    }
}

pub async fn admin(State(state): State<AppState>, console: Console) -> Response {
    let flash = super::notice::take(&state, &console, "/staff/admin").await.map(|n| n.text);
    let is_admin = console.user.roles.contains(&Role::Admin);
    match app::admin::overview(&state, &console.viewer()).await {
        Ok(o) => {
            let (agencies, sites, users, fallback) = (o.agencies, o.sites, o.users, o.fallback);
            render(
                StatusCode::OK,
                &AdminPage {
                    console,
                    agencies,
                    sites,
                    users,
                    fallback,
                    flash,
                    is_admin,
                    console_roles: super::staff_admin::CONSOLE_ROLES,
                },
            )
        }
        Err(e) => super::failure::console(e),
    }
}

pub fn router() -> axum::Router<AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/staff/login", get(login_form).post(login))
        .route("/staff/logout", post(logout))
        .route("/staff/mfa/setup", get(mfa_setup_form).post(mfa_setup))
        .route("/staff/mfa", get(mfa_form).post(mfa))
        .route("/staff", get(queue))
        .route("/staff/queue/rows", get(queue_rows))
        .route("/staff/queue.csv", get(queue_csv))
        .route("/staff/events", get(events))
        .route("/staff/tips/{id}", get(tip))
        .route("/staff/attachments/{id}", get(attachment))
        .route("/staff/dashboard", get(dashboard))
        .route("/staff/admin", get(admin))
}
