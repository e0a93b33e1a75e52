package io.tinko.common.metrics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;

/** One Prometheus registry per process, shared by Vert.x's own metrics and Tinko's. */
public final class Metrics {
  private Metrics() {}

  public static PrometheusMeterRegistry newRegistry() {
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  /**
   * A Vert.x builder that reports Vert.x metrics (HTTP server, pools, event bus) into the registry; webhook
   * deliveries are left out of Vert.x's per-request HTTP server meters and counted by the gateway's own
   * ({@link WebhookQuietMetrics}).
   */
  public static VertxBuilder vertxBuilder(VertxOptions options, PrometheusMeterRegistry registry) {
    options.setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true));
    return io.vertx.core.Vertx.builder().with(options)
        .withMetrics(WebhookQuietMetrics.factory(new MicrometerMetricsFactory(registry)));
  }
}
