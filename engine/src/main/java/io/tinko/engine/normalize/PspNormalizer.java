package io.tinko.engine.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.UUID;

/** Reads one PSP's webhook payloads. Implementations are stateless and thread-safe. */
interface PspNormalizer {
  /** The event type as the payload names it (used when the caller does not pass one). */
  String eventTypeOf(JsonNode root);

  /** Normalizes a parsed payload; an unhandled type yields {@link EventType#IGNORED}, not an exception. */
  NormalizedEvent normalize(UUID orgId, String eventType, JsonNode root);
}
