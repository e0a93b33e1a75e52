package io.tinko.analytics;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * The steps of one run, inside the caller's single REPEATABLE READ transaction (one snapshot: the facts, the
 * watermark and asOf all describe the same moment). Every step is one set-based statement run by Postgres.
 */
final class Rebuild {
  private final Connection c;
  private final PrintStream out;
  private final String fullWorkMem;
  private long mark = System.nanoTime();
  /** An incremental run: small temporary tables, looked up by key. */
  private boolean few;
  /** A tenant's zone changed since its facts were counted: its every transaction is read again. */
  private boolean zoneChanges;

  Rebuild(Connection c, PrintStream out, String fullWorkMem) {
    this.c = c;
    this.out = out;
    this.fullWorkMem = fullWorkMem;
  }

  /** Counts of one run; the caller turns them into a report. */
  record Counts(long read, long attempts, long changed, long removed, long tenantDays, long dates, long written,
                long deleted) {
  }

  Counts run(Mode mode) throws SQLException {
    few = mode.kind() == Mode.Kind.INCREMENTAL;
    if (mode.kind() == Mode.Kind.INCREMENTAL) {
      // its scope is a small share of cached tables: at the default 4, its thousands of index lookups look dearer
      // than scanning millions of rows (a full or range run keeps the default and its sequential plans)
      Jdbc.update(c, "SET LOCAL random_page_cost = 1.1");
    }
    zones();
    Exponents.load(c);
    if (mode.kind() == Mode.Kind.FULL) {
      Counts n = new FullBuild(c, this::line, fullWorkMem).run();
      Jdbc.update(c, FactSql.SAVE_ZONES);
      return n;
    }
    long read;
    if (few) {
      read = readChanged(mode);
    } else {
      scope(mode);
      read = Jdbc.update(c, FactSql.fresh(mode.kind()));
    }
    analyze("a_fresh");
    long attempts = Jdbc.scalarLong(c, "SELECT coalesce(sum(attempts), 0) FROM a_fresh");
    line(String.format("read %,d transactions (%,d attempts with an outcome)", read, attempts));

    long changed = Jdbc.update(c, FactSql.changed(few));
    // an incremental run reads transactions that exist: only a tenant whose zone changed brings facts of gone ones
    long removed = few && !zoneChanges ? Jdbc.update(c, FactSql.NONE_REMOVED)
        : Jdbc.update(c, FactSql.removed(mode.kind()));
    analyze("a_changed");
    Jdbc.update(c, AffectedSql.CREATE_KEYS);
    Jdbc.update(c, AffectedSql.CREATE_DAYS);
    if (mode.kind() != Mode.Kind.FULL) {
      // a full run recomputes every day whole: single keys would only repeat them
      Jdbc.update(c, AffectedSql.KEYS_OF_CHANGES);
      Jdbc.update(c, AffectedSql.DAYS_OF_KEYS);
    }
    Jdbc.update(c, FactSql.DELETE_REMOVED);
    Jdbc.update(c, FactSql.UPSERT_CHANGED);
    if (mode.kind() != Mode.Kind.INCREMENTAL) {
      Jdbc.update(c, AffectedSql.DAYS_IN_RANGE, mode.first(), mode.last(), mode.first(), mode.last(), mode.first(),
          mode.last());
    }
    Jdbc.update(c, "ANALYZE a_keys");
    Jdbc.update(c, "ANALYZE a_affected");
    line(String.format("facts: %,d changed, %,d removed", changed, removed));

    Jdbc.update(c, RollupSql.TARGET_UTC_WHOLE);
    Jdbc.update(c, RollupSql.TARGET_LOCAL_WHOLE);
    Jdbc.update(c, RollupSql.TARGET_UTC_KEYS);
    Jdbc.update(c, RollupSql.TARGET_LOCAL_KEYS);
    analyze("a_target");
    long deleted = Jdbc.update(c, RollupSql.DELETE_VANISHED_WHOLE) + Jdbc.update(c, RollupSql.DELETE_VANISHED_KEYS);
    long written = Jdbc.update(c, RollupSql.UPSERT);
    totals();
    Jdbc.update(c, FactSql.SAVE_ZONES);
    long[] n = affectedCounts();
    line(String.format("rebuilt %,d tenant-days over %,d dates (%,d whole, %,d single rollup keys): %,d rollup rows "
        + "written, %,d deleted", n[0], n[1], n[3], n[2], written, deleted));
    return new Counts(read, attempts, changed, removed, n[0], n[1], written, deleted);
  }

