//! The tipster's form as people fill it in: a school's name typed loosely, several places that
//! fit, a place nobody registered, and every mistake shown at once in the tipster's language.

use crate::helpers::*;
use reqwest::multipart::Form;

async fn add_site(app: &TestApp, name: &str) -> i64 {
    let site = store::model::NewSite {
        name: name.into(),
        kind: domain::routing::SiteKind::School,
        owner_agency_id: app.world.district,
        lat: Some(3.0),
        lon: Some(3.0),
        address: None,
    };
    let id = app.state.store.create_site(site, "t", 0).await.unwrap().id;
    app.state.invalidate_routing().await;
    id
}

fn typed(place: &str) -> Form {
    Form::new()
        .text("lang", "en")
        .text("category", "threat")
        .text("narrative", "A boy said he will bring a knife to school on Monday.")
        .text("site_name", place.to_owned())
}

async fn post(app: &TestApp, form: Form) -> (u16, String) {
    let r = app.http.post(app.url("/tips")).multipart(form).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

async fn newest_tip(app: &TestApp) -> store::model::TipDetail {
    let rows =
        app.state.store.queue(&store::model::QueueFilter { limit: 1000, ..Default::default() }, 0).await.unwrap();
    let newest = rows.iter().map(|t| t.id).max().unwrap();
    let mut d = app.state.store.tip_detail(newest).await.unwrap();
    app::sealed::open_detail(&app.state.secrets, &mut d);
    d
}

#[tokio::test]
async fn a_school_typed_loosely_is_found() {
    let app = spawn_app().await;
    let elementary = add_site(&app, "Cedar Creek Elementary").await;
    let middle = add_site(&app, "Cedar Creek Middle School").await;

    // A typo and the words in another order: one place fits.
    let (status, html) = post(&app, typed("elementary cedar crek")).await;
    assert_eq!(status, 200, "{html}");
    assert!(!html.contains("unmatched-place"), "{html}");
    assert_eq!(newest_tip(&app).await.tip.site_id, Some(elementary));

    // Two fit as well: nothing is filed, the tipster chooses.
    let (status, html) = post(&app, typed("cedar creek")).await;
    assert_eq!(status, 422, "{html}");
    assert!(html.contains(&format!(r#"id="site-choice-{elementary}""#)), "{html}");
    assert!(html.contains(&format!(r#"id="site-choice-{middle}""#)), "{html}");
    assert!(html.contains(r#"id="site-choice-none""#));
    assert!(html.contains("several registered places match"), "{html}");
    assert_eq!(app.tip_count().await, 1);
    let (status, _) = post(&app, typed("cedar creek").text("site_choice", middle.to_string())).await;
    assert_eq!(status, 200);
    assert_eq!(newest_tip(&app).await.tip.site_id, Some(middle));
    let routes = newest_tip(&app).await.routes;
    assert!(routes.iter().any(|r| r.agency_id == app.world.district), "the school's team has it");

    // Nothing registered fits: filed all the same, and the receipt says who reads it.
    let (status, html) = post(&app, typed("Washington Prep Academy")).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains(r#"id="unmatched-place""#), "{html}");
    assert!(html.contains("Washington Prep Academy") && html.contains("Fusion"), "{html}");
    let d = newest_tip(&app).await;
    assert_eq!((d.tip.site_id, d.tip.location_text.as_deref()), (None, Some("Washington Prep Academy")));
}

#[tokio::test]
async fn every_mistake_is_shown_at_once_in_spanish() {
    let app = spawn_app().await;
    let form = Form::new()
        .text("lang", "es")
        .text("category", "")
        .text("narrative", "   ")
        .text("subject_age", "doce")
        .text("subject_name", "Valor Guardado");
    let (status, html) = post(&app, form).await;
    assert_eq!(status, 422);
    for (field, reason) in [
        ("category", "elija de qué se trata"),
        ("narrative", "no puede estar vacío"),
        ("subjects[0].age", "debe ser un número"),
    ] {
        let item = format!(r#"class="field-error" data-field="{field}""#);
        assert!(html.contains(&item), "{field} is shown: {html}");
        assert!(html.contains(reason), "{reason}: {html}");
    }
    assert!(!html.contains("must be") && !html.contains("planned_attack,"), "no English, no codes: {html}");
    assert!(html.contains(r#"value="Valor Guardado""#), "values are kept");
    assert_eq!(app.tip_count().await, 0);
}
