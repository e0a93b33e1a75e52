package io.tinko.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinko.testing.PostgresExtension;
import io.tinko.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The advisory lock and the job's manners around other sessions' locks. */
@ExtendWith(PostgresExtension.class)
class OneRunAtATimeTest {
  private TestDatabase db;
  private Jobs jobs;
  private UUID tx;

  @BeforeEach
  void fixtures(TestDatabase database) {
    db = database;
    db.execute("TRUNCATE analytics_facts, analytics_daily, analytics_org_zones, analytics_job_state, transactions, "
        + "organizations CASCADE");
    Rows rows = new Rows(db);
    UUID org = rows.org("Solo", "UTC");
    tx = rows.tx(org, "stripe", "retrying", "RETRY_LATER", "insufficient_funds", 1000L, "EUR", 2,
        Instant.now().minus(Duration.ofHours(3)), null, null);
    jobs = new Jobs(db);
  }

  @Test
  @DisplayName("a run while another holds the job lock is refused with its own exit code, and writes nothing")
  void concurrentRunRefused() throws Exception {
    try (Connection other = db.jdbc()) {
      assertThat(JobLock.tryAcquire(other)).isTrue();
      RunReport refused = jobs.incremental();
      assertThat(refused.outcome()).isEqualTo(Outcome.LOCKED);
      assertThat(refused.exitCode()).isEqualTo(4);
      assertThat(jobs.output()).contains("refused: another analytics run is in progress");
      assertThat(db.scalar("SELECT count(*) FROM analytics_daily")).isZero();
      assertThat(db.scalar("SELECT count(*) FROM analytics_job_state")).isZero();
    }
    // the holder's session ended, and with it the lock
    assertThat(jobs.incremental().outcome()).isEqualTo(Outcome.DONE);
    // and a finished run releases it: the next one is not refused
    assertThat(jobs.incremental().outcome()).isEqualTo(Outcome.NOTHING_TO_DO);
  }

  @Test
  @DisplayName("two runs started together: exactly one builds, the other is refused or finds nothing to do")
  void twoRunsTogether() throws Exception {
    var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      var a = pool.submit(() -> new Jobs(db).incremental());
      var b = pool.submit(() -> new Jobs(db).incremental());
      java.util.List<Outcome> outcomes = java.util.List.of(a.get().outcome(), b.get().outcome());
      assertThat(outcomes).containsOnlyOnce(Outcome.DONE);
      assertThat(outcomes).containsAnyOf(Outcome.LOCKED, Outcome.NOTHING_TO_DO);
      assertThat(db.scalar("SELECT sum(failed_count) FROM analytics_daily")).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  @DisplayName("an engine transaction holding the payment's row lock does not hold up the job (it only reads)")
  void engineRowLocksDoNotBlock() throws Exception {
    try (Connection engine = db.jdbc()) {
      engine.setAutoCommit(false);
      try (Statement s = engine.createStatement()) {
        s.execute("SELECT * FROM transactions WHERE id = '" + tx + "' FOR UPDATE");
        s.execute("UPDATE transactions SET status = 'recovered', recovered_at = now(), recovered_by = 'retry' "
            + "WHERE id = '" + tx + "'");
      }
      RunReport r = jobs.incremental();
      assertThat(r.outcome()).as(jobs.output()).isEqualTo(Outcome.DONE);
      // it counted what was committed: the payment still in recovery
      assertThat(db.scalar("SELECT sum(in_recovery_count) FROM analytics_daily")).isEqualTo(1);
      engine.commit();
    }
    assertThat(jobs.incremental().outcome()).isEqualTo(Outcome.DONE);
    assertThat(db.scalar("SELECT sum(recovered_count) FROM analytics_daily")).isEqualTo(1);
  }

  @Test
  @DisplayName("behind a migration's exclusive lock the job gives up after lockTimeoutMs instead of queueing")
  void neverQueuesBehindDdl() throws Exception {
    AnalyticsSettings quick = new AnalyticsSettings(Duration.ofMinutes(15), "64MB", "64MB", Duration.ofMillis(300),
        400, 2);
    try (Connection migration = db.jdbc()) {
      migration.setAutoCommit(false);
      try (Statement s = migration.createStatement()) {
        s.execute("LOCK TABLE analytics_daily IN ACCESS EXCLUSIVE MODE");
      }
      long started = System.nanoTime();
      Jobs j = new Jobs(db, quick);
      RunReport r = j.incremental();
      assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
      assertThat(r.exitCode()).isEqualTo(1);
      assertThat(j.output()).contains("nothing written").contains("55P03");
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
      migration.rollback();
    }
    assertThat(db.scalar("SELECT count(*) FROM analytics_facts")).isZero();
    assertThat(jobs.incremental().outcome()).isEqualTo(Outcome.DONE);
  }
}
