package io.tinko.engine.retry;

import io.tinko.engine.classify.Classification;
import io.tinko.engine.normalize.CardNetwork;
import io.tinko.engine.normalize.Money;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;

/**
 * Everything the planner needs to decide after one decline.
 *
 * @param classification the decline's classification
 * @param network        the card's scheme ({@link CardNetwork#UNKNOWN} applies both Visa's and Mastercard's limits)
 * @param amount         the payment's amount (Mastercard counts declines per card and amount); may be null
 * @param firstFailedAt  when this payment first failed: the anchor of the policy's schedule and window
 * @param failedAt       when the decline being decided on happened: the anchor of backoff and advice floors
 * @param retriesMade    retries Tinko already made for this payment (0 after the original failure)
 * @param cardHistory    every attempt on this card at this merchant, from all transactions, including the decline
 *                       being decided on and retries already scheduled; any order
 * @param tenantZone     the tenant's time zone, for {@code localHour}; UTC when null
 */
public record RetryContext(Classification classification, CardNetwork network, Money amount, Instant firstFailedAt,
                           Instant failedAt, int retriesMade, List<CardAttempt> cardHistory, ZoneId tenantZone) {
  public RetryContext {
    Objects.requireNonNull(classification, "classification");
    Objects.requireNonNull(firstFailedAt, "firstFailedAt");
    Objects.requireNonNull(failedAt, "failedAt");
    network = network == null ? CardNetwork.UNKNOWN : network;
    cardHistory = cardHistory == null ? List.of() : List.copyOf(cardHistory);
    tenantZone = tenantZone == null ? ZoneOffset.UTC : tenantZone;
    if (retriesMade < 0) {
      throw new IllegalArgumentException("retriesMade cannot be negative");
    }
  }
}
