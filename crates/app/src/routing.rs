//! Everything routing and escalation need to know about agencies, read once and cached.

use domain::routing::{RoutingAgency, RoutingSite};
use domain::sla::AckPolicy;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use store::Store;
use store::model::{Contact, ContactRole};
use tokio::sync::RwLock;

/// The setting naming the agency that receives tips nothing else matches.
pub const FALLBACK_SETTING: &str = "fallback_agency_id";
/// The IANA time zone the console shows times in (UTC when unset).
pub const TIME_ZONE_SETTING: &str = "time_zone";

/// Agencies change rarely; other servers' changes are picked up within this time.
const ROUTING_TTL: Duration = Duration::from_secs(10);

#[derive(Debug, Default)]
pub struct RoutingData {
    pub agencies: Vec<RoutingAgency>,
    pub sites: HashMap<i64, RoutingSite>,
    pub policies: HashMap<i64, AckPolicy>,
    pub partners: HashMap<i64, i64>,
    pub contacts: HashMap<i64, Vec<Contact>>,
    pub names: HashMap<i64, String>,
    pub fallback_agency_id: Option<i64>,
    /// The instance's time zone, for the times people read.
    pub zone: domain::zone::Zone,
}

impl RoutingData {
    pub fn policy(&self, agency_id: i64) -> AckPolicy {
        self.policies.get(&agency_id).copied().unwrap_or_default()
    }

    /// The policies of these agencies, for the shortest-window rule.
    pub fn policies_of<'a>(
        &'a self,
        agencies: impl IntoIterator<Item = &'a i64> + 'a,
    ) -> impl Iterator<Item = AckPolicy> + 'a {
        agencies.into_iter().map(|a| self.policy(*a))
    }

    pub fn contacts(&self, agency_id: i64, role: ContactRole) -> impl Iterator<Item = &Contact> {
        self.contacts.get(&agency_id).into_iter().flatten().filter(move |c| c.role == role)
    }

    pub fn agency_name(&self, id: i64) -> String {
        self.names.get(&id).cloned().unwrap_or_else(|| format!("agency {id}"))
    }
}

/// The cached data and when it was read.
#[derive(Default)]
pub struct RoutingCache(RwLock<Option<(Instant, Arc<RoutingData>)>>);

impl RoutingCache {
    pub async fn get(&self, store: &dyn Store) -> anyhow::Result<Arc<RoutingData>> {
        if let Some((at, data)) = self.0.read().await.as_ref()
            && at.elapsed() < ROUTING_TTL
        {
            return Ok(data.clone());
        }
        let data = Arc::new(load(store).await?);
        *self.0.write().await = Some((Instant::now(), data.clone()));
        Ok(data)
    }

    pub async fn invalidate(&self) {
        *self.0.write().await = None;
    }
}

async fn load(store: &dyn Store) -> anyhow::Result<RoutingData> {
    let agencies = store.list_agencies().await?;
    let sites = store.list_sites().await?;
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
        data.contacts.insert(a.id, store.list_contacts(a.id).await?);
    }
    for s in sites {
        let location = s.lat.zip(s.lon).map(|(lat, lon)| (lon, lat));
        data.sites.insert(s.id, RoutingSite { id: s.id, name: s.name, owner_agency_id: s.owner_agency_id, location });
    }
    data.zone = match store.get_setting(TIME_ZONE_SETTING).await? {
        None => domain::zone::Zone::default(),
        Some(name) => domain::zone::Zone::parse(&name).unwrap_or_else(|e| {
            // Set through `Admin::set_time_zone`, which checks it; a build without the zone shows UTC.
            tracing::error!(error = %e.reason, "the time zone setting");
            domain::zone::Zone::default()
        }),
    };
    let configured = store.get_setting(FALLBACK_SETTING).await?.and_then(|v| v.parse::<i64>().ok());
    data.fallback_agency_id = configured
        .filter(|id| data.names.contains_key(id))
        .or_else(|| agencies.iter().find(|a| a.kind == domain::routing::AgencyKind::FusionCentre).map(|a| a.id))
        .or_else(|| agencies.first().map(|a| a.id));
    Ok(data)
}
