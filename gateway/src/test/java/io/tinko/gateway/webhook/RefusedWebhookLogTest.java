package io.tinko.gateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tinko.common.db.Database;
import io.tinko.common.domain.Psp;
import io.tinko.testing.PostgresExtension;
import io.tinko.testing.TestDatabase;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The refusal log on its own, against real Postgres: bounded queue, per-endpoint cap, batched writes. */
@ExtendWith(PostgresExtension.class)
class RefusedWebhookLogTest {
  private Vertx vertx;
  private Pool pool;
  private TestDatabase db;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @BeforeEach
  void start(TestDatabase database) {
    db = database;
    vertx = Vertx.vertx();
    pool = Database.pool(vertx, db.connectOptions(), 2, "refusal-log-" + UUID.randomUUID(), 15_000);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static Endpoint endpoint(String id) {
    return new Endpoint(id, UUID.randomUUID(), Psp.STRIPE, true, List.of("whsec_x"), null, 1000, 0);
  }

  /** Records {@code n} refusals for each endpoint in one event-loop pass, as one burst would. */
  private RefusedWebhookLog burst(RefusedWebhookLog.Settings settings, int n, Endpoint... endpoints) throws Exception {
    Promise<RefusedWebhookLog> made = Promise.promise();
    vertx.runOnContext(v -> {
      RefusedWebhookLog log = new RefusedWebhookLog(vertx, pool, new RateLimiter(), registry, settings);
      for (Endpoint e : endpoints) {
        for (int i = 0; i < n; i++) {
          byte[] body = ("{\"id\":\"evt_" + i + "\",\"padding\":\"" + "p".repeat(100) + "\"}")
              .getBytes(StandardCharsets.UTF_8);
          log.record(e, RefusedWebhookLog.Outcome.BAD_SIGNATURE, "signature header missing", body, body.length,
              () -> new RefusedWebhookLog.Identity("evt_x", null));
        }
      }
      made.complete(log);
    });
    return made.future().await(10, TimeUnit.SECONDS);
  }

  private long rows(String endpoint) {
    return db.scalar("SELECT count(*) FROM webhook_refusals WHERE endpoint_id = ?", endpoint);
  }

  private double dropped(String reason) {
    return registry.get("tinko_webhook_refusals_dropped").tag("reason", reason).counter().count();
  }

  private void awaitRows(String endpoint, long expected) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 10_000;
    while (rows(endpoint) < expected && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
  }

  @Test
  @DisplayName("beyond the per-endpoint cap refusals are counted as rate_capped; other endpoints keep their quota")
  void perEndpointCap() throws Exception {
    burst(new RefusedWebhookLog.Settings(4, 1000, 100, 10, 32), 50, endpoint("ep_cap_a"), endpoint("ep_cap_b"));
    awaitRows("ep_cap_a", 4);
    awaitRows("ep_cap_b", 4);
    Thread.sleep(200);
    // one pass of the event loop lies within one or two seconds: at most two windows' worth each
    assertThat(rows("ep_cap_a")).isBetween(4L, 8L);
    assertThat(rows("ep_cap_b")).isBetween(4L, 8L);
    assertThat(dropped("rate_capped")).isEqualTo(100 - rows("ep_cap_a") - rows("ep_cap_b"));
    assertThat(db.scalar("SELECT max(length(body_prefix)) FROM webhook_refusals WHERE endpoint_id = 'ep_cap_a'"))
        .isEqualTo(32);
    assertThat(registry.get("tinko_webhook_refusals_logged").counter().count())
        .isEqualTo(rows("ep_cap_a") + rows("ep_cap_b"));
  }

  @Test
  @DisplayName("a full queue drops refusals with a count instead of growing; what was queued is written in batches")
  void boundedQueue() throws Exception {
    RefusedWebhookLog log = burst(new RefusedWebhookLog.Settings(1000, 25, 10, 50, 256), 100,
        endpoint("ep_queue"));
    assertThat(dropped("queue_full")).isEqualTo(75);
    awaitRows("ep_queue", 25);
    assertThat(rows("ep_queue")).isEqualTo(25);
    assertThat(log.queued()).isZero();
    assertThat(db.scalar("SELECT count(DISTINCT event_id) FROM webhook_refusals WHERE endpoint_id = 'ep_queue'"))
        .isEqualTo(1);
  }
}
