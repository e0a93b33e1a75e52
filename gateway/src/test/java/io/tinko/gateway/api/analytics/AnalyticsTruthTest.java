package io.tinko.gateway.api.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinko.analytics.bench.BenchData;
import io.tinko.gateway.api.ApiServer;
import io.tinko.testing.PostgresExtension;
import io.tinko.testing.RedisExtension;
import io.tinko.testing.TestDatabase;
import io.tinko.testing.TestRedis;
import io.vertx.core.json.JsonObject;
import java.io.OutputStream;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Generated history for two tenants (Tokyo and New York), the job run once, then the API's answers for many ranges,
 * zones and filters compared with SQL written straight over transactions and attempts.
 */
@ExtendWith({PostgresExtension.class, RedisExtension.class})
class AnalyticsTruthTest {
  private static final String TRUTH = """
      WITH tx AS (
        SELECT t.*, CASE WHEN ? THEN (t.failed_at AT TIME ZONE 'UTC')::date
                         ELSE (t.failed_at AT TIME ZONE o.time_zone)::date END AS day,
               (SELECT count(*) FROM recovery_attempts a
                 WHERE a.transaction_id = t.id AND a.status IN ('succeeded', 'declined', 'error')
                   AND a.outcome_detail ->> 'kind' IS DISTINCT FROM 'REJECTED') AS made,
               CASE WHEN t.status = 'recovered'
                    THEN greatest(0, floor(extract(epoch FROM t.recovered_at - t.failed_at))) END AS secs
          FROM transactions t JOIN organizations o ON o.id = t.org_id
         WHERE o.name = ?)
      SELECT count(*), count(*) FILTER (WHERE status = 'recovered'), count(*) FILTER (WHERE status = 'given_up'),
             coalesce(sum(made), 0), percentile_cont(0.5) WITHIN GROUP (ORDER BY secs),
             percentile_cont(0.9) WITHIN GROUP (ORDER BY secs)
        FROM tx WHERE day BETWEEN ? AND ? AND (?::text IS NULL OR psp = ?) AND (?::text IS NULL OR currency = ?)""";
  private static final String TRUTH_AMOUNTS = """
      SELECT t.currency, sum(t.amount_minor) FILTER (WHERE t.status = 'recovered')
        FROM transactions t JOIN organizations o ON o.id = t.org_id
       WHERE o.name = ? AND (CASE WHEN ? THEN (t.failed_at AT TIME ZONE 'UTC')::date
                                  ELSE (t.failed_at AT TIME ZONE o.time_zone)::date END) BETWEEN ? AND ?
         AND (?::text IS NULL OR t.psp = ?) AND (?::text IS NULL OR t.currency = ?)
       GROUP BY t.currency""";
  private static ApiServer api;
  private static TestDatabase db;
  private static String key;

