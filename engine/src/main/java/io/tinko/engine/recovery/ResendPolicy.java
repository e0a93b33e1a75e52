package io.tinko.engine.recovery;

import java.time.Duration;

/**
 * When a charge's outcome is unknown (timeout, 5xx), the same attempt is sent again with the same idempotency key
 * after {@code initial}, doubling up to {@code max}; after {@code maxCalls} sends the attempt ends in error and a
 * new decision is taken as for a TECHNICAL decline (a new attempt, hence a new key: Stripe replays a stored 500
 * for a key forever, so only a new key can get through).
 */
public record ResendPolicy(Duration initial, Duration max, int maxCalls) {
  Duration delayAfter(int calls) {
    long ms = initial.toMillis() << Math.min(20, Math.max(0, calls - 1));
    return ms >= max.toMillis() ? max : Duration.ofMillis(ms);
  }
}
