//! `spawn_app` and the user-level helpers the tests speak in.

use app::clock::ManualClock;
use axum::routing::post;
use domain::audit::ObjectRef;
use domain::staff::Role;
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use store::Store;
use store::model::*;
use vault::secrets::{Secrets, new_token, token_hash};
use web::state::{AppState, Options};

pub const T0: i64 = 1_790_000_000_000;

pub struct TestApp {
    pub addr: SocketAddr,
    pub state: AppState,
    pub clock: ManualClock,
    pub http: reqwest::Client,
    pub world: World,
    pub hooks: Hooks,
    /// The database the server uses (a `sqlite://` file or a PostgreSQL database), for tests
    /// that break it on purpose.
    pub db_url: String,
    _dir: tempfile::TempDir,
    _stop: tokio::sync::oneshot::Sender<()>,
}

pub struct World {
    pub fusion: i64,
    pub sheriff: i64,
    pub city: i64,
    pub district: i64,
    pub high_school: i64,
    pub analyst: Staff,
    pub analyst2: Staff,
    pub supervisor: Staff,
    pub city_analyst: Staff,
    pub district_analyst: Staff,
    pub auditor: Staff,
}

pub struct Staff {
    pub id: i64,
    pub token: String,
}

/// Webhook deliveries received: (headers, body).
#[derive(Clone, Default)]
pub struct Hooks {
    pub url: String,
    pub received: Arc<Mutex<Vec<(axum::http::HeaderMap, String)>>>,
}

impl Hooks {
    pub fn bodies(&self) -> Vec<Value> {
        self.received.lock().unwrap().iter().map(|(_, b)| serde_json::from_str(b).unwrap()).collect()
    }
}

