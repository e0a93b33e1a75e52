package io.tinko.engine.recovery;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Records the outcome of a claimed attempt in one database transaction: the transaction row locked first (the
 * pipeline's lock order), then the attempt updated only if this executor's claim still holds
 * ({@code status = 'running' AND claimed_at = <ours>}). A claim that outlived its lease may have been taken over by
 * another engine, which resends the same key and gets the PSP's stored answer: then this outcome is dropped, and
 * the effects are recorded once, by the other.
 */
public final class OutcomeRecorder {
  static final String FINISH = """
      UPDATE recovery_attempts SET status = $4, due_at = coalesce($5, due_at),
             finished_at = CASE WHEN $4 IN ('scheduled', 'running') THEN NULL ELSE now() END,
             outcome_code = $6, outcome_detail = $7, psp_ref = coalesce($8, psp_ref)
       WHERE id = $1 AND created_at = $2 AND status = 'running' AND claimed_at = $3""";

  private final Pool pool;
  private final StateLoader loader;
  private final OutcomeApplier applier;
  private final Clock clock;
  private final Duration historyWindow;

  OutcomeRecorder(Pool pool, StateLoader loader, OutcomeApplier applier, Clock clock, Duration historyWindow) {
    this.pool = pool;
    this.loader = loader;
    this.applier = applier;
    this.clock = clock;
    this.historyWindow = historyWindow;
  }

  /** Resolves to false when the claim was lost (nothing recorded). */
  public Future<Boolean> record(ClaimRef claim, ChargeResult result) {
    return pool.withTransaction(conn -> recordIn(conn, claim, result));
  }

  private Future<Boolean> recordIn(SqlConnection conn, ClaimRef claim, ChargeResult result) {
    Instant now = clock.instant();
    StateLoader.Request req = new StateLoader.Request(List.of(claim.transactionId()), List.of(), List.of(),
        List.of(claim.orgId()), now.minus(historyWindow));
    return loader.load(conn, req).compose(state -> {
      TxState tx = state.transactions.get(claim.transactionId());
      AttemptRef a = tx == null ? null : tx.attempts.stream().filter(x -> x.id.equals(claim.id())).findFirst()
          .orElse(null);
      if (a == null || !AttemptRef.RUNNING.equals(a.status)) {
        return Future.succeededFuture(false);
      }
      Writes w = new Writes();
      applier.apply(state, w, tx, a, result, claim.calls(), now);
      JsonObject detail = new JsonObject().put("kind", result.kind().name()).put("calls", claim.calls());
      if (result.detail() != null) {
        detail.put("detail", result.detail());
      }
      if (!result.codes().isEmpty()) {
        detail.put("codes", JsonObject.mapFrom(result.codes()));
      }
      boolean resend = AttemptRef.SCHEDULED.equals(a.status);
      return conn.preparedQuery(FINISH).execute(Tuple.of(claim.id(), claim.createdAt(),
              WriteSql.odt(claim.claimedAt()), a.status, resend ? WriteSql.odt(a.dueAt) : null, result.code(),
              detail, result.pspRef()))
          .compose(rows -> rows.rowCount() == 0 ? Future.succeededFuture(false)
              : WriteSql.flush(conn, w).map(true));
    });
  }
}
