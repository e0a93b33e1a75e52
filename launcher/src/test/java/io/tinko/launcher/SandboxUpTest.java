package io.tinko.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import io.tinko.common.config.ConfigLoader;
import io.tinko.common.config.TinkoConfig;
import io.tinko.common.crypto.Secrets;
import io.tinko.embedded.FreePort;
import io.tinko.gateway.webhook.verify.WebhookSigner;
import io.tinko.testing.PostgresExtension;
import io.tinko.testing.RedisExtension;
import io.tinko.testing.SmtpExtension;
import io.tinko.testing.TestDatabase;
import io.tinko.testing.TestRedis;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tinko up} with the sandbox on, as a person would try it: the demo Razorpay connection exists and points at
 * the fake, a failed payment sent with its published secret is emailed, and the email's link leads through the fake
 * Razorpay's hosted page to a recovery by the link, without configuring anything else.
 */
@ExtendWith({PostgresExtension.class, RedisExtension.class, SmtpExtension.class})
class SandboxUpTest {
  static final String README_BODY = "{\"entity\":\"event\",\"event\":\"payment.failed\",\"contains\":[\"payment\"],"
      + "\"payload\":{\"payment\":{\"entity\":{\"id\":\"pay_demo1\",\"entity\":\"payment\",\"amount\":49900,"
      + "\"currency\":\"INR\",\"status\":\"failed\",\"order_id\":\"order_demo1\",\"method\":\"card\","
      + "\"email\":\"you@example.com\",\"error_code\":\"BAD_REQUEST_ERROR\",\"error_reason\":\"card_expired\"}}},"
      + "\"created_at\":$(date +%s)}";
  private Node node;
  private Vertx client;

  /** The README's python one-liner, run in a directory holding this email as .tinko/mail/*.eml (as the sink writes). */
  private static String readmeLinkPrinter(MimeMessage email, Path dir) throws Exception {
    String readme = Files.readString(Path.of("../README.md"));
    Matcher py = Pattern.compile("(?m)^python3 -c '(.*)'$").matcher(readme);
    assertThat(py.find()).as("the README's link printer").isTrue();
    Files.createDirectories(dir.resolve(".tinko/mail"));
    try (var out = Files.newOutputStream(dir.resolve(".tinko/mail/20260101-000000-1.eml"))) {
      email.writeTo(out);
    }
    Process p = new ProcessBuilder("python3", "-c", py.group(1)).directory(dir.toFile()).redirectErrorStream(true)
        .start();
    String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(p.waitFor()).as(printed).isZero();
    return printed;
  }

  @AfterEach
  void stop() throws Exception {
    if (node != null) {
      node.close().await(10, TimeUnit.SECONDS);
    }
    if (client != null) {
      client.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  @DisplayName("sandbox up: demo connections on the fakes, PayPal CA trusted, and a Razorpay failure recovered "
      + "through the emailed link and the fake's hosted page")
  void sandboxFlow(TestDatabase db, TestRedis redis, GreenMail mail, @TempDir Path tmp) throws Exception {
    int port = FreePort.pick(0);
    String base = "http://127.0.0.1:" + port;
    Path dataDir = tmp.resolve("data");
    client = Vertx.vertx();
    TinkoConfig config = ConfigLoader.load(client, null, Map.of()).await(10, TimeUnit.SECONDS)
        .with("pg.url", db.url()).with("redis.url", redis.url()).with("http.port", port).with("http.instances", 1)
        .with("smtp.url", "smtp://127.0.0.1:" + mail.getSmtp().getPort()).with("http.publicUrl", base)
        .with("secrets.masterKey", Base64.getEncoder().encodeToString(new byte[32]))
        .with("secrets.jwtKey", Base64.getEncoder().encodeToString(new byte[32]))
        .with("embedded.dataDir", dataDir.toString()).with("engine.managementPort", 0)
        .with("dunning.pollIntervalMs", 200)
        .with("dunning.linkKeys", "sb:" + Base64.getEncoder().encodeToString(new byte[32]))
        .with("engine.sandbox.enabled", "true");
    node = Node.create(config, false).await(30, TimeUnit.SECONDS);
    node.start(config, Backing.connect(config), Secrets.load(config), true, true).await(60, TimeUnit.SECONDS);

    assertThat(dataDir.resolve("sandbox/paypal-ca.pem")).content().startsWith("-----BEGIN CERTIFICATE-----");
    assertThat(db.scalar("SELECT count(*) FROM psp_connections WHERE org_id = ? AND api_base_url LIKE "
        + "'http://127.0.0.1:%' AND status = 'active'", Sandbox.ORG)).isEqualTo(2);

    // the body the README's "Try a recovery in the sandbox" sends
    byte[] failed = README_BODY.replace("$(date +%s)", String.valueOf(Instant.now().getEpochSecond()))
        .getBytes(StandardCharsets.UTF_8);
    WebClient web = WebClient.create(client, new WebClientOptions().setFollowRedirects(false));
    int status = web.postAbs(base + "/v1/webhooks/razorpay/" + Sandbox.RAZORPAY_ENDPOINT)
        .putHeader("Content-Type", "application/json")
        .putHeader("X-Razorpay-Signature", WebhookSigner.razorpay(Sandbox.RAZORPAY_SECRET, failed))
        .putHeader("X-Razorpay-Event-Id", "EvtSandboxFailed1").sendBuffer(Buffer.buffer(failed))
        .await(10, TimeUnit.SECONDS).statusCode();
    assertThat(status).isEqualTo(200);

    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> mail.getReceivedMessages().length >= 1);
    MimeMessage email = mail.getReceivedMessages()[0];
    String text = new String(email.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    Matcher m = Pattern.compile(Pattern.quote(base) + "/r/[A-Za-z0-9_.-]+").matcher(
        jakarta.mail.internet.MimeUtility.decodeText(text).replace("=\r\n", "").replace("=\n", ""));
    assertThat(m.find()).as("a recovery link in the email").isTrue();
    String link = m.group();
    assertThat(readmeLinkPrinter(email, tmp.resolve("readme"))).isEqualTo(link);

    HttpResponse<Buffer> pay = web.postAbs(link + "/pay").sendForm(MultiMap.caseInsensitiveMultiMap())
        .await(20, TimeUnit.SECONDS);
    assertThat(pay.statusCode()).isEqualTo(303);
    String hosted = pay.getHeader("Location");
    assertThat(hosted).contains("/i/");
    assertThat(web.getAbs(hosted).send().await(10, TimeUnit.SECONDS).bodyAsString())
        .contains("Fake Razorpay Payment Link");
    HttpResponse<Buffer> paid = web.postAbs(hosted + "/pay").sendForm(MultiMap.caseInsensitiveMultiMap())
        .await(20, TimeUnit.SECONDS);
    assertThat(paid.getHeader("Location")).startsWith(link + "/done?");
    assertThat(web.getAbs(paid.getHeader("Location")).send().await(10, TimeUnit.SECONDS).statusCode())
        .isEqualTo(200);
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> db.scalar("SELECT count(*) FROM transactions "
        + "WHERE org_id = ? AND status = 'recovered' AND recovered_by = 'customer_link'", Sandbox.ORG) == 1);
  }
}
