package io.tinko.analytics;

/**
 * analytics_day_totals: the rollup rows of a tenant-day added up per PSP and currency, with the day's times to recover
 * merged into one sorted array. A full or range run recomputes them from analytics_daily (never from the facts),
 * after the daily rows of the run are written, so the two tables cannot disagree; an incremental run patches them by
 * the same differences as the daily rows ({@link PatchSql}).
 */
final class TotalsSql {
  static final String KEY = "org_id, zone, day, psp, currency, exponent";
  static final String METRICS = RollupSql.SUMMED + ", recover_seconds";

  /** Sums of daily rows d, and their arrays merged and sorted (a handful of short arrays per row). */
  static final String AGGREGATES = FactSql.each(RollupSql.SUMMED, "sum(d.%1$s)::bigint AS %1$s", ", ")
      + ", coalesce((SELECT array_agg(s ORDER BY s) FROM unnest(analytics_concat(d.recover_seconds)) s), '{}') "
      + "AS recover_seconds";

  private static final String KEY_OF_D = "d.org_id, d.zone, d.day, d.psp, d.currency, d.exponent";
  private static final String SAME_AS_T = "n.org_id = t.org_id AND n.zone = t.zone AND n.day = t.day AND n.psp = t.psp "
      + "AND n.currency = t.currency AND n.exponent = t.exponent";

  static final String TARGET = "CREATE TEMP TABLE a_totals ON COMMIT DROP AS\nSELECT " + KEY_OF_D + ", " + AGGREGATES
      + "\n  FROM a_affected a JOIN analytics_daily d ON d.org_id = a.org_id AND d.zone = a.zone AND d.day = a.day"
      + "\n WHERE a.whole GROUP BY " + KEY_OF_D;
  static final String DELETE_VANISHED_WHOLE = """
      DELETE FROM analytics_day_totals t USING a_affected a
       WHERE a.whole AND t.org_id = a.org_id AND t.zone = a.zone AND t.day = a.day
         AND NOT EXISTS (SELECT 1 FROM a_totals n WHERE %s)""".formatted(SAME_AS_T);
  static final String UPSERT = "INSERT INTO analytics_day_totals (" + KEY + ", " + METRICS + ")\nSELECT " + KEY
      + ", " + METRICS + " FROM a_totals\nON CONFLICT (" + KEY + ") DO UPDATE SET " + FactSql.excluded(METRICS)
      + "\nWHERE (" + FactSql.prefixed("analytics_day_totals", METRICS) + ") IS DISTINCT FROM ("
      + FactSql.prefixed("EXCLUDED", METRICS) + ")";

  private TotalsSql() {}
}
