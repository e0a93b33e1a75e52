package io.tinko.loadtests.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The zero-loss audit of one run, over JDBC: every event answered 200 (accepted or duplicate) is stored exactly
 * once and processed by the engine (waiting up to --wait seconds for processed_at); nothing answered 401/413 is
 * stored; events stored although their request got no 200 (a commit that finished after a 503 timeout — the PSP's
 * retry then gets "duplicate") are counted apart, as they are legitimate.
 *
 * <p>Usage: {@code Audit --pg-url postgresql://user:pw@host:port/db --run-id R --answers R-answers.tsv
 * [--wait 60] [--out R-audit.json]}. Exit 0 when it passes, 1 when it finds loss, duplication, an unprocessed event
 * or a forged event stored, 2 when it cannot run.
 */
public final class Audit {
  private record Answer(String kind, int sent, int accepted, int duplicate) {}

  private record Stored(int rows, int processed) {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = Args.parse(args);
    String runId = a.get("run-id");
    Path answersFile = Path.of(a.get("answers"));
    int waitSeconds = Integer.parseInt(a.getOrDefault("wait", "60"));
    Map<String, Answer> answers = new HashMap<>();
    Set<String> endpoints = new TreeSet<>();
    try (BufferedReader r = Files.newBufferedReader(answersFile)) {
      String line = r.readLine();   // header
      while ((line = r.readLine()) != null) {
        String[] f = line.split("\t");
        endpoints.add(f[0]);
        answers.put(f[0] + "\t" + f[1], new Answer(f[2], Integer.parseInt(f[3]), Integer.parseInt(f[4]),
            Integer.parseInt(f[5])));
      }
    }
    String pattern = "%\\_" + runId.replace("_", "\\_") + "\\_%";
    long waitedMs;
    Map<String, Stored> stored = new HashMap<>();
    int keysWithoutEvent;
    try (Connection c = connect(a.get("pg-url"))) {
      Array eps = c.createArrayOf("text", endpoints.toArray());
      long t0 = System.currentTimeMillis();
      long deadline = t0 + waitSeconds * 1000L;
      while (true) {
        long pending = scalar(c, "SELECT count(*) FROM webhook_events WHERE endpoint_id = ANY(?) AND event_id LIKE ?"
            + " AND processed_at IS NULL", eps, pattern);
        if (pending == 0 || System.currentTimeMillis() > deadline) {
          break;
        }
        Thread.sleep(500);
      }
      waitedMs = System.currentTimeMillis() - t0;
      try (PreparedStatement s = c.prepareStatement("SELECT endpoint_id, event_id, count(*), count(processed_at)"
          + " FROM webhook_events WHERE endpoint_id = ANY(?) AND event_id LIKE ? GROUP BY 1, 2")) {
        s.setArray(1, eps);
        s.setString(2, pattern);
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            stored.put(rs.getString(1) + "\t" + rs.getString(2), new Stored(rs.getInt(3), rs.getInt(4)));
          }
        }
      }
      if (a.containsKey("pg-stats")) {
        printWriteStats(c);
      }
      keysWithoutEvent = (int) scalar(c, "SELECT count(*) FROM webhook_event_keys k WHERE k.endpoint_id = ANY(?)"
          + " AND k.event_id LIKE ? AND NOT EXISTS (SELECT 1 FROM webhook_events e WHERE e.id = k.webhook_id"
          + " AND e.received_at = k.received_at)", eps, pattern);
    }

    long answered200 = 0;
    long accepted = 0;
    long lost = 0;
    long duplicated = 0;
    long unprocessed = 0;
    long storedNon2xx = 0;
    long refusedStored = 0;
    long duplicateOnly = 0;
    for (Map.Entry<String, Answer> e : answers.entrySet()) {
      Answer ans = e.getValue();
      Stored st = stored.get(e.getKey());
      boolean ok200 = ans.accepted > 0 || ans.duplicate > 0;
      if (ans.accepted > 0) {
        accepted++;
      }
      if (ans.accepted > 1) {
        duplicated++;   // two "accepted" answers for one event: the PSP's retry was not recognised
      }
      if (!ans.kind.equals("VALID")) {
        if (st != null) {
          refusedStored++;
        }
        continue;
      }
      if (ok200) {
        answered200++;
        if (ans.accepted == 0) {
          duplicateOnly++;
        }
        if (st == null) {
          lost++;
        } else if (st.processed < st.rows) {
          unprocessed++;
        }
      } else if (st != null) {
        storedNon2xx++;
      }
      if (st != null && st.rows > 1) {
        duplicated++;
      }
    }
    long strangers = stored.keySet().stream().filter(k -> !answers.containsKey(k)).count();
    boolean pass = lost == 0 && duplicated == 0 && unprocessed == 0 && refusedStored == 0 && strangers == 0
        && keysWithoutEvent == 0;

    Map<String, Object> out = new LinkedHashMap<>();
    out.put("runId", runId);
    out.put("distinctEventsSent", answers.size());
    out.put("answered200", answered200);
    out.put("accepted", accepted);
    out.put("stored", stored.size());
    out.put("lost", lost);
    out.put("duplicated", duplicated);
    out.put("unprocessed", unprocessed);
    out.put("waitedForEngineMs", waitedMs);
    out.put("storedButAnsweredNon2xx", storedNon2xx);
    out.put("answeredDuplicateOnly", duplicateOnly);
    out.put("refusedButStored", refusedStored);
    out.put("storedNotSent", strangers);
    out.put("keysWithoutEvent", keysWithoutEvent);
    out.put("pass", pass);
    if (a.containsKey("out")) {
      new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(Path.of(a.get("out")).toFile(), out);
    }
    System.out.printf("audit %s: %d events answered 200 (%d accepted) -> %d stored, lost %d, duplicated %d, "
            + "unprocessed %d (engine wait %.1f s), stored but answered non-2xx %d, refused but stored %d, "
            + "stored but never sent %d, keys without event %d%n",
        pass ? "PASS" : "FAIL", answered200, accepted, stored.size(), lost, duplicated, unprocessed, waitedMs / 1000.0,
        storedNon2xx, refusedStored, strangers, keysWithoutEvent);
    System.exit(pass ? 0 : 1);
  }

  /**
   * What Postgres did since it started (bench's Postgres is fresh, so: this run, warm-up and engine included):
   * commits and rows written per table. It shows what each accepted webhook costs the database beyond its INSERT.
   */
  private static void printWriteStats(Connection c) throws Exception {
    StringBuilder sb = new StringBuilder("postgres since start:");
    try (PreparedStatement s = c.prepareStatement("SELECT xact_commit, xact_rollback FROM pg_stat_database"
        + " WHERE datname = current_database()"); ResultSet rs = s.executeQuery()) {
      rs.next();
      sb.append(" commits ").append(rs.getLong(1)).append(", rollbacks ").append(rs.getLong(2)).append(';');
    }
    try (PreparedStatement s = c.prepareStatement("SELECT relname, n_tup_ins, n_tup_upd, n_tup_del"
        + " FROM pg_stat_user_tables WHERE n_tup_ins + n_tup_upd + n_tup_del > 0"
        + " ORDER BY n_tup_ins + n_tup_upd + n_tup_del DESC LIMIT 12"); ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        sb.append(' ').append(rs.getString(1)).append(" +").append(rs.getLong(2)).append('/').append(rs.getLong(3))
            .append("u/").append(rs.getLong(4)).append('d');
      }
    }
    System.out.println(sb);
  }

  private static long scalar(Connection c, String sql, Array eps, String pattern) throws Exception {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setArray(1, eps);
      s.setString(2, pattern);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Accepts postgresql://user:pw@host:port/db (runtime.json's form) or a jdbc:postgresql: URL. */
  static Connection connect(String url) throws Exception {
    if (url.startsWith("jdbc:")) {
      return DriverManager.getConnection(url);
    }
    URI u = URI.create(url);
    String[] userInfo = u.getUserInfo() == null ? new String[] {"postgres", ""} : u.getUserInfo().split(":", 2);
    String jdbc = "jdbc:postgresql://" + u.getHost() + ":" + (u.getPort() < 0 ? 5432 : u.getPort()) + u.getPath();
    return DriverManager.getConnection(jdbc, userInfo[0], userInfo.length > 1 ? userInfo[1] : "");
  }
}
