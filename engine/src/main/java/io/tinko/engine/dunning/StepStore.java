package io.tinko.engine.dunning;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * The dunning tables: turning enrolments (written by a trigger with the engine's decision) into steps, claiming due
 * steps with {@code FOR UPDATE SKIP LOCKED}, and recording each step's end together with its notification-log row.
 */
final class StepStore {
  static final String PLAN = """
      WITH todo AS (
        SELECT transaction_id, decline_class FROM dunning_enrolments WHERE planned_at IS NULL
         ORDER BY enrolled_at LIMIT $1 FOR UPDATE SKIP LOCKED)
      UPDATE dunning_enrolments e SET planned_at = now() FROM todo
       WHERE e.transaction_id = todo.transaction_id AND e.decline_class = todo.decline_class
      RETURNING e.transaction_id, e.decline_class, e.org_id, e.enrolled_at,
        (SELECT s.sequence FROM dunning_sequences s WHERE s.org_id = e.org_id AND s.decline_class = e.decline_class)
          AS custom""";
  static final String INSERT_STEPS = """
      INSERT INTO dunning_steps (id, org_id, transaction_id, decline_class, step_no, template, due_at, status)
      SELECT i.id, i.org_id, i.tx, i.cls, i.no, i.tpl, i.due, 'scheduled'
        FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::int[], $6::text[], $7::timestamptz[])
             AS i(id, org_id, tx, cls, no, tpl, due)
        JOIN transactions t ON t.id = i.tx AND t.status <> 'recovered'
      ON CONFLICT DO NOTHING""";
  /** A new class's sequence supersedes the one a transaction was in (e.g. a soft decline, then an expired card). */
  static final String SUPERSEDE = """
      UPDATE dunning_steps s SET status = 'cancelled', finished_at = now()
        FROM unnest($1::uuid[], $2::text[]) AS n(tx, cls)
       WHERE s.transaction_id = n.tx AND s.decline_class <> n.cls AND s.status = 'scheduled'""";
  /**
   * Due steps, and steps whose sender's lease ran out. A step was due when it was claimed, so both kinds have
   * {@code due_at <= now}: said once for both, it bounds the scan of the due index to the due range (with the
   * bound inside the OR only, a pass that found fewer than its limit read every future step of every sequence).
   */
  static final String CLAIM = """
      WITH due AS (
        SELECT id FROM dunning_steps
         WHERE due_at <= $1 AND (status = 'scheduled' OR (status = 'sending' AND claimed_at < $2))
         ORDER BY due_at LIMIT $3 FOR UPDATE SKIP LOCKED)
      UPDATE dunning_steps s SET status = 'sending', claimed_at = $1, tries = s.tries + 1 FROM due WHERE s.id = due.id
      RETURNING s.id, s.org_id, s.transaction_id, s.decline_class, s.step_no, s.template, s.tries, s.claimed_at""";
  static final String DETAILS = """
      SELECT t.id, t.status, t.psp, t.customer_email, t.customer_locale, t.amount_minor, t.currency,
             t.amount_exponent, o.name, b.display_name, b.logo_url, b.support_email, b.reply_to,
             EXISTS (SELECT 1 FROM dunning_unsubscribes u
                      WHERE u.org_id = t.org_id AND u.email = lower(t.customer_email)) AS unsubscribed
        FROM transactions t JOIN organizations o ON o.id = t.org_id
        LEFT JOIN tenant_branding b ON b.org_id = t.org_id
       WHERE t.id = ANY($1::uuid[])""";
  /** A step's links, all in one statement (one round trip and one commit for the email's pay and stop links). */
  static final String LINKS = """
      INSERT INTO recovery_links (id, org_id, transaction_id, step_id, purpose, key_id, expires_at)
      SELECT l.id, $2, $3, $4, l.purpose, $5, $6 FROM unnest($1::uuid[], $7::text[]) AS l(id, purpose)""";
  static final String FINISH = """
      UPDATE dunning_steps SET status = $3, finished_at = now(), last_error = $4
       WHERE id = $1 AND status = 'sending' AND claimed_at = $2""";
  static final String RESCHEDULE = """
      UPDATE dunning_steps SET status = 'scheduled', due_at = $3, last_error = $4
       WHERE id = $1 AND status = 'sending' AND claimed_at = $2""";
  static final String LOG = """
      INSERT INTO notification_log (id, org_id, transaction_id, step_id, step_no, recipient, template, locale, status,
                                    provider_message_id, error)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)""";

  /** A claimed step with what its email needs; null fields when the transaction is gone. */
  record Claimed(UUID id, UUID orgId, UUID transactionId, String declineClass, int stepNo, String template, int tries,
                 OffsetDateTime claimedAt, Row tx) {}

  private final Pool pool;

  StepStore(Pool pool) {
    this.pool = pool;
  }

  /** Writes the steps of at most {@code limit} new enrolments; the number planned. */
  Future<Integer> plan(int limit, BiFunction<String, JsonObject, List<DunningSequences.Step>> sequence) {
    return pool.withTransaction(conn -> conn.preparedQuery(PLAN).execute(Tuple.of(limit)).compose(rows -> {
      List<Object[]> steps = new ArrayList<>();
      for (Row r : rows) {
        Object custom = r.getValue("custom");
        List<DunningSequences.Step> seq = sequence.apply(r.getString("decline_class"),
            custom instanceof JsonObject o ? o : null);
        OffsetDateTime start = r.getOffsetDateTime("enrolled_at");
        for (int i = 0; i < seq.size(); i++) {
          steps.add(new Object[] {UUID.randomUUID(), r.getUUID("org_id"), r.getUUID("transaction_id"),
              r.getString("decline_class"), i + 1, seq.get(i).template(), start.plus(seq.get(i).after())});
        }
      }
      List<UUID> txs = new ArrayList<>();
      List<String> classes = new ArrayList<>();
      rows.forEach(r -> {
        txs.add(r.getUUID("transaction_id"));
        classes.add(r.getString("decline_class"));
      });
      Future<?> superseded = txs.isEmpty() ? Future.succeededFuture() : conn.preparedQuery(SUPERSEDE).execute(
          Tuple.tuple().addArrayOfUUID(txs.toArray(UUID[]::new)).addArrayOfString(classes.toArray(String[]::new)));
      return superseded.compose(v -> insertSteps(conn, steps)).map(rows.size());
    }));
  }

  private static Future<Void> insertSteps(SqlConnection conn, List<Object[]> s) {
    if (s.isEmpty()) {
      return Future.succeededFuture();
    }
    return conn.preparedQuery(INSERT_STEPS).execute(Tuple.tuple()
        .addArrayOfUUID(s.stream().map(a -> (UUID) a[0]).toArray(UUID[]::new))
        .addArrayOfUUID(s.stream().map(a -> (UUID) a[1]).toArray(UUID[]::new))
        .addArrayOfUUID(s.stream().map(a -> (UUID) a[2]).toArray(UUID[]::new))
        .addArrayOfString(s.stream().map(a -> (String) a[3]).toArray(String[]::new))
        .addArrayOfInteger(s.stream().map(a -> (Integer) a[4]).toArray(Integer[]::new))
        .addArrayOfString(s.stream().map(a -> (String) a[5]).toArray(String[]::new))
        .addArrayOfOffsetDateTime(s.stream().map(a -> (OffsetDateTime) a[6]).toArray(OffsetDateTime[]::new)))
        .mapEmpty();
  }

  Future<List<Claimed>> claim(Instant now, long leaseSeconds, int limit) {
    Instant at = now.truncatedTo(ChronoUnit.MICROS);
    return pool.preparedQuery(CLAIM).execute(Tuple.of(at.atOffset(ZoneOffset.UTC),
        at.minusSeconds(leaseSeconds).atOffset(ZoneOffset.UTC), limit)).compose(claimed -> {
          if (claimed.size() == 0) {
            return Future.succeededFuture(List.of());
          }
          List<Row> rows = new ArrayList<>();
          claimed.forEach(rows::add);
          UUID[] tx = rows.stream().map(r -> r.getUUID("transaction_id")).distinct().toArray(UUID[]::new);
          return pool.preparedQuery(DETAILS).execute(Tuple.tuple().addArrayOfUUID(tx)).map(details -> {
            Map<UUID, Row> byTx = new HashMap<>();
            details.forEach(r -> byTx.put(r.getUUID("id"), r));
            List<Claimed> out = new ArrayList<>();
            for (Row r : rows) {
              out.add(new Claimed(r.getUUID("id"), r.getUUID("org_id"), r.getUUID("transaction_id"),
                  r.getString("decline_class"), r.getInteger("step_no"), r.getString("template"),
                  r.getInteger("tries"), r.getOffsetDateTime("claimed_at"), byTx.get(r.getUUID("transaction_id"))));
            }
            return out;
          });
        });
  }

  /** Issues the step's links: {@code ids[i]} for {@code purposes[i]}. */
  Future<Void> links(Claimed s, UUID[] ids, String[] purposes, String keyId, Instant expiresAt) {
    return pool.preparedQuery(LINKS).execute(Tuple.tuple().addArrayOfUUID(ids).addValue(s.orgId())
        .addValue(s.transactionId()).addValue(s.id()).addValue(keyId).addValue(expiresAt.atOffset(ZoneOffset.UTC))
        .addArrayOfString(purposes)).mapEmpty();
  }

  /** A log row for the step (null status: no row) and the step's end or its next try, in one transaction. */
  Future<Void> finish(Claimed s, String stepStatus, Instant retryAt, String logStatus, String recipient,
                      String lang, String messageId, String error) {
    return pool.withTransaction(conn -> {
      Future<?> step = retryAt == null
          ? conn.preparedQuery(FINISH).execute(Tuple.of(s.id(), s.claimedAt(), stepStatus, error))
          : conn.preparedQuery(RESCHEDULE).execute(Tuple.of(s.id(), s.claimedAt(), retryAt.atOffset(ZoneOffset.UTC),
              error));
      Future<?> log = logStatus == null ? Future.succeededFuture() : conn.preparedQuery(LOG).execute(Tuple.from(
          new Object[] {UUID.randomUUID(), s.orgId(), s.transactionId(), s.id(), s.stepNo(), recipient,
              s.template(), lang, logStatus, messageId, error}));
      return Future.all(step, log).mapEmpty();
    });
  }
}
