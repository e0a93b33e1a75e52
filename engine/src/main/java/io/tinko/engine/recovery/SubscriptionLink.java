package io.tinko.engine.recovery;

import io.tinko.common.domain.Psp;
import io.tinko.engine.normalize.NormalizedEvent;
import java.time.Instant;
import java.util.List;

/**
 * Razorpay's subscription events (pending, halted, charged) share no key with the payment.failed of the same cycle:
 * that names its invoice, they name the subscription cycle. When no key matches, such an event is linked to an open
 * transaction of the same subscription, or else to the customer's open invoice payment not yet linked to one, of
 * the same cycle (failed at or after the cycle's start). Other PSPs' keys already carry the subscription (PayPal)
 * or an invoice that is never shared between cycles (Stripe), so they are never linked this way.
 */
final class SubscriptionLink {
  private SubscriptionLink() {}

  static boolean applies(NormalizedEvent n) {
    return n.psp() == Psp.RAZORPAY && n.refs().subscriptionId() != null;
  }

  static List<TxState> candidates(GroupState s, NormalizedEvent n) {
    if (!applies(n)) {
      return List.of();
    }
    Instant cycleStart = cycleStart(n);
    String psp = n.psp().id();
    List<TxState> bySubscription = sameCycle(s.openBySubscription(n.orgId(), psp, n.refs().subscriptionId()),
        cycleStart);
    if (!bySubscription.isEmpty() || n.refs().customerId() == null) {
      return bySubscription;
    }
    return sameCycle(s.openUnlinkedInvoicesOfCustomer(n.orgId(), psp, n.refs().customerId()), cycleStart).stream()
        .limit(1).toList();
  }

  private static List<TxState> sameCycle(List<TxState> txs, Instant cycleStart) {
    return cycleStart == null ? txs
        : txs.stream().filter(t -> t.failedAt == null || !t.failedAt.isBefore(cycleStart)).toList();
  }

  /** The cycle start of a {@code subscription:<id>:<epoch seconds>} key, if the event has one. */
  static Instant cycleStart(NormalizedEvent n) {
    String prefix = "subscription:" + n.refs().subscriptionId() + ":";
    for (String key : n.correlationKeys()) {
      if (key.startsWith(prefix)) {
        try {
          return Instant.ofEpochSecond(Long.parseLong(key.substring(prefix.length())));
        } catch (NumberFormatException e) {
          return null;
        }
      }
    }
    return null;
  }
}
