package io.tinko.engine.recovery;

import io.tinko.common.domain.Psp;
import io.tinko.common.util.Ids;
import io.tinko.engine.classify.Classification;
import io.tinko.engine.classify.DeclineClassifier;
import io.tinko.engine.normalize.CardNetwork;
import io.tinko.engine.normalize.DeclineCodes;
import io.tinko.engine.normalize.NormalizedEvent;
import io.tinko.engine.retry.CardAttempt;
import io.tinko.engine.retry.Decision;
import io.tinko.engine.retry.RetryContext;
import io.tinko.engine.retry.RetryPlanner;
import java.time.Instant;
import java.util.UUID;

/**
 * The state changes of a recovery, shared by the event pipeline and the executor: record a decline, decide what
 * follows (decision row, the one attempt row, the transaction's status), wait for the PSP's own retry, close as
 * recovered. Works on {@link GroupState} and {@link Writes} only; the caller owns the database transaction.
 * Not thread-safe (the planner's random source): one instance per verticle.
 */
final class Recovery {
  static final String AWAIT_PSP_RETRY = "AWAIT_PSP_RETRY";
  static final String RECOVERED = "RECOVERED";

  private final DeclineClassifier classifier;
  private final RetryPlanner planner;
  private final EngineMetrics metrics;

  Recovery(DeclineClassifier classifier, RetryPlanner planner, EngineMetrics metrics) {
    this.classifier = classifier;
    this.planner = planner;
    this.metrics = metrics;
  }

  Classification classify(Psp psp, CardNetwork network, DeclineCodes codes) {
    Classification c = classifier.classify(psp, network, codes);
    if (c.unknown()) {
      metrics.unknownCode(psp.id(), c.code());
    }
    return c;
  }

  /** Merges an event into a transaction, moving its card history when its card identity became more precise. */
  void merge(GroupState s, Writes w, TxState tx, NormalizedEvent n) {
    String before = GroupState.cardKeyOf(tx);
    tx.merge(n);
    if (!before.equals(GroupState.cardKeyOf(tx))) {
      s.rekey(w, tx, before);
    }
    w.transaction(tx);
  }

  /** A decline happened at {@code at}: the transaction's latest decline and one more row of the card's history. */
  void recordDecline(GroupState s, Writes w, TxState tx, Instant at, Classification c, DeclineCodes codes,
                     boolean reattempt, UUID attemptId) {
    if (tx.lastFailedAt == null || !at.isBefore(tx.lastFailedAt)) {
      tx.lastFailedAt = at;
      setClass(tx, c, codes);
    }
    if (tx.failedAt == null || at.isBefore(tx.failedAt)) {
      tx.failedAt = at;
    }
    CardAttempt attempt = CardAttempt.declined(at, tx.money(), reattempt, c);
    s.addHistory(tx, attemptId, attempt);
    w.cardRow(new Writes.CardRow(Ids.uuid7(), tx.orgId, GroupState.cardKeyOf(tx), at, "declined", reattempt,
        tx.money(), c.declineClass().name(), c.notBefore().toSeconds(), tx.id, attemptId));
    w.transaction(tx);
  }

  static void setClass(TxState tx, Classification c, DeclineCodes codes) {
    tx.declineClass = c.declineClass().name();
    tx.declineRule = c.rule();
    tx.declineCode = c.code() != null ? c.code() : codes.declineCode() != null ? codes.declineCode()
        : codes.failureCode();
  }

