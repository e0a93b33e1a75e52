-- Tinko schema, version 11: incremental analytics runs patch the rollups by differences.
--
-- An incremental run used to recompute every rollup row its changed facts touched, reading those rows' facts again
-- through two (tenant, day, key) indexes. It now subtracts each changed transaction's old fact and adds its new one
-- (counts, amounts, and the times to recover taken out of and put into the rows' sorted arrays), so it never reads
-- other facts: the two indexes only cost time in every fact write and a full rebuild. A range rebuild reads its
-- tenant-days' facts in one hash join instead.
DROP INDEX analytics_facts_utc_idx;
DROP INDEX analytics_facts_local_idx;

-- The version (xmin) of the transactions row a fact was counted from. The look-back re-reads the last minutes of
-- changes every run; a transaction whose row is still the version counted is skipped before its attempts are read.
-- Null (facts counted before this column) never matches: such a fact is read again.
ALTER TABLE analytics_facts ADD COLUMN source_xmin xid;
