package io.tinko.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tinko.gateway.api.openapi.OpenApi;
import io.tinko.testing.PostgresExtension;
import io.tinko.testing.RedisExtension;
import io.tinko.testing.TestDatabase;
import io.tinko.testing.TestRedis;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.OpenAPIVersion;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The OpenAPI document against the running server: it is a valid 3.1 contract, served as-is at /openapi.json,
 * every documented operation is routed and states the roles the role matrix expects, and one scenario calls every
 * operation with each answer validated against the documented response schema.
 */
@ExtendWith({PostgresExtension.class, RedisExtension.class})
class OpenApiContractTest {
  private static ApiServer api;
  private static TestDatabase db;
  private static OpenAPIContract contract;
  private static ResponseValidator responses;
  private static final Set<String> CALLED = new HashSet<>();

  @BeforeAll
  static void start(TestDatabase database, TestRedis redis) {
    db = database;
    api = ApiServer.start(db, redis.url());
    contract = ApiServer.await(OpenAPIContract.from(api.vertx, OpenApi.readDocument()));
    responses = ResponseValidator.create(api.vertx, contract);
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  @Test
  @DisplayName("the document is a valid OpenAPI 3.1 contract and /openapi.json serves it")
  void documentServed() {
    assertThat(contract.getVersion()).isEqualTo(OpenAPIVersion.V3_1);
    ApiServer.Resp r = api.get("/openapi.json", null);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json()).isEqualTo(OpenApi.readDocument());
  }

  @Test
  @DisplayName("every documented operation is routed: no credential gives 401, public ones validate their body")
  void everyOperationRouted() {
    for (Operation op : contract.operations()) {
      if (op.getOperationId().equals("getOpenApi")) {
        continue;
      }
      String path = op.getOpenAPIPath().replaceAll("\\{[A-Za-z]+}", "RETRY_LATER");
      JsonObject ext = op.getOpenAPIModel();
      ApiServer.Resp r = api.call(op.getHttpMethod(), path, null, op.getRequestBody() == null ? null : new JsonObject());
      boolean isPublic = op.getSecurityRequirements() != null && op.getSecurityRequirements().isEmpty()
          && ext.getJsonArray("security") != null;
      assertThat(r.status()).as(op.getOperationId() + " " + r).isEqualTo(isPublic ? 400 : 401);
    }
  }

  @Test
  @DisplayName("the document's x-tinko-min-role and x-tinko-users-only match the role matrix")
  void rolesDocumented() {
    Set<String> documented = new TreeSet<>();
    for (Operation op : contract.operations()) {
      JsonObject m = op.getOpenAPIModel();
      if (!m.containsKey("x-tinko-min-role")) {
        continue;
      }
      documented.add(op.getOperationId());
      Object[] expected = RoleMatrixTest.EXPECTED.get(op.getOperationId());
      assertThat(expected).as(op.getOperationId()).isNotNull();
      assertThat(m.getString("x-tinko-min-role")).as(op.getOperationId()).isEqualTo(((Role) expected[0]).id());
      assertThat(m.getBoolean("x-tinko-users-only", false)).as(op.getOperationId()).isEqualTo(expected[1]);
    }
    assertThat(documented).isEqualTo(new TreeSet<>(RoleMatrixTest.EXPECTED.keySet()));
  }

