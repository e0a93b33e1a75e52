package io.tinko.analytics;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * What a {@code --dry-run} would change, tenant-day by tenant-day: the run's transaction reads the rollups before it
 * starts work and again once it is done (it is rolled back afterwards), and the two are compared per tenant, zone, day
 * and currency on the figures a merchant reads first (failed and recovered, counts and amounts). Both sides are read
 * whole, so a tenant-day whose rows the run would delete is listed too. Read in the run's own transaction, not from a
 * second connection: a full rebuild swaps the rollup tables under an exclusive lock that such a reader would wait
 * for until the run ended.
 */
final class DryRunDiff {
  static final String TOTALS = """
      SELECT t.org_id, max(o.name) AS org_name, t.zone, t.day, t.currency, max(t.exponent) AS exponent,
             sum(t.failed_count)::bigint, sum(t.failed_amount_minor)::bigint,
             sum(t.recovered_count)::bigint, sum(t.recovered_amount_minor)::bigint
        FROM analytics_day_totals t LEFT JOIN organizations o ON o.id = t.org_id
       GROUP BY t.org_id, t.zone, t.day, t.currency""";

  record Key(UUID org, String zone, LocalDate day, String currency) implements Comparable<Key> {
    @Override
    public int compareTo(Key o) {
      int c = org.compareTo(o.org);
      c = c != 0 ? c : zone.compareTo(o.zone);
      c = c != 0 ? c : day.compareTo(o.day);
      return c != 0 ? c : currency.compareTo(o.currency);
    }
  }

  record Figures(String orgName, int exponent, long failed, long failedMinor, long recovered, long recoveredMinor) {
    static final Figures NONE = new Figures(null, 0, 0, 0, 0, 0);

    boolean sameCounts(Figures o) {
      return failed == o.failed && failedMinor == o.failedMinor && recovered == o.recovered
          && recoveredMinor == o.recoveredMinor;
    }
  }

  private DryRunDiff() {
  }

  /**
   * Prints at most {@code limit} changed tenant-day lines and how many more there are.
   *
   * @param before what {@link #read} gave in the run's transaction before the run's work
   * @param run    the dry run's connection, after its work and before its rollback
   * @return the number of changed tenant-day × currency entries
   */
  static int print(TreeMap<Key, Figures> before, Connection run, PrintStream out, int limit) throws SQLException {
    TreeMap<Key, Figures> after = read(run);
    List<String> lines = new ArrayList<>();
    int changed = 0;
    TreeSet<Key> keys = new TreeSet<>(after.keySet());
    keys.addAll(before.keySet());
    for (Key k : keys) {
      Figures a = after.getOrDefault(k, Figures.NONE);
      Figures b = before.getOrDefault(k, Figures.NONE);
      if (a.sameCounts(b)) {
        continue;
      }
      changed++;
      if (lines.size() < limit) {
        lines.add(line(k, b, a));
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

  static String line(Key k, Figures before, Figures after) {
    String name = Objects.requireNonNullElse(after.orgName() != null ? after.orgName() : before.orgName(), "?");
    int exponent = after.orgName() != null ? after.exponent() : before.exponent();
    return String.format("%s (%s) %s %s %s: failed %d -> %d (%s -> %s), recovered %d -> %d (%s -> %s)",
        name, k.org(), k.zone(), k.day(), k.currency(), before.failed(), after.failed(),
        money(before.failedMinor(), exponent), money(after.failedMinor(), exponent), before.recovered(),
        after.recovered(), money(before.recoveredMinor(), exponent), money(after.recoveredMinor(), exponent));
  }

  /** Minor units in the currency's major unit, exactly: 12345 with exponent 3 is 12.345. */
  static String money(long minor, int exponent) {
    return BigDecimal.valueOf(minor, exponent).toPlainString();
  }

  static TreeMap<Key, Figures> read(Connection c) throws SQLException {
    TreeMap<Key, Figures> m = new TreeMap<>();
    try (PreparedStatement ps = c.prepareStatement(TOTALS); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        m.put(new Key(rs.getObject(1, UUID.class), rs.getString(3), rs.getObject(4, LocalDate.class),
                rs.getString(5)),
            new Figures(rs.getString(2), rs.getInt(6), rs.getLong(7), rs.getLong(8), rs.getLong(9),
                rs.getLong(10)));
      }
    }
    return m;
  }
}
