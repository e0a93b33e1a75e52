package io.tinko.gateway;

import io.tinko.common.config.TinkoConfig;
import io.tinko.gateway.api.MerchantApi;
import io.tinko.gateway.health.HealthRoutes;
import io.tinko.gateway.http.ErrorHandler;
import io.tinko.gateway.http.RequestIds;
import io.tinko.gateway.recovery.RecoveryPages;
import io.tinko.gateway.webhook.EngineHandOff;
import io.tinko.gateway.webhook.GroupCommitter;
import io.tinko.gateway.webhook.RedisDedupe;
import io.tinko.gateway.webhook.RefusedWebhookLog;
import io.tinko.gateway.webhook.WebhookHandler;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;

/**
 * The HTTP edge. Deployed once per event loop; each instance owns its webhook schemes, group committer and Redis
 * connection, and all instances share one listening port. Webhook POSTs are served before the router
 * ({@link WebhookHandler#serve(io.vertx.core.http.HttpServerRequest)}).
 */
public final class GatewayVerticle extends VerticleBase {
  private final GatewayContext shared;
  private HttpServer server;
  private RedisDedupe dedupe;
  private HealthRoutes health;
  private MerchantApi api;
  private RecoveryPages recovery;

  public GatewayVerticle(GatewayContext shared) {
    this.shared = shared;
  }

  @Override
  public Future<?> start() {
    TinkoConfig config = shared.config();
    int maxBody = config.integer("webhooks.maxBodyBytes");
    dedupe = new RedisDedupe(vertx, shared.redisUrl(), config.longValue("webhooks.dedupeTtlSeconds"),
        shared.webhookMetrics()::redisDegraded);
    GroupCommitter committer = new GroupCommitter(vertx, shared.pool(), config.integer("webhooks.maxBatchRows"),
        config.integer("webhooks.maxBatchesInFlight"), config.integer("webhooks.maxPendingPerLoop"),
        config.longValue("webhooks.commitTimeoutMs"), shared.webhookMetrics()::batch,
        new EngineHandOff(vertx, shared.webhookMetrics())::send);
    WebhookHandler webhooks = new WebhookHandler(vertx, shared.endpoints(), shared.schemes().apply(vertx), committer,
        dedupe, shared.rateLimiter(), shared.webhookMetrics(), new RefusedWebhookLog(vertx, shared.pool(),
        shared.rateLimiter(), shared.registry(), RefusedWebhookLog.Settings.from(config)), maxBody);
    health = new HealthRoutes(vertx, shared.pool(), shared.redisUrl());

    Router router = Router.router(vertx);
    router.route().handler(new RequestIds());
    router.get("/health/live").handler(health::live);
    router.get("/health/ready").handler(health::ready);
    router.get("/metrics").handler(PrometheusScrapingHandler.create(shared.registry()));
    router.post("/v1/webhooks/:psp/:endpointId")
        .handler(BodyHandler.create(false).setBodyLimit(maxBody))
        .handler(webhooks::serve)
        .failureHandler(webhooks::countRefusedBody);
    Future<MerchantApi> merchantApi = shared.api() == null ? Future.succeededFuture()
        : MerchantApi.mount(vertx, router, shared).onSuccess(a -> api = a);
    // the customers' recovery pages (/r/<token>) open PSP credentials, so they come with the merchant API's keys
    Future<RecoveryPages> recoveryPages = shared.api() == null ? Future.succeededFuture()
        : RecoveryPages.mount(vertx, router, shared).onSuccess(r -> recovery = r);
    router.route().last().handler(ctx -> ctx.fail(404));
    router.route().failureHandler(new ErrorHandler());

    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.string("http.host"))
        .setPort(config.httpPort())
        .setTcpNoDelay(true)
        .setIdleTimeout(120);
    return dedupe.start()
        .compose(v -> merchantApi)
        .compose(v -> recoveryPages)
        .compose(v -> vertx.createHttpServer(options).requestHandler(req -> {
          // plain webhook POSTs are served without the router (its matching and body handler cost ~10 % of the
          // CPU per webhook); every other request, odd webhook URLs included, goes through it
          if (!webhooks.serve(req)) {
            router.handle(req);
          }
        }).listen())
        .onSuccess(s -> server = s);
  }

  @Override
  public Future<?> stop() {
    // the dedupe first: it knows it is closing before anything else closes a Redis connection (a clean stop once
    // logged "redis unusable (connection closed)" from it, after the health routes' Redis client had closed)
    if (dedupe != null) {
      dedupe.close();
    }
    if (health != null) {
      health.close();
    }
    if (api != null) {
      api.close();
    }
    if (recovery != null) {
      recovery.close();
    }
    return server == null ? Future.succeededFuture() : server.close();
  }

  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }
}
