package io.tinko.engine.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tinko.common.bus.Addresses;
import io.tinko.common.bus.InboundBatch;
import io.tinko.common.bus.InboundEvent;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes inbound events off the event bus (each message goes to one engine of the cluster), acknowledges receipt at
 * once, and processes them in groups: a group goes out while fewer than two are in flight, otherwise events
 * accumulate. Receipt is not processing: an event lost here (crash, overflow) is still unprocessed in Postgres and
 * the sweeper sends it again.
 */
public final class InboundEventConsumer extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(InboundEventConsumer.class);
  private static final int MAX_GROUP = 256;
  private static final int MAX_IN_FLIGHT = 2;

  private final EventProcessor processor;
  private final int maxBuffered;
  private final Counter processed;
  private final Counter failed;
  private final List<InboundEvent> queue = new ArrayList<>();
  private int inFlight;
  private boolean flushScheduled;
  private MessageConsumer<Object> consumer;

  public InboundEventConsumer(EventProcessor processor, int maxBuffered, MeterRegistry registry) {
    this.processor = processor;
    this.maxBuffered = maxBuffered;
    this.processed = Counter.builder("tinko_engine_events").tag("result", "processed").register(registry);
    this.failed = Counter.builder("tinko_engine_events").tag("result", "failed").register(registry);
  }

  @Override
  public Future<?> start() {
    consumer = vertx.eventBus().consumer(Addresses.INBOUND_EVENT, this::onMessage);
    return consumer.completion();
  }

  /** Takes a group commit's {@link InboundBatch} or a single {@link InboundEvent} (a replay). */
  private void onMessage(Message<Object> msg) {
    List<InboundEvent> events = msg.body() instanceof InboundBatch batch ? batch.events()
        : List.of((InboundEvent) msg.body());
    if (queue.size() + events.size() > maxBuffered) {
      // overloaded: refuse rather than grow without bound; the sweeper re-dispatches later
      msg.fail(503, "engine busy");
      return;
    }
    msg.reply(null);
    queue.addAll(events);
    if (!flushScheduled && inFlight < MAX_IN_FLIGHT) {
      flushScheduled = true;
      context.runOnContext(v -> flush());
    }
  }

  private void flush() {
    flushScheduled = false;
    while (inFlight < MAX_IN_FLIGHT && !queue.isEmpty()) {
      int n = Math.min(MAX_GROUP, queue.size());
      List<InboundEvent> group = new ArrayList<>(queue.subList(0, n));
      queue.subList(0, n).clear();
      inFlight++;
      processor.process(group).onComplete(ar -> {
        inFlight--;
        if (ar.succeeded()) {
          processed.increment(group.size());
        } else {
          failed.increment(group.size());
          LOG.warn("processing {} events failed ({}); the sweeper will re-dispatch them", group.size(),
              ar.cause().getMessage());
        }
        if (!queue.isEmpty()) {
          flush();
        }
      });
    }
  }

  @Override
  public Future<?> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }
}
