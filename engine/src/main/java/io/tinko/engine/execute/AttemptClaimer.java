package io.tinko.engine.execute;

import io.tinko.common.domain.Psp;
import io.tinko.engine.normalize.Money;
import io.tinko.engine.recovery.ClaimRef;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Claims due attempts with {@code FOR UPDATE SKIP LOCKED}, so any number of engine processes share the work without
 * taking the same row: a claimed row becomes {@code running} with {@code claimed_at} and one more {@code calls}. A
 * row left {@code running} past the lease (its engine died between claim and record) is due again; it is resent
 * with the same idempotency key.
 */
public final class AttemptClaimer {
  static final String CLAIM = """
      WITH due AS (
        SELECT id, created_at FROM recovery_attempts
         WHERE (status = 'scheduled' AND due_at <= $1) OR (status = 'running' AND claimed_at < $2)
         ORDER BY due_at
         LIMIT $3
         FOR UPDATE SKIP LOCKED)
      UPDATE recovery_attempts a SET status = 'running', claimed_at = $1, calls = a.calls + 1
        FROM due WHERE a.id = due.id AND a.created_at = due.created_at
      RETURNING a.id, a.created_at, a.org_id, a.transaction_id, a.attempt_no, a.idempotency_key, a.psp_ref, a.calls,
                a.claimed_at""";
  static final String DETAILS = """
      SELECT t.id, t.psp, t.status, t.endpoint_id, t.invoice_id, t.payment_id, t.subscription_id, t.customer_id,
             t.payment_method_id, t.customer_email, t.amount_minor, t.currency, t.amount_exponent,
             c.api_base_url, c.credentials_enc, c.status AS connection_status
        FROM transactions t LEFT JOIN psp_connections c ON c.id = t.endpoint_id
       WHERE t.id = ANY($1::uuid[])""";
  static final String SAVE_REF = """
      UPDATE recovery_attempts SET psp_ref = $4
       WHERE id = $1 AND created_at = $2 AND status = 'running' AND claimed_at = $3""";

  private final Pool pool;

  public AttemptClaimer(Pool pool) {
    this.pool = pool;
  }

  /** Claims at most {@code limit} attempts due at {@code now}. */
  public Future<List<ClaimedAttempt>> claim(Instant now, Duration lease, int limit) {
    Instant at = now.truncatedTo(ChronoUnit.MICROS);
    return pool.preparedQuery(CLAIM).execute(Tuple.of(at.atOffset(ZoneOffset.UTC),
        at.minus(lease).atOffset(ZoneOffset.UTC), limit)).compose(claimed -> {
          if (claimed.size() == 0) {
            return Future.succeededFuture(List.of());
          }
          List<Row> rows = new ArrayList<>();
          claimed.forEach(rows::add);
          UUID[] txIds = rows.stream().map(r -> r.getUUID("transaction_id")).distinct().toArray(UUID[]::new);
          return pool.preparedQuery(DETAILS).execute(Tuple.tuple().addArrayOfUUID(txIds)).map(details -> {
            Map<UUID, Row> byTx = new HashMap<>();
            details.forEach(r -> byTx.put(r.getUUID("id"), r));
            List<ClaimedAttempt> out = new ArrayList<>();
            for (Row a : rows) {
              Row t = byTx.get(a.getUUID("transaction_id"));
              if (t != null) {
                out.add(claimed(a, t));
              }
            }
            return out;
          });
        });
  }

  /** Stores the PSP object made before the charge; fails when the claim is no longer ours (then do not charge). */
  public Future<Void> saveRef(ClaimRef ref, String pspRef) {
    return pool.preparedQuery(SAVE_REF).execute(Tuple.of(ref.id(), ref.createdAt(),
            ref.claimedAt().atOffset(ZoneOffset.UTC), pspRef))
        .compose(rows -> rows.rowCount() == 1 ? Future.succeededFuture()
            : Future.failedFuture(new IllegalStateException("attempt " + ref.id() + " is no longer claimed by us")));
  }

  private static ClaimedAttempt claimed(Row a, Row t) {
    ClaimRef ref = new ClaimRef(a.getUUID("id"), a.getOffsetDateTime("created_at"),
        a.getOffsetDateTime("claimed_at").toInstant(), a.getUUID("org_id"), a.getUUID("transaction_id"),
        a.getInteger("calls"));
    Long minor = t.getLong("amount_minor");
    Short exponent = t.getShort("amount_exponent");
    Money amount = minor == null || t.getString("currency") == null ? null
        : new Money(minor, t.getString("currency"), exponent == null ? 2 : exponent);
    Buffer enc = t.getBuffer("credentials_enc");
    return new ClaimedAttempt(ref, a.getInteger("attempt_no"), a.getString("idempotency_key"), a.getString("psp_ref"),
        Psp.parse(t.getString("psp")).orElse(Psp.STANDARD), t.getString("status"), t.getString("endpoint_id"),
        t.getString("invoice_id"), t.getString("payment_id"), t.getString("subscription_id"),
        t.getString("customer_id"), t.getString("payment_method_id"), t.getString("customer_email"), amount,
        t.getString("api_base_url"), enc == null ? null : enc.getBytes(), t.getString("connection_status"));
  }
}
