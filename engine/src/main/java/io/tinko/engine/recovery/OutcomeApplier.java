package io.tinko.engine.recovery;

import io.tinko.common.util.Ids;
import io.tinko.engine.classify.Classification;
import io.tinko.engine.classify.DeclineClass;
import java.time.Instant;
import java.util.UUID;

/**
 * The executor's rules for the outcome of one charge, applied in memory like {@link EventApplier}'s:
 * <ul>
 *   <li>approved: the attempt succeeded, the transaction is recovered by {@code retry}, other attempts cancelled;</li>
 *   <li>declined: reclassified with the new codes and decided again (another attempt, or a stop);</li>
 *   <li>unknown (timeout, 5xx): the same attempt is scheduled again, same key; after too many sends it ends in
 *       error and is decided again as TECHNICAL;</li>
 *   <li>rejected by the PSP (credentials, invalid request): nothing was charged, the merchant must act.</li>
 * </ul>
 * A transaction recovered meanwhile (by the PSP's own retry) keeps its recovery; the attempt's outcome is recorded.
 */
final class OutcomeApplier {
  private final Recovery recovery;
  private final ResendPolicy resend;

  OutcomeApplier(Recovery recovery, ResendPolicy resend) {
    this.recovery = recovery;
    this.resend = resend;
  }

  void apply(GroupState s, Writes w, TxState tx, AttemptRef a, ChargeResult r, int calls, Instant now) {
    recovery.dropPlanned(s, w, a);
    switch (r.kind()) {
      case APPROVED -> approved(s, w, tx, a, now);
      case DECLINED -> declined(s, w, tx, a, r, now);
      case RETRYABLE -> unknown(s, w, tx, a, calls, now);
      case REJECTED -> rejected(s, w, tx, a, r);
      case CANCELLED -> a.status = AttemptRef.CANCELLED;
      default -> throw new IllegalStateException(r.kind().name());
    }
    w.transaction(tx);
  }

  private void approved(GroupState s, Writes w, TxState tx, AttemptRef a, Instant now) {
    a.status = AttemptRef.SUCCEEDED;
    tx.retriesMade++;
    recovery.recordApproval(s, w, tx, now, a.id);
    if (!tx.isRecovered()) {
      recovery.close(s, w, tx, now, "retry", "execute:approved", null);
    } else if (!"retry".equals(tx.recoveredBy)) {
      tx.recoveredBy = "retry";   // the success webhook came first, while our charge was in flight
    }
  }

  private void declined(GroupState s, Writes w, TxState tx, AttemptRef a, ChargeResult r, Instant now) {
    a.status = AttemptRef.DECLINED;
    tx.retriesMade++;
    Classification c = recovery.classify(tx.psp, tx.network, r.codes());
    recovery.recordDecline(s, w, tx, now, c, r.codes(), true, a.id);
    if (!tx.isRecovered()) {
      recovery.decide(s, w, tx, c, now, null);
    }
  }

  private void unknown(GroupState s, Writes w, TxState tx, AttemptRef a, int calls, Instant now) {
    if (tx.isRecovered()) {
      a.status = AttemptRef.CANCELLED;   // paid meanwhile: a resend could only charge again
      return;
    }
    if (calls < resend.maxCalls()) {
      a.status = AttemptRef.SCHEDULED;
      a.dueAt = now.plus(resend.delayAfter(calls));
      recovery.plan(s, w, tx, a);
      return;
    }
    a.status = AttemptRef.ERROR;
    tx.retriesMade++;
    Classification c = Classification.of(DeclineClass.TECHNICAL, "execute:unknown_outcome");
    s.addHistory(tx, a.id, new io.tinko.engine.retry.CardAttempt(now, tx.money(),
        io.tinko.engine.retry.CardAttempt.Outcome.ERROR, true, null, null));
    w.cardRow(new Writes.CardRow(Ids.uuid7(), tx.orgId, GroupState.cardKeyOf(tx), now, "error", true, tx.money(),
        null, 0, tx.id, a.id));
    recovery.decide(s, w, tx, c, now, null);
  }

  private void rejected(GroupState s, Writes w, TxState tx, AttemptRef a, ChargeResult r) {
    a.status = AttemptRef.ERROR;
    if (tx.isRecovered()) {
      return;
    }
    for (AttemptRef other : tx.attempts) {
      if (other != a && AttemptRef.SCHEDULED.equals(other.status)) {
        recovery.cancel(s, w, other);
      }
    }
    tx.status = TxStatus.MERCHANT_ACTION;
    String cls = tx.declineClass == null ? DeclineClass.MERCHANT_CONFIG.name() : tx.declineClass;
    w.decision(new Writes.DecisionRow(Ids.uuid7(), tx.orgId, tx.id, (UUID) null, cls, "NOTIFY_MERCHANT",
        "execute:rejected:" + r.code(), "The PSP refused the retry request (" + r.code()
            + (r.detail() == null ? "" : ": " + r.detail()) + "); nothing was charged. Check the connection's "
            + "credentials and the payment.", null, null, false));
  }
}
