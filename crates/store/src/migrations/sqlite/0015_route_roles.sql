-- Each route's role: primary receivers must acknowledge, on the clock, whoever took the tip
-- first; informed receivers are told and mark it as seen; a backup (a partner brought in by
-- escalation) is called while nobody has acknowledged. Routes from before were all primary.
ALTER TABLE tip_routes ADD COLUMN role TEXT NOT NULL DEFAULT 'primary' CHECK (role IN ('primary','informed','backup'));
-- Partners escalation brought in before stood in for an agency, as backups do now.
UPDATE tip_routes SET role = 'backup' WHERE reason LIKE 'escalated: partner of %';
-- The escalation job looks for a waiting primary route of each overdue tip, which may be
-- acknowledged by another agency already: the escalation index holds every open tip on a
-- clock (the queries name its condition, as in 0007).
CREATE INDEX tip_routes_waiting ON tip_routes (tip_id) WHERE state = 'pending' AND role = 'primary';
DROP INDEX tips_escalation_due;
CREATE INDEX tips_escalation_due ON tips (next_escalation_at) WHERE next_escalation_at IS NOT NULL AND status <> 'closed';
