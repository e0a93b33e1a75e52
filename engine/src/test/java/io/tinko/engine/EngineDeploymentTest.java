package io.tinko.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tinko.common.bus.Addresses;
import io.tinko.common.bus.InboundEvent;
import io.tinko.common.bus.InboundEventCodec;
import io.tinko.common.config.ConfigLoader;
import io.tinko.common.config.TinkoConfig;
import io.tinko.common.db.Database;
import io.tinko.engine.support.Await;
import io.tinko.engine.support.EngineDb;
import io.tinko.engine.support.Events;
import io.tinko.testing.PostgresExtension;
import io.tinko.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The engine as the launcher deploys it, in sandbox mode: an event on the bus ends charged at the local fake. */
@ExtendWith({VertxExtension.class, PostgresExtension.class})
class EngineDeploymentTest {

  @Test
  @DisplayName("sandbox mode: a sandbox failure on the event bus is decided, executed at the fake PSP and recovered")
  void sandboxModeRecovers(Vertx vertx, TestDatabase database) {
    InboundEventCodec.register(vertx.eventBus());
    TinkoConfig config = Await.await(ConfigLoader.load(vertx, null, Map.of()))
        .with("engine.executor.pollIntervalMs", 100).with("engine.executor.pspTimeoutMs", 5000);
    config = config.with("engine", config.json().getJsonObject("engine").copy()
        .put("sandbox", config.json().getJsonObject("engine").getJsonObject("sandbox").copy().put("enabled", true)));
    Pool pool = Database.pool(vertx, database.connectOptions(), 4, "deploy-" + database.name(), 5000);
    Await.await(EngineDeployment.deploy(vertx, pool, config, new byte[32], new SimpleMeterRegistry()));

    EngineDb db = new EngineDb(database);
    UUID org = db.organization("UTC");
    String ep = db.connection(org, "sandbox", null, null);
    db.execute("INSERT INTO retry_policies (org_id, decline_class, policy) VALUES (?, 'RETRY_LATER', ?::jsonb)", org,
        "{\"action\":\"retry\",\"maxAttempts\":2,\"window\":\"P1D\",\"backoff\":{\"initial\":\"PT1S\","
            + "\"multiplier\":1,\"max\":\"PT1S\"}}");
    InboundEvent e = db.store(ep, org, "sandbox", "payment.failed", Events.failed("demo-1").invoice("in_demo_1")
        .decline("insufficient_funds").at(Instant.now()).body());
    vertx.eventBus().request(Addresses.INBOUND_EVENT, e);

    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
        db.count("SELECT count(*) FROM transactions WHERE org_id = ? AND status = 'recovered'", org) == 1);
    assertThat(db.transactions(org).get(0)).containsEntry("recovered_by", "retry");
    assertThat(db.count("SELECT count(*) FROM recovery_attempts WHERE org_id = ? AND status = 'succeeded'", org))
        .isEqualTo(1);
  }
}