async fn webhook_receiver() -> Hooks {
    let hooks = Hooks::default();
    let received = hooks.received.clone();
    let app = axum::Router::new().route(
        "/hook/{name}",
        post(move |headers: axum::http::HeaderMap, body: String| {
            let received = received.clone();
            async move {
                received.lock().unwrap().push((headers, body));
                "ok"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Hooks { url, ..hooks }
}

async fn open_store(dir: &std::path::Path) -> (Arc<dyn Store>, String) {
    if let Ok(url) = std::env::var("SIGHTLINE_TEST_PG_URL") {
        use sqlx::{Connection, Executor};
        sqlx::any::install_default_drivers();
        let db = format!("api_{}_{}", std::process::id(), unique());
        let mut admin = sqlx::AnyConnection::connect(&url).await.unwrap();
        admin.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {db}"))).await.unwrap();
        let base = url.rsplit_once('/').map(|(b, _)| b).unwrap();
        let db_url = format!("{base}/{db}");
        (Arc::new(store::SqlStore::open_postgres(&db_url).await.unwrap()), db_url)
    } else {
        let db_url = format!("sqlite://{}", dir.join("sightline.db").display());
        (Arc::new(store::SqlStore::open_sqlite(dir).await.unwrap()), db_url)
    }
}

fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    // A random number per process (std's hasher keys are), and a count within it.
    use std::hash::{BuildHasher, Hasher};
    let random = std::collections::hash_map::RandomState::new().build_hasher().finish() % 1_000_000_000;
    random * 1000 + N.fetch_add(1, Ordering::Relaxed)
}

pub fn square(lon0: f64, lat0: f64, lon1: f64, lat1: f64) -> String {
    format!(
        r#"{{"type":"Polygon","coordinates":[[[{lon0},{lat0}],[{lon1},{lat0}],[{lon1},{lat1}],[{lon0},{lat1}],[{lon0},{lat0}]]]}}"#
    )
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(Options { run_jobs: false, ..Options::default() }).await
}

/// A server on port 0 with these options; Argon2 is always the cheap test setting.
pub async fn spawn_app_with(mut options: Options) -> TestApp {
    options.app.fast_password_hash = true;
    let dir = tempfile::tempdir().unwrap();
    let (store, db_url) = open_store(dir.path()).await;
    let clock = ManualClock::at(domain::time::Millis(T0));
    // The keys live in the test's data folder, as a server's do (with the checkpoint signer).
    let secrets = Secrets::load_or_create(dir.path()).unwrap();
    app::chain::load_key(store.as_ref(), &secrets).await.unwrap();
    let state = AppState::new(store.clone(), Arc::new(clock.clone()), secrets, options).unwrap();
    let hooks = webhook_receiver().await;
    let world = build_world(store.as_ref(), &hooks).await;
    let app = web::App::bind("127.0.0.1:0".parse().unwrap(), state.clone()).await.unwrap();
    let addr = app.local_addr();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(app.run_until(async move {
        let _ = stopped.await;
    }));
    TestApp { addr, state, clock, http: reqwest::Client::new(), world, hooks, db_url, _dir: dir, _stop: stop }
}

/// A staff member with an API token (no password), named by their e-mail.
pub async fn add_staff(s: &dyn Store, agency: i64, email: String, roles: Vec<domain::staff::Role>) -> Staff {
    let u = s
        .create_user(
            NewUser {
                agency_id: agency,
                display_name: email.clone(),
                email,
                roles,
                password_hash: "x".into(),
                must_change_password: false,
            },
            "t",
            T0,
        )
        .await
        .unwrap();
    let token = new_token("slt");
    s.create_token(
        NewToken { user_id: u.id, token_hash: token_hash(&token), label: "t".into(), ..Default::default() },
        "t",
        T0,
    )
    .await
    .unwrap();
    Staff { id: u.id, token }
}

async fn build_world(s: &dyn Store, hooks: &Hooks) -> World {
    let agency = |name: &str, kind, j: Option<String>, partner| NewAgency {
        name: name.into(),
        kind,
        jurisdiction: j,
        partner_agency_id: partner,
        ack_policy: None,
    };
    use domain::routing::AgencyKind::*;
    let fusion = s.create_agency(agency("Fusion", FusionCentre, None, None), "t", T0).await.unwrap().id;
    let sheriff = s
        .create_agency(agency("Sheriff", LawEnforcement, Some(square(0.0, 0.0, 10.0, 10.0)), Some(fusion)), "t", T0)
        .await
        .unwrap()
        .id;
    let city = s
        .create_agency(agency("City PD", LawEnforcement, Some(square(2.0, 2.0, 4.0, 4.0)), None), "t", T0)
        .await
        .unwrap()
        .id;
    let district = s.create_agency(agency("District", SchoolDistrict, None, Some(sheriff)), "t", T0).await.unwrap().id;
    let audit =
        NewAudit::new(T0, "t", domain::audit::AuditAction::SettingChanged, ObjectRef::Setting("fallback_agency_id"));
    s.set_setting(app::routing::FALLBACK_SETTING, &fusion.to_string(), audit).await.unwrap();
    let high_school = s
        .create_site(
            NewSite {
                name: "Pine High".into(),
                kind: domain::routing::SiteKind::School,
                owner_agency_id: district,
                lat: Some(3.0),
                lon: Some(3.0),
                address: None,
            },
            "t",
            T0,
        )
        .await
        .unwrap()
        .id;
    for (agency, role, name) in [
        (sheriff, ContactRole::OnCall, "sheriff-oncall"),
        (sheriff, ContactRole::Supervisor, "sheriff-sup"),
        (fusion, ContactRole::OnCall, "fusion-oncall"),
        (district, ContactRole::OnCall, "district-oncall"),
    ] {
        s.create_contact(
            NewContact { agency_id: agency, role, name: name.into(), webhook_url: format!("{}/{name}", hooks.url) },
            "t",
            T0,
        )
        .await
        .unwrap();
    }
    let mut n = 0;
    let mut staff = |agency: i64, role: Role| {
        n += 1;
        add_staff(s, agency, format!("user{n}@test"), vec![role])
    };
    let analyst = staff(sheriff, Role::Analyst).await;
    let analyst2 = staff(sheriff, Role::Analyst).await;
    let supervisor = staff(sheriff, Role::Supervisor).await;
    let city_analyst = staff(city, Role::Analyst).await;
    let district_analyst = staff(district, Role::Analyst).await;
    let auditor = staff(sheriff, Role::Auditor).await;
    World {
        fusion,
        sheriff,
        city,
        district,
        high_school,
        analyst,
        analyst2,
        supervisor,
        city_analyst,
        district_analyst,
        auditor,
    }
}

pub struct Resp {
    pub status: u16,
    pub body: Value,
}

/// Everything the server logs during a test, for searching.
#[derive(Clone, Default)]
pub struct Logs(Arc<Mutex<Vec<u8>>>);

impl Logs {
    pub fn contents(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl std::io::Write for Logs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Captures every log line of this test binary at the most verbose level.
pub fn capture_logs() -> Logs {
    static LOGS: std::sync::OnceLock<Logs> = std::sync::OnceLock::new();
    LOGS.get_or_init(|| {
        let logs = Logs::default();
        let writer = logs.clone();
        let _ = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(move || writer.clone())
            .try_init();
        logs
    })
    .clone()
}

/// A client that shows redirects instead of following them.
pub fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

pub fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let i = html.find(start).unwrap_or_else(|| panic!("{start} not in page:\n{html}")) + start.len();
    let j = html[i..].find(end).unwrap() + i;
    &html[i..j]
}

impl TestApp {
    /// Adds a staff user with a real password (and no second factor yet).
    pub async fn user_with_password(
        &self,
        agency: i64,
        email: &str,
        password: &str,
        roles: Vec<domain::staff::Role>,
    ) -> i64 {
        let hash = vault::secrets::hash_password(password, true).unwrap();
        self.state
            .store
            .create_user(
                NewUser {
                    agency_id: agency,
                    email: email.into(),
                    display_name: email.into(),
                    roles,
                    password_hash: hash,
                    must_change_password: false,
                },
                "t",
                T0,
            )
            .await
            .unwrap()
            .id
    }

    /// A console session of a new user of `agency` (password and second factor done).
    pub async fn console_user(&self, agency: i64, email: &str, roles: Vec<domain::staff::Role>) -> String {
        self.user_with_password(agency, email, "correct horse battery staple", roles).await;
        self.console_login(email, "correct horse battery staple").await.0
    }

    /// A console page's HTML, with a session cookie.
    pub async fn page(&self, session: &str, path: &str) -> String {
        let r = no_redirects().get(self.url(path)).header("cookie", session).send().await.unwrap();
        assert_eq!(r.status(), 200, "{path}");
        r.text().await.unwrap()
    }

    /// Posts a console form with only its CSRF token (an action button on the page `path`
    /// belongs to, `/staff/tips/{id}/…` → `/staff/tips/{id}`): the status.
    pub async fn page_as_post(&self, session: &str, path: &str) -> u16 {
        let page = self.page(session, path.rsplit_once('/').map_or(path, |(p, _)| p)).await;
        let csrf = between(&page, r#"name="csrf" value=""#, "\"").to_owned();
        let r = no_redirects()
            .post(self.url(path))
            .header("cookie", session)
            .form(&[("csrf", csrf.as_str())])
            .send()
            .await
            .unwrap();
        r.status().as_u16()
    }

    /// Adds a staff member with an API token (no password).
    pub async fn staff_with_token(&self, agency: i64, email: &str, roles: Vec<domain::staff::Role>) -> Staff {
        add_staff(self.state.store.as_ref(), agency, email.to_owned(), roles).await
    }

    /// Password, then the second factor (set up on first sign-in): the session cookie, and the
    /// TOTP key so a later sign-in can compute codes.
    pub async fn console_login(&self, email: &str, password: &str) -> (String, Vec<u8>) {
        let client = no_redirects();
        let r = client
            .post(self.url("/staff/login"))
            .form(&[("email", email), ("password", password)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "password accepted");
        assert_eq!(r.headers()["location"], "/staff/mfa/setup", "first sign-in sets up the second factor");
        let session = r.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned();
        let page = client
            .get(self.url("/staff/mfa/setup"))
            .header("cookie", &session)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains(r#"id="totp-qr" src="data:image/svg+xml;base64,"#), "the QR code is an image");
        let key = vault::mfa::secret_from_text(between(&page, r#"id="totp-secret">"#, "<")).unwrap();
        let csrf = between(&page, r#"name="csrf" value=""#, "\"").to_owned();
        let sealed = between(&page, r#"name="sealed" value=""#, "\"").to_owned();
        let code = vault::mfa::code_at(&key, email, (self.state.now() / 1000) as u64);
        let done = client
            .post(self.url("/staff/mfa/setup"))
            .header("cookie", &session)
            .form(&[("csrf", csrf.as_str()), ("sealed", sealed.as_str()), ("code", code.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(done.status(), 200);
        assert!(done.text().await.unwrap().contains(r#"id="recovery-codes""#), "recovery codes shown once");
        (session, key)
    }

    /// Runs SQL on the server's database behind its back (to break it on purpose).
    pub async fn sql_behind_the_back(&self, sql: &str) {
        use sqlx::{Connection, Executor};
        sqlx::any::install_default_drivers();
        let mut conn = sqlx::AnyConnection::connect(&self.db_url).await.unwrap();
        conn.execute(sqlx::AssertSqlSafe(sql.to_owned())).await.unwrap();
    }

    pub fn data_dir(&self) -> &std::path::Path {
        self._dir.path()
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub async fn send(&self, req: reqwest::RequestBuilder) -> Resp {
        let r = req.send().await.unwrap();
        let status = r.status().as_u16();
        let text = r.text().await.unwrap();
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Resp { status, body }
    }

    pub async fn post_tip(&self, body: Value) -> Resp {
        self.send(self.http.post(self.url("/api/v1/tips")).json(&body)).await
    }

    pub async fn post_tip_with_key(&self, body: Value, key: &str) -> Resp {
        self.send(self.http.post(self.url("/api/v1/tips")).header("idempotency-key", key).json(&body)).await
    }

    pub async fn post_raw(&self, path: &str, content_type: &str, body: Vec<u8>) -> Resp {
        self.send(self.http.post(self.url(path)).header("content-type", content_type).body(body)).await
    }

    /// Files a tip and returns (id, reference, passphrase).
    pub async fn file(&self, category: &str, narrative: &str) -> (i64, String, String) {
        self.file_json(json!({"category": category, "narrative": narrative, "location": {"lat": 5.0, "lon": 5.0}}))
            .await
    }

    pub async fn file_json(&self, body: Value) -> (i64, String, String) {
        let r = self.post_tip(body).await;
        assert_eq!(r.status, 201, "{}", r.body);
        let reference = r.body["reference"].as_str().unwrap().to_owned();
        let (id, _) = self.state.store.tip_credentials(&reference).await.unwrap().unwrap();
        (id, reference, r.body["passphrase"].as_str().unwrap().to_owned())
    }

    pub async fn get_as(&self, who: &Staff, path: &str) -> Resp {
        self.send(self.http.get(self.url(path)).bearer_auth(&who.token)).await
    }

    pub async fn post_as(&self, who: &Staff, path: &str, body: Value) -> Resp {
        self.send(self.http.post(self.url(path)).bearer_auth(&who.token).json(&body)).await
    }

    pub async fn get_with_token(&self, token: &str, path: &str) -> Resp {
        self.send(self.http.get(self.url(path)).bearer_auth(token)).await
    }

    pub async fn post_with_token(&self, token: &str, path: &str, body: Value) -> Resp {
        self.send(self.http.post(self.url(path)).bearer_auth(token).json(&body)).await
    }

    pub async fn tip_count(&self) -> i64 {
        self.state.store.metrics(0).await.unwrap().tips_total
    }

    /// Moves time and runs the background jobs due at the new moment.
    pub async fn advance(&self, millis: i64) {
        self.clock.advance(millis);
        app::jobs::run_pending(&self.state).await.unwrap();
    }

    pub async fn audit_actions(&self, tip_id: i64) -> Vec<String> {
        self.state
            .store
            .audit_for_object(domain::audit::ObjectRef::Tip(tip_id))
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect()
    }
}
