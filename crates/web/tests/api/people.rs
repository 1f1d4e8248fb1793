//! Who tips are about: the same invented person under different spellings, linked with
//! reasons; people decide; other agencies' records stay hidden until shared.

use crate::helpers::*;
use serde_json::{Value, json};

async fn links(app: &TestApp, who: &Staff, tip: i64) -> Vec<Value> {
    let r = app.get_as(who, &format!("/api/v1/tips/{tip}/links")).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body.as_array().unwrap().clone()
}

async fn supervisor_of(app: &TestApp, agency: i64, email: &str) -> Staff {
    app.staff_with_token(agency, email, vec![domain::staff::Role::Supervisor]).await
}

#[tokio::test]
async fn the_same_person_under_different_spellings_is_linked_with_reasons() {
    let app = spawn_app().await;
    let w = &app.world;
    let (first, first_ref, _) = app
        .file_json(json!({
            "category": "threat",
            "narrative": "William said in class he hates everyone here.",
            "location": {"lat": 5.0, "lon": 5.0},
            "subjects": [{"name": "William Turner", "dob": "2007-03-14", "handles": ["@wturner07"]}]
        }))
        .await;
    app.clock.advance(86_400_000);
    let (second, _, _) = app
        .file_json(json!({
            "category": "threat",
            "narrative": "Bill keeps posting about guns on instagram.com/wturner07 and says something big is coming.",
            "location": {"lat": 5.0, "lon": 5.0},
            "subjects": [{"name": "Bill Turner", "dob": "03/14/2007"}]
        }))
        .await;
    let (unrelated, _, _) = app
        .file_json(json!({"category": "bullying", "narrative": "Maria Lopez is teased on the bus.", "location": {"lat": 5.0, "lon": 5.0},
            "subjects": [{"name": "Maria Lopez", "dob": "2009-01-02"}]}))
        .await;
    app.advance(0).await;

    let found = links(&app, &w.analyst, second).await;
    assert!(!found.is_empty(), "no suggestion for Bill/William Turner");
    let top = &found[0];
    assert_eq!(top["state"], "suggested");
    assert_eq!(top["other"]["reference"], first_ref.as_str());
    assert_eq!(top["other"]["earlier"], true);
    let reasons = top["reasons"].as_array().unwrap().iter().map(|r| r.as_str().unwrap()).collect::<Vec<_>>().join("\n");
    assert!(
        reasons.contains("date of birth") || reasons.contains("handle"),
        "reasons a detective can read:\n{reasons}"
    );
    assert!(found.iter().all(|l| l["other"]["tip_id"] != unrelated), "Maria Lopez is someone else: {found:?}");
    let detail = app.get_as(&w.analyst, &format!("/api/v1/tips/{second}")).await;
    assert!(!detail.body["linked_tips"].as_array().unwrap().is_empty(), "the tip page shows the earlier tips");
    assert!(!links(&app, &w.analyst, first).await.is_empty(), "and the earlier tip shows the later one");

    // Closing waits for a decision on the suggestion, then for a look at the earlier tip.
    app.post_as(&w.analyst, &format!("/api/v1/tips/{second}/acknowledge"), json!({})).await;
    let close = json!({"disposition": "referred", "reason": "Referred to the school counsellor for follow-up."});
    let blocked = app.post_as(&w.analyst, &format!("/api/v1/tips/{second}/close"), close.clone()).await;
    assert_eq!(blocked.status, 409, "{}", blocked.body);
    assert!(blocked.body["error"]["reason"].as_str().unwrap().contains(&first_ref), "{}", blocked.body);

    let link_id = top["id"].as_i64().unwrap();
    let path = |action: &str| format!("/api/v1/links/{link_id}/{action}");
    let no_reason = app.post_as(&w.analyst, &path("reject"), json!({"reason": ""})).await;
    assert_eq!((no_reason.status, no_reason.body["error"]["field"].as_str()), (422, Some("reason")));
    assert_eq!(
        app.post_as(&w.analyst, &path("reject"), json!({"reason": "Different William: checked the yearbook."}))
            .await
            .status,
        204
    );
    // A rejected pair never comes back, even when matching runs again on new mentions.
    app.file_json(json!({"category": "other", "narrative": "Unrelated note.", "location": {"lat": 5.0, "lon": 5.0}}))
        .await;
    app.advance(0).await;
    let after = links(&app, &w.analyst, second).await;
    assert_eq!(after.iter().filter(|l| l["id"] == link_id).count(), 1);
    assert_eq!(after.iter().find(|l| l["id"] == link_id).unwrap()["state"], "rejected");
    assert_eq!(app.post_as(&w.analyst, &path("confirm"), json!({})).await.status, 409, "decide again only after undo");
    assert_eq!(
        app.post_as(&w.analyst, &path("undo"), json!({"reason": "The yearbook photo was of his cousin."})).await.status,
        204
    );
    for l in links(&app, &w.analyst, second).await.iter().filter(|l| l["state"] == "suggested") {
        let id = l["id"].as_i64().unwrap();
        assert_eq!(app.post_as(&w.analyst, &format!("/api/v1/links/{id}/confirm"), json!({})).await.status, 204);
    }
    let blocked = app.post_as(&w.analyst, &format!("/api/v1/tips/{second}/close"), close.clone()).await;
    assert_eq!(blocked.status, 409);
    assert!(blocked.body["error"]["reason"].as_str().unwrap().contains("prior_tips_reviewed"));
    let mut reviewed = close.clone();
    reviewed["prior_tips_reviewed"] = json!(true);
    let closed = app.post_as(&w.analyst, &format!("/api/v1/tips/{second}/close"), reviewed).await;
    assert_eq!(closed.status, 200, "{}", closed.body);
    let actions = app.audit_actions(second).await;
    for a in ["link.suggested", "link.rejected", "link.undone", "link.confirmed", "tip.closed"] {
        assert!(actions.contains(&a.to_string()), "{a} missing: {actions:?}");
    }
}

