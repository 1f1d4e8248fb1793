//! Who is signed in, under the staff access policy: passwords with failures counted per
//! account and client (a growing pause for that client, no lockout anyone can cause), a second
//! factor before any data, idle sessions ended, unused accounts disabled,
//! API tokens limited to their scope and expiry, each TOTP code good once. No HTTP here; the extractors call this.

use crate::ctx::Ctx;
use crate::error::{AppError, AppResult};
use domain::audit::{Actor, AuditAction, ObjectRef};
use domain::staff::TokenKind;
use store::model::{NewAudit, NewToken, TokenInfo, User};
use vault::secrets::{new_token, token_hash, verify_password};

/// How often a token's last use is written (a session may end up to this much early).
const TOUCH_EVERY_MS: i64 = 60_000;

/// The outcome of a password sign-in.
pub enum SignIn {
    /// A session that still needs its second factor (setup when the user has none yet).
    Session { token: String, needs_setup: bool },
    /// Refused: an unknown e-mail, a wrong password, an account that is off, or sign-in from
    /// this client paused after failures — one answer for all, so it tells nobody which.
    Refused,
}

/// A dummy Argon2id hash, verified when the e-mail is unknown so timing says nothing.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$0r7LGZJ8v7eYbq6yn5kS1iK4Zt8QnG1o0Oxr8F3Wm0A";

/// A client as the failure counts know it: a keyed hash of what the door says of it (its
/// address bucket), so no address is stored.
fn client_key(ctx: &Ctx, client: &str) -> String {
    ctx.secrets.keyed_hash("staff-sign-in-client", client)[..32].to_owned()
}

/// Whether sign-in to `user_id` from `client` is paused after failures from it.
async fn paused(ctx: &Ctx, user_id: i64, client: &str) -> AppResult<bool> {
    let p = &ctx.options.security;
    let now = ctx.now();
    let (failures, last) = ctx.store.sign_in_failures(user_id, client, now - p.lockout_window_ms).await?;
    Ok(domain::staff::sign_in_pause(failures, last, now, p.lockout_threshold, p.lockout_window_ms).is_some())
}

/// Counts a failure from `client`; each failure that starts a pause (from the threshold on:
/// tries during a pause are not counted) is recorded as one.
async fn failed(ctx: &Ctx, user_id: i64, client: &str) -> AppResult<()> {
    let p = &ctx.options.security;
    let now = ctx.now();
    let (failures, last) = ctx.store.record_failed_sign_in(user_id, client, now, p.lockout_window_ms).await?;
    if let Some(until) = domain::staff::sign_in_pause(failures, last, now, p.lockout_threshold, p.lockout_window_ms) {
        let audit = NewAudit::new(now, Actor::System, AuditAction::SignInPaused, ObjectRef::User(user_id)).reason(
            &format!("{failures} failed sign-ins from one client; that client waits {} s", (until - now) / 1000),
        );
        ctx.store.append_audit(audit).await?;
    }
    Ok(())
}

/// Checks an e-mail and password from `client` (what the door knows of the client, e.g. its
/// address bucket; hashed before anything is kept). Failures pause sign-in to the account
/// from that client only, for longer with each further failure: a stranger cannot lock a
/// colleague out, nor learn which e-mails have accounts.
pub async fn password_sign_in(ctx: &Ctx, email: &str, password: &str, client: &str) -> AppResult<SignIn> {
    let now = ctx.now();
    let client = client_key(ctx, client);
    let Some(user) = ctx.store.user_by_email(email.trim()).await? else {
        verify_password(password, DUMMY_HASH);
        return Ok(SignIn::Refused);
    };
    let sec = ctx.store.account_security(user.id).await?;
    // Tries while paused are refused unread and not counted: the pause grows only with wrong
    // passwords tried after it ended.
    if sec.locked_at.is_some() || user.disabled || paused(ctx, user.id, &client).await? {
        verify_password(password, DUMMY_HASH);
        return Ok(SignIn::Refused);
    }
    if idle_too_long(ctx, &user, sec.last_active_at.unwrap_or(sec.created_at)).await? {
        verify_password(password, DUMMY_HASH);
        return Ok(SignIn::Refused);
    }
    if !verify_password(password, &user.password_hash) {
        failed(ctx, user.id, &client).await?;
        return Ok(SignIn::Refused);
    }
    ctx.store.record_sign_in(user.id, &client, now).await?;
    let token = new_token("ses");
    let session = NewToken {
        user_id: user.id,
        token_hash: token_hash(&token),
        label: "console".into(),
        expires_at: Some(now + 12 * 60 * 60 * 1000),
        kind: TokenKind::Session,
        scope_roles: None,
        mfa_passed: false,
        shows_narratives: false,
    };
    ctx.store.create_token(session, &Actor::User(user.id).to_string(), now).await?;
    Ok(SignIn::Session { token, needs_setup: sec.totp_enabled_at.is_none() })
}

