package io.tinko.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinko.common.bus.Addresses;
import io.tinko.common.bus.InboundEvent;
import io.tinko.testing.PostgresExtension;
import io.tinko.testing.RedisExtension;
import io.tinko.testing.TestDatabase;
import io.tinko.testing.TestRedis;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith({PostgresExtension.class, RedisExtension.class})
class PoliciesAndEventsTest {
  private static ApiServer api;
  private static TestDatabase db;
  private static Tenant t;

  @BeforeAll
  static void start(TestDatabase database, TestRedis redis) {
    db = database;
    api = ApiServer.start(db, redis.url());
    t = Tenant.create(api, "Policies");
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  private static ApiServer.Resp put(String cls, JsonObject policy) {
    return api.call(HttpMethod.PUT, "/v1/retry-policies/" + cls, t.tokens.get(Role.ADMIN), policy);
  }

  @Test
  @DisplayName("GET lists every class with its default and the network limits")
  void defaults() {
    JsonObject r = api.get("/v1/retry-policies", t.tokens.get(Role.ANALYST)).json();
    Set<String> classes = new HashSet<>();
    r.getJsonArray("items").forEach(o -> classes.add(((JsonObject) o).getString("declineClass")));
    assertThat(classes).contains("RETRY_LATER", "NEVER", "UNKNOWN");
    assertThat(r.getJsonObject("networkLimits").getJsonObject("visa").getInteger("maxReattempts")).isEqualTo(15);
  }

  @Test
  @DisplayName("a valid policy is stored, listed as custom, and reset to the default")
  void storeAndReset() {
    JsonObject policy = new JsonObject().put("action", "retry").put("maxAttempts", 3).put("window", "P14D")
        .put("schedule", new JsonArray().add("P1D").add("P3D").add("P7D")).put("jitter", "PT1H")
        .put("whenExhausted", "customer_action");
    ApiServer.Resp r = put("RETRY_LATER", policy);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.json().getString("source")).isEqualTo("custom");
    assertThat(db.scalar("SELECT count(*) FROM retry_policies WHERE org_id = ? AND decline_class = 'RETRY_LATER'",
        t.orgId)).isEqualTo(1);
    ApiServer.Resp reset = api.call(HttpMethod.DELETE, "/v1/retry-policies/RETRY_LATER", t.owner(), null);
    assertThat(reset.json().getString("source")).isEqualTo("default");
    assertThat(db.scalar("SELECT count(*) FROM retry_policies WHERE org_id = ?", t.orgId)).isZero();
  }

  @Test
  @DisplayName("a policy breaking Visa's reattempt limit is refused with 422 and the reason")
  void networkLimit() {
    JsonArray schedule = new JsonArray();
    for (int d = 1; d <= 20; d++) {
      schedule.add("P" + d + "D");
    }
    ApiServer.Resp r = put("RETRY_LATER", new JsonObject().put("action", "retry").put("maxAttempts", 20)
        .put("window", "P25D").put("schedule", schedule));
    assertThat(r.status()).as(r.toString()).isEqualTo(422);
    assertThat(r.errorCode()).isEqualTo("policy_rejected");
    assertThat(r.json().getJsonObject("error").getString("message")).contains("Visa allows 15").contains("visa");
    assertThat(db.scalar("SELECT count(*) FROM retry_policies WHERE org_id = ?", t.orgId)).isZero();
  }

  @Test
  @DisplayName("retrying a card the issuer will never approve is refused with 422")
  void neverClass() {
    ApiServer.Resp r = put("NEVER", new JsonObject().put("action", "retry").put("maxAttempts", 1).put("window", "P1D")
        .put("schedule", new JsonArray().add("PT12H")));
    assertThat(r.status()).isEqualTo(422);
    assertThat(r.json().getJsonObject("error").getString("message")).contains("never");
  }

  @Test
  @DisplayName("malformed policies are 400, unknown classes 404")
  void malformed() {
    assertThat(put("RETRY_LATER", new JsonObject().put("action", "retry").put("window", "two weeks")).status())
        .isEqualTo(400);
    assertThat(put("RETRY_LATER", new JsonObject().put("action", "pray")).status()).isEqualTo(400);
    assertThat(put("RETRY_LATER", new JsonObject().put("action", "give_up").put("color", "red")).status())
        .isEqualTo(400);
    assertThat(put("NOT_A_CLASS", new JsonObject().put("action", "give_up")).status()).isEqualTo(404);
  }

