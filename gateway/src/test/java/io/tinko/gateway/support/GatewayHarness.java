package io.tinko.gateway.support;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tinko.common.bus.BusPing;
import io.tinko.common.bus.InboundEventCodec;
import io.tinko.common.config.ConfigLoader;
import io.tinko.common.config.TinkoConfig;
import io.tinko.common.crypto.SecretBox;
import io.tinko.common.db.Database;
import io.tinko.common.metrics.Metrics;
import io.tinko.common.util.Ids;
import io.tinko.gateway.GatewayContext;
import io.tinko.gateway.GatewayVerticle;
import io.tinko.gateway.webhook.ConnectionSecrets;
import io.tinko.gateway.webhook.EndpointRegistry;
import io.tinko.gateway.webhook.RateLimiter;
import io.tinko.gateway.webhook.WebhookMetrics;
import io.tinko.gateway.webhook.verify.WebhookSchemes;
import io.tinko.testing.TestDatabase;
import io.vertx.core.VertxOptions;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * A real gateway for tests: one HTTP verticle on a random port over a real Postgres (a fresh test database) and
 * a real Redis, with endpoints written the way the product writes them (secrets sealed under a master key).
 */
public final class GatewayHarness implements AutoCloseable {
  public final Vertx vertx;
  public final Pool pool;
  public final PrometheusMeterRegistry registry;
  public final TinkoConfig config;
  private final TestDatabase db;
  private final ConnectionSecrets crypto;
  private final GatewayVerticle verticle;
  // HTTP/1.1, as PSPs send: the JDK client would otherwise upgrade to h2c, which the gateway serves through the router
  // rather than its direct webhook path
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final UUID orgId;

  private GatewayHarness(Vertx vertx, Pool pool, PrometheusMeterRegistry registry, TinkoConfig config,
                         TestDatabase db, ConnectionSecrets crypto, GatewayVerticle verticle, UUID orgId) {
    this.vertx = vertx;
    this.pool = pool;
    this.registry = registry;
    this.config = config;
    this.db = db;
    this.crypto = crypto;
    this.verticle = verticle;
    this.orgId = orgId;
  }

  public static GatewayHarness start(TestDatabase db, String redisUrl) throws Exception {
    return start(db.url(), db, redisUrl, c -> c);
  }

  /** @param pgUrl where the gateway's pool connects (may differ from {@code db}, e.g. a restartable server) */
  public static GatewayHarness start(String pgUrl, TestDatabase db, String redisUrl,
                                     UnaryOperator<TinkoConfig> tweak) throws Exception {
    PrometheusMeterRegistry registry = Metrics.newRegistry();
    Vertx vertx = Metrics.vertxBuilder(new VertxOptions(), registry).build();
    InboundEventCodec.register(vertx.eventBus());
    BusPing.register(vertx, "test-gateway");
    TinkoConfig config = tweak.apply(ConfigLoader.load(vertx, null, Map.of()).await(10, TimeUnit.SECONDS)
        .with("http.port", 0).with("http.host", "127.0.0.1"));
    PgConnectOptions pg = Database.connectOptions(pgUrl);
    // generous: on a loaded 2-core machine a first connection can take seconds
    Pool pool = Database.pool(vertx, pg, 8, "test-" + UUID.randomUUID(), 15_000);
    byte[] master = new byte[32];
    new SecureRandom().nextBytes(master);
    ConnectionSecrets crypto = new ConnectionSecrets(new SecretBox(master));
    UUID org = Ids.uuid7();
    db.execute("INSERT INTO organizations (id, name) VALUES (?, 'Test org')", org);
    EndpointRegistry endpoints = new EndpointRegistry(vertx, pool, crypto);
    endpoints.start(3600).await(10, TimeUnit.SECONDS);
    GatewayContext shared = new GatewayContext(config, pool, redisUrl, endpoints, registry,
        new WebhookMetrics(registry), new RateLimiter(), WebhookSchemes.factory(config));
    GatewayVerticle verticle = new GatewayVerticle(shared);
    vertx.deployVerticle(verticle).await(10, TimeUnit.SECONDS);
    return new GatewayHarness(vertx, pool, registry, config, db, crypto, verticle, org);
  }

  public UUID orgId() {
    return orgId;
  }

  /** Registers an endpoint as the product does; {@code previous} is a secret still accepted during a rotation. */
  public String endpoint(String psp, String secret, String previous, int ratePerSecond) {
    String id = "ep_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    db.execute("""
        INSERT INTO psp_connections (id, org_id, psp, webhook_secret_enc, previous_secret_enc, rate_limit_per_second,
                                     paypal_webhook_id)
        VALUES (?, ?, ?, ?, ?, ?, 'WH-TEST')""", id, orgId, psp, crypto.sealWebhookSecret(id, secret),
        previous == null ? null : crypto.sealWebhookSecret(id, previous), ratePerSecond);
    return id;
  }

  public String endpoint(String psp, String secret) {
    return endpoint(psp, secret, null, 100_000);
  }

  public URI url(String path) {
    return URI.create("http://127.0.0.1:" + verticle.actualPort() + path);
  }

  public HttpResponse<String> post(String path, byte[] body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(url(path)).timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(url(path)).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  public double counter(String name, String... tags) {
    var c = registry.find(name).tags(tags).counter();
    return c == null ? 0 : c.count();
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
