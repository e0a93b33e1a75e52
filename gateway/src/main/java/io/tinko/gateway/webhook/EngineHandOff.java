package io.tinko.gateway.webhook;

import io.tinko.common.bus.Addresses;
import io.tinko.common.bus.InboundBatch;
import io.tinko.common.bus.InboundEvent;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the events of one committed group to an engine in one event-bus message (local, or to one engine process
 * of the cluster). The engine acknowledges receipt; a refusal, a missing engine or a timeout only counts in a
 * metric, because the events are stored and the sweeper re-dispatches whatever stays unprocessed.
 */
public final class EngineHandOff {
  private static final Logger LOG = LoggerFactory.getLogger(EngineHandOff.class);
  private final Vertx vertx;
  private final WebhookMetrics metrics;
  private final DeliveryOptions options = new DeliveryOptions().setSendTimeout(10_000);

  public EngineHandOff(Vertx vertx, WebhookMetrics metrics) {
    this.vertx = vertx;
    this.metrics = metrics;
  }

  public void send(List<StoredEvent> committed) {
    List<InboundEvent> events = new ArrayList<>(committed.size());
    for (StoredEvent e : committed) {
      events.add(new InboundEvent(e.id(), e.receivedAt().toInstant(), e.endpointId(), e.orgId(), e.psp(),
          e.eventId(), e.eventType(), e.body(), 0));
    }
    vertx.eventBus().request(Addresses.INBOUND_EVENT, new InboundBatch(events), options).onFailure(err -> {
      metrics.handoffFailed(events.size());
      LOG.debug("hand-off of {} events failed ({}); the sweeper will re-dispatch them", events.size(),
          err.getMessage());
    });
  }
}
