package io.tinko.gateway.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinko.common.bus.Addresses;
import io.tinko.common.bus.InboundBatch;
import io.tinko.common.bus.InboundEvent;
import io.tinko.gateway.support.GatewayHarness;
import io.tinko.gateway.webhook.verify.WebhookSigner;
import io.tinko.testing.PostgresExtension;
import io.tinko.testing.RedisExtension;
import io.tinko.testing.TestDatabase;
import io.tinko.testing.TestRedis;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith({PostgresExtension.class, RedisExtension.class})
class WebhookIngestionTest {
  private static final String SECRET = "whsec_ingestion_test_secret";
  private static GatewayHarness gw;
  private static TestDatabase db;
  private static final List<InboundEvent> handedOff = new CopyOnWriteArrayList<>();
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  @BeforeAll
  static void start(TestDatabase database, TestRedis redis) throws Exception {
    db = database;
    gw = GatewayHarness.start(database, redis.url());
    gw.vertx.eventBus().<InboundBatch>consumer(Addresses.INBOUND_EVENT, msg -> {
      handedOff.addAll(msg.body().events());
      msg.reply(null);
    });
  }

  @AfterAll
  static void stop() {
    gw.close();
  }

  private static byte[] stripeEvent(String id) {
    return new JsonObject().put("id", id).put("object", "event").put("type", "invoice.payment_failed")
        .put("data", new JsonObject().put("object", new JsonObject().put("id", "in_" + id)))
        .encode().getBytes(StandardCharsets.UTF_8);
  }

  private static HttpResponse<String> postStripe(String endpoint, byte[] body, String secret) throws Exception {
    long t = System.currentTimeMillis() / 1000;
    return gw.post("/v1/webhooks/stripe/" + endpoint, body, "Stripe-Signature", WebhookSigner.stripe(t, body, secret),
        "Content-Type", "application/json");
  }

  private static long stored(String endpoint, String eventId) {
    return db.scalar("SELECT count(*) FROM webhook_events WHERE endpoint_id = ? AND event_id = ?", endpoint, eventId);
  }

