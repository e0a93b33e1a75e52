package io.tinko.engine.recovery;

import io.tinko.engine.retry.CardAttempt;
import io.tinko.engine.retry.RetryPolicies;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * What one database transaction of the engine knows, loaded under lock by {@link StateLoader} and kept current in
 * memory while events are applied in order, so the third event of a payment in a group sees what the first did.
 */
final class GroupState {
  record KeyRef(UUID orgId, String psp, String key) {}

  record CardRef(UUID orgId, String cardKey) {}

  /** A history row; {@code attemptId} is set for a planned retry, so replanning can drop it. */
  record HistoryEntry(UUID transactionId, UUID attemptId, CardAttempt attempt) {}

  final Map<UUID, TxState> transactions = new LinkedHashMap<>();
  final Map<KeyRef, UUID> keyIndex = new HashMap<>();
  final Map<CardRef, List<HistoryEntry>> history = new HashMap<>();
  final Map<KeyRef, List<Instant>> successes = new HashMap<>();
  final Map<UUID, ZoneId> zones = new HashMap<>();
  final Map<UUID, RetryPolicies> policies = new HashMap<>();
  private final RetryPolicies defaults;

  GroupState(RetryPolicies defaults) {
    this.defaults = defaults;
  }

  TxState byKey(UUID orgId, String psp, String key) {
    UUID id = keyIndex.get(new KeyRef(orgId, psp, key));
    return id == null ? null : transactions.get(id);
  }

  /** Open (not recovered) transactions of a subscription, latest failure first. */
  List<TxState> openBySubscription(UUID orgId, String psp, String subscriptionId) {
    return open(t -> t.orgId.equals(orgId) && t.psp.id().equals(psp) && subscriptionId.equals(t.subscriptionId));
  }

  /**
   * Razorpay only: open transactions of a customer that belong to an invoice but are not linked to a subscription
   * yet. A subscription's payment.failed names its invoice, not its subscription, and subscription.pending names
   * the subscription, not the payment; the customer is what they share.
   */
  List<TxState> openUnlinkedInvoicesOfCustomer(UUID orgId, String psp, String customerId) {
    return open(t -> t.orgId.equals(orgId) && t.psp.id().equals(psp) && customerId.equals(t.customerId)
        && t.subscriptionId == null && t.invoiceId != null);
  }

  private List<TxState> open(java.util.function.Predicate<TxState> p) {
    return transactions.values().stream().filter(t -> !t.isRecovered()).filter(p)
        .sorted(Comparator.comparing((TxState t) -> t.lastFailedAt == null ? t.failedAt : t.lastFailedAt)
            .reversed())
        .toList();
  }

  void add(TxState tx) {
    transactions.put(tx.id, tx);
  }

  /** Points a key at a transaction, in memory and in the writes. */
  void pointKey(Writes w, TxState tx, String key) {
    KeyRef ref = new KeyRef(tx.orgId, tx.psp.id(), key);
    if (!tx.id.equals(keyIndex.get(ref))) {
      keyIndex.put(ref, tx.id);
      w.key(tx.orgId, tx.psp.id(), key, tx.id);
    }
  }

  /** Every attempt on the transaction's card (or on the transaction alone when no card is known). */
  List<CardAttempt> history(TxState tx, UUID excludeAttempt) {
    List<CardAttempt> out = new ArrayList<>();
    for (HistoryEntry e : history.getOrDefault(new CardRef(tx.orgId, cardKeyOf(tx)), List.of())) {
      if (excludeAttempt == null || !excludeAttempt.equals(e.attemptId())) {
        out.add(e.attempt());
      }
    }
    return out;
  }

  void addHistory(TxState tx, UUID attemptId, CardAttempt attempt) {
    history.computeIfAbsent(new CardRef(tx.orgId, cardKeyOf(tx)), k -> new ArrayList<>())
        .add(new HistoryEntry(tx.id, attemptId, attempt));
  }

  /**
   * The transaction's card identity became more precise ({@link CardKeys}): its history rows move to the new key,
   * in memory and in the database, so the card's limits keep counting them.
   */
  void rekey(Writes w, TxState tx, String oldKey) {
    List<HistoryEntry> old = history.get(new CardRef(tx.orgId, oldKey));
    if (old != null) {
      List<HistoryEntry> moved = old.stream().filter(e -> tx.id.equals(e.transactionId())).toList();
      old.removeAll(moved);
      history.computeIfAbsent(new CardRef(tx.orgId, cardKeyOf(tx)), k -> new ArrayList<>()).addAll(moved);
    }
    w.rekey(tx.orgId, tx.id, oldKey, cardKeyOf(tx));
  }

  void dropPlanned(UUID attemptId) {
    for (List<HistoryEntry> entries : history.values()) {
      entries.removeIf(e -> attemptId.equals(e.attemptId())
          && e.attempt().outcome() == CardAttempt.Outcome.SCHEDULED);
    }
  }

  /** The history key of a transaction: its card, else the transaction itself (limits then count per payment). */
  static String cardKeyOf(TxState tx) {
    return tx.cardKey != null ? tx.cardKey : "transaction:" + tx.id;
  }

  /** The earliest success of any of the keys at or after {@code at}, within {@code within}; null if none. */
  Instant successAfter(UUID orgId, String psp, List<String> keys, Instant at, Duration within) {
    Instant best = null;
    Instant limit = at.plus(within);
    for (String key : keys) {
      for (Instant s : successes.getOrDefault(new KeyRef(orgId, psp, key), List.of())) {
        if (!s.isBefore(at) && !s.isAfter(limit) && (best == null || s.isBefore(best))) {
          best = s;
        }
      }
    }
    return best;
  }

  void rememberSuccess(UUID orgId, String psp, String key, Instant at) {
    successes.computeIfAbsent(new KeyRef(orgId, psp, key), k -> new ArrayList<>()).add(at);
  }

  ZoneId zone(UUID orgId) {
    return zones.getOrDefault(orgId, ZoneOffset.UTC);
  }

  RetryPolicies policies(UUID orgId) {
    return Objects.requireNonNullElse(policies.get(orgId), defaults);
  }
}