  @Test
  @DisplayName("a scenario calls every documented operation; each answer matches its documented schema")
  void everyOperationExercised() {
    String email = "contract-" + UUID.randomUUID() + "@oas.example";
    call("getOpenApi", HttpMethod.GET, "/openapi.json", null, null, 200);
    JsonObject reg = call("register", HttpMethod.POST, "/v1/auth/register", null, new JsonObject()
        .put("organization", "Contract").put("email", email).put("password", Tenant.PASSWORD), 201);
    UUID org = UUID.fromString(reg.getJsonObject("organization").getString("id"));
    JsonObject pair = call("login", HttpMethod.POST, "/v1/auth/login", null, new JsonObject().put("email", email)
        .put("password", Tenant.PASSWORD), 200);
    pair = call("refreshToken", HttpMethod.POST, "/v1/auth/refresh", null, new JsonObject()
        .put("refreshToken", pair.getString("refreshToken")), 200);
    String token = pair.getString("accessToken");
    call("getMe", HttpMethod.GET, "/v1/me", token, null, 200);
    call("getOrganization", HttpMethod.GET, "/v1/org", token, null, 200);
    JsonObject inv = call("createInvitation", HttpMethod.POST, "/v1/org/invitations", token, new JsonObject()
        .put("email", "invitee-" + email).put("role", "developer"), 201);
    JsonObject invitee = call("acceptInvitation", HttpMethod.POST, "/v1/auth/accept-invitation", null,
        new JsonObject().put("token", inv.getString("token")).put("password", Tenant.PASSWORD), 201);
    call("listMembers", HttpMethod.GET, "/v1/org/members", token, null, 200);
    String member = "/v1/org/members/" + invitee.getJsonObject("user").getString("id");
    call("updateMember", HttpMethod.PATCH, member, token, new JsonObject().put("role", "analyst"), 200);
    call("disableMember", HttpMethod.POST, member + "/disable", token, null, 200);
    call("enableMember", HttpMethod.POST, member + "/enable", token, null, 200);
    call("removeMember", HttpMethod.DELETE, member, token, null, 204);
    JsonObject key = call("createApiKey", HttpMethod.POST, "/v1/api-keys", token, new JsonObject()
        .put("name", "contract").put("role", "developer"), 201);
    call("listApiKeys", HttpMethod.GET, "/v1/api-keys", key.getString("key"), null, 200);
    JsonObject conn = call("createConnection", HttpMethod.POST, "/v1/psp-connections", key.getString("key"),
        new JsonObject().put("psp", "razorpay").put("webhookSecret", "rzp_contract_secret"), 201);
    String c = "/v1/psp-connections/" + conn.getString("id");
    call("listConnections", HttpMethod.GET, "/v1/psp-connections", token, null, 200);
    call("getConnection", HttpMethod.GET, c, token, null, 200);
    call("rotateConnectionSecret", HttpMethod.POST, c + "/rotate-secret", token, new JsonObject()
        .put("webhookSecret", "rzp_contract_secret_2"), 200);
    call("retirePreviousSecret", HttpMethod.POST, c + "/retire-previous-secret", token, null, 200);
    call("disableConnection", HttpMethod.POST, c + "/disable", token, null, 200);
    UUID txn = Fixtures.transaction(db, org);
    UUID event = Fixtures.event(db, org, conn.getString("id"), "razorpay", Instant.now());
    Fixtures.decisionWithAttempt(db, org, txn, event, Instant.now());
    db.execute("INSERT INTO notification_log (id, org_id, transaction_id, step_no, recipient, template, locale, status, "
        + "provider_message_id) VALUES (?, ?, ?, 1, 'c@oas.example', 'update_payment', 'en', 'sent', '<m1@tinko>')",
        UUID.randomUUID(), org, txn);
    db.execute("INSERT INTO link_clicks (id, link_id, org_id, transaction_id, kind) VALUES (?, ?, ?, ?, 'open')",
        UUID.randomUUID(), UUID.randomUUID(), org, txn);
    call("listTransactions", HttpMethod.GET, "/v1/transactions?psp=stripe&limit=10", token, null, 200);
    call("getTransaction", HttpMethod.GET, "/v1/transactions/" + txn, token, null, 200);
    JsonObject policies = call("listRetryPolicies", HttpMethod.GET, "/v1/retry-policies", token, null, 200);
    JsonObject first = policies.getJsonArray("items").getJsonObject(0);
    call("putRetryPolicy", HttpMethod.PUT, "/v1/retry-policies/" + first.getString("declineClass"), token,
        first.getJsonObject("policy"), 200);
    call("resetRetryPolicy", HttpMethod.DELETE, "/v1/retry-policies/" + first.getString("declineClass"), token,
        null, 200);
    call("listNotifications", HttpMethod.GET, "/v1/notifications?transactionId=" + txn + "&limit=5", token, null,
        200);
    call("putDunningSequence", HttpMethod.PUT, "/v1/dunning-sequences/FIX_DATA", token, new JsonObject()
        .put("steps", new io.vertx.core.json.JsonArray().add(new JsonObject().put("after", "PT0S")
            .put("template", "update_payment"))), 200);
    call("listDunningSequences", HttpMethod.GET, "/v1/dunning-sequences", token, null, 200);
    call("resetDunningSequence", HttpMethod.DELETE, "/v1/dunning-sequences/FIX_DATA", token, null, 200);
    call("getBranding", HttpMethod.GET, "/v1/branding", token, null, 200);
    call("putBranding", HttpMethod.PUT, "/v1/branding", token, new JsonObject().put("name", "Contract Books")
        .put("logoUrl", "https://cdn.contract.example/logo.png").put("supportEmail", "help@contract.example")
        .putNull("replyTo"), 200);
    call("getBranding", HttpMethod.GET, "/v1/branding", token, null, 200);
    call("listEvents", HttpMethod.GET, "/v1/events?limit=5", token, null, 200);
    call("replayEvent", HttpMethod.POST, "/v1/events/" + event + "/replay", token, null, 202);
    String range = "from=2026-01-01&to=2026-03-31";
    call("analyticsSummary", HttpMethod.GET, "/v1/analytics/summary?" + range + "&currency=USD", token, null, 200);
    call("analyticsTimeseries", HttpMethod.GET, "/v1/analytics/timeseries?metric=recovered_amount&interval=month&"
        + range, token, null, 200);
    call("analyticsBreakdown", HttpMethod.GET, "/v1/analytics/breakdown?by=method&" + range, token, null, 200);
    call("analyticsExport", HttpMethod.GET, "/v1/analytics/export.csv?" + range, token, null, 200);
    call("revokeApiKey", HttpMethod.DELETE, "/v1/api-keys/" + key.getString("id"), token, null, 204);
    call("logout", HttpMethod.POST, "/v1/auth/logout", null, new JsonObject()
        .put("refreshToken", pair.getString("refreshToken")), 204);
    // and documented error answers have the documented shape
    call("getTransaction", HttpMethod.GET, "/v1/transactions/" + UUID.randomUUID(), key.getString("key"), null, 401);
    call("listTransactions", HttpMethod.GET, "/v1/transactions?limit=0", null, null, 401);

    Set<String> all = new TreeSet<>();
    contract.operations().forEach(o -> all.add(o.getOperationId()));
    assertThat(CALLED).containsExactlyInAnyOrderElementsOf(all);
    for (Operation o : contract.operations()) {
      assertThat(Coverage.succeeded(o.getHttpMethod().name(), o.getOpenAPIPath())).as(o.getOperationId()).isTrue();
    }
  }

