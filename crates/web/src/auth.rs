//! Who is signed in, under the staff access policy: passwords with a failure counter and
//! lockout, a second factor before any data, idle sessions ended, unused accounts disabled,
//! API tokens limited to their scope and expiry. No HTTP here; the extractors call this.

use crate::error::{ApiError, ApiResult};
use crate::secrets::{new_token, token_hash, verify_password};
use crate::state::AppState;
use domain::audit::AuditAction;
use store::model::{NewAudit, NewToken, TokenInfo, User};

/// How often a token's last use is written (a session may end up to this much early).
const TOUCH_EVERY_MS: i64 = 60_000;

/// The outcome of a password sign-in.
pub enum SignIn {
    /// A session that still needs its second factor (setup when the user has none yet).
    Session {
        token: String,
        needs_setup: bool,
    },
    Refused,
    Locked,
}

/// A dummy Argon2id hash, verified when the e-mail is unknown so timing says nothing.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$0r7LGZJ8v7eYbq6yn5kS1iK4Zt8QnG1o0Oxr8F3Wm0A";

pub async fn password_sign_in(state: &AppState, email: &str, password: &str) -> ApiResult<SignIn> {
    let policy = &state.options.security;
    let now = state.now();
    let Some(user) = state.store.user_by_email(email.trim()).await? else {
        verify_password(password, DUMMY_HASH);
        return Ok(SignIn::Refused);
    };
    let sec = state.store.account_security(user.id).await?;
    if sec.locked_at.is_some() {
        verify_password(password, DUMMY_HASH);
        return Ok(SignIn::Locked);
    }
    if user.disabled || idle_too_long(state, &user, sec.last_active_at.unwrap_or(sec.created_at)).await? {
        verify_password(password, DUMMY_HASH);
        return Ok(SignIn::Refused);
    }
    if !verify_password(password, &user.password_hash) {
        let (_, locked) =
            state.store.record_failed_sign_in(user.id, now, policy.lockout_window_ms, policy.lockout_threshold).await?;
        return Ok(if locked { SignIn::Locked } else { SignIn::Refused });
    }
    state.store.record_sign_in(user.id, now).await?;
    let token = new_token("ses");
    let session = NewToken {
        user_id: user.id,
        token_hash: token_hash(&token),
        label: "console".into(),
        expires_at: Some(now + 12 * 60 * 60 * 1000),
        kind: "session".into(),
        scope_roles: None,
        mfa_passed: false,
    };
    state.store.create_token(session, &format!("user:{}", user.id), now).await?;
    Ok(SignIn::Session { token, needs_setup: sec.totp_enabled_at.is_none() })
}

/// Disables an account unused for longer than the policy allows. True when it did.
async fn idle_too_long(state: &AppState, user: &User, last_active: i64) -> ApiResult<bool> {
    let now = state.now();
    if now - last_active <= state.options.security.account_idle_ms {
        return Ok(false);
    }
    let audit = NewAudit::new(now, "system", AuditAction::AccountDisabled, format!("user:{}", user.id))
        .reason(&format!("unused for more than {} days", state.options.security.account_idle_ms / 86_400_000));
    state.store.update_account(user.id, false, Some(true), None, audit).await?;
    Ok(true)
}

