-- The mock-up reconciler (core/mockups/reconciler.ts) re-queues a queued row
-- whose job vanished once; this counts those re-queues, so the next loss
-- fails the row instead of re-queuing it forever.
ALTER TABLE mockups ADD COLUMN requeues integer NOT NULL DEFAULT 0;

-- Its scan: unfinished rows, oldest first (few, so a partial index stays small).
CREATE INDEX mockups_unfinished ON mockups (created_at) WHERE status IN ('queued', 'running');
