package io.tinko.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinko.engine.dunning.LinkKeys;
import io.tinko.engine.dunning.LinkTokens;
import io.tinko.testing.PostgresExtension;
import io.tinko.testing.RedisExtension;
import io.tinko.testing.TestDatabase;
import io.tinko.testing.TestRedis;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** GET/PUT /v1/branding: who may read and write it, what is refused, that it stays in its tenant and is used. */
@ExtendWith({PostgresExtension.class, RedisExtension.class})
class BrandingApiTest {
  private static final String KEY = "k1:" + Base64.getEncoder().encodeToString(new byte[32]);
  private static ApiServer api;
  private static TestDatabase db;
  private static Tenant acme;
  private static Tenant other;

  @BeforeAll
  static void start(TestDatabase database, TestRedis redis) {
    db = database;
    api = ApiServer.start(db, redis.url(), c -> c.with("dunning", c.json().getJsonObject("dunning").copy()
        .put("linkKeys", KEY)));
    acme = Tenant.create(api, "Acme Branding");
    other = Tenant.create(api, "Other Branding");
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  private static JsonObject body(String name, String logo, String support, String replyTo) {
    return new JsonObject().put("name", name).put("logoUrl", logo).put("supportEmail", support).put("replyTo", replyTo);
  }

  private static ApiServer.Resp put(String token, JsonObject body) {
    return api.call(HttpMethod.PUT, "/v1/branding", token, body);
  }

  @Test
  @DisplayName("unset branding reads as nulls; owner and admin write it, developer and analyst get 403; every role reads")
  void roles() {
    Tenant t = Tenant.create(api, "Roles Branding");
    ApiServer.Resp empty = api.get("/v1/branding", t.tokens.get(Role.ANALYST));
    assertThat(empty.status()).isEqualTo(200);
    assertThat(empty.json()).isEqualTo(new JsonObject().putNull("name").putNull("logoUrl").putNull("supportEmail")
        .putNull("replyTo").putNull("updatedAt"));
    for (Role role : new Role[] {Role.DEVELOPER, Role.ANALYST}) {
      ApiServer.Resp r = put(t.tokens.get(role), body("Nope", null, null, null));
      assertThat(r.status()).as(role.id()).isEqualTo(403);
      assertThat(r.errorCode()).isEqualTo("forbidden");
    }
    assertThat(put(t.owner(), body("By Owner", null, "owner@roles.example", null)).status()).isEqualTo(200);
    ApiServer.Resp byAdmin = put(t.tokens.get(Role.ADMIN), body("  By Admin  ", "https://cdn.roles.example/l.png",
        "help@roles.example", "billing@roles.example"));
    assertThat(byAdmin.status()).as(byAdmin.toString()).isEqualTo(200);
    for (Role role : Role.values()) {
      JsonObject read = api.get("/v1/branding", t.tokens.get(role)).json();
      assertThat(read.getString("name")).as(role.id()).isEqualTo("By Admin");
      assertThat(read.getString("logoUrl")).isEqualTo("https://cdn.roles.example/l.png");
      assertThat(read.getString("supportEmail")).isEqualTo("help@roles.example");
      assertThat(read.getString("replyTo")).isEqualTo("billing@roles.example");
      assertThat(read.getString("updatedAt")).isNotNull();
    }
    // a PUT replaces everything: what it leaves out is cleared
    assertThat(put(t.owner(), new JsonObject().put("name", "Only Name")).json().getString("supportEmail")).isNull();
    assertThat(db.scalar("SELECT count(*) FROM tenant_branding WHERE org_id = ? AND display_name = 'Only Name' "
        + "AND support_email IS NULL", t.orgId)).isEqualTo(1);
  }

  @Test
  @DisplayName("refused: http or relative logo URLs, javascript: and data: URLs, malformed or multiple emails, CR/LF")
  void validation() {
    String[][] bad = {
        {"logoUrl", "http://cdn.acme.example/logo.png"}, {"logoUrl", "/logo.png"},
        {"logoUrl", "javascript:alert(1)"}, {"logoUrl", "data:image/png;base64,AAAA"},
        {"logoUrl", "https://user:pw@cdn.acme.example/l.png"}, {"logoUrl", "https://cdn.acme.example/a\"b.png"},
        {"supportEmail", "not-an-email"}, {"supportEmail", "a@b"}, {"supportEmail", "a@example.com, b@example.com"},
        {"replyTo", "Acme <billing@acme.example>"}, {"replyTo", "billing@acme.example\r\nBcc: x@evil.example"},
        {"name", "Acme\r\nBcc: x@evil.example"}};
    for (String[] b : bad) {
      ApiServer.Resp r = put(acme.owner(), new JsonObject().put(b[0], b[1]));
      assertThat(r.status()).as(b[0] + "=" + b[1] + " " + r).isEqualTo(400);
      assertThat(r.errorCode()).isEqualTo("validation_failed");
    }
    assertThat(put(acme.owner(), new JsonObject().put("name", 42)).status()).isEqualTo(400);
    assertThat(put(acme.owner(), new JsonObject().put("colour", "red")).status()).isEqualTo(400);
    assertThat(put(acme.owner(), new JsonObject().put("name", "x".repeat(101))).status()).isEqualTo(400);
  }

  @Test
  @DisplayName("one tenant's branding is invisible to and untouched by another tenant's reads and writes")
  void crossTenant() {
    assertThat(put(acme.owner(), body("Acme Books", "https://cdn.acme.example/logo.png", "help@acme.example",
        null)).status()).isEqualTo(200);
    JsonObject theirs = api.get("/v1/branding", other.owner()).json();
    assertThat(theirs.getString("name")).isNull();
    assertThat(put(other.keys.get(Role.ADMIN), body("Other Shop", null, "help@other.example", null)).status())
        .isEqualTo(200);
    JsonObject mine = api.get("/v1/branding", acme.keys.get(Role.ANALYST)).json();
    assertThat(mine.getString("name")).isEqualTo("Acme Books");
    assertThat(mine.getString("supportEmail")).isEqualTo("help@acme.example");
    assertThat(api.get("/v1/branding", other.tokens.get(Role.ANALYST)).json().getString("name"))
        .isEqualTo("Other Shop");
  }

  @Test
  @DisplayName("the hosted recovery page shows the branding set through the API: name, logo and support address")
  void usedByThePage() {
    Tenant t = Tenant.create(api, "Page Branding");
    UUID tx = Fixtures.transaction(db, t.orgId, "stripe", "action_required", "FIX_DATA", 4200, "USD", Instant.now());
    UUID link = UUID.randomUUID();
    Instant expires = Instant.now().plus(Duration.ofDays(1));
    db.execute("INSERT INTO recovery_links (id, org_id, transaction_id, purpose, key_id, expires_at) "
        + "VALUES (?, ?, ?, 'pay', 'k1', ?)", link, t.orgId, tx, java.sql.Timestamp.from(expires));
    String token = new LinkTokens(LinkKeys.parse(List.of(KEY)), Clock.systemUTC())
        .sign(new LinkTokens.Claims(link, t.orgId, tx, "pay", expires));
    assertThat(api.get("/r/" + token, null).body()).contains("Page Branding");
    assertThat(put(t.tokens.get(Role.ADMIN), body("Branded & Co", "https://cdn.branded.example/logo.png",
        "care@branded.example", "billing@branded.example")).status()).isEqualTo(200);
    String page = api.get("/r/" + token, null).body();
    assertThat(page).contains("Branded &amp; Co").contains("src=\"https://cdn.branded.example/logo.png\"")
        .doesNotContain(">Page Branding<");
    // the engine's email sender reads the same row (see DunningEmailsTest.branding)
    assertThat(db.scalar("SELECT count(*) FROM tenant_branding WHERE org_id = ? AND display_name = 'Branded & Co' "
        + "AND reply_to = 'billing@branded.example' AND support_email = 'care@branded.example'", t.orgId))
        .isEqualTo(1);
  }
}
