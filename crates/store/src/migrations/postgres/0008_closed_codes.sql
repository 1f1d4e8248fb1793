-- Every column that holds a closed set of codes refuses any other value: the store writes only
-- the domain's codes, and the database now says so too. The constraints are NOT VALID: every
-- write from now on is checked, but the rows already there (all written by the store with the
-- domain's codes) are not scanned under the table's lock at start-up, as SQLite's triggers do
-- not scan them either. Sites registered with a kind outside the set (the kind used to be free
-- text) keep working as 'other'.
UPDATE sites SET kind = 'other' WHERE kind NOT IN ('school','campus','house_of_worship','other');
ALTER TABLE sites ADD CONSTRAINT sites_kind_code CHECK (kind IN ('school','campus','house_of_worship','other')) NOT VALID;
ALTER TABLE tips ADD CONSTRAINT tips_category_code CHECK (category IN
    ('planned_attack','weapon','threat','self_harm','bullying','abuse','drugs','trafficking','suspicious_activity','cyber','other')) NOT VALID;
ALTER TABLE tips ADD CONSTRAINT tips_language_code CHECK (language IN ('en','es')) NOT VALID;
ALTER TABLE tips ADD CONSTRAINT tips_original_tier_code CHECK (original_tier IN ('life_safety','urgent','standard','informational')) NOT VALID;
ALTER TABLE tips ADD CONSTRAINT tips_disposition_code CHECK (disposition IS NULL OR disposition IN
    ('action_taken','referred','duplicate','no_action','no_lead_value','unfounded')) NOT VALID;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_code CHECK (kind IN ('new_tip','escalation')) NOT VALID;
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_kind_code CHECK (kind IN ('api','session')) NOT VALID;