  @Test
  @DisplayName("the response check can fail: an answer leaking a secret or missing fields is outside the schema")
  void responseCheckBites() {
    JsonObject leaky = new JsonObject().put("id", "ep_x").put("psp", "stripe").put("status", "active")
        .put("webhookUrl", "u").put("rateLimitPerSecond", 1).put("hasCredentials", false)
        .putNull("previousSecretValidUntil").put("createdAt", "2026-01-01T00:00:00Z")
        .put("updatedAt", "2026-01-01T00:00:00Z");
    ApiServer.await(responses.validate(ValidatableResponse.create(200, leaky.toBuffer(), "application/json"),
        "getConnection"));
    leaky.put("webhookSecret", "whsec_oops");
    assertThatThrownBy(() -> ApiServer.await(responses.validate(ValidatableResponse.create(200, leaky.toBuffer(),
        "application/json"), "getConnection"))).hasMessageContaining("response");
    assertThatThrownBy(() -> ApiServer.await(responses.validate(ValidatableResponse.create(200,
        new JsonObject().put("id", "x").toBuffer(), "application/json"), "getMe")))
        .hasMessageContaining("response");
  }

  private static JsonObject call(String operationId, HttpMethod method, String path, String token, JsonObject body,
                                 int expected) {
    ApiServer.Resp r = api.call(method, path, token, body);
    assertThat(r.status()).as(operationId + ": " + r).isEqualTo(expected);
    ValidatableResponse res = r.body() == null || r.body().isEmpty() ? ValidatableResponse.create(r.status())
        : ValidatableResponse.create(r.status(), Buffer.buffer(r.body()), r.contentType());
    try {
      ApiServer.await(responses.validate(res, operationId));
    } catch (RuntimeException e) {
      throw new AssertionError(operationId + " answered outside its schema: " + e.getMessage() + "\n" + r.body(), e);
    }
    CALLED.add(operationId);
    // export.csv answers text/csv, not JSON
    return r.contentType() != null && r.contentType().startsWith("text/csv") ? new JsonObject() : r.json();
  }
}
