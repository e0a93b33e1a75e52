package io.tinko.gateway.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinko.engine.dunning.LinkKeys;
import io.tinko.engine.dunning.LinkTokens;
import io.tinko.fakes.FakeStripe;
import io.tinko.gateway.api.ApiServer;
import io.tinko.testing.PostgresExtension;
import io.tinko.testing.RedisExtension;
import io.tinko.testing.TestDatabase;
import io.tinko.testing.TestRedis;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
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

/**
 * The hosted recovery page over HTTP against the fake Stripe: a good link shows its own payment and leads to one
 * Checkout session; every bad token gets the friendly page, which names nobody.
 */
@ExtendWith({PostgresExtension.class, RedisExtension.class})
class RecoveryPagesTest {
  private static final String OLD = "k0:" + Base64.getEncoder().encodeToString(filled(7));
  private static final String NEW = "k1:" + Base64.getEncoder().encodeToString(filled(9));
  private static ApiServer api;
  private static TestDatabase db;
  private static FakeStripe stripe;
  private static WebClient web;
  private static final LinkTokens SIGNER = new LinkTokens(LinkKeys.parse(List.of(NEW)), Clock.systemUTC());

  private static byte[] filled(int b) {
    byte[] k = new byte[32];
    java.util.Arrays.fill(k, (byte) b);
    return k;
  }

  @BeforeAll
  static void start(TestDatabase database, TestRedis redis) {
    db = database;
    api = ApiServer.start(db, redis.url(), c -> c.with("dunning", c.json().getJsonObject("dunning").copy()
        .put("linkKeys", NEW + "," + OLD)));
    stripe = new FakeStripe(api.vertx);
    ApiServer.await(stripe.start(0));
    web = WebClient.create(api.vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(api.port()).setFollowRedirects(false));
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
  }

  private record Payment(UUID org, UUID tx, String merchant) {}

  private static Payment payment(String merchant, String email) {
    UUID org = UUID.randomUUID();
    UUID tx = UUID.randomUUID();
    String ep = "ep_" + UUID.randomUUID().toString().substring(0, 8);
    db.execute("INSERT INTO organizations (id, name) VALUES (?, ?)", org, merchant);
    db.execute("INSERT INTO psp_connections (id, org_id, psp, webhook_secret_enc, credentials_enc, api_base_url) "
        + "VALUES (?, ?, 'stripe', ?, ?, ?)", ep, org, api.sealing.sealWebhookSecret(ep, "whsec_x"),
        api.sealing.sealCredentials(ep, new JsonObject().put("apiKey", "sk_test_pages").encode()), stripe.baseUrl());
    db.execute("INSERT INTO transactions (id, org_id, psp, endpoint_id, psp_payment_key, invoice_id, customer_id, "
        + "customer_email, customer_locale, amount_minor, currency, amount_exponent, status, decline_class, failed_at, "
        + "last_event_at) VALUES (?, ?, 'stripe', ?, ?, ?, 'cus_pages', ?, 'es-ES', 123456, 'EUR', 2, "
        + "'action_required', 'FIX_DATA', now(), now())", tx, org, ep, "invoice:in_" + tx, "in_" + tx, email);
    stripe.object("in_" + tx, 123456, "eur");
    return new Payment(org, tx, merchant);
  }

  /** A link row as the sender writes it, and its token signed by {@code signer}. */
  private static String link(Payment p, String purpose, Instant expires, LinkTokens signer, UUID claimOrg) {
    UUID id = UUID.randomUUID();
    db.execute("INSERT INTO recovery_links (id, org_id, transaction_id, purpose, key_id, expires_at) "
        + "VALUES (?, ?, ?, ?, 'k1', ?)", id, p.org(), p.tx(), purpose, java.sql.Timestamp.from(expires));
    return signer.sign(new LinkTokens.Claims(id, claimOrg, p.tx(), purpose, expires));
  }

  private static String link(Payment p, String purpose) {
    return link(p, purpose, Instant.now().plus(Duration.ofDays(7)), SIGNER, p.org());
  }

  private static HttpResponse<Buffer> get(String path) {
    return ApiServer.await(web.get(path).send());
  }

  private static HttpResponse<Buffer> post(String path) {
    return ApiServer.await(web.post(path).sendForm(MultiMap.caseInsensitiveMultiMap()));
  }

  private static void assertFriendlyAndAnonymous(HttpResponse<Buffer> r, int status, Payment p) {
    assertThat(r.statusCode()).isEqualTo(status);
    assertThat(r.getHeader("Content-Type")).startsWith("text/html");
    assertThat(r.bodyAsString()).contains("This link is not valid").doesNotContain(p.merchant())
        .doesNotContain("1.234,56").doesNotContain("Exception");
  }

