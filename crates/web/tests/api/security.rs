//! The security controls, one test each, named after the control.

use crate::helpers::*;
use serde_json::json;

/// Encryption at rest: a copy of the database without the key files reveals no contact
/// details, messages or attachments, and a server with other keys cannot open them.
#[tokio::test]
async fn encryption_without_key() {
    let app = spawn_app().await;
    let (id, reference, passphrase) = app
        .file_json(json!({"category": "abuse", "narrative": "The neighbour's child has bruises.", "location": {"lat": 5.0, "lon": 5.0},
            "contact": {"name": "Rosa Contactname", "email": "rosa.secret@example.test", "phone": "555-867-5309"}}))
        .await;
    let session = app
        .post_raw(
            "/api/v1/tipster/session",
            "application/json",
            serde_json::to_vec(&json!({"reference": reference, "passphrase": passphrase})).unwrap(),
        )
        .await;
    let token = session.body["token"].as_str().unwrap().to_owned();
    assert_eq!(
        app.post_with_token(
            &token,
            "/api/v1/tipster/messages",
            json!({"body": "SECRET-MESSAGE-BODY about the bruises"})
        )
        .await
        .status,
        201
    );
    app.post_as(
        &app.world.analyst,
        &format!("/api/v1/tips/{id}/messages"),
        json!({"body": "STAFF-QUESTION-TEXT, when?"}),
    )
    .await;

    // Staff read it in the clear through the server.
    let d = app.get_as(&app.world.analyst, &format!("/api/v1/tips/{id}")).await;
    assert!(d.body.to_string().contains("SECRET-MESSAGE-BODY"));

    if std::env::var("SIGHTLINE_TEST_PG_URL").is_err() {
        // The raw files hold none of it.
        let mut raw = Vec::new();
        for f in ["sightline.db", "sightline.db-wal"] {
            if let Ok(bytes) = std::fs::read(app.data_dir().join(f)) {
                raw.extend(bytes);
            }
        }
        assert!(raw.len() > 10_000, "read the database files");
        for secret in
            ["rosa.secret@example.test", "Rosa Contactname", "867-5309", "SECRET-MESSAGE-BODY", "STAFF-QUESTION-TEXT"]
        {
            assert!(
                !raw.windows(secret.len()).any(|w| w == secret.as_bytes()),
                "{secret} is readable in the database file"
            );
        }
    }
    // Stored rows are ciphertext; another server's keys open nothing.
    let contact = app.state.store.tip_contact(id).await.unwrap().unwrap();
    assert!(contact.email.as_deref().unwrap().starts_with("sl1:"));
    let stranger = web::secrets::Secrets::from_key([99; 32]);
    let wrapped = app.state.store.tip_key(id).await.unwrap();
    assert!(stranger.data_key(wrapped.as_ref()).is_err(), "the data key cannot be unwrapped without this server's key");
}

/// Tipster anonymity: nothing about the sender's address or device is stored or logged.
#[tokio::test]
async fn anonymity() {
    let logs = capture_logs();
    let app = spawn_app().await;
    let ip = "203.0.113.77";
    let agent = "ProbeAgent/9.1 (unique-device-4411)";
    let send = |path: &str, body: serde_json::Value, token: Option<String>| {
        let mut req = app
            .http
            .post(app.url(path))
            .header("x-forwarded-for", ip)
            .header("x-real-ip", ip)
            .header("forwarded", format!("for={ip}"))
            .header("user-agent", agent)
            .json(&body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send()
    };
    let r = send("/api/v1/tips", json!({"category": "drugs", "narrative": "Selling pills behind the gym.", "location": {"lat": 5.0, "lon": 5.0}}), None).await.unwrap();
    let receipt: serde_json::Value = r.json().await.unwrap();
    let s = send(
        "/api/v1/tipster/session",
        json!({"reference": receipt["reference"], "passphrase": receipt["passphrase"]}),
        None,
    )
    .await
    .unwrap();
    let token = s.json::<serde_json::Value>().await.unwrap()["token"].as_str().unwrap().to_owned();
    send("/api/v1/tipster/messages", json!({"body": "He is there every Friday."}), Some(token)).await.unwrap();
    send("/api/v1/tipster/session", json!({"reference": receipt["reference"], "passphrase": "WRONG-WRONG"}), None)
        .await
        .unwrap();
    app.advance(0).await;

    // The peer address (loopback here) appears nowhere in the trail or in what the tip holds;
    // the database file does hold 127.0.0.1 legitimately, in the test's webhook URLs.
    let mut trail = String::new();
    for e in app.state.store.audit_events(0, 100_000).await.unwrap() {
        trail.push_str(&format!("{e:?}"));
    }
    let (id, _) = app.state.store.tip_credentials(receipt["reference"].as_str().unwrap()).await.unwrap().unwrap();
    trail.push_str(&format!("{:?}", app.state.store.tip_detail(id).await.unwrap()));
    assert!(!trail.contains("127.0.0.1"), "the sender's address is in the trail or the tip");
    let mut haystack = logs.contents() + &trail;
    if std::env::var("SIGHTLINE_TEST_PG_URL").is_err() {
        for f in ["sightline.db", "sightline.db-wal"] {
            if let Ok(bytes) = std::fs::read(app.data_dir().join(f)) {
                haystack.push_str(&String::from_utf8_lossy(&bytes));
            }
        }
    }
    for needle in [ip, "unique-device-4411", "ProbeAgent"] {
        assert!(!haystack.contains(needle), "{needle} was recorded");
    }
}