  @Test
  @DisplayName("a valid Stripe webhook is stored with its raw body and headers, answered accepted, and handed off")
  void accepted() throws Exception {
    String ep = gw.endpoint("stripe", SECRET);
    byte[] body = stripeEvent("evt_accept_1");
    HttpResponse<String> r = postStripe(ep, body, SECRET);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(r.body()).getString("status")).isEqualTo("accepted");
    assertThat(r.headers().firstValue("X-Request-Id")).isPresent();
    assertThat(stored(ep, "evt_accept_1")).isEqualTo(1);
    try (var c = db.jdbc(); var s = c.prepareStatement(
        "SELECT raw_body, headers::text, event_type, org_id FROM webhook_events WHERE endpoint_id = ?")) {
      s.setString(1, ep);
      try (var rs = s.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getBytes(1)).isEqualTo(body);
        assertThat(rs.getString(2)).contains("Stripe-Signature");
        assertThat(rs.getString(3)).isEqualTo("invoice.payment_failed");
        assertThat(rs.getObject(4)).isEqualTo(gw.orgId());
      }
    }
    org.awaitility.Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() ->
        handedOff.stream().anyMatch(e -> e.eventId().equals("evt_accept_1") && e.endpointId().equals(ep)));
  }

  @Test
  @DisplayName("the same event again is answered duplicate and stored once")
  void duplicate() throws Exception {
    String ep = gw.endpoint("stripe", SECRET);
    byte[] body = stripeEvent("evt_dup_1");
    assertThat(postStripe(ep, body, SECRET).body()).contains("accepted");
    HttpResponse<String> again = postStripe(ep, body, SECRET);
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.body()).contains("duplicate");
    assertThat(stored(ep, "evt_dup_1")).isEqualTo(1);
  }

  @Test
  @DisplayName("the same event id on two endpoints is two events")
  void dedupeIsPerEndpoint() throws Exception {
    String a = gw.endpoint("stripe", SECRET);
    String b = gw.endpoint("stripe", SECRET);
    assertThat(postStripe(a, stripeEvent("evt_shared"), SECRET).body()).contains("accepted");
    assertThat(postStripe(b, stripeEvent("evt_shared"), SECRET).body()).contains("accepted");
  }

  @Test
  @DisplayName("concurrent copies of one new event: exactly one is accepted, the rest are duplicates")
  void concurrentCopies() throws Exception {
    String ep = gw.endpoint("stripe", SECRET);
    byte[] body = stripeEvent("evt_storm");
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        all.add(CompletableFuture.supplyAsync(() -> {
          try {
            return postStripe(ep, body, SECRET);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }, pool));
      }
      long accepted = 0;
      for (var f : all) {
        HttpResponse<String> r = f.get(30, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(200);
        accepted += r.body().contains("accepted") ? 1 : 0;
      }
      assertThat(accepted).isEqualTo(1);
      assertThat(stored(ep, "evt_storm")).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  @DisplayName("a tampered body is rejected with 401, a generic reason and nothing stored")
  void tampered() throws Exception {
    String ep = gw.endpoint("stripe", SECRET);
    byte[] body = stripeEvent("evt_tamper");
    String sig = WebhookSigner.stripe(System.currentTimeMillis() / 1000, body, SECRET);
    byte[] tampered = new String(body, StandardCharsets.UTF_8).replace("in_", "xx_").getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> r = gw.post("/v1/webhooks/stripe/" + ep, tampered, "Stripe-Signature", sig);
    assertThat(r.statusCode()).isEqualTo(401);
    JsonObject error = new JsonObject(r.body()).getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo("invalid_signature");
    assertThat(error.getString("requestId")).isEqualTo(r.headers().firstValue("X-Request-Id").orElseThrow());
    assertThat(r.body()).doesNotContain(sig.substring(sig.indexOf("v1=") + 3));
    assertThat(stored(ep, "evt_tamper")).isZero();
  }

  @Test
  @DisplayName("missing signature, wrong secret and an expired timestamp are all 401")
  void badSignatures() throws Exception {
    String ep = gw.endpoint("stripe", SECRET);
    byte[] body = stripeEvent("evt_bad");
    assertThat(gw.post("/v1/webhooks/stripe/" + ep, body).statusCode()).isEqualTo(401);
    assertThat(postStripe(ep, body, "whsec_wrong").statusCode()).isEqualTo(401);
    String old = WebhookSigner.stripe(System.currentTimeMillis() / 1000 - 3600, body, SECRET);
    assertThat(gw.post("/v1/webhooks/stripe/" + ep, body, "Stripe-Signature", old).statusCode()).isEqualTo(401);
    assertThat(stored(ep, "evt_bad")).isZero();
    assertThat(gw.counter("tinko_webhooks", "psp", "stripe", "outcome", "expired")).isGreaterThanOrEqualTo(1);
  }

  @Test
  @DisplayName("during a rotation both the new and the previous secret are accepted")
  void rotation() throws Exception {
    String ep = gw.endpoint("stripe", "whsec_new", "whsec_old", 1000);
    assertThat(postStripe(ep, stripeEvent("evt_rot_new"), "whsec_new").body()).contains("accepted");
    assertThat(postStripe(ep, stripeEvent("evt_rot_old"), "whsec_old").body()).contains("accepted");
    assertThat(postStripe(ep, stripeEvent("evt_rot_x"), "whsec_other").statusCode()).isEqualTo(401);
  }

  @Test
  @DisplayName("a signed body that is not JSON, or has no event id, is 400")
  void badPayload() throws Exception {
    String ep = gw.endpoint("stripe", SECRET);
    HttpResponse<String> notJson = postStripe(ep, "not json".getBytes(StandardCharsets.UTF_8), SECRET);
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(notJson.body()).getJsonObject("error").getString("code")).isEqualTo("invalid_payload");
    assertThat(postStripe(ep, "{\"type\":\"x\"}".getBytes(StandardCharsets.UTF_8), SECRET).statusCode())
        .isEqualTo(400);
  }

  @Test
  @DisplayName("an unknown endpoint, a disabled one, another PSP's URL and an unknown PSP are 404")
  void notFound() throws Exception {
    byte[] body = stripeEvent("evt_nf");
    assertThat(postStripe("ep_does_not_exist", body, SECRET).statusCode()).isEqualTo(404);
    String disabled = gw.endpoint("stripe", SECRET);
    db.execute("UPDATE psp_connections SET status = 'disabled' WHERE id = ?", disabled);
    gw.vertx.eventBus().publish(Addresses.ENDPOINT_CHANGED, new JsonObject().put("id", disabled));
    org.awaitility.Awaitility.await().atMost(5, TimeUnit.SECONDS)
        .until(() -> postStripe(disabled, body, SECRET).statusCode() == 404);
    String razorpay = gw.endpoint("razorpay", SECRET);
    assertThat(postStripe(razorpay, body, SECRET).statusCode()).isEqualTo(404);
    HttpResponse<String> unknownPsp = gw.post("/v1/webhooks/adyen/" + razorpay, body);
    assertThat(unknownPsp.statusCode()).isEqualTo(404);
    assertThat(new JsonObject(unknownPsp.body()).getJsonObject("error").getString("requestId")).isNotBlank();
  }

  @Test
  @DisplayName("a body over 512 KiB is 413 and counted")
  void tooLarge() throws Exception {
    String ep = gw.endpoint("stripe", SECRET);
    byte[] big = new byte[600 * 1024];
    java.util.Arrays.fill(big, (byte) 'a');
    HttpResponse<String> r = postStripe(ep, big, SECRET);
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(new JsonObject(r.body()).getJsonObject("error").getString("code")).isEqualTo("payload_too_large");
    assertThat(gw.counter("tinko_webhooks", "psp", "stripe", "outcome", "too_large")).isGreaterThanOrEqualTo(1);
  }

  @Test
  @DisplayName("an endpoint over its rate gets 429 with Retry-After")
  void rateLimited() throws Exception {
    String ep = gw.endpoint("stripe", SECRET, null, 3);
    int limited = 0;
    for (int i = 0; i < 10; i++) {
      HttpResponse<String> r = postStripe(ep, stripeEvent("evt_rate_" + i), SECRET);
      if (r.statusCode() == 429) {
        limited++;
        assertThat(r.headers().firstValue("Retry-After")).contains("1");
      }
    }
    assertThat(limited).isGreaterThan(0);
  }

  @Test
  @DisplayName("Razorpay and Standard Webhooks events are verified and stored under their own event ids")
  void otherSchemes() throws Exception {
    String rp = gw.endpoint("razorpay", "rzp_secret");
    byte[] rbody = "{\"event\":\"payment.failed\",\"payload\":{}}".getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> r = gw.post("/v1/webhooks/razorpay/" + rp, rbody,
        "X-Razorpay-Signature", WebhookSigner.razorpay("rzp_secret", rbody), "X-Razorpay-Event-Id", "rzp_evt_1");
    assertThat(r.body()).contains("accepted");
    assertThat(stored(rp, "rzp_evt_1")).isEqualTo(1);

    String secret = "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]);
    String sw = gw.endpoint("standard", secret);
    byte[] sbody = "{\"type\":\"payment.failed\",\"data\":{}}".getBytes(StandardCharsets.UTF_8);
    long ts = System.currentTimeMillis() / 1000;
    String msgId = "msg_" + UUID.randomUUID();
    HttpResponse<String> s = gw.post("/v1/webhooks/standard/" + sw, sbody, "webhook-id", msgId,
        "webhook-timestamp", Long.toString(ts), "webhook-signature", WebhookSigner.standard(msgId, ts, sbody, secret));
    assertThat(s.body()).contains("accepted");
    assertThat(stored(sw, msgId)).isEqualTo(1);
  }

  private static HttpResponse<String> postChunked(String path, byte[] body, String... headers) throws Exception {
    // an InputStream publisher has no length: the client sends the body chunked, without Content-Length
    HttpRequest.Builder b = HttpRequest.newBuilder(gw.url(path)).timeout(Duration.ofSeconds(10))
        .version(HttpClient.Version.HTTP_1_1)
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  @DisplayName("a chunked body (no Content-Length) is read whole and accepted")
  void chunkedAccepted() throws Exception {
    String ep = gw.endpoint("stripe", SECRET);
    byte[] body = stripeEvent("evt_chunked_1");
    HttpResponse<String> r = postChunked("/v1/webhooks/stripe/" + ep, body, "Stripe-Signature",
        WebhookSigner.stripe(System.currentTimeMillis() / 1000, body, SECRET), "Content-Type", "application/json");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("{\"status\":\"accepted\"}");
    assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
    try (var c = db.jdbc(); var s = c.prepareStatement("SELECT raw_body FROM webhook_events WHERE endpoint_id = ?")) {
      s.setString(1, ep);
      try (var rs = s.executeQuery()) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getBytes(1)).isEqualTo(body);
      }
    }
  }

  @Test
  @DisplayName("a chunked body that grows over 512 KiB is refused with 413 while it is read, and counted")
  void chunkedTooLarge() throws Exception {
    String ep = gw.endpoint("stripe", SECRET);
    double before = gw.counter("tinko_webhooks", "psp", "stripe", "outcome", "too_large");
    byte[] big = new byte[600 * 1024];
    java.util.Arrays.fill(big, (byte) 'a');
    HttpResponse<String> r;
    try {
      r = postChunked("/v1/webhooks/stripe/" + ep, big, "Stripe-Signature", "t=1,v1=00");
    } catch (java.io.IOException e) {
      // the server may close the connection before the client has finished sending; the count still shows it
      r = null;
    }
    if (r != null) {
      assertThat(r.statusCode()).isEqualTo(413);
      JsonObject error = new JsonObject(r.body()).getJsonObject("error");
      assertThat(error.getString("code")).isEqualTo("payload_too_large");
      assertThat(error.getString("requestId")).isEqualTo(r.headers().firstValue("X-Request-Id").orElseThrow());
    }
    assertThat(gw.counter("tinko_webhooks", "psp", "stripe", "outcome", "too_large")).isGreaterThan(before);
  }

  @Test
  @DisplayName("a 413 closes the HTTP/1.1 connection soon after, on the direct path and through the router")
  void tooLargeClosesTheConnection() throws Exception {
    String ep = gw.endpoint("stripe", SECRET);
    // the second URL needs decoding, so the router serves it
    for (String path : List.of("/v1/webhooks/stripe/" + ep, "/v1/webhooks/str%69pe/" + ep)) {
      try (java.net.Socket socket = new java.net.Socket("127.0.0.1", gw.url("/").getPort())) {
        socket.setSoTimeout(15_000);
        // declares 600 KiB, sends none of it and keeps the connection open, as a slow or stubborn client would
        socket.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "Content-Type: application/json\r\nStripe-Signature: t=1,v1=00\r\nContent-Length: " + 600 * 1024
            + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        long start = System.nanoTime();
        byte[] all = socket.getInputStream().readAllBytes(); // returns at end of stream: the server closed
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        String answer = new String(all, StandardCharsets.US_ASCII);
        assertThat(answer).as(path).startsWith("HTTP/1.1 413").contains("payload_too_large")
            .containsIgnoringCase("connection: close");
        // before, the connection stayed open until the idle timeout (120 s) and the read above timed out
        assertThat(seconds).as(path).isLessThan(15);
      }
    }
  }

  @Test
  @DisplayName("a sane caller X-Request-Id is echoed and quoted in the error body; a bad one is replaced")
  void callerRequestId() throws Exception {
    String ep = gw.endpoint("stripe", SECRET);
    HttpResponse<String> r = gw.post("/v1/webhooks/stripe/" + ep, stripeEvent("evt_rid"), "X-Request-Id", "rid-123");
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().firstValue("X-Request-Id")).contains("rid-123");
    assertThat(new JsonObject(r.body()).getJsonObject("error").getString("requestId")).isEqualTo("rid-123");
    HttpResponse<String> bad = gw.post("/v1/webhooks/stripe/" + ep, stripeEvent("evt_rid"), "X-Request-Id",
        "x".repeat(200));
    assertThat(bad.headers().firstValue("X-Request-Id").orElseThrow()).startsWith("rq_");
  }

  @Test
  @DisplayName("webhook URLs that need decoding go through the router and are answered the same way")
  void encodedPathThroughRouter() throws Exception {
    String ep = gw.endpoint("stripe", SECRET);
    byte[] body = stripeEvent("evt_encoded_1");
    String encoded = "/v1/webhooks/str%69pe/" + ep.replace("_", "%5F");
    HttpResponse<String> r = gw.post(encoded, body, "Stripe-Signature",
        WebhookSigner.stripe(System.currentTimeMillis() / 1000, body, SECRET));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("accepted");
    assertThat(stored(ep, "evt_encoded_1")).isEqualTo(1);
    HttpResponse<String> tampered = gw.post(encoded, stripeEvent("evt_encoded_2"), "Stripe-Signature",
        WebhookSigner.stripe(System.currentTimeMillis() / 1000, body, SECRET));
    assertThat(tampered.statusCode()).isEqualTo(401);
    assertThat(new JsonObject(tampered.body()).getJsonObject("error").getString("requestId"))
        .isEqualTo(tampered.headers().firstValue("X-Request-Id").orElseThrow());
    assertThat(gw.post("/v1/webhooks/str%69pe/ep_nope", body).statusCode()).isEqualTo(404);
  }

  @Test
  @DisplayName("other methods on a webhook URL are left to the router")
  void otherMethods() throws Exception {
    String ep = gw.endpoint("stripe", SECRET);
    HttpResponse<String> r = gw.get("/v1/webhooks/stripe/" + ep);
    assertThat(r.statusCode()).isGreaterThanOrEqualTo(400);
    assertThat(new JsonObject(r.body()).getJsonObject("error").getString("requestId")).isNotBlank();
  }

  @Test
  @DisplayName("health, readiness and metrics answer; unknown routes get the JSON error shape")
  void healthAndMetrics() throws Exception {
    assertThat(gw.get("/health/live").statusCode()).isEqualTo(200);
    HttpResponse<String> ready = gw.get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    JsonObject checks = new JsonObject(ready.body()).getJsonObject("checks");
    assertThat(checks.fieldNames()).containsExactlyInAnyOrder("postgres", "redis", "eventBus");
    assertThat(gw.get("/metrics").body()).contains("tinko_webhooks_total");
    HttpResponse<String> missing = gw.get("/nope");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(new JsonObject(missing.body()).getJsonObject("error").getString("code")).isEqualTo("not_found");
  }
}
