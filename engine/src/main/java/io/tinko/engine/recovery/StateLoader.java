package io.tinko.engine.recovery;

import io.tinko.engine.classify.DeclineClass;
import io.tinko.engine.normalize.Money;
import io.tinko.engine.retry.CardAttempt;
import io.tinko.engine.retry.RetryPolicies;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * Reads, under lock, everything deciding needs: the transactions (row-locked in id order, so two engines never wait
 * on each other in a cycle), their attempts, the card histories, remembered successes, tenants' time zones and
 * policy overrides. The statements are pipelined: one round trip for all of them.
 */
final class StateLoader {
  static final String LOCK_TRANSACTIONS = "SELECT * FROM transactions WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE";
  static final String ATTEMPTS = """
      SELECT id, created_at, transaction_id, attempt_no, idempotency_key, status, due_at, calls, decision_id
        FROM recovery_attempts WHERE transaction_id = ANY($1::uuid[]) ORDER BY attempt_no""";
  /**
   * The card histories of a group: one index range per card ({@code card_attempts_card_idx}) and nothing else. The
   * lateral subquery with {@code OFFSET 0} is not flattened into a join, so the planner cannot choose to read every
   * row of the history window through {@code card_attempts_at_idx} and hash-join it with the group's cards: it did,
   * whenever the table had grown since it was last analyzed (the window's row count underestimated), and then read
   * the whole window — the table, in a young database — for every group of 256 events (issue 4).
   */
  static final String HISTORY = """
      WITH k AS (
        SELECT * FROM unnest($1::uuid[], $2::text[]) AS e(org_id, card_key)
        UNION
        SELECT org_id, card_key FROM transactions WHERE id = ANY($3::uuid[]) AND card_key IS NOT NULL
        UNION
        SELECT org_id, 'transaction:' || id FROM transactions WHERE id = ANY($3::uuid[]))
      SELECT c.org_id, c.card_key, c.at, c.outcome, c.reattempt, c.amount_minor, c.currency, c.amount_exponent,
             c.decline_class, c.not_before_seconds, c.transaction_id, c.attempt_id
        FROM k CROSS JOIN LATERAL (
          SELECT * FROM card_attempts a WHERE a.org_id = k.org_id AND a.card_key = k.card_key AND a.at > $4
          OFFSET 0) c""";
  /** The remembered successes of a group's keys, one primary-key probe per key ({@link KeyProbe}). */
  static final String SUCCESSES = KeyProbe.select("payment_successes", "occurred_at");

  /** What to load: transactions by id, card histories and successes by key, tenants by id. */
  record Request(Collection<UUID> transactionIds, List<GroupState.CardRef> cards, List<GroupState.KeyRef> successKeys,
                 Collection<UUID> orgIds, Instant historySince) {}

  private final RetryPolicies defaults;
  private final TenantSettings tenants;

  /** {@code tenantTtlMillis}: how long a tenant's zone and policy overrides are cached. */
  StateLoader(RetryPolicies defaults, long tenantTtlMillis) {
    this.defaults = defaults;
    this.tenants = new TenantSettings(defaults, tenantTtlMillis);
  }

  /** The lookback of card histories: the longest network-limit window. */
  static Duration historyWindow(RetryPolicies policies) {
    var l = policies.networkLimits();
    Duration max = l.visaWindow();
    for (Duration d : List.of(l.mastercardDeclineWindow(), l.mastercardSameAmountWindow())) {
      max = d.compareTo(max) > 0 ? d : max;
    }
    return max;
  }

