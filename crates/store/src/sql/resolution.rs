//! Mentions, suggested links and their decisions, access requests and shares.

use super::SqlStore;
use super::bulk::Rows;
use crate::model::*;
use crate::{Result, StoreError};
use domain::link::{LinkState, RequestState};
use sqlx::Row;
use sqlx::any::AnyRow;

const MENTION_COLUMNS: &str = "m.id, m.tip_id, t.reference, m.source, m.name, m.dob, m.phone, m.email, m.handle, m.school, \
     m.evidence, k.key_id AS data_key_id, k.wrapped AS data_key_wrapped";
/// Mentions with their tip's reference and wrapped data key, which their fields are sealed under.
const MENTION_FROM: &str = "mentions m JOIN tips t ON t.id = m.tip_id LEFT JOIN tip_keys k ON k.tip_id = m.tip_id";
const LINK_COLUMNS: &str = "id, mention_id, other_mention_id, tip_id, other_tip_id, weight, probability, explanation, state, \
     decided_by, decided_at, reason, created_at";
const REQUEST_COLUMNS: &str = "id, tip_id, link_id, requesting_agency_id, requested_by, reason, state, decided_by, decided_at, \
     decision_reason, created_at";

fn mention(r: &AnyRow) -> Result<Mention> {
    Ok(Mention {
        id: r.try_get("id")?,
        tip_id: r.try_get("tip_id")?,
        reference: r.try_get("reference")?,
        data_key: super::rows::wrapped_key(r)?,
        row: MentionRow {
            source: super::rows::code(r, "source", domain::link::MentionSource::parse)?,
            name: r.try_get("name")?,
            dob: r.try_get("dob")?,
            phone: r.try_get("phone")?,
            email: r.try_get("email")?,
            handle: r.try_get("handle")?,
            school: r.try_get("school")?,
            evidence: r.try_get("evidence")?,
        },
    })
}

fn link(r: &AnyRow) -> Result<LinkRow> {
    let state: String = r.try_get("state")?;
    Ok(LinkRow {
        id: r.try_get("id")?,
        link: NewLink {
            mention_id: r.try_get("mention_id")?,
            tip_id: r.try_get("tip_id")?,
            other_mention_id: r.try_get("other_mention_id")?,
            other_tip_id: r.try_get("other_tip_id")?,
            weight: r.try_get("weight")?,
            probability: r.try_get("probability")?,
            explanation: r.try_get("explanation")?,
        },
        state: LinkState::parse(&state).ok_or_else(|| StoreError::Corrupt(format!("link state {state:?}")))?,
        decided_by: r.try_get("decided_by")?,
        decided_at: r.try_get("decided_at")?,
        reason: r.try_get("reason")?,
        created_at: r.try_get("created_at")?,
    })
}

fn request(r: &AnyRow) -> Result<AccessRequestRow> {
    let state: String = r.try_get("state")?;
    Ok(AccessRequestRow {
        id: r.try_get("id")?,
        request: NewAccessRequest {
            tip_id: r.try_get("tip_id")?,
            link_id: r.try_get("link_id")?,
            requesting_agency_id: r.try_get("requesting_agency_id")?,
            requested_by: r.try_get("requested_by")?,
            reason: r.try_get("reason")?,
        },
        state: RequestState::parse(&state).ok_or_else(|| StoreError::Corrupt(format!("request state {state:?}")))?,
        decided_by: r.try_get("decided_by")?,
        decided_at: r.try_get("decided_at")?,
        decision_reason: r.try_get("decision_reason")?,
        created_at: r.try_get("created_at")?,
    })
}

pub(super) fn mention_rows() -> Rows {
    Rows::new(
        "INSERT INTO mentions (tip_id, source, name, dob, phone, email, handle, school, evidence, created_at)",
        "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        "",
    )
}

pub(super) fn push_mentions(rows: &mut Rows, tip_id: i64, mentions: &[MentionRow], now: i64) {
    for m in mentions {
        rows.push([
            tip_id.into(),
            m.source.code().into(),
            (&m.name).into(),
            (&m.dob).into(),
            (&m.phone).into(),
            (&m.email).into(),
            (&m.handle).into(),
            (&m.school).into(),
            (&m.evidence).into(),
            now.into(),
        ]);
    }
}

impl SqlStore {
    pub(super) async fn mentions_page(&self, after_id: i64, limit: i64, unmatched: bool) -> Result<Vec<Mention>> {
        let filter = if unmatched { "m.matched_at IS NULL AND " } else { "" };
        let sql = self.sql(&format!(
            "SELECT {MENTION_COLUMNS} FROM {MENTION_FROM} WHERE {filter}m.id > $1 ORDER BY m.id LIMIT $2"
        ));
        let rows = sqlx::query(sql).bind(after_id).bind(limit).fetch_all(&self.read).await?;
        rows.iter().map(mention).collect()
    }

