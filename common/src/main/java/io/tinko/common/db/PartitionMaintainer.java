package io.tinko.common.db;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps monthly partitions of the high-volume tables ahead of time and drops the ones past retention, and with them
 * the de-duplication keys of the events they held ({@code webhook_event_keys} is not partitioned: it carries the
 * unique key a partitioned table cannot). Idempotent: safe from every process and on every start.
 */
public final class PartitionMaintainer {
  private static final Logger LOG = LoggerFactory.getLogger(PartitionMaintainer.class);
  public static final List<String> PARTITIONED = List.of("webhook_events", "recovery_attempts", "webhook_refusals");
  /**
   * Keys past retention go in chunks, each its own short statement: no long lock, no huge transaction. The purge walks
   * the key table once by ranges of this many blocks (a TID range scan: the keys have no index on their time, which
   * would cost every stored webhook an index entry for a monthly job).
   */
  static final int PURGE_BLOCKS = 128;
  static final String KEY_BLOCKS =
      "SELECT pg_relation_size('webhook_event_keys') / current_setting('block_size')::bigint";
  /** $1 the cutoff, $2 and $3 the first block and the block after the range (public for the schema test's plan). */
  public static final String PURGE_KEYS = """
      DELETE FROM webhook_event_keys
       WHERE ctid >= ('(' || $2 || ',0)')::tid AND ctid < ('(' || $3 || ',0)')::tid AND received_at < $1""";

  private final Pool pool;
  private final Clock clock;
  private final int monthsAhead;
  private final int retentionMonths;

  public PartitionMaintainer(Pool pool, Clock clock, int monthsAhead, int retentionMonths) {
    this.pool = pool;
    this.clock = clock;
    this.monthsAhead = monthsAhead;
    this.retentionMonths = retentionMonths;
  }

  public Future<Void> run() {
    LocalDate thisMonth = LocalDate.now(clock.withZone(ZoneOffset.UTC)).withDayOfMonth(1);
    List<Tuple> ensure = new ArrayList<>();
    for (String table : PARTITIONED) {
      // one month back too: an event received at 23:59:59 on the last day may commit just after midnight
      for (int i = -1; i <= monthsAhead; i++) {
        ensure.add(Tuple.of(table, thisMonth.plusMonths(i)));
      }
    }
    // CREATE TABLE IF NOT EXISTS is not race-safe: processes starting together would collide on a new
    // partition, so they take turns under a transaction-scoped advisory lock
    Future<Void> created = pool.withTransaction(conn -> conn
        .query("SELECT pg_advisory_xact_lock(hashtext('tinko.partitions'))").execute()
        // existing partitions are the normal case: keep their "already exists, skipping" notices out of the logs
        .compose(v -> conn.query("SET LOCAL client_min_messages = warning").execute())
        .compose(v -> conn.preparedQuery("SELECT tinko_ensure_month_partition($1, $2)").executeBatch(ensure)))
        .mapEmpty();
    if (retentionMonths <= 0) {
      return created;
    }
    LocalDate oldestKept = thisMonth.minusMonths(retentionMonths);
    return created.compose(v -> dropOlderThan(oldestKept))
        .compose(v -> purgeKeysOlderThan(oldestKept.atStartOfDay().atOffset(ZoneOffset.UTC)));
  }

  /**
   * The keys of events whose partitions are gone. PSPs retry for days (DOMAIN.md section 2: Stripe and PayPal up to
   * 3 days, Razorpay 24 h) and retention is counted in months, so no retry can still come for them; without this the
   * key table would grow forever while its events age out.
   */
  private Future<Void> purgeKeysOlderThan(OffsetDateTime cutoff) {
    // blocks added after this look-up hold keys of events received now, which are not past retention
    return pool.query(KEY_BLOCKS).execute()
        .compose(rows -> purgeKeyBlocks(cutoff, 0, rows.iterator().next().getLong(0), 0));
  }

  private Future<Void> purgeKeyBlocks(OffsetDateTime cutoff, long fromBlock, long blocks, long purged) {
    if (fromBlock >= blocks) {
      if (purged > 0) {
        LOG.info("removed {} de-duplication keys of events past retention", purged);
      }
      return Future.succeededFuture();
    }
    long to = fromBlock + PURGE_BLOCKS;
    return pool.preparedQuery(PURGE_KEYS).execute(Tuple.of(cutoff, Long.toString(fromBlock), Long.toString(to)))
        .compose(rows -> purgeKeyBlocks(cutoff, to, blocks, purged + rows.rowCount()));
  }

  private Future<Void> dropOlderThan(LocalDate oldestKept) {
    String cutoff = String.format("%04d%02d", oldestKept.getYear(), oldestKept.getMonthValue());
    return pool.preparedQuery("""
            SELECT c.relname FROM pg_inherits i
              JOIN pg_class c ON c.oid = i.inhrelid
              JOIN pg_class p ON p.oid = i.inhparent
             WHERE p.relname = ANY($1) AND right(c.relname, 6) ~ '^[0-9]{6}$' AND right(c.relname, 6) < $2""")
        .execute(Tuple.of(PARTITIONED.toArray(new String[0]), cutoff))
        .compose(rows -> {
          Future<Void> chain = Future.succeededFuture();
          for (Row row : rows) {
            String name = row.getString(0);
            chain = chain.compose(v -> pool.withTransaction(conn -> conn
                    .query("SELECT pg_advisory_xact_lock(hashtext('tinko.partitions'))").execute()
                    .compose(x -> conn.query("DROP TABLE IF EXISTS \"" + name + "\"").execute()))
                .onSuccess(r -> LOG.info("dropped partition {} (past retention)", name)).mapEmpty());
          }
          return chain;
        });
  }
}
