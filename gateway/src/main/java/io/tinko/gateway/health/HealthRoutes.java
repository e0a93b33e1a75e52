package io.tinko.gateway.health;

import io.tinko.common.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.sqlclient.Pool;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /health/live}: the process answers. {@code /health/ready}: Postgres, Redis and the event bus answer
 * within a second each; otherwise 503 naming the failing check.
 */
public final class HealthRoutes {
  private static final long CHECK_TIMEOUT_MS = 1000;
  private final Vertx vertx;
  private final Pool pool;
  private final Redis redis;

  public HealthRoutes(Vertx vertx, Pool pool, String redisUrl) {
    this.vertx = vertx;
    this.pool = pool;
    this.redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(redisUrl).setMaxPoolSize(2));
  }

  public void live(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "application/json").end("{\"status\":\"UP\"}");
  }

  public void ready(RoutingContext ctx) {
    Map<String, Future<JsonObject>> checks = new LinkedHashMap<>();
    checks.put("postgres", check(pool.query("SELECT 1").execute().mapEmpty()));
    checks.put("redis", check(redis.send(Request.cmd(Command.PING)).mapEmpty()));
    checks.put("eventBus", check(vertx.eventBus().request(Addresses.PING, "ready",
        new DeliveryOptions().setSendTimeout(CHECK_TIMEOUT_MS)).mapEmpty()));
    Future.join(new java.util.ArrayList<>(checks.values())).onComplete(ignored -> {
      JsonObject details = new JsonObject();
      boolean up = true;
      for (Map.Entry<String, Future<JsonObject>> e : checks.entrySet()) {
        JsonObject result = e.getValue().result();
        details.put(e.getKey(), result);
        up &= "UP".equals(result.getString("status"));
      }
      ctx.response().setStatusCode(up ? 200 : 503).putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("status", up ? "UP" : "DOWN").put("checks", details).encode());
    });
  }

  private Future<JsonObject> check(Future<Void> probe) {
    long start = System.nanoTime();
    return probe.timeout(CHECK_TIMEOUT_MS, java.util.concurrent.TimeUnit.MILLISECONDS)
        .map(v -> new JsonObject().put("status", "UP").put("ms", (System.nanoTime() - start) / 1_000_000))
        .otherwise(err -> new JsonObject().put("status", "DOWN").put("error", String.valueOf(err.getMessage())));
  }

  public void close() {
    redis.close();
  }
}
