package io.tinko.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import io.tinko.common.config.ConfigLoader;
import io.tinko.common.config.TinkoConfig;
import io.tinko.common.crypto.SecretBox;
import io.tinko.common.crypto.Secrets;
import io.tinko.embedded.FreePort;
import io.tinko.fakes.FakePaypal;
import io.tinko.fakes.FakeRazorpay;
import io.tinko.fakes.FakeStripe;
import io.tinko.gateway.webhook.ConnectionSecrets;
import io.tinko.gateway.webhook.verify.WebhookSigner;
import io.tinko.testing.PostgresExtension;
import io.tinko.testing.RedisExtension;
import io.tinko.testing.SmtpExtension;
import io.tinko.testing.TestDatabase;
import io.tinko.testing.TestRedis;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The customer's whole path in a real headless Chromium: a FIX_DATA decline webhook into the gateway, the engine's
 * dunning email over SMTP, the link in it, the hosted page, the PSP's hosted page on its fake (Stripe Checkout, a
 * Razorpay payment link, PayPal's approval), back to Tinko, and the fake's signed success webhook marking the transaction recovered by
 * the customer link.
 */
@ExtendWith({PostgresExtension.class, RedisExtension.class, SmtpExtension.class})
class RecoveryLinkBrowserTest {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final String SECRET = "whsec_browser";
  private static final String INVOICE = "in_1QtK9pLkdIwHu7ixMq2Jv8Yd";
  private static final byte[] MASTER_KEY = new byte[32];
  private Node node;
  private Vertx client;
  private String base;
  private WebDriver browser;
  /** The node's data dir, Chromium's profile and the fake PayPal's CA; removed by JUnit after each test. */
  @TempDir
  Path tmp;

