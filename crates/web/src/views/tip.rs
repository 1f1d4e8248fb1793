//! A tip as staff see it: the queue's summary and the whole dossier, for the API and the pages.

use super::link::LinkView;
use app::desk::dossier::Dossier;
use domain::status::Status;
use domain::time::rfc3339;
use serde::{Deserialize, Serialize};
use store::model::TipRow;
use utoipa::ToSchema;

#[derive(Serialize, Deserialize, ToSchema)]
pub struct TipSummary {
    pub id: i64,
    pub reference: String,
    pub category: String,
    pub tier: String,
    pub status: String,
    /// The category, tier and status in words, as the console shows them.
    pub category_label: String,
    pub tier_label: String,
    pub status_label: String,
    pub received_at: String,
    /// When it must be acknowledged (or reviewed) by; absent once a person has it.
    pub due_at: Option<String>,
    /// Milliseconds left to `due_at` (negative when overdue).
    pub due_in_ms: Option<i64>,
    pub overdue: bool,
    pub escalation_level: i64,
    pub assignee_id: Option<i64>,
    pub agencies: Vec<i64>,
    /// Agencies that must still acknowledge (a pending primary route): the clock runs for them
    /// even after another agency took the tip.
    pub waiting_agencies: Vec<i64>,
    /// The first 200 characters of the narrative.
    pub excerpt: String,
    /// The tipster added a message or a file nobody working the tip has read yet.
    pub new_information: bool,
}

