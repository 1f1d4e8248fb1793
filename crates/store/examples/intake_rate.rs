//! How many tips per second SQLite intake sustains: a fresh store in a temp dir, one agency,
//! then `N` tips (default 2000) filed from 64 concurrent tasks.
//!
//! ```sh
//! cargo run -p store --example intake_rate -- 2000
//! cargo run -p store --release --example intake_rate -- 5000
//! ```

use domain::audit::ObjectRef;
use std::sync::Arc;
use std::time::Instant;
use store::SqlStore;
use store::model::*;

const TASKS: usize = 64;

fn new_tip(reference: &str, agency: i64) -> NewTipRecord {
    NewTipRecord {
        reference: reference.into(),
        passphrase_hash: format!("hash-of-{reference}"),
        category: domain::tip::Category::Threat,
        narrative: "He said he will bring a gun to school on Friday.".into(),
        language: domain::tip::Language::En,
        location_text: None,
        lat: None,
        lon: None,
        site_id: None,
        tier: domain::urgency::Tier::Urgent,
        tier_rule: "intent+weapon".into(),
        tier_rule_text: "Intent with a weapon".into(),
        factors: vec![FactorRow { kind: "weapon".into(), evidence: r#"[{"start":22,"end":25,"text":"gun"}]"#.into() }],
        subjects: vec![SubjectRow {
            name: Some("Jordan Example".into()),
            handles: vec!["@jx".into()],
            ..Default::default()
        }],
        mentions: vec![MentionRow {
            source: domain::link::MentionSource::Subject,
            name: Some("Jordan Example".into()),
            handle: Some("@jx".into()),
            ..Default::default()
        }],
        attachments: vec![NewAttachment {
            uploader: domain::tip::Author::Tipster,
            filename: "photo.jpg".into(),
            content_type: "image/jpeg".into(),
            sha256: "00".into(),
            note: "metadata removed".into(),
            data: vec![0xFF, 0xD8, 0xFF, 0xD9],
        }],
        data_key: None,
        contact: None,
        routes: vec![NewRoute { agency_id: agency, role: domain::routing::RouteRole::Primary, reason: "test".into() }],
        ack_due_at: 10_000,
        next_escalation_at: 10_000,
        notifications: vec![],
        idempotency: Some((format!("key-{reference}"), "request".into())),
        received_at: 1_000,
        audit: vec![NewAudit::new(
            1_000,
            domain::audit::Actor::Tipster,
            domain::audit::AuditAction::TipReceived,
            ObjectRef::NewTip,
        )],
    }
}

#[tokio::main]
async fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(2000);
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Arc::new(SqlStore::open_sqlite(dir.path()).await.expect("open sqlite"));
    store.use_chain_key([1; 32]).await.expect("chain key");
    let agency = store
        .create_agency(
            NewAgency {
                name: "County Sheriff".into(),
                kind: domain::routing::AgencyKind::LawEnforcement,
                jurisdiction: None,
                partner_agency_id: None,
                ack_policy: None,
            },
            "bench",
            1,
        )
        .await
        .expect("agency")
        .id;
    let started = Instant::now();
    let tasks: Vec<_> = (0..TASKS)
        .map(|task| {
            let store = store.clone();
            tokio::spawn(async move {
                let mut i = task;
                while i < n {
                    store.insert_tip(new_tip(&format!("R{i:07}"), agency)).await.expect("insert tip");
                    i += TASKS;
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.expect("task");
    }
    let secs = started.elapsed().as_secs_f64();
    let stored = store.queue(&QueueFilter { limit: 5000, ..Default::default() }, 0).await.expect("queue").len();
    assert_eq!(stored, n.min(5000), "every tip is stored");
    println!("{n} tips from {TASKS} tasks in {secs:.2} s: {:.0} tips/s", n as f64 / secs);
    store.close().await;
}
