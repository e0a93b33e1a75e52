package io.tinko.analytics;

/**
 * The rollup side of a run: every affected tenant-day is recomputed whole from the facts (percentiles cannot be
 * patched by deltas), then written as a difference: rows that vanished are deleted, rows that differ are upserted,
 * equal rows are not touched.
 */
final class RollupSql {
  static final String KEY = "org_id, zone, day, psp, decline_class, decline_code, currency, exponent";
  static final String METRICS = "failed_count, failed_amount_minor, recovered_count, recovered_amount_minor, "
      + "retry_count, retry_amount_minor, customer_link_count, customer_link_amount_minor, card_update_count, "
      + "card_update_amount_minor, psp_retry_count, psp_retry_amount_minor, other_method_count, "
      + "other_method_amount_minor, in_recovery_count, in_recovery_amount_minor, given_up_count, "
      + "given_up_amount_minor, attempts_made, recover_p50_seconds, recover_p90_seconds";

  private static final String AGGREGATES = """
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
      sum(f.attempts)::bigint AS attempts_made,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY f.recover_seconds) AS recover_p50_seconds,
      percentile_cont(0.9) WITHIN GROUP (ORDER BY f.recover_seconds) AS recover_p90_seconds""";
  private static final String GROUP = "GROUP BY a.org_id, a.zone, a.day, f.psp, f.decline_class, f.decline_code, "
      + "f.currency, f.exponent";
  private static final String SELECT = "SELECT a.org_id, a.zone, a.day, f.psp, f.decline_class, f.decline_code, "
      + "f.currency, f.exponent,\n" + AGGREGATES + "\n";

  static final String TARGET_UTC = "CREATE TEMP TABLE a_target ON COMMIT DROP AS\n" + SELECT
      + "FROM a_affected a JOIN analytics_facts f ON f.org_id = a.org_id AND f.day_utc = a.day\n"
      + "WHERE a.zone = 'UTC'\n" + GROUP;
  static final String TARGET_LOCAL = "INSERT INTO a_target\n" + SELECT
      + "FROM a_affected a JOIN analytics_facts f ON f.org_id = a.org_id AND f.day_local = a.day AND f.zone = a.zone\n"
      + "WHERE a.zone <> 'UTC'\n" + GROUP;

  static final String DELETE_VANISHED = """
      DELETE FROM analytics_daily d USING a_affected a
       WHERE d.org_id = a.org_id AND d.zone = a.zone AND d.day = a.day
         AND NOT EXISTS (SELECT 1 FROM a_target t
                          WHERE t.org_id = d.org_id AND t.zone = d.zone AND t.day = d.day AND t.psp = d.psp
                            AND t.decline_class = d.decline_class AND t.decline_code = d.decline_code
                            AND t.currency = d.currency AND t.exponent = d.exponent)""";
  static final String UPSERT = "INSERT INTO analytics_daily (" + KEY + ", " + METRICS + ")\nSELECT " + KEY + ", "
      + METRICS + " FROM a_target\nON CONFLICT (" + KEY + ") DO UPDATE SET " + FactSql.excluded(METRICS)
      + "\nWHERE (" + FactSql.prefixed("analytics_daily", METRICS) + ") IS DISTINCT FROM ("
      + FactSql.prefixed("EXCLUDED", METRICS) + ")";

  static final String AFFECTED_COUNTS = "SELECT count(*), count(DISTINCT day) FROM a_affected";

  private RollupSql() {}
}
