//! Shared application state and the routing data cache.

use crate::clock::Clock;
use crate::secrets::Secrets;
use domain::routing::{RoutingAgency, RoutingSite};
use domain::sla::AckPolicy;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use store::Store;
use store::model::{Contact, ContactRole};
use tokio::sync::{Notify, RwLock};

/// Settings the server runs with.
#[derive(Debug, Clone)]
pub struct Options {
    /// Cheap Argon2 parameters, for tests only.
    pub fast_password_hash: bool,
    /// How long a tipster's follow-up session lasts.
    pub tipster_session_ms: i64,
    /// Start the background scheduler (tests drive jobs by hand instead).
    pub run_jobs: bool,
    /// Staff access controls (stricter-only).
    pub security: crate::policy::SecurityPolicy,
    /// Take the client address for rate limits from `X-Forwarded-For` (behind a proxy you run).
    pub trust_proxy: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            fast_password_hash: false,
            tipster_session_ms: 2 * 60 * 60 * 1000,
            run_jobs: true,
            security: crate::policy::SecurityPolicy::default(),
            trust_proxy: false,
        }
    }
}

/// What every handler shares, behind one `Arc`: axum clones the state for each request (for the
/// handler and again for the middleware), and cloning and dropping the fields themselves (the
/// keyring, the options, a dozen reference counts) was about 3 % of the server's samples in
/// perf at 512 clients.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::ops::Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// The fields of [`AppState`].
pub struct Shared {
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
    pub secrets: Secrets,
    pub options: Options,
    /// Wakes the scheduler when new work is committed.
    pub jobs: Arc<Notify>,
    routing: Arc<RwLock<Option<CachedRouting>>>,
    pub http: reqwest::Client,
    /// The online index of people mentioned in tips.
    pub resolver: Arc<std::sync::Mutex<crate::resolution::Resolver>>,
    /// Tip changes for live consoles (server-sent events).
    pub events: tokio::sync::broadcast::Sender<TipEvent>,
    /// Abuse control: in-memory counters under a rotating salt.
    pub limiter: Arc<crate::abuse::Limiter>,
}

/// Something happened to a tip; consoles of these agencies refresh.
#[derive(Debug, Clone)]
pub struct TipEvent {
    pub tip_id: i64,
    /// `new` or `changed`.
    pub kind: &'static str,
    pub tier: &'static str,
    pub agencies: Vec<i64>,
}

/// Routing data and when it was read.
type CachedRouting = (Instant, Arc<RoutingData>);

/// Everything routing and escalation need to know about agencies, read once and cached.
#[derive(Debug, Default)]
pub struct RoutingData {
    pub agencies: Vec<RoutingAgency>,
    pub sites: HashMap<i64, RoutingSite>,
    pub policies: HashMap<i64, AckPolicy>,
    pub partners: HashMap<i64, i64>,
    pub contacts: HashMap<i64, Vec<Contact>>,
    pub names: HashMap<i64, String>,
    pub fallback_agency_id: Option<i64>,
}

impl RoutingData {
    pub fn policy(&self, agency_id: i64) -> AckPolicy {
        self.policies.get(&agency_id).copied().unwrap_or_default()
    }

    pub fn contacts(&self, agency_id: i64, role: ContactRole) -> impl Iterator<Item = &Contact> {
        self.contacts.get(&agency_id).into_iter().flatten().filter(move |c| c.role == role)
    }
}

/// Agencies change rarely; other servers' changes are picked up within this time.
const ROUTING_TTL: Duration = Duration::from_secs(10);

impl AppState {
    pub fn new(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        secrets: Secrets,
        options: Options,
    ) -> anyhow::Result<AppState> {
        options.security.validate().map_err(|e| anyhow::anyhow!("security settings: {e}"))?;
        // One TLS crypto provider for the process: ring (no C toolchain, no OpenSSL). A second
        // call finds it installed, which is fine.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        Ok(AppState(Arc::new(Shared {
            store,
            clock,
            secrets,
            options,
            jobs: Arc::new(Notify::new()),
            routing: Arc::new(RwLock::new(None)),
            http,
            resolver: Arc::default(),
            events: tokio::sync::broadcast::channel(1024).0,
            limiter: Arc::default(),
        })))
    }

    /// Tells open consoles; nobody listening is fine.
    pub fn publish(&self, event: TipEvent) {
        let _ = self.events.send(event);
    }

    pub fn now(&self) -> i64 {
        self.clock.now().0
    }

    /// The routing data, reloaded when older than [`ROUTING_TTL`] or invalidated.
    pub async fn routing(&self) -> anyhow::Result<Arc<RoutingData>> {
        if let Some((at, data)) = self.routing.read().await.as_ref()
            && at.elapsed() < ROUTING_TTL
        {
            return Ok(data.clone());
        }
        let data = Arc::new(self.load_routing().await?);
        *self.routing.write().await = Some((Instant::now(), data.clone()));
        Ok(data)
    }

    pub async fn invalidate_routing(&self) {
        *self.routing.write().await = None;
    }

    async fn load_routing(&self) -> anyhow::Result<RoutingData> {
        let agencies = self.store.list_agencies().await?;
        let sites = self.store.list_sites().await?;
        let mut data = RoutingData::default();
        for a in &agencies {
            let jurisdiction = match &a.jurisdiction {
                Some(text) => crate::geo::parse_jurisdiction(text).ok(),
                None => None,
            };
            data.agencies.push(RoutingAgency { id: a.id, name: a.name.clone(), kind: a.kind, jurisdiction });
            data.policies.insert(a.id, a.policy());
            data.names.insert(a.id, a.name.clone());
            if let Some(p) = a.partner_agency_id {
                data.partners.insert(a.id, p);
            }
            data.contacts.insert(a.id, self.store.list_contacts(a.id).await?);
        }
        for s in sites {
            let location = s.lat.zip(s.lon).map(|(lat, lon)| (lon, lat));
            data.sites
                .insert(s.id, RoutingSite { id: s.id, name: s.name, owner_agency_id: s.owner_agency_id, location });
        }
        let configured = self.store.get_setting(FALLBACK_SETTING).await?.and_then(|v| v.parse::<i64>().ok());
        data.fallback_agency_id = configured
            .filter(|id| data.names.contains_key(id))
            .or_else(|| agencies.iter().find(|a| a.kind == domain::routing::AgencyKind::FusionCentre).map(|a| a.id))
            .or_else(|| agencies.first().map(|a| a.id));
        Ok(data)
    }
}

/// The setting naming the agency that receives tips nothing else matches.
pub const FALLBACK_SETTING: &str = "fallback_agency_id";
