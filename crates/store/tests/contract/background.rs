//! Escalations and the outbox are claimed once, even with concurrent workers.

use super::*;
use domain::audit::ObjectRef;
use domain::urgency::Tier;
use store::model::*;

fn bump(tip: &TipRow) -> TipChange {
    TipChange {
        tip_id: tip.id,
        expected_version: tip.version,
        now: 50_000,
        escalation: Some((tip.escalation_level + 1, Some(1_000_000))),
        audit: vec![NewAudit::new(50_000, "system", domain::audit::AuditAction::TipEscalated, ObjectRef::Tip(tip.id))],
        ..Default::default()
    }
}

#[tokio::test]
async fn due_escalations_fire_once_under_concurrency() {
    on_each_backend(|t| async move {
        let w = world(t.store.as_ref()).await;
        for i in 0..20 {
            t.store
                .insert_tip(new_tip(&format!("ESC-{i:04}"), &[w.sheriff], Tier::LifeSafety, 10_000 + i))
                .await
                .unwrap();
        }
        t.store.insert_tip(new_tip("LATER-0001", &[w.sheriff], Tier::Standard, 90_000)).await.unwrap();
        assert_eq!(t.store.next_wakeup().await.unwrap(), Some(10_000));
        let workers: Vec<_> = (0..4)
            .map(|_| {
                let s = t.store.clone();
                tokio::spawn(async move {
                    let mut fired = 0;
                    loop {
                        let n = s.escalate_due(60_000, 3, &bump).await.unwrap();
                        if n == 0 {
                            break fired;
                        }
                        fired += n;
                    }
                })
            })
            .collect();
        let mut total = 0;
        for w in workers {
            total += w.await.unwrap();
        }
        assert_eq!(total, 20, "{}: every due tip escalated exactly once", t.name);
        let queue = t.store.queue(&QueueFilter::default(), 0).await.unwrap();
        assert!(queue.iter().filter(|q| q.tier == Tier::LifeSafety).all(|q| q.escalation_level == 1));
        assert_eq!(t.store.metrics(60_000).await.unwrap().escalations, 20);
    })
    .await;
}

#[tokio::test]
async fn outbox_leases_and_retries() {
    on_each_backend(|t| async move {
        let s = t.store.as_ref();
        let w = world(s).await;
        let mut tip = new_tip("OUT-0001", &[w.sheriff], Tier::LifeSafety, 10_000);
        tip.notifications = vec![NewNotification {
            agency_id: Some(w.sheriff),
            contact_id: None,
            kind: domain::sla::NotificationKind::NewTip,
            url: "http://127.0.0.1:9/hook".into(),
            payload: "{}".into(),
        }];
        s.insert_tip(tip).await.unwrap();
        let first = s.claim_notifications(1_000, 30_000, 10).await.unwrap();
        assert_eq!(first.len(), 1, "{}", t.name);
        assert!(s.claim_notifications(2_000, 30_000, 10).await.unwrap().is_empty(), "{}: leased", t.name);
        s.finish_notification(first[0].id, DeliveryOutcome::Retry { at: 5_000, error: "refused".into() }, 2_000)
            .await
            .unwrap();
        assert!(s.claim_notifications(4_999, 30_000, 10).await.unwrap().is_empty());
        let again = s.claim_notifications(5_000, 30_000, 10).await.unwrap();
        assert_eq!(again[0].attempts, 1);
        s.finish_notification(again[0].id, DeliveryOutcome::Failed { error: "gave up".into() }, 6_000).await.unwrap();
        let m = s.metrics(6_000).await.unwrap();
        assert_eq!((m.notification_failures, m.notifications_pending), (1, 0), "{}", t.name);
    })
    .await;
}
