package io.tinko.engine.recovery;

import io.tinko.common.domain.Psp;
import io.tinko.common.util.Ids;
import io.tinko.engine.classify.Classification;
import io.tinko.engine.classify.DeclineClass;
import io.tinko.engine.normalize.EventType;
import io.tinko.engine.normalize.NormalizedEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The pipeline's rules for one event, applied in memory to the group's state. Every rule is written so that the
 * final state of a payment does not depend on the order its events arrive in, nor on duplicates:
 * <ul>
 *   <li>a failure "echo" (another event of the same decline: Stripe sends invoice.payment_failed, charge.failed and
 *       payment_intent.payment_failed for one decline) within {@code echoWindow} of the latest decline adds no
 *       decline; it only refines the classification when the first event had no codes;</li>
 *   <li>a failure older than the latest decline is history, not a new decision;</li>
 *   <li>a success closes every open transaction it names; a success that names none is remembered, and a failure
 *       that arrives after its own success creates its transaction recovered at once;</li>
 *   <li>a failure after a recovered transaction's recovery starts a new transaction (the next cycle of a PayPal
 *       subscription, whose key names no cycle).</li>
 * </ul>
 */
final class EventApplier {
  private final Recovery recovery;
  private final Duration echoWindow;
  private final Duration successMemory;

  EventApplier(Recovery recovery, Duration echoWindow, Duration successMemory) {
    this.recovery = recovery;
    this.echoWindow = echoWindow;
    this.successMemory = successMemory;
  }

  void apply(GroupState s, Writes w, UUID webhookId, String endpointId, NormalizedEvent n) {
    switch (n.kind()) {
      case FAILED -> failed(s, w, webhookId, endpointId, n);
      case SUCCEEDED -> succeeded(s, w, webhookId, n);
      default -> { } // stored and marked processed; nothing to recover
    }
  }

  private void failed(GroupState s, Writes w, UUID webhookId, String endpointId, NormalizedEvent n) {
    TxState tx = match(s, n);
    String paymentKey = n.paymentKey();
    if (tx != null && tx.isRecovered()) {
      if (tx.recoveredAt == null || !n.occurredAt().isAfter(tx.recoveredAt.plus(echoWindow))) {
        recovery.merge(s, w, tx, n);   // a failure from before the payment was recovered: nothing to do
        addKeys(s, w, tx, n, false);
        return;
      }
      paymentKey = paymentKey + "@" + n.occurredAt().getEpochSecond();   // the payment key's next cycle
      tx = null;
    }
    if (tx == null) {
      created(s, w, webhookId, TxState.create(Ids.uuid7(), n, endpointId, paymentKey), n);
      return;
    }
    recovery.merge(s, w, tx, n);
    addKeys(s, w, tx, n, false);
    if (tx.hasRunningAttempt()) {
      return;   // probably the webhook of our own charge in flight: the executor records it and decides
    }
    Classification c = classify(tx, n);
    Instant latest = tx.lastFailedAt;
    if (tx.failedAt != null && n.occurredAt().isBefore(tx.failedAt)) {
      tx.failedAt = n.occurredAt();   // an earlier report of the first decline: the policy's anchor moves to it
    }
    if (latest == null || n.occurredAt().isAfter(latest.plus(echoWindow))) {
      recovery.recordDecline(s, w, tx, n.occurredAt(), c, n.codes(), true, null);   // a new decline
      decideOrAwait(s, w, tx, n, c, n.occurredAt(), webhookId);
    } else if (n.occurredAt().isBefore(latest.minus(echoWindow))) {
      recovery.recordDecline(s, w, tx, n.occurredAt(), c, n.codes(), true, null);   // a late, older decline
    } else if (announcesPspRetry(n) && tx.pspNextRetryAt == null) {
      recovery.awaitPsp(s, w, tx, c, n.pspNextRetryAt(), awaitReason(n), webhookId);   // echo: the PSP retries
    } else if (refines(tx, n, c)) {
      Recovery.setClass(tx, c, n.codes());   // echo with the codes the first event lacked
      w.reclassify(new Writes.Reclassify(tx.orgId, GroupState.cardKeyOf(tx), tx.id, latest, c.declineClass().name(),
          c.notBefore().toSeconds()));
      if (tx.pspNextRetryAt == null) {
        recovery.decide(s, w, tx, c, latest, webhookId);
      }
    }
  }

  private void created(GroupState s, Writes w, UUID webhookId, TxState tx, NormalizedEvent n) {
    s.add(tx);
    addKeys(s, w, tx, n, true);
    w.transaction(tx);
    Classification c = recovery.classify(n.psp(), tx.network, n.codes());
    boolean reattempt = n.pspAttemptCount() != null && n.pspAttemptCount() > 1;
    recovery.recordDecline(s, w, tx, n.occurredAt(), c, n.codes(), reattempt, null);
    Instant paid = s.successAfter(n.orgId(), n.psp().id(), n.correlationKeys(), n.occurredAt(), successMemory);
    if (paid != null) {
      recovery.recordApproval(s, w, tx, paid, null);
      recovery.close(s, w, tx, paid, "psp_retry", "event:success_before_failure", webhookId);
    } else {
      decideOrAwait(s, w, tx, n, c, n.occurredAt(), webhookId);
    }
  }

