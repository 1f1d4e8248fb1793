//! Agencies, sites, users, tokens, settings.

use super::*;
use domain::audit::ObjectRef;
use store::StoreError;
use store::model::*;

#[tokio::test]
async fn agencies_users_and_tokens() {
    on_each_backend(|t| async move {
        let s = t.store.as_ref();
        let w = world(s).await;
        let agencies = s.list_agencies().await.unwrap();
        assert_eq!(agencies.len(), 3, "{}", t.name);
        let dup = s
            .create_agency(
                NewAgency {
                    name: "County Sheriff".into(),
                    kind: domain::routing::AgencyKind::LawEnforcement,
                    jurisdiction: None,
                    partner_agency_id: None,
                    ack_policy: None,
                },
                "test",
                2,
            )
            .await;
        assert!(matches!(dup, Err(StoreError::Conflict(_))), "{}: duplicate agency name must conflict", t.name);

        let by_email = s.user_by_email("ANA@sheriff.test").await.unwrap().expect("case-insensitive e-mail");
        assert_eq!(by_email.id, w.analyst);
        assert_eq!(by_email.roles, vec![domain::staff::Role::Analyst]);
        assert!(s.user_by_email("nobody@x.test").await.unwrap().is_none());

        s.create_token(
            NewToken {
                user_id: w.analyst,
                token_hash: "h1".into(),
                label: "cli".into(),
                expires_at: Some(5_000),
                ..Default::default()
            },
            "test",
            3,
        )
        .await
        .unwrap();
        let info = s.token_info("h1").await.unwrap().expect("the token");
        assert_eq!((info.user.id, info.kind.code(), info.expires_at), (w.analyst, "api", Some(5_000)), "{}", t.name);
        assert!(s.token_info("nope").await.unwrap().is_none());
        let id = info.id;
        s.revoke_token(id, NewAudit::new(4, "test", domain::audit::AuditAction::TokenRevoked, ObjectRef::Token(id)))
            .await
            .unwrap();
        assert!(s.token_info("h1").await.unwrap().is_none(), "{}: a revoked token is unknown", t.name);

        assert_eq!(s.get_setting("fallback_agency_id").await.unwrap(), None);
        let setting = |value: &str| {
            NewAudit::new(
                5,
                "test",
                domain::audit::AuditAction::SettingChanged,
                ObjectRef::Setting("fallback_agency_id"),
            )
            .detail(serde_json::json!({ "value": value }))
        };
        let before = s.audit_head().await.unwrap().0;
        s.set_setting("fallback_agency_id", "7", setting("7")).await.unwrap();
        s.set_setting("fallback_agency_id", &w.fusion.to_string(), setting("fusion")).await.unwrap();
        assert_eq!(s.get_setting("fallback_agency_id").await.unwrap(), Some(w.fusion.to_string()));
        let changes = s.audit_for_object(domain::audit::ObjectRef::Setting("fallback_agency_id")).await.unwrap();
        assert_eq!(changes.len(), 2, "{}: each change is recorded with it", t.name);
        assert_eq!(s.audit_head().await.unwrap().0, before + 2);
        assert_eq!(s.list_sites().await.unwrap()[0].owner_agency_id, w.district);
    })
    .await;
}

/// Signing out everywhere ends the user's console sessions and no API token; roles change
/// with an audit event.
#[tokio::test]
async fn sessions_end_everywhere_and_roles_change() {
    on_each_backend(|t| async move {
        let s = t.store.as_ref();
        let w = world(s).await;
        let token = |hash: &str, kind| NewToken {
            user_id: w.analyst,
            token_hash: hash.into(),
            label: "t".into(),
            kind,
            ..Default::default()
        };
        for (hash, kind) in [
            ("session-1", domain::staff::TokenKind::Session),
            ("session-2", domain::staff::TokenKind::Session),
            ("api-1", domain::staff::TokenKind::Api),
        ] {
            s.create_token(token(hash, kind), "test", 2).await.unwrap();
        }
        let audit = |action| NewAudit::new(5, "user:1", action, ObjectRef::User(w.analyst));
        let ended = s.end_sessions(w.analyst, audit(domain::audit::AuditAction::SessionsEnded)).await.unwrap();
        assert_eq!(ended, 2, "{}", t.name);
        let tokens = s.list_tokens(w.analyst).await.unwrap();
        let live: Vec<_> = tokens.iter().filter(|t| t.revoked_at.is_none()).map(|t| t.kind).collect();
        assert_eq!(live, [domain::staff::TokenKind::Api], "{}: the API token works on", t.name);

        let roles = [domain::staff::Role::Analyst, domain::staff::Role::Supervisor];
        s.set_roles(w.analyst, &roles, audit(domain::audit::AuditAction::AccountUpdated)).await.unwrap();
        assert_eq!(s.user_by_id(w.analyst).await.unwrap().unwrap().roles, roles, "{}", t.name);
        assert!(matches!(
            s.set_roles(999_999, &roles, audit(domain::audit::AuditAction::AccountUpdated)).await,
            Err(store::StoreError::NotFound(_))
        ));
        let events = s.audit_for_object(ObjectRef::User(w.analyst)).await.unwrap();
        assert!(
            events.iter().any(|e| e.action == "account.sessions_ended" && e.detail.contains("\"sessions_ended\":2"))
        );
    })
    .await;
}
