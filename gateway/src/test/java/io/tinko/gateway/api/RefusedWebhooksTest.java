package io.tinko.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinko.gateway.webhook.verify.WebhookSigner;
import io.tinko.testing.PostgresExtension;
import io.tinko.testing.RedisExtension;
import io.tinko.testing.TestDatabase;
import io.tinko.testing.TestRedis;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Webhooks the gateway refuses for a known endpoint show up in GET /v1/events with their outcome, a moment after the
 * refusal was answered, and never as accepted or replayable events; a flood beyond the per-endpoint cap is counted,
 * not stored. Real gateway, real Postgres.
 */
@ExtendWith({PostgresExtension.class, RedisExtension.class})
class RefusedWebhooksTest {
  private static final int CAP = 3;
  private static final int MAX_BODY = 4096;
  private static final String SECRET = "whsec_refusals_right";
  private static ApiServer api;
  private static TestDatabase db;
  private static Tenant t;

  @BeforeAll
  static void start(TestDatabase database, TestRedis redis) {
    db = database;
    api = ApiServer.start(db, redis.url(), c -> c.with("webhooks.refusals.perEndpointPerSecond", CAP)
        .with("webhooks.refusals.lingerMs", 20).with("webhooks.maxBodyBytes", MAX_BODY));
    t = Tenant.create(api, "Refusals");
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  private static String connection(Tenant tenant) {
    ApiServer.Resp r = api.post("/v1/psp-connections", tenant.owner(), new JsonObject().put("psp", "stripe")
        .put("webhookSecret", SECRET));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json().getString("id");
  }

  private static String event(String id) {
    return new JsonObject().put("id", id).put("object", "event").put("type", "invoice.payment_failed")
        .put("data", new JsonObject().put("object", new JsonObject().put("id", "in_" + id))).encode();
  }

  private static ApiServer.Resp stripe(String endpoint, String body, String signature) {
    return signature == null ? api.rawPost("/v1/webhooks/stripe/" + endpoint, "application/json", body)
        : api.rawPost("/v1/webhooks/stripe/" + endpoint, "application/json", body, "Stripe-Signature", signature);
  }

  private static String sign(String body, String secret, long ageSeconds) {
    return WebhookSigner.stripe(System.currentTimeMillis() / 1000 - ageSeconds,
        body.getBytes(StandardCharsets.UTF_8), secret);
  }

  private static JsonArray events(String query, String credential) {
    ApiServer.Resp r = api.get("/v1/events" + query, credential);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json().getJsonArray("items");
  }

  /** Polls the log until it holds what the test waits for: the write happens after the refusal was answered. */
  private static JsonArray awaitEvents(String query, Predicate<JsonArray> done) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 10_000;
    JsonArray items = events(query, t.owner());
    while (!done.test(items) && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
      items = events(query, t.owner());
    }
    return items;
  }

  /** A counter from /metrics, by name and labels (whatever other labels the registry adds). */
  private static double metric(String name, String... labels) {
    for (String line : api.get("/metrics", null).body().split("\n")) {
      if (!line.startsWith(name + "{")) {
        continue;
      }
      boolean match = true;
      for (int i = 0; i + 1 < labels.length; i += 2) {
        match &= line.contains(labels[i] + "=\"" + labels[i + 1] + "\"");
      }
      if (match) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return 0;
  }

  @Test
  @DisplayName("a webhook signed with the wrong secret is answered 401 at once, then listed as bad_signature; "
      + "it is not an accepted event and cannot be replayed")
  void wrongSecret() throws Exception {
    String ep = connection(t);
    String body = event("evt_wrong_secret");
    String signature = sign(body, "whsec_someone_else", 0);
    ApiServer.Resp refused = stripe(ep, body, signature);
    assertThat(refused.status()).as(refused.toString()).isEqualTo(401);
    assertThat(refused.errorCode()).isEqualTo("invalid_signature");

    JsonArray items = awaitEvents("?outcome=bad_signature&endpointId=" + ep, a -> !a.isEmpty());
    assertThat(items).hasSize(1);
    JsonObject e = items.getJsonObject(0);
    assertThat(e.getString("outcome")).isEqualTo("bad_signature");
    assertThat(e.getString("verification")).isEqualTo("failed");
    assertThat(e.getString("endpointId")).isEqualTo(ep);
    assertThat(e.getString("psp")).isEqualTo("stripe");
    assertThat(e.getString("eventId")).isEqualTo("evt_wrong_secret");
    assertThat(e.getString("eventType")).isEqualTo("invoice.payment_failed");
    assertThat(e.getString("reason")).isEqualTo("signature does not match any active secret of this endpoint");
    assertThat(e.getInteger("bodyBytes")).isEqualTo(body.length());
    assertThat(e.getString("bodySha256")).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(body.getBytes(StandardCharsets.UTF_8))));
    assertThat(e.getString("bodyPrefix")).isEqualTo(body);
    assertThat(e.getString("receivedAt")).isNotBlank();
    assertThat(e.containsKey("processedAt")).isFalse();
    assertThat(e.encode()).doesNotContain(signature.substring(signature.indexOf("v1=") + 3));

