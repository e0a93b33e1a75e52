package io.tinko.engine.support;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tinko.common.bus.InboundEvent;
import io.tinko.common.db.Database;
import io.tinko.engine.ingest.EventProcessor;
import io.tinko.engine.recovery.RecoverySetup;
import io.tinko.engine.retry.RetryPolicies;
import io.tinko.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** A pipeline over a test database with a hand-moved clock and no jitter (exact due times). */
public final class EngineHarness implements AutoCloseable {
  public final Vertx vertx;
  public final Pool pool;
  public final TestClock clock;
  public final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  public final RecoverySetup setup;
  public final EngineDb db;
  private final EventProcessor pipeline;

  public EngineHarness(Vertx vertx, TestDatabase database, Instant now) {
    this.vertx = vertx;
    this.pool = Database.pool(vertx, database.connectOptions(), 8, "test-" + database.name(), 5000);
    this.clock = new TestClock(now);
    this.setup = new RecoverySetup(pool, RetryPolicies.loadDefaults(), clock, registry, Duration.ofMinutes(2),
        Duration.ofDays(35), () -> () -> 0L);
    this.pipeline = setup.newPipeline();
    this.db = new EngineDb(database);
  }

  public EventProcessor newPipeline() {
    return setup.newPipeline();
  }

  public void process(InboundEvent... events) {
    Await.await(pipeline.process(List.of(events)));
  }

  @Override
  public void close() {
    Await.await(pool.close());
  }
}
