-- Tinko schema, version 15: two fewer index entries per new transaction (issue 4: the transactions insert was the
-- engine's largest statement, 88-110 us of Postgres time an event, with ten index entries for a Stripe row).
--
-- The PSP and decline-class list filters each had their own (org_id, X, created_at DESC, id DESC) index (V3), and
-- status + class a third (V10). Every merchant filter keeps an index that finds its rows:
-- - psp: the unique key (org_id, psp, psp_payment_key) leads with the same two columns. A PSP with many of the
--   tenant's rows finds its first page in the newest-first order of transactions_org_created_idx after a few
--   hundred rows (1 in 4 in the benchmark's data); a PSP with few or none is read from the unique key and sorted.
-- - decline class alone and status + class: one index, class first. Its (org_id, decline_class) prefix serves a
--   rare or absent class the same way; status + class (a pair the engine keeps empty, such as retrying + NEVER)
--   is an ordered range of it, as with V10's index.
-- Which of the two plans is right depends on the value, so the gateway plans psp and declineClass filters per value
-- (TransactionFilter#planPerValue), as it already did for currency and amounts: a cached generic plan would read
-- an absent PSP's tenant newest first to the end.
--
-- Created before the drops: a CREATE INDEX lets reads go on while it builds, a DROP INDEX locks the table until the
-- migration commits. IF NOT EXISTS / IF EXISTS: an operator of a big database may build the new index beforehand
-- with CREATE INDEX CONCURRENTLY (and drop the old ones concurrently after), as for V10.
CREATE INDEX IF NOT EXISTS transactions_org_class_status_idx
    ON transactions (org_id, decline_class, status, created_at DESC, id DESC);
DROP INDEX IF EXISTS transactions_org_status_class_idx;
DROP INDEX IF EXISTS transactions_org_class_idx;
DROP INDEX IF EXISTS transactions_org_psp_idx;
