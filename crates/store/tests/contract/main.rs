//! The storage contract: one suite, run on every backend. SQLite always; PostgreSQL when
//! `SIGHTLINE_TEST_PG_URL` names a server (the README's test command starts one), each test
//! in a fresh database of its own.

mod admin;
mod audit;
mod background;
mod codes;
mod dashboard;
mod group_commit;
mod resolution;
mod security;
mod tips;

use domain::audit::ObjectRef;
use std::future::Future;
use std::sync::Arc;
use store::SqlStore;
use store::prelude::*;

/// A store under test, with what keeps it alive (a temp dir, or a database to drop).
pub struct TestStore {
    pub store: Arc<SqlStore>,
    pub name: &'static str,
    /// The database, for tests that write behind the store's back.
    pub url: String,
    _dir: Option<tempfile::TempDir>,
}

impl TestStore {
    /// A second store on the same database, as a server starting on it opens one (migrated,
    /// no chain key loaded yet).
    pub async fn reopen(&self) -> SqlStore {
        match &self._dir {
            Some(dir) => SqlStore::open_sqlite(dir.path()).await.expect("reopen sqlite"),
            None => SqlStore::open_postgres(&self.url).await.expect("reopen postgres"),
        }
    }
}

// Closures capture fields precisely: with a `Drop` impl, a story that uses `t.store` takes the
// whole `TestStore`, so the temp dir lives as long as the story.
impl Drop for TestStore {
    fn drop(&mut self) {}
}

async fn sqlite() -> TestStore {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = SqlStore::open_sqlite(dir.path()).await.expect("open sqlite");
    store.use_chain_key(CHAIN_KEY).await.expect("chain key");
    let url = format!("sqlite://{}", dir.path().join("sightline.db").display());
    TestStore { store: Arc::new(store), name: "sqlite", url, _dir: Some(dir) }
}

async fn postgres(url: &str) -> TestStore {
    use sqlx::{Connection, Executor};
    sqlx::any::install_default_drivers();
    let db = format!("contract_{}_{}", std::process::id(), rand_suffix());
    let mut admin = sqlx::AnyConnection::connect(url).await.expect("connect to the test PostgreSQL");
    admin.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {db}"))).await.expect("create test database");
    let base = url.rsplit_once('/').map(|(b, _)| b).unwrap_or(url);
    let url = format!("{base}/{db}");
    let store = SqlStore::open_postgres(&url).await.expect("open postgres");
    store.use_chain_key(CHAIN_KEY).await.expect("chain key");
    TestStore { store: Arc::new(store), name: "postgres", url, _dir: None }
}

/// The audit chain key of every test store.
pub const CHAIN_KEY: [u8; 32] = [42; 32];

/// Checks a test store's chain (keyed from its first event: the stores are new).
pub fn verify_chain(events: &[domain::audit::StoredAudit]) -> Result<u64, domain::audit::ChainError> {
    let mut v = domain::audit::ChainVerifier::keyed(domain::audit::ChainKey { key: CHAIN_KEY, keyed_from: 1 });
    for e in events {
        v.push(e)?;
    }
    Ok(v.count())
}

fn rand_suffix() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    // A random number per process (std's hasher keys are), and a count within it.
    use std::hash::{BuildHasher, Hasher};
    let random = std::collections::hash_map::RandomState::new().build_hasher().finish() % 1_000_000_000;
    format!("{}_{}", random, N.fetch_add(1, Ordering::Relaxed))
}

/// Runs `story` on SQLite and, when configured, on PostgreSQL.
pub async fn on_each_backend<F, Fut>(story: F)
where
    F: Fn(TestStore) -> Fut,
    Fut: Future<Output = ()>,
{
    story(sqlite().await).await;
    if let Ok(url) = std::env::var("SIGHTLINE_TEST_PG_URL") {
        story(postgres(&url).await).await;
    } else if std::env::var("CI").is_ok() {
        panic!("CI is set but SIGHTLINE_TEST_PG_URL is not: the PostgreSQL half of the contract would be skipped");
    }
}

