//! The HTML pages over real HTTP: the no-JavaScript tip form with an upload, follow-up,
//! the staff console with CSRF-checked forms, and live events.

use crate::helpers::*;
use reqwest::multipart::{Form, Part};
use serde_json::json;

#[tokio::test]
async fn a_tip_filed_with_the_form_keeps_no_gps_in_its_photo() {
    let app = spawn_app().await;
    let page = app.http.get(app.url("/?lang=es")).send().await.unwrap();
    assert!(page.headers()["content-security-policy"].to_str().unwrap().contains("script-src 'self'"));
    let html = page.text().await.unwrap();
    assert!(html.contains(r#"<html lang="es">"#) && html.contains("¿Qué pasó?"), "Spanish form");
    assert!(html.contains(r#"id="tip-form""#) && html.contains(r#"id="crisis-resources""#));

    let photo = web::media::fixtures::jpeg_with_gps();
    let form = Form::new()
        .text("lang", "en")
        .text("category", "weapon")
        .text("narrative", "I saw a gun in Jake's backpack in the gym locker room.")
        .text("site_id", app.world.high_school.to_string())
        .text("subject_name", "Jake Doe")
        .text("subject_handles", "@jake_d, @jd2")
        .part("attachments", Part::bytes(photo).file_name("IMG_0042.jpg").mime_str("image/jpeg").unwrap());
    let r = app.http.post(app.url("/tips")).multipart(form).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    let reference = between(&html, r#"id="reference" class="code">"#, "<").to_owned();
    assert_eq!(reference.len(), 9, "{html}");
    assert!(html.contains(r#"id="save-receipt""#));

    let (tip_id, _) = app.state.store.tip_credentials(&reference).await.unwrap().unwrap();
    let files = app.state.store.attachments(tip_id).await.unwrap();
    assert_eq!(files.len(), 1);
    let (meta, stored) = app.state.store.attachment(files[0].id).await.unwrap();
    assert!(!stored.starts_with(&[0xFF, 0xD8]), "stored encrypted");
    let key = app::sealed::data_key(&app.state, tip_id).await.unwrap();
    let bytes = vault::crypto::open_bytes(key.as_ref(), &reference, "attachment", &stored).unwrap();
    assert!(bytes.starts_with(&[0xFF, 0xD8]), "still a JPEG");
    assert!(!bytes.windows(4).any(|w| w == b"Exif"), "GPS-bearing EXIF removed before storing");
    assert_eq!(meta.filename, "IMG_0042.jpg");
    let mut d = app.state.store.tip_detail(tip_id).await.unwrap();
    app::sealed::open_detail(&app.state.secrets, &mut d);
    assert_eq!(d.subjects[0].handles, vec!["@jake_d", "@jd2"]);
}

#[tokio::test]
async fn the_form_shows_errors_in_place_and_stores_nothing() {
    let app = spawn_app().await;
    let form = Form::new()
        .text("lang", "en")
        .text("category", "threat")
        .text("narrative", "   ")
        .text("subject_name", "Kept Value");
    let r = app.http.post(app.url("/tips")).multipart(form).send().await.unwrap();
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains(r#"class="field-error" data-field="narrative""#), "{html}");
    assert!(html.contains(r#"value="Kept Value""#), "values are kept");
    let bad_file = Form::new()
        .text("category", "threat")
        .text("narrative", "See the file.")
        .part("attachments", Part::bytes(b"MZ\x90\0evil".to_vec()).file_name("x.exe"));
    let r = app.http.post(app.url("/tips")).multipart(bad_file).send().await.unwrap();
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains(r#"data-field="attachments""#));
    assert_eq!(app.tip_count().await, 0);
}

#[tokio::test]
async fn follow_up_in_the_browser() {
    let app = spawn_app().await;
    let (id, reference, passphrase) = app.file("bullying", "They push him into the lockers every morning.").await;
    app.post_as(&app.world.analyst, &format!("/api/v1/tips/{id}/messages"), json!({"body": "Which grade is he in?"}))
        .await;
    let client = no_redirects();
    let wrong = client
        .post(app.url("/follow-up"))
        .form(&[("reference", reference.as_str()), ("passphrase", "nope")])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    let ok = client
        .post(app.url("/follow-up"))
        .form(&[("reference", reference.as_str()), ("passphrase", passphrase.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 303);
    let cookie = ok.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Secure"), "{cookie}");
    let session = cookie.split(';').next().unwrap().to_owned();
    let html =
        client.get(app.url("/follow-up/tip")).header("cookie", &session).send().await.unwrap().text().await.unwrap();
    assert!(html.contains(r#"data-from="staff""#) && html.contains("Which grade is he in?"));
    assert!(html.contains(r#"id="status">Received"#), "{html}");
    let reply = Form::new().text("body", "Seventh grade.");
    let r =
        client.post(app.url("/follow-up/messages")).header("cookie", &session).multipart(reply).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let d = app.state.store.tip_detail(id).await.unwrap();
    let stored = &d.messages.last().unwrap().body;
    assert!(stored.starts_with("sl1:"), "stored sealed");
    let key = app::sealed::data_key(&app.state, id).await.unwrap();
    assert_eq!(app::sealed::open_message(key.as_ref(), &reference, stored), "Seventh grade.");
    let anonymous = client.get(app.url("/follow-up/tip")).send().await.unwrap();
    assert_eq!(anonymous.status(), 303, "no session, back to sign-in");
}

#[tokio::test]
async fn the_console_checks_passwords_and_csrf_and_updates_live() {
    let app = spawn_app().await;
    app.user_with_password(
        app.world.sheriff,
        "lee@sheriff.test",
        "correct horse battery staple",
        vec![domain::staff::Role::Analyst],
    )
    .await;
    let client = no_redirects();
    let bad = client
        .post(app.url("/staff/login"))
        .form(&[("email", "lee@sheriff.test"), ("password", "wrong")])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 401);
    assert_eq!(client.get(app.url("/staff")).send().await.unwrap().status(), 303, "no session: to the sign-in page");
    let (session, _) = app.console_login("lee@sheriff.test", "correct horse battery staple").await;

    // Live: subscribe, then a life-safety tip arrives.
    let mut events = client.get(app.url("/staff/events")).header("cookie", &session).send().await.unwrap();
    assert_eq!(events.status(), 200);
    let (id, _, _) =
        app.file("planned_attack", "He said he will shoot up the school tomorrow with his dad's rifle.").await;
    let chunk = tokio::time::timeout(std::time::Duration::from_secs(10), async {
        loop {
            let c = events.chunk().await.unwrap().unwrap();
            let text = String::from_utf8_lossy(&c).into_owned();
            if text.contains("tip_id") {
                return text;
            }
        }
    })
    .await
    .expect("an event within 10 s");
    assert!(
        chunk.contains(&format!("\"tip_id\":{id}")) && chunk.contains("life_safety") && chunk.contains("\"new\""),
        "{chunk}"
    );

    let queue = client.get(app.url("/staff")).header("cookie", &session).send().await.unwrap().text().await.unwrap();
    assert!(queue.contains(&format!(r#"data-id="{id}" data-tier="life_safety""#)), "{queue}");
    let page = client
        .get(app.url(&format!("/staff/tips/{id}")))
        .header("cookie", &session)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains(r#"<mark class="evidence""#));
    let csrf = between(&page, r#"name="csrf" value=""#, "\"").to_owned();

    let forged = client
        .post(app.url(&format!("/staff/tips/{id}/acknowledge")))
        .header("cookie", &session)
        .form(&[("csrf", "forged")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403, "a form from another site is refused");
    assert_eq!(app.state.store.get_tip(id).await.unwrap().status, domain::status::Status::Routed);
    let tip_page = client.get(app.url(&format!("/staff/tips/{id}"))).header("cookie", &session).send().await.unwrap();
    let html = tip_page.text().await.unwrap();
    assert!(
        html.contains(r#"id="action-bar""#) && html.contains(r#"id="ack-now""#),
        "acknowledge in one click, at the top"
    );
    let ack = client
        .post(app.url(&format!("/staff/tips/{id}/acknowledge")))
        .header("cookie", &session)
        .form(&[("csrf", csrf.as_str()), ("return_to", "action-bar")])
        .send()
        .await
        .unwrap();
    assert_eq!(ack.status(), 303);
    assert_eq!(ack.headers()["location"], format!("/staff/tips/{id}#action-bar").as_str(), "back where the person was");
    let reads = async || {
        let events = app.state.store.audit_for_object(domain::audit::ObjectRef::Tip(id)).await.unwrap();
        events.iter().filter(|e| e.action == "tip.read").count()
    };
    let before = reads().await;
    let back = client.get(app.url(&format!("/staff/tips/{id}"))).header("cookie", &session).send().await.unwrap();
    assert!(back.text().await.unwrap().contains("Acknowledged."), "the notice, on the page it is for");
    assert_eq!(reads().await, before, "the page after one's own action adds no read line");
    client.get(app.url(&format!("/staff/tips/{id}"))).header("cookie", &session).send().await.unwrap();
    assert_eq!(reads().await, before + 1, "opening the tip is a read");
    let short = client
        .post(app.url(&format!("/staff/tips/{id}/tier")))
        .header("cookie", &session)
        .form(&[("csrf", csrf.as_str()), ("tier", "standard"), ("reason", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(short.status(), 303);
    let refused_reads = reads().await;
    let page = client.get(app.url(&format!("/staff/tips/{id}"))).header("cookie", &session).send().await.unwrap();
    let page = page.text().await.unwrap();
    assert!(page.contains("Not done — Reason: must say why"), "the form's words, not the field's name");
    assert_eq!(reads().await, refused_reads + 1, "after a refused action the page is a read (nothing was recorded)");
    assert_eq!(app.state.store.get_tip(id).await.unwrap().status, domain::status::Status::Acknowledged);
    let close = client
        .post(app.url(&format!("/staff/tips/{id}/close")))
        .header("cookie", &session)
        .form(&[
            ("csrf", csrf.as_str()),
            ("disposition", "no_lead_value"),
            ("reason", "Looked into it; nothing there."),
            ("return_to", "\"><script>alert(1)</script>"),
        ])
        .send()
        .await
        .unwrap();
    let to = close.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(to, format!("/staff/tips/{id}"), "no notice in the URL, and no place that is not an id");
    let page = client.get(app.url(&to)).header("cookie", &session).send().await.unwrap().text().await.unwrap();
    assert!(page.contains(r#"id="status" data-status="awaiting_review">Awaiting second review<"#), "{page}");
    assert!(page.contains("Sent for second review"), "the notice, kept with the session, is shown once");
    let again = client.get(app.url(&to)).header("cookie", &session).send().await.unwrap().text().await.unwrap();
    assert!(!again.contains("Sent for second review"), "and only once");
    for path in ["/staff/dashboard", "/staff/queue.csv"] {
        let r = client.get(app.url(path)).header("cookie", &session).send().await.unwrap();
        assert_eq!(r.status(), 200, "{path}");
    }
}

#[tokio::test]
async fn a_site_found_by_typing_its_name_is_the_tips_site() {
    let app = spawn_app().await;
    let html = app.http.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(
        html.contains(r#"<datalist id="site-names"><option value="Pine High">"#),
        "the form suggests registered sites"
    );
    let form = Form::new()
        .text("category", "threat")
        .text("narrative", "A threat written on the gym wall.")
        .text("site_name", "pine high");
    let html = app.http.post(app.url("/tips")).multipart(form).send().await.unwrap().text().await.unwrap();
    let reference = between(&html, r#"id="reference" class="code">"#, "<").to_owned();
    let (id, _) = app.state.store.tip_credentials(&reference).await.unwrap().unwrap();
    assert_eq!(app.state.store.get_tip(id).await.unwrap().site_id, Some(app.world.high_school));
}

#[tokio::test]
async fn administrators_add_sites_and_users_from_the_console() {
    let app = spawn_app().await;
    let (session, page) = admin_console(&app).await;
    let client = no_redirects();
    assert!(page.contains("<title>Administration · Sightline</title>"), "{page}");
    assert_eq!(page.matches(r#"id="add-site-form""#).count(), 1);
    let csrf = between(&page, r#"name="csrf" value=""#, "\"").to_owned();
    let owner = app.world.district.to_string();
    let add = client
        .post(app.url("/staff/admin/site"))
        .header("cookie", &session)
        .form(&[
            ("csrf", csrf.as_str()),
            ("name", "Oak Valley Middle"),
            ("kind", "school"),
            ("owner", owner.as_str()),
            ("lat", "3.5"),
            ("lon", "3.5"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(add.headers()["location"], "/staff/admin", "no notice in the URL");
    assert!(
        app.state.store.list_sites().await.unwrap().iter().any(|s| s.name == "Oak Valley Middle" && s.lat == Some(3.5))
    );
    let bad = client
        .post(app.url("/staff/admin/site"))
        .header("cookie", &session)
        .form(&[("csrf", csrf.as_str()), ("name", "Nowhere"), ("owner", owner.as_str()), ("lat", "95"), ("lon", "0")])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 303);
    let shown = |page: String| between(&page, r#"<p class="flash" role="status">"#, "</p>").to_owned();
    let admin_page = async || {
        client.get(app.url("/staff/admin")).header("cookie", &session).send().await.unwrap().text().await.unwrap()
    };
    assert!(shown(admin_page().await).starts_with("Not done"), "invalid latitude refused");
    let user = client
        .post(app.url("/staff/admin/user"))
        .header("cookie", &session)
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", "new@district.test"),
            ("agency", owner.as_str()),
            ("role", "analyst"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(user.headers()["location"], "/staff/admin", "the one-time password is not in the URL");
    assert!(shown(admin_page().await).contains("One-time password"), "it is on the page, once");
    assert!(!admin_page().await.contains("One-time password"));
    assert!(app.state.store.user_by_email("new@district.test").await.unwrap().is_some());
    let forged = client
        .post(app.url("/staff/admin/agency"))
        .header("cookie", &session)
        .form(&[("csrf", "x"), ("name", "Evil"), ("kind", "school")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
}

/// The tipster on a possibly shared phone: a quick exit on every page that leaves for a
/// neutral site and ends the session, a sign-out, the browser's language, 988 by text too, a
/// plain word when the sign-in cookie was refused, and a friendly page for a mistyped address.
#[tokio::test]
async fn the_tipster_can_leave_at_once() {
    let app = spawn_app().await;
    let (_, reference, passphrase) = app.file("bullying", "They push him into the lockers every morning.").await;
    let client = no_redirects();
    let sign_in = async || {
        let form = [("reference", reference.as_str()), ("passphrase", passphrase.as_str())];
        let ok = client.post(app.url("/follow-up")).form(&form).send().await.unwrap();
        assert_eq!(ok.headers()["location"], "/follow-up/tip?lang=en&signed_in=1");
        ok.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned()
    };
    let tip_page =
        async |session: &str| client.get(app.url("/follow-up/tip")).header("cookie", session).send().await.unwrap();

    let session = sign_in().await;
    let page = tip_page(&session).await.text().await.unwrap();
    assert!(page.contains(r#"id="quick-exit""#) && page.contains(r#"id="sign-out-form""#), "{page}");
    assert!(page.contains(r#"href="sms:988""#), "988 by text as well as a call");
    let exit = client.get(app.url("/leave")).header("cookie", &session).send().await.unwrap();
    assert_eq!(exit.headers()["location"], web::pages::leave::NEUTRAL_SITE);
    assert!(exit.headers()["set-cookie"].to_str().unwrap().contains("Max-Age=0"), "the cookie is cleared");
    assert_eq!(tip_page(&session).await.status(), 303, "and the session is over, even if the cookie was kept");

    let session = sign_in().await;
    let out = client.post(app.url("/follow-up/sign-out")).header("cookie", &session).send().await.unwrap();
    assert_eq!(out.headers()["location"], "/follow-up?lang=en");
    assert_eq!(tip_page(&session).await.status(), 303, "signed out");

    let refused = client.get(app.url("/follow-up/tip?lang=en&signed_in=1")).send().await.unwrap().text().await.unwrap();
    assert!(refused.contains(r#"id="cookie-refused""#) && refused.contains("https://"), "said plainly, not sent round");

    let spanish = client.get(app.url("/")).header("accept-language", "es-MX,es;q=0.9,en;q=0.5").send().await.unwrap();
    assert!(spanish.text().await.unwrap().contains(r#"<html lang="es">"#), "the browser's language");

    let missing = client.get(app.url("/followup")).send().await.unwrap();
    assert_eq!(missing.status(), 404);
    let html = missing.text().await.unwrap();
    assert!(html.contains(r#"id="crisis-resources""#) && html.contains(r#"href="/follow-up?lang=en""#), "{html}");
}

/// Reloading the receipt posts the form again: the same submission gets the same receipt,
/// never a second tip (nor a second page to the on-call); the form sent again with other words
/// is a new tip. No category is chosen for the tipster.
#[tokio::test]
async fn a_reloaded_receipt_is_the_same_tip() {
    use reqwest::multipart::Form;
    let app = spawn_app().await;
    let page = app.http.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    let token = between(&page, r#"name="submission" value=""#, "\"").to_owned();
    assert!(token.len() > 20, "the form carries a one-time token");
    assert!(page.contains(r#"<option value="" selected>Choose one</option>"#), "no category chosen in advance");
    let send = |narrative: &'static str| {
        let form = Form::new()
            .text("lang", "en")
            .text("submission", token.clone())
            .text("category", "planned_attack")
            .text("narrative", narrative);
        app.http.post(app.url("/tips")).multipart(form).send()
    };
    let reference = |html: String| between(&html, r#"id="reference" class="code">"#, "<").to_owned();
    let words = "He said he will shoot people at the assembly tomorrow; he has his dad's rifle.";
    let first = send(words).await.unwrap().text().await.unwrap();
    let again = send(words).await.unwrap().text().await.unwrap();
    assert_eq!(reference(first.clone()), reference(again.clone()), "the reload shows the same receipt");
    assert_eq!(
        between(&first, r#"id="passphrase" class="code">"#, "<"),
        between(&again, r#"id="passphrase" class="code">"#, "<"),
        "with the same passphrase"
    );
    assert_eq!(app.tip_count().await, 1, "one tip, however often the receipt is reloaded");
    let edited = send("Also: he posted a photo of the rifle this morning.").await.unwrap().text().await.unwrap();
    assert_ne!(reference(edited), reference(first), "other words are a new tip");
    assert_eq!(app.tip_count().await, 2);
    let no_choice = Form::new().text("lang", "en").text("narrative", "Something is wrong.");
    let r = app.http.post(app.url("/tips")).multipart(no_choice).send().await.unwrap();
    assert_eq!(r.status(), 422, "the tipster must say what it is about");
}

/// A notice in the URL is not shown (anyone could send a link with one); a new user's first
/// password must be replaced before the console shows anything, on a page of its own.
#[tokio::test]
async fn notices_are_not_taken_from_the_url_and_first_passwords_are_replaced() {
    let app = spawn_app().await;
    let (session, _) = admin_console(&app).await;
    let client = no_redirects();
    let page = client.get(app.url("/staff/admin?flash=Your+account+is+suspended")).header("cookie", &session);
    assert!(!page.send().await.unwrap().text().await.unwrap().contains("suspended"), "no notice from the URL");

    let admin = app::admin::Admin::local(app.state.store.clone(), app.state.now());
    let (_, first) = admin
        .create_user(app.world.sheriff, "new@sheriff.test", None, vec![domain::staff::Role::Analyst])
        .await
        .unwrap();
    let (session, _) = app.console_login("new@sheriff.test", &first).await;
    for path in ["/staff", "/staff/dashboard", "/staff/admin"] {
        let r = client.get(app.url(path)).header("cookie", &session).send().await.unwrap();
        assert_eq!(r.headers()["location"], "/staff/password", "{path} waits for a new password");
    }
    let form =
        client.get(app.url("/staff/password")).header("cookie", &session).send().await.unwrap().text().await.unwrap();
    assert!(form.contains(r#"id="password-required""#), "the page says why");
    let csrf = between(&form, r#"name="csrf" value=""#, "\"").to_owned();
    let change = |current: &str, new: &str, confirm: &str| {
        let form = [("csrf", csrf.as_str()), ("current", current), ("password", new), ("confirm", confirm)];
        client.post(app.url("/staff/password")).header("cookie", &session).form(&form).send()
    };
    let own = "lantern orchard 42 river";
    assert_eq!(change("wrong", own, own).await.unwrap().status(), 422, "the current password first");
    assert_eq!(change(&first, own, "something else entirely").await.unwrap().status(), 422, "typed twice alike");
    assert_eq!(change(&first, "short", "short").await.unwrap().status(), 422, "under the password rules");
    let done = change(&first, own, own).await.unwrap();
    assert_eq!(done.headers()["location"], "/staff");
    let queue = client.get(app.url("/staff")).header("cookie", &session).send().await.unwrap();
    assert_eq!(queue.status(), 200, "then the console opens");
    assert!(queue.text().await.unwrap().contains("Password changed."));
    let user = app.state.store.user_by_email("new@sheriff.test").await.unwrap().unwrap();
    assert!(!app.state.store.account_security(user.id).await.unwrap().must_change_password);
}

/// An administrator signed in to the console: the session cookie and the administration page.
/// Bad administration forms answer with the field at fault on the page, never a 500, and
/// change nothing.
#[tokio::test]
async fn bad_administration_forms_name_the_field() {
    let app = spawn_app().await;
    let (session, page) = admin_console(&app).await;
    let csrf = between(&page, r#"name="csrf" value=""#, "\"").to_owned();
    let client = reqwest::Client::new();
    let district = app.world.district.to_string();
    let sites_before = app.state.store.list_sites().await.unwrap().len();
    let agencies_before = app.state.store.list_agencies().await.unwrap().len();
    type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, &'a str);
    let cases: Vec<Case> = vec![
        ("site", vec![("name", "Nowhere High"), ("owner", "999")], "owner"),
        ("site", vec![("name", "Half Placed"), ("owner", &district), ("lat", "3.5")], "lon"),
        ("site", vec![("name", "Bad Number"), ("owner", &district), ("lat", "north"), ("lon", "1")], "lat"),
        ("user", vec![("email", "new@x.test"), ("role", "analyst"), ("agency", "999")], "agency"),
        (
            "agency",
            vec![
                ("name", "Dot Police"),
                ("kind", "law_enforcement"),
                ("jurisdiction", r#"{"type":"Polygon","coordinates":[[[1,2]]]}"#),
            ],
            "jurisdiction",
        ),
        ("agency", vec![("name", "Orphan"), ("kind", "law_enforcement"), ("partner", "999")], "partner"),
        ("agency", vec![("name", "\u{200B}"), ("kind", "law_enforcement")], "name"),
    ];
    for (what, fields, field) in cases {
        let mut form = vec![("csrf", csrf.as_str())];
        form.extend(fields.iter().copied());
        let r = client
            .post(app.url(&format!("/staff/admin/{what}")))
            .header("cookie", &session)
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{what} {fields:?}: the redirect back to the page");
        let page = r.text().await.unwrap();
        let notice = between(&page, r#"<p class="flash" role="status">"#, "</p>").to_owned();
        assert!(notice.starts_with(&format!("Not done — {field}:")), "{what} {fields:?}: {notice}");
    }
    assert_eq!(app.state.store.list_sites().await.unwrap().len(), sites_before, "no site added");
    assert_eq!(app.state.store.list_agencies().await.unwrap().len(), agencies_before, "no agency added");
}

async fn admin_console(app: &TestApp) -> (String, String) {
    let password = "violet tractor 7 harbour";
    app.user_with_password(app.world.fusion, "admin@fusion.test", password, vec![domain::staff::Role::Admin]).await;
    let (session, _) = app.console_login("admin@fusion.test", password).await;
    let page = no_redirects().get(app.url("/staff/admin")).header("cookie", &session).send().await.unwrap();
    (session, page.text().await.unwrap())
}

#[tokio::test]
async fn the_fallback_agency_set_from_the_console_must_exist_and_is_audited() {
    let app = spawn_app().await;
    let (session, page) = admin_console(&app).await;
    let client = no_redirects();
    let csrf = between(&page, r#"name="csrf" value=""#, "\"").to_owned();
    let set = |agency: String| {
        let (client, session, csrf, url) =
            (client.clone(), session.clone(), csrf.clone(), app.url("/staff/admin/fallback"));
        let page_url = app.url("/staff/admin");
        async move {
            let r = client.post(url).header("cookie", &session).form(&[("csrf", csrf.as_str()), ("agency", &agency)]);
            assert_eq!(r.send().await.unwrap().headers()["location"], "/staff/admin");
            let page = client.get(page_url).header("cookie", &session).send().await.unwrap().text().await.unwrap();
            between(&page, r#"<p class="flash" role="status">"#, "</p>").to_owned()
        }
    };
    let object = domain::audit::ObjectRef::Setting(app::routing::FALLBACK_SETTING);
    let before = app.state.store.audit_for_object(object).await.unwrap().len();
    let refused = set("999".into()).await;
    assert!(refused.contains("Not done") && refused.contains("999"), "an unknown agency is refused: {refused}");
    assert_eq!(
        app.state.store.get_setting(app::routing::FALLBACK_SETTING).await.unwrap(),
        Some(app.world.fusion.to_string())
    );
    let done = set(app.world.sheriff.to_string()).await;
    assert!(done.contains("Fallback"), "{done}");
    let events = app.state.store.audit_for_object(object).await.unwrap();
    assert_eq!(events.len(), before + 1, "the change is recorded, the refusal is not");
    let last = events.last().unwrap();
    let admin = app.state.store.user_by_email("admin@fusion.test").await.unwrap().unwrap();
    assert_eq!((last.action.as_str(), last.actor.clone()), ("setting.changed", format!("user:{}", admin.id)));
    assert!(last.detail.contains(&app.world.sheriff.to_string()), "{}", last.detail);
}

#[tokio::test]
async fn a_database_error_is_an_error_page_not_an_empty_list() {
    let app = spawn_app().await;
    let form = app.http.get(app.url("/")).send().await.unwrap();
    assert_eq!(form.status(), 200);
    app.sql_behind_the_back("ALTER TABLE sites RENAME TO sites_gone").await;
    let broken = app.http.get(app.url("/")).send().await.unwrap();
    assert_eq!(broken.status(), 500, "the form cannot list the schools: that is a failure, not an empty list");
    let html = broken.text().await.unwrap();
    assert!(html.contains("Something went wrong") && !html.contains("sites_gone"), "{html}");
    assert!(
        html.contains(r#"id="crisis-resources""#) && html.contains(r#"href="/?lang=en""#),
        "the tipster's chrome: {html}"
    );
    let spanish = app.http.get(app.url("/?lang=es")).send().await.unwrap();
    assert_eq!(spanish.status(), 500);
    let html = spanish.text().await.unwrap();
    assert!(
        html.contains(r#"<html lang="es">"#) && html.contains("Algo salió mal"),
        "in the visitor's language: {html}"
    );
}

#[tokio::test]
async fn a_console_error_is_a_console_page() {
    let app = spawn_app().await;
    let (session, _) = admin_console(&app).await;
    let missing = no_redirects().get(app.url("/staff/tips/999999")).header("cookie", &session).send().await.unwrap();
    assert_eq!(missing.status(), 404);
    let html = missing.text().await.unwrap();
    assert!(
        html.contains("<title>Not found · Sightline</title>") && html.contains(r#"href="/staff">Back to the console"#),
        "{html}"
    );
    assert!(!html.contains("crisis-resources"), "no tipster chrome on the console: {html}");
}
