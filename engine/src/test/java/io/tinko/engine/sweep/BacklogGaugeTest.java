package io.tinko.engine.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tinko.common.bus.InboundEvent;
import io.tinko.common.db.Database;
import io.tinko.engine.support.Await;
import io.tinko.engine.support.EngineDb;
import io.tinko.testing.PostgresExtension;
import io.tinko.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The gauge SREs alert on: events stored but not processed, and what counting them may cost. */
@ExtendWith({VertxExtension.class, PostgresExtension.class})
class BacklogGaugeTest {

  @Test
  @DisplayName("a cheap count is refreshed on every pass; an expensive one waits 50 times its own duration")
  void pauseFollowsTheCountsCost() {
    long ms = 1_000_000L;
    assertThat(Sweeper.backlogCountPause(2 * ms, 5_000)).as("2 ms count, 5 s passes").isZero();
    assertThat(Sweeper.backlogCountPause(100 * ms, 5_000)).as("exactly one interval's worth").isZero();
    assertThat(Sweeper.backlogCountPause(180 * ms, 5_000)).isEqualTo(9_000 * ms);
    assertThat(Sweeper.backlogCountPause(2_000 * ms, 5_000)).as("a million-row backlog").isEqualTo(100_000 * ms);
  }

  @Test
  @DisplayName("the gauge counts stored but unprocessed events, and follows them from pass to pass")
  void gaugeCountsTheBacklog(Vertx vertx, TestDatabase database) throws Exception {
    Pool pool = Database.pool(vertx, database.connectOptions(), 2, "gauge-" + database.name(), 5000);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    // an hour's delay: nothing is old enough to re-dispatch, so the passes only count
    Sweeper sweeper = new Sweeper(pool, 3_600_000, 3_600_000, 10, 0, registry);
    Await.await(vertx.deployVerticle(sweeper));
    EngineDb db = new EngineDb(database);
    UUID org = db.organization("UTC");
    String ep = db.connection(org, "sandbox", null, null);
    InboundEvent first = db.store(ep, org, "sandbox", "payment.failed", "{}".getBytes());
    for (int i = 0; i < 2; i++) {
      db.store(ep, org, "sandbox", "payment.failed", "{}".getBytes());
    }
    Await.await(sweeper.sweep());
    assertThat(registry.get("tinko_webhook_events_unprocessed").gauge().value()).isEqualTo(3);
    db.store(ep, org, "sandbox", "payment.failed", "{}".getBytes());
    db.execute("UPDATE webhook_events SET processed_at = now() WHERE id = ?", first.id());
    db.store(ep, org, "sandbox", "payment.failed", "{}".getBytes());
    Await.await(sweeper.sweep());
    assertThat(registry.get("tinko_webhook_events_unprocessed").gauge().value()).isEqualTo(4);
    assertThat(sweeper.nextBacklogCountNanos() - System.nanoTime()).as("a small count may run on every pass")
        .isLessThanOrEqualTo(0);
  }
}
