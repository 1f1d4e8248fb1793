//! Intake, detail, queue, and changes with optimistic concurrency.

use super::*;
use domain::audit::ObjectRef;
use domain::status::Status;
use domain::urgency::Tier;
use store::StoreError;
use store::model::*;

#[tokio::test]
async fn intake_detail_and_queue() {
    on_each_backend(|t| async move {
        let s = t.store.as_ref();
        let w = world(s).await;
        let mut first = new_tip("AAAA-1111", &[w.sheriff, w.district], Tier::Urgent, 10_000);
        first.idempotency = Some(("key-1".into(), "req-1".into()));
        first.contact = Some(ContactRow { name: Some("A parent".into()), ..Default::default() });
        let id = s.insert_tip(first.clone()).await.unwrap();

        let again = s.insert_tip(NewTipRecord { reference: "BBBB-2222".into(), ..first.clone() }).await;
        assert!(matches!(again, Err(StoreError::Conflict(_))), "{}: reused idempotency key", t.name);
        assert_eq!(s.tip_for_idempotency_key("key-1").await.unwrap(), Some((id, "req-1".into())));
        assert_eq!(s.list_agencies().await.unwrap().len(), 3);
        let dup_ref = s.insert_tip(NewTipRecord { idempotency: None, ..first.clone() }).await;
        assert!(matches!(dup_ref, Err(StoreError::Conflict(_))), "{}: reused reference", t.name);

        let d = s.tip_detail(id).await.unwrap();
        assert_eq!(d.tip.status, Status::Routed);
        assert_eq!(d.tip.tier, Tier::Urgent);
        assert_eq!(d.tip.active_agencies, vec![w.sheriff, w.district]);
        assert_eq!(d.factors.len(), 1);
        assert_eq!(d.subjects[0].handles, vec!["@jx".to_string()]);
        assert!(d.has_contact);
        let files = s.attachments(id).await.unwrap();
        assert_eq!((files.len(), files[0].size), (1, 4), "{}: stored with the tip", t.name);
        let (meta, bytes) = s.attachment(files[0].id).await.unwrap();
        assert_eq!((meta.filename.as_str(), bytes), ("photo.jpg", vec![0xFF, 0xD8, 0xFF, 0xD9]));
        assert_eq!(s.tip_credentials("AAAA-1111").await.unwrap(), Some((id, "hash-of-AAAA-1111".into())));
        assert_eq!(s.tip_credentials("ZZZZ-9999").await.unwrap(), None);

        let life = s.insert_tip(new_tip("CCCC-3333", &[w.sheriff], Tier::LifeSafety, 20_000)).await.unwrap();
        let other = s.insert_tip(new_tip("DDDD-4444", &[w.fusion], Tier::LifeSafety, 5_000)).await.unwrap();

        let all: Vec<i64> = s.queue(&QueueFilter::default(), 0).await.unwrap().iter().map(|t| t.id).collect();
        assert_eq!(all, vec![other, life, id], "{}: tier first, then deadline", t.name);
        let sheriff = QueueFilter { agency_id: Some(w.sheriff), ..Default::default() };
        let mine: Vec<i64> = s.queue(&sheriff, 0).await.unwrap().iter().map(|t| t.id).collect();
        assert_eq!(mine, vec![life, id], "{}: only tips routed to the agency", t.name);
        let urgent = QueueFilter { tiers: vec![Tier::Urgent], ..Default::default() };
        assert_eq!(s.queue(&urgent, 0).await.unwrap().len(), 1);
        assert!(matches!(s.get_tip(9_999_999).await, Err(StoreError::NotFound(_))));
    })
    .await;
}

#[tokio::test]
async fn changes_are_versioned_and_audited() {
    on_each_backend(|t| async move {
        let s = t.store.as_ref();
        let w = world(s).await;
        let id = s.insert_tip(new_tip("EEEE-5555", &[w.sheriff], Tier::Standard, 10_000)).await.unwrap();
        let tip = s.get_tip(id).await.unwrap();
        let ack = TipChange {
            tip_id: id,
            expected_version: tip.version,
            now: 2_000,
            status: Some(Status::Acknowledged),
            acknowledged_at: Some(2_000),
            ack_due_at: Some(None),
            escalation: Some((0, None)),
            route_decisions: vec![RouteDecision {
                agency_id: w.sheriff,
                state: domain::routing::RouteState::Accepted,
                decided_by: Some(w.analyst),
                reason: None,
            }],
            messages: vec![(domain::tip::Author::Staff, Some(w.analyst), "Can you tell us which class?".into())],
            audit: vec![NewAudit::new(
                2_000,
                "user:1",
                domain::audit::AuditAction::TipAcknowledged,
                ObjectRef::Tip(id),
            )],
            ..Default::default()
        };
        s.commit_tip_change(ack.clone()).await.unwrap();
        let stale = s.commit_tip_change(ack).await;
        assert!(matches!(stale, Err(StoreError::Conflict(_))), "{}: stale version must conflict", t.name);

        let d = s.tip_detail(id).await.unwrap();
        assert_eq!(d.tip.status, Status::Acknowledged);
        assert_eq!(d.tip.ack_due_at, None);
        assert_eq!(d.routes[0].state, domain::routing::RouteState::Accepted);
        assert_eq!(d.messages[0].body, "Can you tell us which class?");
        let events: Vec<String> = s
            .audit_for_object(domain::audit::ObjectRef::Tip(id))
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect();
        assert_eq!(events, vec!["tip.received", "tip.acknowledged"], "{}: one audit per committed change", t.name);

        let over = TipChange {
            tip_id: id,
            expected_version: d.tip.version,
            now: 3_000,
            tier_override: Some((Tier::Urgent, "The tipster added that he has the gun now".into(), w.analyst)),
            ..Default::default()
        };
        s.commit_tip_change(over).await.unwrap();
        let tip = s.get_tip(id).await.unwrap();
        assert_eq!((tip.tier, tip.original_tier), (Tier::Urgent, Tier::Standard), "{}: both tiers kept", t.name);
    })
    .await;
}

/// Optional values first stored empty, then filled, then empty again, through the same
/// prepared statements (a NULL must not fix a parameter's type for later values).
#[tokio::test]
async fn optional_values_empty_then_filled() {
    on_each_backend(|t| async move {
        let s = t.store.as_ref();
        let w = world(s).await;
        let mut empty = new_tip("OPT-0001", &[w.sheriff], Tier::Standard, 10_000);
        empty.data_key = None;
        empty.idempotency = None;
        s.insert_tip(empty).await.unwrap();
        let mut full = new_tip("OPT-0002", &[w.sheriff], Tier::Standard, 10_000);
        full.lat = Some(41.878_114_3);
        full.lon = Some(-87.629_798);
        full.site_id = Some(w.school);
        full.location_text = Some("behind the gym".into());
        let id = s.insert_tip(full).await.unwrap();
        let again = new_tip("OPT-0003", &[w.sheriff], Tier::Standard, 10_000);
        s.insert_tip(again).await.unwrap();
        let tip = s.get_tip(id).await.unwrap();
        assert_eq!((tip.lat, tip.lon), (Some(41.878_114_3), Some(-87.629_798)), "{}", t.name);
        for (name, lat) in [("No place", None), ("Placed", Some(1.5)), ("No place again", None)] {
            let site = NewSite {
                name: name.into(),
                kind: domain::routing::SiteKind::School,
                owner_agency_id: w.district,
                lat,
                lon: lat,
                address: None,
            };
            assert_eq!(s.create_site(site, "t", 1).await.unwrap().lat, lat, "{}", t.name);
        }
    })
    .await;
}
