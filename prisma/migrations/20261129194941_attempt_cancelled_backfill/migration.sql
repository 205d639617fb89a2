-- Attempts a learner left while queued were stored as failed (and so not counted against the
-- test's attempts); they are cancelled attempts. A file of its own: a new enum value can be used
-- only after the transaction that added it.
UPDATE "attempts"
SET "status" = 'cancelled', "end_reason" = 'cancelled', "error" = NULL
WHERE "status" = 'failed' AND "error" = 'cancelled by the learner while queued';
