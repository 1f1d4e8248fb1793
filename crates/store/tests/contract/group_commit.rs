//! Many tips at once: on SQLite they share a transaction (group commit), written together
//! (one failing tip alone); every caller still gets its own answer, after the commit.

use super::*;
use domain::urgency::Tier;
use std::collections::{BTreeMap, BTreeSet};
use store::StoreError;
use store::model::*;
use tokio::task::JoinSet;

/// On SQLite, another connection takes the write lock, so the tips sent meanwhile pile up and
/// go into one transaction when it lets go. (On PostgreSQL batches form only as tips arrive
/// together.)
async fn hold_writes(t: &TestStore) -> Option<sqlx::AnyConnection> {
    use sqlx::{Connection, Executor};
    let dir = t._dir.as_ref()?;
    let url = format!("sqlite://{}", dir.path().join("sightline.db").display());
    let mut conn = sqlx::AnyConnection::connect(&url).await.expect("second connection");
    conn.execute("BEGIN IMMEDIATE").await.expect("take the write lock");
    Some(conn)
}

async fn release(conn: Option<sqlx::AnyConnection>) {
    use sqlx::{Connection, Executor};
    if let Some(mut conn) = conn {
        // Time for every sender to queue its tip; the test holds whether or not they all did.
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        conn.execute("COMMIT").await.expect("release the write lock");
        conn.close().await.expect("close");
    }
}

