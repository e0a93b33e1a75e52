package io.tinko.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinko.testing.PostgresExtension;
import io.tinko.testing.RedisExtension;
import io.tinko.testing.TestDatabase;
import io.tinko.testing.TestRedis;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith({PostgresExtension.class, RedisExtension.class})
class AuthFlowTest {
  private static ApiServer api;

  @BeforeAll
  static void start(TestDatabase db, TestRedis redis) {
    api = ApiServer.start(db, redis.url());
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  private static String email() {
    return "u-" + UUID.randomUUID().toString().substring(0, 8) + "@flow.example";
  }

  private static JsonObject credentials(String email) {
    return new JsonObject().put("email", email).put("password", Tenant.PASSWORD);
  }

  @Test
  @DisplayName("register answers 201 with the organisation and its owner; login gives a token pair that reads /v1/me")
  void registerLoginMe() {
    String email = email();
    ApiServer.Resp reg = api.post("/v1/auth/register", null, credentials(email).put("organization", "Acme"));
    assertThat(reg.status()).as(reg.toString()).isEqualTo(201);
    assertThat(reg.json().getJsonObject("organization").getString("name")).isEqualTo("Acme");
    assertThat(reg.json().getJsonObject("user").getString("role")).isEqualTo("owner");
    assertThat(reg.body()).doesNotContain(Tenant.PASSWORD);

    ApiServer.Resp login = api.post("/v1/auth/login", null, credentials(email));
    assertThat(login.status()).as(login.toString()).isEqualTo(200);
    assertThat(login.json().getLong("expiresIn")).isEqualTo(900L);
    assertThat(login.json().getString("refreshToken")).startsWith("tkr_");

    ApiServer.Resp me = api.get("/v1/me", login.json().getString("accessToken"));
    assertThat(me.status()).as(me.toString()).isEqualTo(200);
    assertThat(me.json().getString("email")).isEqualTo(email);
    assertThat(me.json().getString("role")).isEqualTo("owner");
    assertThat(me.json().getJsonObject("organization").getString("id"))
        .isEqualTo(reg.json().getJsonObject("organization").getString("id"));
  }

  @Test
  @DisplayName("passwords are stored as Argon2id hashes, never in clear")
  void argon2id() {
    String email = email();
    api.post("/v1/auth/register", null, credentials(email).put("organization", "Hashers"));
    try (var c = api.db.jdbc(); var ps = c.prepareStatement("SELECT password_hash FROM users WHERE email = ?")) {
      ps.setString(1, email);
      var rs = ps.executeQuery();
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).startsWith("$argon2id$v=19$m=1024,t=1,p=1$").doesNotContain(Tenant.PASSWORD);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  @DisplayName("a second registration with the same email (any case) is 409")
  void duplicateEmail() {
    String email = email();
    assertThat(api.post("/v1/auth/register", null, credentials(email).put("organization", "One")).status())
        .isEqualTo(201);
    ApiServer.Resp again = api.post("/v1/auth/register", null,
        credentials(email.toUpperCase()).put("organization", "Two"));
    assertThat(again.status()).isEqualTo(409);
    assertThat(again.errorCode()).isEqualTo("email_taken");
  }

  @Test
  @DisplayName("a wrong password and an unknown email answer the same 401 and are audited")
  void wrongPassword() {
    String email = email();
    api.post("/v1/auth/register", null, credentials(email).put("organization", "Audit"));
    ApiServer.Resp wrong = api.post("/v1/auth/login", null, new JsonObject().put("email", email)
        .put("password", "not the password"));
    ApiServer.Resp unknown = api.post("/v1/auth/login", null, credentials(email()));
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(unknown.status()).isEqualTo(401);
    assertThat(wrong.json().getJsonObject("error").getString("message"))
        .isEqualTo(unknown.json().getJsonObject("error").getString("message"));
    assertThat(api.db.scalar("SELECT count(*) FROM login_audit WHERE email = ? AND outcome = 'bad_password'", email))
        .isEqualTo(1);
  }

  @Test
  @DisplayName("refresh rotates: the new pair works, the spent refresh token is refused and ends the whole session")
  void refreshRotation() {
    String email = email();
    api.post("/v1/auth/register", null, credentials(email).put("organization", "Rotate"));
    JsonObject first = api.post("/v1/auth/login", null, credentials(email)).json();
    ApiServer.Resp second = api.post("/v1/auth/refresh", null,
        new JsonObject().put("refreshToken", first.getString("refreshToken")));
    assertThat(second.status()).as(second.toString()).isEqualTo(200);
    String access2 = second.json().getString("accessToken");
    assertThat(second.json().getString("refreshToken")).isNotEqualTo(first.getString("refreshToken"));
    assertThat(api.get("/v1/me", access2).status()).isEqualTo(200);

    ApiServer.Resp reuse = api.post("/v1/auth/refresh", null,
        new JsonObject().put("refreshToken", first.getString("refreshToken")));
    assertThat(reuse.status()).isEqualTo(401);
    // reuse means the token leaked: the session is gone, with every token of it
    assertThat(api.get("/v1/me", access2).status()).isEqualTo(401);
    assertThat(api.post("/v1/auth/refresh", null, new JsonObject().put("refreshToken",
        second.json().getString("refreshToken"))).status()).isEqualTo(401);
  }

  @Test
  @DisplayName("logout ends the session: its access token is refused at once, its refresh token too")
  void logout() {
    String email = email();
    api.post("/v1/auth/register", null, credentials(email).put("organization", "Bye"));
    JsonObject pair = api.post("/v1/auth/login", null, credentials(email)).json();
    JsonObject other = api.post("/v1/auth/login", null, credentials(email)).json();
    assertThat(api.post("/v1/auth/logout", null, new JsonObject().put("refreshToken",
        pair.getString("refreshToken"))).status()).isEqualTo(204);
    assertThat(api.get("/v1/me", pair.getString("accessToken")).status()).isEqualTo(401);
    assertThat(api.post("/v1/auth/refresh", null, new JsonObject().put("refreshToken",
        pair.getString("refreshToken"))).status()).isEqualTo(401);
    // another session of the same user is untouched
    assertThat(api.get("/v1/me", other.getString("accessToken")).status()).isEqualTo(200);
  }

  @Test
  @DisplayName("an invitation makes a member with the invited role; the token works once")
  void invitation() {
    Tenant t = Tenant.create(api, "Inviters");
    ApiServer.Resp inv = api.post("/v1/org/invitations", t.owner(), new JsonObject().put("email", email())
        .put("role", "analyst"));
    assertThat(inv.status()).isEqualTo(201);
    JsonObject accept = new JsonObject().put("token", inv.json().getString("token")).put("password", Tenant.PASSWORD);
    ApiServer.Resp ok = api.post("/v1/auth/accept-invitation", null, accept);
    assertThat(ok.status()).as(ok.toString()).isEqualTo(201);
    assertThat(ok.json().getJsonObject("user").getString("role")).isEqualTo("analyst");
    assertThat(ok.json().getJsonObject("organization").getString("id")).isEqualTo(t.orgId.toString());
    assertThat(api.post("/v1/auth/accept-invitation", null, accept).status()).isEqualTo(404);
    ApiServer.Resp members = api.get("/v1/org/members", t.owner());
    assertThat(members.json().getJsonArray("items")).hasSize(5);
  }

  @Test
  @DisplayName("an admin cannot invite an owner nor mint an API key above its role")
  void noEscalation() {
    Tenant t = Tenant.create(api, "Escalators");
    assertThat(api.post("/v1/org/invitations", t.tokens.get(Role.ADMIN), new JsonObject().put("email", email())
        .put("role", "owner")).status()).isEqualTo(403);
    assertThat(api.post("/v1/api-keys", t.tokens.get(Role.DEVELOPER), new JsonObject().put("name", "x")
        .put("role", "admin")).status()).isEqualTo(403);
  }

  @Test
  @DisplayName("a short password is refused with 400 naming the field")
  void shortPassword() {
    ApiServer.Resp r = api.post("/v1/auth/register", null, new JsonObject().put("organization", "Short")
        .put("email", email()).put("password", "short"));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().getJsonObject("error").getString("message")).contains("password");
  }
}