  Future<GroupState> load(SqlConnection conn, Request req) {
    UUID[] txIds = req.transactionIds().toArray(UUID[]::new);
    // a group of first failures touches no existing transaction: two statements fewer
    Future<RowSet<Row>> txs = txIds.length == 0 ? Future.succeededFuture(null)
        : conn.preparedQuery(LOCK_TRANSACTIONS).execute(Tuple.tuple().addArrayOfUUID(txIds));
    Future<RowSet<Row>> attempts = txIds.length == 0 ? Future.succeededFuture(null)
        : conn.preparedQuery(ATTEMPTS).execute(Tuple.tuple().addArrayOfUUID(txIds));
    Future<RowSet<Row>> history = conn.preparedQuery(HISTORY).execute(Tuple.tuple()
        .addArrayOfUUID(req.cards().stream().map(GroupState.CardRef::orgId).toArray(UUID[]::new))
        .addArrayOfString(req.cards().stream().map(GroupState.CardRef::cardKey).toArray(String[]::new))
        .addArrayOfUUID(txIds)
        .addOffsetDateTime(WriteSql.odt(req.historySince())));
    Future<RowSet<Row>> successes = req.successKeys().isEmpty() ? Future.succeededFuture(null)
        : conn.preparedQuery(SUCCESSES).execute(Tuple.tuple()
            .addArrayOfUUID(req.successKeys().stream().map(GroupState.KeyRef::orgId).toArray(UUID[]::new))
            .addArrayOfString(req.successKeys().stream().map(GroupState.KeyRef::psp).toArray(String[]::new))
            .addArrayOfString(req.successKeys().stream().map(GroupState.KeyRef::key).toArray(String[]::new)));
    Future<Void> tenantsLoaded = tenants.refresh(conn, req.orgIds());
    return Future.all(txs, attempts, history, successes, tenantsLoaded).map(all -> {
      GroupState s = new GroupState(defaults);
      for (Row r : txIds.length == 0 ? List.<Row>of() : txs.result()) {
        s.add(TxState.fromRow(r));
      }
      if (txIds.length > 0) {
        RowSet<Row> rows = attempts.result();
        Columns c = new Columns(rows);
        int id = c.of("id");
        int createdAt = c.of("created_at");
        int txId = c.of("transaction_id");
        int no = c.of("attempt_no");
        int key = c.of("idempotency_key");
        int status = c.of("status");
        int due = c.of("due_at");
        int calls = c.of("calls");
        int decision = c.of("decision_id");
        for (Row r : rows) {
          TxState tx = s.transactions.get(r.getUUID(txId));
          if (tx != null) {
            tx.attempts.add(new AttemptRef(r.getUUID(id), r.getOffsetDateTime(createdAt), r.getInteger(no),
                r.getString(key), r.getString(status), TxState.instant(r, due), r.getInteger(calls),
                r.getUUID(decision)));
          }
        }
      }
      HistoryColumns h = new HistoryColumns(new Columns(history.result()));
      for (Row r : history.result()) {
        s.history.computeIfAbsent(new GroupState.CardRef(r.getUUID(h.orgId), r.getString(h.cardKey)),
            k -> new java.util.ArrayList<>()).add(new GroupState.HistoryEntry(r.getUUID(h.transactionId),
            r.getUUID(h.attemptId), cardAttempt(r, h)));
      }
      if (successes.result() != null) {
        Columns c = new Columns(successes.result());
        int org = c.of("org_id");
        int psp = c.of("psp");
        int key = c.of("key");
        int at = c.of("occurred_at");
        for (Row r : successes.result()) {
          s.rememberSuccess(r.getUUID(org), r.getString(psp), r.getString(key), TxState.instant(r, at));
        }
      }
      tenants.fill(s, req.orgIds());
      return s;
    });
  }

  /** Where each column of a {@link #HISTORY} row is. */
  private static final class HistoryColumns {
    final int orgId;
    final int cardKey;
    final int at;
    final int outcome;
    final int reattempt;
    final int amountMinor;
    final int currency;
    final int amountExponent;
    final int declineClass;
    final int notBeforeSeconds;
    final int transactionId;
    final int attemptId;

    HistoryColumns(Columns c) {
      orgId = c.of("org_id");
      cardKey = c.of("card_key");
      at = c.of("at");
      outcome = c.of("outcome");
      reattempt = c.of("reattempt");
      amountMinor = c.of("amount_minor");
      currency = c.of("currency");
      amountExponent = c.of("amount_exponent");
      declineClass = c.of("decline_class");
      notBeforeSeconds = c.of("not_before_seconds");
      transactionId = c.of("transaction_id");
      attemptId = c.of("attempt_id");
    }
  }

  private static CardAttempt cardAttempt(Row r, HistoryColumns c) {
    Long minor = r.getLong(c.amountMinor);
    String currency = r.getString(c.currency);
    Short exponent = r.getShort(c.amountExponent);
    Money amount = minor == null || currency == null ? null
        : new Money(minor, currency, exponent == null ? 2 : exponent);
    String cls = r.getString(c.declineClass);
    return new CardAttempt(TxState.instant(r, c.at), amount, outcome(r.getString(c.outcome)),
        r.getBoolean(c.reattempt), cls == null ? null : DeclineClass.valueOf(cls),
        Duration.ofSeconds(r.getLong(c.notBeforeSeconds)));
  }

  static CardAttempt.Outcome outcome(String s) {
    return switch (s) {
      case "approved" -> CardAttempt.Outcome.APPROVED;
      case "declined" -> CardAttempt.Outcome.DECLINED;
      case "error" -> CardAttempt.Outcome.ERROR;
      default -> CardAttempt.Outcome.SCHEDULED;
    };
  }
}
