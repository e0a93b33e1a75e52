-- A/B of the order the incremental run's daily MERGE reads its differences in (3310c3c): the same MERGE over
-- 25,000 existing analytics_daily rows (a payment recovered in each: in_recovery -1, recovered +1, one time to
-- recover added), the differences in random order or in the table's key order; CHECKPOINT first, so each page's
-- first change is logged whole as in a real run; rolled back. Run against a database with built rollups (the
-- bench's), alternating orders and seeds, under the exclusive CPU lock:
--   for s in 11 12 13 14; do for o in 'ORDER BY random()' 'ORDER BY org_id, zone, day, psp, decline_class,
--     decline_code, currency, exponent'; do psql -q -v seed=$s -v order="$o" "$PG_URL" -f merge-order-ab.sql; done; done
-- The MERGE is PatchSql.MERGE, copied (the job builds it from its column lists); BenchScriptTest fails when they differ.
\set ON_ERROR_STOP 1
CHECKPOINT;
BEGIN;
CREATE TEMP TABLE s0 AS SELECT org_id, zone, day, psp, decline_class, decline_code, currency, exponent
  FROM analytics_daily TABLESAMPLE SYSTEM (4) REPEATABLE (:seed) ORDER BY random() LIMIT 25000;
CREATE TEMP TABLE a_delta AS SELECT s0.*, 0::bigint AS failed_count, 0::bigint AS failed_amount_minor,
       1::bigint AS recovered_count, 500::bigint AS recovered_amount_minor, 1::bigint AS retry_count,
       500::bigint AS retry_amount_minor, 0::bigint AS customer_link_count, 0::bigint AS customer_link_amount_minor,
       0::bigint AS card_update_count, 0::bigint AS card_update_amount_minor, 0::bigint AS psp_retry_count,
       0::bigint AS psp_retry_amount_minor, 0::bigint AS other_method_count, 0::bigint AS other_method_amount_minor,
       -1::bigint AS in_recovery_count, -500::bigint AS in_recovery_amount_minor, 0::bigint AS given_up_count,
       0::bigint AS given_up_amount_minor, 1::bigint AS attempts_made, ARRAY[86400::bigint] AS added,
       NULL::bigint[] AS removed
  FROM s0 :order;
ANALYZE a_delta (org_id);
\timing on
WITH m AS (
MERGE INTO analytics_daily r USING a_delta x ON r.org_id = x.org_id AND r.zone = x.zone AND r.day = x.day AND r.psp = x.psp AND r.decline_class = x.decline_class AND r.decline_code = x.decline_code AND r.currency = x.currency AND r.exponent = x.exponent
WHEN MATCHED AND r.failed_count + x.failed_count = 0 THEN DELETE
WHEN MATCHED THEN UPDATE SET failed_count = r.failed_count + x.failed_count, failed_amount_minor = r.failed_amount_minor + x.failed_amount_minor, recovered_count = r.recovered_count + x.recovered_count, recovered_amount_minor = r.recovered_amount_minor + x.recovered_amount_minor, retry_count = r.retry_count + x.retry_count, retry_amount_minor = r.retry_amount_minor + x.retry_amount_minor, customer_link_count = r.customer_link_count + x.customer_link_count, customer_link_amount_minor = r.customer_link_amount_minor + x.customer_link_amount_minor, card_update_count = r.card_update_count + x.card_update_count, card_update_amount_minor = r.card_update_amount_minor + x.card_update_amount_minor, psp_retry_count = r.psp_retry_count + x.psp_retry_count, psp_retry_amount_minor = r.psp_retry_amount_minor + x.psp_retry_amount_minor, other_method_count = r.other_method_count + x.other_method_count, other_method_amount_minor = r.other_method_amount_minor + x.other_method_amount_minor, in_recovery_count = r.in_recovery_count + x.in_recovery_count, in_recovery_amount_minor = r.in_recovery_amount_minor + x.in_recovery_amount_minor, given_up_count = r.given_up_count + x.given_up_count, given_up_amount_minor = r.given_up_amount_minor + x.given_up_amount_minor, attempts_made = r.attempts_made + x.attempts_made,
  (recover_p50_seconds, recover_p90_seconds, recover_seconds) = (SELECT analytics_percentile(p.arr, 0.5), analytics_percentile(p.arr, 0.9), p.arr FROM (SELECT CASE WHEN x.added IS NULL AND x.removed IS NULL THEN r.recover_seconds WHEN x.removed IS NULL AND cardinality(r.recover_seconds) = 0 THEN x.added WHEN x.removed IS NULL AND cardinality(x.added) = 1 THEN r.recover_seconds[:width_bucket(x.added[1], r.recover_seconds)] || x.added[1] || r.recover_seconds[width_bucket(x.added[1], r.recover_seconds) + 1:] WHEN x.removed IS NULL THEN (SELECT array_agg(v ORDER BY v) FROM (SELECT unnest(r.recover_seconds) UNION ALL SELECT unnest(x.added)) s(v)) ELSE (SELECT coalesce(array_agg(v ORDER BY v), '{}') FROM ((SELECT unnest(r.recover_seconds) EXCEPT ALL SELECT unnest(x.removed)) UNION ALL SELECT unnest(x.added)) s(v)) END AS arr OFFSET 0) p)
WHEN NOT MATCHED AND x.failed_count <> 0 THEN INSERT (org_id, zone, day, psp, decline_class, decline_code, currency, exponent, failed_count, failed_amount_minor, recovered_count, recovered_amount_minor, retry_count, retry_amount_minor, customer_link_count, customer_link_amount_minor, card_update_count, card_update_amount_minor, psp_retry_count, psp_retry_amount_minor, other_method_count, other_method_amount_minor, in_recovery_count, in_recovery_amount_minor, given_up_count, given_up_amount_minor, attempts_made, recover_p50_seconds, recover_p90_seconds, recover_seconds)
  VALUES (x.org_id, x.zone, x.day, x.psp, x.decline_class, x.decline_code, x.currency, x.exponent, x.failed_count, x.failed_amount_minor, x.recovered_count, x.recovered_amount_minor, x.retry_count, x.retry_amount_minor, x.customer_link_count, x.customer_link_amount_minor, x.card_update_count, x.card_update_amount_minor, x.psp_retry_count, x.psp_retry_amount_minor, x.other_method_count, x.other_method_amount_minor, x.in_recovery_count, x.in_recovery_amount_minor, x.given_up_count, x.given_up_amount_minor, x.attempts_made, analytics_percentile(coalesce(x.added, '{}'), 0.5), analytics_percentile(coalesce(x.added, '{}'), 0.9), coalesce(x.added, '{}'))
RETURNING merge_action() AS action)
SELECT count(*) FILTER (WHERE action <> 'DELETE'), count(*) FILTER (WHERE action = 'DELETE') FROM m
;
\timing off
ROLLBACK;
