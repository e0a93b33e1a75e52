package io.tinko.engine.ingest;

import io.tinko.common.bus.InboundEvent;
import io.vertx.core.Future;
import java.util.List;

/**
 * Processes stored inbound events and marks them processed in Postgres, idempotently: an event already marked
 * processed is skipped, so a re-dispatched copy has no second effect.
 */
public interface EventProcessor {
  /** Completes once every event of the list is processed (or found processed already). */
  Future<Void> process(List<InboundEvent> events);
}
