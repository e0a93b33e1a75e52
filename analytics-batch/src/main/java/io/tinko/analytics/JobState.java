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
   * After a run that brought every rollup up to date (incremental or full): the new watermark, asOf = the
   * snapshot time of this transaction (now()), so asOf never claims rows committed after what was read, and the
   * read horizon: the xmin of this transaction's snapshot (REPEATABLE READ: the snapshot every read of the run used,
   * its shares' included), at or before the id of every transaction the run could not see.
   */
  static void advance(Connection c, OffsetDateTime watermark, String mode, String summary) throws SQLException {
    Jdbc.update(c, """
        INSERT INTO analytics_job_state (job, watermark, as_of, last_run_at, last_mode, last_summary, read_horizon)
        VALUES (?, ?, now(), now(), ?, ?, pg_snapshot_xmin(pg_current_snapshot()))
        ON CONFLICT (job) DO UPDATE SET watermark = EXCLUDED.watermark, as_of = EXCLUDED.as_of,
               last_run_at = EXCLUDED.last_run_at, last_mode = EXCLUDED.last_mode,
               last_summary = EXCLUDED.last_summary, read_horizon = EXCLUDED.read_horizon""",
        JOB, watermark, mode, summary);
  }

  /** After a range rebuild: only those days were refreshed, so the watermark and asOf stay as they were. */
  static void recordRange(Connection c, String mode, String summary) throws SQLException {
    Jdbc.update(c, """
        INSERT INTO analytics_job_state (job, last_run_at, last_mode, last_summary) VALUES (?, now(), ?, ?)
        ON CONFLICT (job) DO UPDATE SET last_run_at = EXCLUDED.last_run_at, last_mode = EXCLUDED.last_mode,
               last_summary = EXCLUDED.last_summary""", JOB, mode, summary);
  }
}