    pub(super) async fn shares_of(&self, tip_id: i64) -> Result<Vec<i64>> {
        let rows = sqlx::query(self.sql("SELECT agency_id FROM tip_shares WHERE tip_id = $1 ORDER BY agency_id"))
            .bind(tip_id)
            .fetch_all(&self.read)
            .await?;
        rows.iter().map(|r| Ok(r.try_get("agency_id")?)).collect()
    }
}

#[async_trait::async_trait]
impl crate::LinkStore for SqlStore {
    async fn mentions_after(&self, after_id: i64, limit: i64) -> Result<Vec<Mention>> {
        self.mentions_page(after_id, limit, false).await
    }

    async fn unmatched_mentions(&self, limit: i64) -> Result<Vec<Mention>> {
        self.mentions_page(0, limit, true).await
    }

    async fn record_matches(
        &self,
        mention_id: i64,
        links: Vec<NewLink>,
        audit: Vec<NewAudit>,
        now: i64,
    ) -> Result<usize> {
        let mut tx = self.begin().await?;
        let insert = self.sql(
            "INSERT INTO links (mention_id, other_mention_id, tip_id, other_tip_id, weight, probability, explanation, state, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'suggested', $8) ON CONFLICT (mention_id, other_mention_id) DO NOTHING",
        );
        let mut added = 0;
        for l in &links {
            // A pair of mentions suggested before, in either direction, is not suggested again;
            // nor is any pair of two tips people have decided on. Another pair of mentions of
            // two tips still undecided joins their one suggestion with its reasons.
            let exists = sqlx::query(self.sql(
                "SELECT id FROM links WHERE (mention_id = $1 AND other_mention_id = $2) OR (mention_id = $2 AND other_mention_id = $1) \
                 OR (state <> 'suggested' AND ((tip_id = $3 AND other_tip_id = $4) OR (tip_id = $4 AND other_tip_id = $3))) LIMIT 1",
            ))
            .bind(l.mention_id)
            .bind(l.other_mention_id)
            .bind(l.tip_id)
            .bind(l.other_tip_id)
            .fetch_optional(&mut *tx)
            .await?;
            if exists.is_some() {
                continue;
            }
            let done = sqlx::query(insert.clone())
                .bind(l.mention_id)
                .bind(l.other_mention_id)
                .bind(l.tip_id)
                .bind(l.other_tip_id)
                .bind(l.weight)
                .bind(l.probability)
                .bind(&l.explanation)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            added += done.rows_affected() as usize;
        }
        sqlx::query(self.sql("UPDATE mentions SET matched_at = $1 WHERE id = $2"))
            .bind(now)
            .bind(mention_id)
            .execute(&mut *tx)
            .await?;
        if added > 0 {
            self.append_audit_in(&mut tx, &audit).await?;
        }
        tx.commit().await?;
        Ok(added)
    }

    async fn links_for_tip(&self, tip_id: i64) -> Result<Vec<LinkRow>> {
        let sql = self.sql(&format!(
            "SELECT {LINK_COLUMNS} FROM links WHERE tip_id = $1 OR other_tip_id = $1 ORDER BY weight DESC, id"
        ));
        let rows = sqlx::query(sql).bind(tip_id).fetch_all(&self.read).await?;
        rows.iter().map(link).collect()
    }

    async fn get_link(&self, id: i64) -> Result<LinkRow> {
        let sql = self.sql(&format!("SELECT {LINK_COLUMNS} FROM links WHERE id = $1"));
        let row = sqlx::query(sql).bind(id).fetch_optional(&self.read).await?.ok_or(StoreError::NotFound("link"))?;
        link(&row)
    }

