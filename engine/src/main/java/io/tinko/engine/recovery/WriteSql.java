package io.tinko.engine.recovery;

import static io.tinko.common.db.SqlArrays.col;

import io.tinko.engine.normalize.CardNetwork;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Sends {@link Writes} as one statement per table, all pipelined on the transaction's connection (the server runs
 * them in order; the client does not wait between them). Order matters: transactions before the rows that reference
 * them, planned history rows deleted before new ones are inserted.
 */
final class WriteSql {
  /**
   * Keys the group did not find: a plain insert (an upsert's speculative insertion costs a third more a row). Should
   * one exist after all, the unique violation fails the group, whose events are then retried one by one.
   */
  static final String INSERT_KEYS = """
      INSERT INTO transaction_keys (org_id, psp, key, transaction_id)
      SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[])""";
  /** Keys the group found, re-pointed (a payment's next cycle, a key moving to the transaction that took it over). */
  static final String REPOINT_KEYS = """
      UPDATE transaction_keys k SET transaction_id = u.transaction_id
        FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[]) AS u(org_id, psp, key, transaction_id)
       WHERE k.org_id = u.org_id AND k.psp = u.psp AND k.key = u.key
         AND k.org_id = ANY($1) AND k.psp = ANY($2) AND k.key = ANY($3)""";
  /** created_at is the statement's clock time, not the transaction's start: the decision as it is about to commit. */
  static final String INSERT_DECISIONS = """
      INSERT INTO decisions (id, org_id, transaction_id, webhook_id, decline_class, action, rule, reason,
             next_attempt_at, network_limit, notify_customer, created_at)
      SELECT *, clock_timestamp() FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::text[],
             $7::text[], $8::text[], $9::timestamptz[], $10::text[], $11::bool[])""";
  static final String INSERT_ATTEMPTS = """
      INSERT INTO recovery_attempts (id, org_id, transaction_id, attempt_no, due_at, status, idempotency_key,
             decision_id)
      SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::int4[], $5::timestamptz[], $6::text[],
             $7::text[], $8::uuid[])""";
  static final String CHANGE_ATTEMPTS = """
      UPDATE recovery_attempts a SET status = u.status, due_at = u.due_at, decision_id = u.decision_id,
             finished_at = CASE WHEN u.status = 'cancelled' THEN now() ELSE a.finished_at END
        FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::timestamptz[], $5::uuid[])
             AS u(id, created_at, status, due_at, decision_id)
       WHERE a.id = u.id AND a.created_at = u.created_at AND a.status = 'scheduled' AND a.id = ANY($1)""";
  static final String DELETE_PLANNED_CARD_ROWS =
      "DELETE FROM card_attempts WHERE attempt_id = ANY($1::uuid[]) AND outcome = 'scheduled'";
  /** Rows are found through the card index (org, old key), then narrowed to the transaction. */
  static final String REKEY_CARD_ROWS = """
      UPDATE card_attempts c SET card_key = u.new_key
        FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[]) AS u(org_id, old_key, tx, new_key)
       WHERE c.org_id = u.org_id AND c.card_key = u.old_key AND c.transaction_id = u.tx
         AND c.org_id = ANY($1) AND c.card_key = ANY($2)""";
  static final String INSERT_CARD_ROWS = """
      INSERT INTO card_attempts (id, org_id, card_key, at, outcome, reattempt, amount_minor, currency,
             amount_exponent, decline_class, not_before_seconds, transaction_id, attempt_id)
      SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[], $5::text[], $6::bool[],
             $7::int8[], $8::text[], $9::int2[], $10::text[], $11::int8[], $12::uuid[], $13::uuid[])""";
  static final String RECLASSIFY_CARD_ROWS = """
      UPDATE card_attempts c SET decline_class = u.cls, not_before_seconds = u.nb
        FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::timestamptz[], $5::text[], $6::int8[])
             AS u(org_id, card_key, tx, at, cls, nb)
       WHERE c.org_id = u.org_id AND c.card_key = u.card_key AND c.at = u.at AND c.transaction_id = u.tx
         AND c.outcome = 'declined' AND c.org_id = ANY($1) AND c.card_key = ANY($2)""";
  static final String INSERT_SUCCESSES = """
      INSERT INTO payment_successes (org_id, psp, key, occurred_at, webhook_id, event_type)
      SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[], $5::uuid[], $6::text[])
      ON CONFLICT DO NOTHING""";

  private WriteSql() {}

