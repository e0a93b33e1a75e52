package io.tinko.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinko.testing.PostgresExtension;
import io.tinko.testing.RedisExtension;
import io.tinko.testing.TestDatabase;
import io.tinko.testing.TestRedis;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Login throttling in Redis, per account and per client address (X-Forwarded-For trusted here). */
@ExtendWith({PostgresExtension.class, RedisExtension.class})
class LoginLimitTest {
  private static ApiServer api;
  private static TestDatabase db;

  @BeforeAll
  static void start(TestDatabase database, TestRedis redis) {
    db = database;
    api = ApiServer.start(db, redis.url(), c -> c.with("api.trustForwardedFor", true)
        .with("api.login.maxFailuresPerAccount", 3).with("api.login.maxAttemptsPerIp", 5));
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  private static String ip() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return "203.0." + r.nextInt(256) + "." + r.nextInt(256) + "-" + UUID.randomUUID().toString().substring(0, 6);
  }

  private static ApiServer.Resp login(String email, String password, String ip) {
    return api.rawPost("/v1/auth/login", "application/json", new JsonObject().put("email", email)
        .put("password", password).encode(), "X-Forwarded-For", ip);
  }

  @Test
  @DisplayName("after 3 failed logins the account answers 429 with Retry-After, even to the right password")
  void accountLock() {
    String email = "lock-" + UUID.randomUUID() + "@limits.example";
    assertThat(api.rawPost("/v1/auth/register", "application/json", new JsonObject().put("organization", "Locks")
        .put("email", email).put("password", Tenant.PASSWORD).encode(), "X-Forwarded-For", ip()).status())
        .isEqualTo(201);
    for (int i = 0; i < 3; i++) {
      assertThat(login(email, "wrong password " + i, ip()).status()).isEqualTo(401);
    }
    ApiServer.Resp locked = login(email, Tenant.PASSWORD, ip());
    assertThat(locked.status()).as(locked.toString()).isEqualTo(429);
    assertThat(locked.errorCode()).isEqualTo("rate_limited");
    assertThat(Integer.parseInt(locked.retryAfter())).isBetween(1, 900);
    // another account is not affected
    assertThat(login("other-" + UUID.randomUUID() + "@limits.example", "whatever pass", ip()).status())
        .isEqualTo(401);
  }

  @Test
  @DisplayName("the sixth attempt from one address within the window answers 429 whatever the account")
  void addressLimit() {
    String ip = ip();
    for (int i = 0; i < 5; i++) {
      assertThat(login("x" + i + "-" + UUID.randomUUID() + "@limits.example", "some password", ip).status())
          .isEqualTo(401);
    }
    ApiServer.Resp r = login("y-" + UUID.randomUUID() + "@limits.example", "some password", ip);
    assertThat(r.status()).isEqualTo(429);
    assertThat(r.retryAfter()).isNotNull();
    assertThat(login("z-" + UUID.randomUUID() + "@limits.example", "some password", ip()).status()).isEqualTo(401);
  }

  @Test
  @DisplayName("without Redis, logins fail closed with 503 rather than run unthrottled")
  void redisDown() {
    try (ApiServer noRedis = ApiServer.start(db, "redis://127.0.0.1:1")) {
      ApiServer.Resp r = noRedis.post("/v1/auth/login", null, new JsonObject().put("email", "a@b.example")
          .put("password", "some password"));
      assertThat(r.status()).isEqualTo(503);
      assertThat(r.retryAfter()).isNotNull();
    }
  }
}