    assertThat(db.scalar("SELECT count(*) FROM webhook_events WHERE endpoint_id = ?", ep)).isZero();
    assertThat(db.scalar("SELECT count(*) FROM webhook_event_keys WHERE endpoint_id = ?", ep)).isZero();
    ApiServer.Resp replay = api.post("/v1/events/" + e.getString("id") + "/replay", t.owner(), null);
    assertThat(replay.status()).as(replay.toString()).isEqualTo(404);

    // the right secret still works, and the log shows both, newest first
    assertThat(stripe(ep, event("evt_right_secret"), sign(event("evt_right_secret"), SECRET, 0)).status())
        .isEqualTo(200);
    JsonArray all = events("?endpointId=" + ep, t.tokens.get(Role.ANALYST));
    assertThat(all).hasSize(2);
    assertThat(all.getJsonObject(0).getString("outcome")).isEqualTo("accepted");
    assertThat(all.getJsonObject(0).getString("verification")).isEqualTo("verified");
    assertThat(all.getJsonObject(1).getString("id")).isEqualTo(e.getString("id"));
    assertThat(events("?outcome=accepted&endpointId=" + ep, t.owner())).hasSize(1);
    assertThat(events("?status=pending&endpointId=" + ep, t.owner()).stream()
        .map(o -> ((JsonObject) o).getString("outcome"))).containsOnly("accepted");
  }

  @Test
  @DisplayName("expired, unsigned, oversized and malformed webhooks each get their own outcome and reason")
  void outcomes() throws Exception {
    String ep = connection(t);
    Thread.sleep(1000 - System.currentTimeMillis() % 1000 + 10);
    String old = event("evt_old");
    assertThat(stripe(ep, old, sign(old, SECRET, 3600)).status()).isEqualTo(401);
    assertThat(stripe(ep, event("evt_unsigned"), null).status()).isEqualTo(401);
    // the cap is CAP a second per endpoint: the next two go into a fresh second
    Thread.sleep(1000 - System.currentTimeMillis() % 1000 + 10);
    String big = "{\"id\":\"evt_big\",\"pad\":\"" + "x".repeat(MAX_BODY) + "\"}";
    assertThat(stripe(ep, big, sign(big, SECRET, 0)).status()).isEqualTo(413);
    String notJson = "this is not json";
    assertThat(stripe(ep, notJson, sign(notJson, SECRET, 0)).status()).isEqualTo(400);

    JsonArray items = awaitEvents("?outcome=refused&endpointId=" + ep, a -> a.size() == 4);
    assertThat(items).hasSize(4);
    List<String> seen = new ArrayList<>();
    for (Object o : items) {
      JsonObject e = (JsonObject) o;
      seen.add(e.getString("outcome") + "/" + e.getString("verification") + "/" + e.getString("reason"));
    }
    assertThat(seen).containsExactly(
        "malformed/verified/body is not valid JSON",
        "too_large/not_checked/body exceeds " + MAX_BODY + " bytes",
        "bad_signature/failed/signature header missing",
        "expired/failed/signature timestamp outside the tolerance");
    assertThat(items.getJsonObject(3).getString("eventId")).isEqualTo("evt_old");
    assertThat(items.getJsonObject(1).getString("bodySha256")).as("never read").isNull();
    assertThat(items.getJsonObject(1).getInteger("bodyBytes")).isEqualTo(big.length());
    assertThat(items.getJsonObject(0).getString("bodyPrefix")).isEqualTo(notJson);
    for (String outcome : new String[] {"expired", "too_large", "malformed"}) {
      assertThat(events("?outcome=" + outcome + "&endpointId=" + ep, t.owner())).as(outcome).hasSize(1);
    }
    assertThat(db.scalar("SELECT count(*) FROM webhook_events WHERE endpoint_id = ?", ep)).isZero();

    // one keyset over both tables: page by page, the same rows in the same order
    assertThat(stripe(ep, event("evt_ok"), sign(event("evt_ok"), SECRET, 0)).status()).isEqualTo(200);
    JsonArray whole = events("?endpointId=" + ep, t.owner());
    assertThat(whole).hasSize(5);
    List<String> paged = new ArrayList<>();
    String cursor = null;
    do {
      JsonObject page = api.get("/v1/events?limit=2&endpointId=" + ep + (cursor == null ? "" : "&cursor=" + cursor),
          t.owner()).json();
      page.getJsonArray("items").forEach(o -> paged.add(((JsonObject) o).getString("id")));
      cursor = page.getString("nextCursor");
    } while (cursor != null);
    assertThat(paged).containsExactlyElementsOf(whole.stream().map(o -> ((JsonObject) o).getString("id")).toList());
  }

  @Test
  @DisplayName("a flood of forged webhooks is answered 401 each, and beyond the per-endpoint cap counted, not stored")
  void flood() throws Exception {
    String ep = connection(t);
    String capped = "tinko_webhook_refusals_dropped_total";
    double cappedBefore = metric(capped, "reason", "rate_capped");
    int sent = 40;
    long firstSecond = System.currentTimeMillis() / 1000;
    for (int i = 0; i < sent; i++) {
      String body = event("evt_flood_" + i);
      assertThat(stripe(ep, body, sign(body, "whsec_forger", 0)).status()).isEqualTo(401);
    }
    long seconds = System.currentTimeMillis() / 1000 - firstSecond + 1;
    double cappedNow = metric(capped, "reason", "rate_capped") - cappedBefore;
    long kept = sent - (long) cappedNow;
    assertThat(kept).isBetween((long) CAP, CAP * seconds);
    JsonArray items = awaitEvents("?outcome=refused&limit=200&endpointId=" + ep, a -> a.size() >= kept);
    Thread.sleep(300);
    assertThat(db.scalar("SELECT count(*) FROM webhook_refusals WHERE endpoint_id = ?", ep)).isEqualTo(kept);
    assertThat(items).hasSize((int) kept);
    assertThat(metric("tinko_webhooks_total", "outcome", "bad_signature", "psp", "stripe"))
        .isGreaterThanOrEqualTo(sent);
  }

  @Test
  @DisplayName("another tenant's refused webhooks are not in the log, whatever the filter")
  void tenantIsolation() throws Exception {
    Tenant other = Tenant.create(api, "Refusals Other");
    String theirs = connection(other);
    String body = event("evt_other_tenant");
    assertThat(stripe(theirs, body, sign(body, "whsec_nope", 0)).status()).isEqualTo(401);
    long deadline = System.currentTimeMillis() + 10_000;
    while (events("?endpointId=" + theirs, other.owner()).isEmpty() && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
    }
    assertThat(events("?endpointId=" + theirs, other.owner())).hasSize(1);
    for (String q : new String[] {"", "?outcome=refused", "?outcome=bad_signature", "?endpointId=" + theirs}) {
      ApiServer.Resp r = api.get("/v1/events" + q, t.owner());
      assertThat(r.body()).as(q).doesNotContain(theirs).doesNotContain("evt_other_tenant");
    }
  }
}
