//! Tips: intake in one transaction, the queue, the detail view, and changes with audit.

use super::bulk::Rows;
use super::exec::Exec;
use super::{SqlStore, rows};
use crate::model::*;
use crate::{Result, StoreError};
use domain::audit::ObjectRef;
use domain::status::Status;
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;

fn route_rows() -> Rows {
    Rows::new(
        "INSERT INTO tip_routes (tip_id, agency_id, role, reason, state, created_at)",
        "($1, $2, $3, $4, 'pending', $5)",
        "",
    )
}

fn push_routes(rows: &mut Rows, tip_id: i64, routes: &[NewRoute], now: i64) {
    for r in routes {
        rows.push([tip_id.into(), r.agency_id.into(), r.role.code().into(), (&r.reason).into(), now.into()]);
    }
}

fn notification_rows() -> Rows {
    Rows::new(
        "INSERT INTO notifications (tip_id, agency_id, contact_id, kind, url, payload, attempts, next_attempt_at, created_at)",
        "($1, $2, $3, $4, $5, $6, 0, $7, $7)",
        "",
    )
}

fn push_notifications(rows: &mut Rows, tip_id: i64, notes: &[NewNotification], now: i64) {
    for n in notes {
        rows.push([
            tip_id.into(),
            n.agency_id.into(),
            n.contact_id.into(),
            n.kind.code().into(),
            (&n.url).into(),
            (&n.payload).into(),
            now.into(),
        ]);
    }
}

impl SqlStore {
    /// One new tip in the caller's transaction: [`SqlStore::insert_tips_in`] for one.
    pub(super) async fn insert_tip_in(&self, tx: &mut impl Exec, t: &NewTipRecord) -> Result<i64> {
        self.insert_tips_in(tx, std::slice::from_ref(t)).await?.pop().unwrap_or(Err(StoreError::NotFound("tip")))
    }