/// Disables an account unused for longer than the policy allows. True when it did.
async fn idle_too_long(ctx: &Ctx, user: &User, last_active: i64) -> AppResult<bool> {
    let now = ctx.now();
    if now - last_active <= ctx.options.security.account_idle_ms {
        return Ok(false);
    }
    let audit =
        NewAudit::new(now, domain::audit::Actor::System, AuditAction::AccountDisabled, ObjectRef::User(user.id))
            .reason(&format!("unused for more than {} days", ctx.options.security.account_idle_ms / 86_400_000));
    ctx.store.update_account(user.id, false, Some(true), None, audit).await?;
    Ok(true)
}

/// A staff member authenticated by a token, with the roles the token may use.
pub struct Authenticated {
    pub user: User,
    pub token: TokenInfo,
    /// The password is a first one someone else chose: the console asks for a new one first.
    pub must_change_password: bool,
}

/// Why a token was not accepted (the client is told only "unauthorized").
#[derive(Debug, PartialEq, Eq)]
pub enum Rejected {
    Unknown,
    Expired,
    Idle,
    NeedsSecondFactor,
    AccountOff,
}

/// Checks a token of the given kind under the policy.
pub async fn authenticate(
    ctx: &Ctx,
    token: &str,
    kind: TokenKind,
    need_mfa: bool,
) -> AppResult<Result<Authenticated, Rejected>> {
    let now = ctx.now();
    let Some(info) = ctx.store.token_info(&token_hash(token)).await? else { return Ok(Err(Rejected::Unknown)) };
    if info.kind != kind {
        return Ok(Err(Rejected::Unknown));
    }
    if info.expires_at.is_some_and(|e| e <= now) {
        return Ok(Err(Rejected::Expired));
    }
    if info.user.disabled {
        return Ok(Err(Rejected::AccountOff));
    }
    let sec = ctx.store.account_security(info.user.id).await?;
    if sec.locked_at.is_some() || idle_too_long(ctx, &info.user, sec.last_active_at.unwrap_or(sec.created_at)).await? {
        return Ok(Err(Rejected::AccountOff));
    }
    if kind == TokenKind::Session {
        let last = info.last_used_at.unwrap_or(info.created_at);
        if now - last > ctx.options.security.session_idle_ms {
            let audit = NewAudit::new(
                now,
                domain::audit::Actor::System,
                AuditAction::TokenRevoked,
                ObjectRef::User(info.user.id),
            )
            .reason("session idle");
            ctx.store.revoke_token(info.id, audit).await?;
            return Ok(Err(Rejected::Idle));
        }
        if need_mfa && !info.mfa_passed {
            return Ok(Err(Rejected::NeedsSecondFactor));
        }
    }
    // Recording activity is a write; once a minute is enough for 30-minute and 90-day limits,
    // and keeps reads from queueing behind the single SQLite writer.
    // A wall display shows the queue all day: that is no sign of its maker's activity, which
    // must not keep an unused account alive.
    if kind != TokenKind::Display && now - info.last_used_at.unwrap_or(info.created_at) >= TOUCH_EVERY_MS {
        ctx.store.touch_token(info.id, info.user.id, now, None).await?;
    }
    let mut user = info.user.clone();
    if let Some(scope) = &info.scope_roles {
        user.roles.retain(|r| scope.contains(r));
    }
    Ok(Ok(Authenticated { user, token: info, must_change_password: sec.must_change_password }))
}

