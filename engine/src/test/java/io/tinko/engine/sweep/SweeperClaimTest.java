package io.tinko.engine.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinko.common.bus.InboundEvent;
import io.tinko.common.db.Database;
import io.tinko.engine.support.Await;
import io.tinko.engine.support.EngineDb;
import io.tinko.testing.PostgresExtension;
import io.tinko.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Which stored events a sweeper's claim takes: old enough, not processed, and not sent by the same pass. */
@ExtendWith({VertxExtension.class, PostgresExtension.class})
class SweeperClaimTest {

  @Test
  @DisplayName("a pass never claims again what it sent itself, even when the engines take longer than the delay")
  void passDoesNotReclaimItsOwnBatches(Vertx vertx, TestDatabase database) throws Exception {
    Pool pool = Database.pool(vertx, database.connectOptions(), 2, "claim-" + database.name(), 5000);
    EngineDb db = new EngineDb(database);
    UUID org = db.organization("UTC");
    String ep = db.connection(org, "sandbox", null, null);
    InboundEvent never = db.store(ep, org, "sandbox", "payment.failed", "{}".getBytes());
    InboundEvent sentByThisPass = db.store(ep, org, "sandbox", "payment.failed", "{}".getBytes());
    InboundEvent sentBefore = db.store(ep, org, "sandbox", "payment.failed", "{}".getBytes());
    InboundEvent processed = db.store(ep, org, "sandbox", "payment.failed", "{}".getBytes());
    Thread.sleep(1_100); // all stored more than the 1 s delay ago
    // a pass began 5 s ago; it sent one batch 2 s ago that the engines are still working on (longer than the
    // delay); another event was sent 10 s ago, by an earlier pass, and never processed (its engine died)
    db.execute("UPDATE webhook_events SET dispatched_at = now() - interval '2 seconds', dispatch_count = 1 "
        + "WHERE id = ?", sentByThisPass.id());
    db.execute("UPDATE webhook_events SET dispatched_at = now() - interval '10 seconds', dispatch_count = 1 "
        + "WHERE id = ?", sentBefore.id());
    db.execute("UPDATE webhook_events SET processed_at = now() WHERE id = ?", processed.id());
    OffsetDateTime passStart = OffsetDateTime.now(ZoneOffset.UTC).minusSeconds(5);

    assertThat(claim(pool, 1, passStart)).as("within the pass")
        .containsExactlyInAnyOrder(never.id(), sentBefore.id());
    Thread.sleep(1_100);
    assertThat(claim(pool, 1, OffsetDateTime.now(ZoneOffset.UTC))).as("the next pass takes what the last one sent")
        .containsExactlyInAnyOrder(never.id(), sentBefore.id(), sentByThisPass.id());
    assertThat(claim(pool, 1, OffsetDateTime.now(ZoneOffset.UTC))).as("all just stamped: nothing").isEmpty();
  }

  private static Set<UUID> claim(Pool pool, double delaySeconds, OffsetDateTime passStart) throws Exception {
    Set<UUID> ids = new HashSet<>();
    for (Row r : Await.await(pool.preparedQuery(Sweeper.CLAIM).execute(Tuple.of(delaySeconds, 100, passStart)))) {
      ids.add(r.getUUID("id"));
    }
    return ids;
  }
}
