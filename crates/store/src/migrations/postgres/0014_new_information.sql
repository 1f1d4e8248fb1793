-- New information from the tipster: when it last came and nobody who works the tip has read it
-- yet (a badge on the queue and the tip); and notifications of a closed tip opened again by it.
ALTER TABLE tips ADD COLUMN tipster_news_at BIGINT;
ALTER TABLE notifications DROP CONSTRAINT notifications_kind_code;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_code CHECK (kind IN ('new_tip','escalation','new_information')) NOT VALID;
