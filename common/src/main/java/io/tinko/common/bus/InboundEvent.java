package io.tinko.common.bus;

import java.time.Instant;
import java.util.UUID;

/**
 * A webhook committed to {@code webhook_events}, handed to the engine. {@code id} + {@code receivedAt} are the
 * row's primary key; {@code dispatch} counts hand-offs (0 = first, from the gateway; higher = the sweeper's).
 * The body is the raw bytes the PSP signed; it is not copied on the local event bus.
 */
public record InboundEvent(UUID id, Instant receivedAt, String endpointId, UUID orgId, String psp, String eventId,
                           String eventType, byte[] rawBody, int dispatch) {
}
