//! Each receiving agency's part: every primary receiver must acknowledge, on the clock,
//! whoever took the tip first; an informed receiver is told and marks the tip as seen.

use crate::helpers::*;
use serde_json::json;

const MINUTE: i64 = 60_000;

fn escalated_to(app: &TestApp) -> Vec<i64> {
    let bodies = app.hooks.bodies();
    bodies.iter().filter(|b| b["kind"] == "escalation").map(|b| b["data"]["agency_id"].as_i64().unwrap()).collect()
}

/// The school's team is never let off because the sheriff answered first.
#[tokio::test]
async fn every_primary_receiver_must_acknowledge() {
    let app = spawn_app().await;
    let w = &app.world;
    let (id, _, _) = app
        .file_json(json!({"category": "threat", "site_id": w.high_school,
            "narrative": "A student said he would hurt people at Pine High next week and showed a knife."}))
        .await;
    let tip = app.get_as(&w.analyst, &format!("/api/v1/tips/{id}")).await.body;
    let roles: Vec<(i64, String)> = tip["routes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["agency_id"].as_i64().unwrap(), r["role"].as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(
        roles,
        [(w.district, "primary".into()), (w.sheriff, "primary".into()), (w.city, "primary".into())],
        "the school's owner, then the police of the place"
    );
    let due = tip["due_at"].clone();

    assert_eq!(app.post_as(&w.analyst, &format!("/api/v1/tips/{id}/acknowledge"), json!({})).await.status, 204);
    let tip = app.get_as(&w.analyst, &format!("/api/v1/tips/{id}")).await.body;
    assert_eq!(tip["status"], "acknowledged");
    assert_eq!(tip["due_at"], due, "the clock runs on for the district and the city");
    let mut waiting: Vec<i64> =
        tip["waiting_agencies"].as_array().unwrap().iter().map(|a| a.as_i64().unwrap()).collect();
    waiting.sort_unstable();
    let mut expected = vec![w.district, w.city];
    expected.sort_unstable();
    assert_eq!(waiting, expected);

    // The district's queue says the tip waits for it, and its page offers to acknowledge.
    let queue = app.get_as(&w.district_analyst, "/api/v1/tips").await.body.to_string();
    assert!(queue.contains(&format!("\"waiting_agencies\":[{}", waiting[0])), "{queue}");
    let district = app.console_user(w.district, "dana@district.test", vec![domain::staff::Role::Analyst]).await;
    let page = app.page(&district, &format!("/staff/tips/{id}")).await;
    assert!(page.contains(">Acknowledge</button>"), "{page}");
    assert!(page.contains("District — must acknowledge — not yet acknowledged"), "{page}");
    let rows = app.page(&district, "/staff/queue/rows").await;
    assert!(rows.contains("your agency has not acknowledged"), "{rows}");

    // Overdue: the ladder calls those still waiting, not the sheriff who answered.
    app.advance(2 * 60 * MINUTE).await;
    let called = escalated_to(&app);
    assert!(!called.is_empty(), "the waiting receivers escalate");
    assert!(called.iter().all(|a| *a == w.district || *a == w.city), "{called:?}");
    app.advance(6 * 60 * MINUTE).await;
    let routes = app.get_as(&w.analyst, &format!("/api/v1/tips/{id}")).await.body["routes"].as_array().unwrap().len();
    assert_eq!(routes, 3, "the ladder calls; it adds no partner while someone holds the tip");

    assert_eq!(
        app.post_as(&w.district_analyst, &format!("/api/v1/tips/{id}/acknowledge"), json!({})).await.status,
        204
    );
    assert_eq!(app.post_as(&w.city_analyst, &format!("/api/v1/tips/{id}/acknowledge"), json!({})).await.status, 204);
    let tip = app.get_as(&w.analyst, &format!("/api/v1/tips/{id}")).await.body;
    assert_eq!((tip["due_at"].clone(), tip["waiting_agencies"].clone()), (json!(null), json!([])), "{tip}");
    let count = app.hooks.bodies().len();
    app.advance(4 * 60 * MINUTE).await;
    assert_eq!(app.hooks.bodies().len(), count, "everyone answered: the ladder stops");
    let audit = app.state.store.audit_for_object(domain::audit::ObjectRef::Tip(id)).await.unwrap();
    let acks: Vec<String> =
        audit.iter().filter(|e| e.action == "tip.acknowledged").map(|e| e.detail.to_string()).collect();
    assert_eq!(acks.len(), 3, "{acks:?}");
    assert!(acks[0].contains("\"still_waiting_for\":["), "{acks:?}");
}

