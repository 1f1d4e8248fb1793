//! Mentions, links and their decisions, access requests and shares.

use super::*;
use domain::audit::ObjectRef;
use domain::link::LinkState;
use domain::urgency::Tier;
use store::StoreError;
use store::model::*;

fn link(m: &Mention, other: &Mention) -> NewLink {
    NewLink {
        mention_id: m.id,
        tip_id: m.tip_id,
        other_mention_id: other.id,
        other_tip_id: other.tip_id,
        weight: 12.5,
        probability: 0.99,
        explanation: r#"{"reasons":["last name: exact, +8.0"]}"#.into(),
    }
}

fn audit(tip: i64, action: domain::audit::AuditAction) -> NewAudit {
    NewAudit::new(5_000, "user:1", action, ObjectRef::Tip(tip))
}

/// Two tips whose mentions match more than once are one suggestion: deciding one of its links
/// decides them all, and a pair of tips people decided on gathers no new suggestion.
#[tokio::test]
async fn one_suggestion_per_pair_of_tips() {
    on_each_backend(|t| async move {
        let s = t.store.as_ref();
        let w = world(s).await;
        let a = s.insert_tip(new_tip("PAIR-0001", &[w.sheriff], Tier::Urgent, 10_000)).await.unwrap();
        let mut second = new_tip("PAIR-0002", &[w.sheriff], Tier::Urgent, 10_000);
        for handle in ["@one", "@two"] {
            second.mentions.push(MentionRow { handle: Some(handle.into()), ..second.mentions[0].clone() });
        }
        let b = s.insert_tip(second).await.unwrap();
        let mentions = s.unmatched_mentions(10).await.unwrap();
        let ma = mentions.iter().find(|m| m.tip_id == a).unwrap();
        let of_b: Vec<&Mention> = mentions.iter().filter(|m| m.tip_id == b).collect();
        assert_eq!(of_b.len(), 3, "{}", t.name);
        for m in &of_b[..2] {
            assert_eq!(s.record_matches(m.id, vec![link(m, ma)], vec![], 5_000).await.unwrap(), 1, "{}", t.name);
        }
        let pair = s.links_for_tip(a).await.unwrap();
        assert_eq!(pair.len(), 2, "{}: one link per pair of mentions, stored", t.name);
        s.decide_link(
            pair[0].id,
            LinkState::Suggested,
            LinkState::Rejected,
            w.analyst,
            "a different Dana",
            audit(b, domain::audit::AuditAction::LinkRejected),
        )
        .await
        .unwrap();
        let decided = s.links_for_tip(a).await.unwrap();
        assert!(decided.iter().all(|l| l.state == LinkState::Rejected), "{}: the pair is decided as one", t.name);
        assert!(decided.iter().all(|l| l.reason.as_deref() == Some("a different Dana")), "{}", t.name);
        assert_eq!(
            s.record_matches(of_b[2].id, vec![link(of_b[2], ma)], vec![], 6_000).await.unwrap(),
            0,
            "{}: a decided pair of tips is not suggested again",
            t.name
        );
    })
    .await;
}

