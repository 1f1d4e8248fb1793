//! The staff console: sign-in, the live queue, a tip's page, the supervisor dashboard, the
//! administration lists, CSV export, attachment downloads.

use super::cookies::{clear_cookie, cookie, session_cookie};
use super::render;
use crate::api::desk::{TipDetailView, detail_view};
use crate::api::rfc3339;
use crate::error::ApiError;
use crate::secrets::token_hash;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Form, FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Redirect, Response};
use domain::audit::AuditAction;
use domain::staff::{Role, TipAction, Viewer};
use domain::status::Status;
use domain::urgency::Tier;
use futures_util::stream::Stream;
use serde::Deserialize;
use store::model::{NewAudit, QueueFilter, TipRow, User};

pub const STAFF_COOKIE: &str = "sl_staff";
/// A console session lasts at most this long (idle limits come with the CJIS controls).
const SESSION_MS: i64 = 12 * 60 * 60 * 1000;

/// A signed-in staff member on a page: a session cookie, or off to the sign-in page.
pub struct Console {
    pub user: User,
    pub csrf: String,
}

impl Console {
    pub fn viewer(&self) -> Viewer {
        self.user.viewer()
    }
}

impl FromRequestParts<AppState> for Console {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let to = |path: &str| Redirect::to(path).into_response();
        let token = cookie(&parts.headers, STAFF_COOKIE).ok_or_else(|| to("/staff/login"))?;
        match crate::auth::authenticate(state, &token, "session", true).await {
            Ok(Ok(auth)) => Ok(Console { csrf: csrf_token(state, &token), user: auth.user }),
            Ok(Err(crate::auth::Rejected::NeedsSecondFactor)) => Err(to("/staff/mfa")),
            Ok(Err(crate::auth::Rejected::Idle)) => Err(to("/staff/login?ended=idle")),
            Ok(Err(_)) => Err(to("/staff/login")),
            Err(e) => Err(e.into_response()),
        }
    }
}

/// A session whose second factor is not yet checked: only the MFA pages accept it.
pub struct PendingConsole {
    pub auth: crate::auth::Authenticated,
    pub csrf: String,
}

