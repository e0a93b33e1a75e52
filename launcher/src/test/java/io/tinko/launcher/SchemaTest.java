package io.tinko.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinko.common.db.Database;
import io.tinko.common.db.PartitionMaintainer;
import io.tinko.testing.PostgresExtension;
import io.tinko.testing.TestDatabase;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class SchemaTest {
  private Vertx vertx;
  private Pool pool;

  @BeforeEach
  void start(TestDatabase db) {
    vertx = Vertx.vertx();
    // generous: on the shared 2-core machine a first connection to a fresh database took over 2 s
    pool = Database.pool(vertx, db.connectOptions(), 2, "schema-test-" + System.nanoTime(), 15_000);
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private static long partitions(TestDatabase db, String parent) {
    return db.scalar("""
        SELECT count(*) FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = ?""", parent);
  }

  private static boolean exists(TestDatabase db, String table) {
    return db.scalar("SELECT count(*) FROM pg_class WHERE relname = ?", table) == 1;
  }

  @Test
  @DisplayName("the migrated schema has every table the issue names, high-volume ones partitioned by month")
  void tables(TestDatabase db) {
    for (String t : new String[] {"organizations", "users", "api_keys", "psp_connections", "webhook_events",
        "webhook_event_keys", "transactions", "decisions", "recovery_attempts", "retry_policies"}) {
      assertThat(exists(db, t)).as(t).isTrue();
    }
    assertThat(db.scalar("SELECT count(*) FROM pg_partitioned_table pt JOIN pg_class c ON c.oid = pt.partrelid "
        + "WHERE c.relname IN ('webhook_events', 'recovery_attempts', 'webhook_refusals')")).isEqualTo(3);
    assertThat(partitions(db, "webhook_events")).isGreaterThanOrEqualTo(1);
  }

  @Test
  @DisplayName("the maintainer creates the coming months ahead, idempotently, and rows land in their month")
  void monthsAhead(TestDatabase db) throws Exception {
    Clock clock = Clock.fixed(Instant.parse("2033-01-31T23:59:59Z"), ZoneOffset.UTC);
    PartitionMaintainer m = new PartitionMaintainer(pool, clock, 3, 0);
    m.run().await(10, TimeUnit.SECONDS);
    m.run().await(10, TimeUnit.SECONDS);
    for (String month : new String[] {"203212", "203301", "203302", "203303", "203304"}) {
      assertThat(exists(db, "webhook_events_" + month)).as(month).isTrue();
      assertThat(exists(db, "recovery_attempts_" + month)).as(month).isTrue();
      assertThat(exists(db, "webhook_refusals_" + month)).as(month).isTrue();
    }
    assertThat(exists(db, "webhook_events_203305")).isFalse();
    db.execute("""
        INSERT INTO webhook_events (id, received_at, endpoint_id, org_id, psp, event_id, headers, raw_body)
        VALUES (gen_random_uuid(), '2033-01-31T23:59:59.999Z', 'ep', gen_random_uuid(), 'stripe', 'e1', '{}', ''),
               (gen_random_uuid(), '2033-02-01T00:00:00Z', 'ep', gen_random_uuid(), 'stripe', 'e2', '{}', '')""");
    assertThat(db.scalar("SELECT count(*) FROM webhook_events_203301 WHERE event_id = 'e1'")).isEqualTo(1);
    assertThat(db.scalar("SELECT count(*) FROM webhook_events_203302 WHERE event_id = 'e2'")).isEqualTo(1);
  }

  @Test
  @DisplayName("partitions older than the retention are dropped, newer ones kept")
  void retention(TestDatabase db) throws Exception {
    new PartitionMaintainer(pool, Clock.fixed(Instant.parse("2030-01-15T00:00:00Z"), ZoneOffset.UTC), 1, 0)
        .run().await(10, TimeUnit.SECONDS);
    assertThat(exists(db, "webhook_events_203001")).isTrue();
    new PartitionMaintainer(pool, Clock.fixed(Instant.parse("2031-06-15T00:00:00Z"), ZoneOffset.UTC), 1, 13)
        .run().await(10, TimeUnit.SECONDS);
    assertThat(exists(db, "webhook_events_203001")).as("17 months old").isFalse();
    assertThat(exists(db, "recovery_attempts_203001")).isFalse();
    assertThat(exists(db, "webhook_refusals_203001")).as("refused webhooks age out with the rest").isFalse();
    assertThat(exists(db, "webhook_refusals_203106")).isTrue();
    assertThat(exists(db, "webhook_events_203106")).isTrue();
    assertThat(exists(db, "webhook_events_203105")).as("the month before this one is kept").isTrue();
  }

  @Test
  @DisplayName("de-duplication keys of events past retention are removed with their partitions, newer keys kept")
  void keysAgeOut(TestDatabase db) throws Exception {
    db.execute("""
        INSERT INTO webhook_event_keys (endpoint_id, event_id, webhook_id, received_at)
        SELECT 'ep_keys', 'old_' || g, gen_random_uuid(), timestamptz '2034-01-20T00:00:00Z' + g * interval '1 second'
          FROM generate_series(1, 25000) g
        UNION ALL
        SELECT 'ep_keys', 'kept_' || g, gen_random_uuid(), timestamptz '2034-05-01T00:00:00Z' + g * interval '1 second'
          FROM generate_series(1, 3) g""");
    // June 2034 with 1 month of retention: May is kept, January and before are gone (25,000 keys: two block ranges)
    new PartitionMaintainer(pool, Clock.fixed(Instant.parse("2034-06-10T00:00:00Z"), ZoneOffset.UTC), 1, 1)
        .run().await(30, TimeUnit.SECONDS);
    assertThat(db.scalar("SELECT count(*) FROM webhook_event_keys WHERE endpoint_id = 'ep_keys' AND event_id LIKE 'old%'"))
        .isEqualTo(0);
    assertThat(db.scalar("SELECT count(*) FROM webhook_event_keys WHERE endpoint_id = 'ep_keys' AND event_id LIKE 'kept%'"))
        .isEqualTo(3);
  }

  @Test
  @DisplayName("the key table has no index on its time: the purge walks it by block ranges, never a whole-table scan")
  void keyPurgeReadsBlockRanges(TestDatabase db) throws Exception {
    assertThat(db.scalar("SELECT count(*) FROM pg_indexes WHERE tablename = 'webhook_event_keys'"))
        .as("the primary key only").isEqualTo(1);
    assertThat(db.scalar("""
        SELECT count(*) FROM pg_attribute a JOIN pg_collation c ON c.oid = a.attcollation
         WHERE a.attrelid = 'webhook_event_keys'::regclass AND a.attname IN ('endpoint_id', 'event_id')
           AND c.collname = 'C'""")).as("the key compares bytewise").isEqualTo(2);
    try (var c = db.jdbc(); var s = c.prepareStatement("EXPLAIN " + PartitionMaintainer.PURGE_KEYS
        .replace("$1", "now()").replace("$2", "'0'").replace("$3", "'128'"))) {
      StringBuilder plan = new StringBuilder();
      try (var rs = s.executeQuery()) {
        while (rs.next()) {
          plan.append(rs.getString(1)).append('\n');
        }
      }
      assertThat(plan.toString()).contains("Tid Range Scan");
    }
  }
}