#[tokio::test]
async fn links_are_suggested_once_and_decided_by_people() {
    on_each_backend(|t| async move {
        let s = t.store.as_ref();
        let w = world(s).await;
        let a = s.insert_tip(new_tip("RES-0001", &[w.sheriff], Tier::Urgent, 10_000)).await.unwrap();
        let b = s.insert_tip(new_tip("RES-0002", &[w.fusion], Tier::Urgent, 10_000)).await.unwrap();
        let unmatched = s.unmatched_mentions(10).await.unwrap();
        assert_eq!(unmatched.len(), 2, "{}", t.name);
        assert_eq!(s.mentions_after(unmatched[0].id, 10).await.unwrap().len(), 1);
        let (ma, mb) = (&unmatched[0], &unmatched[1]);
        assert_eq!((ma.tip_id, mb.tip_id), (a, b));

        let added = s
            .record_matches(mb.id, vec![link(mb, ma)], vec![audit(b, domain::audit::AuditAction::LinkSuggested)], 5_000)
            .await
            .unwrap();
        assert_eq!(added, 1);
        assert!(s.unmatched_mentions(10).await.unwrap().iter().all(|m| m.id != mb.id), "{}: marked matched", t.name);
        let links = s.links_for_tip(a).await.unwrap();
        assert_eq!(links.len(), 1, "{}: seen from either side", t.name);
        assert_eq!(links[0].state, LinkState::Suggested);
        let id = links[0].id;

        s.decide_link(
            id,
            LinkState::Suggested,
            LinkState::Rejected,
            w.analyst,
            "different person",
            audit(b, domain::audit::AuditAction::LinkRejected),
        )
        .await
        .unwrap();
        let stale = s
            .decide_link(
                id,
                LinkState::Suggested,
                LinkState::Confirmed,
                w.analyst,
                "",
                audit(b, domain::audit::AuditAction::LinkConfirmed),
            )
            .await;
        assert!(matches!(stale, Err(StoreError::Conflict(_))), "{}: decided meanwhile", t.name);
        // Suggesting the same pair again, in either direction, adds nothing.
        assert_eq!(s.record_matches(mb.id, vec![link(mb, ma)], vec![], 6_000).await.unwrap(), 0);
        assert_eq!(s.record_matches(ma.id, vec![link(ma, mb)], vec![], 6_000).await.unwrap(), 0);
        assert_eq!(
            s.get_link(id).await.unwrap().state,
            LinkState::Rejected,
            "{}: a rejected pair stays rejected",
            t.name
        );
        assert!(matches!(s.get_link(999_999).await, Err(StoreError::NotFound(_))));
    })
    .await;
}

#[tokio::test]
async fn access_requests_share_a_record_read_only() {
    on_each_backend(|t| async move {
        let s = t.store.as_ref();
        let w = world(s).await;
        let tip = s.insert_tip(new_tip("SHR-0001", &[w.fusion], Tier::Standard, 10_000)).await.unwrap();
        let before = s.tip_audience(tip).await.unwrap();
        assert_eq!((before.holders.clone(), before.readers.clone()), (vec![w.fusion], vec![w.fusion]));
        let request = NewAccessRequest {
            tip_id: tip,
            link_id: None,
            requesting_agency_id: w.sheriff,
            requested_by: w.analyst,
            reason: "same subject".into(),
        };
        let id = s
            .create_access_request(request.clone(), audit(tip, domain::audit::AuditAction::AccessRequested))
            .await
            .unwrap();
        let twice = s.create_access_request(request, audit(tip, domain::audit::AuditAction::AccessRequested)).await;
        assert!(matches!(twice, Err(StoreError::Conflict(_))), "{}: one pending request per agency", t.name);
        assert_eq!(s.access_requests(w.fusion).await.unwrap().len(), 1, "{}: the holder sees it", t.name);
        assert_eq!(s.access_requests(w.sheriff).await.unwrap().len(), 1, "{}: the requester sees it", t.name);
        assert_eq!(s.access_requests(w.district).await.unwrap().len(), 0);

        s.decide_access_request(
            id,
            true,
            w.analyst,
            "granted for the case",
            audit(tip, domain::audit::AuditAction::AccessGranted),
        )
        .await
        .unwrap();
        let again = s
            .decide_access_request(
                id,
                false,
                w.analyst,
                "changed my mind",
                audit(tip, domain::audit::AuditAction::AccessRefused),
            )
            .await;
        assert!(matches!(again, Err(StoreError::Conflict(_))));
        let after = s.tip_audience(tip).await.unwrap();
        assert_eq!(after.holders, vec![w.fusion], "{}: sharing does not make a holder", t.name);
        assert!(after.readers.contains(&w.sheriff));
        assert_eq!(s.tip_detail(tip).await.unwrap().shared_with, vec![w.sheriff]);
        let events = s.audit_events(0, 1_000).await.unwrap();
        assert_eq!(crate::verify_chain(&events), Ok(events.len() as u64));
    })
    .await;
}