/// A small world: a sheriff, a district with one school, a fallback fusion centre.
pub struct World {
    pub sheriff: i64,
    pub district: i64,
    pub fusion: i64,
    pub school: i64,
    pub analyst: i64,
}

pub async fn world(store: &dyn Store) -> World {
    use domain::routing::AgencyKind;
    use store::model::*;
    let agency = |name: &str, kind| NewAgency {
        name: name.into(),
        kind,
        jurisdiction: None,
        partner_agency_id: None,
        ack_policy: None,
    };
    let fusion = store.create_agency(agency("State Fusion Centre", AgencyKind::FusionCentre), "test", 1).await.unwrap();
    let sheriff = store.create_agency(agency("County Sheriff", AgencyKind::LawEnforcement), "test", 1).await.unwrap();
    let district =
        store.create_agency(agency("Unified School District", AgencyKind::SchoolDistrict), "test", 1).await.unwrap();
    let school = store
        .create_site(
            NewSite {
                name: "Pine Ridge High".into(),
                kind: domain::routing::SiteKind::School,
                owner_agency_id: district.id,
                lat: Some(34.1),
                lon: Some(-117.2),
                address: None,
            },
            "test",
            1,
        )
        .await
        .unwrap();
    let analyst = store
        .create_user(
            NewUser {
                agency_id: sheriff.id,
                email: "ana@sheriff.test".into(),
                display_name: "Ana Analyst".into(),
                roles: vec![domain::staff::Role::Analyst],
                password_hash: "x".into(),
                must_change_password: false,
            },
            "test",
            1,
        )
        .await
        .unwrap();
    World { sheriff: sheriff.id, district: district.id, fusion: fusion.id, school: school.id, analyst: analyst.id }
}

/// A decided tip routed to `agencies`, due at `due`.
pub fn new_tip(reference: &str, agencies: &[i64], tier: domain::urgency::Tier, due: i64) -> store::model::NewTipRecord {
    use store::model::*;
    NewTipRecord {
        reference: reference.into(),
        passphrase_hash: format!("hash-of-{reference}"),
        category: domain::tip::Category::Threat,
        narrative: "He said he will bring a gun to school on Friday.".into(),
        language: domain::tip::Language::En,
        location_text: None,
        lat: None,
        lon: None,
        site_id: None,
        tier,
        tier_rule: "intent+weapon".into(),
        tier_rule_text: "Intent with a weapon".into(),
        factors: vec![FactorRow { kind: "weapon".into(), evidence: r#"[{"start":22,"end":25,"text":"gun"}]"#.into() }],
        subjects: vec![SubjectRow {
            name: Some("Jordan Example".into()),
            handles: vec!["@jx".into()],
            ..Default::default()
        }],
        mentions: vec![MentionRow {
            source: domain::link::MentionSource::Subject,
            name: Some("Jordan Example".into()),
            handle: Some("@jx".into()),
            ..Default::default()
        }],
        attachments: vec![NewAttachment {
            uploader: domain::tip::Author::Tipster,
            filename: "photo.jpg".into(),
            content_type: "image/jpeg".into(),
            sha256: "00".into(),
            note: "metadata removed".into(),
            data: vec![0xFF, 0xD8, 0xFF, 0xD9],
        }],
        data_key: Some(("k1".into(), "wrapped-key".into())),
        contact: None,
        routes: agencies
            .iter()
            .map(|a| NewRoute { agency_id: *a, role: domain::routing::RouteRole::Primary, reason: "test".into() })
            .collect(),
        ack_due_at: due,
        next_escalation_at: due,
        notifications: vec![],
        idempotency: None,
        received_at: 1_000,
        audit: vec![NewAudit::new(1_000, "tipster", domain::audit::AuditAction::TipReceived, ObjectRef::NewTip)],
    }
}
