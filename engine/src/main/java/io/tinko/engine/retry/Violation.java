package io.tinko.engine.retry;

/**
 * One reason a policy is refused.
 *
 * @param field   the offending key, e.g. {@code RETRY_LATER.schedule}
 * @param rule    stable id: a network limit id ({@code visa.reattempts}, {@code mastercard.declines},
 *                {@code mastercard.same_amount_declines}, {@code never_class}), {@code no_blind_retry} or
 *                {@code invalid}
 * @param message one sentence for the merchant
 */
public record Violation(String field, String rule, String message) {
  @Override
  public String toString() {
    return field + ": " + message + " [" + rule + "]";
  }
}
