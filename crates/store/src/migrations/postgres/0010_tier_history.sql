-- What the second-review rule needs of a tip's history. peak_tier: the most urgent tier the
-- tip was ever at (tips from before take the more urgent of their tier and triage's; overrides
-- in between are in the audit trail). tier_request_*: a lowering from urgent or life safety that
-- waits for a second person. duplicate_of: the tip a tip closed as a duplicate duplicates.
ALTER TABLE tips ADD COLUMN peak_tier TEXT;
UPDATE tips SET peak_tier = CASE
    WHEN 'life_safety' IN (tier, original_tier) THEN 'life_safety'
    WHEN 'urgent' IN (tier, original_tier) THEN 'urgent'
    WHEN 'standard' IN (tier, original_tier) THEN 'standard'
    ELSE 'informational' END;
ALTER TABLE tips ADD COLUMN tier_request TEXT;
ALTER TABLE tips ADD COLUMN tier_request_reason TEXT;
ALTER TABLE tips ADD COLUMN tier_request_by BIGINT;
ALTER TABLE tips ADD COLUMN tier_request_at BIGINT;
ALTER TABLE tips ADD COLUMN duplicate_of BIGINT REFERENCES tips(id);
CREATE INDEX tips_duplicate_of ON tips (duplicate_of) WHERE duplicate_of IS NOT NULL;
ALTER TABLE tips ADD CONSTRAINT tips_peak_tier_code CHECK (peak_tier IN ('life_safety','urgent','standard','informational'));
ALTER TABLE tips ADD CONSTRAINT tips_tier_request_code CHECK (tier_request IN ('life_safety','urgent','standard','informational'));
