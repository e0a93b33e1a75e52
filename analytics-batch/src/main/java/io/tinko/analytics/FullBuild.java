package io.tinko.analytics;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.Consumer;

/**
 * A full run (first build or --full): every table built anew beside the old one, set-based, each source row read
 * once, then compared with the old table and swapped in only when something differs. The facts come from one pass
 * over transactions and attempts; the daily rows from one hash aggregate over the facts (in UTC and in each tenant's
 * zone); the per-day totals from the daily rows. Indexes are built after the rows are in, with the large work_mem
 * this transaction sets for itself.
 */
final class FullBuild {
  /**
   * One zone's daily rows from the facts: in UTC (every fact, by day_utc), or in each tenant's own zone (the facts of
   * tenants not in UTC, by day_local). The facts are read through a sort by (tenant, day), which costs a pass when they
   * are already in that order (UTC: they were written so), so the aggregate needs no sort of all ~6.7M fact-zone rows by
   * the whole key, the plan the one statement over both zones had (at 10M: 47.9 s against 52.8 s, one run each).
   * The key's text columns are compared in byte order ("C"), not through the database's C.UTF-8 collation (strcoll,
   * no abbreviated keys); both are deterministic, so they group the same rows. Each group's times to recover are
   * sorted on their own (a handful of values).
   */
  private static String dailyOf(String zone, String day, String where) {
    return "SELECT f.org_id, " + zone + " COLLATE \"C\" AS zone, f." + day + " AS day, f.psp COLLATE \"C\" AS psp, "
        + "f.decline_class COLLATE \"C\" AS decline_class, f.decline_code COLLATE \"C\" AS decline_code, "
        + "f.currency COLLATE \"C\" AS currency, f.exponent,\n" + RollupSql.SUMS + ",\n"
        + "coalesce((SELECT array_agg(s ORDER BY s) FROM unnest(array_agg(f.recover_seconds) "
        + "FILTER (WHERE f.recover_seconds IS NOT NULL)) s), '{}') AS recover_seconds\n"
        + "FROM (SELECT * FROM analytics_facts_next" + where + " ORDER BY org_id, " + day + ") f\n"
        + "GROUP BY 1, 2, 3, 4, 5, 6, 7, 8";
  }

  /**
   * The daily rows with their times to recover as a sorted array, written straight into the new table, UTC rows then
   * local ones, each in (tenant, day) order, the order the API reads a tenant's consecutive days in.
   */
  private static final String DAILY = "INSERT INTO analytics_daily_next (" + RollupSql.KEY + ", " + RollupSql.METRICS
      + ")\nSELECT " + RollupSql.KEY + ", " + RollupSql.SUMMED + ", analytics_percentile(recover_seconds, 0.5), "
      + "analytics_percentile(recover_seconds, 0.9), recover_seconds\n  FROM (" + dailyOf("'UTC'::text", "day_utc", "")
      + "\nUNION ALL\n" + dailyOf("f.zone", "day_local", " WHERE zone <> 'UTC'") + ") r";
  private static final String TOTALS = "INSERT INTO analytics_day_totals_next (" + TotalsSql.KEY + ", "
      + TotalsSql.METRICS + ")\nSELECT d.org_id, d.zone COLLATE \"C\", d.day, d.psp COLLATE \"C\", "
      + "d.currency COLLATE \"C\", d.exponent, " + TotalsSql.AGGREGATES
      + "\n  FROM analytics_daily_next d GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3";

  private final Connection c;
  private final Consumer<String> progress;
  private final String workMem;

  FullBuild(Connection c, Consumer<String> progress, String workMem) {
    this.c = c;
    this.progress = progress;
    this.workMem = workMem;
  }