/// Confirms the second factor for a session: a TOTP code, or a recovery code (used up). A
/// wrong code counts as a failed sign-in from `client`.
pub async fn second_factor(ctx: &Ctx, auth: &Authenticated, code: &str, client: &str) -> AppResult<bool> {
    let client = client_key(ctx, client);
    if paused(ctx, auth.user.id, &client).await? {
        return Ok(false);
    }
    let sec = ctx.store.account_security(auth.user.id).await?;
    let Some(stored) = &sec.totp_secret else { return Ok(false) };
    let secret = vault::mfa::open_secret(&ctx.secrets.keyring, stored)?;
    let ok = if let Some(step) = vault::mfa::matching_step(&secret, &auth.user.email, code, now_seconds(ctx)) {
        // A code already used (by this session or any other) counts as a wrong one.
        ctx.store.accept_totp_step(auth.user.id, step as i64).await?
    } else {
        let hash = vault::secrets::token_hash(&vault::mfa::normalise(code));
        let remaining: Vec<String> =
            sec.recovery_codes.iter().filter(|h| !vault::same_secret(h.as_bytes(), hash.as_bytes())).cloned().collect();
        if remaining.len() < sec.recovery_codes.len() {
            let audit = NewAudit::new(
                ctx.now(),
                Actor::User(auth.user.id),
                AuditAction::MfaReset,
                ObjectRef::User(auth.user.id),
            )
            .reason("a recovery code was used");
            ctx.store
                .set_mfa(auth.user.id, sec.totp_secret.clone(), sec.totp_enabled_at, remaining, Some(audit))
                .await?;
            true
        } else {
            false
        }
    };
    if ok {
        ctx.store.touch_token(auth.token.id, auth.user.id, ctx.now(), Some(true)).await?;
    } else {
        failed(ctx, auth.user.id, &client).await?;
    }
    Ok(ok)
}

fn now_seconds(ctx: &Ctx) -> u64 {
    u64::try_from(ctx.now() / 1000).unwrap_or(0)
}

/// Enrols a TOTP secret after the user proves their app shows the right code.
pub async fn enrol(
    ctx: &Ctx,
    auth: &Authenticated,
    secret: &[u8; 32],
    code: &str,
    recovery_hashes: Vec<String>,
) -> AppResult<bool> {
    if auth.token.kind != TokenKind::Session {
        return Err(AppError::Forbidden("enrol from a console session".into()));
    }
    let sec = ctx.store.account_security(auth.user.id).await?;
    if sec.totp_enabled_at.is_some() {
        return Err(AppError::Conflict("a second factor is already set up; an administrator can reset it".into()));
    }
    let Some(step) = vault::mfa::matching_step(secret, &auth.user.email, code, now_seconds(ctx)) else {
        return Ok(false);
    };
    if !ctx.store.accept_totp_step(auth.user.id, step as i64).await? {
        return Ok(false);
    }
    let now = ctx.now();
    let audit = NewAudit::new(now, Actor::User(auth.user.id), AuditAction::MfaEnrolled, ObjectRef::User(auth.user.id));
    ctx.store
        .set_mfa(
            auth.user.id,
            Some(vault::mfa::seal_secret(&ctx.secrets.keyring, secret)),
            Some(now),
            recovery_hashes,
            Some(audit),
        )
        .await?;
    ctx.store.touch_token(auth.token.id, auth.user.id, now, Some(true)).await?;
    Ok(true)
}

/// The signed-in user's password, asked again before a sensitive change: guesses through a
/// session left open count, and pause the checks like sign-in failures do.
async fn check_own_password(ctx: &Ctx, user: &User, password: &str) -> AppResult<()> {
    let client = ctx.secrets.keyed_hash("own-password", &user.id.to_string());
    if paused(ctx, user.id, &client).await? {
        return Err(AppError::Conflict("too many wrong passwords: wait a few minutes and try again".into()));
    }
    if !verify_password(password, &user.password_hash) {
        failed(ctx, user.id, &client).await?;
        return Err(AppError::invalid("current", "is not your current password"));
    }
    Ok(())
}

