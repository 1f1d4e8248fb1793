-- New information from the tipster: when it last came and nobody who works the tip has read it
-- yet (a badge on the queue and the tip); and notifications of a closed tip opened again by it.
ALTER TABLE tips ADD COLUMN tipster_news_at INTEGER;
DROP TRIGGER notifications_kind_code_insert;
DROP TRIGGER notifications_kind_code_update;
CREATE TRIGGER notifications_kind_code_insert BEFORE INSERT ON notifications
    WHEN NEW.kind NOT IN ('new_tip','escalation','new_information')
    BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: notifications_kind_code'); END;
CREATE TRIGGER notifications_kind_code_update BEFORE UPDATE OF kind ON notifications
    WHEN NEW.kind NOT IN ('new_tip','escalation','new_information')
    BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: notifications_kind_code'); END;