    /// Writes new tips with everything that comes with them in the caller's transaction, one
    /// multi-row statement per table for all of them. A tip whose reference or idempotency key
    /// is taken (before, or by an earlier tip of the same call) gets `Conflict` and leaves no
    /// row behind; the others are written. `Err` means a statement failed and the caller must
    /// roll back what this call wrote.
    pub(super) async fn insert_tips_in(&self, tx: &mut impl Exec, tips: &[NewTipRecord]) -> Result<Vec<Result<i64>>> {
        let mut rows = Rows::new(
            "INSERT INTO tips (reference, passphrase_hash, category, narrative, language, location_text, lat, lon, site_id, \
             tier, tier_rank, tier_rule, tier_rule_text, original_tier, peak_tier, status, ack_due_at, escalation_level, \
             next_escalation_at, received_at, updated_at, version)",
            "($1, $2, $3, $4, $5, $6, CAST($7 AS DOUBLE PRECISION), CAST($8 AS DOUBLE PRECISION), $9, $10, $11, $12, $13, $10, $10, 'routed', $14, 0, $15, $16, $16, 1)",
            "ON CONFLICT (reference) DO NOTHING RETURNING id, reference",
        );
        for t in tips {
            rows.push([
                (&t.reference).into(),
                (&t.passphrase_hash).into(),
                t.category.code().into(),
                (&t.narrative).into(),
                t.language.code().into(),
                (&t.location_text).into(),
                super::float(t.lat).into(),
                super::float(t.lon).into(),
                t.site_id.into(),
                t.tier.code().into(),
                t.tier.rank().into(),
                (&t.tier_rule).into(),
                (&t.tier_rule_text).into(),
                t.ack_due_at.into(),
                t.next_escalation_at.into(),
                t.received_at.into(),
            ]);
        }
        let mut inserted = HashMap::new();
        for (id, reference) in self.insert_rows_returning(tx, rows).await? {
            inserted.insert(reference, id);
        }
        // The first tip with a reference got it; a later one in the same call is a conflict.
        let mut outcomes: Vec<Result<i64>> = tips
            .iter()
            .map(|t| inserted.remove(&t.reference).ok_or_else(|| StoreError::Conflict("reference".into())))
            .collect();
        self.claim_idempotency_keys(tx, tips, &mut outcomes).await?;

        let mut factors = Rows::new("INSERT INTO tip_factors (tip_id, kind, evidence)", "($1, $2, $3)", "");
        let mut subjects = Rows::new(
            "INSERT INTO tip_subjects (tip_id, name, age, dob, school, phone, email, handles)",
            "($1, $2, $3, $4, $5, $6, $7, $8)",
            "",
        );
        let mut contacts = Rows::new("INSERT INTO tip_contacts (tip_id, name, phone, email)", "($1, $2, $3, $4)", "");
        let mut mentions = super::resolution::mention_rows();
        let mut attachments = super::attachments::attachment_rows();
        let mut keys = Rows::new("INSERT INTO tip_keys (tip_id, key_id, wrapped)", "($1, $2, $3)", "");
        let mut routes = route_rows();
        let mut notifications = notification_rows();
        let mut audit = Vec::new();
        for (t, outcome) in tips.iter().zip(&outcomes) {
            let Ok(id) = *outcome else { continue };
            for f in &t.factors {
                factors.push([id.into(), (&f.kind).into(), (&f.evidence).into()]);
            }
            for s in &t.subjects {
                subjects.push([
                    id.into(),
                    (&s.name).into(),
                    s.age.into(),
                    (&s.dob).into(),
                    (&s.school).into(),
                    (&s.phone).into(),
                    (&s.email).into(),
                    serde_json::to_string(&s.handles).unwrap_or_else(|_| "[]".into()).as_str().into(),
                ]);
            }
            if let Some(c) = &t.contact {
                contacts.push([id.into(), (&c.name).into(), (&c.phone).into(), (&c.email).into()]);
            }
            super::resolution::push_mentions(&mut mentions, id, &t.mentions, t.received_at);
            super::attachments::push_attachments(&mut attachments, id, &t.attachments, t.received_at);
            if let Some((key_id, wrapped)) = &t.data_key {
                keys.push([id.into(), key_id.into(), wrapped.into()]);
            }
            push_routes(&mut routes, id, &t.routes, t.received_at);
            push_notifications(&mut notifications, id, &t.notifications, t.received_at);
            audit.extend(t.audit.iter().map(|a| {
                let mut a = a.clone();
                if a.object == ObjectRef::NewTip {
                    a.object = ObjectRef::Tip(id);
                }
                a
            }));
        }
        for rows in [factors, subjects, contacts, mentions, attachments, keys, routes, notifications] {
            self.insert_rows(tx, rows).await?;
        }
        self.append_audit(tx, &audit).await?;
        Ok(outcomes)
    }

    /// Records the idempotency key of every tip written so far that has one; a tip whose key
    /// was used already (before, or by an earlier tip of this call) becomes a `Conflict` and
    /// its row is removed again.
    async fn claim_idempotency_keys(
        &self,
        tx: &mut impl Exec,
        tips: &[NewTipRecord],
        outcomes: &mut [Result<i64>],
    ) -> Result<()> {
        let mut rows = Rows::new(
            "INSERT INTO idempotency_keys (key_hash, tip_id, request_hash, created_at)",
            "($1, $2, $3, $4)",
            "ON CONFLICT (key_hash) DO NOTHING RETURNING tip_id, key_hash",
        );
        for (t, outcome) in tips.iter().zip(outcomes.iter()) {
            if let (Ok(id), Some((key_hash, request_hash))) = (outcome, &t.idempotency) {
                rows.push([key_hash.into(), (*id).into(), request_hash.into(), t.received_at.into()]);
            }
        }
        if rows.is_empty() {
            return Ok(());
        }
        let mut claimed = HashMap::new();
        for (tip_id, key_hash) in self.insert_rows_returning(tx, rows).await? {
            claimed.insert(key_hash, tip_id);
        }
        let mut losers = Vec::new();
        for (t, outcome) in tips.iter().zip(outcomes.iter_mut()) {
            if let (Ok(id), Some((key_hash, _))) = (&*outcome, &t.idempotency)
                && claimed.get(key_hash) != Some(id)
            {
                losers.push(*id);
                *outcome = Err(StoreError::Conflict("idempotency key".into()));
            }
        }
        // Rare (a retry racing its first attempt): one statement each, so the statement is one
        // shape that stays prepared rather than a new text for every list of ids.
        let delete = self.sql_text("DELETE FROM tips WHERE id = $1");
        for id in losers {
            tx.run(&delete, vec![id.into()]).await?;
        }
        Ok(())
    }

