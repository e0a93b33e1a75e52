package io.tinko.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinko.analytics.JobLock;
import io.tinko.common.db.RuntimeFile;
import io.tinko.testing.PostgresExtension;
import io.tinko.testing.TestDatabase;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** `tinko analytics` as an operator runs it: its exit codes, its output, and the database it finds. */
@ExtendWith(PostgresExtension.class)
class AnalyticsCommandTest {
  private static TestDatabase db;

  @BeforeAll
  static void fixtures(TestDatabase database) {
    db = database;
    UUID org = UUID.randomUUID();
    db.execute("INSERT INTO organizations (id, name, time_zone) VALUES (?, 'Cron Co', 'Europe/Berlin')", org);
    db.execute("""
        INSERT INTO transactions (id, org_id, psp, endpoint_id, psp_payment_key, amount_minor, currency,
               amount_exponent, status, decline_class, failed_at, last_event_at)
        VALUES (?, ?, 'stripe', 'ep_1', 'pk_1', 4200, 'EUR', 2, 'retrying', 'RETRY_LATER', now(), now())""",
        UUID.randomUUID(), org);
  }

  private static Map<String, String> env(Path dir, boolean configured) {
    Map<String, String> env = new HashMap<>();
    env.put("TINKO_EMBEDDED_DATA_DIR", dir.resolve("data").toString());
    if (configured) {
      env.put("TINKO_PG_URL", db.url());
    }
    return env;
  }

  private static String run(Path dir, Map<String, String> env, int expectedExit, String... args) throws Exception {
    TinkoProcess p = TinkoProcess.start(dir, "analytics-" + System.nanoTime(), env, args);
    assertThat(p.process.waitFor(90, TimeUnit.SECONDS)).as("finished").isTrue();
    String out = p.output();
    assertThat(p.process.exitValue()).as(out).isEqualTo(expectedExit);
    return out;
  }

  @Test
  @DisplayName("built, then nothing to do, then refused while another run holds the lock: exit 0, 3, 4")
  void exitCodes(@TempDir Path dir) throws Exception {
    String first = run(dir, env(dir, true), 0, "analytics");
    assertThat(first).contains("analytics: postgres: configured").contains("read 1 transactions")
        .contains("rebuilt 2 tenant-days").contains("analytics: done: 1 transactions read");
    assertThat(db.scalar("SELECT count(*) FROM analytics_daily WHERE zone = 'Europe/Berlin'")).isEqualTo(1);
    assertThat(run(dir, env(dir, true), 3, "analytics")).contains("nothing to do, every rollup was up to date");
    assertThat(run(dir, env(dir, true), 3, "analytics", "--dry-run")).contains("dry run, nothing would change");
    try (Connection other = db.jdbc()) {
      assertThat(JobLock.tryAcquire(other)).isTrue();
      assertThat(run(dir, env(dir, true), 4, "analytics")).contains("refused: another analytics run is in progress");
    }
  }

  @Test
  @DisplayName("without pg.url it uses the database of the running `tinko up` (its runtime file)")
  void findsTheRunningTinkoUp(@TempDir Path dir) throws Exception {
    db.execute("TRUNCATE analytics_facts, analytics_daily, analytics_org_zones, analytics_job_state");
    // this test JVM stands in for the running `tinko up`: the runtime file names a live pid and its database
    RuntimeFile.write(dir.resolve("data"), new JsonObject().put("pid", ProcessHandle.current().pid())
        .put("pgUrl", db.url()).put("redisUrl", "redis://127.0.0.1:1").put("smtpUrl", "smtp://127.0.0.1:1"));
    String out = run(dir, env(dir, false), 0, "analytics", "--full", "--dry-run");
    assertThat(out).contains("postgres: the running `tinko up`'s embedded service").contains("read 1 transactions");
  }

  @Test
  @DisplayName("--help documents the exit codes; bad ranges are usage errors (exit 2)")
  void usage(@TempDir Path dir) throws Exception {
    assertThat(run(dir, env(dir, true), 0, "analytics", "--help")).contains("Exit codes:")
        .contains("3   nothing to do").contains("4   refused").contains("--dry-run").contains("--from");
    assertThat(run(dir, env(dir, true), 2, "analytics", "--from", "2026-03-02", "--to", "2026-03-01"))
        .contains("is after --to");
    assertThat(run(dir, env(dir, true), 2, "analytics", "--from", "yesterday")).contains("yesterday");
  }
}
