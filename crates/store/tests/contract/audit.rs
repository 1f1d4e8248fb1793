//! The audit chain stays intact through every kind of write, and detects tampering.

use super::*;
use domain::audit::ChainError;
use domain::urgency::Tier;

#[tokio::test]
async fn chain_is_intact_after_writes_and_breaks_when_altered() {
    on_each_backend(|t| async move {
        let s = t.store.as_ref();
        let w = world(s).await;
        s.insert_tip(new_tip("AUD-0001", &[w.sheriff], Tier::Urgent, 10_000)).await.unwrap();
        let events = s.audit_events(0, 10_000).await.unwrap();
        assert_eq!(verify_chain(&events), Ok(events.len() as u64), "{}", t.name);
        let (head_seq, head_hash) = s.audit_head().await.unwrap();
        assert_eq!(head_seq, events.len() as i64);
        assert_eq!(head_hash, events.last().unwrap().hash);

        let mut altered = events.clone();
        altered[1].reason = "nothing to see".into();
        assert_eq!(verify_chain(&altered), Err(ChainError::Altered { seq: 2 }));
    })
    .await;
}

/// A chain written before the keyed chain started (plain SHA-256, as earlier builds wrote it,
/// its start marked by the migration) keeps verifying, and what is written after is keyed; no
/// event is written before the key is loaded.
#[tokio::test]
async fn a_chain_from_before_the_key_keeps_verifying() {
    use domain::audit::{AuditRecord, ChainKey, ChainVerifier, GENESIS_HASH, chain_hash};
    use sqlx::{Connection, Executor};
    on_each_backend(|t| async move {
        let mut raw = sqlx::AnyConnection::connect(&t.url).await.unwrap();
        let mut prev = GENESIS_HASH.to_owned();
        for seq in 1..=3_i64 {
            let r = AuditRecord {
                seq,
                at_ms: seq,
                actor: "cli",
                action: "agency.created",
                object: "agency:1",
                reason: "",
                detail: "{}",
            };
            let hash = chain_hash(&prev, &r);
            raw.execute(sqlx::AssertSqlSafe(format!(
                "INSERT INTO audit_events (seq, at_ms, actor, action, object, reason, detail, prev_hash, hash) \
                 VALUES ({seq}, {seq}, 'cli', 'agency.created', 'agency:1', '', '{{}}', '{prev}', '{hash}')"
            )))
            .await
            .unwrap();
            prev = hash;
        }
        raw.execute(sqlx::AssertSqlSafe(format!(
            "UPDATE audit_head SET seq = 3, hash = '{prev}', keyed_from = 4 WHERE id = 1"
        )))
        .await
        .unwrap();
        // A server starting on that database: no event before the key is loaded.
        let reopened = t.reopen().await;
        let event = || {
            store::model::NewAudit::new(9, "cli", domain::audit::AuditAction::SettingChanged, ObjectRef::Setting("x"))
        };
        assert!(reopened.append_audit(event()).await.is_err(), "{}: refused without the key", t.name);
        let key = reopened.use_chain_key([5; 32]).await.unwrap();
        assert_eq!(key.keyed_from, 4, "{}: the keyed chain starts after the old events", t.name);
        reopened.append_audit(event()).await.unwrap();
        let events = reopened.audit_events(0, 100).await.unwrap();
        let mut v = ChainVerifier::keyed(ChainKey { key: [5; 32], keyed_from: 4 });
        for e in &events {
            v.push(e).unwrap_or_else(|e| panic!("{}: {e}", t.name));
        }
        let (seq, hash) = reopened.audit_head().await.unwrap();
        assert_eq!(v.finish(seq, &hash), Ok(4), "{}", t.name);
        let mut wrong_key = ChainVerifier::keyed(ChainKey { key: [6; 32], keyed_from: 4 });
        let fourth = events.iter().map(|e| wrong_key.push(e)).find(Result::is_err);
        assert_eq!(fourth, Some(Err(ChainError::Altered { seq: 4 })), "{}: the new event is keyed", t.name);
    })
    .await;
}