    async fn add_routes(&self, conn: &mut AnyConnection, tip_id: i64, routes: &[NewRoute], now: i64) -> Result<()> {
        let mut rows = route_rows();
        push_routes(&mut rows, tip_id, routes, now);
        self.insert_rows(conn, rows).await
    }

    pub(super) async fn add_notifications(
        &self,
        conn: &mut AnyConnection,
        tip_id: i64,
        notes: &[NewNotification],
        now: i64,
    ) -> Result<()> {
        let mut rows = notification_rows();
        push_notifications(&mut rows, tip_id, notes, now);
        self.insert_rows(conn, rows).await
    }

    /// The tip `tip` duplicates, and the tips closed as duplicates of it.
    async fn duplicates_around(&self, tip: &TipRow) -> Result<(Option<TipRef>, Vec<TipRef>)> {
        let rows = sqlx::query(
            self.sql("SELECT id, reference FROM tips WHERE duplicate_of = $1 OR id = $2 ORDER BY received_at, id"),
        )
        .bind(tip.id)
        .bind(tip.duplicate_of.unwrap_or(-1))
        .fetch_all(&self.read)
        .await?;
        let mut of = None;
        let mut duplicates = Vec::new();
        for r in &rows {
            let found = TipRef { id: r.try_get("id")?, reference: r.try_get("reference")? };
            if Some(found.id) == tip.duplicate_of {
                of = Some(found);
            } else {
                duplicates.push(found);
            }
        }
        Ok((of, duplicates))
    }

    fn tip_select(&self) -> String {
        format!(
            "SELECT {}, (SELECT {} FROM tip_routes r WHERE r.tip_id = t.id AND r.state IN ('pending','accepted')) AS active, \
             (SELECT {} FROM tip_routes w WHERE w.tip_id = t.id AND w.state = 'pending' AND w.role = 'primary') AS waiting, \
             (SELECT {} FROM tip_routes h WHERE h.tip_id = t.id AND h.state IN ('pending','accepted') AND h.role <> 'informed') AS acting, \
             k.key_id AS data_key_id, k.wrapped AS data_key_wrapped FROM tips t LEFT JOIN tip_keys k ON k.tip_id = t.id",
            rows::TIP_COLUMNS,
            self.backend.join_ids("r.agency_id"),
            self.backend.join_ids("w.agency_id"),
            self.backend.join_ids("h.agency_id")
        )
    }

    pub(super) async fn tip_by_id(&self, conn: Option<&mut AnyConnection>, id: i64) -> Result<TipRow> {
        let sql = self.sql(&format!("{} WHERE t.id = $1", self.tip_select()));
        let q = sqlx::query(sql.clone()).bind(id);
        let row = match conn {
            Some(c) => q.fetch_optional(c).await?,
            None => q.fetch_optional(&self.read).await?,
        };
        rows::tip(&row.ok_or(StoreError::NotFound("tip"))?)
    }

