package io.tinko.analytics;

import java.util.List;

/**
 * An incremental run, by differences: the transactions whose row changed since they were counted, what they count
 * as now, and each changed fact's old contribution taken out of its rollup rows and its new one put in. No other
 * fact is read: a rollup row's counts and amounts are patched by sums, its sorted times to recover by taking the old
 * values out (multiset difference) and putting the new ones in. Exactly what recomputing the row from its facts gives,
 * as long as the rollups were built from the facts (every run keeps them so, in the same transaction).
 */
final class PatchSql {
  /** Old fact columns, as o_*, in {@link FactSql#COMPARED} order. */
  private static final String OLD = "f.org_id AS o_org_id, f.zone AS o_zone, f.day_utc AS o_day_utc, "
      + "f.day_local AS o_day_local, f.psp AS o_psp, f.decline_class AS o_decline_class, "
      + "f.decline_code AS o_decline_code, f.currency AS o_currency, f.exponent AS o_exponent, "
      + "f.amount_minor AS o_amount_minor, f.outcome AS o_outcome, f.method AS o_method, f.attempts AS o_attempts, "
      + "f.recover_seconds AS o_recover_seconds";
  private static final String TX = """
      SELECT t.id, t.org_id, t.psp, t.decline_class, t.decline_code, t.amount_minor, t.currency, t.status,
             t.recovered_by, t.failed_at, t.recovered_at, t.created_at, z.zone,
             coalesce(t.amount_exponent, x.exponent) AS exp, t.xmin AS source_xmin, %s
        FROM transactions t
        JOIN a_zones z ON z.org_id = t.org_id
        LEFT JOIN a_exponents x ON x.psp = t.psp AND x.currency = upper(t.currency::text)
        LEFT JOIN analytics_facts f ON f.transaction_id = t.id""".formatted(OLD);

  /**
   * The transactions changed since (watermark - look-back) ($1) whose row is not the version counted (or whose
   * tenant's zone changed), with what they were counted as; and, only when a tenant's zone changed, every other
   * transaction of such a tenant ($2 = $1).
   */
  static String tx(boolean zoneChanges) {
    String sql = "CREATE TEMP TABLE a_tx ON COMMIT DROP AS\n" + TX + "\n WHERE t.updated_at > ? AND "
        + "(f.transaction_id IS NULL OR f.source_xmin IS DISTINCT FROM t.xmin OR f.zone <> z.zone)";
    if (zoneChanges) {
      sql += "\nUNION ALL\n" + TX + "\n WHERE t.org_id IN (SELECT org_id FROM a_zone_changes) "
          + "AND (t.updated_at > ?) IS NOT TRUE";
    }
    return sql;
  }

  /**
   * What each transaction read counts as now (its attempts made counted through the attempts' transaction index, in
   * the partitions from its creation on), kept when it differs from what it was counted as.
   */
  static final String CHANGED = "CREATE TEMP TABLE a_changed ON COMMIT DROP AS\nWITH tx AS (SELECT * FROM a_tx), "
      + "n AS (\n" + FactSql.FRESH_SELECT.stripTrailing() + ",\n"
      + OLD.replaceAll("f\\.(\\w+) AS o_", "tx.o_$1 AS o_") + """

        FROM tx LEFT JOIN LATERAL (
          SELECT count(*) AS n FROM recovery_attempts a
           WHERE a.transaction_id = tx.id AND a.created_at >= tx.created_at - interval '1 day'
             AND a.status IN ('succeeded', 'declined', 'error')) att ON true)
      SELECT * FROM n WHERE o_org_id IS NULL OR (""" + FactSql.prefixed("n", oldNames()) + ") IS DISTINCT FROM ("
      + FactSql.prefixed("n", FactSql.COMPARED) + ")";

  /** Counted before, but gone (only a tenant whose zone changed has its every fact checked). */
  static final String REMOVED = """
      CREATE TEMP TABLE a_removed ON COMMIT DROP AS
      SELECT f.* FROM analytics_facts f JOIN a_zone_changes z ON z.org_id = f.org_id
       WHERE NOT EXISTS (SELECT 1 FROM transactions t WHERE t.id = f.transaction_id)""";
  static final String NONE_REMOVED = "CREATE TEMP TABLE a_removed ON COMMIT DROP AS SELECT * FROM analytics_facts "
      + "WITH NO DATA";