/// The signed-in user replaces their password: the current one first, then the new one under
/// the password rules. Other sessions stay; the change is audited.
pub async fn change_password(ctx: &Ctx, user: &User, current: &str, new: &str) -> AppResult<()> {
    check_own_password(ctx, user, current).await?;
    if vault::same_secret(current.as_bytes(), new.as_bytes()) {
        return Err(AppError::invalid("password", "must differ from the current one"));
    }
    if let Some(problem) = ctx.options.security.password_problem(new, &user.email) {
        return Err(AppError::invalid("password", problem));
    }
    let audit = NewAudit::new(ctx.now(), Actor::User(user.id), AuditAction::AccountUpdated, ObjectRef::User(user.id))
        .reason("password changed by its owner");
    let hash = vault::secrets::hash_password(new, ctx.options.fast_password_hash)?;
    Ok(ctx.store.set_password(user.id, &hash, false, audit).await?)
}

/// "Sign out everywhere": every console session of the user ends, this one too; API tokens
/// stay (an administrator revokes those). Returns how many ended.
pub async fn end_sessions(ctx: &Ctx, user: &User) -> AppResult<u64> {
    let audit = NewAudit::new(ctx.now(), Actor::User(user.id), AuditAction::SessionsEnded, ObjectRef::User(user.id))
        .reason("signed out everywhere by its owner");
    Ok(ctx.store.end_sessions(user.id, audit).await?)
}

/// What the user's own page shows of their account's protection.
pub struct OwnSecurity {
    pub second_factor_since: Option<i64>,
    pub recovery_codes_left: usize,
    pub sessions: usize,
}

pub async fn own_security(ctx: &Ctx, user: &User) -> AppResult<OwnSecurity> {
    let sec = ctx.store.account_security(user.id).await?;
    let now = ctx.now();
    let sessions = ctx
        .store
        .list_tokens(user.id)
        .await?
        .iter()
        .filter(|t| t.kind == TokenKind::Session && t.revoked_at.is_none() && t.expires_at.is_none_or(|e| e > now))
        .count();
    Ok(OwnSecurity {
        second_factor_since: sec.totp_enabled_at,
        recovery_codes_left: sec.recovery_codes.len(),
        sessions,
    })
}

/// New recovery codes for the signed-in user, the old ones void: the password again first (a
/// session left open on a shared screen cannot take them). The codes are shown once.
pub async fn renew_recovery_codes(ctx: &Ctx, user: &User, password: &str) -> AppResult<Vec<String>> {
    check_own_password(ctx, user, password).await?;
    let sec = ctx.store.account_security(user.id).await?;
    let (Some(secret), Some(since)) = (sec.totp_secret, sec.totp_enabled_at) else {
        return Err(AppError::Conflict("set up the second factor first".into()));
    };
    let (codes, hashes) = vault::mfa::recovery_codes();
    let audit =
        NewAudit::new(ctx.now(), Actor::User(user.id), AuditAction::RecoveryCodesRenewed, ObjectRef::User(user.id));
    ctx.store.set_mfa(user.id, Some(secret), Some(since), hashes, Some(audit)).await?;
    Ok(codes)
}

/// Whether a console session is still good — not revoked, expired or idle too long — without
/// counting this check as activity (a live event stream must not keep an idle session alive).
pub async fn session_alive(ctx: &Ctx, token: &str) -> AppResult<bool> {
    let Some(info) = ctx.store.token_info(&token_hash(token)).await? else { return Ok(false) };
    let now = ctx.now();
    let last = info.last_used_at.unwrap_or(info.created_at);
    Ok(info.kind == TokenKind::Session
        && !info.user.disabled
        && info.expires_at.is_none_or(|e| e > now)
        && now - last <= ctx.options.security.session_idle_ms)
}

/// Leaves a notice for the console session's next page (shown once; see `take_notice`).
pub async fn leave_notice(ctx: &Ctx, session_id: i64, notice: &str) -> AppResult<()> {
    Ok(ctx.store.set_notice(session_id, notice).await?)
}

/// The notice left for the session, once.
pub async fn take_notice(ctx: &Ctx, session_id: i64) -> AppResult<Option<String>> {
    Ok(ctx.store.take_notice(session_id).await?)
}

/// Ends a console session when its owner signs out; an unknown or ended token is no error.
pub async fn sign_out(ctx: &Ctx, token: &str) -> AppResult<()> {
    let Some(info) = ctx.store.token_info(&token_hash(token)).await? else { return Ok(()) };
    let audit =
        NewAudit::new(ctx.now(), Actor::User(info.user.id), AuditAction::TokenRevoked, ObjectRef::User(info.user.id))
            .reason("signed out");
    Ok(ctx.store.revoke_token(info.id, audit).await?)
}
