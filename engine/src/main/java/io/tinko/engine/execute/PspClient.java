package io.tinko.engine.execute;

import io.tinko.engine.recovery.ChargeResult;
import io.vertx.core.Future;

/**
 * Charges a payment at one PSP. Never fails the future for PSP answers: a decline, a timeout or a 5xx is a
 * {@link ChargeResult}; a failed future is treated as an unknown outcome (resent with the same key).
 */
public interface PspClient {
  Future<ChargeResult> charge(Charge charge);
}
