//! Intake: the receipt comes after the commit; bad input is refused by field; retries are safe.

use crate::helpers::*;
use serde_json::json;

#[tokio::test]
async fn a_tip_is_stored_and_answered_with_a_receipt() {
    let app = spawn_app().await;
    let r = app
        .post_tip(json!({
            "category": "threat",
            "narrative": "He said he is bringing his dad's gun to Pine High tomorrow and will shoot the kids who bullied him.",
            "site_id": app.world.high_school,
            "subjects": [{"name": "Jordan Example", "age": 16, "handles": ["@jx_1"]}],
            "contact": {"email": "parent@example.test"}
        }))
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let reference = r.body["reference"].as_str().unwrap();
    let passphrase = r.body["passphrase"].as_str().unwrap();
    assert_eq!(reference.len(), 9, "short, readable aloud: {reference}");
    assert_eq!(passphrase.replace('-', "").len(), 20, "100 bits in 20 base32 characters");
    let (id, hash) = app.state.store.tip_credentials(reference).await.unwrap().expect("stored before the receipt");
    assert!(!hash.contains(&passphrase.replace('-', "")), "only a keyed hash is stored");
    let d = app.state.store.tip_detail(id).await.unwrap();
    let routed: Vec<i64> = d.routes.iter().map(|r| r.agency_id).collect();
    assert_eq!(
        routed,
        vec![app.world.district, app.world.sheriff, app.world.city],
        "site owner, then police whose jurisdiction holds the site"
    );
    assert_eq!(app.audit_actions(id).await[..3], ["tip.received", "tip.triaged", "tip.routed"]);
}

#[tokio::test]
async fn bad_input_names_the_field_and_stores_nothing() {
    let app = spawn_app().await;
    let long = "a".repeat(20_001);
    let cases = [
        (json!({"category": "gossip", "narrative": "x"}), 422, "category"),
        (json!({"category": "threat", "narrative": "   "}), 422, "narrative"),
        (json!({"category": "threat", "narrative": long}), 422, "narrative"),
        (json!({"category": "threat", "narrative": "x", "location": {"lat": 91.0, "lon": 0.0}}), 422, "location.lat"),
        (json!({"category": "threat", "narrative": "x", "location": {"lat": 1.0, "lon": -181.0}}), 422, "location.lon"),
        (json!({"category": "threat", "narrative": "x", "location": {"lat": 1.0}}), 422, "location.lon"),
        (json!({"category": "threat", "narrative": "x", "language": "fr"}), 422, "language"),
        (json!({"category": "threat", "narrative": "x", "site_id": 999}), 422, "site_id"),
        (json!({"category": "threat", "narrative": "x", "subjects": [{"age": 300}]}), 422, "subjects[0].age"),
        (json!({"category": "threat", "narrative": 5}), 400, "narrative"),
        (json!({"category": "threat", "narrative": "x", "colour": "red"}), 400, "colour"),
        (json!({"narrative": "x"}), 400, "body"),
        (json!({"category": "threat", "narrative": "\u{200B}\u{200D}\u{FEFF}"}), 422, "narrative"),
        (json!({"category": "threat", "narrative": "\u{0}\u{0}"}), 422, "narrative"),
        (json!({"category": "threat", "narrative": "x", "subjects": [{"name": "\u{200B}"}]}), 422, "subjects[0].name"),
    ];
    for (body, status, field) in cases {
        let r = app.post_tip(body.clone()).await;
        assert_eq!(r.status, status, "{body} -> {}", r.body);
        assert_eq!(r.body["error"]["field"], field, "{body} -> {}", r.body);
        assert!(r.body["error"]["reason"].as_str().is_some_and(|s| !s.is_empty()));
    }
    let malformed = app.post_raw("/api/v1/tips", "application/json", b"{\"category\":".to_vec()).await;
    assert_eq!((malformed.status, malformed.body["error"]["field"].as_str()), (400, Some("body")));
    let not_json = app.post_raw("/api/v1/tips", "text/plain", b"hello".to_vec()).await;
    assert_eq!(not_json.status, 400);
    let huge = format!("{{\"category\":\"threat\",\"narrative\":\"{}\"}}", "a".repeat(300_000));
    let too_big = app.post_raw("/api/v1/tips", "application/json", huge.into_bytes()).await;
    assert_eq!((too_big.status, too_big.body["error"]["field"].as_str()), (413, Some("body")), "{}", too_big.body);
    let trailing = app
        .post_raw("/api/v1/tips", "application/json", br#"{"category":"other","narrative":"x"}garbage"#.to_vec())
        .await;
    assert_eq!((trailing.status, trailing.body["error"]["field"].as_str()), (400, Some("body")), "{}", trailing.body);
    assert_eq!(app.tip_count().await, 0, "nothing stored from bad input");

    // Control characters are removed where text is taken; newlines and tabs stay.
    let (id, _, _) = app.file("other", "He said\u{0} it\u{1b} twice.\r\nThen left.\tOK").await;
    let d = app.get_as(&app.world.analyst, &format!("/api/v1/tips/{id}")).await;
    assert_eq!(d.body["narrative"], "He said it twice.\nThen left.\tOK");
}

/// Every 4xx from the API is the JSON error with the field at fault: query strings, path
/// parameters, unknown endpoints and methods too.
#[tokio::test]
async fn every_api_refusal_names_its_field() {
    let app = spawn_app().await;
    let analyst = &app.world.analyst;
    for (path, status, field) in [
        ("/api/v1/tips?limit=abc", 400, "limit"),
        ("/api/v1/tips?limit=1&limit=2", 400, "limit"),
        ("/api/v1/tips/abc", 400, "id"),
        ("/api/v1/tips/99999999999999999999", 400, "id"),
        ("/api/v1/no-such-thing", 404, "path"),
    ] {
        let r = app.get_as(analyst, path).await;
        assert_eq!((r.status, r.body["error"]["field"].as_str()), (status, Some(field)), "{path}: {}", r.body);
    }
    let r = app.http.delete(app.url("/api/v1/tips")).send().await.unwrap();
    assert_eq!(r.status(), 405);
    assert!(r.headers().contains_key("allow"), "405 says what is allowed");
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["error"]["field"], "method");
}