  static Future<Void> flush(SqlConnection conn, Writes w) {
    List<Future<?>> sent = new ArrayList<>();
    List<TxState> created = w.transactions.values().stream().filter(t -> t.isNew).toList();
    List<TxState> changed = w.transactions.values().stream().filter(t -> !t.isNew).toList();
    if (!created.isEmpty()) {
      sent.add(conn.preparedQuery(TransactionRows.INSERT).execute(TransactionRows.tuple(created)));
    }
    if (!changed.isEmpty()) {
      sent.add(conn.preparedQuery(TransactionRows.UPDATE).execute(TransactionRows.tuple(changed)));
    }
    if (!w.keys.isEmpty()) {
      List<Map.Entry<Writes.Key, UUID>> added = new ArrayList<>();
      List<Map.Entry<Writes.Key, UUID>> repointed = new ArrayList<>();
      w.keys.entrySet().forEach(e -> (w.storedKeys.contains(e.getKey()) ? repointed : added).add(e));
      if (!added.isEmpty()) {
        sent.add(conn.preparedQuery(INSERT_KEYS).execute(keyRows(added)));
      }
      if (!repointed.isEmpty()) {
        sent.add(conn.preparedQuery(REPOINT_KEYS).execute(keyRows(repointed)));
      }
    }
    if (!w.decisions.isEmpty()) {
      List<Writes.DecisionRow> d = w.decisions;
      sent.add(conn.preparedQuery(INSERT_DECISIONS).execute(Tuple.tuple()
          .addArrayOfUUID(col(d, Writes.DecisionRow::id, UUID[]::new))
          .addArrayOfUUID(col(d, Writes.DecisionRow::orgId, UUID[]::new))
          .addArrayOfUUID(col(d, Writes.DecisionRow::transactionId, UUID[]::new))
          .addArrayOfUUID(col(d, Writes.DecisionRow::webhookId, UUID[]::new))
          .addArrayOfString(col(d, Writes.DecisionRow::declineClass, String[]::new))
          .addArrayOfString(col(d, Writes.DecisionRow::action, String[]::new))
          .addArrayOfString(col(d, Writes.DecisionRow::rule, String[]::new))
          .addArrayOfString(col(d, Writes.DecisionRow::reason, String[]::new))
          .addArrayOfOffsetDateTime(col(d, r -> odt(r.nextAttemptAt()), OffsetDateTime[]::new))
          .addArrayOfString(col(d, Writes.DecisionRow::networkLimit, String[]::new))
          .addArrayOfBoolean(col(d, Writes.DecisionRow::notifyCustomer, Boolean[]::new))));
    }
    if (!w.newAttempts.isEmpty()) {
      List<Writes.NewAttempt> a = w.newAttempts;
      sent.add(conn.preparedQuery(INSERT_ATTEMPTS).execute(Tuple.tuple()
          .addArrayOfUUID(col(a, x -> x.ref().id, UUID[]::new))
          .addArrayOfUUID(col(a, Writes.NewAttempt::orgId, UUID[]::new))
          .addArrayOfUUID(col(a, Writes.NewAttempt::transactionId, UUID[]::new))
          .addArrayOfInteger(col(a, x -> x.ref().attemptNo, Integer[]::new))
          .addArrayOfOffsetDateTime(col(a, x -> odt(x.ref().dueAt), OffsetDateTime[]::new))
          .addArrayOfString(col(a, x -> x.ref().status, String[]::new))
          .addArrayOfString(col(a, x -> x.ref().idempotencyKey, String[]::new))
          .addArrayOfUUID(col(a, x -> x.ref().decisionId, UUID[]::new))));
    }
    if (!w.attemptChanges.isEmpty()) {
      List<Writes.AttemptChange> c = List.copyOf(w.attemptChanges.values());
      sent.add(conn.preparedQuery(CHANGE_ATTEMPTS).execute(Tuple.tuple()
          .addArrayOfUUID(col(c, Writes.AttemptChange::id, UUID[]::new))
          .addArrayOfOffsetDateTime(col(c, Writes.AttemptChange::createdAt, OffsetDateTime[]::new))
          .addArrayOfString(col(c, Writes.AttemptChange::status, String[]::new))
          .addArrayOfOffsetDateTime(col(c, x -> odt(x.dueAt()), OffsetDateTime[]::new))
          .addArrayOfUUID(col(c, Writes.AttemptChange::decisionId, UUID[]::new))));
    }
    if (!w.cardDeletesByAttempt.isEmpty()) {
      sent.add(conn.preparedQuery(DELETE_PLANNED_CARD_ROWS).execute(Tuple.tuple()
          .addArrayOfUUID(w.cardDeletesByAttempt.toArray(UUID[]::new))));
    }
    if (!w.rekeyed.isEmpty()) {
      List<Writes.Rekey> r = List.copyOf(w.rekeyed.values());
      sent.add(conn.preparedQuery(REKEY_CARD_ROWS).execute(Tuple.tuple()
          .addArrayOfUUID(col(r, Writes.Rekey::orgId, UUID[]::new))
          .addArrayOfString(col(r, Writes.Rekey::oldKey, String[]::new))
          .addArrayOfUUID(col(r, Writes.Rekey::transactionId, UUID[]::new))
          .addArrayOfString(col(r, Writes.Rekey::newKey, String[]::new))));
    }
    if (!w.cardInserts.isEmpty()) {
      sent.add(conn.preparedQuery(INSERT_CARD_ROWS).execute(cardRows(w.cardInserts)));
    }
    if (!w.reclassified.isEmpty()) {
      List<Writes.Reclassify> r = w.reclassified;
      sent.add(conn.preparedQuery(RECLASSIFY_CARD_ROWS).execute(Tuple.tuple()
          .addArrayOfUUID(col(r, Writes.Reclassify::orgId, UUID[]::new))
          .addArrayOfString(col(r, Writes.Reclassify::cardKey, String[]::new))
          .addArrayOfUUID(col(r, Writes.Reclassify::transactionId, UUID[]::new))
          .addArrayOfOffsetDateTime(col(r, x -> odt(x.at()), OffsetDateTime[]::new))
          .addArrayOfString(col(r, Writes.Reclassify::declineClass, String[]::new))
          .addArrayOfLong(col(r, Writes.Reclassify::notBeforeSeconds, Long[]::new))));
    }
    if (!w.successes.isEmpty()) {
      List<Writes.Success> s = w.successes;
      sent.add(conn.preparedQuery(INSERT_SUCCESSES).execute(Tuple.tuple()
          .addArrayOfUUID(col(s, Writes.Success::orgId, UUID[]::new))
          .addArrayOfString(col(s, Writes.Success::psp, String[]::new))
          .addArrayOfString(col(s, Writes.Success::key, String[]::new))
          .addArrayOfOffsetDateTime(col(s, x -> odt(x.occurredAt()), OffsetDateTime[]::new))
          .addArrayOfUUID(col(s, Writes.Success::webhookId, UUID[]::new))
          .addArrayOfString(col(s, Writes.Success::eventType, String[]::new))));
    }
    return Future.all(sent).mapEmpty();
  }