/// The whole audit chain verifies, the head is its last event, and there is exactly one
/// `tip.received` for each stored tip (nothing left behind by a rolled-back savepoint).
async fn assert_chain(s: &dyn Store, name: &str, stored: &BTreeSet<i64>) {
    let events = s.audit_events(0, 1_000_000).await.unwrap();
    assert_eq!(verify_chain(&events), Ok(events.len() as u64), "{name}: chain verifies");
    let (head_seq, head_hash) = s.audit_head().await.unwrap();
    assert_eq!((head_seq, &head_hash), (events.len() as i64, &events.last().unwrap().hash), "{name}: head");
    let mut received: Vec<i64> = events
        .iter()
        .filter(|e| e.action == "tip.received")
        .map(|e| e.object.trim_start_matches("tip:").parse().unwrap())
        .collect();
    received.sort_unstable();
    assert_eq!(received, stored.iter().copied().collect::<Vec<_>>(), "{name}: one tip.received per stored tip");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_concurrent_tips_are_all_stored() {
    on_each_backend(|t| async move {
        let w = world(t.store.as_ref()).await;
        let mut calls = JoinSet::new();
        for i in 0..200 {
            let s = t.store.clone();
            let mut tip = new_tip(&format!("GC-{i:04}"), &[w.sheriff, w.district], Tier::Urgent, 10_000 + i);
            tip.idempotency = Some((format!("gc-key-{i}"), format!("gc-req-{i}")));
            calls.spawn(async move { (i, s.insert_tip(tip).await) });
        }
        let mut ids = BTreeMap::new();
        while let Some(done) = calls.join_next().await {
            let (i, r) = done.expect("task");
            ids.insert(i, r.unwrap_or_else(|e| panic!("{}: tip {i}: {e}", t.name)));
        }
        let distinct: BTreeSet<i64> = ids.values().copied().collect();
        assert_eq!(distinct.len(), 200, "{}: 200 tips, 200 ids", t.name);

        let s = t.store.as_ref();
        for (i, id) in &ids {
            let d = s.tip_detail(*id).await.unwrap();
            assert_eq!(d.tip.reference, format!("GC-{i:04}"), "{}", t.name);
            assert_eq!(d.tip.ack_due_at, Some(10_000 + i));
            assert_eq!(d.tip.active_agencies, vec![w.sheriff, w.district]);
            assert_eq!((d.factors.len(), d.subjects.len()), (1, 1));
            assert_eq!(
                s.tip_for_idempotency_key(&format!("gc-key-{i}")).await.unwrap(),
                Some((*id, format!("gc-req-{i}")))
            );
            assert_eq!(s.attachments(*id).await.unwrap().len(), 1);
            let audit: Vec<String> = s
                .audit_for_object(domain::audit::ObjectRef::Tip(*id))
                .await
                .unwrap()
                .into_iter()
                .map(|e| e.action)
                .collect();
            assert_eq!(audit, vec!["tip.received"], "{}: tip {i}'s own audit event", t.name);
        }
        assert_eq!(s.queue(&QueueFilter::default(), 0).await.unwrap().len(), 200);
        assert_eq!(s.mentions_after(0, 10_000).await.unwrap().len(), 200);
        assert_chain(s, t.name, &distinct).await;
    })
    .await;
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Expect {
    Stored,
    Conflict,
    /// One of the tips in this group is stored, the others conflict.
    OneOf(&'static str),
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conflicts_in_a_batch_fail_only_their_callers() {
    on_each_backend(|t| async move {
        let w = world(t.store.as_ref()).await;
        let mut taken = new_tip("TAKEN-0001", &[w.sheriff], Tier::Urgent, 10_000);
        taken.idempotency = Some(("taken-key".into(), "taken-req".into()));
        let taken = t.store.insert_tip(taken).await.unwrap();

        let hold = hold_writes(&t).await;
        let mut calls = JoinSet::new();
        for i in 0..80 {
            let reference = format!("BATCH-{i:04}");
            let mut tip = new_tip(&reference, &[w.sheriff], Tier::Standard, 20_000);
            tip.idempotency = Some((format!("batch-key-{i}"), "req".into()));
            let expect = match i % 10 {
                // An idempotency key stored before the batch.
                2 => {
                    tip.idempotency = Some(("taken-key".into(), "taken-req".into()));
                    Expect::Conflict
                }
                // A reference stored before the batch.
                5 => {
                    tip.reference = "TAKEN-0001".into();
                    Expect::Conflict
                }
                // Both halves of a pair inside the batch: one idempotency key...
                7 if i < 40 => {
                    tip.idempotency = Some(("twin-key".into(), "twin-req".into()));
                    Expect::OneOf("twin-key")
                }
                // ...and one reference.
                7 => {
                    tip.reference = "TWIN-0001".into();
                    tip.idempotency = None;
                    Expect::OneOf("twin-reference")
                }
                _ => Expect::Stored,
            };
            let s = t.store.clone();
            calls.spawn(async move { (i, reference, expect, s.insert_tip(tip).await) });
        }
        release(hold).await;

        let mut stored = BTreeSet::from([taken]);
        let mut winners: BTreeMap<&'static str, Vec<i64>> = BTreeMap::new();
        let mut losers: BTreeMap<&'static str, usize> = BTreeMap::new();
        while let Some(done) = calls.join_next().await {
            let (i, reference, expect, r) = done.expect("task");
            match (expect, r) {
                (Expect::Stored, Ok(id)) => {
                    assert_eq!(t.store.get_tip(id).await.unwrap().reference, reference, "{}", t.name);
                    stored.insert(id);
                }
                (Expect::Conflict, Err(StoreError::Conflict(_))) => {
                    assert_eq!(t.store.tip_credentials(&reference).await.unwrap(), None, "{}: tip {i}", t.name);
                }
                (Expect::OneOf(group), Ok(id)) => {
                    winners.entry(group).or_default().push(id);
                    stored.insert(id);
                }
                (Expect::OneOf(group), Err(StoreError::Conflict(_))) => *losers.entry(group).or_default() += 1,
                (expect, r) => panic!("{}: tip {i} expected {expect:?}, got {r:?}", t.name),
            }
        }
        assert_eq!(winners.get("twin-key").map(Vec::len), Some(1), "{}: one tip holds the key", t.name);
        assert_eq!(winners.get("twin-reference").map(Vec::len), Some(1), "{}: one tip holds the reference", t.name);
        assert_eq!((losers["twin-key"], losers["twin-reference"]), (3, 3), "{}", t.name);
        // 80 sent: 8 + 8 conflicts with earlier tips, 2 winners and 6 losers of the pairs.
        assert_eq!(stored.len(), 1 + 80 - 16 - 6, "{}", t.name);

        let s = t.store.as_ref();
        assert_eq!(s.tip_for_idempotency_key("taken-key").await.unwrap(), Some((taken, "taken-req".into())));
        assert_eq!(
            s.tip_for_idempotency_key("twin-key").await.unwrap().map(|(id, _)| id),
            Some(winners["twin-key"][0])
        );
        assert_eq!(s.tip_credentials("TWIN-0001").await.unwrap().map(|(id, _)| id), Some(winners["twin-reference"][0]));
        let queued: BTreeSet<i64> = s.queue(&QueueFilter::default(), 0).await.unwrap().iter().map(|t| t.id).collect();
        assert_eq!(queued, stored, "{}: exactly the stored tips, nothing of the refused ones", t.name);
        assert_eq!(s.mentions_after(0, 10_000).await.unwrap().len(), stored.len(), "{}", t.name);
        assert_chain(s, t.name, &stored).await;
    })
    .await;
}

/// A tip whose rows break a constraint (here a route to an agency that does not exist) makes
/// its batch's multi-row statement fail; the batch is written again one tip at a time, so only
/// that tip's caller gets the error and everything else is stored once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tip_that_breaks_a_constraint_fails_alone() {
    on_each_backend(|t| async move {
        let w = world(t.store.as_ref()).await;
        let hold = hold_writes(&t).await;
        let mut calls = JoinSet::new();
        for i in 0..30 {
            let agencies = if i == 13 { vec![w.sheriff, 999_999] } else { vec![w.sheriff] };
            let mut tip = new_tip(&format!("POISON-{i:04}"), &agencies, Tier::Standard, 30_000);
            tip.idempotency = Some((format!("poison-key-{i}"), "req".into()));
            let s = t.store.clone();
            calls.spawn(async move { (i, s.insert_tip(tip).await) });
        }
        release(hold).await;
        let mut stored = BTreeSet::new();
        while let Some(done) = calls.join_next().await {
            match done.expect("task") {
                (13, Err(StoreError::Database(_))) => {}
                (13, r) => panic!("{}: the tip routed to a missing agency got {r:?}", t.name),
                (i, Ok(id)) => assert!(stored.insert(id), "{}: tip {i}", t.name),
                (i, Err(e)) => panic!("{}: tip {i} failed with its batch: {e}", t.name),
            }
        }
        assert_eq!(stored.len(), 29, "{}", t.name);
        let s = t.store.as_ref();
        assert_eq!(s.tip_credentials("POISON-0013").await.unwrap(), None, "{}: nothing of the failed tip", t.name);
        assert_eq!(s.tip_for_idempotency_key("poison-key-13").await.unwrap(), None, "{}", t.name);
        let queued: BTreeSet<i64> = s.queue(&QueueFilter::default(), 0).await.unwrap().iter().map(|t| t.id).collect();
        assert_eq!(queued, stored, "{}", t.name);
        assert_chain(s, t.name, &stored).await;
    })
    .await;
}
