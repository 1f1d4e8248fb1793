//! Deadlines and escalation, driven by a manual clock; notifications through signed webhooks.

use crate::helpers::*;
use serde_json::json;

const MINUTE: i64 = 60_000;

#[tokio::test]
async fn life_safety_pages_at_once_and_escalates_until_acknowledged() {
    let app = spawn_app().await;
    let (id, _, _) = app
        .file("planned_attack", "He will shoot everyone at the mall tomorrow with his AR-15. He posted a countdown.")
        .await;
    app.advance(0).await;
    let first = app.hooks.bodies();
    assert_eq!(first.len(), 1, "the sheriff's on-call is paged at once: {first:?}");
    assert_eq!(first[0]["kind"], "new_tip");
    assert_eq!(first[0]["data"]["tier"], "life_safety");
    assert!(!first[0].to_string().contains("AR-15"), "pages carry no narrative");

    // The signature verifies with the instance key.
    let (headers, body) = app.hooks.received.lock().unwrap()[0].clone();
    let ts: i64 = headers["x-sightline-timestamp"].to_str().unwrap().parse().unwrap();
    let expected = format!("sha256={}", app.state.secrets.sign_webhook(ts, &body));
    assert_eq!(headers["x-sightline-signature"].to_str().unwrap(), expected);

    app.advance(4 * MINUTE).await;
    assert_eq!(app.hooks.bodies().len(), 1, "nothing before the deadline");
    app.advance(MINUTE + 1).await;
    let after = app.hooks.bodies();
    assert_eq!(after.len(), 2, "{after:?}");
    assert_eq!(after[1]["data"]["rung"], "on_call");
    app.advance(5 * MINUTE).await;
    assert_eq!(app.hooks.bodies()[2]["data"]["rung"], "supervisor");
    app.advance(5 * MINUTE).await;
    let partner = app.hooks.bodies();
    assert_eq!(partner.last().unwrap()["data"]["rung"], "partner_agency");
    let d = app.state.store.tip_detail(id).await.unwrap();
    assert!(d.tip.active_agencies.contains(&app.world.fusion), "the partner agency now holds the tip too");

    assert_eq!(app.post_as(&app.world.analyst, &format!("/api/v1/tips/{id}/acknowledge"), json!({})).await.status, 204);
    let count = app.hooks.bodies().len();
    app.advance(60 * MINUTE).await;
    assert_eq!(app.hooks.bodies().len(), count, "acknowledged: the ladder stops");
    let escalations = app.audit_actions(id).await.iter().filter(|a| *a == "tip.escalated").count();
    assert_eq!(escalations, 3);
    let metrics = app.http.get(app.url("/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(metrics.contains("sightline_escalations_total 3"), "{metrics}");
}

#[tokio::test]
async fn failed_deliveries_retry_with_backoff_then_count_as_failures() {
    let app = spawn_app().await;
    {
        use store::model::*;
        app.state
            .store
            .create_contact(
                NewContact {
                    agency_id: app.world.sheriff,
                    role: ContactRole::OnCall,
                    name: "dead".into(),
                    webhook_url: "http://127.0.0.1:9/nothing-listens".into(),
                },
                "t",
                T0,
            )
            .await
            .unwrap();
        app.state.invalidate_routing().await;
    }
    let (id, _, _) = app.file("planned_attack", "He will shoot everyone at the mall tomorrow with his AR-15.").await;
    app.advance(0).await;
    let m = app.state.store.metrics(0).await.unwrap();
    assert_eq!((m.notifications_pending, m.notification_failures), (1, 0), "one retry pending");
    // Acknowledged, so no escalation pages join the one that keeps failing.
    app.post_as(&app.world.analyst, &format!("/api/v1/tips/{id}/acknowledge"), json!({})).await;
    for _ in 0..app::jobs::outbox::MAX_ATTEMPTS {
        app.advance(31 * MINUTE).await;
    }
    let m = app.state.store.metrics(0).await.unwrap();
    assert_eq!((m.notifications_pending, m.notification_failures), (0, 1));
    assert_eq!(app::jobs::outbox::backoff_ms(0), 5_000);
    assert_eq!(app::jobs::outbox::backoff_ms(3), 40_000);
}

#[tokio::test]
async fn pending_second_review_escalates_to_supervisors() {
    let app = spawn_app().await;
    let (id, _, _) =
        app.file("threat", "He said he would stab Marcus on Friday with a knife he keeps in his locker.").await;
    app.post_as(&app.world.analyst, &format!("/api/v1/tips/{id}/acknowledge"), json!({})).await;
    let close = app
        .post_as(
            &app.world.analyst,
            &format!("/api/v1/tips/{id}/close"),
            json!({"disposition": "no_lead_value", "reason": "Could not identify who Marcus is."}),
        )
        .await;
    assert_eq!(close.body["status"], "awaiting_review");
    app.advance(0).await; // deliver the intake pages first
    let before = app.hooks.bodies().len();
    app.advance(2 * 60 * MINUTE).await;
    let pages = app.hooks.bodies();
    assert!(pages.len() > before, "a review left waiting escalates");
    assert_eq!(pages[before]["data"]["status"], "awaiting_review");
}
