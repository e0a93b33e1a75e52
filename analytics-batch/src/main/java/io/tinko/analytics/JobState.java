package io.tinko.analytics;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;

/**
 * The job's row in analytics_job_state: its watermark, the freshness (asOf) the API reports, and the read horizon of
 * the run that set them (the xmin of its snapshot, as a 64-bit transaction id; null when unknown).
 */
record JobState(OffsetDateTime watermark, OffsetDateTime asOf, Long horizon) {
  static final String JOB = "rollups";

  static JobState read(Connection c) throws SQLException {
    try (PreparedStatement ps = Jdbc.prepare(c, "SELECT watermark, as_of, read_horizon::text::int8 "
        + "FROM analytics_job_state WHERE job = ?", JOB); ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        return new JobState(null, null, null);
      }
      return new JobState(rs.getObject(1, OffsetDateTime.class), rs.getObject(2, OffsetDateTime.class),
          rs.getObject(3, Long.class));
    }
  }

  /** The facts are gone (unlogged, emptied by crash recovery) while rollups were built from them. */
  static boolean factsLost(Connection c) throws SQLException {
    return Boolean.TRUE.equals(Jdbc.scalar(c, "SELECT NOT EXISTS (SELECT 1 FROM analytics_facts) "
        + "AND EXISTS (SELECT 1 FROM analytics_daily)"));
  }

  /**
   * What a run's reads describe: asOf, the start of the transaction whose snapshot they used (now(): no row committed
   * after it was read), the read horizon, the xmin of that snapshot (REPEATABLE READ: the snapshot every read of the
   * run used, its shares' included), at or before the id of every transaction the run could not see, and the newest
   * change it saw.
   */
  record Read(OffsetDateTime asOf, String horizon, OffsetDateTime newest) {
    /** Of the snapshot of {@code c}'s transaction. */
    static Read of(Connection c) throws SQLException {
      try (PreparedStatement ps = c.prepareStatement("SELECT now(), pg_snapshot_xmin(pg_current_snapshot())::text");
           ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new Read(rs.getObject(1, OffsetDateTime.class), rs.getString(2), Rebuild.newestChange(c));
      }
    }
  }

  /**
   * After a run that brought every rollup up to date (incremental or full): the new watermark, and asOf and the read
   * horizon of what it read ({@link Read}): given, or (null) of this transaction's own snapshot.
   */
  static void advance(Connection c, OffsetDateTime watermark, String mode, String summary, Read read)
      throws SQLException {
    Jdbc.update(c, """
        INSERT INTO analytics_job_state (job, watermark, as_of, last_run_at, last_mode, last_summary, read_horizon)
        VALUES (?, ?, coalesce(?::timestamptz, now()), now(), ?, ?,
                coalesce(?::text::xid8, pg_snapshot_xmin(pg_current_snapshot())))
        ON CONFLICT (job) DO UPDATE SET watermark = EXCLUDED.watermark, as_of = EXCLUDED.as_of,
               last_run_at = EXCLUDED.last_run_at, last_mode = EXCLUDED.last_mode,
               last_summary = EXCLUDED.last_summary, read_horizon = EXCLUDED.read_horizon""",
        JOB, watermark, read == null ? null : read.asOf(), mode, summary, read == null ? null : read.horizon());
  }

  /** After a range rebuild: only those days were refreshed, so the watermark and asOf stay as they were. */
  static void recordRange(Connection c, String mode, String summary) throws SQLException {
    Jdbc.update(c, """
        INSERT INTO analytics_job_state (job, last_run_at, last_mode, last_summary) VALUES (?, now(), ?, ?)
        ON CONFLICT (job) DO UPDATE SET last_run_at = EXCLUDED.last_run_at, last_mode = EXCLUDED.last_mode,
               last_summary = EXCLUDED.last_summary""", JOB, mode, summary);
  }
}
