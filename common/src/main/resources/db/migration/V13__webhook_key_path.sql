-- Tinko schema, version 13: the de-duplication key row each stored webhook adds made cheaper (issue 3: 12,000
-- webhooks/s on two cores). Every webhook inserts one row into webhook_event_keys beside its webhook_events row, in
-- the same statement (GroupCommitter), with ON CONFLICT DO NOTHING on the primary key (endpoint_id, event_id).
--
-- The key columns compare bytewise (COLLATE "C"): the primary key is only ever used for equality (the unique
-- check, ON CONFLICT's probe), and for a deterministic collation equality is byte equality either way, so which
-- keys are duplicates does not change; but each of the ~20 comparisons of a b-tree descent (two per row: the
-- pre-check and the insert) went through the database's libc collation (strcoll), about 3 % of Postgres's CPU
-- per webhook in a profile of the ingest load. This rewrites the table and its primary key once.
ALTER TABLE webhook_event_keys
    ALTER COLUMN endpoint_id TYPE text COLLATE "C",
    ALTER COLUMN event_id TYPE text COLLATE "C";

-- webhook_event_keys_received_idx served only the retention purge of keys (PartitionMaintainer), a monthly job;
-- the purge now walks the table by block ranges instead (a TID range scan, no index). One index entry (and its
-- WAL) fewer per webhook.
DROP INDEX webhook_event_keys_received_idx;
