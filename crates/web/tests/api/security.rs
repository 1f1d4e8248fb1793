//! The security controls, one test each, named after the control.

use crate::helpers::*;
use domain::audit::ObjectRef;
use serde_json::json;

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

const PW: &str = "violet tractor 7 harbour";

async fn sign_in(app: &TestApp, email: &str, password: &str) -> reqwest::Response {
    no_redirects().post(app.url("/staff/login")).form(&[("email", email), ("password", password)]).send().await.unwrap()
}

/// Sign-in failure counter: each failure is counted and recorded; four do not pause.
#[tokio::test]
async fn sign_in_failure_counter() {
    let app = spawn_app().await;
    let id =
        app.user_with_password(app.world.sheriff, "kim@sheriff.test", PW, vec![domain::staff::Role::Analyst]).await;
    for _ in 0..4 {
        assert_eq!(sign_in(&app, "kim@sheriff.test", "not the password").await.status(), 401);
    }
    assert_eq!(sign_in(&app, "nobody@sheriff.test", "whatever").await.status(), 401, "same answer for unknown e-mails");
    let failures = app
        .state
        .store
        .search_audit(&store::model::AuditQuery {
            action: Some("signin.failed".into()),
            object: Some(format!("user:{id}")),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(failures.len(), 4);
    assert_eq!(sign_in(&app, "kim@sheriff.test", PW).await.status(), 303, "four failures do not pause");
}

/// Failed sign-ins pause sign-in from the client that made them, for longer with each one —
/// never the account: the owner signing in from elsewhere gets in, their API tokens keep
/// working, and an unknown e-mail, a wrong password and a paused client get the same answer.
#[tokio::test]
async fn failures_pause_the_client_not_the_account() {
    let app =
        spawn_app_with(web::state::Options { run_jobs: false, trusted_proxy_hops: 1, ..Default::default() }).await;
    app.user_with_password(app.world.sheriff, "kim@sheriff.test", PW, vec![domain::staff::Role::Analyst]).await;
    let from = |ip: &'static str, email: &'static str, password: &'static str| {
        no_redirects()
            .post(app.url("/staff/login"))
            .header("x-forwarded-for", ip)
            .form(&[("email", email), ("password", password)])
            .send()
    };
    let answer = |r: reqwest::Response| async move { (r.status().as_u16(), r.text().await.unwrap()) };
    let attacker = "203.0.113.66";
    let mut answers = Vec::new();
    for _ in 0..5 {
        answers.push(answer(from(attacker, "kim@sheriff.test", "not the password").await.unwrap()).await);
    }
    let paused = answer(from(attacker, "kim@sheriff.test", PW).await.unwrap()).await;
    let unknown = answer(from(attacker, "nobody@sheriff.test", "whatever").await.unwrap()).await;
    assert_eq!(paused.0, 401, "the right password from the paused client waits");
    assert!(answers.iter().chain([&paused, &unknown]).all(|a| *a == unknown), "one answer for every refusal");

    let owner = from("198.51.100.10", "kim@sheriff.test", PW).await.unwrap();
    assert_eq!(owner.status(), 303, "the owner, elsewhere, is not locked out");
    assert_eq!(app.get_as(&app.world.analyst, "/api/v1/tips").await.status, 200, "API tokens are untouched");

    // The pause grows with each failure after it, and ends.
    app.clock.advance(61_000);
    assert_eq!(from(attacker, "kim@sheriff.test", "still not it").await.unwrap().status(), 401);
    app.clock.advance(61_000);
    assert_eq!(
        from(attacker, "kim@sheriff.test", PW).await.unwrap().status(),
        401,
        "two minutes after a sixth failure"
    );
    app.clock.advance(60_000);
    assert_eq!(from(attacker, "kim@sheriff.test", PW).await.unwrap().status(), 303, "and then it ends");
    let actions: Vec<String> = app
        .state
        .store
        .search_audit(&store::model::AuditQuery { action: Some("signin.paused".into()), ..Default::default() })
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.reason)
        .collect();
    assert!(!actions.is_empty() && actions[0].contains("from one client"), "pauses are recorded: {actions:?}");
}

