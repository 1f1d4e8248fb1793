-- Wall displays: a long-lived device session of an agency's queue, read-only, created by a
-- supervisor and revocable; whether it shows the start of each narrative is set when it is made.
ALTER TABLE api_tokens ADD COLUMN shows_narratives BIGINT NOT NULL DEFAULT 0;
ALTER TABLE api_tokens DROP CONSTRAINT api_tokens_kind_code;
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_kind_code CHECK (kind IN ('api','session','display')) NOT VALID;
