//! The JSON API and its OpenAPI document. Only this module (and `pages`, later) knows HTTP.

pub mod auth;
pub mod desk;
pub mod intake;
pub mod json;
pub mod links;
pub mod ops;
pub mod oversight;
pub mod tipster;

use crate::state::AppState;
use axum::Router;
use axum::routing::get;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(title = "Sightline", description = "Tips in, a recorded human decision out. Staff endpoints take `Authorization: Bearer <token>`."),
    paths(
        intake::file_tip, ops::sites,
        tipster::sign_in, tipster::view, tipster::post_message,
        desk::queue, desk::detail, desk::acknowledge, desk::assign, desk::message, desk::transfer, desk::decline,
        desk::tier, desk::review_tier, desk::close, desk::review, desk::reopen,
        oversight::reveal_contact, oversight::search, oversight::checkpoints,
        links::list, links::confirm, links::reject, links::undo, links::request_access, links::requests, links::grant, links::refuse,
        ops::healthz, ops::metrics,
    ),
    modifiers(&BearerAuth, &CommonErrors),
    tags((name = "intake", description = "Public: file a tip"), (name = "tipster", description = "Public: follow up with reference and passphrase"),
         (name = "desk", description = "Staff: the queue and the work"), (name = "people", description = "Staff: who tips are about, across tips and agencies"), (name = "oversight", description = "Auditors: the audit trail"), (name = "ops", description = "Health and metrics"))
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Every operation can answer 400 (malformed input), 429 (abuse limits) and, for staff, 403;
/// documented once here rather than on each handler.
struct CommonErrors;

impl utoipa::Modify for CommonErrors {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{RefOr, ResponseBuilder, content::ContentBuilder, schema::Ref};
        let error = || ContentBuilder::new().schema(Some(RefOr::Ref(Ref::from_schema_name("ErrorBody")))).build();
        for (path, item) in openapi.paths.paths.iter_mut() {
            let ops = [&mut item.get, &mut item.post, &mut item.put, &mut item.delete, &mut item.patch];
            for op in ops.into_iter().flatten() {
                let staff = op.security.is_some();
                let mut add = |code: &str, what: &str| {
                    op.responses.responses.entry(code.to_owned()).or_insert_with(|| {
                        RefOr::T(ResponseBuilder::new().description(what).content("application/json", error()).build())
                    });
                };
                if path.contains("{id}")
                    || op.request_body.is_some()
                    || op.parameters.as_ref().is_some_and(|p| !p.is_empty())
                {
                    add("400", "Malformed input");
                }
                if staff {
                    add("403", "Not allowed for your roles or agency");
                }
                add("429", "Too many attempts");
            }
        }
    }
}

async fn openapi() -> axum::Json<utoipa::openapi::OpenApi> {
    axum::Json(ApiDoc::openapi())
}

/// The JSON API: each feature's routes, and the OpenAPI document that describes them.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/openapi.json", get(openapi))
        .merge(ops::router())
        .merge(intake::router())
        .merge(tipster::router())
        .merge(desk::router())
        .merge(links::router())
        .merge(oversight::router())
        .layer(axum::middleware::map_response(crate::error::api_errors_in_json))
}