/// Multi-factor sign-in: after the password, nothing is visible until the second factor.
#[tokio::test]
async fn second_factor_before_any_data() {
    let app = spawn_app().await;
    app.user_with_password(app.world.sheriff, "kim@sheriff.test", PW, vec![domain::staff::Role::Analyst]).await;
    let (id, _, _) = app.file("threat", "He threatened a teacher.").await;
    let client = no_redirects();
    let r = sign_in(&app, "kim@sheriff.test", PW).await;
    let pending = r.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned();
    for path in ["/staff".to_owned(), format!("/staff/tips/{id}"), "/staff/queue.csv".into(), "/staff/events".into()] {
        let r = client.get(app.url(&path)).header("cookie", &pending).send().await.unwrap();
        assert_eq!((r.status().as_u16(), r.headers()["location"].to_str().unwrap()), (303, "/staff/mfa"), "{path}");
    }
    let (session, key) = app.console_login("kim@sheriff.test", PW).await;
    assert_eq!(client.get(app.url("/staff")).header("cookie", &session).send().await.unwrap().status(), 200);

    // The next sign-in asks for a code; a wrong one is refused and counted.
    app.clock.advance(30_000);
    let r = sign_in(&app, "kim@sheriff.test", PW).await;
    assert_eq!(r.headers()["location"], "/staff/mfa");
    let next = r.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned();
    let page = client.get(app.url("/staff/mfa")).header("cookie", &next).send().await.unwrap().text().await.unwrap();
    let csrf = between(&page, r#"name="csrf" value=""#, "\"").to_owned();
    let wrong = client
        .post(app.url("/staff/mfa"))
        .header("cookie", &next)
        .form(&[("csrf", csrf.as_str()), ("code", "123456")])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    let code = vault::mfa::code_at(&key, "kim@sheriff.test", (app.state.now() / 1000) as u64);
    let right = client
        .post(app.url("/staff/mfa"))
        .header("cookie", &next)
        .form(&[("csrf", csrf.as_str()), ("code", code.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!((right.status().as_u16(), right.headers()["location"].to_str().unwrap()), (303, "/staff"));
}

/// A TOTP code is good once: a second session of the same user cannot use it again (nor
/// the same session), even within the code's window; the next code works.
#[tokio::test]
async fn totp_codes_cannot_be_replayed() {
    let app = spawn_app().await;
    app.user_with_password(app.world.sheriff, "kim@sheriff.test", PW, vec![domain::staff::Role::Analyst]).await;
    let (_, key) = app.console_login("kim@sheriff.test", PW).await;
    let client = no_redirects();
    let try_code = async |cookie: &str, code: &str| {
        let page =
            client.get(app.url("/staff/mfa")).header("cookie", cookie).send().await.unwrap().text().await.unwrap();
        let csrf = between(&page, r#"name="csrf" value=""#, "\"").to_owned();
        let r = client
            .post(app.url("/staff/mfa"))
            .header("cookie", cookie)
            .form(&[("csrf", csrf.as_str()), ("code", code)])
            .send()
            .await
            .unwrap();
        r.status().as_u16()
    };
    let pending = async || {
        let r = sign_in(&app, "kim@sheriff.test", PW).await;
        r.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned()
    };
    let enrolment_code = vault::mfa::code_at(&key, "kim@sheriff.test", (app.state.now() / 1000) as u64);
    let first = pending().await;
    assert_eq!(try_code(&first, &enrolment_code).await, 401, "the code used to enrol is spent");

    app.clock.advance(30_000);
    let code = vault::mfa::code_at(&key, "kim@sheriff.test", (app.state.now() / 1000) as u64);
    let second = pending().await;
    assert_eq!(try_code(&first, &code).await, 303, "a fresh code signs in");
    assert_eq!(try_code(&second, &code).await, 401, "the same code from another session is a replay");
    app.clock.advance(10_000);
    assert_eq!(try_code(&second, &code).await, 401, "still a replay later in its window");
    let previous = vault::mfa::code_at(&key, "kim@sheriff.test", (app.state.now() / 1000 - 30) as u64);
    assert_eq!(try_code(&second, &previous).await, 401, "an older code than the last used is refused too");
    app.clock.advance(30_000);
    let next = vault::mfa::code_at(&key, "kim@sheriff.test", (app.state.now() / 1000) as u64);
    assert_eq!(try_code(&second, &next).await, 303, "the next step's code works");
}

/// Idle timeout: a console session unused for 30 minutes ends.
#[tokio::test]
async fn idle_timeout() {
    let app = spawn_app().await;
    app.user_with_password(app.world.sheriff, "kim@sheriff.test", PW, vec![domain::staff::Role::Analyst]).await;
    let (session, _) = app.console_login("kim@sheriff.test", PW).await;
    let client = no_redirects();
    let get = || client.get(app.url("/staff")).header("cookie", &session).send();
    app.clock.advance(29 * 60 * 1000);
    assert_eq!(get().await.unwrap().status(), 200, "29 minutes idle: still signed in");
    app.clock.advance(29 * 60 * 1000);
    assert_eq!(get().await.unwrap().status(), 200, "each request restarts the idle clock");
    app.clock.advance(31 * 60 * 1000);
    let r = get().await.unwrap();
    assert_eq!((r.status().as_u16(), r.headers()["location"].to_str().unwrap()), (303, "/staff/login?ended=idle"));
    assert_eq!(get().await.unwrap().headers()["location"], "/staff/login", "the session is gone for good");
}

/// Accounts unused for 90 days are disabled.
#[tokio::test]
async fn inactive_accounts_are_disabled() {
    let app = spawn_app().await;
    let id =
        app.user_with_password(app.world.sheriff, "kim@sheriff.test", PW, vec![domain::staff::Role::Analyst]).await;
    app.clock.advance(91 * 24 * 60 * 60 * 1000);
    assert_eq!(sign_in(&app, "kim@sheriff.test", PW).await.status(), 401);
    assert!(app.state.store.user_by_id(id).await.unwrap().unwrap().disabled);
    let disabled = app
        .state
        .store
        .search_audit(&store::model::AuditQuery { action: Some("account.disabled".into()), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(disabled.len(), 1);
    // API tokens of idle accounts stop too.
    let (tip, _, _) = app.file("other", "A note.").await;
    assert_eq!(
        app.get_as(&app.world.analyst, &format!("/api/v1/tips/{tip}")).await.status,
        401,
        "every test user is now idle for 91 days"
    );
}

/// Token expiry and revocation: an expired or revoked token opens nothing.
#[tokio::test]
async fn token_expiry_and_revocation() {
    use store::model::{NewAudit, NewToken};
    let app = spawn_app().await;
    let s = app.state.store.as_ref();
    let token = vault::secrets::new_token("slt");
    let id = s
        .create_token(
            NewToken {
                user_id: app.world.analyst.id,
                token_hash: vault::secrets::token_hash(&token),
                label: "t".into(),
                expires_at: Some(T0 + 60_000),
                ..Default::default()
            },
            "t",
            T0,
        )
        .await
        .unwrap();
    assert_eq!(app.get_with_token(&token, "/api/v1/tips").await.status, 200);
    app.clock.advance(60_001);
    assert_eq!(app.get_with_token(&token, "/api/v1/tips").await.status, 401, "expired");
    assert_eq!(app.get_as(&app.world.analyst, "/api/v1/tips").await.status, 200);
    let list = s.list_tokens(app.world.analyst.id).await.unwrap();
    let other = list.iter().find(|t| t.id != id).unwrap().id;
    s.revoke_token(
        other,
        NewAudit::new(app.state.now(), "cli", domain::audit::AuditAction::TokenRevoked, ObjectRef::Token(other)),
    )
    .await
    .unwrap();
    assert_eq!(app.get_as(&app.world.analyst, "/api/v1/tips").await.status, 401, "revoked");
    assert!(s.list_tokens(app.world.analyst.id).await.unwrap().iter().all(|t| t.revoked_at.is_some() || t.id == id));
}

/// Token scope: a token limited to some roles cannot use the others.
#[tokio::test]
async fn token_scope() {
    use domain::staff::Role;
    use store::model::NewToken;
    let app = spawn_app().await;
    let uid =
        app.user_with_password(app.world.sheriff, "both@sheriff.test", PW, vec![Role::Analyst, Role::Auditor]).await;
    let token = vault::secrets::new_token("slt");
    app.state
        .store
        .create_token(
            NewToken {
                user_id: uid,
                token_hash: vault::secrets::token_hash(&token),
                label: "read-only".into(),
                scope_roles: Some(vec![Role::Auditor]),
                ..Default::default()
            },
            "t",
            T0,
        )
        .await
        .unwrap();
    let (tip, _, _) = app.file("other", "A note for the sheriff.").await;
    assert_eq!(app.get_with_token(&token, &format!("/api/v1/tips/{tip}")).await.status, 200);
    assert_eq!(
        app.post_with_token(&token, &format!("/api/v1/tips/{tip}/acknowledge"), json!({})).await.status,
        403,
        "the analyst role is outside the token's scope"
    );
}

/// Cross-agency access: another agency's token gets no data from any staff endpoint, not
/// even by guessing ids.
#[tokio::test]
async fn cross_agency_access() {
    let app = spawn_app().await;
    let (id, _, _) = app.file_json(json!({"category": "threat", "narrative": "Confidential threat details.", "location": {"lat": 50.0, "lon": 50.0}})).await;
    let outsider = &app.world.city_analyst;
    for (path, status) in
        [(format!("/api/v1/tips/{id}"), 404), (format!("/api/v1/tips/{id}/links"), 404), ("/api/v1/tips".into(), 200)]
    {
        let r = app.get_as(outsider, &path).await;
        assert_eq!(r.status, status, "{path}");
        assert!(!r.body.to_string().contains("Confidential"), "{path} leaked");
    }
    assert_eq!(app.get_as(outsider, "/api/v1/tips").await.body, json!([]), "nothing of theirs in the queue");
    assert_eq!(
        app.post_as(outsider, &format!("/api/v1/tips/{id}/contact"), json!({"reason": "I would like to call them."}))
            .await
            .status,
        404
    );
}

/// CSRF rejection: a console form without the session's token changes nothing.
#[tokio::test]
async fn csrf_rejection() {
    let app = spawn_app().await;
    app.user_with_password(app.world.sheriff, "kim@sheriff.test", PW, vec![domain::staff::Role::Analyst]).await;
    let (session, _) = app.console_login("kim@sheriff.test", PW).await;
    let (id, _, _) = app.file("other", "A note.").await;
    for csrf in ["", "0000", "forged-token-from-another-site"] {
        let r = no_redirects()
            .post(app.url(&format!("/staff/tips/{id}/acknowledge")))
            .header("cookie", &session)
            .form(&[("csrf", csrf)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403);
    }
    assert_eq!(app.state.store.get_tip(id).await.unwrap().status, domain::status::Status::Routed);
}

/// Header presence: every response carries the security headers; cookies are locked down.
#[tokio::test]
async fn header_presence() {
    let app = spawn_app().await;
    for path in ["/", "/follow-up", "/staff/login", "/api/v1/openapi.json", "/healthz"] {
        let r = app.http.get(app.url(path)).send().await.unwrap();
        let h = r.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("script-src 'self'")
                && !csp.contains("unsafe-inline")
                && csp.contains("frame-ancestors 'none'"),
            "{path}: {csp}"
        );
        assert_eq!(h["referrer-policy"], "no-referrer", "{path}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["x-frame-options"], "DENY", "{path}");
    }
    app.user_with_password(app.world.sheriff, "kim@sheriff.test", PW, vec![domain::staff::Role::Analyst]).await;
    let r = sign_in(&app, "kim@sheriff.test", PW).await;
    let cookie = r.headers()["set-cookie"].to_str().unwrap();
    assert!(cookie.contains("HttpOnly") && cookie.contains("Secure") && cookie.contains("SameSite=Strict"), "{cookie}");
}

/// Contact reveal: needs the granted permission and a reason, and is audited.
#[tokio::test]
async fn contact_reveal_needs_permission_and_reason() {
    let app = spawn_app().await;
    let (id, _, _) = app.file_json(json!({"category": "abuse", "narrative": "Bruises again.", "location": {"lat": 5.0, "lon": 5.0}, "contact": {"phone": "555-010-9999"}})).await;
    let path = format!("/api/v1/tips/{id}/contact");
    assert_eq!(
        app.post_as(&app.world.analyst, &path, json!({"reason": "Need to ask which apartment."})).await.status,
        403
    );
    use domain::audit::AuditAction;
    let uid = app.world.analyst.id;
    app.state
        .store
        .update_account(
            uid,
            false,
            None,
            Some(true),
            store::model::NewAudit::new(app.state.now(), "cli", AuditAction::AccountUpdated, ObjectRef::User(uid)),
        )
        .await
        .unwrap();
    let no_reason = app.post_as(&app.world.analyst, &path, json!({"reason": "x"})).await;
    assert_eq!((no_reason.status, no_reason.body["error"]["field"].as_str()), (422, Some("reason")));
    let r = app.post_as(&app.world.analyst, &path, json!({"reason": "Need to ask which apartment."})).await;
    assert_eq!((r.status, r.body["phone"].as_str()), (200, Some("555-010-9999")));
    let events = app.state.store.audit_for_object(domain::audit::ObjectRef::Tip(id)).await.unwrap();
    let reveal = events.iter().find(|e| e.action == "contact.revealed").expect("audited");
    assert_eq!(reveal.reason, "Need to ask which apartment.");
}

/// The audit trail: auditors search and export it; nobody else can.
#[tokio::test]
async fn auditors_search_and_export_the_trail() {
    let app = spawn_app().await;
    let (id, _, _) = app.file("other", "A note.").await;
    app.get_as(&app.world.analyst, &format!("/api/v1/tips/{id}")).await;
    assert_eq!(app.get_as(&app.world.analyst, "/api/v1/audit").await.status, 403);
    let odd = app.get_as(&app.world.analyst, "/api/v1/audit?format=xml&from=yesterday").await;
    assert_eq!(odd.status, 403, "a non-auditor is refused as such, whatever the query: {:?}", odd.body);
    let reads = app.get_as(&app.world.auditor, &format!("/api/v1/audit?action=tip.read&object=tip:{id}")).await;
    assert_eq!(reads.status, 200);
    assert_eq!(reads.body.as_array().unwrap().len(), 1);
    assert_eq!(reads.body[0]["actor"], format!("user:{}", app.world.analyst.id));
    let export = async |query: &str| {
        let r =
            app.http.get(app.url(&format!("/api/v1/audit?format=csv{query}"))).bearer_auth(&app.world.auditor.token);
        r.send().await.unwrap().text().await.unwrap()
    };
    let csv = export("").await;
    assert!(csv.starts_with("seq,at,actor,action,object,reason,detail,hash\n") && csv.contains("tip.received"));
    // A reason someone wrote cannot run as a spreadsheet formula.
    let formula = "=HYPERLINK(\"http://evil.test\",\"click\") was typed here";
    let tier = app
        .post_as(&app.world.analyst, &format!("/api/v1/tips/{id}/tier"), json!({"tier": "urgent", "reason": formula}))
        .await;
    assert_eq!(tier.status, 204, "{}", tier.body);
    let csv = export("&action=tip.tier_overridden").await;
    assert!(csv.contains("\"'=HYPERLINK(\"\"http://evil.test\"\""), "{csv}");
    let bad = app.get_as(&app.world.auditor, "/api/v1/audit?from=yesterday").await;
    assert_eq!((bad.status, bad.body["error"]["field"].as_str()), (422, Some("from")));
    let searched = app
        .state
        .store
        .search_audit(&store::model::AuditQuery { action: Some("audit.searched".into()), ..Default::default() })
        .await
        .unwrap();
    assert!(searched.len() >= 2, "searches are recorded");
    let since = app.get_as(&app.world.auditor, "/api/v1/audit?from=2026-11-01T00:00:00Z").await;
    assert_eq!(since.status, 200);
    let recorded = app.get_as(&app.world.auditor, "/api/v1/audit?action=audit.searched").await;
    let details: Vec<&serde_json::Value> = recorded.body.as_array().unwrap().iter().map(|e| &e["detail"]).collect();
    assert!(
        details.iter().any(|d| d["from"] == "2026-11-01T00:00:00Z" && d["to"].is_null()),
        "the search is recorded with its bounds as people write them: {details:?}"
    );
}

/// An agency's auditor reads only the trail of what the agency may see; the instance auditor,
/// a role granted only on the command line, reads everything, and each search is recorded.
#[tokio::test]
async fn audit_search_is_scoped_to_the_viewers_agency() {
    let app = spawn_app().await;
    let (ours, _, _) = app.file("other", "A note for the sheriff.").await;
    let (theirs, _, _) = app
        .file_json(
            json!({"category": "other", "narrative": "A note far away.", "location": {"lat": 50.0, "lon": 50.0}}),
        )
        .await;
    assert_eq!(app.get_as(&app.world.auditor, &format!("/api/v1/tips/{theirs}")).await.status, 404);
    let objects = |r: &Resp| -> Vec<String> {
        r.body.as_array().unwrap().iter().map(|e| e["object"].as_str().unwrap().to_owned()).collect()
    };
    let seen = app.get_as(&app.world.auditor, "/api/v1/audit?limit=5000").await;
    assert_eq!(seen.status, 200);
    let seen = objects(&seen);
    assert!(seen.contains(&format!("tip:{ours}")), "the agency's own tip");
    assert!(!seen.contains(&format!("tip:{theirs}")), "another agency's tip is not in an agency auditor's trail");
    let asked = app.get_as(&app.world.auditor, &format!("/api/v1/audit?object=tip:{theirs}")).await;
    assert_eq!((asked.status, objects(&asked).len()), (200, 0), "not even when asked by name");

    let admin = app::admin::Admin::local(app.state.store.clone(), app.state.now());
    let (instance, _) = admin
        .create_user(app.world.sheriff, "ia@state.test", None, vec![domain::staff::Role::InstanceAuditor])
        .await
        .unwrap();
    let token = admin.create_token(&instance, 30, vec![], "test").await.unwrap();
    let everything = app.send(app.http.get(app.url("/api/v1/audit?limit=5000")).bearer_auth(&token)).await;
    assert_eq!(everything.status, 200, "{}", everything.body);
    assert!(objects(&everything).contains(&format!("tip:{theirs}")), "the instance auditor sees every agency");
    let searches = app.get_as(&app.world.auditor, "/api/v1/audit?action=audit.searched&limit=5000").await;
    let scopes: Vec<String> = searches
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["detail"]["scope"].as_str().unwrap_or("").to_owned())
        .collect();
    assert!(scopes.contains(&"instance".to_owned()), "the instance auditor's search is recorded: {scopes:?}");

    let console = app::admin::Admin::demo(&app.state);
    let refused = console
        .create_user(app.world.sheriff, "ia2@state.test", None, vec![domain::staff::Role::InstanceAuditor])
        .await;
    assert!(matches!(refused, Err(app::AppError::Invalid(ref e)) if e.field == "role"), "{:?}", refused.err());
}

/// The signed checkpoints are offered to auditors, to keep elsewhere; each verifies.
#[tokio::test]
async fn auditors_fetch_signed_checkpoints() {
    let app = spawn_app().await;
    app.file("other", "A note.").await;
    app::jobs::run_pending(&app.state).await.unwrap();
    let r = app.get_as(&app.world.auditor, "/api/v1/audit/checkpoints").await;
    assert_eq!(r.status, 200, "{}", r.body);
    let checkpoints = r.body["checkpoints"].as_array().unwrap();
    assert_eq!(checkpoints.len(), 1, "the first pass of the jobs signs the head: {}", r.body);
    let signed: vault::notary::SignedCheckpoint = serde_json::from_value(checkpoints[0].clone()).unwrap();
    signed.check_signature().unwrap();
    assert_eq!(signed.public_key, r.body["public_key"].as_str().unwrap());
    assert_eq!(signed.seq, app.state.store.audit_head().await.unwrap().0);
    assert_eq!(app.get_as(&app.world.analyst, "/api/v1/audit/checkpoints").await.status, 403);
}

/// Abuse control: per-client limits on public routes (the client told apart by a trusted
/// proxy's header here) and per-reference limits on passphrase guesses.
#[tokio::test]
async fn rate_limits_without_identifying_anyone() {
    let app =
        spawn_app_with(web::state::Options { run_jobs: false, trusted_proxy_hops: 1, ..Default::default() }).await;
    let file = |ip: &'static str| {
        app.http
            .post(app.url("/api/v1/tips"))
            .header("x-forwarded-for", ip)
            .json(&json!({"category": "other", "narrative": "Note."}))
            .send()
    };
    for _ in 0..20 {
        assert_eq!(file("198.51.100.1").await.unwrap().status(), 201);
    }
    let limited = file("198.51.100.1").await.unwrap();
    assert_eq!(limited.status(), 429);
    assert!(limited.text().await.unwrap().contains("too many attempts"));
    assert_eq!(file("198.51.100.2").await.unwrap().status(), 201, "another client is not affected");
    app.clock.advance(10 * 60 * 1000);
    assert_eq!(file("198.51.100.1").await.unwrap().status(), 201, "the next window");

    let (_, reference, passphrase) = app.file("other", "Another note.").await;
    let guess = |pass: String, ip: &'static str| {
        app.http
            .post(app.url("/api/v1/tipster/session"))
            .header("x-forwarded-for", ip)
            .json(&json!({"reference": reference, "passphrase": pass}))
            .send()
    };
    for i in 0..10 {
        // Guesses from many addresses still count against the one reference.
        let ip = ["203.0.113.1", "203.0.113.2", "203.0.113.3"][i % 3];
        assert_eq!(guess(format!("WRONG-{i}"), ip).await.unwrap().status(), 401);
    }
    assert_eq!(guess("WRONG-again".into(), "203.0.113.9").await.unwrap().status(), 401, "slowed, not shut");
    assert_eq!(
        guess(passphrase.clone(), "203.0.113.9").await.unwrap().status(),
        200,
        "nobody can lock the tipster out: the right passphrase still opens the tip"
    );
    app.clock.advance(61 * 60 * 1000);
    assert_eq!(guess(passphrase, "203.0.113.9").await.unwrap().status(), 200);
}

/// Behind a trusted proxy the client is the address the proxy appended: what a client writes
/// in `X-Forwarded-For` itself buys no fresh budget, nor does an address that does not parse.
#[tokio::test]
async fn forwarded_addresses_cannot_be_spoofed() {
    let app =
        spawn_app_with(web::state::Options { run_jobs: false, trusted_proxy_hops: 1, ..Default::default() }).await;
    let file = |forwarded: String| {
        app.http
            .post(app.url("/api/v1/tips"))
            .header("x-forwarded-for", forwarded)
            .json(&json!({"category": "other", "narrative": "Note."}))
            .send()
    };
    for i in 0..20 {
        assert_eq!(file(format!("10.9.{i}.1, 198.51.100.7")).await.unwrap().status(), 201);
    }
    let rotated = file("10.9.99.1, 198.51.100.7".into()).await.unwrap();
    assert_eq!(rotated.status(), 429, "a rotating first entry is the client's own words");
    let mapped = file("::ffff:198.51.100.7".into()).await.unwrap();
    assert_eq!(mapped.status(), 429, "the IPv4-mapped form is the same client");
    for i in 0..20 {
        let garbage = if i % 2 == 0 { "unknown".to_owned() } else { format!("not-an-address-{i}") };
        assert_eq!(file(garbage).await.unwrap().status(), 201);
    }
    assert_eq!(file("unknown".into()).await.unwrap().status(), 429, "unparseable addresses share one budget");
    assert_eq!(file("198.51.100.8".into()).await.unwrap().status(), 201, "another client is not affected");
}

/// `/metrics` (tips by tier, open, overdue) is for this machine only on the public listener:
/// behind a trusted proxy every request comes from loopback, so there it is refused to all.
#[tokio::test]
async fn metrics_are_not_public() {
    let local = spawn_app().await;
    let r = local.http.get(local.url("/metrics")).send().await.unwrap();
    assert_eq!(r.status(), 200, "this machine reads them");
    let proxied =
        spawn_app_with(web::state::Options { run_jobs: false, trusted_proxy_hops: 1, ..Default::default() }).await;
    for forwarded in [None, Some("198.51.100.4"), Some("127.0.0.1")] {
        let mut req = proxied.http.get(proxied.url("/metrics"));
        if let Some(f) = forwarded {
            req = req.header("x-forwarded-for", f);
        }
        assert_eq!(req.send().await.unwrap().status(), 404, "through the proxy ({forwarded:?})");
    }
}

/// TLS served directly: HTTPS with the configured certificate; plain HTTP is not answered.
#[tokio::test]
async fn tls_served_directly() {
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (cert_path, key_path) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    std::fs::write(&cert_path, cert.cert.pem()).unwrap();
    std::fs::write(&key_path, cert.signing_key.serialize_pem()).unwrap();
    let config = web::tls::server_config(&cert_path, &key_path).unwrap();
    let state = spawn_app().await.state.clone();
    let app = web::App::bind("127.0.0.1:0".parse().unwrap(), state).await.unwrap().with_tls(config);
    let port = app.local_addr().port();
    tokio::spawn(app.run_until(std::future::pending()));
    let client = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(cert.cert.pem().as_bytes()).unwrap())
        .resolve("localhost", std::net::SocketAddr::from(([127, 0, 0, 1], port)))
        .build()
        .unwrap();
    let r = client.get(format!("https://localhost:{port}/healthz")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(
        reqwest::Client::new().get(format!("http://127.0.0.1:{port}/healthz")).send().await.is_err(),
        "no plain HTTP"
    );
    assert!(web::tls::server_config(&cert_path, &cert_path).is_err(), "a certificate is not a key");
}