#[tokio::test]
async fn a_retried_submission_returns_the_same_tip() {
    let app = spawn_app().await;
    let body = json!({"category": "bullying", "narrative": "Kids keep taking his lunch every day."});
    let first = app.post_tip_with_key(body.clone(), "4b1e-retry-key").await;
    let again = app.post_tip_with_key(body.clone(), "4b1e-retry-key").await;
    assert_eq!((first.status, again.status), (201, 201));
    assert_eq!(first.body["reference"], again.body["reference"]);
    assert_eq!(first.body["passphrase"], again.body["passphrase"]);
    assert_eq!(app.tip_count().await, 1);
    let other =
        app.post_tip_with_key(json!({"category": "bullying", "narrative": "Something else."}), "4b1e-retry-key").await;
    assert_eq!(other.status, 409, "{}", other.body);
    // Concurrent retries of one submission still make one tip.
    let body = json!({"category": "drugs", "narrative": "Selling vapes behind the gym."});
    let (a, b, c) = tokio::join!(
        app.post_tip_with_key(body.clone(), "race"),
        app.post_tip_with_key(body.clone(), "race"),
        app.post_tip_with_key(body.clone(), "race")
    );
    assert!(a.status == 201 && b.status == 201 && c.status == 201);
    assert!(a.body["reference"] == b.body["reference"] && b.body["reference"] == c.body["reference"]);
    assert_eq!(app.tip_count().await, 2);
    // The passphrase from a replayed receipt works.
    let signed = app
        .post_raw(
            "/api/v1/tipster/session",
            "application/json",
            serde_json::to_vec(&json!({"reference": a.body["reference"], "passphrase": c.body["passphrase"]})).unwrap(),
        )
        .await;
    assert_eq!(signed.status, 200, "{}", signed.body);
}

#[tokio::test]
async fn tips_nothing_matches_go_to_the_fallback_agency() {
    let app = spawn_app().await;
    let (id, _, _) = app.file_json(json!({"category": "other", "narrative": "Strange noises at night.", "location": {"lat": 50.0, "lon": 50.0}})).await;
    let d = app.state.store.tip_detail(id).await.unwrap();
    assert_eq!(d.routes.len(), 1);
    assert_eq!(d.routes[0].agency_id, app.world.fusion);
    assert!(d.routes[0].reason.contains("fallback"), "{}", d.routes[0].reason);
}
