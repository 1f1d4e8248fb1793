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
