//! A link between two tips as a viewer may see it: reasons and the other tip, or only the
//! notice that another agency may hold a related record.

use app::links::LinkedTip;
use domain::time::rfc3339;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The other tip of a link, as far as the viewer may see it.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct OtherTip {
    /// Absent when another agency holds the record and has not shared it.
    pub tip_id: Option<i64>,
    pub reference: Option<String>,
    pub tier: Option<String>,
    pub status: Option<String>,
    pub category: Option<String>,
    pub received_at: Option<String>,
    /// True when the other tip arrived before this one.
    pub earlier: Option<bool>,
    /// Shown instead of any content when the viewer may not read the other record.
    pub notice: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct LinkView {
    /// The link that stands for the pair of tips: deciding it decides the pair.
    pub id: i64,
    /// Every link between the two tips, one per pair of mentions that matched (`id` first).
    pub link_ids: Vec<i64>,
    /// suggested, confirmed or rejected.
    pub state: String,
    /// The state in words.
    pub state_label: String,
    /// Match weight (log2 Bayes factor) and probability; absent for records you may not read.
    pub weight: Option<f64>,
    pub probability: Option<f64>,
    /// One line per field, e.g. "date of birth: exact, +6.1", of every pair of mentions that
    /// matched (the strongest first, each line once). Absent for records you may not read.
    pub reasons: Vec<String>,
    pub summary: Option<String>,
    pub other: OtherTip,
    pub decided_at: Option<String>,
    pub decision_reason: Option<String>,
}

impl LinkView {
    /// A link seen from `tip_id`: the other side in full, or only a notice.
    pub fn of(tip_id: i64, l: &LinkedTip) -> LinkView {
        match &l.other {
            Some(other) => {
                let parsed: Vec<serde_json::Value> =
                    l.explanations.iter().map(|e| super::stored_json("link explanation", e)).collect();
                let mut reasons: Vec<String> = Vec::new();
                for line in parsed.iter().flat_map(|e| e["reasons"].as_array().into_iter().flatten()) {
                    if let Some(line) = line.as_str()
                        && !reasons.iter().any(|r| r == line)
                    {
                        reasons.push(line.to_owned());
                    }
                }
                LinkView {
                    id: l.link.id,
                    link_ids: l.link_ids.clone(),
                    state: l.link.state.code().into(),
                    state_label: l.link.state.label().into(),
                    weight: Some(l.link.link.weight),
                    probability: Some(l.link.link.probability),
                    reasons,
                    summary: parsed.first().and_then(|e| e["summary"].as_str()).map(str::to_owned),
                    other: OtherTip {
                        tip_id: Some(other.id),
                        reference: Some(other.reference.clone()),
                        tier: Some(other.tier.code().into()),
                        status: Some(other.status.code().into()),
                        category: Some(other.category.code().into()),
                        received_at: Some(rfc3339(other.received_at)),
                        earlier: Some(other.id < tip_id),
                        notice: None,
                    },
                    decided_at: l.link.decided_at.map(rfc3339),
                    decision_reason: l.link.reason.clone(),
                }
            }
            None => LinkView {
                id: l.link.id,
                link_ids: l.link_ids.clone(),
                state: l.link.state.code().into(),
                state_label: l.link.state.label().into(),
                weight: None,
                probability: None,
                reasons: Vec::new(),
                summary: None,
                other: OtherTip {
                    tip_id: None,
                    reference: None,
                    tier: None,
                    status: None,
                    category: None,
                    received_at: None,
                    earlier: None,
                    notice: Some(
                        "Another agency may hold a related record. Request access to see it; the agency decides."
                            .into(),
                    ),
                },
                decided_at: None,
                decision_reason: None,
            },
        }
    }
}
