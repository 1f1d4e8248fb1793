-- The last TOTP time step each user signed in with: a code at or before it is a replay,
-- refused even from another session within the code's ~90 s of validity.
ALTER TABLE users ADD COLUMN totp_last_step INTEGER;