  /** An event without codes (Razorpay subscription.halted) keeps the class of the decline that had them. */
  private Classification classify(TxState tx, NormalizedEvent n) {
    if (n.codes().isEmpty() && tx.declineClass != null && tx.declineRule != null) {
      return new Classification(DeclineClass.valueOf(tx.declineClass), tx.declineRule, Duration.ZERO,
          tx.declineRule.startsWith("default:"), tx.declineCode);
    }
    return recovery.classify(n.psp(), tx.network, n.codes());
  }

  /** An echo refines the decision only when the decline had no codes and this event has (Stripe's invoice event). */
  private static boolean refines(TxState tx, NormalizedEvent n, Classification c) {
    return !n.codes().isEmpty() && "default:no_code".equals(tx.declineRule) && !c.rule().equals(tx.declineRule);
  }

  private static boolean announcesPspRetry(NormalizedEvent n) {
    return n.pspNextRetryAt() != null && n.pspNextRetryAt().isAfter(n.occurredAt());
  }

  private void decideOrAwait(GroupState s, Writes w, TxState tx, NormalizedEvent n, Classification c,
                             Instant failedAt, UUID webhookId) {
    if (announcesPspRetry(n)) {
      recovery.awaitPsp(s, w, tx, c, n.pspNextRetryAt(), awaitReason(n), webhookId);
    } else if (n.type() == EventType.PSP_RETRY_PENDING || razorpaySubscriptionInvoice(n)) {
      // Razorpay retries about daily; the estimate only marks the transaction as waiting for the PSP
      recovery.awaitPsp(s, w, tx, c, n.occurredAt().plus(Duration.ofDays(1)), "Razorpay retries subscription "
          + "payments by itself; Tinko takes over when it halts the subscription (a parallel charge could collect "
          + "twice).", webhookId);
    } else {
      recovery.decide(s, w, tx, c, failedAt, webhookId);
    }
  }

  private static String awaitReason(NormalizedEvent n) {
    return n.psp().id() + " retries this payment by itself at " + n.pspNextRetryAt()
        + "; Tinko takes over if that fails and no further retry is announced.";
  }

  /** A Razorpay payment of an invoice is a subscription cycle Razorpay collects itself until it halts. */
  private static boolean razorpaySubscriptionInvoice(NormalizedEvent n) {
    return n.psp() == Psp.RAZORPAY && n.type() == EventType.PAYMENT_FAILED && n.refs().invoiceId() != null;
  }

  private void succeeded(GroupState s, Writes w, UUID webhookId, NormalizedEvent n) {
    boolean closed = false;
    for (TxState tx : matchAll(s, n)) {
      recovery.merge(s, w, tx, n);
      addKeys(s, w, tx, n, false);
      if (tx.isRecovered() || (tx.failedAt != null && n.occurredAt().isBefore(tx.failedAt))) {
        continue;   // already closed, or a success from before this payment failed (an earlier cycle)
      }
      recovery.recordApproval(s, w, tx, n.occurredAt(), null);
      String by = tx.ourChargeInFlightOrDone() ? "retry" : "psp_retry";
      recovery.close(s, w, tx, n.occurredAt(), by, "event:" + n.pspEventType(), webhookId);
      closed = true;
    }
    if (!closed) {
      for (String key : n.correlationKeys()) {
        s.rememberSuccess(n.orgId(), n.psp().id(), key, n.occurredAt());
        w.success(new Writes.Success(n.orgId(), n.psp().id(), key, n.occurredAt(), webhookId, n.pspEventType()));
      }
    }
  }

  /** The transaction of a failure: by its most specific key, else (Razorpay) by subscription or customer. */
  private static TxState match(GroupState s, NormalizedEvent n) {
    List<TxState> all = matchAll(s, n);
    TxState firstOpen = all.stream().filter(t -> !t.isRecovered()).findFirst().orElse(null);
    return firstOpen != null ? firstOpen : all.isEmpty() ? null : all.get(0);
  }

  static List<TxState> matchAll(GroupState s, NormalizedEvent n) {
    List<TxState> out = new ArrayList<>();
    String psp = n.psp().id();
    for (String key : n.correlationKeys()) {
      TxState tx = s.byKey(n.orgId(), psp, key);
      if (tx != null && !out.contains(tx)) {
        out.add(tx);
      }
    }
    if (out.isEmpty()) {
      out.addAll(SubscriptionLink.candidates(s, n));
    }
    return out;
  }

  /** Points the event's keys at the transaction: all of them when it is new, else only keys no one holds yet. */
  private static void addKeys(GroupState s, Writes w, TxState tx, NormalizedEvent n, boolean takeOver) {
    for (String key : n.correlationKeys()) {
      if (takeOver || s.byKey(n.orgId(), n.psp().id(), key) == null) {
        s.pointKey(w, tx, key);
      }
    }
  }
}
