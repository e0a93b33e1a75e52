package io.tinko.gateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinko.gateway.support.GatewayHarness;
import io.tinko.gateway.webhook.verify.WebhookSigner;
import io.tinko.testing.PostgresExtension;
import io.tinko.testing.RedisExtension;
import io.tinko.testing.TestDatabase;
import io.tinko.testing.TestRedis;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Redis fast path when many webhooks share an event-loop pass and a group commit: each key must still be looked
 * up and marked on its own, with the TTL (it guarded a version that sent a group's marks as one script).
 */
@ExtendWith({PostgresExtension.class, RedisExtension.class})
class RedisMarksTest {
  private static final String SECRET = "whsec_redis_marks_test_secret";
  private static final int EVENTS = 60;
  private static GatewayHarness gw;
  private static Redis redis;

  @BeforeAll
  static void start(TestDatabase database, TestRedis testRedis) throws Exception {
    gw = GatewayHarness.start(database, testRedis.url());
    redis = Redis.createClient(gw.vertx, testRedis.url());
  }

  @AfterAll
  static void stop() {
    redis.close();
    gw.close();
  }

  private static byte[] stripeEvent(String id) {
    return new JsonObject().put("id", id).put("object", "event").put("type", "invoice.payment_failed")
        .encode().getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> postAll(String ep, List<String> ids) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
      for (String id : ids) {
        sent.add(CompletableFuture.supplyAsync(() -> {
          try {
            byte[] body = stripeEvent(id);
            return gw.post("/v1/webhooks/stripe/" + ep, body, "Stripe-Signature",
                WebhookSigner.stripe(System.currentTimeMillis() / 1000, body, SECRET), "Content-Type",
                "application/json");
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }, pool));
      }
      List<String> answers = new ArrayList<>();
      for (var f : sent) {
        HttpResponse<String> r = f.get(30, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(200);
        answers.add(new JsonObject(r.body()).getString("status"));
      }
      return answers;
    } finally {
      pool.shutdownNow();
    }
  }

  private static Response redis(Request request) throws Exception {
    return redis.send(request).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("concurrent new events each get their own mark with the TTL, and their copies are caught by Redis")
  void marksOfAGroup() throws Exception {
    String ep = gw.endpoint("stripe", SECRET);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < EVENTS; i++) {
      ids.add("evt_marks_" + i);
    }
    assertThat(postAll(ep, ids)).hasSize(EVENTS).containsOnly("accepted");

    long ttl = gw.config.longValue("webhooks.dedupeTtlSeconds");
    long deadline = System.currentTimeMillis() + 10_000;
    List<Long> ttls;
    do {  // marks are written just after the answers
      ttls = new ArrayList<>();
      for (String id : ids) {
        ttls.add(redis(Request.cmd(Command.TTL).arg(RedisDedupe.key(ep, id))).toLong());
      }
    } while (ttls.contains(-2L) && System.currentTimeMillis() < deadline);
    assertThat(ttls).allSatisfy(t -> assertThat(t).isBetween(ttl - 60, ttl));
    // no mark for an event that was never sent
    assertThat(redis(Request.cmd(Command.EXISTS).arg(RedisDedupe.key(ep, "evt_marks_none"))).toLong()).isZero();

    double byRedis = gw.counter("tinko_webhook_dedupe", "path", "redis");
    List<String> again = new ArrayList<>(ids);
    again.add("evt_marks_new");  // one unseen event among the copies is still accepted
    List<String> answers = postAll(ep, again);
    assertThat(answers.subList(0, EVENTS)).containsOnly("duplicate");
    assertThat(answers.get(EVENTS)).isEqualTo("accepted");
    assertThat(gw.counter("tinko_webhook_dedupe", "path", "redis") - byRedis).isEqualTo(EVENTS);
  }
}
