-- Failed sign-ins are counted per account and client (a keyed hash of the client's address,
-- never the address): a stranger's wrong passwords pause sign-in from their client only, and
-- lock neither the account nor its API tokens.
ALTER TABLE login_failures ADD COLUMN client TEXT NOT NULL DEFAULT '';
CREATE INDEX login_failures_user_client ON login_failures (user_id, client, at);
