package io.tinko.loadtests.bench;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where Postgres spent its time during a measured run, statement by statement, from {@code pg_stat_statements}
 * (bench's {@code --pg-statements}: the embedded Postgres is started with the module preloaded).
 *
 * <p>{@code PgStatements --pg-url U --reset} creates the extension when missing and empties its counters (at the
 * start of the measured window); {@code PgStatements --pg-url U --report FILE [--top K]} writes every statement to
 * FILE and prints the top K by total execution time, with time per call and per row and per webhook event stored
 * since the reset (and the decisions the engine committed since then). Execution time is wall time inside the
 * server (CPU, and waits for locks, I/O and the WAL flush of its own statement): on a busy machine it includes
 * waiting for a core.
 *
 * <p>{@code PgStatements --pg-url U --waits FILE --seconds S} samples {@code pg_stat_activity} every 100 ms for S
 * seconds and writes what the active client backends were doing (running on a CPU, or waiting: for the WAL flush,
 * a lock, I/O...) by statement: the other half of "where does the time go", since statement time alone cannot tell
 * working from waiting.
 *
 * <p>{@code --reset --at EPOCH_MS --reset-marker FILE [--waits FILE --seconds S]} does both from one process started
 * a few seconds ahead: it connects, waits until the given time (the start of the measured window), resets, writes
 * the marker file, then samples. A JVM started at the window's start spent ~1 s of CPU there, on the cores the
 * measured target shares, and the first answers of the window waited for it.
 */
public final class PgStatements {
  private PgStatements() {}

  private record Stat(long calls, double totalMs, long rows, String query, double walBytes) {
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> a = Args.parse(args);
    try (Connection c = Audit.connect(a.get("pg-url")); Statement s = c.createStatement()) {
      boolean reset = a.containsKey("reset");
      if (reset) {
        s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        long wait = a.containsKey("at") ? Long.parseLong(a.get("at")) - System.currentTimeMillis() : 0;
        if (wait > 0) {
          Thread.sleep(wait);
        }
        s.execute("SELECT pg_stat_statements_reset()");
        if (a.containsKey("reset-marker")) {
          Files.writeString(Path.of(a.get("reset-marker")), "reset\n");
        }
      }
      if (a.containsKey("waits")) {
        sampleWaits(s, Path.of(a.get("waits")), Double.parseDouble(a.getOrDefault("seconds", "30")));
      }
      if (reset || a.containsKey("waits")) {
        return;
      }
      List<Stat> stats = new ArrayList<>();
      try (PreparedStatement q = c.prepareStatement("SELECT calls, total_exec_time, rows, query, wal_bytes"
          + " FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())"
          + " AND query NOT LIKE '%pg_stat_statements%' AND query NOT LIKE '%pg_stat_activity%'"
          + " ORDER BY total_exec_time DESC");
           ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          stats.add(new Stat(rs.getLong(1), rs.getDouble(2), rs.getLong(3), rs.getString(4), rs.getDouble(5)));
        }
      }
      long events;
      long decisions;
      try (PreparedStatement q = c.prepareStatement("SELECT"
          + " (SELECT count(*) FROM webhook_events WHERE received_at >= i.stats_reset),"
          + " (SELECT count(*) FROM decisions WHERE created_at >= i.stats_reset) FROM pg_stat_statements_info i");
           ResultSet rs = q.executeQuery()) {
        rs.next();
        events = rs.getLong(1);
        decisions = rs.getLong(2);
      }
      int top = Integer.parseInt(a.getOrDefault("top", "12"));
      double total = stats.stream().mapToDouble(Stat::totalMs).sum();
      double wal = stats.stream().mapToDouble(Stat::walBytes).sum();
      Path file = Path.of(a.get("report"));
      try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file))) {
        for (Stat st : stats) {
          w.printf(Locale.ROOT, "%d calls, %.1f ms, %d rows, %.0f bytes of WAL%n%s%n%n", st.calls(), st.totalMs(),
              st.rows(), st.walBytes(), st.query());
        }
      }
      System.out.printf(Locale.ROOT, "postgres statements in the measured window: %.1f s of execution in all;"
              + " %d webhook events stored and %d decisions committed%s (every statement: %s)%n", total / 1000,
          events, decisions, events > 0 ? String.format(Locale.ROOT, ", %.0f us and %.0f bytes of WAL per stored event",
              total * 1000 / events, wal / events) : "", file);
      System.out.println("  share    total ms     calls   ms/call  us/row" + (events > 0 ? "  us/event  WAL/event" : "")
          + "  statement");
      for (Stat st : stats.subList(0, Math.min(top, stats.size()))) {
        System.out.printf(Locale.ROOT, "  %4.1f%% %11.0f %9d %9.3f %7s%s  %s%n", total > 0 ? 100 * st.totalMs() / total : 0,
            st.totalMs(), st.calls(), st.totalMs() / Math.max(1, st.calls()),
            st.rows() > 0 ? String.format(Locale.ROOT, "%.0f", st.totalMs() * 1000 / st.rows()) : "-",
            events > 0 ? String.format(Locale.ROOT, " %9.0f %10.0f", st.totalMs() * 1000 / events,
                st.walBytes() / events) : "", shorten(st.query()));
      }
    }
  }

  private static void sampleWaits(Statement s, Path file, double seconds) throws Exception {
    Map<String, Integer> counts = new TreeMap<>();
    long end = System.nanoTime() + (long) (seconds * 1e9);
    int samples = 0;
    while (System.nanoTime() < end) {
      try (ResultSet rs = s.executeQuery("SELECT coalesce(wait_event_type, 'CPU'), coalesce(wait_event, 'running'),"
          + " left(regexp_replace(coalesce(query, ''), '\\s+', ' ', 'g'), 60) FROM pg_stat_activity"
          + " WHERE state = 'active' AND backend_type = 'client backend' AND pid <> pg_backend_pid()")) {
        while (rs.next()) {
          counts.merge(rs.getString(1) + ":" + rs.getString(2) + "  " + rs.getString(3), 1, Integer::sum);
        }
      }
      samples++;
      Thread.sleep(100);
    }
    int total = counts.values().stream().mapToInt(Integer::intValue).sum();
    List<Map.Entry<String, Integer>> sorted = new ArrayList<>(counts.entrySet());
    sorted.sort(Map.Entry.<String, Integer>comparingByValue().reversed());
    try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file))) {
      w.printf(Locale.ROOT, "postgres backends in %d samples (every 100 ms): %.1f active on average%n", samples,
          samples == 0 ? 0.0 : (double) total / samples);
      for (Map.Entry<String, Integer> e : sorted) {
        w.printf(Locale.ROOT, "  %5.1f%%  %s%n", 100.0 * e.getValue() / Math.max(1, total), e.getKey());
      }
    }
  }

  private static String shorten(String query) {
    String q = query.replaceAll("\\s+", " ").trim();
    return q.length() <= 100 ? q : q.substring(0, 97) + "...";
  }
}
