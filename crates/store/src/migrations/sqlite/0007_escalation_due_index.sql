-- Tips on a clock with a next escalation, in deadline order: the escalation pass and the
-- scheduler's wake-up read the earliest here and stop. Before, the planner took the status
-- from the queue index and looked at every open tip on each pass (about 10 ms a pass at
-- 100,000 open tips, several passes a second under load). The statuses are the store's
-- `AWAITING`, written the same way: SQLite uses a partial index only for a query that names
-- its condition, and the escalation queries name this index (`INDEXED BY`), so a difference
-- fails every escalation test rather than going back to a scan.
DROP INDEX tips_next_escalation;
CREATE INDEX tips_escalation_due ON tips (next_escalation_at)
    WHERE next_escalation_at IS NOT NULL AND status IN ('received','triaged','routed','awaiting_review');
