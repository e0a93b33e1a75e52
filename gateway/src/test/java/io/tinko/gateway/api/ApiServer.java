package io.tinko.gateway.api;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tinko.common.bus.InboundEventCodec;
import io.tinko.common.config.ConfigLoader;
import io.tinko.common.config.TinkoConfig;
import io.tinko.common.crypto.SecretBox;
import io.tinko.common.db.Database;
import io.tinko.common.metrics.Metrics;
import io.tinko.gateway.GatewayContext;
import io.tinko.gateway.GatewayVerticle;
import io.tinko.gateway.webhook.ConnectionSecrets;
import io.tinko.gateway.webhook.EndpointRegistry;
import io.tinko.gateway.webhook.RateLimiter;
import io.tinko.gateway.webhook.WebhookMetrics;
import io.tinko.gateway.webhook.verify.WebhookSchemes;
import io.tinko.testing.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.sqlclient.Pool;
import java.security.SecureRandom;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;

/**
 * A real gateway with the merchant API for tests: one HTTP verticle on a random port over a fresh Postgres database
 * and the shared Redis, called over HTTP with WebClient. Argon2 runs with a small cost here so suites stay fast;
 * {@link AuthFlowTest} checks the configured production cost separately.
 */
public final class ApiServer implements AutoCloseable {
  /** Connections of the API's pool. */
  public static final int POOL_SIZE = 8;
  public final Vertx vertx;
  public final Pool pool;
  public final TinkoConfig config;
  public final TestDatabase db;
  public final byte[] jwtKey = new byte[32];
  public final ConnectionSecrets sealing;
  private final GatewayVerticle verticle;
  private final WebClient client;

  private ApiServer(Vertx vertx, Pool pool, TinkoConfig config, TestDatabase db, ConnectionSecrets sealing,
                    GatewayVerticle verticle, byte[] jwtKey) {
    this.vertx = vertx;
    this.pool = pool;
    this.config = config;
    this.db = db;
    this.sealing = sealing;
    this.verticle = verticle;
    System.arraycopy(jwtKey, 0, this.jwtKey, 0, 32);
    this.client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(verticle.actualPort()));
  }

  public static ApiServer start(TestDatabase db, String redisUrl) {
    return start(db, redisUrl, c -> c);
  }

  public static ApiServer start(TestDatabase db, String redisUrl, UnaryOperator<TinkoConfig> tweak) {
    PrometheusMeterRegistry registry = Metrics.newRegistry();
    Vertx vertx = Metrics.vertxBuilder(new VertxOptions(), registry).build();
    InboundEventCodec.register(vertx.eventBus());
    TinkoConfig defaults = await(ConfigLoader.load(vertx, null, Map.of()));
    TinkoConfig config = tweak.apply(defaults.with("http.port", 0).with("http.host", "127.0.0.1")
        .with("http.publicUrl", "https://tinko.test").with("api", apiSection(defaults)));
    // generous: the suite shares two cores with builds and other suites
    Pool pool = Database.pool(vertx, db.connectOptions(), POOL_SIZE, "api-test-" + UUID.randomUUID(), 15_000);
    SecureRandom random = new SecureRandom();
    byte[] master = new byte[32];
    random.nextBytes(master);
    byte[] jwt = new byte[32];
    random.nextBytes(jwt);
    ConnectionSecrets sealing = new ConnectionSecrets(new SecretBox(master));
    EndpointRegistry endpoints = new EndpointRegistry(vertx, pool, sealing);
    await(endpoints.start(3600));
    GatewayContext shared = new GatewayContext(config, pool, redisUrl, endpoints, registry,
        new WebhookMetrics(registry), new RateLimiter(), WebhookSchemes.factory(config), new ApiShared(jwt, sealing));
    GatewayVerticle verticle = new GatewayVerticle(shared);
    await(vertx.deployVerticle(verticle));
    return new ApiServer(vertx, pool, config, db, sealing, verticle, jwt);
  }

  /** The shipped api.* section with a cheap Argon2 cost (tests hash hundreds of passwords). */
  private static JsonObject apiSection(TinkoConfig defaults) {
    JsonObject api = defaults.json().getJsonObject("api").copy();
    api.getJsonObject("password").put("memoryKib", 1024).put("iterations", 1);
    // every test signs in from 127.0.0.1; the limiter's own test lowers this again
    api.getJsonObject("login").put("maxAttemptsPerIp", 1_000_000);
    return api;
  }

  public int port() {
    return verticle.actualPort();
  }

  /** One HTTP exchange, awaited on the calling (test) thread. */
  public Resp call(HttpMethod method, String path, String bearer, JsonObject body) {
    var req = client.request(method, path);
    if (bearer != null) {
      req.putHeader("Authorization", "Bearer " + bearer);
    }
    HttpResponse<Buffer> r = await(body == null ? req.send() : req.sendJsonObject(body));
    Coverage.hit(method, path, r.statusCode());
    return new Resp(r.statusCode(), r.bodyAsString(), r.getHeader("Retry-After"), r.getHeader("Content-Type"));
  }

  public Resp get(String path, String bearer) {
    return call(HttpMethod.GET, path, bearer, null);
  }

  public Resp post(String path, String bearer, JsonObject body) {
    return call(HttpMethod.POST, path, bearer, body);
  }

  public Resp rawPost(String path, String contentType, String body, String... headers) {
    var req = client.request(HttpMethod.POST, path).putHeader("Content-Type", contentType);
    for (int i = 0; i + 1 < headers.length; i += 2) {
      req.putHeader(headers[i], headers[i + 1]);
    }
    HttpResponse<Buffer> r = await(req.sendBuffer(Buffer.buffer(body)));
    return new Resp(r.statusCode(), r.bodyAsString(), r.getHeader("Retry-After"), r.getHeader("Content-Type"));
  }

  /** Waits for a future on the test thread. */
  public static <T> T await(Future<T> f) {
    try {
      return f.await(30, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("no answer within 30 s", e);
    }
  }

  @Override
  public void close() {
    await(vertx.close());
  }

  /** A response: status, raw body and the headers the tests look at. */
  public record Resp(int status, String body, String retryAfter, String contentType) {
    public JsonObject json() {
      return body == null || body.isEmpty() ? new JsonObject() : new JsonObject(body);
    }

    public String errorCode() {
      return json().getJsonObject("error", new JsonObject()).getString("code");
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }
}
