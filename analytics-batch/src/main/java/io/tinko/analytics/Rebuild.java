package io.tinko.analytics;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The steps of one run, inside the caller's single REPEATABLE READ transaction (one snapshot: the facts, the
 * watermark and asOf all describe the same moment), or, for one share of an incremental run's tenants, inside that
 * share's transaction on the same snapshot ({@link Shares}). Every step is one set-based statement run by Postgres.
 */
final class Rebuild {
  private final Connection c;
  private final PrintStream out;
  private final String fullWorkMem;
  /** The tenants of an incremental run's share ({@link Shares}); null: every tenant. */
  private final UUID[] share;
  private final String label;
  private long mark = System.nanoTime();
  /** A tenant's zone changed since its facts were counted: its every transaction is read again. */
  private boolean zoneChanges;
  /** The dates an incremental run patched. */
  private final Set<LocalDate> dates = new TreeSet<>();

  Rebuild(Connection c, PrintStream out, String fullWorkMem) {
    this(c, out, fullWorkMem, null, "");
  }

  Rebuild(Connection c, PrintStream out, String fullWorkMem, UUID[] share, String label) {
    this.c = c;
    this.out = out;
    this.fullWorkMem = fullWorkMem;
    this.share = share;
    this.label = label;
  }

  /** Counts of one run; the caller turns them into a report. */
  record Counts(long read, long attempts, long changed, long removed, long tenantDays, long dates, long written,
                long deleted) {
    /** Two shares' counts added up (their tenants, and so their tenant-days, are disjoint; their dates are not). */
    Counts plus(Counts o) {
      return new Counts(read + o.read, attempts + o.attempts, changed + o.changed, removed + o.removed,
          tenantDays + o.tenantDays, dates + o.dates, written + o.written, deleted + o.deleted);
    }

    Counts withDates(long n) {
      return new Counts(read, attempts, changed, removed, tenantDays, n, written, deleted);
    }
  }

  Counts run(Mode mode) throws SQLException {
    if (mode.kind() == Mode.Kind.INCREMENTAL) {
      // its scope is a small share of cached tables: at the default 4, its thousands of index lookups look dearer
      // than scanning millions of rows (a full or range run keeps the default and its sequential plans)
      Jdbc.update(c, "SET LOCAL random_page_cost = 1.1");
    }
    zones();
    Exponents.load(c);
    Counts n = switch (mode.kind()) {
      case FULL -> new FullBuild(c, this::line, fullWorkMem).run();
      case INCREMENTAL -> patch(mode);
      case RANGE -> range(mode);
    };
    Jdbc.update(c, FactSql.SAVE_ZONES);
    return n;
  }

  /**
   * A full run's share ({@link FullBuild#inShares}): its tenants' facts, daily rows and per-day totals written into
   * the replacements, nothing else (the job compares, swaps and saves the zones once every share has committed).
   */
  FullBuild.Filled fillShare() throws SQLException {
    zones();
    Exponents.load(c);
    return new FullBuild(c, this::line, fullWorkMem).fill(true);
  }

  /**
   * An incremental run ({@link PatchSql}): the transactions whose row changed since counted, their facts now, and the
   * rollup rows patched by the difference between each changed fact's old and new contribution.
   */
  private Counts patch(Mode mode) throws SQLException {
    // the horizon as the 32-bit id the rows carry (xid8 modulo 2^32)
    String horizon = mode.horizon() == null ? null : Long.toString(mode.horizon() & 0xFFFF_FFFFL);
    long read = Jdbc.update(c, PatchSql.read(zoneChanges, share != null), mode.changedSince(), mode.watermark(),
        horizon, horizon, horizon);
    long changed = read - Jdbc.update(c, PatchSql.SAME);
    long attempts = Jdbc.scalarLong(c, "SELECT coalesce(sum(attempts), 0) FROM a_changed");
    line(String.format("read %,d transactions changed since counted (%,d facts differ, with %,d attempts made)",
        read, changed, attempts));
    // an incremental run reads transactions that exist: only a tenant whose zone changed brings facts of gone ones
    long removed = Jdbc.update(c, zoneChanges ? PatchSql.REMOVED : PatchSql.NONE_REMOVED);
    Jdbc.update(c, PatchSql.DELTA);
    // the row count is what the plans need (nested loops over the rollups' primary keys); a column's statistics
    // (arrays above all) cost more than the statement they would tune
    Jdbc.update(c, "ANALYZE a_delta (org_id)");
    Jdbc.update(c, FactSql.DELETE_REMOVED);
    Jdbc.update(c, PatchSql.FACTS_UPDATE);
    Jdbc.update(c, PatchSql.FACTS_INSERT);
    line(String.format("facts: %,d changed, %,d removed", changed, removed));

    long[] daily = counts(PatchSql.MERGE);
    Jdbc.update(c, PatchSql.TOTALS_DELTA);
    Jdbc.update(c, "ANALYZE a_tdelta (org_id)");
    counts(PatchSql.TOTALS_MERGE);
    long tenantDays;
    try (PreparedStatement ps = c.prepareStatement(PatchSql.COUNTS); ResultSet rs = ps.executeQuery()) {
      rs.next();
      tenantDays = rs.getLong(1);
      java.sql.Array a = rs.getArray(2);
      if (a != null) {
        for (Object d : (Object[]) a.getArray()) {
          dates.add(((java.sql.Date) d).toLocalDate());
        }
      }
    }
    line(String.format("patched %,d tenant-days over %,d dates: %,d rollup rows written, %,d deleted", tenantDays,
        dates.size(), daily[0], daily[1]));
    return new Counts(read, attempts, changed, removed, tenantDays, dates.size(), daily[0], daily[1]);
  }

