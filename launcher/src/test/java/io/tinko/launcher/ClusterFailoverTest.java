package io.tinko.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinko.common.crypto.SecretBox;
import io.tinko.common.util.Ids;
import io.tinko.embedded.FreePort;
import io.tinko.gateway.webhook.ConnectionSecrets;
import io.tinko.gateway.webhook.verify.WebhookSigner;
import io.tinko.testing.PostgresExtension;
import io.tinko.testing.RedisExtension;
import io.tinko.testing.TestDatabase;
import io.tinko.testing.TestRedis;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gateway and engine as two JVMs joined on the Hazelcast-clustered event bus over 127.0.0.1. The engine is
 * killed with SIGKILL while webhooks flow and started again; every accepted event must end up stored once and
 * processed.
 */
@ExtendWith({PostgresExtension.class, RedisExtension.class})
class ClusterFailoverTest {
  private static final String SECRET = "whsec_cluster";
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  @DisplayName("kill -9 the engine mid-stream: every accepted event is stored exactly once and processed")
  void engineKilledAndRestarted(TestDatabase db, TestRedis redis, @TempDir Path dir) throws Exception {
    byte[] master = new byte[32];
    new SecureRandom().nextBytes(master);
    int enginePort = FreePort.pick(0);
    int gatewayPort = FreePort.pick(0);
    int httpPort = FreePort.pick(0);
    Map<String, String> env = new HashMap<>();
    env.put("TINKO_PG_URL", db.url());
    env.put("TINKO_REDIS_URL", redis.url());
    env.put("TINKO_SMTP_URL", "smtp://127.0.0.1:1");
    env.put("TINKO_SECRETS_MASTER_KEY", Base64.getEncoder().encodeToString(master));
    env.put("TINKO_SECRETS_JWT_KEY", Base64.getEncoder().encodeToString(master));
    env.put("TINKO_EMBEDDED_DATA_DIR", dir.resolve("data").toString());
    env.put("TINKO_CLUSTER_NAME", "test-" + UUID.randomUUID());
    env.put("TINKO_CLUSTER_MEMBERS", "127.0.0.1:" + enginePort + ",127.0.0.1:" + gatewayPort);
    env.put("TINKO_SWEEPER_INTERVAL_MS", "500");
    env.put("TINKO_SWEEPER_REDISPATCH_AFTER_MS", "2000");
    env.put("TINKO_ENGINE_MANAGEMENT_PORT", "0");
    env.put("TINKO_HTTP_PORT", Integer.toString(httpPort));
    env.put("TINKO_LOGGING_FORMAT", "text");

    String endpoint = "ep_cluster";
    UUID org = Ids.uuid7();
    db.execute("INSERT INTO organizations (id, name) VALUES (?, 'Cluster org')", org);
    db.execute("INSERT INTO psp_connections (id, org_id, psp, webhook_secret_enc) VALUES (?, ?, 'stripe', ?)",
        endpoint, org, new ConnectionSecrets(new SecretBox(master)).sealWebhookSecret(endpoint, SECRET));

    TinkoProcess engine = TinkoProcess.start(dir, "engine-1", env, "engine", "--cluster-port", "" + enginePort);
    try (TinkoProcess gateway = TinkoProcess.start(dir, "gateway", env, "gateway", "--cluster-port",
        "" + gatewayPort)) {
      engine.awaitOutput("tinko engine ready", Duration.ofSeconds(90));
      gateway.awaitOutput("tinko gateway ready", Duration.ofSeconds(90));

      List<String> accepted = new ArrayList<>();
      send(httpPort, endpoint, 0, 150, accepted);
      engine.kill9();
      send(httpPort, endpoint, 150, 300, accepted);
      engine = TinkoProcess.start(dir, "engine-2", env, "engine", "--cluster-port", "" + enginePort);
      engine.awaitOutput("tinko engine ready", Duration.ofSeconds(90));
      send(httpPort, endpoint, 300, 400, accepted);

      assertThat(accepted).hasSize(400);
      Awaitility.await().atMost(90, TimeUnit.SECONDS).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
          assertThat(db.scalar("SELECT count(*) FROM webhook_events WHERE endpoint_id = ? AND processed_at IS NULL",
              endpoint)).isZero());
      assertThat(db.scalar("SELECT count(*) FROM webhook_events WHERE endpoint_id = ?", endpoint)).isEqualTo(400);
      assertThat(db.scalar("SELECT count(DISTINCT event_id) FROM webhook_events WHERE endpoint_id = ?", endpoint))
          .isEqualTo(400);
      // what was accepted while no engine was up reached the new engine through the sweeper
      assertThat(db.scalar("SELECT count(*) FROM webhook_events WHERE endpoint_id = ? AND dispatch_count > 0",
          endpoint)).isGreaterThan(0);
      for (String id : accepted) {
        assertThat(db.scalar("SELECT count(*) FROM webhook_events WHERE endpoint_id = ? AND event_id = ?",
            endpoint, id)).isEqualTo(1);
      }
    } finally {
      engine.close();
    }
  }

  private void send(int port, String endpoint, int from, int to, List<String> accepted) throws Exception {
    for (int i = from; i < to; i++) {
      String id = "evt_cluster_" + i;
      byte[] body = new JsonObject().put("id", id).put("type", "charge.failed").encode()
          .getBytes(StandardCharsets.UTF_8);
      HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/webhooks/stripe/"
              + endpoint)).timeout(Duration.ofSeconds(10))
          .header("Stripe-Signature", WebhookSigner.stripe(System.currentTimeMillis() / 1000, body, SECRET))
          .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
      HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as("event %s: %s", id, r.body()).isEqualTo(200);
      assertThat(r.body()).contains("accepted");
      accepted.add(id);
    }
  }
}
