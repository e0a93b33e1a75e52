package io.tinko.gateway.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinko.engine.dunning.LinkKeys;
import io.tinko.engine.dunning.LinkTokens;
import io.tinko.fakes.FakePaypal;
import io.tinko.fakes.FakeRazorpay;
import io.tinko.gateway.api.ApiServer;
import io.tinko.testing.PostgresExtension;
import io.tinko.testing.RedisExtension;
import io.tinko.testing.TestDatabase;
import io.tinko.testing.TestRedis;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hosted recovery page for Razorpay and PayPal over HTTP against their local fakes: the page creates the PSP's
 * own hosted flow once per link, sends the browser there, and the fake's completion comes back as a webhook the
 * gateway verifies and stores. (That the engine then marks the payment recovered by the link is the launcher's
 * RecoveryLinkBrowserTest.)
 */
@ExtendWith({PostgresExtension.class, RedisExtension.class})
class RecoveryPspPagesTest {
  private static final String KEY = "k1:" + Base64.getEncoder().encodeToString(new byte[32]);
  private static final String RZP_SECRET = "rzp_webhook_secret_pages";
  private static final LinkTokens SIGNER = new LinkTokens(LinkKeys.parse(List.of(KEY)), Clock.systemUTC());
  private static ApiServer api;
  private static TestDatabase db;
  private static final String PAYPAL_WEBHOOK_ID = "8PT597110X687430LKGECATA";
  private static FakeRazorpay razorpay;
  private static FakePaypal paypal;
  private static Vertx fakes;
  private static WebClient web;

  /** Removed by JUnit after the class's tests. */
  @TempDir
  static Path tmp;