  /** The dates an incremental run patched (a run in shares reports their union). */
  Set<LocalDate> dates() {
    return dates;
  }

  /** The two counts a statement answers with. */
  private long[] counts(String sql) throws SQLException {
    long t0 = System.nanoTime();
    try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
      rs.next();
      long[] n = {rs.getLong(1), rs.getLong(2)};
      Jdbc.trace(t0, sql, n[0] + n[1]);
      Jdbc.printWarnings(ps);
      return n;
    }
  }

  /** A range run: its transactions read again, and its tenant-days recomputed whole from the facts. */
  private Counts range(Mode mode) throws SQLException {
    Jdbc.update(c, FactSql.CREATE_SCOPE);
    Jdbc.update(c, FactSql.SCOPE_RANGE, mode.first().minusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC),
        mode.last().plusDays(2).atStartOfDay().atOffset(ZoneOffset.UTC), mode.first().minusDays(1),
        mode.last().plusDays(1));
    Jdbc.update(c, "ANALYZE a_scope");
    long read = Jdbc.update(c, FactSql.fresh(mode.kind()));
    Jdbc.update(c, "ANALYZE a_fresh");
    long attempts = Jdbc.scalarLong(c, "SELECT coalesce(sum(attempts), 0) FROM a_fresh");
    line(String.format("read %,d transactions (%,d attempts with an outcome)", read, attempts));

    long changed = Jdbc.update(c, FactSql.changed());
    long removed = Jdbc.update(c, FactSql.removed(mode.kind()));
    Jdbc.update(c, "ANALYZE a_changed");
    Jdbc.update(c, AffectedSql.CREATE_KEYS);
    Jdbc.update(c, AffectedSql.CREATE_DAYS);
    // before the facts are written: the days a changed fact leaves, outside the range too, are recomputed whole
    Jdbc.update(c, AffectedSql.KEYS_OF_CHANGES);
    Jdbc.update(c, AffectedSql.DAYS_OF_KEYS);
    Jdbc.update(c, FactSql.DELETE_REMOVED);
    Jdbc.update(c, FactSql.UPSERT_CHANGED);
    Jdbc.update(c, AffectedSql.DAYS_IN_RANGE, mode.first(), mode.last(), mode.first(), mode.last(), mode.first(),
        mode.last());
    Jdbc.update(c, "ANALYZE a_affected");
    line(String.format("facts: %,d changed, %,d removed", changed, removed));

    Jdbc.update(c, RollupSql.TARGET_UTC_WHOLE);
    Jdbc.update(c, RollupSql.TARGET_LOCAL_WHOLE);
    Jdbc.update(c, "ANALYZE a_target");
    long deleted = Jdbc.update(c, RollupSql.DELETE_VANISHED_WHOLE);
    long written = Jdbc.update(c, RollupSql.UPSERT);
    totals();
    long[] n = new long[2];
    try (PreparedStatement ps = c.prepareStatement(AffectedSql.COUNTS); ResultSet rs = ps.executeQuery()) {
      rs.next();
      n[0] = rs.getLong(1);
      n[1] = rs.getLong(2);
    }
    line(String.format("rebuilt %,d tenant-days over %,d dates: %,d rollup rows written, %,d deleted", n[0], n[1],
        written, deleted));
    return new Counts(read, attempts, changed, removed, n[0], n[1], written, deleted);
  }

  /** The per-day totals of every tenant-day this run rewrote, from the daily rows just written. */
  private void totals() throws SQLException {
    Jdbc.update(c, TotalsSql.TARGET);
    Jdbc.update(c, "ANALYZE a_totals");
    Jdbc.update(c, TotalsSql.DELETE_VANISHED_WHOLE);
    Jdbc.update(c, TotalsSql.UPSERT);
  }

  /** The greatest updated_at in this snapshot: everything up to it has been read. */
  static OffsetDateTime newestChange(Connection c) throws SQLException {
    Object v = Jdbc.scalar(c, "SELECT max(updated_at) FROM transactions");
    return v == null ? null : ((Timestamp) v).toInstant().atOffset(ZoneOffset.UTC);
  }

  private void zones() throws SQLException {
    java.sql.Array tenants = share == null ? null : c.createArrayOf("uuid", share);
    Jdbc.update(c, FactSql.ZONES, tenants, tenants);
    Jdbc.update(c, "ANALYZE a_zones");
    try (PreparedStatement ps = c.prepareStatement(FactSql.UNKNOWN_ZONES); ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.println("analytics: warning: organization " + rs.getString(1) + " has time zone '" + rs.getString(2)
            + "', which Postgres does not know; its days are counted in UTC until it is corrected");
      }
    }
    Jdbc.update(c, FactSql.ZONE_CHANGES);
    zoneChanges = Jdbc.scalarLong(c, "SELECT count(*) FROM a_zone_changes") > 0;
  }

  private void line(String text) {
    long now = System.nanoTime();
    out.printf("analytics: %s%s (%.1f s)%n", label, text, (now - mark) / 1e9);
    mark = now;
  }
}