  private static Tuple keyRows(List<Map.Entry<Writes.Key, UUID>> k) {
    return Tuple.tuple()
        .addArrayOfUUID(col(k, e -> e.getKey().orgId(), UUID[]::new))
        .addArrayOfString(col(k, e -> e.getKey().psp(), String[]::new))
        .addArrayOfString(col(k, e -> e.getKey().key(), String[]::new))
        .addArrayOfUUID(col(k, Map.Entry::getValue, UUID[]::new));
  }

  private static Tuple cardRows(List<Writes.CardRow> c) {
    return Tuple.tuple()
        .addArrayOfUUID(col(c, Writes.CardRow::id, UUID[]::new))
        .addArrayOfUUID(col(c, Writes.CardRow::orgId, UUID[]::new))
        .addArrayOfString(col(c, Writes.CardRow::cardKey, String[]::new))
        .addArrayOfOffsetDateTime(col(c, x -> odt(x.at()), OffsetDateTime[]::new))
        .addArrayOfString(col(c, Writes.CardRow::outcome, String[]::new))
        .addArrayOfBoolean(col(c, Writes.CardRow::reattempt, Boolean[]::new))
        .addArrayOfLong(col(c, x -> x.amount() == null ? null : x.amount().minor(), Long[]::new))
        .addArrayOfString(col(c, x -> x.amount() == null ? null : x.amount().currency(), String[]::new))
        .addArrayOfShort(col(c, x -> x.amount() == null ? null : (short) x.amount().exponent(), Short[]::new))
        .addArrayOfString(col(c, Writes.CardRow::declineClass, String[]::new))
        .addArrayOfLong(col(c, Writes.CardRow::notBeforeSeconds, Long[]::new))
        .addArrayOfUUID(col(c, Writes.CardRow::transactionId, UUID[]::new))
        .addArrayOfUUID(col(c, Writes.CardRow::attemptId, UUID[]::new));
  }

  static String network(CardNetwork n) {
    return n == null || n == CardNetwork.UNKNOWN ? null : n.name().toLowerCase(Locale.ROOT);
  }

  static OffsetDateTime odt(Instant t) {
    return t == null ? null : t.atOffset(ZoneOffset.UTC);
  }
}
