package io.tinko.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tinko.common.bus.Addresses;
import io.tinko.common.bus.InboundBatch;
import io.tinko.common.bus.InboundEvent;
import io.tinko.common.bus.InboundEventCodec;
import io.tinko.common.bus.IngressMeter;
import io.tinko.common.config.ConfigLoader;
import io.tinko.common.config.TinkoConfig;
import io.tinko.common.db.Database;
import io.tinko.common.util.Ids;
import io.tinko.engine.support.Await;
import io.tinko.engine.support.EngineDb;
import io.tinko.engine.support.Events;
import io.tinko.engine.sweep.Sweeper;
import io.tinko.testing.PostgresExtension;
import io.tinko.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Edge first: while the gateway of the same process takes a burst, the engine leaves events to the sweeper; after
 * it, the sweeper drains the whole backlog in one pass at the engine's pace (its batches are acknowledged once
 * processed).
 */
@ExtendWith({VertxExtension.class, PostgresExtension.class})
class EdgeFirstTest {
  private static final int EVENTS = 35;

  @Test
  @DisplayName("events handed off during a burst wait in Postgres; after it, one sweep processes all of them")
  void burstDefersThenSweeperDrains(Vertx vertx, TestDatabase database) throws Exception {
    InboundEventCodec.register(vertx.eventBus());
    TinkoConfig config = Await.await(ConfigLoader.load(vertx, null, Map.of()))
        .with("engine.deferWhenWebhooksWaitingAbove", 100)
        .with("sweeper.intervalMs", 3_600_000);   // the deployment's own sweeper stays out of the way
    Pool pool = Database.pool(vertx, database.connectOptions(), 4, "edge-" + database.name(), 5000);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Await.await(EngineDeployment.deploy(vertx, pool, config, new byte[32], registry));
    // batches of 10, eligible at once: 35 events take four claims
    Sweeper sweeper = new Sweeper(pool, 3_600_000, 0, 10, 100, new SimpleMeterRegistry());
    Await.await(vertx.deployVerticle(sweeper));

    EngineDb db = new EngineDb(database);
    UUID org = db.organization("UTC");
    String ep = db.connection(org, "sandbox", null, null);
    List<InboundEvent> events = new ArrayList<>();
    for (int i = 0; i < EVENTS; i++) {
      events.add(db.store(ep, org, "sandbox", "payment.failed", Events.failed("edge-" + i)
          .invoice("in_edge_" + i).decline("insufficient_funds").at(Instant.now()).body()));
    }

    // a burst at this process's gateway: 101 webhooks admitted and waiting for their answers
    IngressMeter ingress = IngressMeter.of(vertx);
    for (int i = 0; i < 101; i++) {
      ingress.begin();
    }
    // ... and still waiting over the time that tells a burst from a slow commit
    assertThat(ingress.busy(100)).as("a queue only just seen is not a burst yet").isFalse();
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (!ingress.busy(100) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    Await.await(vertx.eventBus().request(Addresses.INBOUND_EVENT, new InboundBatch(events)));
    assertThat(Await.await(sweeper.sweep())).as("the sweeper waits during the burst").isZero();
    assertThat(registry.get("tinko_engine_events").tag("result", "deferred").counter().count())
        .isEqualTo(EVENTS);
    assertThat(processed(db, org)).isZero();

    // the gateway catches up; the engine holds back a little longer, then the burst is history
    for (int i = 0; i < 101; i++) {
      ingress.end();
    }
    Thread.sleep(IngressMeter.HOLD_MILLIS + 200);
    assertThat(Await.await(sweeper.sweep())).as("one pass takes every full batch and the rest").isEqualTo(EVENTS);
    // the pass resolved only after the engine acknowledged each batch as processed: nothing left to wait for
    assertThat(processed(db, org)).isEqualTo(EVENTS);
    assertThat(db.count("SELECT count(*) FROM transactions WHERE org_id = ?", org)).isEqualTo(EVENTS);
  }

  @Test
  @DisplayName("a backlog drains in one pass with the next batch claimed while the engine works: each event sent once")
  void backlogDrainsWithOverlappingClaims(Vertx vertx, TestDatabase database) throws Exception {
    InboundEventCodec.register(vertx.eventBus());
    TinkoConfig config = Await.await(ConfigLoader.load(vertx, null, Map.of()))
        .with("engine.deferWhenWebhooksWaitingAbove", 100)
        .with("sweeper.intervalMs", 3_600_000);
    Pool pool = Database.pool(vertx, database.connectOptions(), 4, "overlap-" + database.name(), 5000);
    Await.await(EngineDeployment.deploy(vertx, pool, config, new byte[32], new SimpleMeterRegistry()));
    // the shipped kind of delay (30 s, at least Sweeper.OVERLAP_MIN_DELAY_SECONDS): claims overlap processing
    Sweeper sweeper = new Sweeper(pool, 3_600_000, 30_000, 10, 100, new SimpleMeterRegistry());
    Await.await(vertx.deployVerticle(sweeper));

    EngineDb db = new EngineDb(database);
    UUID org = db.organization("UTC");
    String ep = db.connection(org, "sandbox", null, null);
    int events = 95;
    for (int i = 0; i < events; i++) {
      // stored a minute ago and never processed (deferred, or its engine died): older than the delay
      db.execute("INSERT INTO webhook_events (id, received_at, endpoint_id, org_id, psp, event_id, event_type, "
          + "headers, raw_body) VALUES (?, now() - interval '1 minute', ?, ?, 'sandbox', ?, 'payment.failed', "
          + "'{}'::jsonb, ?)", Ids.uuid7(), ep, org, "evt_backlog_" + i, Events.failed("backlog-" + i)
          .invoice("in_backlog_" + i).decline("insufficient_funds").at(Instant.now()).body());
    }

    assertThat(Await.await(sweeper.sweep())).as("nine full batches and the rest, in one pass").isEqualTo(events);
    assertThat(processed(db, org)).isEqualTo(events);
    assertThat(db.count("SELECT count(*) FROM webhook_events WHERE org_id = ? AND dispatch_count <> 1", org))
        .as("no event claimed twice").isZero();
    assertThat(db.count("SELECT count(*) FROM decisions WHERE org_id = ?", org)).isEqualTo(events);
    assertThat(Await.await(sweeper.sweep())).as("nothing left").isZero();
  }

  private static long processed(EngineDb db, UUID org) {
    return db.count("SELECT count(*) FROM webhook_events WHERE org_id = ? AND processed_at IS NOT NULL", org);
  }
}