/// A second tip that names the same person twice (as its subject, and by handle in its
/// narrative) is one suggestion with all its reasons, decided once.
#[tokio::test]
async fn one_suggestion_per_pair_of_tips_with_all_its_reasons() {
    let app = spawn_app().await;
    let w = &app.world;
    let (first, _, _) = app
        .file_json(json!({"category": "threat", "narrative": "Dana said she would hurt someone.", "location": {"lat": 5.0, "lon": 5.0},
            "subjects": [{"name": "Dana Whitfield", "dob": "2008-02-02", "handles": ["@dwhit08"]}]}))
        .await;
    app.clock.advance(60_000);
    let (second, _, _) = app
        .file_json(json!({"category": "threat", "narrative": "Dana keeps posting threats as @dwhit08 every night.",
            "location": {"lat": 5.0, "lon": 5.0}, "subjects": [{"name": "Dana Whitfield", "dob": "02/02/2008"}]}))
        .await;
    app.advance(0).await;
    let found = links(&app, &w.analyst, second).await;
    let to_first: Vec<&Value> = found.iter().filter(|l| l["other"]["tip_id"] == first).collect();
    assert_eq!(to_first.len(), 1, "one suggestion for the pair: {found:?}");
    let pair = to_first[0];
    assert_eq!(pair["link_ids"].as_array().unwrap().len(), 2, "both matches are in it: {pair}");
    let reasons = pair["reasons"].to_string();
    assert!(reasons.contains("date of birth") && reasons.contains("handle"), "all its reasons: {reasons}");
    let id = pair["id"].as_i64().unwrap();
    let confirmed = app.post_as(&w.analyst, &format!("/api/v1/links/{id}/confirm"), json!({})).await;
    assert_eq!(confirmed.status, 204, "{}", confirmed.body);
    let stored = app.state.store.links_for_tip(second).await.unwrap();
    assert!(stored.iter().all(|l| l.state == domain::link::LinkState::Confirmed), "decided once, for the pair");
    assert_eq!(links(&app, &w.analyst, first).await.len(), 1, "and one seen from the earlier tip");
}

