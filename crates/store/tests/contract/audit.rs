//! The audit chain stays intact through every kind of write, and detects tampering.

use super::*;
use domain::audit::{ChainError, verify_chain};
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
