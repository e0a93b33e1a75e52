package io.tinko.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinko.testing.PostgresExtension;
import io.tinko.testing.RedisExtension;
import io.tinko.testing.TestDatabase;
import io.tinko.testing.TestRedis;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Member management over HTTP: roles, disabling, removal, the last-owner rule and tenant isolation. */
@ExtendWith({PostgresExtension.class, RedisExtension.class})
class MembersTest {
  private static ApiServer api;
  private static TestDatabase db;
  private static Tenant t;
  private static Tenant other;

  @BeforeAll
  static void start(TestDatabase database, TestRedis redis) {
    db = database;
    api = ApiServer.start(db, redis.url());
    t = Tenant.create(api, "Members");
    other = Tenant.create(api, "Other Org");
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  /** A member of {@code tenant} with {@code role}, signed in. */
  private record Member(String id, String email, String token) {
  }

  private static Member member(Tenant tenant, Role role) {
    String email = role.id() + "-" + UUID.randomUUID().toString().substring(0, 8) + "@members.example";
    String token = tenant.invite(api, email, role);
    String id = api.get("/v1/me", token).json().getString("id");
    return new Member(id, email, token);
  }

  private static ApiServer.Resp login(String email) {
    return api.post("/v1/auth/login", null, new JsonObject().put("email", email).put("password", Tenant.PASSWORD));
  }

  private static ApiServer.Resp setRole(String caller, String id, String role) {
    return api.call(HttpMethod.PATCH, "/v1/org/members/" + id, caller, new JsonObject().put("role", role));
  }

  private static String ownerId(Tenant tenant) {
    return api.get("/v1/me", tenant.owner()).json().getString("id");
  }

  @Test
  @DisplayName("an owner changes a member's role; the member's existing access token carries the new role at once")
  void changeRole() {
    Member m = member(t, Role.ANALYST);
    assertThat(api.post("/v1/psp-connections", m.token(), new JsonObject().put("psp", "stripe")
        .put("webhookSecret", "whsec_members_1")).status()).isEqualTo(403);
    ApiServer.Resp r = setRole(t.owner(), m.id(), "developer");
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.json().getString("role")).isEqualTo("developer");
    assertThat(r.json().getBoolean("disabled")).isFalse();
    assertThat(api.get("/v1/me", m.token()).json().getString("role")).isEqualTo("developer");
    assertThat(api.post("/v1/psp-connections", m.token(), new JsonObject().put("psp", "stripe")
        .put("webhookSecret", "whsec_members_2")).status()).isEqualTo(201);
    JsonArray members = api.get("/v1/org/members", t.tokens.get(Role.ADMIN)).json().getJsonArray("items");
    assertThat(members.stream().map(JsonObject.class::cast).filter(o -> o.getString("id").equals(m.id()))
        .findFirst().orElseThrow().getString("role")).isEqualTo("developer");
  }

  @Test
  @DisplayName("a disabled member gets 401 with their access token, their refresh token and their password")
  void disable() {
    Member m = member(t, Role.DEVELOPER);
    ApiServer.Resp pair = login(m.email());
    String refresh = pair.json().getString("refreshToken");
    String access = pair.json().getString("accessToken");
    assertThat(api.get("/v1/me", access).status()).isEqualTo(200);

    ApiServer.Resp r = api.post("/v1/org/members/" + m.id() + "/disable", t.tokens.get(Role.ADMIN), null);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.json().getBoolean("disabled")).isTrue();
    assertThat(r.json().getString("disabledAt")).isNotNull();

    for (String token : new String[] {m.token(), access}) {
      ApiServer.Resp me = api.get("/v1/me", token);
      assertThat(me.status()).as(me.toString()).isEqualTo(401);
      assertThat(me.json().getJsonObject("error").getString("requestId")).isNotBlank();
    }
    ApiServer.Resp refreshed = api.post("/v1/auth/refresh", null, new JsonObject().put("refreshToken", refresh));
    assertThat(refreshed.status()).as(refreshed.toString()).isEqualTo(401);
    assertThat(login(m.email()).status()).isEqualTo(401);
    assertThat(db.scalar("SELECT count(*) FROM api_sessions WHERE user_id = ?::uuid AND revoked_at IS NULL",
        m.id())).isZero();
    assertThat(db.scalar("SELECT count(*) FROM api_sessions WHERE user_id = ?::uuid AND revoked_why = 'user_disabled'",
        m.id())).isGreaterThanOrEqualTo(2);

