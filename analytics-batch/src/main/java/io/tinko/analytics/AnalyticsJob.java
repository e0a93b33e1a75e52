package io.tinko.analytics;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * The analytics batch job: builds the recovery rollups from transactions and attempts, incrementally from a
 * watermark, on one database snapshot per run, in one database transaction (an incremental or full run's shares of
 * the tenants each in their own, {@link Shares}, a full run's swap in one more), one run at a time (advisory lock). Plain blocking JDBC: it runs as
 * its own process (`tinko analytics`), never on an event loop.
 */
public final class AnalyticsJob {
  /** Opens the job's connection (a fresh one per run; the advisory lock lives as long as it). */
  @FunctionalInterface
  public interface Connector {
    Connection open() throws SQLException;
  }

  /** Changed tenant-days a dry run lists one by one; the rest are counted. */
  static final int DRY_RUN_LINES = 50;

  private final Connector connector;
  private final AnalyticsSettings settings;
  private final PrintStream out;
  private final PrintStream err;

  public AnalyticsJob(Connector connector, AnalyticsSettings settings, PrintStream out, PrintStream err) {
    this.connector = connector;
    this.settings = settings;
    this.out = out;
    this.err = err;
  }

  public RunReport run(RunRequest request) {
    long started = System.nanoTime();
    try (Connection c = connector.open()) {
      session(c);
      if (!JobLock.tryAcquire(c)) {
        String message = "another analytics run is in progress (it holds the job lock, Postgres backend pid "
            + JobLock.holder(c) + "); this run did nothing";
        err.println("analytics: refused: " + message);
        return RunReport.failed(Outcome.LOCKED, elapsed(started), message);
      }
      try {
        FullBuild.dropLeftovers(c);
        return locked(c, request, started);
      } finally {
        c.setAutoCommit(true);
        JobLock.release(c);
      }
    } catch (Shares.PartlyDone e) {
      String message = "failed after " + seconds(elapsed(started)) + ": " + e.getMessage();
      err.println("analytics: " + message);
      return RunReport.failed(Outcome.FAILED, elapsed(started), message);
    } catch (SQLException | RuntimeException e) {
      String message = "failed after " + seconds(elapsed(started)) + ", nothing written: " + describe(e);
      err.println("analytics: " + message);
      return RunReport.failed(Outcome.FAILED, elapsed(started), message);
    }
  }

  private RunReport locked(Connection c, RunRequest request, long started) throws SQLException {
    c.setAutoCommit(false);
    c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
    try {
      JobState state = JobState.read(c);
      RunRequest effective = request;
      if (state.watermark() != null && JobState.factsLost(c)) {
        // analytics_facts is unlogged: after a crash or a failover it is empty while the rollups are not, and only
        // a full rebuild can tell what every transaction counted as
        out.println("analytics: analytics_facts is empty but rollups exist (an unlogged table after a crash or a "
            + "failover): rebuilding every day");
        effective = new RunRequest(null, null, true, request.dryRun());
      }
      Mode mode = Mode.resolve(effective, state, settings.lookback());
      out.println("analytics: " + (request.dryRun() ? "dry run, " : "") + mode.describe());
      // a dry run compares the rollups before and after its work, in this transaction, before it rolls back
      if (request.dryRun()) {
        DryRunDiff.before(c);
      }
      boolean inShares = !request.dryRun() && settings.connections() > 1 && mode.kind() != Mode.Kind.RANGE;
      List<UUID[]> shares = inShares ? Shares.split(c, settings.connections()) : List.of();
      Rebuild.Counts n;
      JobState.Read read = null;
      if (shares.size() > 1 && mode.kind() == Mode.Kind.FULL) {
        // built in shares, compared and swapped in a transaction of its own that sees them: what was read is noted
        // before this transaction ends
        FullBuild.Built built = FullBuild.inShares(c, this::shareConnection, shares, out, settings.fullWorkMem());
        n = built.counts();
        read = built.read();
      } else if (shares.size() > 1) {
        // the shares read this transaction's snapshot and commit before it: it moves the watermark last
        String snapshot = (String) Jdbc.scalar(c, "SELECT pg_export_snapshot()");
        n = Shares.patch(this::shareConnection, snapshot, shares, mode, out, settings.fullWorkMem());
      } else {
        n = new Rebuild(c, out, settings.fullWorkMem()).run(mode);
      }
      OffsetDateTime watermark = watermark(mode, state, read != null ? read.newest() : Rebuild.newestChange(c));
      RunReport report = report(request, mode, n, started, watermark);
      if (request.dryRun()) {
        DryRunDiff.print(c, out, DRY_RUN_LINES);
        c.rollback();
      } else {
        if (mode.kind() == Mode.Kind.RANGE) {
          JobState.recordRange(c, mode.id(), report.summary());
        } else {
          JobState.advance(c, watermark, mode.id(), report.summary(), read);
        }
        c.commit();
      }
      out.println("analytics: " + report.summary());
      return report;
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    }
  }

  /** A share's connection, with the job's session settings. */
  private Connection shareConnection() throws SQLException {
    Connection s = connector.open();
    try {
      session(s);
      return s;
    } catch (SQLException e) {
      s.close();
      throw e;
    }
  }

  private static OffsetDateTime watermark(Mode mode, JobState state, OffsetDateTime newest) {
    if (mode.kind() == Mode.Kind.RANGE) {
      return state.watermark();
    }
    if (state.watermark() == null || newest != null && newest.isAfter(state.watermark())) {
      return newest;
    }
    return state.watermark();
  }

  private RunReport report(RunRequest request, Mode mode, Rebuild.Counts n, long started,
                           OffsetDateTime watermark) {
    long ms = elapsed(started);
    boolean changes = n.changed() + n.removed() + n.written() + n.deleted() > 0;
    Outcome outcome = changes ? Outcome.DONE : Outcome.NOTHING_TO_DO;
    String counts = String.format("%,d transactions read, %,d facts changed, %,d removed, %,d tenant-days rebuilt, "
        + "%,d rollup rows written, %,d deleted", n.read(), n.changed(), n.removed(), n.tenantDays(), n.written(),
        n.deleted());
    String head;
    if (request.dryRun()) {
      head = (changes ? "dry run, would change: " : "dry run, nothing would change: ") + counts
          + "; nothing written";
    } else {
      head = (changes ? "done: " : "nothing to do, every rollup was up to date: ") + counts;
    }
    String tail = mode.kind() == Mode.Kind.RANGE ? "" : "; watermark " + watermark;
    String summary = head + " in " + seconds(ms) + " (" + mode.id() + tail + ")";
    return new RunReport(outcome, mode.id(), n.read(), n.attempts(), n.changed(), n.removed(), n.tenantDays(),
        n.dates(), n.written(), n.deleted(), ms, summary);
  }

  /** The job's own session: no table lock waited for long, enough memory for its sorts, a name in pg_stat_activity. */
  private void session(Connection c) throws SQLException {
    c.setAutoCommit(true);
    Jdbc.update(c, "SET application_name = 'tinko-analytics'");
    Jdbc.update(c, "SET lock_timeout = " + settings.lockTimeout().toMillis());
    Jdbc.update(c, "SET work_mem = '" + settings.workMem() + "'");
    // the run's temporary tables (scope, fresh facts) stay in memory up to the same size; set before first use
    Jdbc.update(c, "SET temp_buffers = '" + settings.workMem() + "'");
    Jdbc.explainSlow(c);
  }

  private static long elapsed(long started) {
    return (System.nanoTime() - started) / 1_000_000;
  }

  private static String seconds(long ms) {
    return String.format("%.1f s", ms / 1000.0);
  }

  private static String describe(Throwable e) {
    String msg = e.getMessage();
    String first = msg == null ? e.getClass().getSimpleName() : msg.lines().findFirst().orElse(msg);
    if (!(e instanceof SQLException s) || s.getSQLState() == null) {
      return first;
    }
    String hint = "42P01".equals(s.getSQLState()) ? " (the schema predates analytics: run `tinko migrate`)" : "";
    return first + " [SQLSTATE " + s.getSQLState() + "]" + hint;
  }
}
