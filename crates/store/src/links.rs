//! Who tips are about: mentions, the matcher's suggested links and people's decisions on them, and access requests across agencies.

use crate::Result;
#[allow(unused_imports)]
use crate::model::*;
use async_trait::async_trait;

#[async_trait]
pub trait LinkStore: Send + Sync {
    /// Mentions with an id above `after_id`, oldest first (for keeping an index in sync).
    async fn mentions_after(&self, after_id: i64, limit: i64) -> Result<Vec<Mention>>;
    /// Mentions not yet matched, oldest first.
    async fn unmatched_mentions(&self, limit: i64) -> Result<Vec<Mention>>;
    /// Stores the matcher's suggestions for one mention and marks it matched. A pair of mentions
    /// that exists already (in any state, rejected included) is left as it is, and so is every
    /// pair of tips people decided on: only an undecided pair gathers more reasons.
    async fn record_matches(
        &self,
        mention_id: i64,
        links: Vec<NewLink>,
        audit: Vec<NewAudit>,
        now: i64,
    ) -> Result<usize>;
    /// Links where the tip is either side.
    async fn links_for_tip(&self, tip_id: i64) -> Result<Vec<LinkRow>>;
    async fn get_link(&self, id: i64) -> Result<LinkRow>;
    /// Moves a link from `from` to `to`, with every other link between the same two tips in
    /// state `from` (one suggestion per pair of tips); `Conflict` when someone decided meanwhile.
    async fn decide_link(
        &self,
        id: i64,
        from: domain::link::LinkState,
        to: domain::link::LinkState,
        by: i64,
        reason: &str,
        audit: NewAudit,
    ) -> Result<()>;
    /// Who holds and who may read a tip.
    async fn tip_audience(&self, tip_id: i64) -> Result<domain::staff::Audience>;
    async fn create_access_request(&self, request: NewAccessRequest, audit: NewAudit) -> Result<i64>;
    async fn get_access_request(&self, id: i64) -> Result<AccessRequestRow>;
    /// Requests made by `agency_id`, and requests for tips `agency_id` holds.
    async fn access_requests(&self, agency_id: i64) -> Result<Vec<AccessRequestRow>>;
    /// Grants (sharing the tip with the requesting agency) or refuses a pending request.
    async fn decide_access_request(&self, id: i64, grant: bool, by: i64, reason: &str, audit: NewAudit) -> Result<()>;
}

/// A mention of a person, as stored with a new tip.
#[derive(Debug, Clone, Default)]
pub struct MentionRow {
    pub source: domain::link::MentionSource,
    pub name: Option<String>,
    pub dob: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub handle: Option<String>,
    pub school: Option<String>,
    /// For narrative mentions: the span of text it came from, as JSON.
    pub evidence: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Mention {
    pub id: i64,
    pub tip_id: i64,
    /// The tip's reference and wrapped data key: the row's fields are sealed under them.
    pub reference: String,
    pub data_key: Option<(String, String)>,
    pub row: MentionRow,
}

/// A suggested link found by the matcher.
#[derive(Debug, Clone)]
pub struct NewLink {
    /// The newer mention and its tip.
    pub mention_id: i64,
    pub tip_id: i64,
    /// The earlier mention and its tip.
    pub other_mention_id: i64,
    pub other_tip_id: i64,
    pub weight: f64,
    pub probability: f64,
    /// JSON: `{"summary": .., "reasons": [...], "weight": .., "probability": ..}`, sealed with
    /// the data key of `tip_id` (the reasons quote both sides' names and numbers).
    pub explanation: String,
}

#[derive(Debug, Clone)]
pub struct LinkRow {
    pub id: i64,
    pub link: NewLink,
    pub state: domain::link::LinkState,
    pub decided_by: Option<i64>,
    pub decided_at: Option<i64>,
    pub reason: Option<String>,
    pub created_at: i64,
}

#[derive(Debug, Clone)]
pub struct NewAccessRequest {
    pub tip_id: i64,
    pub link_id: Option<i64>,
    pub requesting_agency_id: i64,
    pub requested_by: i64,
    pub reason: String,
}

#[derive(Debug, Clone)]
pub struct AccessRequestRow {
    pub id: i64,
    pub request: NewAccessRequest,
    pub state: domain::link::RequestState,
    pub decided_by: Option<i64>,
    pub decided_at: Option<i64>,
    pub decision_reason: Option<String>,
    pub created_at: i64,
}
