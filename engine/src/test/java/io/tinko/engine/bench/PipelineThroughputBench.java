package io.tinko.engine.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinko.common.bus.InboundEvent;
import io.tinko.engine.ingest.EventProcessor;
import io.tinko.engine.support.Await;
import io.tinko.engine.support.EngineHarness;
import io.tinko.engine.support.Events;
import io.tinko.testing.PostgresExtension;
import io.tinko.testing.TestDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The pipeline alone, without the gateway: N distinct Stripe charge.failed events stored, then processed in
 * groups of 256 with two groups in flight (as InboundEventConsumer does). Prints events/s and group times.
 * Also prints the CPU the test JVM and the Postgres processes (the postmaster and its children) used per event
 * during the timed part, from {@code /proc}. {@code -Dtinko.bench.warmup=<events>} first processes that many events of
 * another tenant, untimed, so the timed part measures a compiled pipeline rather than the JIT compiler.
 * Run: {@code ./mvnw -o -pl common,engine -am test -Dtest=PipelineThroughputBench
 * -Dsurefire.failIfNoSpecifiedTests=false -Dtinko.bench=30000}.
 */
@ExtendWith({VertxExtension.class, PostgresExtension.class})
class PipelineThroughputBench {

  @Test
  @DisplayName("pipeline throughput (skipped unless -Dtinko.bench=<events>)")
  void throughput(Vertx vertx, TestDatabase database) {
    int n = Integer.getInteger("tinko.bench", 0);
    Assumptions.assumeTrue(n > 0, "set -Dtinko.bench=<events> to run");
    try (EngineHarness h = new EngineHarness(vertx, database, Instant.ofEpochSecond(1740785460))) {
      var org = h.db.organization("UTC");
      List<InboundEvent> events = storeFailures(h, org, "b", "fp", n);
      EventProcessor a = h.newPipeline();
      EventProcessor b = h.newPipeline();
      int warmup = Integer.getInteger("tinko.bench.warmup", 0);
      if (warmup > 0) {
        // another tenant's events, untimed: the JIT compiles the pipeline without touching the timed cards' history
        List<InboundEvent> warm = storeFailures(h, h.db.organization("UTC"), "w", "fw", warmup);
        for (int i = 0; i < warmup; i += 512) {
          List<InboundEvent> g1 = warm.subList(i, Math.min(warmup, i + 256));
          List<InboundEvent> g2 = warm.subList(Math.min(warmup, i + 256), Math.min(warmup, i + 512));
          Await.await(Future.all(a.process(g1), g2.isEmpty() ? Future.succeededFuture() : b.process(g2)));
        }
        System.out.println("warm-up: " + warmup + " events of another tenant processed before the timed part");
      }
      long postmaster = ProcCpu.parentOf(h.db.count(
          "SELECT pid FROM pg_stat_activity WHERE backend_type = 'checkpointer'"));
      boolean statements = Boolean.getBoolean("tinko.bench.pgStatements");
      if (statements) {
        // needs a Postgres that preloads pg_stat_statements (TINKO_TEST_PG_URL); reset so only the timed part counts
        h.db.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        h.db.count("SELECT count(*) FROM (SELECT pg_stat_statements_reset()) r");
      }
      ProcCpu.Snapshot first = ProcCpu.snapshot(postmaster);
      ProcCpu.Snapshot half = null;
      int halfAt = 0;
      List<Long> groupMs = new ArrayList<>();
      for (int i = 0; i < n; i += 512) {
        if (half == null && i >= n / 2) {
          half = ProcCpu.snapshot(postmaster);
          halfAt = i;
          System.out.println("second half from " + Instant.now());
        }
        List<InboundEvent> g1 = events.subList(i, Math.min(n, i + 256));
        List<InboundEvent> g2 = events.subList(Math.min(n, i + 256), Math.min(n, i + 512));
        long s = System.nanoTime();
        if (Boolean.getBoolean("tinko.bench.serial")) {
          Await.await(a.process(g1));
          Await.await(g2.isEmpty() ? Future.succeededFuture() : b.process(g2));
        } else {
          Await.await(Future.all(a.process(g1), g2.isEmpty() ? Future.succeededFuture() : b.process(g2)));
        }
        groupMs.add((System.nanoTime() - s) / 1_000_000);
      }
      ProcCpu.Snapshot last = ProcCpu.snapshot(postmaster);
      double secs = (last.nanos() - first.nanos()) / 1e9;
      groupMs.sort(null);
      System.out.printf("pipeline: %d events in %.2f s = %.0f events/s; pair of groups p50 %d ms, max %d ms%n", n, secs,
          n / secs, groupMs.get(groupMs.size() / 2), groupMs.get(groupMs.size() - 1));
      System.out.print(ProcCpu.report("all " + n + " events", first, last, n));
      // the first half includes most of the JIT compiler's work; the second is closer to a warm engine
      System.out.print(ProcCpu.report("second half (" + (n - halfAt) + " events)", half, last, n - halfAt));
      if (statements) {
        printStatements(h, n);
      }
      assertThat(h.db.count("SELECT count(*) FROM decisions WHERE org_id = ?", org)).isEqualTo(n);
    }
  }

  /** Postgres's execution time per timed event, by statement (pg_stat_statements), largest first. */
  private static void printStatements(EngineHarness h, int n) {
    System.out.printf("Postgres statements during the timed part (exec time per event, calls, rows, buffers):%n");
    for (var r : h.db.rows("SELECT total_exec_time, calls, rows, shared_blks_hit + shared_blks_read blks, left(regexp_replace(query, '\\s+', ' ', 'g'), 110) q"
        + " FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%'"
        + " ORDER BY total_exec_time DESC LIMIT 20")) {
      double ms = ((Number) r.get("total_exec_time")).doubleValue();
      System.out.printf("  %7.1f µs  %8d calls  %9d rows  %10d buffers  %s%n", ms * 1000 / n,
          ((Number) r.get("calls")).longValue(), ((Number) r.get("rows")).longValue(),
          ((Number) r.get("blks")).longValue(), r.get("q"));
    }
    for (var r : h.db.rows("SELECT relname, seq_scan, seq_tup_read, idx_scan, n_live_tup, last_autoanalyze"
        + " FROM pg_stat_user_tables WHERE relname IN ('card_attempts', 'transactions', 'transaction_keys',"
        + " 'recovery_attempts', 'payment_successes') ORDER BY relname")) {
      System.out.println("  " + r);
    }
  }

  /**
   * {@code n} distinct Stripe charge.failed events of one tenant, stored: invoice, charge and payment intent ids
   * {@code <kind>_<tag><i>}, over 5,000 cards (fingerprints {@code <cardTag><i % 5000>}).
   */
  private static List<InboundEvent> storeFailures(EngineHarness h, java.util.UUID org, String tag, String cardTag,
                                                  int n) {
    String ep = h.db.connection(org, "stripe", null, null);
    List<byte[]> bodies = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      bodies.add(Events.fixture("stripe/charge.failed.json", "in_1QtK9pLkdIwHu7ixMq2Jv8Yd", "in_" + tag + i,
          "ch_3QtK9qLkdIwHu7ix0Dd4Rk7S", "ch_" + tag + i, "pi_3QtK9qLkdIwHu7ix0Ge5Ty1U", "pi_" + tag + i,
          "Xt5EWLLDS7FJjR1c", cardTag + (i % 5000)));
    }
    return h.db.storeAll(ep, org, "stripe", "charge.failed", bodies);
  }
}