    async fn decide_link(
        &self,
        id: i64,
        from: LinkState,
        to: LinkState,
        by: i64,
        reason: &str,
        audit: NewAudit,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let done = sqlx::query(self.sql(
            "UPDATE links SET state = $1, decided_by = $2, decided_at = $3, reason = $4 WHERE id = $5 AND state = $6",
        ))
        .bind(to.code())
        .bind(by)
        .bind(audit.at_ms)
        .bind(reason)
        .bind(id)
        .bind(from.code())
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::Conflict("the link was decided meanwhile; reload".into()));
        }
        // The other links between the same two tips are one suggestion with this one.
        sqlx::query(self.sql(
            "UPDATE links SET state = $1, decided_by = $2, decided_at = $3, reason = $4 \
             WHERE id <> $5 AND state = $6 AND EXISTS (SELECT 1 FROM links d WHERE d.id = $5 \
               AND ((links.tip_id = d.tip_id AND links.other_tip_id = d.other_tip_id) \
                 OR (links.tip_id = d.other_tip_id AND links.other_tip_id = d.tip_id)))",
        ))
        .bind(to.code())
        .bind(by)
        .bind(audit.at_ms)
        .bind(reason)
        .bind(id)
        .bind(from.code())
        .execute(&mut *tx)
        .await?;
        self.append_audit_in(&mut tx, &[audit]).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn tip_audience(&self, tip_id: i64) -> Result<domain::staff::Audience> {
        let rows = sqlx::query(self.sql(
            "SELECT agency_id, state FROM tip_routes WHERE tip_id = $1 \
             UNION ALL SELECT agency_id, 'shared' AS state FROM tip_shares WHERE tip_id = $1",
        ))
        .bind(tip_id)
        .fetch_all(&self.read)
        .await?;
        let mut a = domain::staff::Audience::default();
        for r in rows {
            let agency: i64 = r.try_get("agency_id")?;
            let state: String = r.try_get("state")?;
            if state == "pending" || state == "accepted" {
                a.holders.push(agency);
            }
            a.readers.push(agency);
        }
        for v in [&mut a.holders, &mut a.readers] {
            v.sort_unstable();
            v.dedup();
        }
        Ok(a)
    }

    async fn create_access_request(&self, r: NewAccessRequest, audit: NewAudit) -> Result<i64> {
        let mut tx = self.begin().await?;
        let pending = sqlx::query(self.sql(
            "SELECT id FROM access_requests WHERE tip_id = $1 AND requesting_agency_id = $2 AND state = 'pending'",
        ))
        .bind(r.tip_id)
        .bind(r.requesting_agency_id)
        .fetch_optional(&mut *tx)
        .await?;
        if pending.is_some() {
            return Err(StoreError::Conflict("your agency already has a pending request for this record".into()));
        }
        let id: i64 = sqlx::query(self.sql(
            "INSERT INTO access_requests (tip_id, link_id, requesting_agency_id, requested_by, reason, state, created_at) \
             VALUES ($1, $2, $3, $4, $5, 'pending', $6) RETURNING id",
        ))
        .bind(r.tip_id)
        .bind(r.link_id)
        .bind(r.requesting_agency_id)
        .bind(r.requested_by)
        .bind(&r.reason)
        .bind(audit.at_ms)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        let mut audit = audit;
        audit.detail =
            serde_json::json!({"request_id": id, "requesting_agency_id": r.requesting_agency_id}).to_string();
        self.append_audit_in(&mut tx, &[audit]).await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn get_access_request(&self, id: i64) -> Result<AccessRequestRow> {
        let sql = self.sql(&format!("SELECT {REQUEST_COLUMNS} FROM access_requests WHERE id = $1"));
        let row = sqlx::query(sql)
            .bind(id)
            .fetch_optional(&self.read)
            .await?
            .ok_or(StoreError::NotFound("access request"))?;
        request(&row)
    }

    async fn access_requests(&self, agency_id: i64) -> Result<Vec<AccessRequestRow>> {
        let sql = self.sql(&format!(
            "SELECT {REQUEST_COLUMNS} FROM access_requests q WHERE q.requesting_agency_id = $1 \
             OR EXISTS (SELECT 1 FROM tip_routes r WHERE r.tip_id = q.tip_id AND r.agency_id = $1 AND r.state IN ('pending','accepted')) \
             ORDER BY q.id DESC LIMIT 500"
        ));
        let rows = sqlx::query(sql).bind(agency_id).fetch_all(&self.read).await?;
        rows.iter().map(request).collect()
    }

    async fn decide_access_request(&self, id: i64, grant: bool, by: i64, reason: &str, audit: NewAudit) -> Result<()> {
        let mut tx = self.begin().await?;
        let state = if grant { RequestState::Granted } else { RequestState::Refused };
        let row = sqlx::query(self.sql(
            "UPDATE access_requests SET state = $1, decided_by = $2, decided_at = $3, decision_reason = $4 \
             WHERE id = $5 AND state = 'pending' RETURNING tip_id, requesting_agency_id",
        ))
        .bind(state.code())
        .bind(by)
        .bind(audit.at_ms)
        .bind(reason)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| StoreError::Conflict("the request is no longer pending".into()))?;
        if grant {
            let tip_id: i64 = row.try_get("tip_id")?;
            let agency: i64 = row.try_get("requesting_agency_id")?;
            sqlx::query(self.sql(
                "INSERT INTO tip_shares (tip_id, agency_id, request_id, granted_by, granted_at) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (tip_id, agency_id) DO NOTHING",
            ))
            .bind(tip_id)
            .bind(agency)
            .bind(id)
            .bind(by)
            .bind(audit.at_ms)
            .execute(&mut *tx)
            .await?;
        }
        self.append_audit_in(&mut tx, &[audit]).await?;
        tx.commit().await?;
        Ok(())
    }
}
