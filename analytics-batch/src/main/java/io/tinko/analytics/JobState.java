package io.tinko.analytics;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;

/** The job's row in analytics_job_state: its watermark and the freshness (asOf) the API reports. */
record JobState(OffsetDateTime watermark, OffsetDateTime asOf) {
  static final String JOB = "rollups";

  static JobState read(Connection c) throws SQLException {
    try (PreparedStatement ps = Jdbc.prepare(c, "SELECT watermark, as_of FROM analytics_job_state WHERE job = ?", JOB);
         ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        return new JobState(null, null);
      }
      return new JobState(rs.getObject(1, OffsetDateTime.class), rs.getObject(2, OffsetDateTime.class));
    }
  }

  /** The facts are gone (unlogged, emptied by crash recovery) while rollups were built from them. */
  static boolean factsLost(Connection c) throws SQLException {
    return Boolean.TRUE.equals(Jdbc.scalar(c, "SELECT NOT EXISTS (SELECT 1 FROM analytics_facts) "
        + "AND EXISTS (SELECT 1 FROM analytics_daily)"));
  }

  /**
   * After a run that brought every rollup up to date (incremental or full): the new watermark, and asOf = the
   * snapshot time of this transaction (now()), so asOf never claims rows committed after what was read.
   */
  static void advance(Connection c, OffsetDateTime watermark, String mode, String summary) throws SQLException {
    Jdbc.update(c, """
        INSERT INTO analytics_job_state (job, watermark, as_of, last_run_at, last_mode, last_summary)
        VALUES (?, ?, now(), now(), ?, ?)
        ON CONFLICT (job) DO UPDATE SET watermark = EXCLUDED.watermark, as_of = EXCLUDED.as_of,
               last_run_at = EXCLUDED.last_run_at, last_mode = EXCLUDED.last_mode,
               last_summary = EXCLUDED.last_summary""", JOB, watermark, mode, summary);
  }

  /** After a range rebuild: only those days were refreshed, so the watermark and asOf stay as they were. */
  static void recordRange(Connection c, String mode, String summary) throws SQLException {
    Jdbc.update(c, """
        INSERT INTO analytics_job_state (job, last_run_at, last_mode, last_summary) VALUES (?, now(), ?, ?)
        ON CONFLICT (job) DO UPDATE SET last_run_at = EXCLUDED.last_run_at, last_mode = EXCLUDED.last_mode,
               last_summary = EXCLUDED.last_summary""", JOB, mode, summary);
  }
}
