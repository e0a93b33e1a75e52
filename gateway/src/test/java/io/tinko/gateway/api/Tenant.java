package io.tinko.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;

/**
 * A registered organisation with a signed-in member of every role and an API key of every key role, made through
 * the API itself (register, invite, accept, login, create key).
 */
public final class Tenant {
  public static final String PASSWORD = "correct horse battery staple";

  public final UUID orgId;
  public final String name;
  public final String ownerEmail;
  public final Map<Role, String> tokens = new EnumMap<>(Role.class);
  public final Map<Role, String> keys = new EnumMap<>(Role.class);

  private Tenant(UUID orgId, String name, String ownerEmail) {
    this.orgId = orgId;
    this.name = name;
    this.ownerEmail = ownerEmail;
  }

  public static Tenant create(ApiServer api, String name) {
    String tag = UUID.randomUUID().toString().substring(0, 8);
    String owner = "owner-" + tag + "@" + name.toLowerCase().replace(' ', '-') + ".example";
    ApiServer.Resp reg = api.post("/v1/auth/register", null, new JsonObject().put("organization", name)
        .put("email", owner).put("password", PASSWORD));
    assertThat(reg.status()).as(reg.toString()).isEqualTo(201);
    Tenant t = new Tenant(UUID.fromString(reg.json().getJsonObject("organization").getString("id")), name, owner);
    t.tokens.put(Role.OWNER, login(api, owner));
    for (Role role : new Role[] {Role.ADMIN, Role.DEVELOPER, Role.ANALYST}) {
      String email = role.id() + "-" + tag + "@" + name.toLowerCase().replace(' ', '-') + ".example";
      t.tokens.put(role, t.invite(api, email, role));
      ApiServer.Resp key = api.post("/v1/api-keys", t.owner(), new JsonObject().put("name", role.id() + " key")
          .put("role", role.id()));
      assertThat(key.status()).as(key.toString()).isEqualTo(201);
      t.keys.put(role, key.json().getString("key"));
    }
    return t;
  }

  /** Invites, accepts and signs in; returns the new member's access token. */
  public String invite(ApiServer api, String email, Role role) {
    ApiServer.Resp inv = api.post("/v1/org/invitations", owner(), new JsonObject().put("email", email)
        .put("role", role.id()));
    assertThat(inv.status()).as(inv.toString()).isEqualTo(201);
    ApiServer.Resp acc = api.post("/v1/auth/accept-invitation", null, new JsonObject()
        .put("token", inv.json().getString("token")).put("password", PASSWORD));
    assertThat(acc.status()).as(acc.toString()).isEqualTo(201);
    return login(api, email);
  }

  public static String login(ApiServer api, String email) {
    ApiServer.Resp r = api.post("/v1/auth/login", null, new JsonObject().put("email", email).put("password", PASSWORD));
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json().getString("accessToken");
  }

  public String owner() {
    return tokens.get(Role.OWNER);
  }
}
