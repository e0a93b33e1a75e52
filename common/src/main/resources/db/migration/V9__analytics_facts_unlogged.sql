-- Tinko schema, version 9: the analytics job's facts without WAL.
--
-- analytics_facts is the job's own bookkeeping (what each transaction counted as), derived from transactions and
-- attempts and read only by the job. Unlogged, a full rebuild writes its 3 million rows and three indexes without a
-- gigabyte of WAL. Crash recovery (or a failover to a replica) leaves it empty; the job then finds rollups without
-- facts and rebuilds every day before anything else (AnalyticsJob), so the rollups never rest on missing facts.
ALTER TABLE analytics_facts SET UNLOGGED;
