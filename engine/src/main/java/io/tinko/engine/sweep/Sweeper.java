package io.tinko.engine.sweep;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tinko.common.bus.Addresses;
import io.tinko.common.bus.InboundBatch;
import io.tinko.common.bus.InboundEvent;
import io.tinko.common.bus.IngressMeter;
import io.tinko.engine.ingest.InboundEventConsumer;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-dispatches events stored but not processed after {@code sweeper.redispatchAfterMs}: a lost message, a dead
 * engine or a restart never loses an event. Rows are claimed with FOR UPDATE SKIP LOCKED and stamped, so several
 * engines sweeping at once do not send the same event twice within the delay. Also publishes the backlog gauge.
 *
 * <p>A pass that finds a full batch sweeps again as soon as the engines have processed it (they acknowledge a
 * sweeper's message once its events are done), so a backlog — events deferred during a burst, or left by a dead
 * engine — drains at the engines' pace; the next batch is claimed while they work on the current one. While the
 * gateway of this process is behind on its answers ({@code engine.deferWhenWebhooksWaitingAbove}), the sweeper waits
 * (see {@link InboundEventConsumer}).
 */
public final class Sweeper extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(Sweeper.class);
  static final String CLAIM = """
      WITH due AS (
        SELECT id, received_at FROM webhook_events
         WHERE processed_at IS NULL
           AND received_at < now() - make_interval(secs => $1)
           AND (dispatched_at IS NULL OR dispatched_at < least(now() - make_interval(secs => $1), $3))
         ORDER BY received_at
         LIMIT $2
         FOR UPDATE SKIP LOCKED)
      UPDATE webhook_events w SET dispatched_at = now(), dispatch_count = w.dispatch_count + 1
        FROM due WHERE w.id = due.id AND w.received_at = due.received_at
      RETURNING w.id, w.received_at, w.endpoint_id, w.org_id, w.psp, w.event_id, w.event_type, w.raw_body,
                w.dispatch_count""";
  static final String BACKLOG = "SELECT count(*) FROM webhook_events WHERE processed_at IS NULL";
  /**
   * The backlog count costs time in proportion to the backlog (a 100k backlog took 40-180 ms a count here, a
   * million would take seconds), and it is biggest exactly during an incident: the gauge is refreshed at most once
   * per this many times its own last duration, so it never takes more than ~2 % of a core.
   */
  static final int BACKLOG_COST_FACTOR = 50;

  private static final int MESSAGE_EVENTS = 64;
  /** Below this redispatch delay a pass claims its next batch only after the previous one is processed. */
  static final int OVERLAP_MIN_DELAY_SECONDS = 10;
  private final Pool pool;
  private final long intervalMs;
  private final double delaySeconds;
  private final int batchSize;
  private final int deferWhenWaitingAbove;
  private final boolean overlap;
  private final Counter redispatched;
  private IngressMeter ingress;
  private final AtomicLong backlog = new AtomicLong();
  private long timer = -1;
  private boolean running;
  private long nextBacklogCountNanos;
  /** When the current pass began: its claims skip events it sent itself (stamped since), however long they take. */
  private OffsetDateTime passStart = OffsetDateTime.now(ZoneOffset.UTC);

  public Sweeper(Pool pool, long intervalMs, long redispatchAfterMs, int batchSize, int deferWhenWaitingAbove,
                 MeterRegistry registry) {
    this.pool = pool;
    this.deferWhenWaitingAbove = deferWhenWaitingAbove;
    this.intervalMs = intervalMs;
    this.delaySeconds = redispatchAfterMs / 1000.0;
    this.batchSize = batchSize;
    this.overlap = delaySeconds >= OVERLAP_MIN_DELAY_SECONDS;
    this.redispatched = Counter.builder("tinko_sweeper_redispatched")
        .description("Stored events sent to the engine again because they were not processed in time")
        .register(registry);
    Gauge.builder("tinko_webhook_events_unprocessed", backlog, AtomicLong::get)
        .description("Webhook events stored but not yet processed by an engine").register(registry);
  }

  @Override
  public Future<?> start() {
    ingress = IngressMeter.of(vertx);
    timer = vertx.setPeriodic(intervalMs, t -> sweep());
    return Future.succeededFuture();
  }

  /** One pass: the backlog gauge, then batches until one is not full; public for tests. Resolves to events sent. */
  public Future<Integer> sweep() {
    if (running) {
      return Future.succeededFuture(0);
    }
    running = true;
    passStart = OffsetDateTime.now(ZoneOffset.UTC);
    Future<Void> gauge = System.nanoTime() - nextBacklogCountNanos >= 0 ? countBacklog() : Future.succeededFuture();
    return gauge
        .compose(v -> drain(0, Future.succeededFuture()))
        .onFailure(err -> LOG.warn("sweep failed: {}", err.getMessage()))
        .eventually(() -> {
          running = false;
          return Future.succeededFuture();
        });
  }

  private Future<Void> countBacklog() {
    long start = System.nanoTime();
    return pool.query(BACKLOG).execute().map(rows -> {
      backlog.set(rows.iterator().next().getLong(0));
      long now = System.nanoTime();
      nextBacklogCountNanos = now + backlogCountPause(now - start, intervalMs);
      return null;
    });
  }

  /** How long to wait before counting the backlog again, after a count that took {@code tookNanos}. */
  static long backlogCountPause(long tookNanos, long intervalMs) {
    // within one sweep interval of the cost bound, count on every pass, as before
    long pause = tookNanos * BACKLOG_COST_FACTOR;
    return pause <= intervalMs * 1_000_000L ? 0 : pause;
  }

  /** When the backlog gauge will next be counted (System.nanoTime()); for tests. */
  long nextBacklogCountNanos() {
    return nextBacklogCountNanos;
  }

  /** A claimed batch: how many events, and the engines' acknowledgements of all of them. */
  private record Sent(int size, Future<?> acks) {}

  /**
   * Claims and sends batches while they come full. With a redispatch delay of at least
   * {@value #OVERLAP_MIN_DELAY_SECONDS} s, the next batch is claimed while the engines still work on the previous
   * one (a claim of 1,000 events takes ~0.1 s of Postgres, during which the engines would otherwise wait for work),
   * but only once the one before that is acknowledged: at most two batches are with the engines at a time, so a
   * backlog still drains at their pace. A batch this pass sent is not claimed again by it, even when the engines
   * take longer than the delay over it (its stamps are younger than the pass: {@code CLAIM}'s third parameter).
   * {@code previous}: the acknowledgements of the batch still being processed.
   */
  private Future<Integer> drain(int sentSoFar, Future<?> previous) {
    if (ingress.busy(deferWhenWaitingAbove)) {
      return previous.transform(ar -> Future.succeededFuture(sentSoFar));
    }
    return claimAndSend().compose(batch -> previous.transform(prev -> {
      int sent = sentSoFar + batch.size();
      // a full batch means more may be waiting: go on, unless an engine refused (busy or deferring) — the next pass
      // will find the rest; the pass ends once the engines are through its last batch
      if (batch.size() < batchSize || prev.failed()) {
        return batch.acks().transform(ar -> Future.succeededFuture(sent));
      }
      return overlap ? drain(sent, batch.acks()) : batch.acks().transform(ar -> ar.succeeded()
          ? drain(sent, Future.succeededFuture()) : Future.succeededFuture(sent));
    }));
  }

  private Future<Sent> claimAndSend() {
    return pool.preparedQuery(CLAIM).execute(Tuple.of(delaySeconds, batchSize, passStart)).map(rows -> {
      List<Future<?>> acks = new ArrayList<>();
      List<InboundEvent> batch = new ArrayList<>(MESSAGE_EVENTS);
      for (Row r : rows) {
        batch.add(new InboundEvent(r.getUUID("id"), r.getOffsetDateTime("received_at").toInstant(),
            r.getString("endpoint_id"), r.getUUID("org_id"), r.getString("psp"), r.getString("event_id"),
            r.getString("event_type"), r.getBuffer("raw_body").getBytes(), r.getInteger("dispatch_count")));
        if (batch.size() == MESSAGE_EVENTS) {
          acks.add(dispatch(batch));
          batch = new ArrayList<>(MESSAGE_EVENTS);
        }
      }
      if (!batch.isEmpty()) {
        acks.add(dispatch(batch));
      }
      int n = rows.size();
      if (n > 0) {
        redispatched.increment(n);
        LOG.info("re-dispatched {} events not processed within {} s", n, delaySeconds);
      }
      return new Sent(n, Future.join(acks));
    });
  }

  /**
   * Spreads the sweep over the engines: each message of up to {@value #MESSAGE_EVENTS} goes to one of them, which
   * acknowledges it once its events are processed.
   */
  private Future<?> dispatch(List<InboundEvent> events) {
    return vertx.eventBus().request(Addresses.INBOUND_EVENT, new InboundBatch(List.copyOf(events)),
            new DeliveryOptions().setSendTimeout(60_000).addHeader(InboundEventConsumer.PROCESSED_ACK, "processed"))
        .onFailure(err -> LOG.debug("re-dispatch of {} events failed: {}", events.size(), err.getMessage()));
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }
}
