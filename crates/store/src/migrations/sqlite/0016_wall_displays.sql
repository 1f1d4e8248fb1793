-- Wall displays: a long-lived device session of an agency's queue, read-only, created by a
-- supervisor and revocable; whether it shows the start of each narrative is set when it is made.
ALTER TABLE api_tokens ADD COLUMN shows_narratives INTEGER NOT NULL DEFAULT 0;
DROP TRIGGER api_tokens_kind_code_insert;
DROP TRIGGER api_tokens_kind_code_update;
CREATE TRIGGER api_tokens_kind_code_insert BEFORE INSERT ON api_tokens
    WHEN NEW.kind NOT IN ('api','session','display')
    BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: api_tokens_kind_code'); END;
CREATE TRIGGER api_tokens_kind_code_update BEFORE UPDATE OF kind ON api_tokens
    WHEN NEW.kind NOT IN ('api','session','display')
    BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: api_tokens_kind_code'); END;
