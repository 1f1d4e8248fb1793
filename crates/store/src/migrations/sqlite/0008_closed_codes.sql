-- Every column that holds a closed set of codes refuses any other value: the store writes only
-- the domain's codes, and the database now says so too. SQLite cannot add a CHECK constraint to
-- a table that exists, so triggers refuse the same values on insert and update (rebuilding the
-- tips table and its partial indexes would rewrite every tip). Sites registered with a kind
-- outside the set (the kind used to be free text) keep working as 'other'.
UPDATE sites SET kind = 'other' WHERE kind NOT IN ('school','campus','house_of_worship','other');
CREATE TRIGGER sites_kind_code_insert BEFORE INSERT ON sites
    WHEN NEW.kind NOT IN ('school','campus','house_of_worship','other')
    BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: sites_kind_code'); END;
CREATE TRIGGER sites_kind_code_update BEFORE UPDATE OF kind ON sites
    WHEN NEW.kind NOT IN ('school','campus','house_of_worship','other')
    BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: sites_kind_code'); END;
CREATE TRIGGER tips_codes_insert BEFORE INSERT ON tips
    WHEN NEW.category NOT IN ('planned_attack','weapon','threat','self_harm','bullying','abuse','drugs','trafficking','suspicious_activity','cyber','other')
      OR NEW.language NOT IN ('en','es')
      OR NEW.original_tier NOT IN ('life_safety','urgent','standard','informational')
      OR (NEW.disposition IS NOT NULL AND NEW.disposition NOT IN ('action_taken','referred','duplicate','no_action','no_lead_value','unfounded'))
    BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: tips_codes'); END;
CREATE TRIGGER tips_codes_update BEFORE UPDATE OF category, language, original_tier, disposition ON tips
    WHEN NEW.category NOT IN ('planned_attack','weapon','threat','self_harm','bullying','abuse','drugs','trafficking','suspicious_activity','cyber','other')
      OR NEW.language NOT IN ('en','es')
      OR NEW.original_tier NOT IN ('life_safety','urgent','standard','informational')
      OR (NEW.disposition IS NOT NULL AND NEW.disposition NOT IN ('action_taken','referred','duplicate','no_action','no_lead_value','unfounded'))
    BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: tips_codes'); END;
CREATE TRIGGER notifications_kind_code_insert BEFORE INSERT ON notifications
    WHEN NEW.kind NOT IN ('new_tip','escalation')
    BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: notifications_kind_code'); END;
CREATE TRIGGER notifications_kind_code_update BEFORE UPDATE OF kind ON notifications
    WHEN NEW.kind NOT IN ('new_tip','escalation')
    BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: notifications_kind_code'); END;
CREATE TRIGGER api_tokens_kind_code_insert BEFORE INSERT ON api_tokens
    WHEN NEW.kind NOT IN ('api','session')
    BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: api_tokens_kind_code'); END;
CREATE TRIGGER api_tokens_kind_code_update BEFORE UPDATE OF kind ON api_tokens
    WHEN NEW.kind NOT IN ('api','session')
    BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: api_tokens_kind_code'); END;