  @Test
  @DisplayName("a valid link shows the merchant, the amount in the customer's locale and what failed; the open is recorded")
  void valid() {
    Payment p = payment("Libros Acme", "lector@example.es");
    HttpResponse<Buffer> r = get("/r/" + link(p, "pay"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.bodyAsString()).contains("Libros Acme").contains("1.234,56\u00a0€")
        .contains("Los datos de la tarjeta están desactualizados").contains("id=\"pay\"");
    assertThat(r.getHeader("Referrer-Policy")).isEqualTo("no-referrer");
    assertThat(db.scalar("SELECT count(*) FROM link_clicks WHERE transaction_id = ? AND kind = 'open'", p.tx()))
        .isEqualTo(1);
  }

  @Test
  @DisplayName("tampered, expired, wrong-purpose and garbage tokens get the friendly page and no data")
  void badTokens() {
    Payment p = payment("Tamper Shop", "t@example.com");
    int sessions = stripe.checkoutSessions();
    String good = link(p, "pay");
    String[] parts = good.split("\\.");
    String tampered = parts[0] + "." + parts[1] + "." + (parts[2].startsWith("A") ? "B" : "A") + parts[2].substring(1);
    assertFriendlyAndAnonymous(get("/r/" + tampered), 404, p);
    assertFriendlyAndAnonymous(post("/r/" + tampered + "/pay"), 404, p);
    assertFriendlyAndAnonymous(get("/r/not-a-token"), 404, p);
    String expired = link(p, "pay", Instant.now().minusSeconds(1), SIGNER, p.org());
    assertFriendlyAndAnonymous(get("/r/" + expired), 410, p);
    assertFriendlyAndAnonymous(get("/r/" + link(p, "unsubscribe")), 404, p);
    assertFriendlyAndAnonymous(get("/r/" + good + "/stop"), 404, p);
    assertThat(stripe.checkoutSessions()).isEqualTo(sessions);
    assertThat(db.scalar("SELECT count(*) FROM link_clicks WHERE transaction_id = ?", p.tx())).isZero();
  }

  @Test
  @DisplayName("a correctly signed token naming another tenant matches no link and shows nothing of either")
  void otherTenant() {
    Payment mine = payment("Mine Ltd", "me@example.com");
    Payment theirs = payment("Theirs Ltd", "them@example.com");
    String crossed = link(mine, "pay", Instant.now().plus(Duration.ofDays(1)), SIGNER, theirs.org());
    HttpResponse<Buffer> r = get("/r/" + crossed);
    assertFriendlyAndAnonymous(r, 404, mine);
    assertThat(r.bodyAsString()).doesNotContain("Theirs Ltd");
  }

  @Test
  @DisplayName("the payment action works once: one Checkout session with the link's idempotency key, then 'used'")
  void reused() {
    Payment p = payment("Once Only", "once@example.com");
    int sessions = stripe.checkoutSessions();
    String token = link(p, "pay");
    HttpResponse<Buffer> first = post("/r/" + token + "/pay");
    assertThat(first.statusCode()).isEqualTo(303);
    assertThat(first.getHeader("Location")).startsWith(stripe.baseUrl() + "/checkout/cs_test_fake");
    HttpResponse<Buffer> again = post("/r/" + token + "/pay");
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(again.bodyAsString()).contains("Este enlace ya se ha usado");
    assertThat(get("/r/" + token).statusCode()).isEqualTo(409);
    assertThat(stripe.checkoutSessions()).isEqualTo(sessions + 1);
    assertThat(db.scalar("SELECT count(*) FROM recovery_links WHERE transaction_id = ? AND used_at IS NOT NULL "
        + "AND hosted_url LIKE 'http%/checkout/cs_test_fake%'", p.tx())).isEqualTo(1);
    assertThat(db.scalar("SELECT count(*) FROM link_clicks WHERE transaction_id = ? AND kind = 'pay'", p.tx()))
        .isEqualTo(1);
  }

  @Test
  @DisplayName("after rotation, links signed by the previous key still work; a key no longer configured does not")
  void rotatedKey() {
    Payment p = payment("Rotation Co", "r@example.com");
    LinkTokens old = new LinkTokens(LinkKeys.parse(List.of(OLD)), Clock.systemUTC());
    assertThat(get("/r/" + link(p, "pay", Instant.now().plus(Duration.ofDays(1)), old, p.org())).statusCode())
        .isEqualTo(200);
    LinkTokens retired = new LinkTokens(LinkKeys.parse(List.of("k9:" + Base64.getEncoder()
        .encodeToString(filled(3)))), Clock.systemUTC());
    assertFriendlyAndAnonymous(get("/r/" + link(p, "pay", Instant.now().plus(Duration.ofDays(1)), retired,
        p.org())), 404, p);
  }

  @Test
  @DisplayName("the stop link asks first, then records the unsubscribe for that tenant and lower-cased address")
  void unsubscribe() {
    Payment p = payment("Quiet Please", "Loud@Example.com");
    String token = link(p, "unsubscribe");
    HttpResponse<Buffer> ask = get("/r/" + token + "/stop");
    assertThat(ask.statusCode()).isEqualTo(200);
    assertThat(ask.bodyAsString()).contains("Quiet Please").contains("id=\"stop\"");
    assertThat(db.scalar("SELECT count(*) FROM dunning_unsubscribes WHERE org_id = ?", p.org())).isZero();
    assertThat(post("/r/" + token + "/stop").statusCode()).isEqualTo(200);
    assertThat(db.scalar("SELECT count(*) FROM dunning_unsubscribes WHERE org_id = ? AND email = 'loud@example.com'",
        p.org())).isEqualTo(1);
  }
}