impl TipSummary {
    pub fn of(t: &TipRow, now: i64) -> TipSummary {
        TipSummary {
            id: t.id,
            reference: t.reference.clone(),
            category: t.category.code().into(),
            tier: t.tier.code().into(),
            status: t.status.code().into(),
            category_label: t.category.label().into(),
            tier_label: t.tier.label().into(),
            status_label: t.status.label().into(),
            received_at: rfc3339(t.received_at),
            due_at: t.ack_due_at.map(rfc3339),
            due_in_ms: t.ack_due_at.map(|d| d - now),
            overdue: t.ack_due_at.is_some_and(|d| d < now),
            new_information: t.tipster_news_at.is_some(),
            escalation_level: t.escalation_level,
            assignee_id: t.assignee_id,
            agencies: t.active_agencies.clone(),
            waiting_agencies: t.waiting_agencies.clone(),
            excerpt: t.narrative.chars().take(200).collect(),
        }
    }
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct EvidenceSpan {
    /// Byte offsets into the narrative.
    pub start: usize,
    pub end: usize,
    pub text: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct FactorView {
    pub kind: String,
    /// The factor in words.
    pub label: String,
    pub evidence: Vec<EvidenceSpan>,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct RouteView {
    pub agency_id: i64,
    pub agency: String,
    /// `primary` (must acknowledge, on the clock) or `informed` (told; marks it as seen).
    pub role: String,
    /// The role in words: "must acknowledge" or "informed".
    pub role_label: String,
    /// Why this agency received the tip.
    pub reason: String,
    /// pending, accepted, declined or transferred.
    pub state: String,
    /// The state in words ("not yet acknowledged"; "seen" for an informed receiver).
    pub state_label: String,
    pub decision_reason: Option<String>,
    pub at: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct MessageView {
    /// tipster or staff.
    pub from: String,
    pub user_id: Option<i64>,
    /// Who wrote it, by name ("the tipster" for the tipster).
    pub author: String,
    pub body: String,
    pub at: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct SubjectView {
    pub name: Option<String>,
    pub age: Option<i64>,
    pub dob: Option<String>,
    pub school: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub handles: Vec<String>,
}

impl From<&store::model::SubjectRow> for SubjectView {
    fn from(s: &store::model::SubjectRow) -> Self {
        SubjectView {
            name: s.name.clone(),
            age: s.age,
            dob: s.dob.clone(),
            school: s.school.clone(),
            phone: s.phone.clone(),
            email: s.email.clone(),
            handles: s.handles.clone(),
        }
    }
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct EventView {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    /// Who, by name, and what, in words.
    pub actor_name: String,
    pub action_label: String,
    pub reason: String,
    pub detail: serde_json::Value,
}

/// Another tip, by id and reference.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct TipRefView {
    pub id: i64,
    pub reference: String,
}

impl From<&store::model::TipRef> for TipRefView {
    fn from(t: &store::model::TipRef) -> Self {
        TipRefView { id: t.id, reference: t.reference.clone() }
    }
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct TierRequestView {
    pub tier: String,
    pub tier_label: String,
    pub reason: String,
    /// The user id of who asked, and their name.
    pub requested_by: i64,
    pub requested_by_name: String,
    pub at: String,
}

#[derive(Serialize, Deserialize, ToSchema)]
pub struct TipDetailView {
    #[serde(flatten)]
    pub summary: TipSummary,
    pub narrative: String,
    pub language: String,
    pub location_text: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub site_id: Option<i64>,
    /// The rule that set the tier, as an id and in words.
    pub tier_rule: String,
    pub tier_rule_text: String,
    /// The tier triage gave, kept when a person overrides it.
    pub original_tier: String,
    pub original_tier_label: String,
    pub tier_override_reason: Option<String>,
    /// The most urgent tier the tip was ever at: what the second-review rule looks at.
    pub peak_tier: String,
    pub peak_tier_label: String,
    /// A lowering of the tier that waits for a supervisor, with who asked and why.
    pub tier_request: Option<TierRequestView>,
    pub factors: Vec<FactorView>,
    pub subjects: Vec<SubjectView>,
    pub routes: Vec<RouteView>,
    pub messages: Vec<MessageView>,
    pub disposition: Option<String>,
    pub disposition_label: Option<String>,
    pub disposition_reason: Option<String>,
    /// For a tip closed as a duplicate: the tip it duplicates.
    pub duplicate_of: Option<TipRefView>,
    /// Tips closed as duplicates of this one.
    pub duplicates: Vec<TipRefView>,
    /// True when a close waits for a supervisor's second review.
    pub awaiting_review: bool,
    pub contact_given: bool,
    /// Every recorded event on this tip, oldest first.
    pub timeline: Vec<EventView>,
    /// Other tips that may be about the same person, strongest first, with reasons.
    pub linked_tips: Vec<super::link::LinkView>,
}

impl TipDetailView {
    /// The dossier as the API returns it and the tip page shows it.
    pub fn of(dossier: &Dossier, now: i64) -> TipDetailView {
        let d = &dossier.detail;
        TipDetailView {
            summary: TipSummary::of(&d.tip, now),
            narrative: d.tip.narrative.clone(),
            language: d.tip.language.code().into(),
            location_text: d.tip.location_text.clone(),
            lat: d.tip.lat,
            lon: d.tip.lon,
            site_id: d.tip.site_id,
            tier_rule: d.tip.tier_rule.clone(),
            tier_rule_text: d.tip.tier_rule_text.clone(),
            original_tier: d.tip.original_tier.code().into(),
            original_tier_label: d.tip.original_tier.label().into(),
            tier_override_reason: d.tip.tier_override_reason.clone(),
            peak_tier: d.tip.peak_tier.code().into(),
            peak_tier_label: d.tip.peak_tier.label().into(),
            tier_request: d.tip.tier_request.as_ref().map(|r| TierRequestView {
                tier: r.tier.code().into(),
                tier_label: r.tier.label().into(),
                reason: r.reason.clone(),
                requested_by: r.by,
                requested_by_name: dossier.person(r.by),
                at: rfc3339(r.at),
            }),
            factors: d
                .factors
                .iter()
                .map(|f| FactorView {
                    kind: f.kind.clone(),
                    label: domain::urgency::FactorKind::parse(&f.kind)
                        .map_or_else(|| f.kind.clone(), |k| k.label().into()),
                    evidence: serde_json::from_str(&f.evidence).unwrap_or_else(|e| {
                        // Evidence spans are written by intake; unreadable ones highlight nothing
                        // rather than hide the tip, and are logged.
                        tracing::error!(error = %e, "a factor's evidence does not parse");
                        Vec::new()
                    }),
                })
                .collect(),
            subjects: d.subjects.iter().map(SubjectView::from).collect(),
            routes: d
                .routes
                .iter()
                .map(|r| RouteView {
                    agency_id: r.agency_id,
                    agency: r.agency_name.clone(),
                    role: r.role.code().into(),
                    role_label: r.role.label().into(),
                    reason: r.reason.clone(),
                    state: r.state.code().into(),
                    state_label: match (r.role, r.state) {
                        (domain::routing::RouteRole::Informed, domain::routing::RouteState::Accepted) => "seen".into(),
                        (_, state) => state.label().into(),
                    },
                    decision_reason: r.decision_reason.clone(),
                    at: rfc3339(r.decided_at.unwrap_or(r.created_at)),
                })
                .collect(),
            messages: d
                .messages
                .iter()
                .zip(&dossier.messages)
                .map(|(m, body)| MessageView {
                    from: m.author.code().into(),
                    user_id: m.user_id,
                    author: match m.user_id {
                        Some(id) => dossier.person(id),
                        None => "the tipster".into(),
                    },
                    body: body.clone(),
                    at: rfc3339(m.created_at),
                })
                .collect(),
            disposition: d.tip.disposition.map(|x| x.code().to_owned()),
            disposition_label: d.tip.disposition.map(|x| x.label().to_owned()),
            disposition_reason: d.tip.disposition_reason.clone(),
            duplicate_of: d.duplicate_of.as_ref().map(TipRefView::from),
            duplicates: d.duplicates.iter().map(TipRefView::from).collect(),
            awaiting_review: d.tip.status == Status::AwaitingReview,
            contact_given: d.has_contact,
            timeline: dossier
                .timeline
                .iter()
                .map(|e| EventView {
                    seq: e.seq,
                    at: rfc3339(e.at_ms),
                    actor: e.actor.clone(),
                    action: e.action.clone(),
                    actor_name: dossier.actor_name(&e.actor),
                    action_label: domain::audit::AuditAction::parse(&e.action)
                        .map_or_else(|| e.action.replace(['.', '_'], " "), |a| a.label()),
                    reason: e.reason.clone(),
                    detail: super::stored_json("audit detail", &e.detail),
                })
                .collect(),
            linked_tips: dossier.linked.iter().map(|l| LinkView::of(d.tip.id, l)).collect(),
        }
    }
}