/// A staff member authenticated by a token, with the roles the token may use.
pub struct Authenticated {
    pub user: User,
    pub token: TokenInfo,
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

/// Checks a token of the given kind (`api` or `session`) under the policy.
pub async fn authenticate(
    state: &AppState,
    token: &str,
    kind: &str,
    need_mfa: bool,
) -> ApiResult<Result<Authenticated, Rejected>> {
    let now = state.now();
    let Some(info) = state.store.token_info(&token_hash(token)).await? else { return Ok(Err(Rejected::Unknown)) };
    if info.kind != kind {
        return Ok(Err(Rejected::Unknown));
    }
    if info.expires_at.is_some_and(|e| e <= now) {
        return Ok(Err(Rejected::Expired));
    }
    if info.user.disabled {
        return Ok(Err(Rejected::AccountOff));
    }
    let sec = state.store.account_security(info.user.id).await?;
    if sec.locked_at.is_some() || idle_too_long(state, &info.user, sec.last_active_at.unwrap_or(sec.created_at)).await?
    {
        return Ok(Err(Rejected::AccountOff));
    }
    if kind == "session" {
        let last = info.last_used_at.unwrap_or(info.created_at);
        if now - last > state.options.security.session_idle_ms {
            let audit = NewAudit::new(now, "system", AuditAction::TokenRevoked, format!("user:{}", info.user.id))
                .reason("session idle");
            state.store.revoke_token(info.id, audit).await?;
            return Ok(Err(Rejected::Idle));
        }
        if need_mfa && !info.mfa_passed {
            return Ok(Err(Rejected::NeedsSecondFactor));
        }
    }
    // Recording activity is a write; once a minute is enough for 30-minute and 90-day limits,
    // and keeps reads from queueing behind the single SQLite writer.
    if now - info.last_used_at.unwrap_or(info.created_at) >= TOUCH_EVERY_MS {
        state.store.touch_token(info.id, info.user.id, now, None).await?;
    }
    let mut user = info.user.clone();
    if let Some(scope) = &info.scope_roles {
        user.roles.retain(|r| scope.contains(r));
    }
    Ok(Ok(Authenticated { user, token: info }))
}

/// Confirms the second factor for a session: a TOTP code, or a recovery code (used up).
pub async fn second_factor(state: &AppState, auth: &Authenticated, code: &str) -> ApiResult<bool> {
    let sec = state.store.account_security(auth.user.id).await?;
    let Some(stored) = &sec.totp_secret else { return Ok(false) };
    let secret = crate::mfa::open_secret(&state.secrets.keyring, stored)?;
    let now_s = (state.now() / 1000) as u64;
    let ok = if crate::mfa::check(&secret, &auth.user.email, code, now_s) {
        true
    } else {
        let hash = crate::secrets::token_hash(&crate::mfa::normalise(code));
        let remaining: Vec<String> = sec.recovery_codes.iter().filter(|h| **h != hash).cloned().collect();
        if remaining.len() < sec.recovery_codes.len() {
            let audit = NewAudit::new(
                state.now(),
                &format!("user:{}", auth.user.id),
                AuditAction::MfaReset,
                format!("user:{}", auth.user.id),
            )
            .reason("a recovery code was used");
            state
                .store
                .set_mfa(auth.user.id, sec.totp_secret.clone(), sec.totp_enabled_at, remaining, Some(audit))
                .await?;
            true
        } else {
            false
        }
    };
    if ok {
        state.store.touch_token(auth.token.id, auth.user.id, state.now(), Some(true)).await?;
    } else {
        let p = &state.options.security;
        state.store.record_failed_sign_in(auth.user.id, state.now(), p.lockout_window_ms, p.lockout_threshold).await?;
    }
    Ok(ok)
}

/// Enrols a TOTP secret after the user proves their app shows the right code.
pub async fn enrol(
    state: &AppState,
    auth: &Authenticated,
    secret: &[u8; 32],
    code: &str,
    recovery_hashes: Vec<String>,
) -> ApiResult<bool> {
    if auth.token.kind != "session" {
        return Err(ApiError::Forbidden("enrol from a console session".into()));
    }
    let sec = state.store.account_security(auth.user.id).await?;
    if sec.totp_enabled_at.is_some() {
        return Err(ApiError::Conflict("a second factor is already set up; an administrator can reset it".into()));
    }
    if !crate::mfa::check(secret, &auth.user.email, code, (state.now() / 1000) as u64) {
        return Ok(false);
    }
    let now = state.now();
    let audit = NewAudit::new(
        now,
        &format!("user:{}", auth.user.id),
        AuditAction::MfaEnrolled,
        format!("user:{}", auth.user.id),
    );
    state
        .store
        .set_mfa(
            auth.user.id,
            Some(crate::mfa::seal_secret(&state.secrets.keyring, secret)),
            Some(now),
            recovery_hashes,
            Some(audit),
        )
        .await?;
    state.store.touch_token(auth.token.id, auth.user.id, now, Some(true)).await?;
    Ok(true)
}
