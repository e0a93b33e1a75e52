package io.tinko.engine.recovery;

import io.tinko.engine.normalize.Money;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Everything one database transaction of the engine will write, collected in memory while events (or an attempt's
 * outcome) are applied, then sent as one multi-row statement per table ({@link WriteSql}): the statement count of a
 * group does not grow with its size, which is what keeps a group of hundreds of events at a few round trips.
 */
final class Writes {
  record Key(UUID orgId, String psp, String key) {}

  record DecisionRow(UUID id, UUID orgId, UUID transactionId, UUID webhookId, String declineClass, String action,
                     String rule, String reason, Instant nextAttemptAt, String networkLimit, boolean notifyCustomer) {}

  record NewAttempt(AttemptRef ref, UUID orgId, UUID transactionId) {}

  record AttemptChange(UUID id, OffsetDateTime createdAt, String status, Instant dueAt, UUID decisionId) {}

  record CardRow(UUID id, UUID orgId, String cardKey, Instant at, String outcome, boolean reattempt, Money amount,
                 String declineClass, long notBeforeSeconds, UUID transactionId, UUID attemptId) {}

  record Reclassify(UUID orgId, String cardKey, UUID transactionId, Instant at, String declineClass,
                    long notBeforeSeconds) {}

  /** A transaction's history rows move from {@code oldKey} (their key when this transaction began) to {@code newKey}. */
  record Rekey(UUID orgId, String oldKey, UUID transactionId, String newKey) {}

  record Success(UUID orgId, String psp, String key, Instant occurredAt, UUID webhookId, String eventType) {}

  final Map<UUID, TxState> transactions = new LinkedHashMap<>();
  final Map<Key, UUID> keys = new LinkedHashMap<>();
  /**
   * Keys this group found in the database (read under the advisory locks of every key its events carry, so no one
   * else can add one before COMMIT): a written key in here is re-pointed, any other is inserted.
   */
  final Set<Key> storedKeys = new HashSet<>();
  final List<DecisionRow> decisions = new ArrayList<>();
  final List<NewAttempt> newAttempts = new ArrayList<>();
  final Map<UUID, AttemptChange> attemptChanges = new LinkedHashMap<>();
  final List<UUID> cardDeletesByAttempt = new ArrayList<>();
  final List<CardRow> cardInserts = new ArrayList<>();
  final List<Reclassify> reclassified = new ArrayList<>();
  final List<Success> successes = new ArrayList<>();
  final Map<UUID, Rekey> rekeyed = new LinkedHashMap<>();

  void transaction(TxState tx) {
    transactions.put(tx.id, tx);
  }

  void key(UUID orgId, String psp, String key, UUID transactionId) {
    keys.put(new Key(orgId, psp, key), transactionId);
  }

  void storedKey(UUID orgId, String psp, String key) {
    storedKeys.add(new Key(orgId, psp, key));
  }

  void decision(DecisionRow row) {
    decisions.add(row);
  }

  void newAttempt(TxState tx, AttemptRef ref) {
    newAttempts.add(new NewAttempt(ref, tx.orgId, tx.id));
  }

  /** A persisted attempt's new status/due time/decision; an attempt inserted by this transaction is edited in place. */
  void changeAttempt(AttemptRef ref) {
    if (!ref.isNew()) {
      attemptChanges.put(ref.id, new AttemptChange(ref.id, ref.createdAt, ref.status, ref.dueAt, ref.decisionId));
    }
  }

  /** Removes the planned ('scheduled') history row of an attempt, persisted or not. */
  void dropPlannedCardRow(UUID attemptId) {
    cardInserts.removeIf(r -> attemptId.equals(r.attemptId()) && "scheduled".equals(r.outcome()));
    cardDeletesByAttempt.add(attemptId);
  }

  void cardRow(CardRow row) {
    cardInserts.add(row);
  }

  void reclassify(Reclassify r) {
    reclassified.add(r);
  }

  /** Moves a transaction's history rows to its more precise card key (applied before new rows are inserted). */
  void rekey(UUID orgId, UUID transactionId, String oldKey, String newKey) {
    Rekey first = rekeyed.get(transactionId);
    rekeyed.put(transactionId, new Rekey(orgId, first == null ? oldKey : first.oldKey(), transactionId, newKey));
    cardInserts.replaceAll(r -> transactionId.equals(r.transactionId()) ? new CardRow(r.id(), r.orgId(), newKey,
        r.at(), r.outcome(), r.reattempt(), r.amount(), r.declineClass(), r.notBeforeSeconds(), r.transactionId(),
        r.attemptId()) : r);
  }

  void success(Success s) {
    successes.add(s);
  }

  boolean isEmpty() {
    return transactions.isEmpty() && keys.isEmpty() && decisions.isEmpty() && newAttempts.isEmpty()
        && attemptChanges.isEmpty() && cardDeletesByAttempt.isEmpty() && cardInserts.isEmpty()
        && reclassified.isEmpty() && successes.isEmpty() && rekeyed.isEmpty();
  }
}