  @AfterEach
  void stop() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    if (node != null) {
      node.close().await(10, TimeUnit.SECONDS);
    }
    if (client != null) {
      client.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** Starts Chromium's prerequisites check, the mail-sending node's config and a client Vert.x. */
  private TinkoConfig setUp(TestDatabase db, TestRedis redis, GreenMail mail) throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(CHROMIUM),
        "Chromium is not installed at /usr/bin/chromium (apt-get install -y chromium chromium-driver)");
    assertThat(CHROMEDRIVER).as("chromium is installed but chromedriver is not (package chromium-driver)")
        .isExecutable();
    int port = FreePort.pick(0);
    base = "http://127.0.0.1:" + port;
    client = Vertx.vertx();
    return ConfigLoader.load(client, null, Map.of()).await(10, TimeUnit.SECONDS)
        .with("pg.url", db.url()).with("redis.url", redis.url()).with("http.port", port).with("http.instances", 1)
        .with("smtp.url", "smtp://127.0.0.1:" + mail.getSmtp().getPort()).with("http.publicUrl", base)
        .with("secrets.masterKey", Base64.getEncoder().encodeToString(MASTER_KEY))
        .with("secrets.jwtKey", Base64.getEncoder().encodeToString(new byte[32]))
        .with("embedded.dataDir", tmp.resolve("data").toString())
        .with("engine.managementPort", 0).with("dunning.pollIntervalMs", 200)
        .with("dunning.linkKeys", "browser:" + Base64.getEncoder().encodeToString(new byte[32]));
  }

  /** A PSP connection of a new organization, its secrets sealed as the merchant API seals them. */
  private static UUID connection(TestDatabase db, String merchant, String psp, String endpoint, String webhookSecret,
                                 JsonObject credentials, String apiBase) {
    UUID org = UUID.randomUUID();
    ConnectionSecrets sealing = new ConnectionSecrets(new SecretBox(MASTER_KEY));
    db.execute("INSERT INTO organizations (id, name) VALUES (?, ?)", org, merchant);
    db.execute("INSERT INTO psp_connections (id, org_id, psp, webhook_secret_enc, credentials_enc, api_base_url) "
        + "VALUES (?, ?, ?, ?, ?, ?)", endpoint, org, psp, sealing.sealWebhookSecret(endpoint, webhookSecret),
        sealing.sealCredentials(endpoint, credentials.encode()), apiBase);
    return org;
  }

  private void startNode(TinkoConfig config) throws Exception {
    node = Node.create(config, false).await(30, TimeUnit.SECONDS);
    node.start(config, Backing.connect(config), Secrets.load(config), true, true).await(60, TimeUnit.SECONDS);
  }

  /** The link of the one recovery email to {@code recipient} (the SMTP server is shared by the class's tests). */
  private String emailedLink(GreenMail mail, String recipient) throws Exception {
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> to(mail, recipient).size() == 1);
    MimeMessage email = to(mail, recipient).get(0);
    Matcher m = Pattern.compile(Pattern.quote(base) + "/r/[A-Za-z0-9_.-]+").matcher(text(email));
    assertThat(m.find()).isTrue();
    return m.group();
  }

  @Test
  @DisplayName("email link -> hosted page -> fake Stripe Checkout -> back -> success webhook: recovered by the link")
  void emailLinkToRecovery(TestDatabase db, TestRedis redis, GreenMail mail) throws Exception {
    TinkoConfig config = setUp(db, redis, mail);
    FakeStripe stripe = new FakeStripe(client);
    stripe.start(0).await(10, TimeUnit.SECONDS);
    stripe.object(INVOICE, 3000, "jpy");

    String endpoint = "ep_browser_stripe";
    UUID org = connection(db, "Browser Books", "stripe", endpoint, SECRET,
        new JsonObject().put("apiKey", "sk_test_browser"), stripe.baseUrl());
    String webhookUrl = base + "/v1/webhooks/stripe/" + endpoint;
    stripe.webhooks(webhookUrl, SECRET);

    startNode(config);
    // the card expired: a retry cannot help, the customer must act (FIX_DATA), so the engine asks to email them
    byte[] failed = fixture("stripe/charge.failed.json", "\"created\": 1740785400",
        "\"created\": " + Instant.now().getEpochSecond(), "\"advice_code\": \"try_again_later\"",
        "\"advice_code\": \"confirm_card_data\"", "\"network_decline_code\": \"51\"",
        "\"network_decline_code\": \"54\"", "\"reason\": \"insufficient_funds\"", "\"reason\": \"expired_card\"");
    WebClient web = WebClient.create(client);
    int status = web.postAbs(webhookUrl).putHeader("Content-Type", "application/json")
        .putHeader("Stripe-Signature", WebhookSigner.stripe(Instant.now().getEpochSecond(), failed, SECRET))
        .sendBuffer(Buffer.buffer(failed)).await(10, TimeUnit.SECONDS).statusCode();
    assertThat(status).isEqualTo(200);

    String link = emailedLink(mail, "taro.yamada@example.jp");
    browser = chromium(tmp.resolve("chromium"));
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    browser.get(link);
    assertThat(browser.findElement(By.id("merchant")).getText()).isEqualTo("Browser Books");
    assertThat(browser.findElement(By.id("amount")).getText()).isEqualTo("¥3,000");
    assertThat(browser.findElement(By.id("reason")).getText()).contains("out of date or incorrect");
    browser.findElement(By.id("pay")).click();
    wait.until(ExpectedConditions.urlContains(stripe.baseUrl() + "/checkout/cs_test_fake"));
    assertThat(browser.findElement(By.id("fake-psp")).getText()).isEqualTo("Fake Stripe Checkout");
    browser.findElement(By.id("complete")).click();
    wait.until(ExpectedConditions.urlContains("/done"));
    assertThat(browser.getCurrentUrl()).startsWith(link + "/done");
    assertThat(browser.findElement(By.id("title")).getText()).isEqualTo("Thank you");

    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> db.scalar("SELECT count(*) FROM transactions "
        + "WHERE org_id = ? AND status = 'recovered' AND recovered_by = 'customer_link'", org) == 1);
    assertThat(stripe.statusOf(INVOICE)).isEqualTo("paid");
    assertThat(db.scalar("SELECT count(*) FROM link_clicks WHERE org_id = ?", org)).isEqualTo(3);
    assertThat(db.scalar("SELECT count(*) FROM dunning_steps WHERE org_id = ? AND status = 'scheduled'", org))
        .isZero();
    assertThat(db.scalar("SELECT count(*) FROM dunning_steps WHERE org_id = ? AND status = 'cancelled'", org))
        .isEqualTo(2);
    // back on the link once more: the payment is settled, nothing to do
    browser.get(link);
    assertThat(browser.findElement(By.id("title")).getText()).isEqualTo("Nothing to do");
  }

  @Test
  @DisplayName("email link -> hosted page -> fake Razorpay payment link -> paid -> signed payment_link.paid: "
      + "recovered by the link")
  void razorpayLinkToRecovery(TestDatabase db, TestRedis redis, GreenMail mail) throws Exception {
    TinkoConfig config = setUp(db, redis, mail);
    FakeRazorpay razorpay = new FakeRazorpay(client);
    razorpay.start(0).await(10, TimeUnit.SECONDS);
    String endpoint = "ep_browser_razorpay";
    String secret = "rzp_browser_webhook_secret";
    UUID org = connection(db, "Browser Learning", "razorpay", endpoint, secret,
        new JsonObject().put("keyId", "rzp_test_browser").put("keySecret", "browser_key_secret"), razorpay.baseUrl());
    String webhookUrl = base + "/v1/webhooks/razorpay/" + endpoint;
    razorpay.webhooks(webhookUrl, secret);

    startNode(config);
    // an expired card on a one-off order (no invoice: Razorpay will not retry it), so the customer is emailed
    byte[] failed = fixture("razorpay/payment.failed.json", "\"created_at\": 1738314000",
        "\"created_at\": " + Instant.now().getEpochSecond(), "\"error_reason\": \"insufficient_funds\"",
        "\"error_reason\": \"card_expired\"");
    int status = WebClient.create(client).postAbs(webhookUrl).putHeader("Content-Type", "application/json")
        .putHeader("X-Razorpay-Signature", WebhookSigner.razorpay(secret, failed))
        .putHeader("X-Razorpay-Event-Id", "EvtBrowserFailed1")
        .sendBuffer(Buffer.buffer(failed)).await(10, TimeUnit.SECONDS).statusCode();
    assertThat(status).isEqualTo(200);

    String link = emailedLink(mail, "gaurav.kumar@example.com");
    browser = chromium(tmp.resolve("chromium"));
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    browser.get(link);
    assertThat(browser.findElement(By.id("merchant")).getText()).isEqualTo("Browser Learning");
    assertThat(browser.findElement(By.id("amount")).getText()).contains("499.00");
    browser.findElement(By.id("pay")).click();
    wait.until(ExpectedConditions.urlContains(razorpay.baseUrl() + "/i/"));
    assertThat(browser.findElement(By.id("fake-psp")).getText()).isEqualTo("Fake Razorpay Payment Link");
    assertThat(browser.findElement(By.id("psp-amount")).getText()).isEqualTo("INR 49900");
    browser.findElement(By.id("complete")).click();
    wait.until(ExpectedConditions.urlContains("/done"));
    assertThat(browser.getCurrentUrl()).startsWith(link + "/done?razorpay_payment_id=");
    assertThat(browser.findElement(By.id("title")).getText()).isEqualTo("Thank you");

    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> db.scalar("SELECT count(*) FROM transactions "
        + "WHERE org_id = ? AND status = 'recovered' AND recovered_by = 'customer_link'", org) == 1);
    assertThat(razorpay.paymentLinks()).isEqualTo(1);
    assertThat(razorpay.ledger().charges()).hasSize(1);
    assertThat(db.scalar("SELECT count(*) FROM transactions WHERE org_id = ?", org))
        .as("the link's own order and payment join the failed payment, they make no transaction of their own")
        .isEqualTo(1);
    assertThat(db.scalar("SELECT count(*) FROM dunning_steps WHERE org_id = ? AND status = 'scheduled'", org))
        .isZero();
    browser.get(link);
    assertThat(browser.findElement(By.id("title")).getText()).isEqualTo("Nothing to do");
  }

  @Test
  @DisplayName("email link -> hosted page -> fake PayPal approval -> back, order captured -> signed "
      + "PAYMENT.CAPTURE.COMPLETED: recovered by the link")
  void paypalApprovalToRecovery(TestDatabase db, TestRedis redis, GreenMail mail) throws Exception {
    TinkoConfig config = setUp(db, redis, mail);
    FakePaypal paypal = new FakePaypal(client);
    paypal.start(0).await(10, TimeUnit.SECONDS);
    Path ca = tmp.resolve("fake-paypal-ca.pem");
    Files.writeString(ca, paypal.caPem());
    config = config.with("webhooks.paypal.certHosts", new JsonArray().add(paypal.certHost()))
        .with("webhooks.paypal.trustStore", ca.toString()).with("webhooks.paypal.fetchTrustStore", ca.toString());
    String endpoint = "ep_browser_paypal";
    String webhookId = "5GP028458E2496506";
    UUID org = connection(db, "Browser Radio", "paypal", endpoint, "unused",
        new JsonObject().put("clientId", "AcYbrowser").put("clientSecret", "EFbrowser"), paypal.baseUrl());
    db.execute("UPDATE psp_connections SET paypal_webhook_id = ? WHERE id = ?", webhookId, endpoint);
    paypal.webhooks(base + "/v1/webhooks/paypal/" + endpoint, webhookId);

    startNode(config);
    // PayPal gave up on the cycle (no next retry) and the payer needs another funding source: FIX_DATA
    JsonObject failed = new JsonObject(new String(fixture("paypal/BILLING.SUBSCRIPTION.PAYMENT.FAILED.json",
        "\"reason_code\": \"PAYMENT_DENIED\",\n        \"next_payment_retry_time\": \"2025-02-05T09:00:00Z\"",
        "\"reason_code\": \"PAYER_CANNOT_PAY\"", "\"time\": \"2025-01-31T08:59:50Z\"",
        "\"time\": \"" + Instant.now().minusSeconds(5) + "\""), StandardCharsets.UTF_8));
    paypal.deliver("BILLING.SUBSCRIPTION.PAYMENT.FAILED", "subscription", failed.getJsonObject("resource"),
        "Subscription payment failed").await(10, TimeUnit.SECONDS);

    String link = emailedLink(mail, "customer@example.com");
    browser = chromium(tmp.resolve("chromium"));
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    browser.get(link);
    assertThat(browser.findElement(By.id("merchant")).getText()).isEqualTo("Browser Radio");
    assertThat(browser.findElement(By.id("amount")).getText()).isEqualTo("$10.00");
    browser.findElement(By.id("pay")).click();
    wait.until(ExpectedConditions.urlContains(paypal.baseUrl() + "/checkoutnow?token="));
    assertThat(browser.findElement(By.id("fake-psp")).getText()).isEqualTo("Fake PayPal");
    assertThat(browser.findElement(By.id("psp-amount")).getText()).isEqualTo("USD 10.00");
    browser.findElement(By.id("complete")).click();
    wait.until(ExpectedConditions.urlContains("/done"));
    assertThat(browser.getCurrentUrl()).startsWith(link + "/done?token=");
    assertThat(browser.findElement(By.id("title")).getText()).isEqualTo("Thank you");

    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> db.scalar("SELECT count(*) FROM transactions "
        + "WHERE org_id = ? AND status = 'recovered' AND recovered_by = 'customer_link'", org) == 1);
    assertThat(paypal.orders()).isEqualTo(1);
    assertThat(paypal.ledger().charges()).hasSize(1);
    assertThat(db.scalar("SELECT count(*) FROM transactions WHERE org_id = ?", org)).isEqualTo(1);
    browser.get(link);
    assertThat(browser.findElement(By.id("title")).getText()).isEqualTo("Nothing to do");
  }

  private static java.util.List<MimeMessage> to(GreenMail mail, String recipient) throws Exception {
    java.util.List<MimeMessage> out = new java.util.ArrayList<>();
    for (MimeMessage m : mail.getReceivedMessages()) {
      if (m.getAllRecipients()[0].toString().equals(recipient)) {
        out.add(m);
      }
    }
    return out;
  }

  private static WebDriver chromium(Path profile) throws Exception {
    ChromeOptions o = new ChromeOptions();
    o.setBinary(CHROMIUM.toFile());
    o.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile);
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort().build();
    return new ChromeDriver(service, o);
  }

  /** The decoded text/plain part (quoted-printable would break long links in the raw source). */
  private static String text(Part p) throws Exception {
    if (p.isMimeType("text/plain")) {
      return (String) p.getContent();
    }
    if (p.getContent() instanceof Multipart mp) {
      for (int i = 0; i < mp.getCount(); i++) {
        String t = text(mp.getBodyPart(i));
        if (t != null) {
          return t;
        }
      }
    }
    return null;
  }

  private static byte[] fixture(String path, String... replacements) throws java.io.IOException {
    String s = Files.readString(Path.of("../engine/src/test/resources/fixtures", path));
    for (int i = 0; i + 1 < replacements.length; i += 2) {
      if (!s.contains(replacements[i])) {
        throw new IllegalStateException(path + " has no " + replacements[i]);
      }
      s = s.replace(replacements[i], replacements[i + 1]);
    }
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