    ApiServer.Resp enabled = api.post("/v1/org/members/" + m.id() + "/enable", t.owner(), null);
    assertThat(enabled.status()).as(enabled.toString()).isEqualTo(200);
    assertThat(enabled.json().getBoolean("disabled")).isFalse();
    assertThat(api.get("/v1/me", access).status()).as("ended sessions stay ended").isEqualTo(401);
    ApiServer.Resp again = login(m.email());
    assertThat(again.status()).isEqualTo(200);
    assertThat(api.get("/v1/me", again.json().getString("accessToken")).status()).isEqualTo(200);
  }

  @Test
  @DisplayName("a removed member cannot sign in, their tokens stop working, and their email can be invited again")
  void remove() {
    Member m = member(t, Role.ANALYST);
    String refresh = login(m.email()).json().getString("refreshToken");
    // an invitation they sent outlives them
    Member admin = member(t, Role.ADMIN);
    assertThat(api.post("/v1/org/invitations", admin.token(), new JsonObject()
        .put("email", "pending-" + UUID.randomUUID() + "@members.example").put("role", "analyst")).status())
        .isEqualTo(201);

    assertThat(api.call(HttpMethod.DELETE, "/v1/org/members/" + m.id(), admin.token(), null).status()).isEqualTo(204);
    assertThat(api.call(HttpMethod.DELETE, "/v1/org/members/" + admin.id(), t.owner(), null).status()).isEqualTo(204);
    assertThat(api.get("/v1/me", m.token()).status()).isEqualTo(401);
    assertThat(api.get("/v1/me", admin.token()).status()).isEqualTo(401);
    assertThat(api.post("/v1/auth/refresh", null, new JsonObject().put("refreshToken", refresh)).status())
        .isEqualTo(401);
    assertThat(login(m.email()).status()).isEqualTo(401);
    assertThat(api.get("/v1/org/members", t.owner()).body()).doesNotContain(m.id()).doesNotContain(admin.id());
    assertThat(db.scalar("SELECT count(*) FROM invitations WHERE org_id = ?::uuid AND invited_by IS NULL",
        t.orgId.toString())).isEqualTo(1);
    assertThat(api.call(HttpMethod.DELETE, "/v1/org/members/" + m.id(), t.owner(), null).status()).isEqualTo(404);

    String again = t.invite(api, m.email(), Role.DEVELOPER);
    assertThat(api.get("/v1/me", again).json().getString("role")).isEqualTo("developer");
  }

  @Test
  @DisplayName("an admin cannot demote, disable, enable or remove an owner, nor promote anyone to owner (403)")
  void adminCannotTouchOwners() {
    String admin = t.tokens.get(Role.ADMIN);
    String owner = ownerId(t);
    for (ApiServer.Resp r : new ApiServer.Resp[] {setRole(admin, owner, "analyst"),
        api.post("/v1/org/members/" + owner + "/disable", admin, null),
        api.post("/v1/org/members/" + owner + "/enable", admin, null),
        api.call(HttpMethod.DELETE, "/v1/org/members/" + owner, admin, null),
        setRole(admin, member(t, Role.ANALYST).id(), "owner")}) {
      assertThat(r.status()).as(r.toString()).isEqualTo(403);
      assertThat(r.errorCode()).isEqualTo("forbidden");
      assertThat(r.json().getJsonObject("error").getString("message")).isNotBlank();
    }
    assertThat(api.get("/v1/me", t.owner()).json().getString("role")).isEqualTo("owner");
  }

  @Test
  @DisplayName("the last active owner cannot be demoted, disabled or removed (409); a second owner makes it possible")
  void lastOwner() {
    Tenant solo = Tenant.create(api, "Solo Owner");
    String me = ownerId(solo);
    for (ApiServer.Resp r : new ApiServer.Resp[] {setRole(solo.owner(), me, "admin"),
        api.post("/v1/org/members/" + me + "/disable", solo.owner(), null),
        api.call(HttpMethod.DELETE, "/v1/org/members/" + me, solo.owner(), null)}) {
      assertThat(r.status()).as(r.toString()).isEqualTo(409);
      assertThat(r.errorCode()).isEqualTo("last_owner");
    }
    Member second = member(solo, Role.ADMIN);
    assertThat(setRole(solo.owner(), second.id(), "owner").json().getString("role")).isEqualTo("owner");
    ApiServer.Resp demoted = setRole(second.token(), me, "admin");
    assertThat(demoted.status()).as(demoted.toString()).isEqualTo(200);
    assertThat(setRole(second.token(), second.id(), "admin").status()).as("now the last owner again").isEqualTo(409);
    assertThat(db.scalar("SELECT count(*) FROM users WHERE org_id = ?::uuid AND role = 'owner'",
        solo.orgId.toString())).isEqualTo(1);
  }

  @Test
  @DisplayName("developers, analysts and API keys cannot manage members (403)")
  void lowerRoles() {
    Member target = member(t, Role.ANALYST);
    for (String credential : new String[] {t.tokens.get(Role.DEVELOPER), t.tokens.get(Role.ANALYST),
        t.keys.get(Role.ADMIN), t.keys.get(Role.DEVELOPER)}) {
      for (ApiServer.Resp r : new ApiServer.Resp[] {setRole(credential, target.id(), "developer"),
          api.post("/v1/org/members/" + target.id() + "/disable", credential, null),
          api.post("/v1/org/members/" + target.id() + "/enable", credential, null),
          api.call(HttpMethod.DELETE, "/v1/org/members/" + target.id(), credential, null)}) {
        assertThat(r.status()).as(r.toString()).isEqualTo(403);
        assertThat(r.errorCode()).isEqualTo("forbidden");
      }
    }
    assertThat(api.get("/v1/me", target.token()).json().getString("role")).isEqualTo("analyst");
  }

  @Test
  @DisplayName("another tenant's member is 404 for every change and stays as it was; unknown and malformed ids too")
  void crossTenant() {
    Member victim = member(other, Role.DEVELOPER);
    for (String credential : new String[] {t.owner(), t.tokens.get(Role.ADMIN)}) {
      for (ApiServer.Resp r : new ApiServer.Resp[] {setRole(credential, victim.id(), "analyst"),
          api.post("/v1/org/members/" + victim.id() + "/disable", credential, null),
          api.post("/v1/org/members/" + victim.id() + "/enable", credential, null),
          api.call(HttpMethod.DELETE, "/v1/org/members/" + victim.id(), credential, null),
          api.post("/v1/org/members/" + ownerId(other) + "/disable", credential, null),
          setRole(credential, UUID.randomUUID().toString(), "analyst"),
          api.post("/v1/org/members/not-a-uuid/disable", credential, null)}) {
        assertThat(r.status()).as(r.toString()).isEqualTo(404);
        assertThat(r.errorCode()).isEqualTo("not_found");
        assertThat(r.body()).doesNotContain(victim.email()).doesNotContain(other.orgId.toString());
      }
    }
    JsonObject me = api.get("/v1/me", victim.token()).json();
    assertThat(me.getString("role")).isEqualTo("developer");
    assertThat(api.get("/v1/me", other.owner()).status()).isEqualTo(200);
    assertThat(api.get("/v1/org/members", t.owner()).body()).doesNotContain(victim.email());
  }

  @Test
  @DisplayName("a role outside the enum or an extra field is refused with 400 naming the field")
  void validation() {
    Member target = member(t, Role.ANALYST);
    ApiServer.Resp bad = setRole(t.owner(), target.id(), "superuser");
    assertThat(bad.status()).as(bad.toString()).isEqualTo(400);
    assertThat(bad.json().getJsonObject("error").getString("message")).contains("role");
    ApiServer.Resp extra = api.call(HttpMethod.PATCH, "/v1/org/members/" + target.id(), t.owner(),
        new JsonObject().put("role", "admin").put("disabled", true));
    assertThat(extra.status()).as(extra.toString()).isEqualTo(400);
    ApiServer.Resp none = api.call(HttpMethod.PATCH, "/v1/org/members/" + target.id(), t.owner(), new JsonObject());
    assertThat(none.status()).as(none.toString()).isEqualTo(400);
  }
}
