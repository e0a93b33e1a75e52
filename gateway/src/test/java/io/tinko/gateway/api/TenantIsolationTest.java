package io.tinko.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinko.testing.PostgresExtension;
import io.tinko.testing.RedisExtension;
import io.tinko.testing.TestDatabase;
import io.tinko.testing.TestRedis;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tenant A, with its most powerful credentials, against tenant B's objects: every read and write answers 404 (never
 * 403, never data), B's objects are unchanged, and A's lists hold none of B's rows.
 */
@ExtendWith({PostgresExtension.class, RedisExtension.class})
class TenantIsolationTest {
  private static ApiServer api;
  private static TestDatabase db;
  private static Tenant a;
  private static Tenant b;
  private static String bConnection;
  private static String bKeyId;
  private static UUID bTxn;
  private static UUID bEvent;

  @BeforeAll
  static void start(TestDatabase database, TestRedis redis) {
    db = database;
    api = ApiServer.start(db, redis.url());
    a = Tenant.create(api, "Tenant A");
    b = Tenant.create(api, "Tenant B");
    Fixtures.transaction(db, a.orgId);
    bConnection = api.post("/v1/psp-connections", b.owner(), new JsonObject().put("psp", "stripe")
        .put("webhookSecret", "whsec_tenant_b_secret")).json().getString("id");
    bKeyId = api.get("/v1/api-keys", b.owner()).json().getJsonArray("items").getJsonObject(0).getString("id");
    bTxn = Fixtures.transaction(db, b.orgId);
    bEvent = Fixtures.event(db, b.orgId, bConnection, "stripe", Instant.now());
    Fixtures.decisionWithAttempt(db, b.orgId, bTxn, bEvent, Instant.now());
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  private static void notFound(HttpMethod method, String path, JsonObject body) {
    notFound(method, path, body, a.owner(), a.keys.get(Role.ADMIN));
  }

  private static void notFound(HttpMethod method, String path, JsonObject body, String... credentials) {
    for (String credential : credentials) {
      ApiServer.Resp r = api.call(method, path, credential, body);
      assertThat(r.status()).as(method + " " + path + ": " + r).isEqualTo(404);
      assertThat(r.body()).doesNotContain(b.orgId.toString()).doesNotContain("Tenant B");
    }
  }

  @Test
  @DisplayName("another tenant's PSP connection: read, rotate, retire and disable are 404 and change nothing")
  void connections() {
    String base = "/v1/psp-connections/" + bConnection;
    notFound(HttpMethod.GET, base, null);
    notFound(HttpMethod.POST, base + "/rotate-secret", new JsonObject().put("webhookSecret", "whsec_attacker_1"));
    notFound(HttpMethod.POST, base + "/retire-previous-secret", null);
    notFound(HttpMethod.POST, base + "/disable", null);
    JsonObject mine = api.get(base, b.owner()).json();
    assertThat(mine.getString("status")).isEqualTo("active");
    assertThat(mine.getString("previousSecretValidUntil")).isNull();
    assertThat(api.get("/v1/psp-connections", a.owner()).body()).doesNotContain(bConnection);
  }

  @Test
  @DisplayName("another tenant's API key cannot be revoked (404) and keeps working")
  void apiKeys() {
    // keys are managed by members only (API keys get 403 on the route whatever the id)
    notFound(HttpMethod.DELETE, "/v1/api-keys/" + bKeyId, null, a.owner(), a.tokens.get(Role.DEVELOPER));
    assertThat(db.scalar("SELECT count(*) FROM api_keys WHERE id = ?::uuid AND revoked_at IS NULL", bKeyId))
        .isEqualTo(1);
    assertThat(api.get("/v1/api-keys", a.owner()).body()).doesNotContain(bKeyId);
  }

  @Test
  @DisplayName("another tenant's transaction is 404 and absent from every list and filter")
  void transactions() {
    notFound(HttpMethod.GET, "/v1/transactions/" + bTxn, null);
    for (String q : new String[] {"", "?status=retrying", "?psp=stripe", "?declineClass=RETRY_LATER",
        "?amountMin=0&amountMax=999999", "?currency=USD"}) {
      ApiServer.Resp r = api.get("/v1/transactions" + q, a.owner());
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.json().getJsonArray("items")).hasSize(1);
      assertThat(r.body()).doesNotContain(bTxn.toString());
    }
  }

  @Test
  @DisplayName("another tenant's event cannot be replayed (404, still processed) and is not in the log")
  void events() {
    notFound(HttpMethod.POST, "/v1/events/" + bEvent + "/replay", null);
    assertThat(db.scalar("SELECT count(*) FROM webhook_events WHERE id = ?::uuid AND processed_at IS NOT NULL",
        bEvent.toString())).isEqualTo(1);
    assertThat(api.get("/v1/events", a.owner()).body()).doesNotContain(bEvent.toString());
    assertThat(api.get("/v1/events?endpointId=" + bConnection, a.owner()).json().getJsonArray("items")).isEmpty();
  }

  @Test
  @DisplayName("a policy stored by one tenant does not change another's")
  void policies() {
    JsonObject first = api.get("/v1/retry-policies", a.owner()).json().getJsonArray("items").getJsonObject(0);
    String cls = first.getString("declineClass");
    assertThat(api.call(HttpMethod.PUT, "/v1/retry-policies/" + cls, a.owner(), first.getJsonObject("policy"))
        .status()).isEqualTo(200);
    assertThat(api.get("/v1/retry-policies", a.owner()).json().getJsonArray("items").getJsonObject(0)
        .getString("source")).isEqualTo("custom");
    assertThat(api.get("/v1/retry-policies", b.owner()).json().getJsonArray("items").getJsonObject(0)
        .getString("source")).isEqualTo("default");
  }

  @Test
  @DisplayName("members, the organisation and /v1/me are the caller's own")
  void organization() {
    assertThat(api.get("/v1/org", a.owner()).json().getString("id")).isEqualTo(a.orgId.toString());
    assertThat(api.get("/v1/me", a.keys.get(Role.ANALYST)).json().getString("organizationId"))
        .isEqualTo(a.orgId.toString());
    assertThat(api.get("/v1/org/members", a.owner()).body()).doesNotContain(b.ownerEmail);
  }
}
