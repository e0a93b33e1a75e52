package io.tinko.gateway.webhook;

import io.tinko.common.db.Database;
import io.tinko.gateway.http.ApiException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes webhook rows in groups: rows queued on one event loop go to Postgres in one multi-row statement, and each
 * request is answered when its group commits (synchronous_commit stays on). The flush is adaptive: a group is sent
 * at once while fewer than {@code maxInFlight} are in flight, otherwise rows accumulate until one returns — under
 * light load a row waits for nothing, under heavy load groups grow and per-row cost falls.
 *
 * <p>The statement inserts the (endpoint, event id) key first with ON CONFLICT DO NOTHING and the event row only
 * for keys it inserted, so concurrent copies of one event, in one group or in groups of different processes, are
 * decided by the unique key: exactly one is stored and answered "accepted".
 *
 * <p>Confined to one event loop (one instance per HTTP verticle): no locks.
 */
public final class GroupCommitter {
  private static final Logger LOG = LoggerFactory.getLogger(GroupCommitter.class);
  static final String INSERT = """
      WITH input AS (
        SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::uuid[], $5::text[], $6::text[],
                             $7::text[], $8::text[], $9::bytea[])
          AS t(id, received_at, endpoint_id, org_id, psp, event_id, event_type, headers, raw_body)
      ), keys AS (
        INSERT INTO webhook_event_keys (endpoint_id, event_id, webhook_id, received_at)
        SELECT endpoint_id, event_id, id, received_at FROM input
        ON CONFLICT DO NOTHING
        RETURNING webhook_id
      )
      INSERT INTO webhook_events (id, received_at, endpoint_id, org_id, psp, event_id, event_type, headers, raw_body)
      SELECT i.id, i.received_at, i.endpoint_id, i.org_id, i.psp, i.event_id, i.event_type, i.headers::jsonb,
             i.raw_body
        FROM input i JOIN keys k ON k.webhook_id = i.id
      RETURNING id""";

  private final Context context;
  private final Pool pool;
  private final int maxBatchRows;
  private final int maxInFlight;
  private final int maxPending;
  private final long timeoutNanos;
  private final IntConsumer batchSizeObserver;
  private final Consumer<List<StoredEvent>> committed;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private final List<Batch> inFlight = new ArrayList<>();
  private boolean flushScheduled;
  /** Fail fast until then; starts at construction, as nanoTime's origin is arbitrary (it may be negative). */
  private long storeDownUntilNanos = System.nanoTime();

  /** Resolves true when the event is newly stored, false when it was already stored (a duplicate). */
  private record Pending(StoredEvent event, Promise<Boolean> promise, long enqueuedNanos) {
  }

  private record Batch(List<Pending> rows, long sentNanos) {
  }

  /** @param committed receives the rows each group newly stored, after their requests were answered */
  public GroupCommitter(Vertx vertx, Pool pool, int maxBatchRows, int maxInFlight, int maxPending, long timeoutMs,
                        IntConsumer batchSizeObserver, Consumer<List<StoredEvent>> committed) {
    this.context = vertx.getOrCreateContext();
    this.pool = pool;
    this.maxBatchRows = maxBatchRows;
    this.maxInFlight = maxInFlight;
    this.maxPending = maxPending;
    this.timeoutNanos = timeoutMs * 1_000_000L;
    this.batchSizeObserver = batchSizeObserver;
    this.committed = committed;
    vertx.setPeriodic(Math.max(50, timeoutMs / 10), t -> expire());
  }

  public Future<Boolean> submit(StoredEvent event) {
    long now = System.nanoTime();
    if (now - storeDownUntilNanos < 0) {
      return Future.failedFuture(unavailable("the event store is unavailable"));
    }
    if (queue.size() >= maxPending) {
      return Future.failedFuture(unavailable("too many events waiting for storage"));
    }
    Promise<Boolean> promise = Promise.promise();
    queue.add(new Pending(event, promise, now));
    if (!flushScheduled && inFlight.size() < maxInFlight) {
      // let the rest of this event-loop pass join the group
      flushScheduled = true;
      context.runOnContext(v -> flush());
    }
    return promise.future();
  }

  public int pending() {
    return queue.size();
  }

