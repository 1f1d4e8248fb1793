//! What every use case shares: the store, the clock, the keys, the settings, the routing cache,
//! the event sink for live consoles, the job wake-up and the outbound webhook sender.

use crate::clock::Clock;
use crate::limiter::Limiter;
use crate::outbound::WebhookSender;
use crate::routing::RoutingCache;
use std::sync::Arc;
use store::Store;
use tokio::sync::Notify;
use vault::Secrets;

/// Settings the use cases run with.
#[derive(Debug, Clone)]
pub struct Options {
    /// Cheap Argon2 parameters, for tests only.
    pub fast_password_hash: bool,
    /// How long a tipster's follow-up session lasts.
    pub tipster_session_ms: i64,
    /// Staff access controls (stricter-only).
    pub security: crate::policy::SecurityPolicy,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            fast_password_hash: false,
            // Short, on a phone that may be shared: signing in again is cheap.
            tipster_session_ms: 30 * 60 * 1000,
            security: crate::policy::SecurityPolicy::default(),
        }
    }
}

/// The context of every use case, behind one `Arc`: the web layer clones it for each request,
/// and cloning and dropping a dozen fields (the keyring, the options, the reference counts) was
/// about 3 % of the server's samples in perf at 512 clients.
#[derive(Clone)]
pub struct Ctx(Arc<Shared>);

impl std::ops::Deref for Ctx {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// The fields of [`Ctx`].
pub struct Shared {
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
    pub secrets: Secrets,
    pub options: Options,
    /// Wakes the scheduler when new work is committed.
    pub jobs: Arc<Notify>,
    routing: RoutingCache,
    /// The online index of people mentioned in tips.
    pub resolver: std::sync::Mutex<crate::resolution::Resolver>,
    /// Held while the index is brought up to date from the store, so the rebuild at start and
    /// the matching job never both open every mention.
    pub resolver_sync: tokio::sync::Mutex<()>,
    /// Tip changes for live consoles.
    pub events: tokio::sync::broadcast::Sender<TipEvent>,
    /// Abuse control: in-memory counters under a rotating salt.
    pub limiter: Limiter,
    /// Delivers the outbox's webhooks.
    pub outbound: Arc<dyn WebhookSender>,
    /// When the last audit checkpoint was signed (0: not yet), and the head it signed.
    pub last_checkpoint: std::sync::atomic::AtomicI64,
    pub last_checkpoint_seq: std::sync::atomic::AtomicI64,
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

impl Ctx {
    pub fn new(
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        secrets: Secrets,
        options: Options,
        outbound: Arc<dyn WebhookSender>,
    ) -> anyhow::Result<Ctx> {
        options.security.validate().map_err(|e| anyhow::anyhow!("security settings: {e}"))?;
        let resolver = std::sync::Mutex::new(crate::resolution::Resolver::new(&secrets));
        Ok(Ctx(Arc::new(Shared {
            store,
            clock,
            secrets,
            options,
            jobs: Arc::new(Notify::new()),
            routing: RoutingCache::default(),
            resolver,
            resolver_sync: tokio::sync::Mutex::new(()),
            events: tokio::sync::broadcast::channel(1024).0,
            limiter: Limiter::default(),
            outbound,
            last_checkpoint: Default::default(),
            last_checkpoint_seq: Default::default(),
        })))
    }

    /// Tells open consoles; nobody listening is fine.
    pub fn publish(&self, event: TipEvent) {
        let _ = self.events.send(event);
    }

    pub fn now(&self) -> i64 {
        self.clock.now().0
    }

    /// The routing data, reloaded when stale or invalidated.
    pub async fn routing(&self) -> anyhow::Result<Arc<crate::routing::RoutingData>> {
        self.routing.get(self.store.as_ref()).await
    }

    /// Agencies, sites or settings changed: the next use reads them again.
    pub async fn invalidate_routing(&self) {
        self.routing.invalidate().await;
    }
}
