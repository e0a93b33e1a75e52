package io.tinko.analytics;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a {@code --dry-run} would change, tenant-day by tenant-day: the run's transaction keeps the rollup totals as
 * they were before its work in a temporary table, compares them with the totals its work left, and lists each tenant,
 * zone, day, currency and exponent whose failed or recovered figures (counts and amounts) differ — a tenant-day whose
 * rows the run would delete included. The comparison is one statement in Postgres, so only the listed lines reach
 * the job. Both sides are read in the run's own transaction, not from a second connection: a full rebuild swaps the
 * rollup tables under an exclusive lock that such a reader would wait for until the run ended. The transaction is
 * rolled back afterwards, the temporary table with it.
 */
final class DryRunDiff {
  /** Figures per tenant, zone, day, currency and exponent (amounts of different exponents are never added up). */
  static final String TOTALS = """
      SELECT t.org_id, max(o.name) AS org_name, t.zone, t.day, t.currency, t.exponent,
             sum(t.failed_count)::bigint AS failed, sum(t.failed_amount_minor)::bigint AS failed_minor,
             sum(t.recovered_count)::bigint AS recovered, sum(t.recovered_amount_minor)::bigint AS recovered_minor
        FROM analytics_day_totals t LEFT JOIN organizations o ON o.id = t.org_id
       GROUP BY t.org_id, t.zone, t.day, t.currency, t.exponent""";

  static final String BEFORE = "CREATE TEMP TABLE analytics_dry_run_before ON COMMIT DROP AS " + TOTALS;

  static final String CHANGED = """
      WITH after AS (%s)
      SELECT coalesce(a.org_id, b.org_id), coalesce(a.org_name, b.org_name, '?'), coalesce(a.zone, b.zone),
             coalesce(a.day, b.day), coalesce(a.currency, b.currency), coalesce(a.exponent, b.exponent),
             coalesce(b.failed, 0), coalesce(a.failed, 0), coalesce(b.failed_minor, 0), coalesce(a.failed_minor, 0),
             coalesce(b.recovered, 0), coalesce(a.recovered, 0),
             coalesce(b.recovered_minor, 0), coalesce(a.recovered_minor, 0),
             count(*) OVER ()
        FROM after a
        FULL JOIN analytics_dry_run_before b
          ON b.org_id = a.org_id AND b.zone = a.zone AND b.day = a.day AND b.currency = a.currency
         AND b.exponent = a.exponent
       WHERE (coalesce(b.failed, 0), coalesce(b.failed_minor, 0), coalesce(b.recovered, 0),
              coalesce(b.recovered_minor, 0))
             IS DISTINCT FROM
             (coalesce(a.failed, 0), coalesce(a.failed_minor, 0), coalesce(a.recovered, 0),
              coalesce(a.recovered_minor, 0))
       ORDER BY 2, 1, 3, 4, 5, 6
       LIMIT ?""".formatted(TOTALS);

  private DryRunDiff() {
  }

  /** In the run's transaction, before its work: keeps the totals as they are. */
  static void before(Connection run) throws SQLException {
    Jdbc.update(run, BEFORE);
  }

  /**
   * After the run's work, before its rollback: prints at most {@code limit} changed lines and how many more there are.
   *
   * @return the number of changed tenant-day figures (tenant, zone, day, currency, exponent)
   */
  static int print(Connection run, PrintStream out, int limit) throws SQLException {
    List<String> lines = new ArrayList<>();
    int changed = 0;
    try (PreparedStatement ps = run.prepareStatement(CHANGED)) {
      ps.setInt(1, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          changed = (int) rs.getLong(15);
          int exponent = rs.getInt(6);
          lines.add(String.format("%s (%s) %s %s %s: failed %d -> %d (%s -> %s), recovered %d -> %d (%s -> %s)",
              rs.getString(2), rs.getString(1), rs.getString(3), rs.getString(4), rs.getString(5),
              rs.getLong(7), rs.getLong(8), money(rs.getLong(9), exponent), money(rs.getLong(10), exponent),
              rs.getLong(11), rs.getLong(12), money(rs.getLong(13), exponent), money(rs.getLong(14), exponent)));
        }
      }
    }
    if (changed == 0) {
      out.println("analytics: dry run: no tenant-day's failed or recovered figures would change");
      return 0;
    }
    out.println("analytics: dry run: " + changed + " tenant-day figure" + (changed == 1 ? "" : "s")
        + " would change (tenant, zone, day, currency: before -> after):");
    lines.forEach(l -> out.println("  " + l));
    if (changed > lines.size()) {
      out.println("  ... and " + (changed - lines.size()) + " more");
    }
    return changed;
  }

  /** Minor units in the currency's major unit, exactly: 12345 with exponent 3 is 12.345. */
  static String money(long minor, int exponent) {
    return BigDecimal.valueOf(minor, exponent).toPlainString();
  }
}
