package io.tinko.engine.retry;

import io.tinko.engine.classify.Classification;
import io.tinko.engine.classify.DeclineClass;
import io.tinko.engine.normalize.Money;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One authorization attempt on a card at this merchant, from any transaction: what the network limits count.
 *
 * @param reattempt     true for every attempt after a decline of the same payment (ours or the PSP's own retries);
 *                      false only for a payment's first attempt. When unsure, pass true: it only makes limits stricter.
 * @param declineClass  the class of a declined attempt (NEVER blocks the card until an approval); null otherwise
 * @param notBefore     a declined attempt's advice floor (Mastercard MAC 24-30), {@link Duration#ZERO} if none
 */
public record CardAttempt(Instant at, Money amount, Outcome outcome, boolean reattempt, DeclineClass declineClass,
                          Duration notBefore) {

  /** SCHEDULED is a retry already planned (by any transaction) and not yet run: it counts as a future decline. */
  public enum Outcome { APPROVED, DECLINED, ERROR, SCHEDULED }

  public CardAttempt {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(outcome, "outcome");
    notBefore = notBefore == null ? Duration.ZERO : notBefore;
  }

  public static CardAttempt declined(Instant at, Money amount, boolean reattempt, Classification classification) {
    return new CardAttempt(at, amount, Outcome.DECLINED, reattempt, classification.declineClass(),
        classification.notBefore());
  }

  public static CardAttempt approved(Instant at, Money amount, boolean reattempt) {
    return new CardAttempt(at, amount, Outcome.APPROVED, reattempt, null, Duration.ZERO);
  }

  public static CardAttempt scheduled(Instant at, Money amount) {
    return new CardAttempt(at, amount, Outcome.SCHEDULED, true, null, Duration.ZERO);
  }

  /** Whether Mastercard's decline limits count it: declines, errors (the issuer may have declined) and plans. */
  boolean mayBeDecline() {
    return outcome != Outcome.APPROVED;
  }
}
