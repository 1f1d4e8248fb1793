-- Console notices live with the session, not in the URL (where a one-time password would land
-- in the browser's history and any text could pose as a system notice); a new account's first
-- password is one the user must replace at first sign-in.
ALTER TABLE api_tokens ADD COLUMN notice TEXT;
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
