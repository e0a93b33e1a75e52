package io.tinko.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinko.gateway.webhook.verify.WebhookSigner;
import io.tinko.testing.PostgresExtension;
import io.tinko.testing.RedisExtension;
import io.tinko.testing.TestDatabase;
import io.tinko.testing.TestRedis;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * PSP connections end to end: the webhook URL they return accepts webhooks signed with their secret, a rotation
 * accepts old and new until the old is retired, disabling closes the URL; secrets are sealed at rest and never
 * returned.
 */
@ExtendWith({PostgresExtension.class, RedisExtension.class})
class ConnectionsTest {
  private static ApiServer api;
  private static Tenant t;

  @BeforeAll
  static void start(TestDatabase db, TestRedis redis) {
    api = ApiServer.start(db, redis.url());
    t = Tenant.create(api, "Connectors");
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  private static int webhook(String id, String... secrets) {
    byte[] body = ("{\"id\":\"evt_" + UUID.randomUUID() + "\",\"type\":\"invoice.payment_failed\",\"data\":{}}")
        .getBytes(StandardCharsets.UTF_8);
    String sig = WebhookSigner.stripe(System.currentTimeMillis() / 1000, body, secrets);
    return api.rawPost("/v1/webhooks/stripe/" + id, "application/json", new String(body, StandardCharsets.UTF_8),
        "Stripe-Signature", sig).status();
  }

  private static JsonObject create(String secret) {
    ApiServer.Resp r = api.post("/v1/psp-connections", t.tokens.get(Role.DEVELOPER), new JsonObject()
        .put("psp", "stripe").put("webhookSecret", secret).put("apiKey", "sk_test_very_secret_key"));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json();
  }

  @Test
  @DisplayName("create answers 201 with the webhook URL; secrets are sealed in the row and absent from answers")
  void createSealed() throws Exception {
    String secret = "whsec_" + UUID.randomUUID();
    JsonObject c = create(secret);
    String id = c.getString("id");
    assertThat(c.getString("webhookUrl")).isEqualTo("https://tinko.test/v1/webhooks/stripe/" + id);
    assertThat(c.getBoolean("hasCredentials")).isTrue();
    String all = api.get("/v1/psp-connections", t.owner()).body() + api.get("/v1/psp-connections/" + id, t.owner())
        .body() + c.encode();
    assertThat(all).doesNotContain(secret).doesNotContain("sk_test_very_secret_key");
    try (var conn = api.db.jdbc(); var ps = conn.prepareStatement(
        "SELECT webhook_secret_enc, credentials_enc FROM psp_connections WHERE id = ?")) {
      ps.setString(1, id);
      var rs = ps.executeQuery();
      assertThat(rs.next()).isTrue();
      String stored = new String(rs.getBytes(1), StandardCharsets.ISO_8859_1)
          + new String(rs.getBytes(2), StandardCharsets.ISO_8859_1);
      assertThat(stored).doesNotContain(secret).doesNotContain("sk_test_very_secret_key");
      assertThat(api.sealing.openWebhookSecret(id, rs.getBytes(1))).isEqualTo(secret);
      assertThat(api.sealing.openCredentials(id, rs.getBytes(2))).contains("sk_test_very_secret_key");
    }
    Awaitility.await().untilAsserted(() -> assertThat(webhook(id, secret)).isEqualTo(200));
    assertThat(webhook(id, "whsec_wrong")).isEqualTo(401);
  }

  @Test
  @DisplayName("after a rotation old and new secrets are both accepted until the old one is retired")
  void rotation() {
    String old = "whsec_old_" + UUID.randomUUID();
    String id = create(old).getString("id");
    Awaitility.await().untilAsserted(() -> assertThat(webhook(id, old)).isEqualTo(200));
    String fresh = "whsec_new_" + UUID.randomUUID();
    ApiServer.Resp rot = api.post("/v1/psp-connections/" + id + "/rotate-secret", t.tokens.get(Role.DEVELOPER),
        new JsonObject().put("webhookSecret", fresh).put("previousSecretValidForSeconds", 3600));
    assertThat(rot.status()).as(rot.toString()).isEqualTo(200);
    assertThat(rot.json().getString("previousSecretValidUntil")).isNotNull();
    assertThat(rot.body()).doesNotContain(fresh);
    Awaitility.await().untilAsserted(() -> assertThat(webhook(id, fresh)).isEqualTo(200));
    assertThat(webhook(id, old)).isEqualTo(200);

    ApiServer.Resp retire = api.post("/v1/psp-connections/" + id + "/retire-previous-secret",
        t.tokens.get(Role.DEVELOPER), null);
    assertThat(retire.status()).isEqualTo(200);
    assertThat(retire.json().getString("previousSecretValidUntil")).isNull();
    Awaitility.await().untilAsserted(() -> assertThat(webhook(id, old)).isEqualTo(401));
    assertThat(webhook(id, fresh)).isEqualTo(200);
  }

  @Test
  @DisplayName("disabling a connection closes its webhook URL (404)")
  void disable() {
    String secret = "whsec_" + UUID.randomUUID();
    String id = create(secret).getString("id");
    Awaitility.await().untilAsserted(() -> assertThat(webhook(id, secret)).isEqualTo(200));
    ApiServer.Resp r = api.post("/v1/psp-connections/" + id + "/disable", t.owner(), null);
    assertThat(r.json().getString("status")).isEqualTo("disabled");
    Awaitility.await().untilAsserted(() -> assertThat(webhook(id, secret)).isEqualTo(404));
  }

  @Test
  @DisplayName("PayPal needs its webhook id; other PSPs need a secret; unknown fields are refused (400)")
  void validation() {
    ApiServer.Resp paypal = api.post("/v1/psp-connections", t.owner(), new JsonObject().put("psp", "paypal"));
    assertThat(paypal.status()).isEqualTo(400);
    assertThat(paypal.body()).contains("paypalWebhookId");
    assertThat(api.post("/v1/psp-connections", t.owner(), new JsonObject().put("psp", "paypal")
        .put("paypalWebhookId", "WH-1")).status()).isEqualTo(201);
    assertThat(api.post("/v1/psp-connections", t.owner(), new JsonObject().put("psp", "stripe")).status())
        .isEqualTo(400);
    ApiServer.Resp extra = api.post("/v1/psp-connections", t.owner(), new JsonObject().put("psp", "stripe")
        .put("webhookSecret", "whsec_12345678").put("orgId", UUID.randomUUID().toString()));
    assertThat(extra.status()).isEqualTo(400);
    assertThat(extra.body()).contains("orgId");
    assertThat(api.post("/v1/psp-connections", t.owner(), new JsonObject().put("psp", "mybank")
        .put("webhookSecret", "whsec_12345678")).status()).isEqualTo(400);
  }
}
