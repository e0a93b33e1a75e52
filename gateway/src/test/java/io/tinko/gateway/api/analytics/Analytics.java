package io.tinko.gateway.api.analytics;

import io.tinko.analytics.AnalyticsJob;
import io.tinko.analytics.AnalyticsSettings;
import io.tinko.analytics.Outcome;
import io.tinko.analytics.RunReport;
import io.tinko.analytics.RunRequest;
import io.tinko.testing.TestDatabase;
import java.io.OutputStream;
import java.io.PrintStream;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/** Test support: payments as the engine leaves them, and the real batch job that turns them into rollups. */
final class Analytics {
  private final TestDatabase db;

  Analytics(TestDatabase db) {
    this.db = db;
  }

  /** Runs the job once; fails the test unless it built (or found nothing to do). */
  void build() {
    RunReport r = new AnalyticsJob(db::jdbc, AnalyticsSettings.defaults(),
        new PrintStream(OutputStream.nullOutputStream()), new PrintStream(OutputStream.nullOutputStream()))
        .run(RunRequest.incremental(false));
    if (r.outcome() != Outcome.DONE && r.outcome() != Outcome.NOTHING_TO_DO) {
      throw new AssertionError("analytics job: " + r.summary());
    }
  }

  void partitions(LocalDate month, int months) {
    for (int i = 0; i < months; i++) {
      db.execute("SELECT tinko_ensure_month_partition('recovery_attempts', ?)", month.withDayOfMonth(1).plusMonths(i));
    }
  }

  UUID tx(UUID org, String psp, String status, String cls, String code, long amount, String currency, int exponent,
          String failedAt, String recoveredAt, String recoveredBy) {
    UUID id = UUID.randomUUID();
    Instant failed = Instant.parse(failedAt);
    Instant recovered = recoveredAt == null ? null : Instant.parse(recoveredAt);
    db.execute("""
        INSERT INTO transactions (id, org_id, psp, endpoint_id, psp_payment_key, amount_minor, currency,
               amount_exponent, status, decline_class, decline_code, failed_at, recovered_at, recovered_by,
               last_event_at, created_at)
        VALUES (?, ?, ?, 'ep_analytics', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        id, org, psp, "pk_" + id, amount, currency, (short) exponent, status, cls, code, Timestamp.from(failed),
        recovered == null ? null : Timestamp.from(recovered), recoveredBy,
        Timestamp.from(recovered == null ? failed : recovered), Timestamp.from(failed));
    return id;
  }

  void attempt(UUID org, UUID tx, int no, String status, String at) {
    Timestamp t = Timestamp.from(Instant.parse(at));
    db.execute("""
        INSERT INTO recovery_attempts (id, org_id, transaction_id, attempt_no, due_at, status, idempotency_key,
               finished_at, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        UUID.randomUUID(), org, tx, no, t, status, "idem-" + tx + "-" + no, t, t);
    if (java.util.Set.of("succeeded", "declined", "error").contains(status)) {
      // as the engine counts it on the row, in the same database transaction as the outcome
      db.execute("UPDATE transactions SET retries_made = retries_made + 1 WHERE id = ?", tx);
    }
  }
}
