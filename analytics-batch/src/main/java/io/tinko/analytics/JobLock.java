package io.tinko.analytics;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * One job at a time, across hosts: a session-level Postgres advisory lock on the job's own connection. It is never
 * waited for (a second run is refused at once) and Postgres drops it when the session ends, so a killed job never
 * leaves it behind. It locks no table: the gateway and the engine never notice it.
 */
public final class JobLock {
  /** "tinkoAN" in ASCII: a key no other part of Tinko uses. */
  public static final long KEY = 0x74696e6b6f414eL;

  private JobLock() {}

  public static boolean tryAcquire(Connection c) throws SQLException {
    return Boolean.TRUE.equals(Jdbc.scalar(c, "SELECT pg_try_advisory_lock(?)", KEY));
  }

  public static void release(Connection c) throws SQLException {
    Jdbc.scalar(c, "SELECT pg_advisory_unlock(?)", KEY);
  }

  /** The pid of the backend holding the lock, or 0: named in the refusal so an operator can find that run. */
  static long holder(Connection c) throws SQLException {
    return Jdbc.scalarLong(c, """
        SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted
           AND ((classid::bigint << 32) | objid::bigint) = ? LIMIT 1""", KEY);
  }
}
