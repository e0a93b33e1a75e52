-- Tinko schema, version 8: analytics the API can answer from in a few pages.
--
-- The analytics API's summary and timeseries used to add up analytics_daily's ~90 rows per tenant-day and sort every
-- recovered payment of the range (analytics_facts) for the time-to-recover percentiles. They now read one row per
-- tenant x zone x day x PSP x currency: the same sums, and the day's times to recover as a sorted array, so a range's
-- median and p90 are percentile_cont over the union of a few hundred short arrays: exact, not a sketch.

-- Every recovered payment's time to recover (whole seconds), ascending: what recover_p50/p90_seconds are computed
-- from, and what the per-day totals below merge. Empty when none recovered.
ALTER TABLE analytics_daily ADD COLUMN recover_seconds bigint[] NOT NULL DEFAULT '{}';
-- Incremental runs rewrite rows in place; room on each page keeps those updates HOT and a tenant's days together.
ALTER TABLE analytics_daily SET (fillfactor = 80);

-- An incremental run recomputes single rollup rows: their facts are found by the whole key, not by reading every fact
-- of the tenant-day (the (org_id, day) prefix still serves whole-day reads). Facts are rewritten in place when a
-- payment's outcome changes; room on the page keeps those updates HOT (no index entries to add).
DROP INDEX analytics_facts_utc_idx;
DROP INDEX analytics_facts_local_idx;
CREATE INDEX analytics_facts_utc_idx ON analytics_facts (org_id, day_utc, psp, decline_class, decline_code, currency,
                                                         exponent);
CREATE INDEX analytics_facts_local_idx ON analytics_facts (org_id, day_local, psp, decline_class, decline_code,
                                                           currency, exponent);
ALTER TABLE analytics_facts SET (fillfactor = 90);

CREATE TABLE analytics_day_totals (
    org_id                       uuid NOT NULL,
    zone                         text NOT NULL,
    day                          date NOT NULL,
    psp                          text NOT NULL,
    currency                     text NOT NULL,
    exponent                     smallint NOT NULL,
    failed_count                 bigint NOT NULL,
    failed_amount_minor          bigint NOT NULL,
    recovered_count              bigint NOT NULL,
    recovered_amount_minor       bigint NOT NULL,
    retry_count                  bigint NOT NULL,
    retry_amount_minor           bigint NOT NULL,
    customer_link_count          bigint NOT NULL,
    customer_link_amount_minor   bigint NOT NULL,
    card_update_count            bigint NOT NULL,
    card_update_amount_minor     bigint NOT NULL,
    psp_retry_count              bigint NOT NULL,
    psp_retry_amount_minor       bigint NOT NULL,
    other_method_count           bigint NOT NULL,
    other_method_amount_minor    bigint NOT NULL,
    in_recovery_count            bigint NOT NULL,
    in_recovery_amount_minor     bigint NOT NULL,
    given_up_count               bigint NOT NULL,
    given_up_amount_minor        bigint NOT NULL,
    attempts_made                bigint NOT NULL,
    recover_seconds              bigint[] NOT NULL,   -- ascending, every recovered payment of the row
    PRIMARY KEY (org_id, zone, day, psp, currency, exponent),
    CHECK (failed_count > 0)
) WITH (fillfactor = 80);

-- percentile_cont(fraction) of an ascending array, computed exactly as Postgres computes percentile_cont (float8
-- interpolation between the two neighbouring values), so a rollup row holds the same median as before; null for an
-- empty array. Not STRICT, so the planner inlines it (a STRICT one is called row by row, 100x slower).
CREATE FUNCTION analytics_percentile(sorted bigint[], fraction double precision) RETURNS double precision
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN cardinality(sorted) > 0 THEN
        sorted[1 + floor(fraction * (cardinality(sorted) - 1))::int]::float8
        + ((fraction * (cardinality(sorted) - 1)) - floor(fraction * (cardinality(sorted) - 1)))
          * (sorted[1 + ceil(fraction * (cardinality(sorted) - 1))::int]::float8
             - sorted[1 + floor(fraction * (cardinality(sorted) - 1))::int]::float8)
    END;

-- Concatenates arrays (the daily rows' times to recover into a day's total; sorted afterwards).
CREATE AGGREGATE analytics_concat(bigint[]) (SFUNC = array_cat, STYPE = bigint[], INITCOND = '{}');

-- Existing rollups have no arrays and no totals: the next `tinko analytics` run is a full rebuild, and until it has
-- run the API says so (asOf null) instead of showing empty totals as if they were fresh.
UPDATE analytics_job_state SET watermark = NULL, as_of = NULL;