#[tokio::test]
async fn another_agencys_record_is_only_hinted_at_until_shared() {
    let app = spawn_app().await;
    let w = &app.world;
    // The fusion centre alone holds the first tip (nothing at 50,50 but the fallback).
    let (hidden, hidden_ref, _) = app
        .file_json(json!({"category": "threat", "narrative": "Devon Marsh said he would hurt his ex.", "location": {"lat": 50.0, "lon": 50.0},
            "subjects": [{"name": "Devon Marsh", "dob": "2006-07-01", "phone": "555-201-3344"}]}))
        .await;
    let (mine, _, _) = app
        .file_json(json!({"category": "threat", "narrative": "Devon is threatening people, call him at (555) 201-3344.", "location": {"lat": 5.0, "lon": 5.0},
            "subjects": [{"name": "Devon Marsh", "dob": "07/01/2006"}]}))
        .await;
    app.advance(0).await;
    let found = links(&app, &w.analyst, mine).await;
    assert!(!found.is_empty(), "the sheriff learns a related record exists");
    let text = serde_json::to_string(&found).unwrap();
    for secret in ["hurt his ex", hidden_ref.as_str(), "Devon", "2006", &format!("\"tip_id\":{hidden}")] {
        assert!(!text.contains(secret), "leaked {secret:?}: {text}");
    }
    assert!(found[0]["other"]["notice"].as_str().unwrap().contains("Another agency may hold a related record"));
    let link_id = found[0]["id"].as_i64().unwrap();
    assert_eq!(app.get_as(&w.analyst, &format!("/api/v1/tips/{hidden}")).await.status, 404);
    assert_eq!(app.post_as(&w.analyst, &format!("/api/v1/links/{link_id}/confirm"), json!({})).await.status, 403);

    let asked = app
        .post_as(
            &w.analyst,
            &format!("/api/v1/links/{link_id}/request-access"),
            json!({"reason": "Same phone number as our subject; threat case open."}),
        )
        .await;
    assert_eq!(asked.status, 201, "{}", asked.body);
    let request_id = asked.body["request_id"].as_i64().unwrap();
    let again = app
        .post_as(
            &w.analyst,
            &format!("/api/v1/links/{link_id}/request-access"),
            json!({"reason": "Asking a second time to be sure."}),
        )
        .await;
    assert_eq!(again.status, 409);

    // The requester cannot grant itself; the holder's supervisor decides.
    assert_eq!(
        app.post_as(
            &w.supervisor,
            &format!("/api/v1/access-requests/{request_id}/grant"),
            json!({"reason": "Granting my own request."})
        )
        .await
        .status,
        403
    );
    let fusion_sup = supervisor_of(&app, w.fusion, "fusion-sup@test").await;
    let incoming = app.get_as(&fusion_sup, "/api/v1/access-requests").await;
    assert_eq!(incoming.body[0]["direction"], "incoming");
    assert_eq!(incoming.body[0]["tip_id"], hidden);
    let grant = app
        .post_as(
            &fusion_sup,
            &format!("/api/v1/access-requests/{request_id}/grant"),
            json!({"reason": "Same subject; sharing for the threat case."}),
        )
        .await;
    assert_eq!(grant.status, 204, "{}", grant.body);

    let now_visible = links(&app, &w.analyst, mine).await;
    assert_eq!(now_visible[0]["other"]["reference"], hidden_ref.as_str());
    assert_eq!(app.get_as(&w.analyst, &format!("/api/v1/tips/{hidden}")).await.status, 200, "shared: readable");
    assert_eq!(
        app.post_as(&w.analyst, &format!("/api/v1/tips/{hidden}/acknowledge"), json!({})).await.status,
        403,
        "shared is read-only"
    );
    let actions = app.audit_actions(hidden).await;
    assert!(
        actions.contains(&"access.requested".to_string()) && actions.contains(&"access.granted".to_string()),
        "{actions:?}"
    );
}

/// A name the phonetic encoder once choked on: matching and the clock both go on.
#[tokio::test]
async fn unusual_characters_in_names_do_not_stop_the_background_work() {
    let app = spawn_app().await;
    for name in ["S\u{133f2}u Smith", "\u{1F600} Ángel Núñez", "Zoë\u{200d}Ω"] {
        app.file_json(json!({"category": "threat", "narrative": "He said he would hurt someone.", "location": {"lat": 5.0, "lon": 5.0},
            "subjects": [{"name": name}]}))
            .await;
    }
    app.advance(0).await;
    assert!(app.state.store.unmatched_mentions(10).await.unwrap().is_empty(), "every mention was matched");
    let before = app.hooks.bodies().len();
    app.advance(2 * 60 * 60 * 1000).await;
    assert!(app.hooks.bodies().len() > before, "escalations still fire");
}
