package io.tinko.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinko.testing.PostgresExtension;
import io.tinko.testing.RedisExtension;
import io.tinko.testing.TestDatabase;
import io.tinko.testing.TestRedis;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every authenticated route called by every role, as a member and as an API key: allowed ones answer 2xx, refused
 * ones 403. The expectations are written here, independently of the code's route table; the OpenAPI test checks
 * the document states the same.
 */
@ExtendWith({PostgresExtension.class, RedisExtension.class})
class RoleMatrixTest {
  /** operationId → lowest role allowed, and whether API keys are refused outright. */
  static final Map<String, Object[]> EXPECTED = Map.ofEntries(
      Map.entry("getMe", new Object[] {Role.ANALYST, false}),
      Map.entry("getOrganization", new Object[] {Role.ANALYST, false}),
      Map.entry("listMembers", new Object[] {Role.ADMIN, false}),
      Map.entry("createInvitation", new Object[] {Role.ADMIN, true}),
      Map.entry("updateMember", new Object[] {Role.ADMIN, true}),
      Map.entry("disableMember", new Object[] {Role.ADMIN, true}),
      Map.entry("enableMember", new Object[] {Role.ADMIN, true}),
      Map.entry("removeMember", new Object[] {Role.ADMIN, true}),
      Map.entry("listApiKeys", new Object[] {Role.DEVELOPER, false}),
      Map.entry("createApiKey", new Object[] {Role.DEVELOPER, true}),
      Map.entry("revokeApiKey", new Object[] {Role.DEVELOPER, true}),
      Map.entry("listConnections", new Object[] {Role.ANALYST, false}),
      Map.entry("createConnection", new Object[] {Role.DEVELOPER, false}),
      Map.entry("getConnection", new Object[] {Role.ANALYST, false}),
      Map.entry("rotateConnectionSecret", new Object[] {Role.DEVELOPER, false}),
      Map.entry("retirePreviousSecret", new Object[] {Role.DEVELOPER, false}),
      Map.entry("disableConnection", new Object[] {Role.DEVELOPER, false}),
      Map.entry("listTransactions", new Object[] {Role.ANALYST, false}),
      Map.entry("getTransaction", new Object[] {Role.ANALYST, false}),
      Map.entry("listRetryPolicies", new Object[] {Role.ANALYST, false}),
      Map.entry("putRetryPolicy", new Object[] {Role.ADMIN, false}),
      Map.entry("resetRetryPolicy", new Object[] {Role.ADMIN, false}),
      Map.entry("listNotifications", new Object[] {Role.ANALYST, false}),
      Map.entry("putDunningSequence", new Object[] {Role.ADMIN, false}),
      Map.entry("listDunningSequences", new Object[] {Role.ANALYST, false}),
      Map.entry("resetDunningSequence", new Object[] {Role.ADMIN, false}),
      Map.entry("getBranding", new Object[] {Role.ANALYST, false}),
      Map.entry("putBranding", new Object[] {Role.ADMIN, false}),
      Map.entry("listEvents", new Object[] {Role.ANALYST, false}),
      Map.entry("replayEvent", new Object[] {Role.DEVELOPER, false}),
      Map.entry("analyticsSummary", new Object[] {Role.ANALYST, false}),
      Map.entry("analyticsTimeseries", new Object[] {Role.ANALYST, false}),
      Map.entry("analyticsBreakdown", new Object[] {Role.ANALYST, false}),
      Map.entry("analyticsExport", new Object[] {Role.ANALYST, false}));

  private static ApiServer api;
  private static Tenant t;
  private static String connection;
  private static UUID txn;
  private static UUID event;
  private static String policyClass;
  private static JsonObject policyBody;

  record Call(HttpMethod method, String path, JsonObject body) {
  }