/// A crisis centre is told of a self-harm tip in its area and marks it seen; the police must
/// act, and once they have the clock stops though the centre has not looked yet.
#[tokio::test]
async fn informed_receivers_see_and_never_hold_the_clock() {
    let app = spawn_app().await;
    let w = &app.world;
    let crisis = app
        .state
        .store
        .create_agency(
            store::model::NewAgency {
                name: "County Crisis Line".into(),
                kind: domain::routing::AgencyKind::CrisisCentre,
                jurisdiction: Some(square(0.0, 0.0, 20.0, 20.0)),
                partner_agency_id: None,
                ack_policy: None,
            },
            "t",
            0,
        )
        .await
        .unwrap()
        .id;
    app.state.invalidate_routing().await;
    let counsellor = app.staff_with_token(crisis, "counsellor@test", vec![domain::staff::Role::Analyst]).await;
    let console = app.console_user(crisis, "cory@crisis.test", vec![domain::staff::Role::Analyst]).await;
    let (id, _, _) = app.file("self_harm", "My friend says she wants to end it tonight and has pills saved up.").await;
    let tip = app.get_as(&w.analyst, &format!("/api/v1/tips/{id}")).await.body;
    let crisis_route = tip["routes"].as_array().unwrap().iter().find(|r| r["agency_id"] == crisis).cloned();
    assert_eq!(crisis_route.map(|r| r["role"].clone()), Some(json!("informed")), "{tip}");
    assert_eq!(tip["waiting_agencies"], json!([w.sheriff]));

    let page = app.page(&console, &format!("/staff/tips/{id}")).await;
    assert!(page.contains(">Mark as seen</button>"), "{page}");
    let close =
        serde_json::json!({"disposition": "referred", "reason": "We called her and she is safe with her mother."});
    let refused = app.post_as(&counsellor, &format!("/api/v1/tips/{id}/close"), close).await;
    assert_eq!(refused.status, 403, "an informed receiver does not decide the tip: {}", refused.body);
    assert_eq!(app.post_as(&counsellor, &format!("/api/v1/tips/{id}/acknowledge"), json!({})).await.status, 204);
    let tip = app.get_as(&w.analyst, &format!("/api/v1/tips/{id}")).await.body;
    assert_eq!(tip["status"], "routed", "seen moves nothing: the sheriff must still acknowledge");
    assert!(tip["due_at"].is_string());
    let page = app.page(&console, &format!("/staff/tips/{id}")).await;
    assert!(page.contains("County Crisis Line — informed — seen"), "{page}");
    assert!(!page.contains(">Mark as seen</button>"), "seen once");

    assert_eq!(app.post_as(&w.analyst, &format!("/api/v1/tips/{id}/acknowledge"), json!({})).await.status, 204);
    let tip = app.get_as(&w.analyst, &format!("/api/v1/tips/{id}")).await.body;
    assert_eq!((tip["status"].clone(), tip["due_at"].clone()), (json!("acknowledged"), json!(null)));
}

/// The tip page speaks in words and local time: tiers, statuses, factors, people by name, the
/// instance's time zone — never `life_safety`, `user:3` or a UTC stamp.
#[tokio::test]
async fn the_tip_page_reads_in_words_and_local_time() {
    let app = spawn_app().await;
    app::admin::Admin::local(app.state.store.clone(), 0).set_time_zone("America/Chicago").await.unwrap();
    app.state.invalidate_routing().await;
    let (id, _, _) =
        app.file("planned_attack", "He said he will shoot up the school tomorrow with his dad's rifle.").await;
    let console = app.console_user(app.world.sheriff, "robin@sheriff.test", vec![domain::staff::Role::Analyst]).await;
    let page = app.page(&console, &format!("/staff/tips/{id}")).await;
    for words in [
        "Life safety",
        "Waiting to be acknowledged",
        "Planned attack",
        "Intent to harm",
        "the tipster — received",
        "Sightline — triaged",
    ] {
        assert!(page.contains(words), "{words:?} is missing: {page}");
    }
    assert!(page.contains(" CST") || page.contains(" CDT"), "local time: {page}");
    let ack = app.page_as_post(&console, &format!("/staff/tips/{id}/acknowledge")).await;
    assert_eq!(ack, 303);
    let page = app.page(&console, &format!("/staff/tips/{id}")).await;
    assert!(page.contains("robin@sheriff.test — acknowledged"), "people by name: {page}");
    let timeline = page.split(r#"id="timeline""#).nth(1).unwrap();
    assert!(!timeline.contains("user:") && !timeline.contains("tip.") && !timeline.contains("Z</time>"), "{timeline}");
}