  Rebuild.Counts run() throws SQLException {
    Jdbc.update(c, "SET LOCAL work_mem = '" + workMem + "'");
    Jdbc.update(c, "SET LOCAL maintenance_work_mem = '" + workMem + "'");
    // a parallel plan of the facts query hashes every attempt once in each worker (the aggregate is not
    // parallel-aware there): three times the work for nothing on a machine whose cores are busy anyway
    Jdbc.update(c, "SET LOCAL max_parallel_workers_per_gather = 0");
    NextTable facts = new NextTable(c, "analytics_facts").create();
    long read = Jdbc.update(c, "INSERT INTO " + facts.name() + " (" + FactSql.COLUMNS + ")\n"
        + FactSql.freshQuery(Mode.Kind.FULL) + "\n ORDER BY org_id, day_utc");
    long attempts = Jdbc.scalarLong(c, "SELECT coalesce(sum(attempts), 0) FROM " + facts.name());
    progress.accept(String.format("read %,d transactions (%,d attempts with an outcome)", read, attempts));

    long[] factDiff = facts.oldHasRows() ? diff("analytics_facts", "transaction_id", FactSql.COMPARED)
        : new long[] {read, 0};
    facts.index();
    progress.accept(String.format("facts: %,d changed, %,d removed", factDiff[0], factDiff[1]));

    NextTable daily = new NextTable(c, "analytics_daily").create();
    long rows = Jdbc.update(c, DAILY);
    long[] dailyDiff = daily.oldHasRows() ? diff("analytics_daily", RollupSql.KEY, RollupSql.METRICS)
        : new long[] {rows, 0};
    NextTable totals = new NextTable(c, "analytics_day_totals").create();
    long totalRows = Jdbc.update(c, TOTALS);
    long[] totalsDiff = totals.oldHasRows() ? diff("analytics_day_totals", TotalsSql.KEY, TotalsSql.METRICS)
        : new long[] {totalRows, 0};
    long[] days = tenantDays(totals.name());

    boolean changed = factDiff[0] + factDiff[1] + dailyDiff[0] + dailyDiff[1] + totalsDiff[0] + totalsDiff[1] > 0;
    if (changed) {
      daily.index();
      totals.index();
      for (NextTable t : new NextTable[] {facts, daily, totals}) {
        t.swap();
      }
    } else {
      for (NextTable t : new NextTable[] {facts, daily, totals}) {
        t.discard();
      }
    }
    progress.accept(String.format("rebuilt %,d tenant-days over %,d dates (%,d whole, 0 single rollup keys): %,d "
        + "rollup rows written, %,d deleted%s", days[0], days[1], days[0], dailyDiff[0], dailyDiff[1],
        changed ? "; tables swapped in" : "; nothing differs, tables kept"));
    return new Rebuild.Counts(read, attempts, factDiff[0], factDiff[1], days[0], days[1], dailyDiff[0],
        dailyDiff[1]);
  }

  /** {rows of the new table that are new or differ, rows of the old table that are gone}. */
  private long[] diff(String table, String key, String compared) throws SQLException {
    String first = key.split(",\\s*")[0];
    String on = FactSql.each(key, "o.%1$s = n.%1$s", " AND ");
    String sql = "SELECT count(*) FILTER (WHERE n." + first + " IS NOT NULL AND (o." + first + " IS NULL OR ("
        + FactSql.prefixed("o", compared) + ") IS DISTINCT FROM (" + FactSql.prefixed("n", compared) + "))), "
        + "count(*) FILTER (WHERE n." + first + " IS NULL)\n  FROM " + table + "_next n FULL JOIN " + table
        + " o ON " + on;
    try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
      rs.next();
      return new long[] {rs.getLong(1), rs.getLong(2)};
    }
  }

  /**
   * {tenant-days, dates} the new rollups cover, from the per-day totals (the same tenant-days as the daily rows, an
   * eighth of the rows), hashed (a count(DISTINCT (row)) sorted 1.4M daily rows by record comparison: ~5 s).
   */
  private long[] tenantDays(String totals) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT count(*), count(DISTINCT day) FROM (SELECT DISTINCT "
        + "org_id, zone, day FROM " + totals + ") d");
         ResultSet rs = ps.executeQuery()) {
      rs.next();
      return new long[] {rs.getLong(1), rs.getLong(2)};
    }
  }
}