    /// Applies a [`TipChange`] in the caller's transaction; `Conflict` when the version moved.
    pub(super) async fn apply_change(&self, conn: &mut AnyConnection, c: &TipChange) -> Result<()> {
        let mut sets: Vec<String> = vec!["version = version + 1".into(), "updated_at = $3".into()];
        let mut args: Vec<Arg> = Vec::new();
        let mut push = |column: &str, value: Arg, args: &mut Vec<Arg>| {
            args.push(value);
            sets.push(format!("{column} = ${}", args.len() + 3));
        };
        if let Some(s) = c.status {
            push("status", Arg::Text(Some(s.code().into())), &mut args);
        }
        if let Some((tier, reason, by)) = &c.tier_override {
            push("tier", Arg::Text(Some(tier.code().into())), &mut args);
            push("tier_rank", Arg::Int(Some(tier.rank())), &mut args);
            push("tier_override_reason", Arg::Text(Some(reason.clone())), &mut args);
            push("tier_overridden_by", Arg::Int(Some(*by)), &mut args);
        }
        if let Some(peak) = c.peak_tier {
            push("peak_tier", Arg::Text(Some(peak.code().into())), &mut args);
        }
        if let Some(request) = &c.tier_request {
            push("tier_request", Arg::Text(request.as_ref().map(|r| r.tier.code().into())), &mut args);
            push("tier_request_reason", Arg::Text(request.as_ref().map(|r| r.reason.clone())), &mut args);
            push("tier_request_by", Arg::Int(request.as_ref().map(|r| r.by)), &mut args);
            push("tier_request_at", Arg::Int(request.as_ref().map(|r| r.at)), &mut args);
        }
        if let Some(of) = c.duplicate_of {
            push("duplicate_of", Arg::Int(of), &mut args);
        }
        if let Some(at) = c.tipster_news {
            push("tipster_news_at", Arg::Int(at), &mut args);
        }
        if let Some(a) = c.assignee {
            push("assignee_id", Arg::Int(a), &mut args);
        }
        if let Some(d) = c.ack_due_at {
            push("ack_due_at", Arg::Int(d), &mut args);
        }
        if let Some(at) = c.acknowledged_at {
            push("acknowledged_at", Arg::Int(Some(at)), &mut args);
        }
        if let Some((level, next)) = c.escalation {
            push("escalation_level", Arg::Int(Some(level)), &mut args);
            push("next_escalation_at", Arg::Int(next), &mut args);
        }
        if let Some(d) = &c.disposition {
            push("disposition", Arg::Text(d.as_ref().map(|(d, _)| d.code().to_owned())), &mut args);
            push("disposition_reason", Arg::Text(d.as_ref().map(|(_, r)| r.clone())), &mut args);
        }
        if let Some(by) = c.close_requested_by {
            push("close_requested_by", Arg::Int(by), &mut args);
        }
        if let Some(closed) = c.closed {
            push("closed_by", Arg::Int(closed.map(|(by, _)| by)), &mut args);
            push("closed_at", Arg::Int(closed.map(|(_, at)| at)), &mut args);
        }
        let sql = self.sql(&format!("UPDATE tips SET {} WHERE id = $1 AND version = $2", sets.join(", ")));
        let mut q = sqlx::query(sql.clone()).bind(c.tip_id).bind(c.expected_version).bind(c.now);
        for a in args {
            q = match a {
                Arg::Int(v) => q.bind(v),
                Arg::Text(v) => q.bind(v),
            };
        }
        let done = q.execute(&mut *conn).await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::Conflict("the tip changed meanwhile; reload and try again".into()));
        }
        for d in &c.route_decisions {
            sqlx::query(self.sql(
                "UPDATE tip_routes SET state = $1, decided_by = $2, decision_reason = $3, decided_at = $4 \
                 WHERE tip_id = $5 AND agency_id = $6 AND state IN ('pending','accepted')",
            ))
            .bind(d.state.code())
            .bind(d.decided_by)
            .bind(&d.reason)
            .bind(c.now)
            .bind(c.tip_id)
            .bind(d.agency_id)
            .execute(&mut *conn)
            .await?;
        }
        self.add_routes(conn, c.tip_id, &c.new_routes, c.now).await?;
        let msg_sql = self
            .sql("INSERT INTO tip_messages (tip_id, author, user_id, body, created_at) VALUES ($1, $2, $3, $4, $5)");
        for (author, user, body) in &c.messages {
            sqlx::query(msg_sql.clone())
                .bind(c.tip_id)
                .bind(author.code())
                .bind(*user)
                .bind(body)
                .bind(c.now)
                .execute(&mut *conn)
                .await?;
        }
        self.insert_attachments(conn, c.tip_id, &c.attachments, c.now).await?;
        self.add_notifications(conn, c.tip_id, &c.notifications, c.now).await?;
        self.append_audit_in(conn, &c.audit).await?;
        Ok(())
    }
}

/// A nullable bind value for dynamically built updates.
enum Arg {
    Int(Option<i64>),
    Text(Option<String>),
}

#[async_trait::async_trait]
impl crate::TipStore for SqlStore {
    async fn insert_tip(&self, tip: NewTipRecord) -> Result<i64> {
        self.intake_tip(tip).await
    }

