package io.tinko.gateway;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tinko.common.config.TinkoConfig;
import io.tinko.common.domain.Psp;
import io.tinko.gateway.api.ApiShared;
import io.tinko.gateway.webhook.EndpointRegistry;
import io.tinko.gateway.webhook.RateLimiter;
import io.tinko.gateway.webhook.WebhookMetrics;
import io.tinko.gateway.webhook.verify.WebhookScheme;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.Map;
import java.util.function.Function;

/**
 * What every HTTP verticle instance of one gateway process shares: configuration, the Postgres pool, the
 * in-memory endpoint table, metrics. Per-loop state (schemes, committer, Redis connection) is made by each
 * instance from it.
 *
 * @param schemes makes a fresh set of webhook schemes for one event loop
 * @param api     the merchant API's keys; null serves webhooks only (no /v1 merchant routes)
 */
public record GatewayContext(TinkoConfig config, Pool pool, String redisUrl, EndpointRegistry endpoints,
                             PrometheusMeterRegistry registry, WebhookMetrics webhookMetrics, RateLimiter rateLimiter,
                             Function<Vertx, Map<Psp, WebhookScheme>> schemes, ApiShared api) {

  /** A webhook-only gateway (no merchant API). */
  public GatewayContext(TinkoConfig config, Pool pool, String redisUrl, EndpointRegistry endpoints,
                        PrometheusMeterRegistry registry, WebhookMetrics webhookMetrics, RateLimiter rateLimiter,
                        Function<Vertx, Map<Psp, WebhookScheme>> schemes) {
    this(config, pool, redisUrl, endpoints, registry, webhookMetrics, rateLimiter, schemes, null);
  }
}
