package io.tinko.analytics;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The few JDBC shapes the job uses: a statement with positional arguments, its update count, or one scalar. */
final class Jdbc {
  /** TINKO_ANALYTICS_TRACE=1: every statement's time on stderr (where a run spends its time, for profiling). */
  private static final boolean TRACE = "1".equals(System.getenv("TINKO_ANALYTICS_TRACE"));

  private Jdbc() {}

  /** With the trace on, the plan of every statement slower than TINKO_ANALYTICS_EXPLAIN_MS (auto_explain). */
  static void explainSlow(Connection c) throws SQLException {
    String ms = System.getenv("TINKO_ANALYTICS_EXPLAIN_MS");
    if (TRACE && ms != null) {
      update(c, "LOAD 'auto_explain'");
      update(c, "SET auto_explain.log_min_duration = " + Integer.parseInt(ms));
      update(c, "SET auto_explain.log_analyze = on");
      update(c, "SET auto_explain.log_buffers = on");
      update(c, "SET auto_explain.log_level = notice");
    }
  }

  static int update(Connection c, String sql, Object... args) throws SQLException {
    long t0 = System.nanoTime();
    try (PreparedStatement ps = prepare(c, sql, args)) {
      int n = ps.executeUpdate();
      trace(t0, sql, n);
      printWarnings(ps);
      return n;
    }
  }

  /** With the trace on, the statement's notices (auto_explain's plans among them). */
  static void printWarnings(PreparedStatement ps) throws SQLException {
    for (java.sql.SQLWarning w = TRACE ? ps.getWarnings() : null; w != null; w = w.getNextWarning()) {
      System.err.println(w.getMessage());
    }
  }

  static void trace(long t0, String sql, long rows) {
    if (TRACE) {
      String first = sql.strip().replaceAll("\\s+", " ");
      System.err.printf("analytics: trace %8.1f ms %,10d rows  %s%n", (System.nanoTime() - t0) / 1e6, rows,
          first.substring(0, Math.min(110, first.length())));
    }
  }

  static long scalarLong(Connection c, String sql, Object... args) throws SQLException {
    Object v = scalar(c, sql, args);
    return v == null ? 0 : ((Number) v).longValue();
  }

  static Object scalar(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getObject(1) : null;
    }
  }

  static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    try {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      return ps;
    } catch (SQLException e) {
      ps.close();
      throw e;
    }
  }
}
