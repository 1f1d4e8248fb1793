//! Decoding rows into store models; stored codes are parsed back into domain enums here.

use crate::model::*;
use crate::{Result, StoreError};
use domain::status::{Disposition, Status};
use domain::urgency::Tier;
use sqlx::Row;
use sqlx::any::AnyRow;

/// A stored code read back as its closed enum: a code this build does not know is `Corrupt`,
/// never a default.
pub(super) fn code<T>(r: &AnyRow, column: &str, parse: fn(&str) -> Option<T>) -> Result<T> {
    let text: String = r.try_get(column)?;
    parse(&text).ok_or_else(|| StoreError::Corrupt(format!("unknown {column} {text:?}")))
}

pub(super) fn tier(code: &str) -> Result<Tier> {
    Tier::parse(code).ok_or_else(|| StoreError::Corrupt(format!("unknown tier {code:?}")))
}

pub(super) fn ids(joined: Option<String>) -> Vec<i64> {
    let mut ids: Vec<i64> = joined.unwrap_or_default().split(',').filter_map(|s| s.trim().parse().ok()).collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// Columns of `tips` that [`tip`] reads, plus an `active` aggregate.
pub(super) const TIP_COLUMNS: &str = "t.id, t.reference, t.category, t.narrative, t.language, t.location_text, t.lat, t.lon, \
     t.site_id, t.tier, t.tier_rule, t.tier_rule_text, t.original_tier, t.tier_override_reason, t.status, \
     COALESCE(t.peak_tier, t.original_tier) AS peak_tier, t.tier_request, t.tier_request_reason, t.tier_request_by, \
     t.tier_request_at, t.duplicate_of, t.tipster_news_at, \
     t.assignee_id, t.ack_due_at, t.acknowledged_at, t.escalation_level, t.next_escalation_at, t.disposition, \
     t.disposition_reason, t.close_requested_by, t.closed_by, t.closed_at, t.received_at, t.updated_at, t.version";

pub(super) fn tip(r: &AnyRow) -> Result<TipRow> {
    let status: String = r.try_get("status")?;
    let disposition: Option<String> = r.try_get("disposition")?;
    Ok(TipRow {
        id: r.try_get("id")?,
        reference: r.try_get("reference")?,
        category: code(r, "category", domain::tip::Category::parse)?,
        narrative: r.try_get("narrative")?,
        language: code(r, "language", domain::tip::Language::parse)?,
        location_text: r.try_get("location_text")?,
        lat: r.try_get("lat")?,
        lon: r.try_get("lon")?,
        site_id: r.try_get("site_id")?,
        tier: tier(&r.try_get::<String, _>("tier")?)?,
        tier_rule: r.try_get("tier_rule")?,
        tier_rule_text: r.try_get("tier_rule_text")?,
        original_tier: tier(&r.try_get::<String, _>("original_tier")?)?,
        tier_override_reason: r.try_get("tier_override_reason")?,
        peak_tier: tier(&r.try_get::<String, _>("peak_tier")?)?,
        tier_request: match r.try_get::<Option<String>, _>("tier_request")? {
            None => None,
            Some(code) => Some(TierRequest {
                tier: tier(&code)?,
                reason: r.try_get::<Option<String>, _>("tier_request_reason")?.unwrap_or_default(),
                by: r.try_get::<Option<i64>, _>("tier_request_by")?.unwrap_or_default(),
                at: r.try_get::<Option<i64>, _>("tier_request_at")?.unwrap_or_default(),
            }),
        },
        duplicate_of: r.try_get("duplicate_of")?,
        tipster_news_at: r.try_get("tipster_news_at")?,
        status: Status::parse(&status).ok_or_else(|| StoreError::Corrupt(format!("unknown status {status:?}")))?,
        assignee_id: r.try_get("assignee_id")?,
        ack_due_at: r.try_get("ack_due_at")?,
        acknowledged_at: r.try_get("acknowledged_at")?,
        escalation_level: r.try_get("escalation_level")?,
        next_escalation_at: r.try_get("next_escalation_at")?,
        disposition: match disposition {
            None => None,
            Some(d) => {
                Some(Disposition::parse(&d).ok_or_else(|| StoreError::Corrupt(format!("unknown disposition {d:?}")))?)
            }
        },
        disposition_reason: r.try_get("disposition_reason")?,
        close_requested_by: r.try_get("close_requested_by")?,
        closed_by: r.try_get("closed_by")?,
        closed_at: r.try_get("closed_at")?,
        received_at: r.try_get("received_at")?,
        updated_at: r.try_get("updated_at")?,
        version: r.try_get("version")?,
        active_agencies: ids(r.try_get("active")?),
        waiting_agencies: ids(r.try_get("waiting")?),
        acting_agencies: ids(r.try_get("acting")?),
        data_key: wrapped_key(r)?,
    })
}

/// A tip's wrapped data key from `data_key_id` and `data_key_wrapped` (absent for tips stored
/// before encryption).
pub(super) fn wrapped_key(r: &AnyRow) -> Result<Option<(String, String)>> {
    let id: Option<String> = r.try_get("data_key_id")?;
    let wrapped: Option<String> = r.try_get("data_key_wrapped")?;
    Ok(id.zip(wrapped))
}

pub(super) fn agency(r: &AnyRow) -> Result<Agency> {
    let kind: String = r.try_get("kind")?;
    let policy: Option<String> = r.try_get("ack_policy")?;
    Ok(Agency {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        kind: domain::routing::AgencyKind::parse(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown agency kind {kind:?}")))?,
        jurisdiction: r.try_get("jurisdiction")?,
        partner_agency_id: r.try_get("partner_agency_id")?,
        ack_policy: match policy {
            None => None,
            Some(p) => Some(serde_json::from_str(&p).map_err(|e| StoreError::Corrupt(format!("ack_policy: {e}")))?),
        },
    })
}

pub(super) fn user(r: &AnyRow) -> Result<User> {
    let roles: String = r.try_get("roles")?;
    Ok(User {
        id: r.try_get("id")?,
        agency_id: r.try_get("agency_id")?,
        email: r.try_get("email")?,
        display_name: r.try_get("display_name")?,
        roles: roles
            .split(',')
            .filter(|s| !s.is_empty())
            .map(|s| domain::staff::Role::parse(s).map_err(|e| StoreError::Corrupt(e.to_string())))
            .collect::<Result<_>>()?,
        password_hash: r.try_get("password_hash")?,
        disabled: r.try_get::<i64, _>("disabled")? != 0,
    })
}

pub(super) fn audit(r: &AnyRow) -> Result<domain::audit::StoredAudit> {
    Ok(domain::audit::StoredAudit {
        seq: r.try_get("seq")?,
        at_ms: r.try_get("at_ms")?,
        actor: r.try_get("actor")?,
        action: r.try_get("action")?,
        object: r.try_get("object")?,
        reason: r.try_get("reason")?,
        detail: r.try_get("detail")?,
        prev_hash: r.try_get("prev_hash")?,
        hash: r.try_get("hash")?,
    })
}
