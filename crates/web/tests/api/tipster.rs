//! The tipster's follow-up: sign in, read, answer.

use crate::helpers::*;
use serde_json::json;

async fn sign_in(app: &TestApp, reference: &str, passphrase: &str) -> Resp {
    app.post_raw(
        "/api/v1/tipster/session",
        "application/json",
        serde_json::to_vec(&json!({"reference": reference, "passphrase": passphrase})).unwrap(),
    )
    .await
}

#[tokio::test]
async fn tipster_reads_questions_and_answers() {
    let app = spawn_app().await;
    let (id, reference, passphrase) = app.file("bullying", "A group keeps pushing a boy into lockers.").await;
    let wrong_pass = sign_in(&app, &reference, "AAAA-BBBB-CCCC-DDDD-EEEE").await;
    let no_such = sign_in(&app, "ZZZZ-ZZZZ", &passphrase).await;
    assert_eq!((wrong_pass.status, no_such.status), (401, 401));
    assert_eq!(wrong_pass.body, no_such.body, "the same answer whether the reference exists or not");

    // Typed loosely on a phone: lower case, spaces instead of dashes.
    let r = sign_in(&app, &reference.to_lowercase(), &passphrase.to_lowercase().replace('-', " ")).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let token = r.body["token"].as_str().unwrap().to_owned();

    app.post_as(
        &app.world.analyst,
        &format!("/api/v1/tips/{id}/messages"),
        json!({"body": "Which grade is the boy in?"}),
    )
    .await;
    let view = app.get_with_token(&token, "/api/v1/tipster/tip").await;
    assert_eq!(view.status, 200);
    assert_eq!(view.body["messages"][0]["from"], "staff");
    assert_eq!(view.body["messages"][0]["body"], "Which grade is the boy in?");
    assert!(view.body["status"].as_str().unwrap().starts_with("Received"));

    let answer = app
        .post_with_token(&token, "/api/v1/tipster/messages", json!({"body": "7th grade, Mr. Lee's homeroom."}))
        .await;
    assert_eq!(answer.status, 201);
    let empty = app.post_with_token(&token, "/api/v1/tipster/messages", json!({"body": "  "})).await;
    assert_eq!((empty.status, empty.body["error"]["field"].as_str()), (422, Some("body")));
    let staff_view = app.get_as(&app.world.analyst, &format!("/api/v1/tips/{id}")).await;
    assert_eq!(staff_view.body["messages"][1]["from"], "tipster");

    // A staff token is not a tipster session, and the reverse.
    assert_eq!(app.get_with_token(&app.world.analyst.token, "/api/v1/tipster/tip").await.status, 401);
    assert_eq!(app.get_with_token(&token, "/api/v1/tips").await.status, 401);
    // Sessions expire.
    app.clock.advance(3 * 60 * 60 * 1000);
    assert_eq!(app.get_with_token(&token, "/api/v1/tipster/tip").await.status, 401);
}

/// New information never goes unseen: a message on a closed tip opens it again, waiting for its
/// agency on the clock, with the on-call paged; on any tip it shows as "new" in the queue and
/// on the tip until someone who works the tip reads it.
#[tokio::test]
async fn new_information_reopens_a_closed_tip_and_is_flagged_until_read() {
    let app = spawn_app().await;
    let w = &app.world;
    let (id, reference, passphrase) = app.file("other", "The crosswalk guard was not there this morning.").await;
    let tip = |p: &str| format!("/api/v1/tips/{id}{p}");
    assert_eq!(app.post_as(&w.analyst, &tip("/acknowledge"), json!({})).await.status, 204);
    let close = json!({"disposition": "referred", "reason": "Passed to the city traffic office."});
    assert_eq!(app.post_as(&w.analyst, &tip("/close"), close).await.body["status"], "closed");
    app.advance(0).await;
    let paged_before = app.hooks.bodies().len();

    let token = sign_in(&app, &reference, &passphrase).await.body["token"].as_str().unwrap().to_owned();
    let news = json!({"body": "It was not an accident: a man in a van was watching the kids and took photos."});
    assert_eq!(app.post_with_token(&token, "/api/v1/tipster/messages", news).await.status, 201);

    let queue = app.get_as(&w.analyst, "/api/v1/tips").await;
    let row = queue.body.as_array().unwrap().iter().find(|t| t["id"] == id).cloned();
    let row = row.expect("the closed tip is back in the queue");
    assert_eq!((row["status"].as_str(), row["new_information"].as_bool()), (Some("routed"), Some(true)), "{row}");
    assert!(row["due_at"].is_string(), "on the clock again: {row}");
    app.advance(0).await;
    let pages: Vec<serde_json::Value> = app.hooks.bodies()[paged_before..].to_vec();
    assert!(pages.iter().any(|p| p["kind"] == "new_information"), "the on-call is told at once: {pages:?}");
    assert!(!pages.iter().any(|p| p.to_string().contains("van")), "pages carry no narrative");

    let read = app.get_as(&w.analyst, &tip("")).await;
    assert_eq!(read.body["new_information"], true, "the reader sees what is new");
    let again = app.get_as(&w.analyst, &tip("")).await;
    assert_eq!(again.body["new_information"], false, "read: the flag is gone");
    let actions = app.audit_actions(id).await;
    assert!(actions.contains(&"tip.reopened".to_string()), "{actions:?}");

    // On an open tip: flagged, not reopened; an auditor's read does not clear it.
    let more = json!({"body": "One more thing: the van was white."});
    app.post_with_token(&token, "/api/v1/tipster/messages", more).await;
    app.get_as(&w.auditor, &tip("")).await;
    let d = app.get_as(&w.auditor, &tip("")).await;
    assert_eq!((d.body["status"].as_str(), d.body["new_information"].as_bool()), (Some("routed"), Some(true)));
}