  private void flush() {
    flushScheduled = false;
    while (inFlight.size() < maxInFlight && !queue.isEmpty()) {
      List<Pending> rows = new ArrayList<>(Math.min(queue.size(), maxBatchRows));
      while (rows.size() < maxBatchRows && !queue.isEmpty()) {
        rows.add(queue.poll());
      }
      send(new Batch(rows, System.nanoTime()));
    }
  }

  private void send(Batch batch) {
    inFlight.add(batch);
    batchSizeObserver.accept(batch.rows().size());
    pool.preparedQuery(INSERT).execute(params(batch.rows())).onComplete(ar -> {
      inFlight.remove(batch);
      if (ar.succeeded()) {
        // every row of the group has its own id, and RETURNING gives one per row stored: as many ids as rows means
        // every row was stored (the usual case), without reading and hashing the ids
        boolean allNew = ar.result().size() == batch.rows().size();
        Set<UUID> inserted = allNew ? Set.of() : ids(ar.result());
        List<StoredEvent> stored = new ArrayList<>(batch.rows().size());
        for (Pending p : batch.rows()) {
          boolean isNew = allNew || inserted.contains(p.event().id());
          p.promise().tryComplete(isNew);
          if (isNew) {
            stored.add(p.event());
          }
        }
        if (!stored.isEmpty()) {
          committed.accept(stored);
        }
      } else {
        // fail fast for a moment instead of letting every request wait for a store that is down; say why, once per
        // such moment (a failing statement answered every webhook 503 with nothing in the log)
        long now = System.nanoTime();
        if (now - storeDownUntilNanos >= 0) {
          LOG.warn("storing webhooks failed, answering 503 for a second: {}", Database.describe(ar.cause()));
        }
        storeDownUntilNanos = now + 1_000_000_000L;
        ApiException err = unavailable("the event store is unavailable");
        for (Pending p : batch.rows()) {
          p.promise().tryFail(err);
        }
        failQueued(err);
      }
      if (!queue.isEmpty()) {
        flush();
      }
    });
  }

  private static Tuple params(List<Pending> rows) {
    int n = rows.size();
    UUID[] ids = new UUID[n];
    OffsetDateTime[] at = new OffsetDateTime[n];
    String[] endpoints = new String[n];
    UUID[] orgs = new UUID[n];
    String[] psps = new String[n];
    String[] eventIds = new String[n];
    String[] types = new String[n];
    String[] headers = new String[n];
    Buffer[] bodies = new Buffer[n];
    for (int i = 0; i < n; i++) {
      StoredEvent e = rows.get(i).event();
      ids[i] = e.id();
      at[i] = e.receivedAt();
      endpoints[i] = e.endpointId();
      orgs[i] = e.orgId();
      psps[i] = e.psp();
      eventIds[i] = e.eventId();
      types[i] = e.eventType();
      headers[i] = e.headersJson();
      bodies[i] = Buffer.buffer(e.body());
    }
    return Tuple.tuple().addArrayOfUUID(ids).addArrayOfOffsetDateTime(at).addArrayOfString(endpoints)
        .addArrayOfUUID(orgs).addArrayOfString(psps).addArrayOfString(eventIds).addArrayOfString(types)
        .addArrayOfString(headers).addArrayOfBuffer(bodies);
  }

  /** Answers 503 for rows that waited too long; a row already sent may still commit and is then a duplicate. */
  private void expire() {
    long now = System.nanoTime();
    ApiException err = unavailable("the event store is too slow right now");
    while (!queue.isEmpty() && now - queue.peek().enqueuedNanos() > timeoutNanos) {
      queue.poll().promise().tryFail(err);
    }
    for (Batch b : inFlight) {
      if (now - b.sentNanos() > timeoutNanos) {
        b.rows().forEach(p -> p.promise().tryFail(err));
      }
    }
  }

  private void failQueued(ApiException err) {
    Pending p;
    while ((p = queue.poll()) != null) {
      p.promise().tryFail(err);
    }
  }

  private static ApiException unavailable(String message) {
    return new ApiException(503, "store_unavailable", message, 1);
  }

  /** The ids a statement returned (RETURNING id): the rows it stored. */
  private static Set<UUID> ids(RowSet<Row> rows) {
    Set<UUID> ids = new HashSet<>(rows.size() * 2);
    for (Row r : rows) {
      ids.add(r.getUUID(0));
    }
    return ids;
  }
}
