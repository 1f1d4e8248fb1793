//! The second-review rule cannot be dodged by one person: it looks at the tip's history, a
//! lowering from urgent waits for a supervisor, and a duplicate names what it duplicates.

use crate::helpers::*;
use serde_json::json;

const HARMLESS: &str = "The crosswalk guard was not there this morning.";

#[tokio::test]
async fn lowering_an_urgent_tier_waits_for_a_second_person() {
    let app = spawn_app().await;
    let w = &app.world;
    let (id, _, _) = app.file("other", HARMLESS).await;
    let tip = |p: &str| format!("/api/v1/tips/{id}{p}");
    let before = app.get_as(&w.analyst, &tip("")).await;
    let triage_tier = before.body["tier"].as_str().unwrap().to_owned();
    assert_ne!(triage_tier, "urgent", "the story needs a tip triage did not make urgent");

    // Raising needs nobody else.
    let raise = json!({"tier": "urgent", "reason": "The guard's absence may be linked to a threat."});
    assert_eq!(app.post_as(&w.analyst, &tip("/tier"), raise).await.status, 204);
    assert_eq!(app.get_as(&w.analyst, &tip("")).await.body["peak_tier"], "urgent");

    // Lowering it again only asks; the tier and its deadline stand meanwhile.
    let due = app.get_as(&w.analyst, &tip("")).await.body["due_at"].clone();
    let lower = json!({"tier": "informational", "reason": "Talked to the school: the guard was ill."});
    assert_eq!(app.post_as(&w.analyst, &tip("/tier"), lower.clone()).await.status, 202);
    let d = app.get_as(&w.analyst, &tip("")).await;
    assert_eq!((d.body["tier"].as_str(), &d.body["due_at"]), (Some("urgent"), &due), "{}", d.body);
    assert_eq!(d.body["tier_request"]["tier"], "informational");
    assert_eq!(app.post_as(&w.analyst, &tip("/tier"), lower).await.status, 409, "one request at a time");

    let decide = |approve: bool| json!({"approve": approve, "reason": "Checked with the school office."});
    assert_eq!(
        app.post_as(&w.analyst2, &tip("/tier/review"), decide(true)).await.status,
        403,
        "analysts do not decide"
    );
    let own = app.staff_with_token(w.sheriff, "sup-own@test", vec![domain::staff::Role::Supervisor]).await;
    let own_lower = json!({"tier": "standard", "reason": "My own lowering, to be decided by another."});
    // Refused first, so the supervisor can ask for one of their own.
    assert_eq!(app.post_as(&w.supervisor, &tip("/tier/review"), decide(false)).await.status, 204);
    assert_eq!(app.get_as(&w.analyst, &tip("")).await.body["tier"], "urgent", "refused: the tier stands");
    assert_eq!(app.post_as(&own, &tip("/tier"), own_lower).await.status, 202);
    assert_eq!(app.post_as(&own, &tip("/tier/review"), decide(true)).await.status, 403, "not one's own request");
    assert_eq!(app.post_as(&w.supervisor, &tip("/tier/review"), decide(true)).await.status, 204);
    let d = app.get_as(&w.analyst, &tip("")).await;
    assert_eq!((d.body["tier"].as_str(), d.body["peak_tier"].as_str()), (Some("standard"), Some("urgent")));
    assert!(d.body["tier_request"].is_null());

    assert_eq!(app.post_as(&w.analyst, &tip("/acknowledge"), json!({})).await.status, 204);
    // Once urgent, always needs two: closing without action now waits for a supervisor.
    let close = json!({"disposition": "no_action", "reason": "The guard was ill; nothing to act on."});
    let c = app.post_as(&w.analyst, &tip("/close"), close).await;
    assert_eq!(c.body["status"], "awaiting_review", "{}", c.body);

    let actions = app.audit_actions(id).await;
    for a in ["tip.tier_lowering_requested", "tip.tier_lowering_rejected", "tip.tier_lowering_approved"] {
        assert!(actions.contains(&a.to_string()), "{a} missing from {actions:?}");
    }
}

#[tokio::test]
async fn a_duplicate_names_the_tip_it_duplicates() {
    let app = spawn_app().await;
    let w = &app.world;
    let (first, first_ref, _) = app.file("other", HARMLESS).await;
    let (second, second_ref, _) = app.file("other", "Again: no crosswalk guard at the school this morning.").await;
    let elsewhere = app
        .file_json(json!({"category": "other", "narrative": HARMLESS, "location": {"lat": 50.0, "lon": 50.0}}))
        .await;
    let close = |of: Option<&str>| {
        let mut body = json!({"disposition": "duplicate", "reason": "Same report as the earlier tip."});
        if let Some(of) = of {
            body["duplicate_of"] = json!(of);
        }
        body
    };
    let path = format!("/api/v1/tips/{second}/close");
    assert_eq!(app.post_as(&w.analyst, &format!("/api/v1/tips/{second}/acknowledge"), json!({})).await.status, 204);
    for (of, why) in [
        (None, "missing"),
        (Some("ZZZZ-ZZZZ"), "unknown"),
        (Some(second_ref.as_str()), "itself"),
        (Some(elsewhere.1.as_str()), "a tip the analyst may not read"),
    ] {
        let r = app.post_as(&w.analyst, &path, close(of)).await;
        assert_eq!((r.status, r.body["error"]["field"].as_str()), (422, Some("duplicate_of")), "{why}: {}", r.body);
    }
    assert_eq!(app.get_as(&w.analyst, &format!("/api/v1/tips/{second}")).await.body["status"], "acknowledged");

    let typed = first_ref.to_lowercase().replace('-', " ");
    let r = app.post_as(&w.analyst, &path, close(Some(&typed))).await;
    assert_eq!(r.body["status"], "closed", "{}", r.body);
    let dup = app.get_as(&w.analyst, &format!("/api/v1/tips/{second}")).await;
    assert_eq!(dup.body["duplicate_of"], json!({"id": first, "reference": first_ref}));
    let original = app.get_as(&w.analyst, &format!("/api/v1/tips/{first}")).await;
    assert_eq!(original.body["duplicates"], json!([{"id": second, "reference": second_ref}]));
}