  @BeforeAll
  static void start(TestDatabase database, TestRedis redis) throws Exception {
    db = database;
    // the fake PayPal first: the gateway must trust its CA to accept its signed webhooks
    fakes = Vertx.vertx();
    paypal = new FakePaypal(fakes);
    ApiServer.await(paypal.start(0));
    Path ca = tmp.resolve("fake-paypal-ca.pem");
    Files.writeString(ca, paypal.caPem());
    api = ApiServer.start(db, redis.url(), c -> c.with("dunning", c.json().getJsonObject("dunning").copy()
        .put("linkKeys", KEY)).with("webhooks.paypal.certHosts", new JsonArray().add(paypal.certHost()))
        .with("webhooks.paypal.trustStore", ca.toString()).with("webhooks.paypal.fetchTrustStore", ca.toString()));
    paypal.webhooks("http://127.0.0.1:" + api.port() + "/v1/webhooks/paypal/ep_paypal_pages", PAYPAL_WEBHOOK_ID);
    razorpay = new FakeRazorpay(api.vertx);
    ApiServer.await(razorpay.start(0));
    web = WebClient.create(api.vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(api.port()).setFollowRedirects(false));
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.close();
    }
    if (fakes != null) {
      ApiServer.await(fakes.close());
    }
  }

  record Payment(UUID org, UUID tx, String endpoint, String paymentKey) {}

  /** A FIX_DATA payment of {@code psp} whose connection points at {@code base} with these credentials. */
  static Payment payment(String psp, String base, JsonObject credentials, String secret, long minor, String currency) {
    return payment(psp, "ep_" + psp + "_" + UUID.randomUUID().toString().substring(0, 8), base, credentials, secret,
        minor, currency);
  }

  static Payment payment(String psp, String ep, String base, JsonObject credentials, String secret, long minor,
                         String currency) {
    UUID org = UUID.randomUUID();
    UUID tx = UUID.randomUUID();
    String key = "order:order_" + tx.toString().substring(0, 8);
    db.execute("INSERT INTO organizations (id, name) VALUES (?, 'Pages Merchant')", org);
    db.execute("INSERT INTO psp_connections (id, org_id, psp, webhook_secret_enc, credentials_enc, api_base_url, "
        + "paypal_webhook_id) VALUES (?, ?, ?, ?, ?, ?, ?)", ep, org, psp, api.sealing.sealWebhookSecret(ep, secret),
        api.sealing.sealCredentials(ep, credentials.encode()), base, "paypal".equals(psp) ? PAYPAL_WEBHOOK_ID : null);
    db.execute("INSERT INTO transactions (id, org_id, psp, endpoint_id, psp_payment_key, customer_email, "
        + "customer_locale, amount_minor, currency, amount_exponent, status, decline_class, failed_at, last_event_at) "
        + "VALUES (?, ?, ?, ?, ?, 'payer@example.in', 'en-IN', ?, ?, 2, 'action_required', 'FIX_DATA', now(), now())",
        tx, org, psp, ep, key, minor, currency);
    return new Payment(org, tx, ep, key);
  }

  static String link(Payment p) {
    UUID id = UUID.randomUUID();
    Instant expires = Instant.now().plus(Duration.ofDays(7));
    db.execute("INSERT INTO recovery_links (id, org_id, transaction_id, purpose, key_id, expires_at) "
        + "VALUES (?, ?, ?, 'pay', 'k1', ?)", id, p.org(), p.tx(), java.sql.Timestamp.from(expires));
    return SIGNER.sign(new LinkTokens.Claims(id, p.org(), p.tx(), "pay", expires));
  }

  static UUID linkId(String token) {
    return SIGNER.verify(token, "pay").claims().linkId();
  }

  private static HttpResponse<Buffer> post(String absoluteOrPath) {
    var req = absoluteOrPath.startsWith("http") ? web.postAbs(absoluteOrPath) : web.post(absoluteOrPath);
    return ApiServer.await(req.sendForm(MultiMap.caseInsensitiveMultiMap()));
  }

  private static JsonObject razorpayApi(String method, String path, JsonObject body) {
    var req = web.requestAbs(io.vertx.core.http.HttpMethod.valueOf(method), razorpay.baseUrl() + path)
        .basicAuthentication("rzp_test_pages", "secret_pages");
    return ApiServer.await(body == null ? req.send() : req.sendJsonObject(body)).bodyAsJsonObject();
  }

  private static JsonObject razorpayCredentials() {
    return new JsonObject().put("keyId", "rzp_test_pages").put("keySecret", "secret_pages");
  }

  @Test
  @DisplayName("Razorpay: pay creates one payment link (amount, reference id, the payment's key in its notes) and "
      + "redirects to its short_url; a second press is 'used' and makes none")
  void razorpayLink() {
    Payment p = payment("razorpay", razorpay.baseUrl(), razorpayCredentials(), RZP_SECRET, 49900, "INR");
    String token = link(p);
    int before = razorpay.paymentLinks();
    HttpResponse<Buffer> r = post("/r/" + token + "/pay");
    assertThat(r.statusCode()).isEqualTo(303);
    String shortUrl = r.getHeader("Location");
    assertThat(shortUrl).startsWith(razorpay.baseUrl() + "/i/");
    assertThat(post("/r/" + token + "/pay").statusCode()).isEqualTo(409);
    assertThat(razorpay.paymentLinks()).isEqualTo(before + 1);

    String reference = RazorpayLinks.referenceId(linkId(token));
    JsonObject made = razorpayApi("GET", "/v1/payment_links?reference_id=" + reference, null)
        .getJsonArray("payment_links").getJsonObject(0);
    assertThat(made.getLong("amount")).isEqualTo(49900);
    assertThat(made.getString("currency")).isEqualTo("INR");
    assertThat(made.getString("short_url")).isEqualTo(shortUrl);
    assertThat(made.getJsonObject("notes").getString("tinko_payment_key")).isEqualTo(p.paymentKey());
    assertThat(made.getJsonObject("notify").getBoolean("email")).isFalse();
    assertThat(made.getString("callback_url")).isEqualTo("https://tinko.test/r/" + token + "/done");
    assertThat(db.scalar("SELECT count(*) FROM recovery_links WHERE transaction_id = ? AND hosted_ref = ?", p.tx(),
        made.getString("id"))).isEqualTo(1);
  }

  @Test
  @DisplayName("Razorpay: when an earlier create made the link but its answer was lost, the page finds that link by "
      + "reference_id instead of making a second one")
  void razorpayLostAnswer() {
    Payment p = payment("razorpay", razorpay.baseUrl(), razorpayCredentials(), RZP_SECRET, 120000, "INR");
    String token = link(p);
    // what a first create that timed out left at Razorpay
    JsonObject earlier = razorpayApi("POST", "/v1/payment_links", new JsonObject().put("amount", 120000)
        .put("currency", "INR").put("reference_id", RazorpayLinks.referenceId(linkId(token))));
    int before = razorpay.paymentLinks();
    HttpResponse<Buffer> r = post("/r/" + token + "/pay");
    assertThat(r.statusCode()).isEqualTo(303);
    assertThat(r.getHeader("Location")).isEqualTo(earlier.getString("short_url"));
    assertThat(razorpay.paymentLinks()).isEqualTo(before);
  }

  @Test
  @DisplayName("Razorpay: paying on the fake's page posts signed payment.captured and payment_link.paid webhooks the "
      + "gateway accepts, and sends the customer back to /done with Razorpay's parameters")
  void razorpayPaid() {
    Payment p = payment("razorpay", razorpay.baseUrl(), razorpayCredentials(), RZP_SECRET, 49900, "INR");
    razorpay.webhooks("http://127.0.0.1:" + api.port() + "/v1/webhooks/razorpay/" + p.endpoint(), RZP_SECRET);
    String token = link(p);
    String shortUrl = post("/r/" + token + "/pay").getHeader("Location");
    HttpResponse<Buffer> paid = post(shortUrl + "/pay");
    assertThat(paid.statusCode()).isEqualTo(303);
    String back = paid.getHeader("Location");
    assertThat(back).startsWith("https://tinko.test/r/" + token + "/done?razorpay_payment_id=pay_fake")
        .contains("razorpay_payment_link_status=paid");
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> db.scalar(
        "SELECT count(*) FROM webhook_events WHERE endpoint_id = ?", p.endpoint()) == 2);
    assertThat(db.scalar("SELECT count(*) FROM webhook_events WHERE endpoint_id = ? AND event_type = "
        + "'payment_link.paid'", p.endpoint())).isEqualTo(1);
    // back at Tinko: the completion is recorded once
    HttpResponse<Buffer> done = ApiServer.await(web.get(back.substring("https://tinko.test".length())).send());
    assertThat(done.statusCode()).isEqualTo(200);
    assertThat(db.scalar("SELECT count(*) FROM recovery_links WHERE transaction_id = ? AND completed_at IS NOT NULL",
        p.tx())).isEqualTo(1);
  }

  private static JsonObject paypalCredentials() {
    return new JsonObject().put("clientId", "AcYfakeClientPages").put("clientSecret", "EFfakeSecretPages");
  }

  private static String paypalToken() {
    return ApiServer.await(web.postAbs(paypal.baseUrl() + "/v1/oauth2/token")
        .basicAuthentication("AcYfakeClientPages", "EFfakeSecretPages")
        .sendForm(MultiMap.caseInsensitiveMultiMap().add("grant_type", "client_credentials")))
        .bodyAsJsonObject().getString("access_token");
  }

  private static JsonObject paypalOrder(String id) {
    return ApiServer.await(web.getAbs(paypal.baseUrl() + "/v2/checkout/orders/" + id)
        .putHeader("Authorization", "Bearer " + paypalToken()).send()).bodyAsJsonObject();
  }

  @Test
  @DisplayName("PayPal: pay creates one Orders v2 order (amount in decimals, custom_id = tinko:<payment key>) and "
      + "redirects to its payer-action link; a second press is 'used' and makes none")
  void paypalOrder() {
    Payment p = payment("paypal", paypal.baseUrl(), paypalCredentials(), "unused", 123456, "USD");
    String token = link(p);
    int before = paypal.orders();
    HttpResponse<Buffer> r = post("/r/" + token + "/pay");
    assertThat(r.statusCode()).isEqualTo(303);
    String approve = r.getHeader("Location");
    assertThat(approve).startsWith(paypal.baseUrl() + "/checkoutnow?token=");
    assertThat(post("/r/" + token + "/pay").statusCode()).isEqualTo(409);
    assertThat(paypal.orders()).isEqualTo(before + 1);
    String orderId = approve.substring(approve.indexOf("token=") + 6);
    JsonObject order = paypalOrder(orderId);
    assertThat(order.getString("status")).isEqualTo("PAYER_ACTION_REQUIRED");
    JsonObject unit = order.getJsonArray("purchase_units").getJsonObject(0);
    assertThat(unit.getString("custom_id")).isEqualTo("tinko:" + p.paymentKey());
    assertThat(unit.getJsonObject("amount")).isEqualTo(new JsonObject().put("currency_code", "USD")
        .put("value", "1234.56"));
    assertThat(db.scalar("SELECT count(*) FROM recovery_links WHERE transaction_id = ? AND hosted_ref = ?", p.tx(),
        orderId)).isEqualTo(1);
  }

  @Test
  @DisplayName("PayPal: an order an earlier create made under the link's PayPal-Request-Id is answered again, not "
      + "made twice")
  void paypalLostAnswer() {
    Payment p = payment("paypal", paypal.baseUrl(), paypalCredentials(), "unused", 5000, "EUR");
    String token = link(p);
    JsonObject earlier = ApiServer.await(web.postAbs(paypal.baseUrl() + "/v2/checkout/orders")
        .putHeader("Authorization", "Bearer " + paypalToken())
        .putHeader("PayPal-Request-Id", "tinko-link-" + linkId(token))
        .sendJsonObject(new JsonObject().put("intent", "CAPTURE").put("purchase_units", new JsonArray()
            .add(new JsonObject().put("amount", new JsonObject().put("currency_code", "EUR").put("value", "50.00"))))
            .put("payment_source", new JsonObject().put("paypal", new JsonObject().put("experience_context",
                new JsonObject().put("return_url", "https://tinko.test/r/" + token + "/done"))))))
        .bodyAsJsonObject();
    int before = paypal.orders();
    HttpResponse<Buffer> r = post("/r/" + token + "/pay");
    assertThat(r.statusCode()).isEqualTo(303);
    assertThat(r.getHeader("Location")).endsWith("token=" + earlier.getString("id"));
    assertThat(paypal.orders()).isEqualTo(before);
  }

  @Test
  @DisplayName("PayPal: approval sends the customer back to /done, which captures the order once; PayPal's "
      + "RSA-signed PAYMENT.CAPTURE.COMPLETED passes the gateway's certificate check and is stored")
  void paypalApprovedCaptured() {
    Payment p = payment("paypal", "ep_paypal_pages", paypal.baseUrl(), paypalCredentials(), "unused", 2500, "USD");
    String token = link(p);
    String approve = post("/r/" + token + "/pay").getHeader("Location");
    String orderId = approve.substring(approve.indexOf("token=") + 6);
    HttpResponse<Buffer> approved = post(paypal.baseUrl() + "/checkoutnow/" + orderId + "/approve");
    assertThat(approved.statusCode()).isEqualTo(303);
    String back = approved.getHeader("Location");
    assertThat(back).isEqualTo("https://tinko.test/r/" + token + "/done?token=" + orderId + "&PayerID=FAKEPAYER7Q2");
    String path = back.substring("https://tinko.test".length());
    HttpResponse<Buffer> done = ApiServer.await(web.get(path).send());
    assertThat(done.statusCode()).as(done.bodyAsString()).isEqualTo(200);
    assertThat(paypal.orderStatus(orderId)).isEqualTo("COMPLETED");
    // a reload captures nothing more: the capture's request id answers the first capture again
    assertThat(ApiServer.await(web.get(path).send()).statusCode()).isEqualTo(200);
    assertThat(paypal.ledger().charges("tinko-capture-" + linkId(token))).isEqualTo(1);
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> db.scalar("SELECT count(*) FROM webhook_events "
        + "WHERE endpoint_id = 'ep_paypal_pages' AND event_type = 'PAYMENT.CAPTURE.COMPLETED'") == 1);
    assertThat(db.scalar("SELECT count(*) FROM recovery_links WHERE transaction_id = ? AND completed_at IS NOT NULL",
        p.tx())).isEqualTo(1);
  }

  @Test
  @DisplayName("PayPal: a return naming another order captures nothing and thanks nobody")
  void paypalForeignReturn() {
    Payment p = payment("paypal", paypal.baseUrl(), paypalCredentials(), "unused", 2500, "USD");
    String token = link(p);
    String approve = post("/r/" + token + "/pay").getHeader("Location");
    String orderId = approve.substring(approve.indexOf("token=") + 6);
    post(paypal.baseUrl() + "/checkoutnow/" + orderId + "/approve");
    HttpResponse<Buffer> done = ApiServer.await(web.get("/r/" + token + "/done?token=SOMEONEELSE1234&PayerID=X")
        .send());
    assertThat(done.statusCode()).isEqualTo(503);
    assertThat(done.bodyAsString()).doesNotContain("Thank you");
    assertThat(paypal.orderStatus(orderId)).isEqualTo("APPROVED");
    assertThat(db.scalar("SELECT count(*) FROM recovery_links WHERE transaction_id = ? AND completed_at IS NOT NULL",
        p.tx())).isZero();
  }
}
