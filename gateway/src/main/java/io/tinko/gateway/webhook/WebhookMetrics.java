package io.tinko.gateway.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tinko.common.domain.Psp;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Ingestion metrics. Meters are looked up once here, not per request. */
public final class WebhookMetrics {
  /** Outcome labels of {@code tinko_webhooks_total}. */
  public enum Outcome {
    ACCEPTED, DUPLICATE, BAD_SIGNATURE, EXPIRED, BAD_REQUEST, NOT_FOUND, TOO_LARGE, RATE_LIMITED, UNAVAILABLE;

    String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final Map<Psp, Map<Outcome, Counter>> outcomes = new EnumMap<>(Psp.class);
  private final Map<Psp, Timer> latency = new EnumMap<>(Psp.class);
  private final DistributionSummary batchSize;
  private final Counter dedupeRedis;
  private final Counter dedupePostgres;
  private final Counter redisDegraded;
  private final Counter handoffFailures;

  public WebhookMetrics(MeterRegistry registry) {
    for (Psp psp : Psp.values()) {
      Map<Outcome, Counter> byOutcome = new EnumMap<>(Outcome.class);
      for (Outcome o : Outcome.values()) {
        byOutcome.put(o, Counter.builder("tinko_webhooks").description("Webhooks received, by PSP and outcome")
            .tag("psp", psp.id()).tag("outcome", o.label()).register(registry));
      }
      outcomes.put(psp, byOutcome);
      latency.put(psp, Timer.builder("tinko_webhook_ingest_latency")
          .description("Time from request to answer for webhooks").tag("psp", psp.id())
          .publishPercentileHistogram().register(registry));
    }
    batchSize = DistributionSummary.builder("tinko_webhook_commit_batch_rows")
        .description("Rows per group-commit statement").publishPercentileHistogram().register(registry);
    dedupeRedis = Counter.builder("tinko_webhook_dedupe").tag("path", "redis")
        .description("Duplicates detected, by the path that caught them").register(registry);
    dedupePostgres = Counter.builder("tinko_webhook_dedupe").tag("path", "postgres")
        .description("Duplicates detected, by the path that caught them").register(registry);
    redisDegraded = Counter.builder("tinko_webhook_redis_degraded")
        .description("Requests de-duplicated without Redis because it was down or slow").register(registry);
    handoffFailures = Counter.builder("tinko_webhook_handoff_failures")
        .description("Stored events whose event-bus hand-off failed (the sweeper re-dispatches them)")
        .register(registry);
  }

  public void outcome(Psp psp, Outcome outcome, long startNanos) {
    outcomes.get(psp).get(outcome).increment();
    latency.get(psp).record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
  }

  public void batch(int rows) {
    batchSize.record(rows);
  }

  public void duplicateByRedis() {
    dedupeRedis.increment();
  }

  public void duplicateByPostgres() {
    dedupePostgres.increment();
  }

  public void redisDegraded() {
    redisDegraded.increment();
  }

  public void handoffFailed(int events) {
    handoffFailures.increment(events);
  }
}
