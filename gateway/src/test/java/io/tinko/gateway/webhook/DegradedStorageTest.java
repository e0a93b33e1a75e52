package io.tinko.gateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinko.common.db.Database;
import io.tinko.embedded.EmbeddedPostgresServer;
import io.tinko.embedded.EmbeddedRedisServer;
import io.tinko.embedded.FreePort;
import io.tinko.gateway.support.GatewayHarness;
import io.tinko.gateway.webhook.verify.WebhookSigner;
import io.tinko.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backing services failing under the gateway: its own Redis and Postgres servers, stopped and started again
 * mid-test. A 200 must always mean "stored", whatever fails.
 */
class DegradedStorageTest {
  private static final String SECRET = "whsec_degraded";

  private static byte[] event(String id) {
    return new JsonObject().put("id", id).put("type", "charge.failed").encode().getBytes(StandardCharsets.UTF_8);
  }

  private static HttpResponse<String> post(GatewayHarness gw, String ep, String id) throws Exception {
    byte[] body = event(id);
    return gw.post("/v1/webhooks/stripe/" + ep, body, "Stripe-Signature",
        WebhookSigner.stripe(System.currentTimeMillis() / 1000, body, SECRET));
  }

  private static String status(HttpResponse<String> r) {
    return r.statusCode() == 200 ? new JsonObject(r.body()).getString("status") : Integer.toString(r.statusCode());
  }

  @Test
  @DisplayName("with Redis stopped mid-test, events are still accepted and duplicates still caught by Postgres")
  void redisDown(@TempDir Path dir) throws Exception {
    try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(dir.resolve("pg"), 0, true)) {
      TestDatabase db = migrated(pg);
      EmbeddedRedisServer redis = EmbeddedRedisServer.start(0);
      int redisPort = redis.port();
      try (GatewayHarness gw = GatewayHarness.start(db.url(), db, redis.url(), c -> c)) {
        String ep = gw.endpoint("stripe", SECRET);
        assertThat(status(post(gw, ep, "evt_r1"))).isEqualTo("accepted");
        assertThat(status(post(gw, ep, "evt_r1"))).isEqualTo("duplicate");
        assertThat(gw.counter("tinko_webhook_dedupe", "path", "redis")).isEqualTo(1);

        redis.stop();
        assertThat(status(post(gw, ep, "evt_r2"))).isEqualTo("accepted");
        assertThat(status(post(gw, ep, "evt_r2"))).isEqualTo("duplicate");
        assertThat(status(post(gw, ep, "evt_r1"))).isEqualTo("duplicate");
        assertThat(gw.counter("tinko_webhook_dedupe", "path", "postgres")).isGreaterThanOrEqualTo(2);
        assertThat(gw.counter("tinko_webhook_redis_degraded")).isGreaterThan(0);
        HttpResponse<String> ready = gw.get("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(new JsonObject(ready.body()).getJsonObject("checks").getJsonObject("redis").getString("status"))
            .isEqualTo("DOWN");

        redis = EmbeddedRedisServer.start(redisPort);
        // once reconnected, marks are written again and the fast path answers
        Awaitility.await().atMost(15, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(300)).until(() -> {
          String id = "evt_back_" + System.nanoTime();
          post(gw, ep, id);
          post(gw, ep, id);
          return gw.counter("tinko_webhook_dedupe", "path", "redis") >= 2;
        });
        assertThat(db.scalar("SELECT count(*) FROM webhook_events WHERE event_id IN ('evt_r1', 'evt_r2')"))
            .isEqualTo(2);
      } finally {
        redis.close();
      }
    }
  }

  @Test
  @DisplayName("with Postgres stopped, webhooks get 503 with Retry-After; once it is back every 200 is stored")
  void postgresDown(@TempDir Path dir) throws Exception {
    int port = FreePort.pick(0);
    EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(dir.resolve("pg"), port, false);
    TestDatabase db = migrated(pg);
    EmbeddedRedisServer redis = EmbeddedRedisServer.start(0);
    List<String> accepted = new ArrayList<>();
    boolean saw503 = false;
    try (GatewayHarness gw = GatewayHarness.start(db.url(), db, redis.url(), c -> c)) {
      String ep = gw.endpoint("stripe", SECRET);
      for (int i = 0; i < 20; i++) {
        if (status(post(gw, ep, "evt_before_" + i)).equals("accepted")) {
          accepted.add("evt_before_" + i);
        }
      }
      pg.close();
      for (int i = 0; i < 20; i++) {
        HttpResponse<String> r = post(gw, ep, "evt_down_" + i);
        if (r.statusCode() == 503) {
          saw503 = true;
          assertThat(r.headers().firstValue("Retry-After")).isPresent();
          assertThat(new JsonObject(r.body()).getJsonObject("error").getString("code")).isEqualTo("store_unavailable");
        } else if (status(r).equals("accepted")) {
          accepted.add("evt_down_" + i);
        }
      }
      assertThat(saw503).isTrue();
      // an endpoint not yet in memory cannot be looked up either: 503 (retry), never 404 (PSPs disable on 404s)
      HttpResponse<String> unknown = post(gw, "ep_created_elsewhere", "evt_x");
      assertThat(unknown.statusCode()).isEqualTo(503);

      pg = EmbeddedPostgresServer.start(dir.resolve("pg"), port, false);
      // the PSP retries: once Postgres is back, the retries are accepted (or duplicates of what committed)
      Awaitility.await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(500))
          .until(() -> status(post(gw, ep, "evt_probe_" + System.nanoTime())).equals("accepted"));
      for (int i = 0; i < 20; i++) {
        String s = status(post(gw, ep, "evt_down_" + i));
        assertThat(s).isIn("accepted", "duplicate");
        if (s.equals("accepted")) {
          accepted.add("evt_down_" + i);
        }
      }
      for (String id : accepted) {
        assertThat(db.scalar("SELECT count(*) FROM webhook_events WHERE endpoint_id = ? AND event_id = ?", ep, id))
            .as("event %s answered accepted", id).isEqualTo(1);
      }
      assertThat(db.scalar("SELECT count(DISTINCT event_id) FROM webhook_events WHERE event_id LIKE 'evt_down_%'"))
          .isEqualTo(20);
    } finally {
      redis.close();
      pg.close();
    }
  }

  private static TestDatabase migrated(EmbeddedPostgresServer pg) {
    String url = pg.url("postgres");
    Database.migrateBlocking(Database.connectOptions(url));
    return new TestDatabase(url, "postgres");
  }
}
