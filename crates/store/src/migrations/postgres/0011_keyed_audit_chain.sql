-- The keyed audit chain starts here: events after the ones already written are hashed with
-- HMAC-SHA-256 under a key kept outside the database; those before keep verifying as plain
-- SHA-256. The start is also recorded in the first signed checkpoint, outside the database.
ALTER TABLE audit_head ADD COLUMN keyed_from BIGINT;
UPDATE audit_head SET keyed_from = seq + 1;
