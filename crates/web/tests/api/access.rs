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

#[tokio::test]
async fn the_openapi_document_covers_every_route() {
    let app = spawn_app().await;
    let doc: serde_json::Value =
        app.http.get(app.url("/api/v1/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"), "{}", doc["openapi"]);
    let paths = doc["paths"].as_object().unwrap();
    let mut routes: Vec<(&str, String)> = STAFF_ROUTES.iter().map(|(m, p, _)| (*m, p.to_string())).collect();
    for (m, p) in [
        ("POST", "/api/v1/tips"),
        ("GET", "/api/v1/sites"),
        ("POST", "/api/v1/tipster/session"),
        ("GET", "/api/v1/tipster/tip"),
        ("POST", "/api/v1/tipster/messages"),
        ("GET", "/api/v1/tips/{id}/links"),
        ("POST", "/api/v1/links/{id}/confirm"),
        ("POST", "/api/v1/links/{id}/reject"),
        ("POST", "/api/v1/links/{id}/undo"),
        ("POST", "/api/v1/links/{id}/request-access"),
        ("GET", "/api/v1/access-requests"),
        ("POST", "/api/v1/access-requests/{id}/grant"),
        ("POST", "/api/v1/access-requests/{id}/refuse"),
        ("GET", "/healthz"),
        ("GET", "/metrics"),
    ] {
        routes.push((m, p.to_string()));
    }
    for (method, path) in routes {
        let op = &paths.get(&path).unwrap_or_else(|| panic!("{path} is not documented"))[method.to_lowercase()];
        assert!(op.is_object(), "{method} {path} is not documented");
        assert!(op["responses"].as_object().is_some_and(|r| !r.is_empty()), "{method} {path} has no responses");
    }
}
