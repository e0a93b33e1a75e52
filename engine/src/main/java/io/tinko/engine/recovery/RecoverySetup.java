package io.tinko.engine.recovery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tinko.engine.classify.DeclineClassifier;
import io.tinko.engine.ingest.EventProcessor;
import io.tinko.engine.normalize.Normalizer;
import io.tinko.engine.retry.RetryPlanner;
import io.tinko.engine.retry.RetryPolicies;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * What the pipeline and the executors of one engine process share (pool, normalizer, classification table,
 * policies, clock, meters), and the factory of their per-verticle parts: each verticle gets its own planner,
 * because the planner's random source (jitter) is not thread-safe.
 *
 * @param echoWindow    failure events of one payment this close to its latest decline describe that decline
 * @param successMemory how long a success whose failure has not arrived is remembered for it
 */
public final class RecoverySetup {
  /** Tenants' zones and policy overrides are re-read this often (a merchant's policy change applies within it). */
  static final long TENANT_TTL_MS = 30_000;
  private final Pool pool;
  private final RetryPolicies policies;
  private final Clock clock;
  private final Duration echoWindow;
  private final Duration successMemory;
  private final Normalizer normalizer = new Normalizer();
  private final DeclineClassifier classifier = DeclineClassifier.defaults();
  private final EngineMetrics metrics;
  private final Counter invalid;
  private final Supplier<RandomGenerator> random;

  public RecoverySetup(Pool pool, RetryPolicies policies, Clock clock, MeterRegistry registry, Duration echoWindow,
                       Duration successMemory) {
    this(pool, policies, clock, registry, echoWindow, successMemory, SplittableRandom::new);
  }

  /** {@code random}: a jitter source per verticle (tests pass a fixed one to get exact due times). */
  public RecoverySetup(Pool pool, RetryPolicies policies, Clock clock, MeterRegistry registry, Duration echoWindow,
                       Duration successMemory, Supplier<RandomGenerator> random) {
    this.random = random;
    this.pool = pool;
    this.policies = policies;
    this.clock = clock;
    this.echoWindow = echoWindow;
    this.successMemory = successMemory;
    this.metrics = new EngineMetrics(registry);
    this.invalid = Counter.builder("tinko_engine_events_invalid")
        .description("Stored events the engine could not normalize (kept in webhook_events, no effect)")
        .register(registry);
  }

  /** A pipeline for one consumer verticle. */
  public EventProcessor newPipeline() {
    EventApplier applier = new EventApplier(newRecovery(), echoWindow, successMemory);
    return new RecoveryPipeline(pool, normalizer, applier, new StateLoader(policies, TENANT_TTL_MS), clock,
        StateLoader.historyWindow(policies), metrics, invalid);
  }

  /** An outcome recorder for one executor verticle. */
  public OutcomeRecorder newRecorder(ResendPolicy resend) {
    return new OutcomeRecorder(pool, new StateLoader(policies, TENANT_TTL_MS), new OutcomeApplier(newRecovery(), resend), clock,
        StateLoader.historyWindow(policies));
  }

  public EngineMetrics metrics() {
    return metrics;
  }

  public Clock clock() {
    return clock;
  }

  public Duration successMemory() {
    return successMemory;
  }

  private Recovery newRecovery() {
    return new Recovery(classifier, new RetryPlanner(policies.networkLimits(), clock, random.get()),
        metrics);
  }
}
