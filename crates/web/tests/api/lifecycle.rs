//! A tip worked from arrival to close, including the second-review rule.

use crate::helpers::*;
use serde_json::json;

const THREAT: &str =
    "Jake posted on Instagram that he will shoot up the school on Friday with his brother's rifle. Everyone saw it.";

#[tokio::test]
async fn queue_is_sorted_by_tier_then_deadline() {
    let app = spawn_app().await;
    let (low, _, _) = app.file("other", "The parking lot lights are out.").await;
    app.clock.advance(1000);
    let (high, _, _) = app.file("planned_attack", THREAT).await;
    let q = app.get_as(&app.world.analyst, "/api/v1/tips").await;
    let ids: Vec<i64> = q.body.as_array().unwrap().iter().map(|t| t["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, vec![high, low], "{}", q.body);
    assert_eq!(q.body[0]["tier"], "life_safety");
    assert!(q.body[0]["due_in_ms"].as_i64().unwrap() <= 5 * 60 * 1000);
    let only = app.get_as(&app.world.analyst, "/api/v1/tips?tier=life_safety").await;
    assert_eq!(only.body.as_array().unwrap().len(), 1);
    let bad = app.get_as(&app.world.analyst, "/api/v1/tips?tier=whenever").await;
    assert_eq!((bad.status, bad.body["error"]["field"].as_str()), (422, Some("tier")));
}

#[tokio::test]
async fn detail_explains_tier_and_route() {
    let app = spawn_app().await;
    let (id, _, _) = app.file("planned_attack", THREAT).await;
    let d = app.get_as(&app.world.analyst, &format!("/api/v1/tips/{id}")).await;
    assert_eq!(d.status, 200, "{}", d.body);
    assert_eq!(d.body["tier"], "life_safety");
    assert!(!d.body["tier_rule_text"].as_str().unwrap().is_empty());
    let factors = d.body["factors"].as_array().unwrap();
    assert!(factors.iter().any(|f| f["kind"] == "weapon"), "{factors:?}");
    for f in factors {
        for span in f["evidence"].as_array().unwrap() {
            let (s, e) = (span["start"].as_u64().unwrap() as usize, span["end"].as_u64().unwrap() as usize);
            assert_eq!(&THREAT[s..e], span["text"].as_str().unwrap(), "evidence points into the narrative");
        }
    }
    assert!(d.body["routes"][0]["reason"].as_str().unwrap().contains("jurisdiction"));
    let actions: Vec<&str> =
        d.body["timeline"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions[..3], ["tip.received", "tip.triaged", "tip.routed"]);
}

#[tokio::test]
async fn work_a_tip_to_a_reviewed_close() {
    let app = spawn_app().await;
    let w = &app.world;
    let (id, _, _) = app.file("threat", THREAT).await;
    let tip = |p: &str| format!("/api/v1/tips/{id}{p}");

    assert_eq!(app.post_as(&w.analyst, &tip("/acknowledge"), json!({})).await.status, 204);
    let assign = app.post_as(&w.analyst, &tip("/assign"), json!({"user_id": w.analyst.id})).await;
    assert_eq!(assign.status, 204, "{}", assign.body);
    let foreign = app.post_as(&w.analyst, &tip("/assign"), json!({"user_id": w.city_analyst.id})).await;
    assert_eq!((foreign.status, foreign.body["error"]["field"].as_str()), (422, Some("user_id")));

    let over = app.post_as(&w.analyst, &tip("/tier"), json!({"tier": "urgent", "reason": "ok"})).await;
    assert_eq!((over.status, over.body["error"]["field"].as_str()), (422, Some("reason")), "a reason needs words");
    let over = app
        .post_as(
            &w.analyst,
            &tip("/tier"),
            json!({"tier": "urgent", "reason": "Confirmed the rifle is locked at the grandparents' house."}),
        )
        .await;
    assert_eq!(over.status, 202, "lowering from life safety waits for a supervisor");
    let approve = json!({"approve": true, "reason": "The rifle is confirmed locked away."});
    assert_eq!(app.post_as(&w.supervisor, &tip("/tier/review"), approve).await.status, 204);
    let d = app.get_as(&w.analyst, &tip("")).await;
    assert_eq!((d.body["tier"].as_str(), d.body["original_tier"].as_str()), (Some("urgent"), Some("life_safety")));

    let no_reason =
        app.post_as(&w.analyst, &tip("/close"), json!({"disposition": "no_lead_value", "reason": ""})).await;
    assert_eq!((no_reason.status, no_reason.body["error"]["field"].as_str()), (422, Some("reason")));
    let close = app.post_as(&w.analyst, &tip("/close"), json!({"disposition": "no_lead_value", "reason": "Spoke with the family; the post was about a video game."})).await;
    assert_eq!(close.body["status"], "awaiting_review", "a threat tip closed without action needs a second person");
    let d = app.get_as(&w.analyst, &tip("")).await;
    assert_eq!(d.body["status"], "awaiting_review");
    assert!(d.body["due_at"].is_string(), "still on the clock");

    let by_analyst = app
        .post_as(&w.analyst2, &tip("/review"), json!({"approve": true, "reason": "Looks fine to me overall."}))
        .await;
    assert_eq!(by_analyst.status, 403, "reviewers are supervisors");
    let reject = app
        .post_as(
            &w.supervisor,
            &tip("/review"),
            json!({"approve": false, "reason": "Check the earlier tip about him first."}),
        )
        .await;
    assert_eq!(reject.status, 204);
    assert_eq!(app.get_as(&w.analyst, &tip("")).await.body["status"], "in_progress");

    app.post_as(
        &w.supervisor,
        &tip("/close"),
        json!({"disposition": "no_action", "reason": "Supervisor closing after checking the prior tip."}),
    )
    .await;
    let self_review = app
        .post_as(&w.supervisor, &tip("/review"), json!({"approve": true, "reason": "Approving my own close."}))
        .await;
    assert_eq!(self_review.status, 403, "the second person must be a different person");
    // Another supervisor approves.
    let sup2 = app.staff_with_token(w.sheriff, "sup2@test", vec![domain::staff::Role::Supervisor]).await;
    assert_eq!(
        app.post_as(
            &sup2,
            &tip("/review"),
            json!({"approve": true, "reason": "Reviewed the prior tip and the family interview."})
        )
        .await
        .status,
        204
    );
    let d = app.get_as(&w.analyst, &tip("")).await;
    assert_eq!((d.body["status"].as_str(), d.body["disposition"].as_str()), (Some("closed"), Some("no_action")));

    let reopen =
        app.post_as(&w.analyst, &tip("/reopen"), json!({"reason": "The tipster wrote back with a new post."})).await;
    assert_eq!(reopen.status, 204);
    assert_eq!(app.get_as(&w.analyst, &tip("")).await.body["status"], "in_progress");
    let actions = app.audit_actions(id).await;
    for a in [
        "tip.acknowledged",
        "tip.assigned",
        "tip.tier_overridden",
        "tip.close_requested",
        "tip.close_rejected",
        "tip.close_approved",
        "tip.closed",
        "tip.reopened",
    ] {
        assert!(actions.contains(&a.to_string()), "{a} missing from {actions:?}");
    }
}

#[tokio::test]
async fn a_harmless_tip_closes_in_one_step() {
    let app = spawn_app().await;
    let (id, _, _) = app.file("other", "The crosswalk guard was not there this morning.").await;
    app.post_as(&app.world.analyst, &format!("/api/v1/tips/{id}/acknowledge"), json!({})).await;
    let c = app
        .post_as(
            &app.world.analyst,
            &format!("/api/v1/tips/{id}/close"),
            json!({"disposition": "referred", "reason": "Passed to the city traffic office."}),
        )
        .await;
    assert_eq!(c.body["status"], "closed", "{}", c.body);
    let closed_again = app
        .post_as(
            &app.world.analyst,
            &format!("/api/v1/tips/{id}/close"),
            json!({"disposition": "referred", "reason": "Passed to the city traffic office."}),
        )
        .await;
    assert_eq!(closed_again.status, 409);
}

#[tokio::test]
async fn declined_tips_are_rerouted_never_dropped() {
    let app = spawn_app().await;
    let w = &app.world;
    // Inside the sheriff's jurisdiction only.
    let (id, _, _) = app.file("suspicious_activity", "A van parks by the playground every day.").await;
    let d = app.state.store.tip_detail(id).await.unwrap();
    assert_eq!(d.tip.active_agencies, vec![w.sheriff]);
    let decline = app
        .post_as(
            &w.analyst,
            &format!("/api/v1/tips/{id}/decline"),
            json!({"reason": "Outside our patrol area per the map."}),
        )
        .await;
    assert_eq!(decline.status, 204, "{}", decline.body);
    let d = app.state.store.tip_detail(id).await.unwrap();
    assert_eq!(d.tip.active_agencies, vec![w.fusion], "re-routed to the fallback");
    assert!(d.tip.ack_due_at.is_some());
    assert_eq!(
        app.get_as(&w.analyst, &format!("/api/v1/tips/{id}")).await.status,
        200,
        "the declining agency keeps its read"
    );

    let transfer = app
        .post_as(
            &w.analyst,
            &format!("/api/v1/tips/{id}/transfer"),
            json!({"agency_id": w.city, "reason": "Now it belongs to the city."}),
        )
        .await;
    assert_eq!(transfer.status, 403, "the sheriff may still read it but no longer holds it");
}

#[tokio::test]
async fn transfer_moves_the_clock_to_the_other_agency() {
    let app = spawn_app().await;
    let w = &app.world;
    let (id, _, _) = app.file("drugs", "Kids sell vapes on the bus.").await;
    app.post_as(&w.analyst, &format!("/api/v1/tips/{id}/acknowledge"), json!({})).await;
    let t = app
        .post_as(
            &w.analyst,
            &format!("/api/v1/tips/{id}/transfer"),
            json!({"agency_id": w.district, "reason": "School discipline matter for the district."}),
        )
        .await;
    assert_eq!(t.status, 204, "{}", t.body);
    let d = app.get_as(&w.district_analyst, &format!("/api/v1/tips/{id}")).await;
    assert_eq!(d.status, 200);
    assert_eq!(d.body["status"], "routed");
    assert!(d.body["due_at"].is_string());
}

/// The filters a desk asks for: mine, unassigned, by tier and status, with a new message — on
/// the API and on the queue page, whose live refresh and export keep the filter.
#[tokio::test]
async fn the_queue_filters_people_ask_for() {
    let app = spawn_app().await;
    let w = &app.world;
    let (mine, _, _) = app.file("other", "The crosswalk guard was not there this morning.").await;
    let (theirs, reference, passphrase) = app.file("other", "Someone keeps leaving the side gate open.").await;
    assert_eq!(
        app.post_as(&w.analyst, &format!("/api/v1/tips/{mine}/assign"), json!({"user_id": w.analyst.id})).await.status,
        204
    );
    let ids = |r: Resp| -> Vec<i64> { r.body.as_array().unwrap().iter().map(|t| t["id"].as_i64().unwrap()).collect() };
    assert_eq!(ids(app.get_as(&w.analyst, "/api/v1/tips?assignee=me").await), vec![mine]);
    assert!(!ids(app.get_as(&w.analyst, "/api/v1/tips?assignee=none").await).contains(&mine));
    let bad = app.get_as(&w.analyst, "/api/v1/tips?assignee=bob").await;
    assert_eq!((bad.status, bad.body["error"]["field"].as_str()), (422, Some("assignee")));

    let session = app.post_raw(
        "/api/v1/tipster/session",
        "application/json",
        serde_json::to_vec(&json!({"reference": reference, "passphrase": passphrase})).unwrap(),
    );
    let token = session.await.body["token"].as_str().unwrap().to_owned();
    app.post_with_token(&token, "/api/v1/tipster/messages", json!({"body": "It was open again tonight."})).await;
    assert_eq!(ids(app.get_as(&w.analyst, "/api/v1/tips?new_information=true").await), vec![theirs]);

    let password = "violet tractor 7 harbour";
    app.user_with_password(w.sheriff, "desk@sheriff.test", password, vec![domain::staff::Role::Analyst]).await;
    let (cookie, _) = app.console_login("desk@sheriff.test", password).await;
    let page = no_redirects().get(app.url("/staff?show=new")).header("cookie", &cookie).send().await.unwrap();
    let html = page.text().await.unwrap();
    assert!(
        html.contains(&format!(r#"data-id="{theirs}""#)) && !html.contains(&format!(r#"data-id="{mine}""#)),
        "{html}"
    );
    assert!(html.contains("new message"), "the badge");
    assert!(
        html.contains(r#"data-query="show=new&#38;tier=&#38;status=""#),
        "the live refresh keeps the filter: {}",
        &html[html.find("data-query").unwrap_or(0)..][..60]
    );
    let rows =
        no_redirects().get(app.url("/staff/queue/rows?show=new")).header("cookie", &cookie).send().await.unwrap();
    assert!(!rows.text().await.unwrap().contains(&format!(r#"data-id="{mine}""#)));
}
