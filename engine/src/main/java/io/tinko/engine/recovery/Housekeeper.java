package io.tinko.engine.recovery;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forgets what no rule looks at any more: card history older than the longest network-limit window (planned rows
 * excepted) and remembered successes older than {@code successMemory}. Deletes in bounded batches so a big backlog
 * never holds long locks; idempotent, safe from every engine process.
 */
public final class Housekeeper extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(Housekeeper.class);
  static final String CARD_ROWS = """
      DELETE FROM card_attempts WHERE id IN (
        SELECT id FROM card_attempts WHERE at < $1 AND outcome <> 'scheduled' LIMIT $2)""";
  static final String SUCCESSES = """
      DELETE FROM payment_successes WHERE (org_id, psp, key, occurred_at) IN (
        SELECT org_id, psp, key, occurred_at FROM payment_successes WHERE occurred_at < $1 LIMIT $2)""";
  private static final int BATCH = 5000;

  private final Pool pool;
  private final Clock clock;
  private final Duration historyWindow;
  private final Duration successMemory;
  private final long intervalMs;
  private long timer = -1;

  public Housekeeper(Pool pool, Clock clock, Duration historyWindow, Duration successMemory, long intervalMs) {
    this.pool = pool;
    this.clock = clock;
    this.historyWindow = historyWindow;
    this.successMemory = successMemory;
    this.intervalMs = intervalMs;
  }

  @Override
  public Future<?> start() {
    timer = vertx.setPeriodic(intervalMs, t -> run());
    return Future.succeededFuture();
  }

  /** One pass: resolves to the rows deleted. Public for tests. */
  public Future<Integer> run() {
    var now = clock.instant();
    return sweep(CARD_ROWS, now.minus(historyWindow).atOffset(ZoneOffset.UTC), 0)
        .compose(n -> sweep(SUCCESSES, now.minus(successMemory).atOffset(ZoneOffset.UTC), n))
        .onSuccess(n -> {
          if (n > 0) {
            LOG.info("forgot {} card-history and success rows past their windows", n);
          }
        })
        .onFailure(err -> LOG.warn("housekeeping failed: {}", err.getMessage()));
  }

  private Future<Integer> sweep(String sql, java.time.OffsetDateTime before, int total) {
    return pool.preparedQuery(sql).execute(Tuple.of(before, BATCH)).compose(rows -> rows.rowCount() == BATCH
        ? sweep(sql, before, total + rows.rowCount()) : Future.succeededFuture(total + rows.rowCount()));
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }

  /** The card-history lookback of a set of policies (for wiring). */
  public static Duration historyWindow(io.tinko.engine.retry.RetryPolicies policies) {
    return StateLoader.historyWindow(policies);
  }
}