  /**
   * Decides after the decline at {@code failedAt} and applies it. The transaction's attempt not yet run, if any, is
   * replaced: moved in place to the new due time (same number and key: it was never sent, or is waiting to be
   * resent with that key) or cancelled.
   */
  void decide(GroupState s, Writes w, TxState tx, Classification c, Instant failedAt, UUID webhookId) {
    AttemptRef pending = tx.scheduled();
    RetryContext ctx = new RetryContext(c, tx.network, tx.money(), tx.failedAt, failedAt, tx.retriesMade,
        s.history(tx, pending == null ? null : pending.id), s.zone(tx.orgId));
    Decision d = planner.decide(ctx, s.policies(tx.orgId));
    String notChargeable = Chargeability.whyNot(tx);
    if (d.action() == Decision.Action.SCHEDULE_RETRY && notChargeable != null) {
      d = new Decision(Decision.Action.REQUEST_CUSTOMER_ACTION, null, d.rule() + " > execute:" + notChargeable,
          "A retry was due at " + d.dueAt() + " but Tinko cannot charge this payment by itself ("
              + notChargeable.replace('_', ' ') + "): ask the customer to pay.", true, d.limit(), c);
    }
    UUID decisionId = Ids.uuid7();
    w.decision(new Writes.DecisionRow(decisionId, tx.orgId, tx.id, webhookId, c.declineClass().name(),
        d.action().name(), d.auditRule(), d.reason(), d.dueAt(), d.limit(), d.notifyCustomer()));
    metrics.decision(d.action().name());
    if (d.action() == Decision.Action.SCHEDULE_RETRY) {
      AttemptRef a = pending;
      if (a == null) {
        int no = tx.nextAttemptNo();
        a = new AttemptRef(Ids.uuid7(), null, no, AttemptRef.idempotencyKey(tx.orgId, tx.id, no),
            AttemptRef.SCHEDULED, d.dueAt(), 0, decisionId);
        tx.attempts.add(a);
        w.newAttempt(tx, a);
      } else {
        dropPlanned(s, w, a);
        a.dueAt = d.dueAt();
        a.decisionId = decisionId;
        w.changeAttempt(a);
      }
      plan(s, w, tx, a);
    } else if (pending != null) {
      cancel(s, w, pending);
    }
    tx.status = TxStatus.after(d.action());
    tx.pspNextRetryAt = null;
    w.transaction(tx);
  }

  /** The PSP retries by itself ({@code until} when it said when): Tinko does not charge in parallel. */
  void awaitPsp(GroupState s, Writes w, TxState tx, Classification c, Instant until, String why, UUID webhookId) {
    AttemptRef pending = tx.scheduled();
    if (pending != null) {
      cancel(s, w, pending);
    }
    tx.status = TxStatus.RETRYING;
    tx.pspNextRetryAt = until;
    w.decision(new Writes.DecisionRow(Ids.uuid7(), tx.orgId, tx.id, webhookId, c.declineClass().name(),
        AWAIT_PSP_RETRY, c.rule() + " > psp:own_retry", why, until, null, false));
    metrics.decision(AWAIT_PSP_RETRY);
    w.transaction(tx);
  }

  /** Closes as recovered: status, method, the decision, and every attempt not yet run is cancelled. */
  void close(GroupState s, Writes w, TxState tx, Instant at, String by, String rule, UUID webhookId) {
    for (AttemptRef a : tx.attempts) {
      if (AttemptRef.SCHEDULED.equals(a.status)) {
        cancel(s, w, a);
      }
    }
    tx.status = TxStatus.RECOVERED;
    tx.recoveredAt = at;
    tx.recoveredBy = by;
    tx.pspNextRetryAt = null;
    String cls = tx.declineClass == null ? "NONE" : tx.declineClass;
    w.decision(new Writes.DecisionRow(Ids.uuid7(), tx.orgId, tx.id, webhookId, cls, RECOVERED, rule,
        "Paid at " + at + " (" + by + ").", null, null, false));
    metrics.decision(RECOVERED);
    w.transaction(tx);
  }

  /** An approval on the card (a success event or our own charge): it lifts a NEVER block and advice floors. */
  void recordApproval(GroupState s, Writes w, TxState tx, Instant at, UUID attemptId) {
    s.addHistory(tx, attemptId, CardAttempt.approved(at, tx.money(), true));
    w.cardRow(new Writes.CardRow(Ids.uuid7(), tx.orgId, GroupState.cardKeyOf(tx), at, "approved", true, tx.money(),
        null, 0, tx.id, attemptId));
  }

  void cancel(GroupState s, Writes w, AttemptRef a) {
    a.status = AttemptRef.CANCELLED;
    w.changeAttempt(a);
    dropPlanned(s, w, a);
  }

  /** A planned retry is a row of the card's history, so other payments on the card plan around it. */
  void plan(GroupState s, Writes w, TxState tx, AttemptRef a) {
    s.addHistory(tx, a.id, CardAttempt.scheduled(a.dueAt, tx.money()));
    w.cardRow(new Writes.CardRow(Ids.uuid7(), tx.orgId, GroupState.cardKeyOf(tx), a.dueAt, "scheduled", true,
        tx.money(), null, 0, tx.id, a.id));
  }

  void dropPlanned(GroupState s, Writes w, AttemptRef a) {
    s.dropPlanned(a.id);
    w.dropPlannedCardRow(a.id);
  }
}