  /** Each metric that adds up, with the facts it counts (count and amount pairs, then attempts). */
  private static final List<String[]> ADDITIVE = List.of(
      new String[] {"failed", "true"},
      new String[] {"recovered", "c.outcome = 'recovered'"},
      new String[] {"retry", "c.method = 'retry'"},
      new String[] {"customer_link", "c.method = 'customer_link'"},
      new String[] {"card_update", "c.method = 'card_update'"},
      new String[] {"psp_retry", "c.method = 'psp_retry'"},
      new String[] {"other_method", "c.method = 'other'"},
      new String[] {"in_recovery", "c.outcome = 'open'"},
      new String[] {"given_up", "c.outcome = 'given_up'"});

  private static String deltaSums() {
    StringBuilder b = new StringBuilder();
    for (String[] m : ADDITIVE) {
      b.append("coalesce(sum(c.sign) FILTER (WHERE ").append(m[1]).append("), 0)::bigint AS ").append(m[0])
          .append("_count,\n  coalesce(sum(c.sign * c.amount_minor) FILTER (WHERE ").append(m[1])
          .append("), 0)::bigint AS ").append(m[0]).append("_amount_minor,\n  ");
    }
    return b + "coalesce(sum(c.sign * c.attempts), 0)::bigint AS attempts_made";
  }

  private static String allZero(String alias) {
    StringBuilder b = new StringBuilder();
    for (String col : RollupSql.SUMMED.split(",\\s*")) {
      b.append(b.isEmpty() ? "" : " AND ").append(alias).append('.').append(col).append(" = 0");
    }
    return b.toString();
  }

  private static String plus(String current, String delta, String columns) {
    StringBuilder b = new StringBuilder();
    for (String col : columns.split(",\\s*")) {
      b.append(b.isEmpty() ? "" : ", ").append("coalesce(").append(current).append('.').append(col).append(", 0) + ")
          .append(delta).append('.').append(col).append(" AS ").append(col);
    }
    return b.toString();
  }

  private static String oldNames() {
    StringBuilder b = new StringBuilder();
    for (String col : FactSql.COMPARED.split(",\\s*")) {
      b.append(b.isEmpty() ? "" : ", ").append("o_").append(col);
    }
    return b.toString();
  }

  /**
   * Per rollup key (UTC, and the tenant's zone when not UTC): the new facts' contributions minus the old ones', and
   * the times to recover that leave (removed) and join (added). Keys whose difference is nothing are dropped.
   */
  static final String DELTA = """
      CREATE TEMP TABLE a_delta ON COMMIT DROP AS
      WITH c AS (
        SELECT 1 AS sign, org_id, zone, day_utc, day_local, psp, decline_class, decline_code, currency, exponent,
               amount_minor, outcome, method, attempts, recover_seconds FROM a_changed
        UNION ALL
        SELECT -1, %s FROM a_changed WHERE o_org_id IS NOT NULL
        UNION ALL
        SELECT -1, %s FROM a_removed),
      d AS (
        SELECT c.org_id, z.zone, z.day, c.psp, c.decline_class, c.decline_code, c.currency, c.exponent,
        %s,
        array_agg(c.recover_seconds ORDER BY c.recover_seconds)
          FILTER (WHERE c.sign > 0 AND c.recover_seconds IS NOT NULL) AS added,
        array_agg(c.recover_seconds ORDER BY c.recover_seconds)
          FILTER (WHERE c.sign < 0 AND c.recover_seconds IS NOT NULL) AS removed
        FROM c CROSS JOIN LATERAL (SELECT 'UTC'::text AS zone, c.day_utc AS day
                                   UNION ALL SELECT c.zone, c.day_local WHERE c.zone <> 'UTC') z
       GROUP BY c.org_id, z.zone, z.day, c.psp, c.decline_class, c.decline_code, c.currency, c.exponent)
      SELECT * FROM d WHERE NOT (%s AND d.added IS NOT DISTINCT FROM d.removed)""".formatted(
      oldNames(), FactSql.COMPARED, deltaSums(), allZero("d"));

  /** The times to recover of row {@code cur} with {@code x.removed} taken out and {@code x.added} put in. */
  private static String patched(String cur) {
    return "CASE WHEN x.added IS NULL AND x.removed IS NULL THEN coalesce(" + cur + ".recover_seconds, '{}') ELSE "
        + "(SELECT coalesce(array_agg(v ORDER BY v), '{}') FROM ((SELECT unnest(" + cur + ".recover_seconds) "
        + "EXCEPT ALL SELECT unnest(x.removed)) UNION ALL SELECT unnest(x.added)) s(v)) END";
  }

