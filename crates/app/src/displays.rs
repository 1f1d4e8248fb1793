//! Wall displays: an agency's queue on the desk's big screen, read-only, through a long-lived
//! device session a supervisor makes and may revoke. The start of each narrative is shown only
//! when the supervisor chose so when making it; nothing on the wall opens a tip.

use crate::ctx::Ctx;
use crate::error::{AppError, AppResult};
use domain::audit::{Actor, AuditAction, ObjectRef};
use domain::staff::{Role, TokenKind, Viewer};
use store::model::{NewAudit, NewToken, TokenRow, User};

/// How long a display's session lasts before a supervisor makes a new one.
pub const DISPLAY_DAYS: i64 = 365;

fn supervisor(viewer: &Viewer) -> AppResult<()> {
    if viewer.has(Role::Supervisor) || viewer.has(Role::Admin) {
        Ok(())
    } else {
        Err(AppError::Forbidden("wall displays are made by a supervisor".into()))
    }
}

/// A new wall display: its secret, shown once (the wall's link carries it).
pub async fn create(ctx: &Ctx, viewer: &Viewer, name: &str, shows_narratives: bool) -> AppResult<String> {
    supervisor(viewer)?;
    let name = domain::tip::short_text("name", Some(name))?
        .ok_or_else(|| AppError::invalid("name", "name the screen, e.g. \"Dispatch wall\""))?;
    let token = vault::secrets::new_token("sld");
    let new = NewToken {
        user_id: viewer.user_id,
        token_hash: vault::secrets::token_hash(&token),
        label: name,
        kind: TokenKind::Display,
        expires_at: Some(ctx.now() + DISPLAY_DAYS * 86_400_000),
        shows_narratives,
        ..NewToken::default()
    };
    ctx.store.create_token(new, &Actor::User(viewer.user_id).to_string(), ctx.now()).await?;
    Ok(token)
}

/// The agency's working displays and who made each.
pub async fn list(ctx: &Ctx, viewer: &Viewer) -> AppResult<Vec<(TokenRow, String)>> {
    supervisor(viewer)?;
    Ok(ctx.store.display_tokens(viewer.agency_id).await?)
}

/// Ends a display of the viewer's agency (another agency's is not found).
pub async fn revoke(ctx: &Ctx, viewer: &Viewer, id: i64) -> AppResult<()> {
    let displays = list(ctx, viewer).await?;
    if !displays.iter().any(|(t, _)| t.id == id) {
        return Err(AppError::NotFound);
    }
    let audit = NewAudit::new(ctx.now(), Actor::User(viewer.user_id), AuditAction::TokenRevoked, ObjectRef::Token(id))
        .reason("wall display revoked");
    Ok(ctx.store.revoke_token(id, audit).await?)
}

/// What a wall shows: the agency's open queue, and whether with the start of each narrative.
pub struct Wall {
    pub agency_id: i64,
    pub shows_narratives: bool,
    pub tips: Vec<store::model::TipRow>,
}

/// The wall of a display session: its maker's agency's open tips, most urgent first.
pub async fn wall(ctx: &Ctx, token: &str) -> AppResult<Option<Wall>> {
    let Ok(auth) = crate::auth::authenticate(ctx, token, TokenKind::Display, false).await? else { return Ok(None) };
    let shows_narratives = auth.token.shows_narratives;
    let maker: &User = &auth.user;
    let viewer = maker.viewer();
    // A display lives only as long as its maker may make one.
    if supervisor(&viewer).is_err() {
        return Ok(None);
    }
    let ask = crate::desk::queue::QueueAsk { limit: Some(200), ..Default::default() };
    let mut tips = crate::desk::queue::queue(ctx, &viewer, &ask).await?;
    if !shows_narratives {
        // Dropped before any page has them: the room sees the queue, not what tipsters wrote.
        for t in &mut tips {
            t.narrative.clear();
        }
    }
    Ok(Some(Wall { agency_id: viewer.agency_id, shows_narratives, tips }))
}
