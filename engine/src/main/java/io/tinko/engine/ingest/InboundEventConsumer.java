package io.tinko.engine.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tinko.common.bus.Addresses;
import io.tinko.common.bus.InboundBatch;
import io.tinko.common.bus.InboundEvent;
import io.tinko.common.bus.IngressMeter;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes inbound events off the event bus (each message goes to one engine of the cluster) and processes them in
 * groups: a group goes out while fewer than two are in flight, otherwise events accumulate. Receipt is not
 * processing: an event lost here (crash, overflow) is still unprocessed in Postgres and the sweeper sends it again.
 *
 * <p>A gateway's hand-off is acknowledged at once. A sweeper's message ({@link #PROCESSED_ACK} header) is
 * acknowledged once its events are processed, so a sweeper draining a backlog goes at the engine's pace instead of
 * flooding it.
 *
 * <p>Edge first: while more than {@code deferWhenWaitingAbove} webhooks wait for their answer at this process's own
 * gateway ({@link IngressMeter}; only when gateway and engine share a process, as in {@code tinko up}), events are
 * not processed now but left to the sweeper, which sends them once the burst is over. The PSPs' delivery deadlines
 * are seconds; a retry decision's are hours; and every deferred event is already stored.
 */
public final class InboundEventConsumer extends VerticleBase {
  /** Header of a sweeper's message: reply once its events are processed, not on receipt. */
  public static final String PROCESSED_ACK = "tinko-ack";
  private static final Logger LOG = LoggerFactory.getLogger(InboundEventConsumer.class);
  private static final int MAX_GROUP = 256;
  private static final int MAX_IN_FLIGHT = 2;

  private final EventProcessor processor;
  private final int maxBuffered;
  private final int deferWhenWaitingAbove;
  private final Counter processed;
  private final Counter failed;
  private final Counter deferred;
  private final List<InboundEvent> queue = new ArrayList<>();
  /** Sweeper messages waiting for their events, in arrival order: reply once every event before {@code end} is done. */
  private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
  /** Sequence numbers: events ever queued, and the first event of each group in flight. */
  private long queued;
  private final List<long[]> inFlight = new ArrayList<>();
  private boolean flushScheduled;
  private IngressMeter ingress;
  /** Deferring since the first event of the current hold; the events deferred in it, for the log when it ends. */
  private boolean deferring;
  private long deferredInHold;
  private MessageConsumer<Object> consumer;

  private record Waiter(long end, Message<Object> msg) {
  }

  /** @param deferWhenWaitingAbove defer while more webhooks wait for an answer at this process's gateway (0: never) */
  public InboundEventConsumer(EventProcessor processor, int maxBuffered, int deferWhenWaitingAbove,
                              MeterRegistry registry) {
    this.processor = processor;
    this.maxBuffered = maxBuffered;
    this.deferWhenWaitingAbove = deferWhenWaitingAbove;
    this.processed = Counter.builder("tinko_engine_events").tag("result", "processed").register(registry);
    this.failed = Counter.builder("tinko_engine_events").tag("result", "failed").register(registry);
    this.deferred = Counter.builder("tinko_engine_events").tag("result", "deferred")
        .description("Events left to the sweeper because the gateway of this process was taking a burst")
        .register(registry);
  }

  @Override
  public Future<?> start() {
    ingress = IngressMeter.of(vertx);
    consumer = vertx.eventBus().consumer(Addresses.INBOUND_EVENT, this::onMessage);
    return consumer.completion();
  }

  /** Takes a group commit's {@link InboundBatch} or a single {@link InboundEvent} (a replay). */
  private void onMessage(Message<Object> msg) {
    List<InboundEvent> events = msg.body() instanceof InboundBatch batch ? batch.events()
        : List.of((InboundEvent) msg.body());
    boolean sweep = msg.headers().contains(PROCESSED_ACK);
    if (ingress.busy(deferWhenWaitingAbove)) {
      if (!deferring) {
        deferring = true;
        deferredInHold = 0;
        LOG.info("edge first: {} webhooks on average waited for their answer at this process's gateway in the last"
            + " {} ms (over {}); new events are left to the sweeper for at least {} ms",
            Math.round(ingress.lastWindowAverage()), IngressMeter.WINDOW_MILLIS, deferWhenWaitingAbove,
            ingress.holdMillis());
      }
      deferredInHold += events.size();
      deferred.increment(events.size());
      if (sweep) {
        msg.fail(503, "deferred: the gateway of this process is behind on its answers");
      } else {
        msg.reply(null);
      }
      return;
    }
    if (deferring) {
      deferring = false;
      LOG.info("edge first: the gateway has caught up; processing again after leaving {} events to the sweeper",
          deferredInHold);
    }
    if (queue.size() + events.size() > maxBuffered) {
      // overloaded: refuse rather than grow without bound; the sweeper re-dispatches later
      msg.fail(503, "engine busy");
      return;
    }
    queue.addAll(events);
    queued += events.size();
    if (sweep) {
      waiters.add(new Waiter(queued, msg));
    } else {
      msg.reply(null);
    }
    if (!flushScheduled && inFlight.size() < MAX_IN_FLIGHT) {
      flushScheduled = true;
      context.runOnContext(v -> flush());
    }
  }

  private void flush() {
    flushScheduled = false;
    while (inFlight.size() < MAX_IN_FLIGHT && !queue.isEmpty()) {
      int n = Math.min(MAX_GROUP, queue.size());
      List<InboundEvent> group = new ArrayList<>(queue.subList(0, n));
      queue.subList(0, n).clear();
      long[] first = {queued - queue.size() - n};
      inFlight.add(first);
      processor.process(group).onComplete(ar -> {
        inFlight.remove(first);
        if (ar.succeeded()) {
          processed.increment(group.size());
        } else {
          failed.increment(group.size());
          LOG.warn("processing {} events failed ({}); the sweeper will re-dispatch them", group.size(),
              ar.cause().getMessage());
        }
        answerWaiters();
        if (!queue.isEmpty()) {
          flush();
        }
      });
    }
  }

  /** Replies to the sweeper messages whose events are all done (processed or failed: either way, no longer here). */
  private void answerWaiters() {
    long firstNotDone = queued - queue.size();
    for (long[] g : inFlight) {
      firstNotDone = Math.min(firstNotDone, g[0]);
    }
    while (!waiters.isEmpty() && waiters.peek().end() <= firstNotDone) {
      waiters.poll().msg().reply(null);
    }
  }

  @Override
  public Future<?> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }
}
