package io.tinko.engine.dunning;

import static io.tinko.common.db.SqlArrays.col;

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
 * steps with {@code FOR UPDATE SKIP LOCKED}, issuing a pass's links, and recording the pass's step ends together with
 * their notification-log rows — a few statements per pass, whatever its size.
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
  /** The links of a pass's emails, all in one statement (one round trip and one commit for the whole pass). */
  static final String LINKS = """
      INSERT INTO recovery_links (id, org_id, transaction_id, step_id, purpose, key_id, expires_at)
      SELECT l.id, l.org_id, l.tx, l.step, l.purpose, $6, $7
        FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[]) AS l(id, org_id, tx, step, purpose)""";
  /**
   * Every step of a pass ends (finished_at stamped) or goes back to 'scheduled' for its next try (retry_at, the new
   * due time; finished_at kept) — only if this sender's claim still holds it. The array membership keeps the plan on
   * the primary key whatever the statistics say.
   */
  static final String FINISH = """
      UPDATE dunning_steps s SET status = u.status, due_at = coalesce(u.retry_at, s.due_at),
             finished_at = CASE WHEN u.retry_at IS NULL THEN now() ELSE s.finished_at END, last_error = u.error
        FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::timestamptz[], $5::text[])
             AS u(id, claimed_at, status, retry_at, error)
       WHERE s.id = u.id AND s.status = 'sending' AND s.claimed_at = u.claimed_at AND s.id = ANY($1)""";
  static final String LOG = """
      INSERT INTO notification_log (id, org_id, transaction_id, step_id, step_no, recipient, template, locale, status,
                                    provider_message_id, error)
      SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::int4[], $6::text[], $7::text[],
                           $8::text[], $9::text[], $10::text[], $11::text[])""";

  /** A claimed step with what its email needs; null fields when the transaction is gone. */
  record Claimed(UUID id, UUID orgId, UUID transactionId, String declineClass, int stepNo, String template, int tries,
                 OffsetDateTime claimedAt, Row tx) {}

  /** One link of a step's email. */
  record Link(UUID id, Claimed step, String purpose) {}

  /**
   * How a claimed step ends: {@code stepStatus} with {@code retryAt} null, or back to 'scheduled' due at
   * {@code retryAt}; {@code logStatus} null writes no notification-log row.
   */
  record Outcome(Claimed step, String stepStatus, Instant retryAt, String logStatus, String recipient, String lang,
                 String messageId, String error) {
    /** The outcome counted in tinko_dunning_emails_total. */
    String counted() {
      return logStatus != null ? logStatus : stepStatus;
    }
  }

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

  /**
   * How late the dunning emails run: from the oldest step due but not sent, or the oldest enrolment not yet planned
   * (its first email is usually due at once), to {@code now}. Both are the first entries of partial indexes.
   */
  static final String LAG = """
      SELECT greatest(0, extract(epoch FROM $1::timestamptz - least(
        (SELECT min(due_at) FROM dunning_steps WHERE status = 'scheduled' AND due_at <= $1),
        (SELECT min(enrolled_at) FROM dunning_enrolments WHERE planned_at IS NULL))))::float8""";

  /** Seconds the oldest waiting email is late ({@link #LAG}); 0 when none waits. */
  Future<Double> lagSeconds(Instant now) {
    return pool.preparedQuery(LAG).execute(Tuple.of(now.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC)))
        .map(rows -> {
          Double lag = rows.iterator().next().getDouble(0);
          return lag == null ? 0.0 : lag;
        });
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

  /** Issues the links of a pass's emails. */
  Future<Void> links(List<Link> links, String keyId, Instant expiresAt) {
    return pool.preparedQuery(LINKS).execute(Tuple.tuple()
        .addArrayOfUUID(col(links, Link::id, UUID[]::new))
        .addArrayOfUUID(col(links, l -> l.step().orgId(), UUID[]::new))
        .addArrayOfUUID(col(links, l -> l.step().transactionId(), UUID[]::new))
        .addArrayOfUUID(col(links, l -> l.step().id(), UUID[]::new))
        .addArrayOfString(col(links, Link::purpose, String[]::new))
        .addValue(keyId).addValue(expiresAt.atOffset(ZoneOffset.UTC))).mapEmpty();
  }

  /** The pass's steps' ends or next tries, with their notification-log rows, in one transaction. */
  Future<Void> finish(List<Outcome> outcomes) {
    if (outcomes.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Outcome> logged = outcomes.stream().filter(o -> o.logStatus() != null).toList();
    return pool.withTransaction(conn -> {
      Future<?> steps = conn.preparedQuery(FINISH).execute(Tuple.tuple()
          .addArrayOfUUID(col(outcomes, o -> o.step().id(), UUID[]::new))
          .addArrayOfOffsetDateTime(col(outcomes, o -> o.step().claimedAt(), OffsetDateTime[]::new))
          .addArrayOfString(col(outcomes, o -> o.retryAt() == null ? o.stepStatus() : "scheduled", String[]::new))
          .addArrayOfOffsetDateTime(col(outcomes, o -> o.retryAt() == null ? null
              : o.retryAt().atOffset(ZoneOffset.UTC), OffsetDateTime[]::new))
          .addArrayOfString(col(outcomes, Outcome::error, String[]::new)));
      Future<?> log = logged.isEmpty() ? Future.succeededFuture() : conn.preparedQuery(LOG).execute(Tuple.tuple()
          .addArrayOfUUID(col(logged, o -> UUID.randomUUID(), UUID[]::new))
          .addArrayOfUUID(col(logged, o -> o.step().orgId(), UUID[]::new))
          .addArrayOfUUID(col(logged, o -> o.step().transactionId(), UUID[]::new))
          .addArrayOfUUID(col(logged, o -> o.step().id(), UUID[]::new))
          .addArrayOfInteger(col(logged, o -> o.step().stepNo(), Integer[]::new))
          .addArrayOfString(col(logged, Outcome::recipient, String[]::new))
          .addArrayOfString(col(logged, o -> o.step().template(), String[]::new))
          .addArrayOfString(col(logged, Outcome::lang, String[]::new))
          .addArrayOfString(col(logged, Outcome::logStatus, String[]::new))
          .addArrayOfString(col(logged, Outcome::messageId, String[]::new))
          .addArrayOfString(col(logged, Outcome::error, String[]::new)));
      return Future.all(steps, log).mapEmpty();
    });
  }
}
