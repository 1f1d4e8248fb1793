//! Account security: TOTP steps are accepted once and in order.

use crate::*;

#[tokio::test]
async fn totp_steps_are_accepted_once_and_in_order() {
    on_each_backend(|t| async move {
        let w = world(t.store.as_ref()).await;
        let s = t.store.as_ref();
        assert!(s.accept_totp_step(w.analyst, 100).await.unwrap(), "{}: first step", t.name);
        assert!(!s.accept_totp_step(w.analyst, 100).await.unwrap(), "{}: the same step again", t.name);
        assert!(!s.accept_totp_step(w.analyst, 99).await.unwrap(), "{}: an earlier step", t.name);
        assert!(s.accept_totp_step(w.analyst, 101).await.unwrap(), "{}: the next step", t.name);
        let (a, b) = tokio::join!(s.accept_totp_step(w.analyst, 105), s.accept_totp_step(w.analyst, 105));
        assert_eq!(u8::from(a.unwrap()) + u8::from(b.unwrap()), 1, "{}: two at once, one wins", t.name);
    })
    .await;
}