  private static final String DAILY_ON = "d.org_id = x.org_id AND d.zone = x.zone AND d.day = x.day AND d.psp = x.psp "
      + "AND d.decline_class = x.decline_class AND d.decline_code = x.decline_code AND d.currency = x.currency "
      + "AND d.exponent = x.exponent";

  /** The daily rows after the patch (failed_count 0: the row goes), and whether the row exists now. */
  static final String TARGET = "CREATE TEMP TABLE a_target ON COMMIT DROP AS\nSELECT "
      + FactSql.prefixed("x", RollupSql.KEY) + ", " + plus("d", "x", RollupSql.SUMMED)
      + ",\n  analytics_percentile(p.arr, 0.5) AS recover_p50_seconds, analytics_percentile(p.arr, 0.9) "
      + "AS recover_p90_seconds, p.arr AS recover_seconds, d.org_id IS NOT NULL AS present\n"
      + "  FROM a_delta x LEFT JOIN analytics_daily d ON " + DAILY_ON + "\n  CROSS JOIN LATERAL (SELECT "
      + patched("d") + " AS arr) p";

  private static String merge(String table, String key, String metrics) {
    StringBuilder on = new StringBuilder();
    for (String col : key.split(",\\s*")) {
      on.append(on.isEmpty() ? "" : " AND ").append("r.").append(col).append(" = t.").append(col);
    }
    StringBuilder set = new StringBuilder();
    for (String col : metrics.split(",\\s*")) {
      set.append(set.isEmpty() ? "" : ", ").append(col).append(" = t.").append(col);
    }
    return "MERGE INTO " + table + " r USING %s t ON " + on + "\nWHEN MATCHED AND t.failed_count = 0 THEN DELETE\n"
        + "WHEN MATCHED THEN UPDATE SET " + set + "\nWHEN NOT MATCHED AND t.failed_count <> 0 THEN INSERT (" + key
        + ", " + metrics + ") VALUES (" + FactSql.prefixed("t", key + ", " + metrics) + ")";
  }

  /** Rows whose last fact left are deleted, others updated or inserted (a negative count fails the CHECK). */
  static final String MERGE = merge("analytics_daily", RollupSql.KEY, RollupSql.METRICS).formatted("a_target");

  /** The per-day totals' differences: the daily differences added up per (tenant, zone, day, PSP, currency). */
  static final String TOTALS_DELTA;

  static {
    StringBuilder sums = new StringBuilder();
    for (String col : RollupSql.SUMMED.split(",\\s*")) {
      sums.append("sum(x.").append(col).append(")::bigint AS ").append(col).append(", ");
    }
    TOTALS_DELTA = "CREATE TEMP TABLE a_tdelta ON COMMIT DROP AS\nSELECT x.org_id, x.zone, x.day, x.psp, x.currency, "
        + "x.exponent, " + sums + "\n  nullif(analytics_concat(x.added), '{}') AS added, "
        + "nullif(analytics_concat(x.removed), '{}') AS removed\n  FROM a_delta x "
        + "GROUP BY x.org_id, x.zone, x.day, x.psp, x.currency, x.exponent";
  }

  static final String TOTALS_TARGET = "CREATE TEMP TABLE a_ttarget ON COMMIT DROP AS\nSELECT "
      + FactSql.prefixed("x", TotalsSql.KEY) + ", " + plus("d", "x", RollupSql.SUMMED) + ",\n  p.arr AS "
      + "recover_seconds\n  FROM a_tdelta x LEFT JOIN analytics_day_totals d ON d.org_id = x.org_id AND d.zone = "
      + "x.zone AND d.day = x.day AND d.psp = x.psp AND d.currency = x.currency AND d.exponent = x.exponent\n"
      + "  CROSS JOIN LATERAL (SELECT " + patched("d") + " AS arr) p\n WHERE NOT (" + allZero("x")
      + " AND x.added IS NULL AND x.removed IS NULL)";
  static final String TOTALS_MERGE = merge("analytics_day_totals", TotalsSql.KEY, TotalsSql.METRICS)
      .formatted("a_ttarget");

  /** {tenant-days, dates, rollup rows written, rollup rows deleted}. */
  static final String COUNTS = """
      SELECT (SELECT count(DISTINCT (org_id, zone, day)) FROM a_delta), (SELECT count(DISTINCT day) FROM a_delta),
             (SELECT count(*) FROM a_target WHERE failed_count <> 0),
             (SELECT count(*) FROM a_target WHERE failed_count = 0 AND present)""";

  private PatchSql() {}
}
