//! No staff endpoint answers without a token; no agency sees another's tips.

use crate::helpers::*;
use serde_json::json;

const STAFF_ROUTES: &[(&str, &str, &str)] = &[
    ("GET", "/api/v1/tips", ""),
    ("GET", "/api/v1/tips/{id}", ""),
    ("POST", "/api/v1/tips/{id}/acknowledge", "{}"),
    ("POST", "/api/v1/tips/{id}/assign", r#"{"user_id": 1}"#),
    ("POST", "/api/v1/tips/{id}/messages", r#"{"body": "hello there"}"#),
    ("POST", "/api/v1/tips/{id}/transfer", r#"{"agency_id": 1, "reason": "I am curious about this"}"#),
    ("POST", "/api/v1/tips/{id}/decline", r#"{"reason": "I am curious about this"}"#),
    ("POST", "/api/v1/tips/{id}/tier", r#"{"tier": "urgent", "reason": "I am curious about this"}"#),
    ("POST", "/api/v1/tips/{id}/close", r#"{"disposition": "no_action", "reason": "I am curious about this"}"#),
    ("POST", "/api/v1/tips/{id}/review", r#"{"approve": true, "reason": "I am curious about this"}"#),
    ("POST", "/api/v1/tips/{id}/reopen", r#"{"reason": "I am curious about this"}"#),
];

#[tokio::test]
async fn staff_endpoints_need_a_valid_token() {
    let app = spawn_app().await;
    let (id, _, _) = app.file("other", "Something odd.").await;
    for (method, path, _) in STAFF_ROUTES {
        let path = path.replace("{id}", &id.to_string());
        for token in [None, Some("slt_not-a-real-token")] {
            let mut req = if *method == "GET" {
                app.http.get(app.url(&path))
            } else {
                app.http.post(app.url(&path)).json(&json!({}))
            };
            if let Some(t) = token {
                req = req.bearer_auth(t);
            }
            let r = req.send().await.unwrap();
            assert_eq!(r.status().as_u16(), 401, "{method} {path} with {token:?}");
        }
    }
}

#[tokio::test]
async fn another_agency_cannot_see_or_touch_a_tip() {
    let app = spawn_app().await;
    // Routed to the fallback (fusion) only: nothing at (50, 50).
    let (id, _, _) = app
        .file_json(
            json!({"category": "threat", "narrative": "He will hurt someone.", "location": {"lat": 50.0, "lon": 50.0}}),
        )
        .await;
    let outsider = &app.world.city_analyst;
    for (method, path, body) in STAFF_ROUTES.iter().skip(1) {
        let path = path.replace("{id}", &id.to_string());
        let r = if *method == "GET" {
            app.get_as(outsider, &path).await
        } else {
            app.post_as(outsider, &path, serde_json::from_str(body).unwrap()).await
        };
        assert_eq!(r.status, 404, "{method} {path}: {}", r.body);
        assert!(!r.body.to_string().contains("hurt"), "no content leaks");
    }
    let queue = app.get_as(outsider, "/api/v1/tips").await;
    assert_eq!(queue.body.as_array().unwrap().len(), 0);
    let other_queue = app.get_as(outsider, &format!("/api/v1/tips?agency={}", app.world.fusion)).await;
    assert_eq!(other_queue.status, 403);
    assert_eq!(app.tip_count().await, 1);
    assert_eq!(
        app.audit_actions(id).await.iter().filter(|a| a.starts_with("tip.read")).count(),
        0,
        "denied reads are not reads"
    );
}

#[tokio::test]
async fn auditors_read_but_do_not_work() {
    let app = spawn_app().await;
    let (id, _, _) = app.file("threat", "He said he would beat up a kid after school.").await;
    let r = app.get_as(&app.world.auditor, &format!("/api/v1/tips/{id}")).await;
    assert_eq!(r.status, 200);
    let ack = app.post_as(&app.world.auditor, &format!("/api/v1/tips/{id}/acknowledge"), json!({})).await;
    assert_eq!(ack.status, 403);
    assert!(app.audit_actions(id).await.contains(&"tip.read".to_string()), "reads are audited");
}