  /** The per-day totals of every tenant-day and key this run rewrote, from the daily rows just written. */
  private void totals() throws SQLException {
    Jdbc.update(c, TotalsSql.CREATE_KEYS);
    Jdbc.update(c, "ANALYZE a_tkeys");
    Jdbc.update(c, TotalsSql.TARGET);
    analyze("a_totals");
    Jdbc.update(c, TotalsSql.DELETE_VANISHED_WHOLE);
    Jdbc.update(c, TotalsSql.DELETE_VANISHED_KEYS);
    Jdbc.update(c, TotalsSql.UPSERT);
  }

  /**
   * Statistics of a temporary table for the plans that read it; skipped in incremental runs, whose plans are key
   * look-ups whatever the statistics say (the tables that later joins and deletes depend on are always analysed).
   */
  private void analyze(String table) throws SQLException {
    if (!few) {
      Jdbc.update(c, "ANALYZE " + table);
    }
  }

  /** The greatest updated_at in this snapshot: everything up to it has been read. */
  OffsetDateTime newestChange() throws SQLException {
    Object v = Jdbc.scalar(c, "SELECT max(updated_at) FROM transactions");
    return v == null ? null : ((Timestamp) v).toInstant().atOffset(ZoneOffset.UTC);
  }

  private void zones() throws SQLException {
    Jdbc.update(c, FactSql.ZONES);
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

  /**
   * An incremental run's read (set-based: {@link ChangedSql}): the changed transactions, their attempts, their facts
   * now. Returns the number of transactions read.
   */
  private long readChanged(Mode mode) throws SQLException {
    if (zoneChanges) {
      Jdbc.update(c, ChangedSql.tx(true), mode.changedSince(), mode.changedSince());
    } else {
      Jdbc.update(c, ChangedSql.tx(false), mode.changedSince());
    }
    if (zoneChanges) {
      // only then can a counted transaction be missing from what was read (see removed())
      Jdbc.update(c, FactSql.CREATE_SCOPE);
      Jdbc.update(c, ChangedSql.SCOPE);
      Jdbc.update(c, ChangedSql.SCOPE_ZONE_CHANGED_FACTS);
      Jdbc.update(c, "ANALYZE a_scope");
    }
    Object oldest = Jdbc.scalar(c, ChangedSql.OLDEST_ATTEMPT);
    Jdbc.update(c, ChangedSql.ATTEMPTS, oldest);
    return Jdbc.update(c, ChangedSql.FRESH);
  }

  /** The transactions to read, by id (a full run reads them all and needs none). */
  private void scope(Mode mode) throws SQLException {
    switch (mode.kind()) {
      case RANGE -> {
        Jdbc.update(c, FactSql.CREATE_SCOPE);
        Jdbc.update(c, FactSql.SCOPE_RANGE, mode.first().minusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC),
            mode.last().plusDays(2).atStartOfDay().atOffset(ZoneOffset.UTC), mode.first().minusDays(1),
            mode.last().plusDays(1));
      }
      case FULL -> {
        return;
      }
      default -> throw new IllegalStateException(mode.kind().name());
    }
    Jdbc.update(c, "ANALYZE a_scope");
  }

  /** {tenant-days, dates, single keys outside whole days, whole tenant-days}. */
  private long[] affectedCounts() throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(AffectedSql.COUNTS); ResultSet rs = ps.executeQuery()) {
      rs.next();
      long whole = Jdbc.scalarLong(c, "SELECT count(*) FROM a_affected WHERE whole");
      return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), whole};
    }
  }

  private void line(String text) {
    long now = System.nanoTime();
    out.printf("analytics: %s (%.1f s)%n", text, (now - mark) / 1e9);
    mark = now;
  }
}