  @BeforeAll
  static void start(TestDatabase database, TestRedis redis) throws SQLException {
    db = database;
    api = ApiServer.start(db, redis.url());
    try (Connection c = db.jdbc()) {
      BenchData data = new BenchData(c, new PrintStream(OutputStream.nullOutputStream()));
      data.history("truth", 2, 45, 2500, -0.3, OffsetDateTime.now(ZoneOffset.UTC));
      key = data.analystKey("truth");
    }
    new Analytics(db).build();
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  @Test
  @DisplayName("summary = SQL over the source tables, for every range, zone and filter tried")
  void summaryIsTheTruth() throws SQLException {
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    String[][] filters = {{null, null}, {"stripe", null}, {null, "JPY"}, {"razorpay", "KWD"}, {"paypal", "HUF"}};
    int compared = 0;
    int withPayments = 0;
    for (int back : new int[] {0, 1, 7, 30, 50}) {
      for (boolean utc : new boolean[] {false, true}) {
        for (String[] f : filters) {
          LocalDate from = today.minusDays(back);
          LocalDate to = back == 0 ? today : from.plusDays(Math.max(1, back / 2));
          String path = "/v1/analytics/summary?from=" + from + "&to=" + to + (utc ? "&zone=utc" : "")
              + (f[0] == null ? "" : "&psp=" + f[0]) + (f[1] == null ? "" : "&currency=" + f[1]);
          ApiServer.Resp r = api.get(path, key);
          assertThat(r.status()).as(path + ": " + r).isEqualTo(200);
          assertEqualsTruth(path, r.json(), utc, from, to, f[0], f[1]);
          compared++;
          withPayments += r.json().getLong("failed") > 0 ? 1 : 0;
        }
      }
    }
    assertThat(compared).isEqualTo(50);
    assertThat(withPayments).as("comparisons over ranges that hold payments").isGreaterThan(35);
  }

  private static void assertEqualsTruth(String path, JsonObject s, boolean utc, LocalDate from, LocalDate to,
                                        String psp, String currency) throws SQLException {
    try (Connection c = db.jdbc(); PreparedStatement ps = c.prepareStatement(TRUTH)) {
      Object[] args = {utc, "truth-0001", from, to, psp, psp, currency, currency};
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        assertThat(s.getLong("failed")).as(path).isEqualTo(rs.getLong(1));
        assertThat(s.getLong("recovered")).as(path).isEqualTo(rs.getLong(2));
        assertThat(s.getLong("givenUp")).as(path).isEqualTo(rs.getLong(3));
        assertThat(s.getLong("attemptsMade")).as(path).isEqualTo(rs.getLong(4));
        assertThat(s.getJsonObject("timeToRecoverSeconds").getDouble("median")).as(path)
            .isEqualTo((Double) rs.getObject(5));
        assertThat(s.getJsonObject("timeToRecoverSeconds").getDouble("p90")).as(path)
            .isEqualTo((Double) rs.getObject(6));
      }
    }
    Map<String, Long> expected = new TreeMap<>();
    try (Connection c = db.jdbc(); PreparedStatement ps = c.prepareStatement(TRUTH_AMOUNTS)) {
      Object[] args = {"truth-0001", utc, from, to, psp, psp, currency, currency};
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          expected.put(rs.getString(1).trim(), rs.getObject(2) == null ? 0L : rs.getLong(2));
        }
      }
    }
    Map<String, Long> actual = new TreeMap<>();
    s.getJsonArray("amounts").forEach(o -> actual.put(((JsonObject) o).getString("currency"),
        ((JsonObject) o).getLong("recoveredMinor")));
    assertThat(actual).as(path).isEqualTo(expected);
  }

  /** Per ISO week (Monday) of the tenant's days: percentile_cont over every recovered payment's seconds. */
  private static final String TRUTH_WEEKS = """
      WITH tx AS (
        SELECT (t.failed_at AT TIME ZONE o.time_zone)::date AS day,
               CASE WHEN t.status = 'recovered'
                    THEN greatest(0, floor(extract(epoch FROM t.recovered_at - t.failed_at))) END AS secs
          FROM transactions t JOIN organizations o ON o.id = t.org_id WHERE o.name = ?)
      SELECT date_trunc('week', day)::date, percentile_cont(?) WITHIN GROUP (ORDER BY secs)
        FROM tx WHERE day BETWEEN ? AND ? GROUP BY 1""";
  /** Per decline class or code (%s), over the tenant's days: counts, attempts made and amounts per currency. */
  private static final String TRUTH_DECLINES = """
      SELECT coalesce(t.%s, ''), t.currency, count(*), count(*) FILTER (WHERE t.status = 'recovered'),
             count(*) FILTER (WHERE t.status = 'given_up'),
             count(*) FILTER (WHERE t.status NOT IN ('recovered', 'given_up')),
             coalesce(sum((SELECT count(*) FROM recovery_attempts a WHERE a.transaction_id = t.id
                             AND a.status IN ('succeeded', 'declined', 'error')
                             AND a.outcome_detail ->> 'kind' IS DISTINCT FROM 'REJECTED')), 0),
             coalesce(sum(t.amount_minor), 0), coalesce(sum(t.amount_minor) FILTER (WHERE t.status = 'recovered'), 0)
        FROM transactions t JOIN organizations o ON o.id = t.org_id
       WHERE o.name = ? AND (t.failed_at AT TIME ZONE o.time_zone)::date BETWEEN ? AND ?
       GROUP BY 1, 2""";

  @Test
  @DisplayName("weekly time to recover p50 and p90 = percentile_cont over the week's recovered payments")
  void percentileSeriesIsTheTruth() throws SQLException {
    LocalDate to = LocalDate.now(ZoneOffset.UTC);
    LocalDate from = to.minusDays(44);
    int compared = 0;
    for (double fraction : new double[] {0.5, 0.9}) {
      Map<String, Double> expected = new TreeMap<>();
      try (Connection c = db.jdbc(); PreparedStatement ps = c.prepareStatement(TRUTH_WEEKS)) {
        Object[] args = {"truth-0001", fraction, from, to};
        for (int i = 0; i < args.length; i++) {
          ps.setObject(i + 1, args[i]);
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            expected.put(rs.getString(1), (Double) rs.getObject(2));
          }
        }
      }
      String metric = fraction == 0.5 ? "time_to_recover_p50" : "time_to_recover_p90";
      JsonObject t = api.get("/v1/analytics/timeseries?metric=" + metric + "&interval=week&from=" + from + "&to="
          + to, key).json();
      Map<String, Double> actual = new TreeMap<>();
      t.getJsonArray("series").getJsonObject(0).getJsonArray("points").forEach(o -> {
        JsonObject p = (JsonObject) o;
        if (p.getValue("value") != null || expected.containsKey(p.getString("period"))) {
          actual.put(p.getString("period"), p.getDouble("value"));
        }
      });
      assertThat(actual).as(metric).isEqualTo(expected);
      compared += expected.size();
    }
    assertThat(compared).as("weeks compared").isGreaterThan(10);
  }

  @Test
  @DisplayName("breakdowns by decline class and code = SQL over the source tables, counts and amounts")
  void declineBreakdownsAreTheTruth() throws SQLException {
    LocalDate to = LocalDate.now(ZoneOffset.UTC);
    LocalDate from = to.minusDays(30);
    for (String by : new String[] {"decline_class", "decline_code"}) {
      Map<String, long[]> expected = new TreeMap<>();
      try (Connection c = db.jdbc(); PreparedStatement ps = c.prepareStatement(TRUTH_DECLINES.formatted(by))) {
        ps.setString(1, "truth-0001");
        ps.setObject(2, from);
        ps.setObject(3, to);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            long[] e = expected.computeIfAbsent(rs.getString(1), k -> new long[5]);
            for (int i = 0; i < 5; i++) {
              e[i] += rs.getLong(3 + i);
            }
            expected.put(rs.getString(1) + "/" + rs.getString(2).trim(), new long[] {rs.getLong(8), rs.getLong(9)});
          }
        }
      }
      JsonObject b = api.get("/v1/analytics/breakdown?by=" + by + "&from=" + from + "&to=" + to, key).json();
      Map<String, long[]> actual = new TreeMap<>();
      b.getJsonArray("items").forEach(o -> {
        JsonObject i = (JsonObject) o;
        String k = i.getString("key") == null ? "" : i.getString("key");
        actual.put(k, new long[] {i.getLong("failed"), i.getLong("recovered"), i.getLong("givenUp"),
            i.getLong("inRecovery"), i.getLong("attemptsMade")});
        i.getJsonArray("amounts").forEach(a -> actual.put(k + "/" + ((JsonObject) a).getString("currency"),
            new long[] {((JsonObject) a).getLong("failedMinor"), ((JsonObject) a).getLong("recoveredMinor")}));
      });
      assertThat(actual.keySet()).as(by).isEqualTo(expected.keySet());
      expected.forEach((k, v) -> assertThat(actual.get(k)).as(by + " " + k).containsExactly(v));
      assertThat(b.getJsonArray("items").size()).as(by + " items").isGreaterThan(2);
    }
  }

  @Test
  @DisplayName("timeseries by day, week and month add up to the summary; breakdowns too")
  void seriesAddUp() {
    String range = "from=" + LocalDate.now(ZoneOffset.UTC).minusDays(44) + "&to=" + LocalDate.now(ZoneOffset.UTC);
    JsonObject s = api.get("/v1/analytics/summary?" + range, key).json();
    for (String interval : new String[] {"day", "week", "month"}) {
      for (String metric : new String[] {"failed_count", "recovered_count", "attempts_made"}) {
        JsonObject t = api.get("/v1/analytics/timeseries?metric=" + metric + "&interval=" + interval + "&" + range,
            key).json();
        long sum = t.getJsonArray("series").getJsonObject(0).getJsonArray("points").stream()
            .mapToLong(p -> ((JsonObject) p).getLong("value")).sum();
        String field = Map.of("failed_count", "failed", "recovered_count", "recovered", "attempts_made",
            "attemptsMade").get(metric);
        assertThat(sum).as(metric + " by " + interval).isEqualTo(s.getLong(field));
      }
    }
    for (String by : new String[] {"decline_class", "decline_code", "psp"}) {
      JsonObject b = api.get("/v1/analytics/breakdown?by=" + by + "&" + range, key).json();
      assertThat(b.getJsonArray("items").stream().mapToLong(i -> ((JsonObject) i).getLong("failed")).sum())
          .as(by).isEqualTo(s.getLong("failed"));
    }
    JsonObject methods = api.get("/v1/analytics/breakdown?by=method&" + range, key).json();
    methods.getJsonArray("items").forEach(i -> assertThat(((JsonObject) i).getLong("recovered"))
        .isEqualTo(s.getJsonObject("recoveredByMethod").getLong(((JsonObject) i).getString("key"))));
  }
}
