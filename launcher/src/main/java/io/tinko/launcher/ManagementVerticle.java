package io.tinko.launcher;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tinko.gateway.health.HealthRoutes;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.sqlclient.Pool;

/** Health and metrics for a process that serves no other HTTP (a `tinko engine`), so it can be probed and scraped. */
final class ManagementVerticle extends VerticleBase {
  private final int port;
  private final Pool pool;
  private final String redisUrl;
  private final PrometheusMeterRegistry registry;
  private HealthRoutes health;

  ManagementVerticle(int port, Pool pool, String redisUrl, PrometheusMeterRegistry registry) {
    this.port = port;
    this.pool = pool;
    this.redisUrl = redisUrl;
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    health = new HealthRoutes(vertx, pool, redisUrl);
    Router router = Router.router(vertx);
    router.get("/health/live").handler(health::live);
    router.get("/health/ready").handler(health::ready);
    router.get("/metrics").handler(PrometheusScrapingHandler.create(registry));
    return vertx.createHttpServer().requestHandler(router).listen(port);
  }

  @Override
  public Future<?> stop() {
    health.close();
    return Future.succeededFuture();
  }
}
