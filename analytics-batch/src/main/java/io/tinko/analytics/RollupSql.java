package io.tinko.analytics;

/**
 * The rollup side of a range run: every rollup row of its tenant-days is recomputed whole from the facts, then
 * written as a difference: rows that vanished are deleted, rows that differ are upserted, equal rows are not touched.
 * (An incremental run patches rows by differences instead: {@link PatchSql}.)
 */
final class RollupSql {
  static final String KEY = "org_id, zone, day, psp, decline_class, decline_code, currency, exponent";
  static final String METRICS = "failed_count, failed_amount_minor, recovered_count, recovered_amount_minor, "
      + "retry_count, retry_amount_minor, customer_link_count, customer_link_amount_minor, card_update_count, "
      + "card_update_amount_minor, psp_retry_count, psp_retry_amount_minor, other_method_count, "
      + "other_method_amount_minor, in_recovery_count, in_recovery_amount_minor, given_up_count, "
      + "given_up_amount_minor, attempts_made, recover_p50_seconds, recover_p90_seconds, recover_seconds";
  /** The metrics that add up (everything but the times to recover), in {@link #METRICS} order. */
  static final String SUMMED = METRICS.substring(0, METRICS.indexOf(", recover_p50_seconds"));

  /** The additive aggregates over facts f, named as the metrics. */
  static final String SUMS = """
      count(*) AS failed_count, sum(f.amount_minor)::bigint AS failed_amount_minor,
      count(*) FILTER (WHERE f.outcome = 'recovered') AS recovered_count,
      coalesce(sum(f.amount_minor) FILTER (WHERE f.outcome = 'recovered'), 0)::bigint AS recovered_amount_minor,
      count(*) FILTER (WHERE f.method = 'retry') AS retry_count,
      coalesce(sum(f.amount_minor) FILTER (WHERE f.method = 'retry'), 0)::bigint AS retry_amount_minor,
      count(*) FILTER (WHERE f.method = 'customer_link') AS customer_link_count,
      coalesce(sum(f.amount_minor) FILTER (WHERE f.method = 'customer_link'), 0)::bigint
        AS customer_link_amount_minor,
      count(*) FILTER (WHERE f.method = 'card_update') AS card_update_count,
      coalesce(sum(f.amount_minor) FILTER (WHERE f.method = 'card_update'), 0)::bigint AS card_update_amount_minor,
      count(*) FILTER (WHERE f.method = 'psp_retry') AS psp_retry_count,
      coalesce(sum(f.amount_minor) FILTER (WHERE f.method = 'psp_retry'), 0)::bigint AS psp_retry_amount_minor,
      count(*) FILTER (WHERE f.method = 'other') AS other_method_count,
      coalesce(sum(f.amount_minor) FILTER (WHERE f.method = 'other'), 0)::bigint AS other_method_amount_minor,
      count(*) FILTER (WHERE f.outcome = 'open') AS in_recovery_count,
      coalesce(sum(f.amount_minor) FILTER (WHERE f.outcome = 'open'), 0)::bigint AS in_recovery_amount_minor,
      count(*) FILTER (WHERE f.outcome = 'given_up') AS given_up_count,
      coalesce(sum(f.amount_minor) FILTER (WHERE f.outcome = 'given_up'), 0)::bigint AS given_up_amount_minor,
      sum(f.attempts)::bigint AS attempts_made""";
  private static final String AGGREGATES = SUMS + ",\n" + """
      percentile_cont(0.5) WITHIN GROUP (ORDER BY f.recover_seconds) AS recover_p50_seconds,
      percentile_cont(0.9) WITHIN GROUP (ORDER BY f.recover_seconds) AS recover_p90_seconds,
      coalesce(array_agg(f.recover_seconds ORDER BY f.recover_seconds) FILTER (WHERE f.recover_seconds IS NOT NULL),
               '{}') AS recover_seconds""";
  private static final String KEY_OF_A = "a.org_id, a.zone, a.day, f.psp, f.decline_class, f.decline_code, "
      + "f.currency, f.exponent";

  /** Whole tenant-days: every fact of the day, grouped (one hash join over the facts). Creates a_target. */
  static final String TARGET_UTC_WHOLE = "CREATE TEMP TABLE a_target ON COMMIT DROP AS\nSELECT " + KEY_OF_A + ",\n"
      + AGGREGATES + "\nFROM a_affected a JOIN analytics_facts f ON f.org_id = a.org_id AND f.day_utc = a.day\n"
      + "WHERE a.zone = 'UTC' AND a.whole\nGROUP BY " + KEY_OF_A;
  static final String TARGET_LOCAL_WHOLE = "INSERT INTO a_target\nSELECT " + KEY_OF_A + ",\n" + AGGREGATES
      + "\nFROM a_affected a JOIN analytics_facts f\n"
      + "  ON f.org_id = a.org_id AND f.day_local = a.day AND f.zone = a.zone\n"
      + "WHERE a.zone <> 'UTC' AND a.whole\nGROUP BY " + KEY_OF_A;
  private static final String NOT_IN_TARGET = """
      NOT EXISTS (SELECT 1 FROM a_target t
                   WHERE t.org_id = d.org_id AND t.zone = d.zone AND t.day = d.day AND t.psp = d.psp
                     AND t.decline_class = d.decline_class AND t.decline_code = d.decline_code
                     AND t.currency = d.currency AND t.exponent = d.exponent)""";
  static final String DELETE_VANISHED_WHOLE = """
      DELETE FROM analytics_daily d USING a_affected a
       WHERE d.org_id = a.org_id AND d.zone = a.zone AND d.day = a.day AND a.whole AND
      """ + NOT_IN_TARGET;
  static final String UPSERT = "INSERT INTO analytics_daily (" + KEY + ", " + METRICS + ")\nSELECT " + KEY + ", "
      + METRICS + " FROM a_target\nON CONFLICT (" + KEY + ") DO UPDATE SET " + FactSql.excluded(METRICS)
      + "\nWHERE (" + FactSql.prefixed("analytics_daily", METRICS) + ") IS DISTINCT FROM ("
      + FactSql.prefixed("EXCLUDED", METRICS) + ")";

  private RollupSql() {}
}