  @Test
  @DisplayName("the event log pages newest first and filters by PSP, endpoint and status")
  void eventLog() {
    Instant now = Instant.now().minusSeconds(30);
    for (int i = 0; i < 7; i++) {
      Fixtures.event(db, t.orgId, i % 2 == 0 ? "ep_log_a" : "ep_log_b", i % 2 == 0 ? "stripe" : "razorpay",
          now.plusMillis(i));
    }
    JsonObject first = api.get("/v1/events?limit=4&endpointId=ep_log_a", t.tokens.get(Role.ANALYST)).json();
    assertThat(first.getJsonArray("items")).hasSize(4);
    assertThat(first.getString("nextCursor")).isNull();
    JsonObject p1 = api.get("/v1/events?limit=2&psp=razorpay", t.owner()).json();
    JsonObject p2 = api.get("/v1/events?limit=2&psp=razorpay&cursor=" + p1.getString("nextCursor"), t.owner()).json();
    assertThat(p1.getJsonArray("items")).hasSize(2);
    assertThat(p2.getJsonArray("items")).hasSize(1);
    assertThat(p1.getJsonArray("items").getJsonObject(0).getString("verification")).isEqualTo("verified");
    assertThat(Instant.parse(p1.getJsonArray("items").getJsonObject(1).getString("receivedAt")))
        .isAfter(Instant.parse(p2.getJsonArray("items").getJsonObject(0).getString("receivedAt")));
    assertThat(api.get("/v1/events?status=pending&endpointId=ep_log_a", t.owner()).json().getJsonArray("items"))
        .isEmpty();
  }

  @Test
  @DisplayName("paging the event log visits every accepted and refused webhook once while new ones keep arriving")
  void eventLogPagesAreStable() {
    String ep = "ep_pages_" + UUID.randomUUID();
    Instant base = Instant.now().minusSeconds(120);
    Set<String> present = new HashSet<>();
    for (int i = 0; i < 9; i++) {
      // every third second an accepted and a refused webhook share received_at: the id breaks the tie across tables
      Instant at = base.plusSeconds(i - i % 3);
      present.add(Fixtures.event(db, t.orgId, ep, "stripe", at).toString());
      present.add(Fixtures.refusal(db, t.orgId, ep, "stripe", at).toString());
    }
    List<String> seen = new ArrayList<>();
    Instant previous = null;
    String cursor = null;
    int pages = 0;
    do {
      JsonObject page = api.get("/v1/events?limit=4&endpointId=" + ep + (cursor == null ? "" : "&cursor=" + cursor),
          t.owner()).json();
      for (Object o : page.getJsonArray("items")) {
        JsonObject item = (JsonObject) o;
        seen.add(item.getString("id"));
        Instant at = Instant.parse(item.getString("receivedAt"));
        if (previous != null) {
          assertThat(at).isBeforeOrEqualTo(previous);
        }
        previous = at;
      }
      cursor = page.getString("nextCursor");
      // webhooks arriving between pages, accepted and refused: newer than every row listed so far
      Fixtures.event(db, t.orgId, ep, "stripe", Instant.now());
      Fixtures.refusal(db, t.orgId, ep, "stripe", Instant.now());
      pages++;
    } while (cursor != null);
    assertThat(pages).isGreaterThanOrEqualTo(5);
    assertThat(seen).doesNotHaveDuplicates();
    assertThat(new HashSet<>(seen)).isEqualTo(present);
  }

  @Test
  @DisplayName("replay clears processed_at and hands the stored bytes to the engine over the event bus")
  void replay() throws Exception {
    UUID id = Fixtures.event(db, t.orgId, "ep_replay", "stripe", Instant.now().minusSeconds(5));
    CompletableFuture<InboundEvent> received = new CompletableFuture<>();
    MessageConsumer<InboundEvent> engine = api.vertx.eventBus().consumer(Addresses.INBOUND_EVENT, m -> {
      received.complete(m.body());
      m.reply(null);
    });
    ApiServer.await(engine.completion());
    try {
      ApiServer.Resp r = api.post("/v1/events/" + id + "/replay", t.tokens.get(Role.DEVELOPER), null);
      assertThat(r.status()).as(r.toString()).isEqualTo(202);
      assertThat(r.json().getString("status")).isEqualTo("dispatched");
      InboundEvent e = received.get(10, TimeUnit.SECONDS);
      assertThat(e.id()).isEqualTo(id);
      assertThat(e.orgId()).isEqualTo(t.orgId);
      assertThat(new String(e.rawBody(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"evt_" + id + "\"}");
      assertThat(db.scalar("SELECT count(*) FROM webhook_events WHERE id = ? AND processed_at IS NULL", id))
          .isEqualTo(1);
    } finally {
      ApiServer.await(engine.unregister());
    }
    // no engine listening: still accepted, left for the sweeper
    ApiServer.Resp queued = api.post("/v1/events/" + id + "/replay", t.owner(), null);
    assertThat(queued.json().getString("status")).isEqualTo("queued");
    assertThat(api.post("/v1/events/" + UUID.randomUUID() + "/replay", t.owner(), null).status()).isEqualTo(404);
  }
}
