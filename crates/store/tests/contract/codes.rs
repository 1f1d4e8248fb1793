//! Closed sets of codes, refused by the database itself when anything else is written: the
//! store writes only the domain's codes, and a write behind its back cannot add another.

use super::*;
use domain::routing::SiteKind;
use domain::tip::{Category, Language};
use domain::urgency::Tier;
use store::model::*;

#[tokio::test]
async fn every_code_is_stored_and_nothing_else() {
    on_each_backend(|t| async move {
        let s = t.store.as_ref();
        let w = world(s).await;
        for kind in SiteKind::ALL {
            let site = NewSite {
                name: format!("A {}", kind.code()),
                kind,
                owner_agency_id: w.district,
                lat: None,
                lon: None,
                address: None,
            };
            assert_eq!(s.create_site(site, "test", 1).await.unwrap().kind, kind, "{}", t.name);
        }
        for (i, category) in Category::ALL.into_iter().enumerate() {
            for language in [Language::En, Language::Es] {
                let mut tip = new_tip(&format!("CODE-{i:02}{}", language.code()), &[w.sheriff], Tier::Standard, 50_000);
                tip.category = category;
                tip.language = language;
                tip.notifications = vec![NewNotification {
                    agency_id: Some(w.sheriff),
                    contact_id: None,
                    kind: domain::sla::NotificationKind::ALL[i % 2],
                    url: "http://127.0.0.1:9/".into(),
                    payload: "{}".into(),
                }];
                let id = s.insert_tip(tip).await.unwrap();
                let stored = s.get_tip(id).await.unwrap();
                assert_eq!((stored.category, stored.language), (category, language), "{}", t.name);
            }
        }
        for kind in domain::staff::TokenKind::ALL {
            let token = NewToken {
                user_id: w.analyst,
                token_hash: format!("hash-{}", kind.code()),
                kind,
                ..NewToken::default()
            };
            s.create_token(token, "test", 1).await.unwrap();
        }
        use sqlx::{Connection, Executor};
        sqlx::any::install_default_drivers();
        let mut raw = sqlx::AnyConnection::connect(&t.url).await.unwrap();
        for wrong in [
            "UPDATE sites SET kind = 'stadium'",
            "UPDATE tips SET category = 'rumour'",
            "UPDATE tips SET language = 'fr'",
            "UPDATE tips SET original_tier = 'whenever'",
            "UPDATE tips SET disposition = 'shrugged'",
            "UPDATE notifications SET kind = 'carrier_pigeon'",
            "UPDATE api_tokens SET kind = 'forever'",
        ] {
            let refused = raw.execute(sqlx::AssertSqlSafe(wrong)).await;
            assert!(refused.is_err(), "{}: the database took {wrong:?}", t.name);
        }
        raw.execute("UPDATE tips SET disposition = 'no_lead_value'").await.expect("a known code is taken");
    })
    .await;
}
