//! The supervisor's figures, aggregated in SQL over every tip of the agency.

use super::*;
use domain::status::Status;
use domain::urgency::Tier;
use store::model::*;

#[tokio::test]
async fn dashboard_counts_every_tip_not_a_page() {
    on_each_backend(|t| async move {
        let s = t.store.as_ref();
        let w = world(s).await;
        // Received at 1_000 (new_tip), due at `due`; now is 100_000.
        let tips = [
            ("AAAA-0001", vec![w.sheriff], Tier::LifeSafety, 50_000),
            ("AAAA-0002", vec![w.sheriff, w.district], Tier::LifeSafety, 500_000),
            ("AAAA-0003", vec![w.sheriff], Tier::Standard, 90_000),
            ("AAAA-0004", vec![w.district], Tier::Urgent, 10_000),
        ];
        let mut ids = Vec::new();
        for (reference, agencies, tier, due) in &tips {
            ids.push(s.insert_tip(new_tip(reference, agencies, *tier, *due)).await.unwrap());
        }
        // The third is acknowledged 4 minutes after receipt and escalated; the second closed.
        let third = s.get_tip(ids[2]).await.unwrap();
        s.commit_tip_change(TipChange {
            tip_id: ids[2],
            expected_version: third.version,
            now: 2_000,
            status: Some(Status::Acknowledged),
            acknowledged_at: Some(third.received_at + 240_000),
            ack_due_at: Some(None),
            escalation: Some((1, None)),
            ..Default::default()
        })
        .await
        .unwrap();
        let second = s.get_tip(ids[1]).await.unwrap();
        s.commit_tip_change(TipChange {
            tip_id: ids[1],
            expected_version: second.version,
            now: 3_000,
            status: Some(Status::Closed),
            acknowledged_at: Some(second.received_at + 7_200_000),
            ack_due_at: Some(None),
            ..Default::default()
        })
        .await
        .unwrap();

        let d = s.dashboard(w.sheriff, 100_000, 0, &[300_000, 3_600_000]).await.unwrap();
        let open = |tier| d.tiers.iter().find(|f| f.tier == tier).map(|f| (f.open, f.breached)).unwrap();
        assert_eq!(d.tiers.len(), Tier::ALL.len(), "{}: every tier, even empty ones", t.name);
        assert_eq!(open(Tier::LifeSafety), (1, 1), "{}: the closed one is not open; the other is overdue", t.name);
        assert_eq!(open(Tier::Standard), (1, 0), "{}: acknowledged, no deadline", t.name);
        assert_eq!(open(Tier::Urgent), (0, 0), "{}: the district's tip is not the sheriff's", t.name);
        assert_eq!(d.escalated, 1);
        assert_eq!(d.acknowledged_in, vec![1, 0, 1], "{}: 4 min and 2 h, closed tips counted too", t.name);
        let later = s.dashboard(w.sheriff, 100_000, 2_000, &[300_000, 3_600_000]).await.unwrap();
        assert_eq!(later.acknowledged_in, vec![0, 0, 0], "{}: only tips received since `since`", t.name);
    })
    .await;
}
