package io.tinko.gateway.webhook;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A verified webhook about to be written to {@code webhook_events}. */
public record StoredEvent(UUID id, OffsetDateTime receivedAt, String endpointId, UUID orgId, String psp,
                          String eventId, String eventType, String headersJson, byte[] body) {
}
