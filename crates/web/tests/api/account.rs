//! A user's own account page (recovery codes, signing out everywhere) and the administrator's
//! management of their agency's users on the console, each change audited.

use crate::helpers::*;
use domain::audit::ObjectRef;
use domain::staff::Role;

const PASSWORD: &str = "correct horse battery staple";

/// Posts a console form from `page` (its CSRF token): the status, where it leads, and the body.
async fn post_form(
    app: &TestApp,
    session: &str,
    page: &str,
    path: &str,
    fields: &[(&str, &str)],
) -> (u16, String, String) {
    let html = app.page(session, page).await;
    let csrf = between(&html, r#"name="csrf" value=""#, "\"").to_owned();
    let mut form: Vec<(&str, &str)> = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    let r = no_redirects().post(app.url(path)).header("cookie", session).form(&form).send().await.unwrap();
    let status = r.status().as_u16();
    let location = r.headers().get("location").map(|l| l.to_str().unwrap().to_owned()).unwrap_or_default();
    (status, location, r.text().await.unwrap())
}

async fn actions_on(app: &TestApp, user: i64) -> Vec<String> {
    app.state.store.audit_for_object(ObjectRef::User(user)).await.unwrap().into_iter().map(|e| e.action).collect()
}

#[tokio::test]
async fn a_user_renews_recovery_codes_and_signs_out_everywhere() {
    let app = spawn_app().await;
    let session = app.console_user(app.world.sheriff, "kim@sheriff.test", vec![Role::Analyst]).await;
    let user = app.state.store.user_by_email("kim@sheriff.test").await.unwrap().unwrap();
    let page = app.page(&session, "/staff/account").await;
    assert!(page.contains("Sheriff") && page.contains("10 recovery codes left"), "{page}");

    let renew = "/staff/account/recovery-codes";
    let (status, _, html) =
        post_form(&app, &session, "/staff/account", renew, &[("password", "not my password")]).await;
    assert_eq!(status, 422);
    assert!(html.contains("That is not your password."), "{html}");
    let (status, _, html) = post_form(&app, &session, "/staff/account", renew, &[("password", PASSWORD)]).await;
    assert_eq!(status, 200);
    let codes = between(&html, r#"<ul id="recovery-codes">"#, "</ul>").matches("<code>").count();
    assert_eq!(codes, 10, "{html}");
    assert!(actions_on(&app, user.id).await.contains(&"mfa.recovery_codes_renewed".to_owned()));

    // Guessing the password through the open session pauses the checks, the right one too.
    for _ in 0..5 {
        let (status, _, _) = post_form(&app, &session, "/staff/account", renew, &[("password", "a guess")]).await;
        assert_eq!(status, 422);
    }
    let (status, _, html) = post_form(&app, &session, "/staff/account", renew, &[("password", PASSWORD)]).await;
    assert_eq!(status, 422);
    assert!(html.contains("too many wrong passwords"), "{html}");

    let token = app.staff_with_token(app.world.sheriff, "kim-api@sheriff.test", vec![Role::Analyst]).await;
    let (status, location, _) =
        post_form(&app, &session, "/staff/account", "/staff/account/sign-out-everywhere", &[]).await;
    assert_eq!((status, location.as_str()), (303, "/staff/login?ended=everywhere"));
    let after = no_redirects().get(app.url("/staff")).header("cookie", &session).send().await.unwrap();
    assert_eq!(after.status(), 303, "the session has ended");
    let login = app.http.get(app.url("/staff/login?ended=everywhere")).send().await.unwrap().text().await.unwrap();
    assert!(login.contains("signed out everywhere"), "{login}");
    assert_eq!(app.get_as(&token, "/api/v1/tips").await.status, 200, "another user's API token is untouched");
    assert!(actions_on(&app, user.id).await.contains(&"account.sessions_ended".to_owned()));
}

#[tokio::test]
async fn an_administrator_manages_the_users_of_their_agency() {
    let app = spawn_app().await;
    let w = &app.world;
    let admin = app.console_user(w.sheriff, "ada@sheriff.test", vec![Role::Admin]).await;
    let me = app.state.store.user_by_email("ada@sheriff.test").await.unwrap().unwrap();
    let (analyst, stranger) = (w.analyst.id, w.city_analyst.id);
    let page = app.page(&admin, "/staff/admin").await;
    assert!(page.contains(&format!("/staff/admin/users/{analyst}/roles")), "{page}");
    let manage = |user: i64, action: &str, fields: Vec<(&'static str, &'static str)>| {
        let path = format!("/staff/admin/users/{user}/{action}");
        let (app, admin) = (&app, admin.clone());
        async move { post_form(app, &admin, "/staff/admin", &path, &fields).await.0 }
    };

    assert_eq!(manage(analyst, "roles", vec![("role_analyst", "on"), ("role_supervisor", "on")]).await, 303);
    let roles = app.state.store.user_by_id(analyst).await.unwrap().unwrap().roles;
    assert_eq!(roles, [Role::Analyst, Role::Supervisor]);

    assert_eq!(manage(analyst, "disable", vec![]).await, 303);
    assert_eq!(app.get_as(&w.analyst, "/api/v1/tips").await.status, 401, "disabled: the token ended with it");
    assert_eq!(manage(analyst, "enable", vec![]).await, 303);
    assert!(!app.state.store.user_by_id(analyst).await.unwrap().unwrap().disabled);
    assert_eq!(manage(analyst, "unlock", vec![]).await, 303);
    assert_eq!(manage(analyst, "reset-mfa", vec![]).await, 303);
    let actions = actions_on(&app, analyst).await;
    for a in ["account.updated", "account.disabled", "account.unlocked", "mfa.reset"] {
        assert!(actions.contains(&a.to_owned()), "{a}: {actions:?}");
    }

    // Another agency's user is not found; nobody takes the admin role from themselves.
    let other = manage(stranger, "disable", vec![]).await;
    assert_eq!(other, 404);
    assert!(!app.state.store.user_by_id(stranger).await.unwrap().unwrap().disabled);
    assert_eq!(manage(me.id, "roles", vec![("role_analyst", "on")]).await, 303);
    let page = app.page(&admin, "/staff/admin").await;
    assert!(page.contains("another administrator must take the admin role from you"), "{page}");
    assert_eq!(app.state.store.user_by_id(me.id).await.unwrap().unwrap().roles, [Role::Admin]);
}
