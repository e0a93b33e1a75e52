package io.tinko.gateway.api.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinko.gateway.api.ApiServer;
import io.tinko.gateway.api.Role;
import io.tinko.gateway.api.Tenant;
import io.tinko.testing.PostgresExtension;
import io.tinko.testing.RedisExtension;
import io.tinko.testing.TestDatabase;
import io.tinko.testing.TestRedis;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.LocalDate;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The analytics routes over rollups the real job built from hand-made payments of two tenants: a Tokyo tenant
 * (JPY, KWD, USD, a recovery crossing midnight in Tokyo) and a UTC tenant active on the same days.
 */
@ExtendWith({PostgresExtension.class, RedisExtension.class})
class AnalyticsApiTest {
  private static final String DAY = "from=2026-03-10&to=2026-03-10";
  private static ApiServer api;
  private static TestDatabase db;
  private static Analytics analytics;
  private static Tenant tokyo;
  private static Tenant berlin;

  @BeforeAll
  static void start(TestDatabase database, TestRedis redis) {
    db = database;
    api = ApiServer.start(db, redis.url());
    analytics = new Analytics(db);
    analytics.partitions(LocalDate.of(2026, 3, 1), 1);
    tokyo = Tenant.create(api, "Tokyo Tea");
    berlin = Tenant.create(api, "Berlin Bikes");
    db.execute("UPDATE organizations SET time_zone = 'Asia/Tokyo' WHERE id = ?", tokyo.orgId);
    UUID t = tokyo.orgId;
    UUID crossing = analytics.tx(t, "stripe", "recovered", "RETRY_LATER", "insufficient_funds", 5000, "JPY", 0,
        "2026-03-10T14:30:00Z", "2026-03-10T15:30:00Z", "retry");
    analytics.attempt(t, crossing, 1, "declined", "2026-03-10T15:00:00Z");
    analytics.attempt(t, crossing, 2, "succeeded", "2026-03-10T15:30:00Z");
    UUID late = analytics.tx(t, "stripe", "retrying", "RETRY_LATER", "insufficient_funds", 12000, "JPY", 0,
        "2026-03-10T15:10:00Z", null, null);
    analytics.attempt(t, late, 1, "declined", "2026-03-10T16:00:00Z");
    analytics.tx(t, "stripe", "recovered", "RETRY_LATER", "insufficient_funds", 3000, "JPY", 0,
        "2026-03-10T01:00:00Z", "2026-03-10T03:00:00Z", "customer_link");
    UUID kwd = analytics.tx(t, "razorpay", "recovered", "TECHNICAL", null, 12345, "KWD", 3,
        "2026-03-10T02:00:00Z", "2026-03-12T02:00:00Z", "psp_retry");
    analytics.attempt(t, kwd, 1, "error", "2026-03-10T05:00:00Z");
    analytics.tx(t, "stripe", "given_up", "NEVER", "stolen_card", 1999, "USD", 2, "2026-03-10T05:00:00Z", null, null);
    UUID b = berlin.orgId;
    analytics.tx(b, "stripe", "recovered", "FIX_DATA", "expired_card", 2500, "EUR", 2, "2026-03-10T09:00:00Z",
        "2026-03-11T09:00:00Z", "card_update");
    analytics.tx(b, "paypal", "retrying", "RETRY_LATER", "insufficient_funds", 700, "EUR", 2,
        "2026-03-10T10:00:00Z", null, null);
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  private static JsonObject get(String path, String credential) {
    ApiServer.Resp r = api.get(path, credential);
    assertThat(r.status()).as(path + ": " + r).isEqualTo(200);
    return r.json();
  }

  private static JsonObject amount(JsonObject answer, String currency) {
    for (Object o : answer.getJsonArray("amounts")) {
      if (currency.equals(((JsonObject) o).getString("currency"))) {
        return (JsonObject) o;
      }
    }
    throw new AssertionError("no " + currency + " in " + answer.encode());
  }

  @Test
  @DisplayName("Tokyo's 10 March, in Tokyo days: hand-computed counts, rate, percentiles and per-currency amounts")
  void handComputedSummary() {
    analytics.build();
    JsonObject s = get("/v1/analytics/summary?" + DAY, tokyo.keys.get(Role.ANALYST));
    assertThat(s.getString("zone")).isEqualTo("Asia/Tokyo");
    assertThat(s.getString("asOf")).isNotNull();
    // the 00:10 JST failure is the 11th in Tokyo: four payments, three recovered, one given up
    assertThat(s.getLong("failed")).isEqualTo(4);
    assertThat(s.getLong("recovered")).isEqualTo(3);
    assertThat(s.getLong("givenUp")).isEqualTo(1);
    assertThat(s.getLong("inRecovery")).isZero();
    assertThat(s.getDouble("recoveryRate")).isEqualTo(0.75);
    assertThat(s.getLong("attemptsMade")).isEqualTo(3);
    assertThat(s.getDouble("attemptsPerRecovery")).isEqualTo(1.0);
    // recovered after 3600 s, 7200 s and 172800 s: median 7200, p90 = 7200 + 0.8 * (172800 - 7200)
    assertThat(s.getJsonObject("timeToRecoverSeconds").getDouble("median")).isEqualTo(7200.0);
    assertThat(s.getJsonObject("timeToRecoverSeconds").getDouble("p90")).isEqualTo(139680.0);
    assertThat(s.getJsonObject("recoveredByMethod")).isEqualTo(new JsonObject().put("retry", 1)
        .put("customer_link", 1).put("card_update", 0).put("psp_retry", 1).put("other", 0));
    assertThat(amount(s, "JPY").getInteger("exponent")).isZero();
    assertThat(amount(s, "JPY").getLong("failedMinor")).isEqualTo(8000);
    assertThat(amount(s, "JPY").getJsonObject("recoveredByMethodMinor").getLong("customer_link")).isEqualTo(3000);
    assertThat(amount(s, "KWD").getInteger("exponent")).isEqualTo(3);
    assertThat(amount(s, "KWD").getLong("recoveredMinor")).isEqualTo(12345);
    assertThat(amount(s, "USD").getLong("givenUpMinor")).isEqualTo(1999);

    // in UTC days the 15:10Z failure is the 10th too
    JsonObject utc = get("/v1/analytics/summary?zone=utc&" + DAY, tokyo.owner());
    assertThat(utc.getString("zone")).isEqualTo("UTC");
    assertThat(utc.getLong("failed")).isEqualTo(5);
    assertThat(utc.getLong("inRecovery")).isEqualTo(1);
    assertThat(amount(utc, "JPY").getLong("inRecoveryMinor")).isEqualTo(12000);
    JsonObject jpyOnly = get("/v1/analytics/summary?currency=JPY&psp=stripe&" + DAY, tokyo.owner());
    assertThat(jpyOnly.getLong("failed")).isEqualTo(2);
    assertThat(jpyOnly.getJsonArray("amounts")).hasSize(1);
  }

  @Test
  @DisplayName("timeseries, breakdown and export agree with the summary; the 11th appears in Tokyo days")
  void routesAgree() {
    analytics.build();
    String key = tokyo.keys.get(Role.ANALYST);
    JsonObject days = get("/v1/analytics/timeseries?metric=failed_count&from=2026-03-09&to=2026-03-11", key);
    JsonArray points = days.getJsonArray("series").getJsonObject(0).getJsonArray("points");
    assertThat(points.stream().map(p -> ((JsonObject) p).getLong("value"))).containsExactly(0L, 4L, 1L);
    JsonObject amounts = get("/v1/analytics/timeseries?metric=recovered_amount&interval=month&" + DAY, key);
    assertThat(amounts.getJsonArray("series").stream().map(o -> ((JsonObject) o).getString("currency")))
        .containsExactly("JPY", "KWD", "USD");
    assertThat(amounts.getJsonArray("series").getJsonObject(1).getJsonArray("points").getJsonObject(0)
        .getLong("value")).isEqualTo(12345);
    assertThat(amounts.getJsonArray("series").getJsonObject(1).getJsonArray("points").getJsonObject(0)
        .getString("period")).isEqualTo("2026-03-01");
    JsonObject p50 = get("/v1/analytics/timeseries?metric=time_to_recover_p50&interval=week&" + DAY, key);
    assertThat(p50.getJsonArray("series").getJsonObject(0).getJsonArray("points").getJsonObject(0)
        .getDouble("value")).isEqualTo(7200.0);

    JsonObject byClass = get("/v1/analytics/breakdown?by=decline_class&" + DAY, key);
    JsonObject first = byClass.getJsonArray("items").getJsonObject(0);
    assertThat(first.getString("key")).isEqualTo("RETRY_LATER");
    assertThat(first.getLong("failed")).isEqualTo(2);
    assertThat(first.getDouble("recoveryRate")).isEqualTo(1.0);
    JsonObject byCode = get("/v1/analytics/breakdown?by=decline_code&" + DAY, key);
    assertThat(byCode.getJsonArray("items").stream().map(o -> ((JsonObject) o).getString("key")))
        .containsExactlyInAnyOrder("insufficient_funds", null, "stolen_card");
    JsonObject byMethod = get("/v1/analytics/breakdown?by=method&" + DAY, key);
    assertThat(byMethod.getJsonArray("items").stream().mapToLong(o -> ((JsonObject) o).getLong("recovered")).sum())
        .isEqualTo(3);

    ApiServer.Resp csv = api.get("/v1/analytics/export.csv?" + DAY, key);
    assertThat(csv.status()).isEqualTo(200);
    assertThat(csv.contentType()).startsWith("text/csv");
    String[] lines = csv.body().split("\r\n");
    assertThat(lines[0]).startsWith("day,zone,psp,decline_class,decline_code,currency,exponent,failed_count");
    assertThat(lines).hasSize(1 + 3);
    assertThat(lines).anyMatch(l -> l.startsWith("2026-03-10,Asia/Tokyo,razorpay,TECHNICAL,,KWD,3,1,12345,1,12345,"));
  }

  @Test
  @DisplayName("each tenant sees only its own numbers, whatever it asks")
  void tenantIsolation() {
    analytics.build();
    String wide = "from=2026-01-01&to=2026-12-31";
    JsonObject b = get("/v1/analytics/summary?" + wide, berlin.keys.get(Role.ADMIN));
    assertThat(b.getLong("failed")).isEqualTo(2);
    assertThat(b.getJsonArray("amounts").stream().map(o -> ((JsonObject) o).getString("currency")))
        .containsExactly("EUR");
    assertThat(get("/v1/analytics/summary?" + wide, tokyo.owner()).getLong("failed")).isEqualTo(5);
    assertThat(get("/v1/analytics/breakdown?by=psp&" + wide, berlin.owner()).encode()).doesNotContain("razorpay");
    assertThat(api.get("/v1/analytics/export.csv?" + wide, berlin.owner()).body()).doesNotContain("JPY")
        .doesNotContain("Asia/Tokyo");
  }

  @Test
  @DisplayName("asOf is the job's last build; bad ranges and metrics are 400; no credential is 401")
  void freshnessAndValidation() {
    analytics.build();
    Object asOf = db.scalar("SELECT floor(extract(epoch FROM as_of))::bigint FROM analytics_job_state");
    JsonObject s = get("/v1/analytics/summary?" + DAY, tokyo.owner());
    assertThat(java.time.Instant.parse(s.getString("asOf")).getEpochSecond()).isEqualTo(asOf);
    ApiServer.Resp csv = api.get("/v1/analytics/export.csv?" + DAY, tokyo.owner());
    assertThat(csv.body()).isNotEmpty();
    for (String bad : new String[] {"/v1/analytics/summary?from=2026-03-10&to=2026-03-01",
        "/v1/analytics/summary?from=2020-01-01&to=2026-03-01", "/v1/analytics/summary?to=2026-03-01",
        "/v1/analytics/summary?from=2026-3-1&to=2026-03-01",
        "/v1/analytics/timeseries?metric=revenue&" + DAY, "/v1/analytics/breakdown?by=customer&" + DAY,
        "/v1/analytics/timeseries?metric=failed_count&interval=year&" + DAY}) {
      ApiServer.Resp r = api.get(bad, tokyo.owner());
      assertThat(r.status()).as(bad + ": " + r).isEqualTo(400);
      assertThat(r.errorCode()).isEqualTo("validation_failed");
    }
    assertThat(api.get("/v1/analytics/summary?" + DAY, null).status()).isEqualTo(401);
  }

  @Test
  @DisplayName("a range without rollup rows still answers with its zone and asOf, every figure empty")
  void emptyRange() {
    analytics.build();
    String none = "from=2025-01-01&to=2025-01-31";
    String key = tokyo.keys.get(Role.ANALYST);
    JsonObject s = get("/v1/analytics/summary?" + none, key);
    assertThat(s.getString("zone")).isEqualTo("Asia/Tokyo");
    assertThat(s.getString("asOf")).isNotNull();
    assertThat(s.getLong("failed")).isZero();
    assertThat(s.getValue("recoveryRate")).isNull();
    assertThat(s.getJsonObject("timeToRecoverSeconds").getValue("median")).isNull();
    assertThat(s.getJsonArray("amounts")).isEmpty();
    JsonObject utc = get("/v1/analytics/summary?" + none + "&zone=utc", key);
    assertThat(utc.getString("zone")).isEqualTo("UTC");
    JsonObject t = get("/v1/analytics/timeseries?metric=failed_count&interval=day&" + none, key);
    assertThat(t.getString("asOf")).isEqualTo(s.getString("asOf"));
    JsonArray points = t.getJsonArray("series").getJsonObject(0).getJsonArray("points");
    assertThat(points).hasSize(31);
    assertThat(points.getJsonObject(0).getLong("value")).isZero();
    JsonObject b = get("/v1/analytics/breakdown?by=decline_class&" + none, key);
    assertThat(b.getString("zone")).isEqualTo("Asia/Tokyo");
    assertThat(b.getJsonArray("items")).isEmpty();
    ApiServer.Resp csv = api.get("/v1/analytics/export.csv?" + none, key);
    assertThat(csv.status()).isEqualTo(200);
    assertThat(csv.body().split("\r\n")).hasSize(1);
  }
}