    async fn tip_for_idempotency_key(&self, key_hash: &str) -> Result<Option<(i64, String)>> {
        let row = sqlx::query(self.sql("SELECT tip_id, request_hash FROM idempotency_keys WHERE key_hash = $1"))
            .bind(key_hash)
            .fetch_optional(&self.write)
            .await?;
        Ok(match row {
            Some(r) => Some((r.try_get("tip_id")?, r.try_get("request_hash")?)),
            None => None,
        })
    }

    async fn tip_credentials(&self, reference: &str) -> Result<Option<(i64, String)>> {
        let row = sqlx::query(self.sql("SELECT id, passphrase_hash FROM tips WHERE reference = $1"))
            .bind(reference)
            .fetch_optional(&self.read)
            .await?;
        Ok(match row {
            Some(r) => Some((r.try_get("id")?, r.try_get("passphrase_hash")?)),
            None => None,
        })
    }

    async fn create_tipster_session(&self, token_hash: &str, tip_id: i64, expires_at: i64, now: i64) -> Result<()> {
        let mut tx = self.begin().await?;
        // Expired sessions are dropped as new ones are made.
        sqlx::query(self.sql("DELETE FROM tipster_sessions WHERE expires_at <= $1"))
            .bind(now)
            .execute(&mut *tx)
            .await?;
        sqlx::query(self.sql("INSERT INTO tipster_sessions (token_hash, tip_id, expires_at) VALUES ($1, $2, $3)"))
            .bind(token_hash)
            .bind(tip_id)
            .bind(expires_at)
            .execute(&mut *tx)
            .await?;
        let event = NewAudit::new(
            now,
            domain::audit::Actor::Tipster,
            domain::audit::AuditAction::TipsterSignedIn,
            ObjectRef::Tip(tip_id),
        );
        self.append_audit_in(&mut tx, &[event]).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn tipster_session(&self, token_hash: &str, now: i64) -> Result<Option<i64>> {
        let row =
            sqlx::query(self.sql("SELECT tip_id FROM tipster_sessions WHERE token_hash = $1 AND expires_at > $2"))
                .bind(token_hash)
                .bind(now)
                .fetch_optional(&self.read)
                .await?;
        Ok(row.map(|r| r.try_get("tip_id")).transpose()?)
    }

    async fn end_tipster_session(&self, token_hash: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query(self.sql("DELETE FROM tipster_sessions WHERE token_hash = $1"))
            .bind(token_hash)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn get_tip(&self, id: i64) -> Result<TipRow> {
        self.tip_by_id(None, id).await
    }

    async fn tip_detail(&self, id: i64) -> Result<TipDetail> {
        let tip = self.tip_by_id(None, id).await?;
        let factors = sqlx::query(self.sql("SELECT kind, evidence FROM tip_factors WHERE tip_id = $1 ORDER BY id"))
            .bind(id)
            .fetch_all(&self.read)
            .await?
            .iter()
            .map(|r| Ok(FactorRow { kind: r.try_get("kind")?, evidence: r.try_get("evidence")? }))
            .collect::<Result<Vec<_>>>()?;
        let subjects = sqlx::query(self.sql(
            "SELECT name, age, dob, school, phone, email, handles FROM tip_subjects WHERE tip_id = $1 ORDER BY id",
        ))
        .bind(id)
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(|r| {
            let handles: String = r.try_get("handles")?;
            Ok(SubjectRow {
                name: r.try_get("name")?,
                age: r.try_get("age")?,
                dob: r.try_get("dob")?,
                school: r.try_get("school")?,
                phone: r.try_get("phone")?,
                email: r.try_get("email")?,
                handles: serde_json::from_str(&handles)
                    .map_err(|e| StoreError::Corrupt(format!("handles of a subject of tip {id}: {e}")))?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
        let has_contact = sqlx::query(self.sql("SELECT tip_id FROM tip_contacts WHERE tip_id = $1"))
            .bind(id)
            .fetch_optional(&self.read)
            .await?
            .is_some();
        let routes = sqlx::query(self.sql(
            "SELECT r.id, r.agency_id, a.name AS agency_name, r.role, r.reason, r.state, r.decided_by, r.decision_reason, r.created_at, r.decided_at \
             FROM tip_routes r JOIN agencies a ON a.id = r.agency_id WHERE r.tip_id = $1 ORDER BY r.id",
        ))
        .bind(id)
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(|r| {
            Ok(RouteRow {
                id: r.try_get("id")?,
                agency_id: r.try_get("agency_id")?,
                agency_name: r.try_get("agency_name")?,
                role: rows::code(r, "role", domain::routing::RouteRole::parse)?,
                reason: r.try_get("reason")?,
                state: rows::code(r, "state", domain::routing::RouteState::parse)?,
                decided_by: r.try_get("decided_by")?,
                decision_reason: r.try_get("decision_reason")?,
                created_at: r.try_get("created_at")?,
                decided_at: r.try_get("decided_at")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
        let messages = sqlx::query(
            self.sql("SELECT id, author, user_id, body, created_at FROM tip_messages WHERE tip_id = $1 ORDER BY id"),
        )
        .bind(id)
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(|r| {
            Ok(MessageRow {
                id: r.try_get("id")?,
                author: rows::code(r, "author", domain::tip::Author::parse)?,
                user_id: r.try_get("user_id")?,
                body: r.try_get("body")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
        let shared_with = self.shares_of(id).await?;
        let (duplicate_of, duplicates) = self.duplicates_around(&tip).await?;
        Ok(TipDetail { tip, factors, subjects, has_contact, routes, messages, shared_with, duplicate_of, duplicates })
    }

    async fn queue(&self, f: &QueueFilter, _now: i64) -> Result<Vec<TipRow>> {
        // Filters are closed enums rendered from their own stable codes: no user text here.
        let mut clauses: Vec<String> = Vec::new();
        if !f.statuses.is_empty() {
            let codes: Vec<String> = f.statuses.iter().map(|s| format!("'{}'", s.code())).collect();
            clauses.push(format!("t.status IN ({})", codes.join(",")));
        } else if !f.include_closed {
            clauses.push(format!("t.status <> '{}'", Status::Closed.code()));
        }
        if f.tier_request_pending {
            clauses.push("t.tier_request IS NOT NULL".into());
        }
        match f.assignee {
            // A number of ours, never text from a request.
            Some(Some(user)) => clauses.push(format!("t.assignee_id = {user}")),
            Some(None) => clauses.push("t.assignee_id IS NULL".into()),
            None => {}
        }
        if f.news_only {
            clauses.push("t.tipster_news_at IS NOT NULL".into());
        }
        if !f.tiers.is_empty() {
            let codes: Vec<String> = f.tiers.iter().map(|t| format!("'{}'", t.code())).collect();
            clauses.push(format!("t.tier IN ({})", codes.join(",")));
        }
        if f.agency_id.is_some() {
            // EXISTS, not IN: the open queue is then read in the order of its index
            // (`tips_open_queue_order`) and stops at the limit, rather than sorting every tip
            // of the agency. Its worst case, an agency with few tips among very many, scans
            // that index once, which is what the sort cost at every size.
            clauses.push(
                "EXISTS (SELECT 1 FROM tip_routes q WHERE q.tip_id = t.id AND q.agency_id = $1 AND q.state IN ('pending','accepted'))".into(),
            );
        }
        let filter = if clauses.is_empty() { String::new() } else { format!(" WHERE {}", clauses.join(" AND ")) };
        let limit = if f.limit <= 0 { 500 } else { f.limit.min(5000) };
        let sql = self.sql(&format!(
            "{}{filter} ORDER BY t.tier_rank, CASE WHEN t.ack_due_at IS NULL THEN 1 ELSE 0 END, t.ack_due_at, t.received_at LIMIT {limit}",
            self.tip_select()
        ));
        let mut q = sqlx::query(sql.clone());
        if let Some(a) = f.agency_id {
            q = q.bind(a);
        }
        let rows = q.fetch_all(&self.read).await?;
        rows.iter().map(rows::tip).collect()
    }

    async fn commit_tip_change(&self, c: TipChange) -> Result<()> {
        let mut tx = self.begin().await?;
        self.apply_change(&mut tx, &c).await?;
        tx.commit().await?;
        Ok(())
    }
}