impl FromRequestParts<AppState> for PendingConsole {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let to_login = || Redirect::to("/staff/login").into_response();
        let token = cookie(&parts.headers, STAFF_COOKIE).ok_or_else(to_login)?;
        match crate::auth::authenticate(state, &token, "session", false).await {
            Ok(Ok(auth)) => Ok(PendingConsole { csrf: csrf_token(state, &token), auth }),
            Ok(Err(_)) => Err(to_login()),
            Err(e) => Err(e.into_response()),
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
    message: Option<&'static str>,
}

#[derive(Deserialize)]
pub struct LoginQuery {
    ended: Option<String>,
}

pub async fn login_form(Query(q): Query<LoginQuery>) -> Response {
    let message = q.ended.as_deref().map(|_| "You were signed out after 30 minutes without activity. Sign in again.");
    render(StatusCode::OK, &LoginPage { message })
}

#[derive(Deserialize)]
pub struct Login {
    email: String,
    password: String,
}

pub async fn login(State(state): State<AppState>, Form(f): Form<Login>) -> Response {
    match crate::auth::password_sign_in(&state, &f.email, &f.password).await {
        Ok(crate::auth::SignIn::Session { token, needs_setup }) => {
            let next = if needs_setup { "/staff/mfa/setup" } else { "/staff/mfa" };
            (
                [(header::SET_COOKIE, session_cookie(STAFF_COOKIE, &token, "/staff", SESSION_MS / 1000))],
                Redirect::to(next),
            )
                .into_response()
        }
        Ok(crate::auth::SignIn::Refused) => render(
            StatusCode::UNAUTHORIZED,
            &LoginPage { message: Some("That e-mail and password do not match an active account.") },
        ),
        Ok(crate::auth::SignIn::Locked) => render(
            StatusCode::FORBIDDEN,
            &LoginPage {
                message: Some(
                    "This account is locked after too many failed sign-ins. An administrator must unlock it.",
                ),
            },
        ),
        Err(e) => e.into_response(),
    }
}

pub async fn logout(State(state): State<AppState>, headers: axum::http::HeaderMap) -> Response {
    if let Some(token) = cookie(&headers, STAFF_COOKIE)
        && let Ok(Some(info)) = state.store.token_info(&token_hash(&token)).await
    {
        let audit = NewAudit::new(
            state.now(),
            &format!("user:{}", info.user.id),
            AuditAction::TokenRevoked,
            format!("user:{}", info.user.id),
        )
        .reason("signed out");
        let _ = state.store.revoke_token(info.id, audit).await;
    }
    ([(header::SET_COOKIE, clear_cookie(STAFF_COOKIE, "/staff"))], Redirect::to("/staff/login")).into_response()
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
    let url = match crate::mfa::otpauth_url(secret, &p.auth.user.email) {
        Ok(u) => u,
        Err(e) => return ApiError::Internal(e).into_response(),
    };
    let qr = match crate::mfa::qr_data_url(&url) {
        Ok(q) => q,
        Err(e) => return ApiError::Internal(e).into_response(),
    };
    let page = MfaSetupPage {
        csrf: p.csrf.clone(),
        qr,
        secret_text: crate::mfa::secret_text(secret),
        sealed: crate::mfa::seal_secret(&state.secrets.keyring, secret),
        failed,
    };
    render(if failed { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK }, &page)
}

pub async fn mfa_setup_form(State(state): State<AppState>, pending: PendingConsole) -> Response {
    setup_page(&state, &pending, &crate::mfa::new_secret(), false)
}

#[derive(Deserialize)]
pub struct MfaForm {
    csrf: String,
    code: String,
    sealed: Option<String>,
}

pub async fn mfa_setup(State(state): State<AppState>, pending: PendingConsole, Form(f): Form<MfaForm>) -> Response {
    if f.csrf != pending.csrf {
        return (StatusCode::FORBIDDEN, "wrong CSRF token").into_response();
    }
    let Some(secret) = f.sealed.as_deref().and_then(|s| crate::mfa::open_secret(&state.secrets.keyring, s).ok()) else {
        return (StatusCode::BAD_REQUEST, "the setup form was altered; start again").into_response();
    };
    let (codes, hashes) = crate::mfa::recovery_codes();
    match crate::auth::enrol(&state, &pending.auth, &secret, &f.code, hashes).await {
        Ok(true) => render(StatusCode::OK, &MfaPage { csrf: pending.csrf, failed: false, recovery_codes: codes }),
        Ok(false) => setup_page(&state, &pending, &secret, true),
        Err(e) => e.into_response(),
    }
}

pub async fn mfa_form(pending: PendingConsole) -> Response {
    render(StatusCode::OK, &MfaPage { csrf: pending.csrf, failed: false, recovery_codes: vec![] })
}

pub async fn mfa(State(state): State<AppState>, pending: PendingConsole, Form(f): Form<MfaForm>) -> Response {
    if f.csrf != pending.csrf {
        return (StatusCode::FORBIDDEN, "wrong CSRF token").into_response();
    }
    match crate::auth::second_factor(&state, &pending.auth, &f.code).await {
        Ok(true) => Redirect::to("/staff").into_response(),
        Ok(false) => {
            render(StatusCode::UNAUTHORIZED, &MfaPage { csrf: pending.csrf, failed: true, recovery_codes: vec![] })
        }
        Err(e) => e.into_response(),
    }
}

/// A queue row as the console shows it.
pub struct Row {
    pub id: i64,
    pub reference: String,
    pub tier: &'static str,
    pub tier_label: &'static str,
    pub status: &'static str,
    pub category: String,
    pub due_ms: Option<i64>,
    pub due_text: String,
    pub overdue: bool,
    pub escalation: i64,
    pub received: String,
    pub excerpt: String,
}

fn row(t: &TipRow, now: i64) -> Row {
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
        category: t.category.replace('_', " "),
        due_ms: t.ack_due_at,
        due_text,
        overdue: t.ack_due_at.is_some_and(|d| d < now),
        escalation: t.escalation_level,
        received: rfc3339(t.received_at),
        excerpt: t.narrative.chars().take(140).collect(),
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

async fn my_queue(state: &AppState, viewer: &Viewer) -> Result<Vec<Row>, ApiError> {
    let filter = QueueFilter { agency_id: Some(viewer.agency_id), limit: 500, ..Default::default() };
    let now = state.now();
    Ok(state.store.queue(&filter, now).await?.iter().map(|t| row(t, now)).collect())
}

#[derive(Template)]
#[template(path = "staff/queue.html")]
struct QueuePage {
    console: Console,
    agency: String,
    rows: Vec<Row>,
}

#[derive(Template)]
#[template(path = "staff/rows.html")]
struct RowsFragment {
    rows: Vec<Row>,
}

async fn agency_name(state: &AppState, id: i64) -> String {
    state.routing().await.ok().and_then(|r| r.names.get(&id).cloned()).unwrap_or_default()
}

pub async fn queue(State(state): State<AppState>, console: Console) -> Response {
    match my_queue(&state, &console.viewer()).await {
        Ok(rows) => {
            let agency = agency_name(&state, console.user.agency_id).await;
            render(StatusCode::OK, &QueuePage { console, agency, rows })
        }
        Err(e) => e.into_response(),
    }
}

pub async fn queue_rows(State(state): State<AppState>, console: Console) -> Response {
    match my_queue(&state, &console.viewer()).await {
        Ok(rows) => render(StatusCode::OK, &RowsFragment { rows }),
        Err(e) => e.into_response(),
    }
}

pub async fn queue_csv(State(state): State<AppState>, console: Console) -> Response {
    let rows = match my_queue(&state, &console.viewer()).await {
        Ok(r) => r,
        Err(e) => return e.into_response(),
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
            csv_field(&r.category),
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

/// Quotes a CSV field, and defuses cells a spreadsheet would run as a formula.
fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) { format!("'{s}") } else { s.to_owned() };
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// Server-sent events: tips arriving or changing in the viewer's agency.
pub async fn events(
    State(state): State<AppState>,
    console: Console,
) -> Sse<impl Stream<Item = Result<Event, std::convert::Infallible>>> {
    use futures_util::StreamExt;
    let agency = console.user.agency_id;
    let stream =
        tokio_stream::wrappers::BroadcastStream::new(state.events.subscribe()).filter_map(move |e| async move {
            let e = e.ok()?;
            e.agencies.contains(&agency).then(|| {
                let data = serde_json::json!({"tip_id": e.tip_id, "kind": e.kind, "tier": e.tier}).to_string();
                Ok(Event::default().event("tip").data(data))
            })
        });
    Sse::new(stream).keep_alive(KeepAlive::default())
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
}

impl TipPage {
    fn has_linked(&self) -> bool {
        self.t.linked_tips.iter().any(|l| l.state == "confirmed")
    }
}

#[derive(Deserialize)]
pub struct Flash {
    flash: Option<String>,
}

pub async fn tip(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<i64>,
    Query(q): Query<Flash>,
) -> Response {
    let viewer = console.viewer();
    let view = match detail_view(&state, &viewer, id).await {
        Ok(v) => v,
        Err(e) => return e.into_response(),
    };
    let attachments = state.store.attachments(id).await.unwrap_or_default();
    let routing = state.routing().await.ok();
    let mut agencies: Vec<(i64, String)> =
        routing.map(|r| r.names.iter().map(|(k, v)| (*k, v.clone())).collect()).unwrap_or_default();
    agencies.sort();
    agencies.retain(|(a, _)| *a != viewer.agency_id);
    let colleagues = state
        .store
        .list_users(viewer.agency_id)
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|u| u.roles.iter().any(|r| matches!(r, Role::Analyst | Role::Supervisor)))
        .map(|u| (u.id, u.display_name))
        .collect();
    let holds = view.summary.agencies.contains(&viewer.agency_id);
    let can_work = holds && (viewer.has(Role::Analyst) || viewer.has(Role::Supervisor));
    let can_review = holds && viewer.has(Role::Supervisor) && view.awaiting_review;
    let segments = segments(&view.narrative, &view);
    let page =
        TipPage { console, segments, t: view, attachments, agencies, colleagues, flash: q.flash, can_work, can_review };
    render(StatusCode::OK, &page)
}

pub async fn attachment(State(state): State<AppState>, console: Console, Path(id): Path<i64>) -> Response {
    let viewer = console.viewer();
    let (meta, bytes) = match state.store.attachment(id).await {
        Ok(a) => a,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let tip = match crate::desk::load(&state, &viewer, meta.tip_id, TipAction::Read).await {
        Ok(d) => d.tip,
        Err(e) => return e.into_response(),
    };
    let key = match crate::sealed::data_key(&state, tip.id).await {
        Ok(k) => k,
        Err(e) => return e.into_response(),
    };
    let bytes = match crate::crypto::open_bytes(key.as_ref(), &tip.reference, "attachment", &bytes) {
        Ok(b) => b,
        Err(e) => return ApiError::Internal(e).into_response(),
    };
    let audit =
        NewAudit::new(state.now(), &crate::desk::actor(&viewer), AuditAction::TipRead, format!("tip:{}", meta.tip_id))
            .detail(serde_json::json!({"attachment_id": id}));
    if let Err(e) = state.store.append_audit(audit).await {
        return ApiError::from(e).into_response();
    }
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
    pub open: usize,
    pub breached: usize,
}

pub struct Bar {
    pub label: &'static str,
    pub count: usize,
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
    breached: usize,
    escalated: usize,
    bars: Vec<Bar>,
    acknowledged: usize,
    awaiting: Vec<Row>,
}

pub async fn dashboard(State(state): State<AppState>, console: Console) -> Response {
    let viewer = console.viewer();
    let now = state.now();
    let filter =
        QueueFilter { agency_id: Some(viewer.agency_id), include_closed: true, limit: 5000, ..Default::default() };
    let tips = match state.store.queue(&filter, now).await {
        Ok(t) => t,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let open: Vec<&TipRow> = tips.iter().filter(|t| t.status != Status::Closed).collect();
    let tiers = Tier::ALL
        .iter()
        .map(|tier| TierCount {
            tier: tier.code(),
            label: tier.label(),
            open: open.iter().filter(|t| t.tier == *tier).count(),
            breached: open.iter().filter(|t| t.tier == *tier && t.ack_due_at.is_some_and(|d| d < now)).count(),
        })
        .collect::<Vec<_>>();
    let breached = tiers.iter().map(|t| t.breached).sum();
    let escalated = open.iter().filter(|t| t.escalation_level > 0).count();
    // Time to acknowledge, in buckets, over the last 30 days.
    const BUCKETS: [(&str, i64); 6] = [
        ("< 5 min", 300_000),
        ("< 15 min", 900_000),
        ("< 1 h", 3_600_000),
        ("< 4 h", 14_400_000),
        ("< 24 h", 86_400_000),
        ("≥ 24 h", i64::MAX),
    ];
    let mut counts = [0usize; 6];
    let since = now - 30 * 86_400_000;
    let mut acknowledged = 0;
    for t in tips.iter().filter(|t| t.received_at >= since) {
        if let Some(at) = t.acknowledged_at {
            acknowledged += 1;
            let took = at - t.received_at;
            let i = BUCKETS.iter().position(|(_, limit)| took < *limit).unwrap_or(5);
            counts[i] += 1;
        }
    }
    let max = counts.iter().copied().max().unwrap_or(0).max(1);
    let bars = BUCKETS
        .iter()
        .zip(counts)
        .enumerate()
        .map(|(i, ((label, _), count))| {
            let height = count * 120 / max;
            Bar { label, count, x: 10 + i * 70, height, y: 140 - height }
        })
        .collect();
    let awaiting = open.iter().filter(|t| t.status == Status::AwaitingReview).map(|t| row(t, now)).collect();
    let agency = agency_name(&state, viewer.agency_id).await;
    render(StatusCode::OK, &DashboardPage { console, agency, tiers, breached, escalated, bars, acknowledged, awaiting })
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
}

impl AdminPage {
    fn is_fallback(&self, id: &i64) -> bool {
        self.fallback == Some(*id)
    }

    fn roles(&self, u: &User) -> String {
        u.roles.iter().map(|r| r.code()).collect::<Vec<_>>().join(", ")
    }
}

pub async fn admin(State(state): State<AppState>, console: Console, Query(q): Query<Flash>) -> Response {
    let is_admin = console.user.roles.contains(&Role::Admin);
    if !is_admin && !console.user.roles.contains(&Role::Supervisor) {
        return ApiError::Forbidden("administration needs the admin or supervisor role".into()).into_response();
    }
    let agencies = state.store.list_agencies().await.unwrap_or_default();
    let sites = state.store.list_sites().await.unwrap_or_default();
    let users = state.store.list_users(console.user.agency_id).await.unwrap_or_default();
    let fallback = state.routing().await.ok().and_then(|r| r.fallback_agency_id);
    render(StatusCode::OK, &AdminPage { console, agencies, sites, users, fallback, flash: q.flash, is_admin })
}
