//! Encryption at rest: what a copy of the database shows without the key files (nothing about
//! anyone), and what staff see through the server (all of it).

use crate::helpers::*;
use serde_json::json;

/// The SQLite database's files as they lie on disk, as a copy of them would show them.
fn raw_database(app: &TestApp) -> Vec<u8> {
    let mut raw = Vec::new();
    for f in ["sightline.db", "sightline.db-wal"] {
        if let Ok(bytes) = std::fs::read(app.data_dir().join(f)) {
            raw.extend(bytes);
        }
    }
    assert!(raw.len() > 10_000, "read the database files");
    raw
}

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
        let raw = raw_database(&app);
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
    let stored = app.state.store.tip_detail(id).await.unwrap();
    assert!(stored.tip.narrative.starts_with("sl1:"), "{}", stored.tip.narrative);
    let contact = app.state.store.tip_contact(id).await.unwrap().unwrap();
    assert!(contact.email.as_deref().unwrap().starts_with("sl1:"));
    let stranger = vault::secrets::Secrets::from_key([99; 32]);
    let wrapped = app.state.store.tip_key(id).await.unwrap();
    assert!(stranger.data_key(wrapped.as_ref()).is_err(), "the data key cannot be unwrapped without this server's key");
}

/// Who a tip is about is sealed too: the narrative, the place described, the subjects, the
/// phone numbers and handles found in the narrative, the factors' quotes and the matcher's
/// reasons. Staff read all of it through the server, and the matcher still links the tips.
#[tokio::test]
async fn people_and_narratives_sealed_at_rest() {
    let app = spawn_app().await;
    let w = &app.world;
    let (first, _, _) = app
        .file_json(json!({"category": "threat",
            "narrative": "Zebulon said he will bring a gun to school. His number is 555-404-7788.",
            "location": {"lat": 5.0, "lon": 5.0},
            "subjects": [{"name": "Zebulon Marchetti", "dob": "2008-05-06", "school": "Quillfeather Academy",
                "email": "zeb.marchetti@example.test", "phone": "555-404-7788", "handles": ["@zebmarch08"]}]}))
        .await;
    app.clock.advance(60_000);
    let (second, _, _) = app
        .file_json(json!({"category": "threat",
            "narrative": "Zeb Marchetti posts about his guns as @zebmarch08 and says Friday is the day.",
            "location": {"lat": 5.0, "lon": 5.0},
            "subjects": [{"name": "Zeb Marchetti", "dob": "05/06/2008"}]}))
        .await;
    let (described, _, _) = app
        .file_json(json!({"category": "weapon", "narrative": "A knife was seen in a locker.",
            "location": {"text": "Behind the Quillfeather gym"}}))
        .await;
    app.advance(0).await;

    // Through the server, in the clear.
    let mut place = app.state.store.tip_detail(described).await.unwrap();
    app::sealed::open_detail(&app.state.secrets, &mut place);
    assert_eq!(place.tip.location_text.as_deref(), Some("Behind the Quillfeather gym"));
    let d = app.get_as(&w.analyst, &format!("/api/v1/tips/{first}")).await.body.to_string();
    for clear in ["bring a gun to school", "Zebulon Marchetti", "zeb.marchetti@example.test", "Quillfeather Academy"] {
        assert!(d.contains(clear), "{clear} is not shown to staff: {d}");
    }
    let queue = app.get_as(&w.analyst, "/api/v1/tips").await.body.to_string();
    assert!(queue.contains("Zeb Marchetti posts about"), "the queue shows the excerpt: {queue}");
    let links = app.get_as(&w.analyst, &format!("/api/v1/tips/{second}/links")).await;
    let found = links.body.as_array().expect("links").clone();
    assert!(found.iter().any(|l| l["other"]["tip_id"] == first), "the matcher still links them: {}", links.body);
    let reasons = found[0]["reasons"].to_string();
    assert!(reasons.contains("zebmarch08") || reasons.contains("2008-05-06"), "reasons quote the values: {reasons}");

    // A restarted server opens every stored mention into a fresh index, and matches with it.
    let s = &app.state;
    let restarted =
        app::ctx::Ctx::new(s.store.clone(), s.clock.clone(), s.secrets.clone(), Default::default(), s.outbound.clone())
            .unwrap();
    let stored = s.store.mentions_after(0, 1_000).await.unwrap();
    assert_eq!(app::jobs::resolve::rebuild(&restarted).await.unwrap(), stored.len());
    let mut newest = stored.last().unwrap().clone();
    app::sealed::open_mentions(&s.secrets, std::slice::from_mut(&mut newest));
    let found = restarted.resolver.lock().unwrap().index.query(&app::resolution::record_of(&newest));
    assert!(found.iter().any(|c| c.probability >= 0.5), "the rebuilt index finds the earlier mentions");

    // In the database: none of it.
    let secrets = [
        "bring a gun",
        "Quillfeather",
        "Zebulon",
        "Marchetti",
        "marchetti",
        "zebmarch08",
        "404-7788",
        "4047788",
        "2008-05-06",
        "Friday is the day",
    ];
    if std::env::var("SIGHTLINE_TEST_PG_URL").is_err() {
        let raw = raw_database(&app);
        for secret in secrets {
            assert!(
                !raw.windows(secret.len()).any(|w| w == secret.as_bytes()),
                "{secret} is readable in the database file"
            );
        }
    }
    // The rows as the store returns them, on either database.
    let mut rows = String::new();
    for id in [first, second, described] {
        rows.push_str(&format!("{:?}", app.state.store.tip_detail(id).await.unwrap()));
        rows.push_str(&format!("{:?}", app.state.store.links_for_tip(id).await.unwrap()));
    }
    rows.push_str(&format!("{:?}", app.state.store.mentions_after(0, 100).await.unwrap()));
    for secret in secrets {
        assert!(!rows.contains(secret), "{secret} is stored in the clear");
    }
}
