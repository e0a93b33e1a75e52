package io.tinko.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinko.testing.PostgresExtension;
import io.tinko.testing.RedisExtension;
import io.tinko.testing.TestDatabase;
import io.tinko.testing.TestRedis;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Requests outside the OpenAPI document answer 400 in the one error shape, naming the failing fields. */
@ExtendWith({PostgresExtension.class, RedisExtension.class})
class ValidationTest {
  private static ApiServer api;
  private static Tenant t;

  @BeforeAll
  static void start(TestDatabase db, TestRedis redis) {
    api = ApiServer.start(db, redis.url());
    t = Tenant.create(api, "Validators");
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  private static String message(ApiServer.Resp r) {
    assertThat(r.status()).as(r.toString()).isEqualTo(400);
    assertThat(r.errorCode()).isEqualTo("validation_failed");
    assertThat(r.json().getJsonObject("error").getString("requestId")).isNotBlank();
    return r.json().getJsonObject("error").getString("message");
  }

  @Test
  @DisplayName("each missing or wrong body field is named")
  void bodyFields() {
    String m = message(api.post("/v1/auth/register", null, new JsonObject().put("organization", 42)
        .put("password", "x".repeat(300))));
    assertThat(m).contains("organization").contains("password").contains("email");
  }

  @Test
  @DisplayName("fields not in the document are refused by name (no mass assignment, e.g. of an org id)")
  void unknownField() {
    String m = message(api.post("/v1/api-keys", t.owner(), new JsonObject().put("name", "k").put("role", "analyst")
        .put("orgId", "00000000-0000-0000-0000-000000000000")));
    assertThat(m).contains("orgId");
  }

  @Test
  @DisplayName("a body that is not JSON, or no body, is 400")
  void notJson() {
    ApiServer.Resp r = api.rawPost("/v1/auth/login", "application/json", "{not json");
    assertThat(r.status()).isEqualTo(400);
    assertThat(api.rawPost("/v1/auth/login", "application/json", "").status()).isEqualTo(400);
  }

  @Test
  @DisplayName("a query parameter outside its schema is named")
  void queryParameter() {
    assertThat(message(api.get("/v1/transactions?limit=abc", t.owner()))).contains("limit");
    assertThat(message(api.get("/v1/events?status=lost", t.owner()))).contains("status");
  }

  @Test
  @DisplayName("unknown routes under /v1 answer 404 in the same error shape")
  void unknownRoute() {
    ApiServer.Resp r = api.get("/v1/nothing-here", t.owner());
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.json().getJsonObject("error").getString("requestId")).isNotBlank();
  }
}
