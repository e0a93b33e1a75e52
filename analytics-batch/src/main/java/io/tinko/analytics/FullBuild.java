package io.tinko.analytics;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A full run (first build or --full): every table built anew beside the old one, set-based, each source row read
 * once, then compared with the old table and swapped in only when something differs. The facts come from one pass
 * over transactions; the daily rows from one aggregate over the facts (in UTC and in each tenant's zone); the per-day
 * totals from the daily rows. Indexes are built after the rows are in, with the large work_mem the transaction sets
 * for itself. With more than one connection ({@code analytics.connections}) the tables are filled in shares of the
 * tenants, each share on its own connection ({@link #inShares}); on one, in the run's one transaction.
 */
final class FullBuild {
  /**
   * One zone's daily rows from the facts: in UTC (every fact, by day_utc), or in each tenant's own zone (the facts of
   * tenants not in UTC, by day_local). The facts are read through a sort by (tenant, day), which costs a pass when they
   * are already in that order (UTC: they were written so), so the aggregate needs no sort of all ~6.7M fact-zone rows by
   * the whole key, the plan the one statement over both zones had (at 10M: 47.9 s against 52.8 s, one run each).
   * The key's text columns are compared in byte order ("C"), not through the database's C.UTF-8 collation (strcoll,
   * no abbreviated keys); both are deterministic, so they group the same rows. Each group's times to recover are
   * sorted on their own (a handful of values). The rows are asked for in the order that sort gives them (a tenant's
   * zone is one): the facts have no statistics yet when this runs (they are analysed once every share has written),
   * and from the planner's default estimates a hash aggregate looks cheaper; it wrote a tenant's month of rows on
   * 2,400 pages instead of ~100, and with the ORDER BY it sorts the hashed groups again.
   */
  private static String dailyOf(String zone, String day, String where) {
    return "(SELECT f.org_id, " + zone + " COLLATE \"C\" AS zone, f." + day + " AS day, f.psp COLLATE \"C\" AS psp, "
        + "f.decline_class COLLATE \"C\" AS decline_class, f.decline_code COLLATE \"C\" AS decline_code, "
        + "f.currency COLLATE \"C\" AS currency, f.exponent,\n" + RollupSql.SUMS + ",\n"
        + "coalesce((SELECT array_agg(s ORDER BY s) FROM unnest(array_agg(f.recover_seconds) "
        + "FILTER (WHERE f.recover_seconds IS NOT NULL)) s), '{}') AS recover_seconds\n"
        + "FROM (SELECT * FROM analytics_facts_next" + where + " ORDER BY org_id, " + day + ") f\n"
        + "GROUP BY 1, 2, 3, 4, 5, 6, 7, 8\nORDER BY 1, 3, 2, 4, 5, 6, 7, 8)";
  }

  private static String where(String... conditions) {
    List<String> all = Arrays.stream(conditions).filter(Objects::nonNull).toList();
    return all.isEmpty() ? "" : " WHERE " + String.join(" AND ", all);
  }

  /**
   * The daily rows with their times to recover as a sorted array, written straight into the new table, UTC rows then
   * local ones, each in (tenant, day) order, the order the API reads a tenant's consecutive days in. {@code tenants}:
   * a condition on the facts' tenant, or null for all.
   */
  private static String daily(String tenants) {
    return "INSERT INTO analytics_daily_next (" + RollupSql.KEY + ", " + RollupSql.METRICS + ")\nSELECT "
        + RollupSql.KEY + ", " + RollupSql.SUMMED + ", analytics_percentile(recover_seconds, 0.5), "
        + "analytics_percentile(recover_seconds, 0.9), recover_seconds\n  FROM ("
        + dailyOf("'UTC'::text", "day_utc", where(tenants)) + "\nUNION ALL\n"
        + dailyOf("f.zone", "day_local", where("zone <> 'UTC'", tenants)) + ") r";
  }

  private static String totals(String tenants) {
    return "INSERT INTO analytics_day_totals_next (" + TotalsSql.KEY + ", " + TotalsSql.METRICS + ")\nSELECT "
        + "d.org_id, d.zone COLLATE \"C\", d.day, d.psp COLLATE \"C\", d.currency COLLATE \"C\", d.exponent, "
        + TotalsSql.AGGREGATES + "\n  FROM analytics_daily_next d" + where(tenants)
        + " GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3";
  }

  /** The three replacements, created empty beside the tables they replace. */
  record Tables(NextTable facts, NextTable daily, NextTable totals) {
    static Tables create(Connection c) throws SQLException {
      return new Tables(new NextTable(c, "analytics_facts").create(), new NextTable(c, "analytics_daily").create(),
          new NextTable(c, "analytics_day_totals").create());
    }

    /** Through another connection (see {@link NextTable#on}). */
    Tables on(Connection c) {
      return new Tables(facts.on(c), daily.on(c), totals.on(c));
    }

    List<NextTable> all() {
      return List.of(facts, daily, totals);
    }
  }

  /** What filling the replacements wrote: facts (transactions read), their attempts, daily rows, per-day totals. */
  record Filled(long read, long attempts, long dailyRows, long totalRows) {
    Filled plus(Filled o) {
      return new Filled(read + o.read, attempts + o.attempts, dailyRows + o.dailyRows, totalRows + o.totalRows);
    }
  }

  private final Connection c;
  private final Consumer<String> progress;
  private final String workMem;

  FullBuild(Connection c, Consumer<String> progress, String workMem) {
    this.c = c;
    this.progress = progress;
    this.workMem = workMem;
  }

  /** A full run on one connection, in its one transaction. */
  Rebuild.Counts run() throws SQLException {
    Tables tables = Tables.create(c);
    return finish(tables, fill(false));
  }

  /** This transaction's memory for its sorts, hash aggregates and index builds, and no parallel plans. */
  private void settings() throws SQLException {
    Jdbc.update(c, "SET LOCAL work_mem = '" + workMem + "'");
    Jdbc.update(c, "SET LOCAL maintenance_work_mem = '" + workMem + "'");
    // a parallel plan of the facts query hashes every attempt once in each worker (the aggregate is not
    // parallel-aware there): three times the work for nothing on a machine whose cores are busy anyway
    Jdbc.update(c, "SET LOCAL max_parallel_workers_per_gather = 0");
  }

  /**
   * The replacements filled from the source tables: every tenant's rows, or (share) those of the tenants in
   * {@code a_zones}. The facts come from one pass over transactions, the daily rows from one aggregate over the facts,
   * the per-day totals from the daily rows.
   */
  Filled fill(boolean share) throws SQLException {
    settings();
    String tenants = share ? FactSql.SHARE_TENANTS : null;
    // the facts query joins a_zones: a share reads only its tenants' transactions
    long read = Jdbc.update(c, "INSERT INTO analytics_facts_next (" + FactSql.COLUMNS + ")\n"
        + FactSql.freshQuery(Mode.Kind.FULL) + "\n ORDER BY org_id, day_utc");
    long attempts = Jdbc.scalarLong(c, "SELECT coalesce(sum(attempts), 0) FROM analytics_facts_next"
        + where(tenants));
    progress.accept(String.format("read %,d transactions (%,d attempts with an outcome)", read, attempts));
    // the plan the facts' order was written for (see dailyOf), not the hash the missing statistics suggest
    Jdbc.update(c, "SET LOCAL enable_hashagg = off");
    long rows = Jdbc.update(c, daily(tenants));
    Jdbc.update(c, "RESET enable_hashagg");
    long totalRows = Jdbc.update(c, totals(tenants));
    if (share) {
      progress.accept(String.format("%,d daily rollup rows, %,d per-day totals", rows, totalRows));
    }
    return new Filled(read, attempts, rows, totalRows);
  }

  /**
   * The filled replacements compared with the tables, indexed, and swapped in when something differs (dropped
   * otherwise), on this connection: it must see them filled.
   */
  Rebuild.Counts finish(Tables tables, Filled filled) throws SQLException {
    settings();
    NextTable facts = tables.facts();
    long[] factDiff = facts.oldHasRows() ? diff("analytics_facts", "transaction_id", FactSql.COMPARED)
        : new long[] {filled.read(), 0};
    facts.index();
    progress.accept(String.format("facts: %,d changed, %,d removed", factDiff[0], factDiff[1]));

    long[] dailyDiff = tables.daily().oldHasRows() ? diff("analytics_daily", RollupSql.KEY, RollupSql.METRICS)
        : new long[] {filled.dailyRows(), 0};
    long[] totalsDiff = tables.totals().oldHasRows()
        ? diff("analytics_day_totals", TotalsSql.KEY, TotalsSql.METRICS) : new long[] {filled.totalRows(), 0};
    long[] days = tenantDays(tables.totals().name());

    boolean changed = factDiff[0] + factDiff[1] + dailyDiff[0] + dailyDiff[1] + totalsDiff[0] + totalsDiff[1] > 0;
    if (changed) {
      tables.daily().index();
      tables.totals().index();
      for (NextTable t : tables.all()) {
        t.swap();
      }
    } else {
      for (NextTable t : tables.all()) {
        t.discard();
      }
    }
    progress.accept(String.format("rebuilt %,d tenant-days over %,d dates (%,d whole, 0 single rollup keys): %,d "
        + "rollup rows written, %,d deleted%s", days[0], days[1], days[0], dailyDiff[0], dailyDiff[1],
        changed ? "; tables swapped in" : "; nothing differs, tables kept"));
    return new Rebuild.Counts(filled.read(), filled.attempts(), factDiff[0], factDiff[1], days[0], days[1],
        dailyDiff[0], dailyDiff[1]);
  }

  /** A full run built in shares: its counts, and the snapshot its reads and its rollups describe. */
  record Built(Rebuild.Counts counts, JobState.Read read) {}

  /**
   * A full run in shares of the tenants, on as many connections at once. The job's transaction ({@code c}, REPEATABLE
   * READ, nothing written yet) exports its snapshot, notes what it describes and every tenant's zone, and the
   * replacements are created empty and committed on a connection of their own, so the shares can write into them.
   * Each share imports the snapshot, fills the replacements with its tenants' facts, daily rows and per-day totals and
   * commits: none of that is visible to a reader of the rollups, which still read the old tables. Then the job's
   * transaction ends and a new one on the same connection, which sees every share's rows, compares, indexes and swaps
   * them in and records the zones counted. As on one connection, the swap is the run's one visible change, made at
   * that transaction's commit; should a share fail, the replacements are dropped and nothing has changed.
   */
  static Built inShares(Connection c, Shares.Opener opener, List<UUID[]> shares, PrintStream out, String workMem)
      throws SQLException {
    String snapshot = (String) Jdbc.scalar(c, "SELECT pg_export_snapshot()");
    JobState.Read read = JobState.Read.of(c);
    // the zones the shares will count in (they look them up on the same snapshot), saved when the tables are swapped
    Jdbc.update(c, FactSql.ZONES, null, null);
    List<UUID> tenants = new ArrayList<>();
    List<String> zones = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT org_id, zone FROM a_zones");
         ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        tenants.add(rs.getObject(1, UUID.class));
        zones.add(rs.getString(2));
      }
    }
    Tables tables;
    try (Connection setup = opener.open()) {
      setup.setAutoCommit(true);
      tables = Tables.create(setup);
    }
    try {
      Filled filled = null;
      for (Filled f : Shares.run(opener, snapshot, shares,
          (s, share, label) -> new Rebuild(s, out, workMem, share, label).fillShare())) {
        filled = filled == null ? f : filled.plus(f);
      }
      c.rollback();
      Rebuild.Counts counts = new FullBuild(c, line -> out.println("analytics: " + line), workMem)
          .finish(tables.on(c), filled);
      Jdbc.update(c, FactSql.SAVE_GIVEN_ZONES, c.createArrayOf("uuid", tenants.toArray()),
          c.createArrayOf("text", zones.toArray()));
      return new Built(counts, read);
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      dropAll(c, e);
      if (e instanceof Shares.PartlyDone p) {
        // the shares that committed wrote only into the replacements, dropped now: nothing was written
        throw p.getCause() instanceof SQLException q ? q : new SQLException(p.getCause().getMessage(), p.getCause());
      }
      throw e;
    }
  }

  /**
   * Replacements a killed full run in shares left behind (they are committed before they are filled), dropped when
   * the next run starts: it holds the job lock, so no run is filling them.
   */
  static void dropLeftovers(Connection c) throws SQLException {
    Jdbc.update(c, "DROP TABLE IF EXISTS analytics_facts_next, analytics_daily_next, analytics_day_totals_next");
  }

  /** A failed run's replacements dropped (committed: the job's rollback that follows must not bring them back). */
  private static void dropAll(Connection c, Exception failure) {
    try {
      dropLeftovers(c);
      c.commit();
    } catch (SQLException e) {
      failure.addSuppressed(e);
    }
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
