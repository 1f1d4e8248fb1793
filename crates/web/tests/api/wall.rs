//! Wall displays: a supervisor makes one, the screen opens its link once and shows the queue
//! read-only (narratives only when chosen), and a revoked display shows nothing more.

use crate::helpers::*;
use domain::staff::Role;

async fn make_display(app: &TestApp, session: &str, name: &str, narratives: bool) -> String {
    let page = app.page(session, "/staff/displays").await;
    let csrf = between(&page, r#"name="csrf" value=""#, "\"").to_owned();
    let mut form = vec![("csrf", csrf.as_str()), ("name", name)];
    if narratives {
        form.push(("narratives", "on"));
    }
    let r = no_redirects().post(app.url("/staff/displays")).header("cookie", session).form(&form).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    between(&html, r#"<code id="display-link">"#, "</code>").to_owned()
}

/// Opens the link on "the screen": the cookie it sets.
async fn connect(app: &TestApp, link: &str) -> String {
    let path = link.split_once("/wall/").map(|(_, p)| format!("/wall/{p}")).unwrap();
    let r = no_redirects().get(app.url(&path)).send().await.unwrap();
    assert_eq!((r.status().as_u16(), r.headers()["location"].to_str().unwrap()), (303, "/wall"));
    r.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned()
}

async fn wall(app: &TestApp, cookie: &str) -> (u16, String) {
    let r = no_redirects().get(app.url("/wall")).header("cookie", cookie).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

#[tokio::test]
async fn a_wall_display_shows_the_queue_until_revoked() {
    let app = spawn_app().await;
    let (_, reference, _) = app.file("threat", "Jordan said he would hurt the coach after practice on Friday.").await;
    let supervisor = app.console_user(app.world.sheriff, "sam@sheriff.test", vec![Role::Supervisor]).await;

    let plain = connect(&app, &make_display(&app, &supervisor, "Dispatch wall", false).await).await;
    let (status, html) = wall(&app, &plain).await;
    assert_eq!(status, 200);
    assert!(html.contains(&reference) && html.contains("Waiting to be acknowledged"), "{html}");
    assert!(!html.contains("hurt the coach"), "no narratives unless chosen: {html}");
    assert!(!html.contains("<form") && !html.contains("/staff/tips/"), "read-only, no way into a tip");

    let with_text = connect(&app, &make_display(&app, &supervisor, "Supervisor's office", true).await).await;
    assert!(wall(&app, &with_text).await.1.contains("hurt the coach"), "the start of each narrative when chosen");

    // The display's key opens nothing else: not the API, not the console.
    let key = plain.split_once('=').unwrap().1;
    assert_eq!(app.get_with_token(key, "/api/v1/tips").await.status, 401);
    let console =
        no_redirects().get(app.url("/staff")).header("cookie", format!("sl_staff={key}")).send().await.unwrap();
    assert_eq!(console.status(), 303, "to the sign-in page");

    let list = app.page(&supervisor, "/staff/displays").await;
    assert!(list.contains("Dispatch wall") && list.contains("made by sam@sheriff.test"), "{list}");
    let csrf = between(&list, r#"name="csrf" value=""#, "\"").to_owned();
    let id = between(&list, r#"action="/staff/displays/"#, "/revoke").to_owned();
    let r = no_redirects()
        .post(app.url(&format!("/staff/displays/{id}/revoke")))
        .header("cookie", &supervisor)
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let (status, html) = wall(&app, &plain).await;
    assert_eq!(status, 401, "revoked: {html}");
    assert!(html.contains("ended or was revoked"));
    assert_eq!(wall(&app, &with_text).await.0, 200, "the other display works on");

    // Made by supervisors only.
    let analyst = app.console_user(app.world.sheriff, "ari@sheriff.test", vec![Role::Analyst]).await;
    let r = no_redirects().get(app.url("/staff/displays")).header("cookie", &analyst).send().await.unwrap();
    assert_eq!(r.status(), 403);
    let sam = app.state.store.user_by_email("sam@sheriff.test").await.unwrap().unwrap();
    let made = app.state.store.audit_for_object(domain::audit::ObjectRef::User(sam.id)).await.unwrap();
    assert_eq!(made.iter().filter(|e| e.action == "token.created" && e.detail.contains("\"display\"")).count(), 2);
    let revoked = app.state.store.audit_for_object(domain::audit::ObjectRef::Token(id.parse().unwrap())).await.unwrap();
    assert!(revoked.iter().any(|e| e.action == "token.revoked"), "{revoked:?}");
}