  @BeforeAll
  static void start(TestDatabase db, TestRedis redis) {
    api = ApiServer.start(db, redis.url());
    t = Tenant.create(api, "Matrix");
    connection = newConnection();
    txn = Fixtures.transaction(db, t.orgId);
    event = Fixtures.event(db, t.orgId, connection, "stripe", Instant.now());
    JsonObject first = api.get("/v1/retry-policies", t.owner()).json().getJsonArray("items").getJsonObject(0);
    policyClass = first.getString("declineClass");
    policyBody = first.getJsonObject("policy");
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  private static String newConnection() {
    ApiServer.Resp r = api.post("/v1/psp-connections", t.owner(), new JsonObject().put("psp", "stripe")
        .put("webhookSecret", "whsec_matrix_" + UUID.randomUUID()));
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r.json().getString("id");
  }

  private static String newAnalystKey() {
    return api.post("/v1/api-keys", t.owner(), new JsonObject().put("name", "victim").put("role", "analyst"))
        .json().getString("id");
  }

  /** A fresh developer member to change (every role allowed to manage members may change a developer). */
  private static String newMember() {
    ApiServer.Resp inv = api.post("/v1/org/invitations", t.owner(), new JsonObject()
        .put("email", "target-" + UUID.randomUUID() + "@matrix.example").put("role", "developer"));
    ApiServer.Resp acc = api.post("/v1/auth/accept-invitation", null, new JsonObject()
        .put("token", inv.json().getString("token")).put("password", Tenant.PASSWORD));
    assertThat(acc.status()).as(acc.toString()).isEqualTo(201);
    return acc.json().getJsonObject("user").getString("id");
  }

  /** A valid request for each operation; objects a call changes are made fresh for it. */
  static final Map<String, Supplier<Call>> CALLS = Map.ofEntries(
      Map.entry("getMe", () -> new Call(HttpMethod.GET, "/v1/me", null)),
      Map.entry("getOrganization", () -> new Call(HttpMethod.GET, "/v1/org", null)),
      Map.entry("listMembers", () -> new Call(HttpMethod.GET, "/v1/org/members", null)),
      Map.entry("createInvitation", () -> new Call(HttpMethod.POST, "/v1/org/invitations", new JsonObject()
          .put("email", "m-" + UUID.randomUUID() + "@matrix.example").put("role", "analyst"))),
      Map.entry("updateMember", () -> new Call(HttpMethod.PATCH, "/v1/org/members/" + newMember(),
          new JsonObject().put("role", "analyst"))),
      Map.entry("disableMember", () -> new Call(HttpMethod.POST, "/v1/org/members/" + newMember() + "/disable", null)),
      Map.entry("enableMember", () -> new Call(HttpMethod.POST, "/v1/org/members/" + newMember() + "/enable", null)),
      Map.entry("removeMember", () -> new Call(HttpMethod.DELETE, "/v1/org/members/" + newMember(), null)),
      Map.entry("listApiKeys", () -> new Call(HttpMethod.GET, "/v1/api-keys", null)),
      Map.entry("createApiKey", () -> new Call(HttpMethod.POST, "/v1/api-keys", new JsonObject().put("name", "k")
          .put("role", "analyst"))),
      Map.entry("revokeApiKey", () -> new Call(HttpMethod.DELETE, "/v1/api-keys/" + newAnalystKey(), null)),
      Map.entry("listConnections", () -> new Call(HttpMethod.GET, "/v1/psp-connections", null)),
      Map.entry("createConnection", () -> new Call(HttpMethod.POST, "/v1/psp-connections", new JsonObject()
          .put("psp", "razorpay").put("webhookSecret", "rzp_secret_123"))),
      Map.entry("getConnection", () -> new Call(HttpMethod.GET, "/v1/psp-connections/" + connection, null)),
      Map.entry("rotateConnectionSecret", () -> new Call(HttpMethod.POST, "/v1/psp-connections/" + newConnection()
          + "/rotate-secret", new JsonObject().put("webhookSecret", "whsec_new_" + UUID.randomUUID()))),
      Map.entry("retirePreviousSecret", () -> new Call(HttpMethod.POST, "/v1/psp-connections/" + connection
          + "/retire-previous-secret", null)),
      Map.entry("disableConnection", () -> new Call(HttpMethod.POST, "/v1/psp-connections/" + newConnection()
          + "/disable", null)),
      Map.entry("listTransactions", () -> new Call(HttpMethod.GET, "/v1/transactions?status=retrying", null)),
      Map.entry("getTransaction", () -> new Call(HttpMethod.GET, "/v1/transactions/" + txn, null)),
      Map.entry("listRetryPolicies", () -> new Call(HttpMethod.GET, "/v1/retry-policies", null)),
      Map.entry("putRetryPolicy", () -> new Call(HttpMethod.PUT, "/v1/retry-policies/" + policyClass, policyBody)),
      Map.entry("resetRetryPolicy", () -> new Call(HttpMethod.DELETE, "/v1/retry-policies/" + policyClass, null)),
      Map.entry("listNotifications", () -> new Call(HttpMethod.GET, "/v1/notifications", null)),
      Map.entry("putDunningSequence", () -> new Call(HttpMethod.PUT, "/v1/dunning-sequences/FIX_DATA",
          new JsonObject().put("steps", new io.vertx.core.json.JsonArray().add(new JsonObject().put("after", "PT0S")
              .put("template", "update_payment"))))),
      Map.entry("listDunningSequences", () -> new Call(HttpMethod.GET, "/v1/dunning-sequences", null)),
      Map.entry("resetDunningSequence", () -> new Call(HttpMethod.DELETE, "/v1/dunning-sequences/NEVER", null)),
      Map.entry("getBranding", () -> new Call(HttpMethod.GET, "/v1/branding", null)),
      Map.entry("putBranding", () -> new Call(HttpMethod.PUT, "/v1/branding", new JsonObject()
          .put("name", "Matrix Books").put("supportEmail", "help@matrix.example"))),
      Map.entry("listEvents", () -> new Call(HttpMethod.GET, "/v1/events", null)),
      Map.entry("replayEvent", () -> new Call(HttpMethod.POST, "/v1/events/" + event + "/replay", null)),
      Map.entry("analyticsSummary", () -> new Call(HttpMethod.GET,
          "/v1/analytics/summary?from=2026-01-01&to=2026-01-31", null)),
      Map.entry("analyticsTimeseries", () -> new Call(HttpMethod.GET,
          "/v1/analytics/timeseries?metric=recovered_count&interval=week&from=2026-01-01&to=2026-01-31", null)),
      Map.entry("analyticsBreakdown", () -> new Call(HttpMethod.GET,
          "/v1/analytics/breakdown?by=psp&from=2026-01-01&to=2026-01-31", null)),
      Map.entry("analyticsExport", () -> new Call(HttpMethod.GET,
          "/v1/analytics/export.csv?from=2026-01-01&to=2026-01-31", null)));

  @TestFactory
  Stream<DynamicTest> everyRouteEveryRole() {
    List<DynamicTest> tests = new ArrayList<>();
    EXPECTED.keySet().stream().sorted().forEach(op -> {
      Role min = (Role) EXPECTED.get(op)[0];
      boolean usersOnly = (Boolean) EXPECTED.get(op)[1];
      for (Role role : Role.values()) {
        boolean allowed = role.atLeast(min);
        tests.add(DynamicTest.dynamicTest(op + " as " + role.id() + " member → " + (allowed ? "2xx" : "403"),
            () -> check(op, t.tokens.get(role), allowed)));
        if (role != Role.OWNER) {
          boolean keyAllowed = allowed && !usersOnly;
          tests.add(DynamicTest.dynamicTest(op + " with a " + role.id() + " API key → " + (keyAllowed ? "2xx" : "403"),
              () -> check(op, t.keys.get(role), keyAllowed)));
        }
      }
    });
    return tests.stream();
  }

  private static void check(String op, String credential, boolean allowed) {
    Call c = CALLS.get(op).get();
    ApiServer.Resp r = api.call(c.method(), c.path(), credential, c.body());
    if (allowed) {
      assertThat(r.status()).as(op + ": " + r).isBetween(200, 299);
    } else {
      assertThat(r.status()).as(op + ": " + r).isEqualTo(403);
      assertThat(r.errorCode()).isEqualTo("forbidden");
    }
  }
}
