package io.tinko.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinko.common.config.ConfigLoader;
import io.tinko.common.config.TinkoConfig;
import io.tinko.common.crypto.SecretBox;
import io.tinko.common.crypto.Secrets;
import io.tinko.embedded.FreePort;
import io.tinko.fakes.FakeStripe;
import io.tinko.gateway.webhook.ConnectionSecrets;
import io.tinko.gateway.webhook.verify.WebhookSigner;
import io.tinko.testing.PostgresExtension;
import io.tinko.testing.RedisExtension;
import io.tinko.testing.TestDatabase;
import io.tinko.testing.TestRedis;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path in one process, wired as {@code tinko up} wires it: a signed Stripe charge.failed webhook into the
 * gateway, the engine's decision and scheduled attempt, the executor charging the fake Stripe, the fake's signed
 * invoice.paid webhook back into the gateway, and the transaction recovered by Tinko's retry with one charge.
 */
@ExtendWith({PostgresExtension.class, RedisExtension.class})
class RecoveryEndToEndTest {
  private static final String SECRET = "whsec_end_to_end";
  private static final String INVOICE = "in_1QtK9pLkdIwHu7ixMq2Jv8Yd";
  private Node node;
  private Vertx client;

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
  @DisplayName("gateway -> engine -> fake Stripe -> success webhook -> recovered by retry, charged once")
  void wholePath(TestDatabase db, TestRedis redis, @TempDir Path dataDir) throws Exception {
    byte[] masterKey = new byte[32];
    int port = FreePort.pick(0);
    client = Vertx.vertx();
    TinkoConfig config = ConfigLoader.load(client, null, Map.of()).await(10, TimeUnit.SECONDS)
        .with("pg.url", db.url()).with("redis.url", redis.url()).with("smtp.url", "smtp://127.0.0.1:2525").with("http.port", port).with("http.instances", 1)
        .with("secrets.masterKey", Base64.getEncoder().encodeToString(masterKey))
        .with("secrets.jwtKey", Base64.getEncoder().encodeToString(new byte[32]))
        .with("embedded.dataDir", dataDir.toString())
        .with("engine.managementPort", 0).with("engine.executor.pollIntervalMs", 100);
    FakeStripe stripe = new FakeStripe(client);
    stripe.start(0).await(10, TimeUnit.SECONDS);

    UUID org = UUID.randomUUID();
    String endpoint = "ep_e2e_stripe";
    ConnectionSecrets sealing = new ConnectionSecrets(new SecretBox(masterKey));
    db.execute("INSERT INTO organizations (id, name) VALUES (?, 'End to end')", org);
    db.execute("INSERT INTO psp_connections (id, org_id, psp, webhook_secret_enc, credentials_enc, api_base_url) "
        + "VALUES (?, ?, 'stripe', ?, ?, ?)", endpoint, org, sealing.sealWebhookSecret(endpoint, SECRET),
        sealing.sealCredentials(endpoint, new JsonObject().put("apiKey", "sk_test_e2e").encode()), stripe.baseUrl());
    // the tenant retries soft declines one second after the decline, so the test need not wait a day
    db.execute("INSERT INTO retry_policies (org_id, decline_class, policy) VALUES (?, 'RETRY_LATER', ?::jsonb)", org,
        "{\"action\":\"retry\",\"maxAttempts\":3,\"window\":\"P1D\",\"backoff\":{\"initial\":\"PT1S\","
            + "\"multiplier\":1,\"max\":\"PT1S\"}}");

    WebClient web = WebClient.create(client);
    String url = "http://127.0.0.1:" + port + "/v1/webhooks/stripe/" + endpoint;
    String paid = new String(fixture("stripe/invoice.paid.json", "in_1QnB2aLkdIwHu7ixVb3nR8tE", INVOICE,
        "evt_1QoHk2LkdIwHu7ixW3bq9ZxA", "evt_e2e_paid"), StandardCharsets.UTF_8);
    // the fake PSP sends its success webhook when it charges, as Stripe does
    stripe.ledger().onCharge(charge -> send(web, url, paid.replace("\"created\": 1738667700",
        "\"created\": " + Instant.now().getEpochSecond()).getBytes(StandardCharsets.UTF_8)));

    node = Node.create(config, false).await(30, TimeUnit.SECONDS);
    node.start(config, Backing.connect(config), Secrets.load(config), true, true).await(60, TimeUnit.SECONDS);
    int status = send(web, url, fixture("stripe/charge.failed.json",
        "\"created\": 1740785400", "\"created\": " + Instant.now().getEpochSecond()))
        .await(10, TimeUnit.SECONDS);
    assertThat(status).isEqualTo(200);

    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> db.scalar(
        "SELECT count(*) FROM webhook_events WHERE org_id = ? AND event_type = 'invoice.paid' AND processed_at IS NOT NULL",
        org) == 1 && db.scalar("SELECT count(*) FROM transactions WHERE org_id = ? AND status = 'recovered'", org) == 1
        && db.scalar("SELECT count(*) FROM recovery_attempts WHERE org_id = ? AND status = 'succeeded'", org) == 1);

    assertThat(db.scalar("SELECT count(*) FROM transactions WHERE org_id = ? AND recovered_by = 'retry'", org))
        .isEqualTo(1);
    assertThat(db.scalar("SELECT count(*) FROM recovery_attempts WHERE org_id = ? AND status = 'succeeded'", org))
        .isEqualTo(1);
    assertThat(db.scalar("SELECT count(*) FROM decisions WHERE org_id = ? AND action = 'RECOVERED'", org)).isEqualTo(1);
    assertThat(stripe.ledger().charges()).hasSize(1);
    assertThat(stripe.ledger().charges().get(0).key()).startsWith("tinko:" + org + ":");
    assertThat(stripe.statusOf(INVOICE)).isEqualTo("paid");
  }

  private static io.vertx.core.Future<Integer> send(WebClient web, String url, byte[] body) {
    return web.postAbs(url).putHeader("Content-Type", "application/json")
        .putHeader("Stripe-Signature", WebhookSigner.stripe(Instant.now().getEpochSecond(), body, SECRET))
        .sendBuffer(Buffer.buffer(body)).map(r -> r.statusCode());
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
