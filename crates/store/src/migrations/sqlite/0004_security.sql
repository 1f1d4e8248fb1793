-- Security controls: per-tip data keys (wrapped by the instance's key), multi-factor sign-in,
-- failed sign-in tracking and lockout, idle sessions and accounts, scoped API tokens, and who
-- may reveal a tipster's contact details.
CREATE TABLE tip_keys (
    tip_id INTEGER PRIMARY KEY REFERENCES tips(id),
    key_id TEXT NOT NULL,
    wrapped TEXT NOT NULL
);
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_enabled_at INTEGER;
ALTER TABLE users ADD COLUMN recovery_codes TEXT NOT NULL DEFAULT '[]';
ALTER TABLE users ADD COLUMN locked_at INTEGER;
ALTER TABLE users ADD COLUMN last_active_at INTEGER;
ALTER TABLE users ADD COLUMN can_reveal_contact INTEGER NOT NULL DEFAULT 0;
CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    at INTEGER NOT NULL
);
CREATE INDEX login_failures_user ON login_failures (user_id, at);
ALTER TABLE api_tokens ADD COLUMN kind TEXT NOT NULL DEFAULT 'api';
ALTER TABLE api_tokens ADD COLUMN scope_roles TEXT;
ALTER TABLE api_tokens ADD COLUMN mfa_passed INTEGER NOT NULL DEFAULT 1;
ALTER TABLE api_tokens ADD COLUMN last_used_at INTEGER;
