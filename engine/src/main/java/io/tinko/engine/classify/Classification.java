package io.tinko.engine.classify;

import java.time.Duration;
import java.util.Objects;

/**
 * The class of a decline and why.
 *
 * @param rule      stable name of the rule that decided, stored with the decision: {@code stripe.advice_code:<code>},
 *                  {@code mastercard.mac:<code>}, {@code paypal.advice_code:<code>},
 *                  {@code visa.response_code:<code>}, {@code visa.category4:<code>},
 *                  {@code table:<stripe|razorpay|paypal>:<code>}, {@code default:unknown} or {@code default:no_code}
 * @param notBefore no retry earlier than this after the decline (Mastercard MAC 24-30); {@link Duration#ZERO} if none
 * @param unknown   true when no table row matched and the conservative default was used; count these in a metric
 *                  so the table can grow
 * @param code      the code that decided, or for unknown ones the most specific code seen (null if there was none)
 */
public record Classification(DeclineClass declineClass, String rule, Duration notBefore, boolean unknown,
                             String code) {
  public Classification {
    Objects.requireNonNull(declineClass, "declineClass");
    Objects.requireNonNull(rule, "rule");
    notBefore = notBefore == null ? Duration.ZERO : notBefore;
  }

  /** A known classification without a floor (tests, and callers that re-create a stored decision). */
  public static Classification of(DeclineClass declineClass, String rule) {
    return new Classification(declineClass, rule, Duration.ZERO, false, null);
  }
}
