package io.tinko.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinko.analytics.bench.BenchData;
import io.tinko.testing.PostgresExtension;
import io.tinko.testing.TestDatabase;
import java.io.PrintStream;
import java.io.OutputStream;
import java.sql.Connection;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Generated history (4 tenants in 4 zones, 4,000 payments over 30 days) run through the job, then changed the ways
 * production changes it: every run must leave rollups equal to the plain GROUP BY over the source tables, and a
 * second run over the same data must change nothing, row for row.
 */
@ExtendWith(PostgresExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IncrementalEqualsTruthTest {
  private static final String PREFIX = "truth";
  private static TestDatabase db;
  private static Rows rows;
  private static Jobs jobs;

  @BeforeAll
  static void generate(TestDatabase database) throws Exception {
    db = database;
    rows = new Rows(db);
    jobs = new Jobs(db);
    try (Connection c = db.jdbc()) {
      new BenchData(c, new PrintStream(OutputStream.nullOutputStream()))
          .history(PREFIX, 4, 30, 4000, 0.42, OffsetDateTime.now(ZoneOffset.UTC));
    }
  }

  private static Map<String, Map<String, Object>> everyRollupRow() {
    return rows.keyed("SELECT * FROM analytics_daily", "org_id", "zone", "day", "psp", "decline_class",
        "decline_code", "currency", "exponent");
  }

  /** Every daily row and every per-day total equal to the plain GROUP BY over the source tables. */
  private static void assertRollupsAreTheTruth() {
    assertThat(Truth.actual(rows)).isEqualTo(Truth.expected(rows));
    assertThat(Truth.actualTotals(rows)).isEqualTo(Truth.expectedTotals(rows));
  }

  /** The query for the zone the job last counted the tenant named {@code tenant} in. */
  private static String zoneCounted(String tenant) {
    return "SELECT s.zone FROM analytics_org_zones s JOIN organizations o ON o.id = s.org_id WHERE o.name = '" + tenant
        + "'";
  }

  private static Map<String, Map<String, Object>> everyFact() {
    return rows.keyed("SELECT * FROM analytics_facts", "transaction_id");
  }

  @Test
  @Order(1)
  @DisplayName("the first run builds everything, equal to the truth")
  void firstRun() {
    RunReport r = jobs.incremental();
    assertThat(r.outcome()).as(jobs.output()).isEqualTo(Outcome.DONE);
    assertThat(r.mode()).isEqualTo("full");
    assertThat(r.transactionsRead()).isEqualTo(4000);
    assertThat(Truth.actual(rows)).hasSizeGreaterThan(500).isEqualTo(Truth.expected(rows));
    assertThat(Truth.actualTotals(rows)).hasSizeGreaterThan(100).isEqualTo(Truth.expectedTotals(rows));
  }

  @Test
  @Order(2)
  @DisplayName("the tables a full build swaps in keep the migrations' indexes, constraints and storage options")
  void swappedTablesKeepTheirDefinition() {
    assertThat(rows.keyed("""
        SELECT indexname, tablename FROM pg_indexes
         WHERE tablename IN ('analytics_facts', 'analytics_daily', 'analytics_day_totals')""", "indexname"))
        .containsOnlyKeys("analytics_facts_pkey", "analytics_daily_pkey", "analytics_day_totals_pkey");
    assertThat(rows.value("""
        SELECT count(*) FROM pg_constraint WHERE contype = 'p'
           AND conname IN ('analytics_facts_pkey', 'analytics_daily_pkey', 'analytics_day_totals_pkey')"""))
        .isEqualTo(3L);
    assertThat(rows.value("SELECT array_to_string(reloptions, ',') FROM pg_class WHERE relname = 'analytics_daily'"))
        .isEqualTo("fillfactor=80");
    assertThat(rows.value("SELECT count(*) FROM pg_class WHERE relname LIKE 'analytics%next'")).isEqualTo(0L);
    assertThat(rows.value("""
        SELECT string_agg(attname || ':' || attgenerated::text, ',' ORDER BY attname) FROM pg_attribute
         WHERE attrelid = 'analytics_daily'::regclass AND attname IN ('recovery_rate', 'attempts_per_recovery')"""))
        .isEqualTo("attempts_per_recovery:s,recovery_rate:s");
    assertThat(rows.value("""
        SELECT count(*) FROM pg_constraint WHERE contype = 'c'
           AND conrelid IN ('analytics_daily'::regclass, 'analytics_day_totals'::regclass, 'analytics_facts'::regclass)
        """)).isEqualTo(3L);
  }

  @Test
  @Order(3)
  @DisplayName("running again, fully, or over a range, changes no rollup row and no fact")
  void runningAgainChangesNothing() {
    Map<String, Map<String, Object>> daily = everyRollupRow();
    Map<String, Map<String, Object>> facts = everyFact();
    for (RunReport r : new RunReport[] {jobs.incremental(), jobs.full(),
        jobs.range(java.time.LocalDate.now().minusDays(40), java.time.LocalDate.now())}) {
      assertThat(r.outcome()).as(r.summary()).isEqualTo(Outcome.NOTHING_TO_DO);
      assertThat(r.changes()).isZero();
    }
    assertThat(everyRollupRow()).isEqualTo(daily);
    assertThat(everyFact()).isEqualTo(facts);
  }

  @Test
  @Order(4)
  @DisplayName("new events, reclassifications, late first failures and a zone change: still the truth")
  void changesStayTrue() throws Exception {
    try (Connection c = db.jdbc()) {
      new BenchData(c, new PrintStream(OutputStream.nullOutputStream())).events(PREFIX, 600);
    }
    db.execute("""
        UPDATE transactions SET decline_class = 'TECHNICAL', decline_code = 'reclassified', updated_at = now()
         WHERE id IN (SELECT id FROM transactions ORDER BY id LIMIT 25)""");
    db.execute("""
        UPDATE transactions SET failed_at = failed_at - interval '3 days', updated_at = now()
         WHERE id IN (SELECT id FROM transactions ORDER BY id DESC LIMIT 25)""");
    db.execute("UPDATE organizations SET time_zone = 'Pacific/Auckland' WHERE name = ?", PREFIX + "-0001");
    RunReport r = jobs.incremental();
    assertThat(r.outcome()).as(jobs.output()).isEqualTo(Outcome.DONE);
    assertThat(r.mode()).isEqualTo("incremental");
    assertThat(r.factsChanged()).isGreaterThan(600);
    assertThat(jobs.output()).contains("analytics: [1/2] read ").contains("analytics: [2/2] read ");   // in shares
    assertRollupsAreTheTruth();
    assertThat(db.scalar("SELECT count(*) FROM analytics_daily WHERE zone = 'Asia/Tokyo'")).isZero();
    assertThat(db.scalar("SELECT count(*) FROM analytics_daily WHERE zone = 'Pacific/Auckland'")).isPositive();

    Map<String, Map<String, Object>> daily = everyRollupRow();
    assertThat(jobs.incremental().outcome()).isEqualTo(Outcome.NOTHING_TO_DO);
    assertThat(everyRollupRow()).isEqualTo(daily);
  }

  @Test
  @Order(5)
  @DisplayName("rollups patched by differences are exactly what a full rebuild builds, arrays and percentiles included")
  void patchedEqualsFullRebuild() throws Exception {
    try (Connection c = db.jdbc()) {
      new BenchData(c, new PrintStream(OutputStream.nullOutputStream())).events(PREFIX, 400);
    }
    // a recovery undone (its time to recover leaves the arrays), recoveries re-timed (one value out, another in)
    db.execute("""
        UPDATE transactions SET status = 'retrying', recovered_at = NULL, recovered_by = NULL, updated_at = now()
         WHERE id IN (SELECT id FROM transactions WHERE status = 'recovered' ORDER BY id LIMIT 20)""");
    db.execute("""
        UPDATE transactions SET recovered_at = recovered_at + interval '61 minutes', updated_at = now()
         WHERE id IN (SELECT id FROM transactions WHERE status = 'recovered' ORDER BY id DESC LIMIT 20)""");
    // the only payment of rollup rows moves to a new code: those rows go, new ones come
    db.execute("""
        UPDATE transactions t SET decline_code = 'moved_' || left(t.id::text, 8), updated_at = now()
          FROM analytics_facts f
         WHERE f.transaction_id = t.id AND t.id IN (
               SELECT min(f2.transaction_id::text)::uuid FROM analytics_facts f2
                 JOIN analytics_daily d ON d.org_id = f2.org_id AND d.zone = 'UTC' AND d.day = f2.day_utc
                  AND d.psp = f2.psp AND d.decline_class = f2.decline_class AND d.decline_code = f2.decline_code
                  AND d.currency = f2.currency AND d.exponent = f2.exponent AND d.failed_count = 1
                GROUP BY d.org_id, d.day, d.psp, d.decline_class, d.decline_code, d.currency
                LIMIT 15)""");
    RunReport r = jobs.incremental();
    assertThat(r.outcome()).as(jobs.output()).isEqualTo(Outcome.DONE);
    assertThat(r.mode()).isEqualTo("incremental");
    assertThat(r.rowsDeleted()).as(r.summary()).isPositive();
    Map<String, Map<String, Object>> daily = everyRollupRow();
    Map<String, Map<String, Object>> totals = rows.keyed("SELECT * FROM analytics_day_totals", "org_id", "zone",
        "day", "psp", "currency", "exponent");

    // a full rebuild builds every table beside the patched ones and compares every column: nothing differs
    RunReport full = jobs.full();
    assertThat(full.outcome()).as(jobs.output()).isEqualTo(Outcome.NOTHING_TO_DO);
    assertThat(full.changes()).isZero();
    assertThat(everyRollupRow()).isEqualTo(daily);
    assertThat(rows.keyed("SELECT * FROM analytics_day_totals", "org_id", "zone", "day", "psp", "currency",
        "exponent")).isEqualTo(totals);
    assertRollupsAreTheTruth();
  }

  @Test
  @Order(6)
  @DisplayName("a payment deleted by hand (Tinko never deletes one) is dropped by a range rebuild of its days")
  void deletedByHand() {
    String first = "(SELECT id FROM transactions WHERE status = 'given_up' ORDER BY id LIMIT 1)";
    Object failed = rows.value("SELECT failed_at::date FROM transactions WHERE id = " + first);
    db.execute("DELETE FROM recovery_attempts WHERE transaction_id = " + first);
    db.execute("DELETE FROM transactions WHERE id = " + first);
    java.time.LocalDate day = ((java.sql.Date) failed).toLocalDate();
    RunReport r = jobs.range(day.minusDays(1), day.plusDays(1));
    assertThat(r.outcome()).as(jobs.output()).isEqualTo(Outcome.DONE);
    assertThat(r.factsRemoved()).isEqualTo(1);
    assertRollupsAreTheTruth();
  }

  @Test
  @Order(7)
  @DisplayName("facts lost (the table is unlogged: crash recovery empties it) make the next run a full rebuild")
  void lostFactsRebuildEverything() {
    assertThat(rows.value("SELECT relpersistence::text FROM pg_class WHERE relname = 'analytics_facts'"))
        .isEqualTo("u");
    db.execute("TRUNCATE analytics_facts");
    db.execute("UPDATE transactions SET updated_at = now() WHERE id IN (SELECT id FROM transactions LIMIT 5)");
    RunReport r = jobs.incremental();
    assertThat(r.outcome()).as(jobs.output()).isEqualTo(Outcome.DONE);
    assertThat(r.mode()).isEqualTo("full");
    assertThat(jobs.output()).contains("analytics_facts is empty but rollups exist");
    assertRollupsAreTheTruth();
    assertThat(rows.value("SELECT relpersistence::text FROM pg_class WHERE relname = 'analytics_facts'"))
        .isEqualTo("u");
    assertThat(jobs.incremental().outcome()).isEqualTo(Outcome.NOTHING_TO_DO);
  }

  @Test
  @Order(8)
  @DisplayName("a new attempt on the oldest payment (its others in older partitions) reaches its fact in the next run")
  void attemptsAcrossPartitions() {
    // the payment that failed first: its attempts sit in the oldest partitions, the new one in this month's
    Object oldest = rows.value("SELECT id FROM transactions ORDER BY failed_at, id LIMIT 1");
    Object org = rows.value("SELECT org_id FROM transactions WHERE id = '" + oldest + "'");
    Object made = rows.value("SELECT count(*) FROM recovery_attempts WHERE transaction_id = '" + oldest
        + "' AND status IN ('succeeded', 'declined', 'error')");
    rows.attempt((java.util.UUID) org, (java.util.UUID) oldest, 9, "declined", java.time.Instant.now());
    db.execute("UPDATE transactions SET updated_at = now() WHERE id = '" + oldest + "'");
    RunReport r = jobs.incremental();
    assertThat(r.outcome()).as(jobs.output()).isEqualTo(Outcome.DONE);
    assertThat(r.mode()).isEqualTo("incremental");
    assertThat(rows.value("SELECT attempts FROM analytics_facts WHERE transaction_id = '" + oldest + "'"))
        .isEqualTo((int) ((Long) made + 1));
    assertRollupsAreTheTruth();
  }

  @Test
  @Order(9)
  @DisplayName("a share that fails leaves the shares that committed, and the watermark where it was; a rebuild mends it")
  void aFailedShareLeavesTheOthers() {
    // tenants are dealt to the shares in id order: the first two are in different shares
    Object first = rows.value("SELECT id FROM organizations ORDER BY id LIMIT 1");
    Object second = rows.value("SELECT id FROM organizations ORDER BY id OFFSET 1 LIMIT 1");
    Object watermark = rows.value("SELECT watermark FROM analytics_job_state");
    Object drifting = rows.value("SELECT id FROM transactions WHERE org_id = '" + first + "' ORDER BY id LIMIT 1");
    Object moving = rows.value("SELECT id FROM transactions WHERE org_id = '" + second + "' ORDER BY id LIMIT 1");
    // the first tenant's rollups drift from its facts: the rows its payment is counted in are gone, so taking the
    // payment out of them makes a negative count, which the table's CHECK refuses
    db.execute("""
        DELETE FROM analytics_daily d USING analytics_facts f
         WHERE f.transaction_id = ?::uuid AND d.org_id = f.org_id AND d.day IN (f.day_utc, f.day_local)
           AND d.psp = f.psp AND d.decline_class = f.decline_class AND d.decline_code = f.decline_code
           AND d.currency = f.currency AND d.exponent = f.exponent""", drifting.toString());
    db.execute("UPDATE transactions SET decline_code = 'drifting', updated_at = now() WHERE id = ?::uuid",
        drifting.toString());
    db.execute("UPDATE transactions SET decline_code = 'moving', updated_at = now() WHERE id = ?::uuid",
        moving.toString());

    RunReport r = jobs.incremental();
    assertThat(r.outcome()).as(jobs.output()).isEqualTo(Outcome.FAILED);
    assertThat(r.summary()).contains("1 of 2 shares of the tenants committed").contains("watermark did not move");
    assertThat(rows.value("SELECT watermark FROM analytics_job_state")).isEqualTo(watermark);
    assertThat(rows.value("SELECT decline_code FROM analytics_facts WHERE transaction_id = '" + moving + "'"))
        .isEqualTo("moving");
    assertThat(rows.value("SELECT decline_code FROM analytics_facts WHERE transaction_id = '" + drifting + "'"))
        .isNotEqualTo("drifting");

    assertThat(jobs.full().outcome()).as(jobs.output()).isEqualTo(Outcome.DONE);
    assertRollupsAreTheTruth();
    assertThat(jobs.incremental().outcome()).isEqualTo(Outcome.NOTHING_TO_DO);
  }

  @Test
  @Order(10)
  @DisplayName("a zone re-entered in another case, then an unknown one: its canonical name, then UTC with a warning")
  void zonesLookedUpOnlyWhenTheyChange() {
    String tenant = PREFIX + "-0003";
    String zoneOf = zoneCounted(tenant);
    String localRows = "SELECT count(*) FROM analytics_daily d JOIN organizations o ON o.id = d.org_id "
        + "WHERE o.name = '" + tenant + "' AND d.zone = ";
    assertThat(rows.value(zoneOf)).isNotIn("UTC", "Asia/Kolkata");

    db.execute("UPDATE organizations SET time_zone = 'asia/kolkata' WHERE name = ?", tenant);
    assertThat(jobs.incremental().outcome()).as(jobs.output()).isEqualTo(Outcome.DONE);
    assertThat(rows.value(zoneOf)).isEqualTo("Asia/Kolkata");
    assertThat((Long) rows.value(localRows + "'Asia/Kolkata'")).isPositive();
    assertThat(rows.value(localRows + "'asia/kolkata'")).isEqualTo(0L);

    db.execute("UPDATE organizations SET time_zone = 'Mars/Olympus_Mons' WHERE name = ?", tenant);
    assertThat(jobs.incremental().outcome()).as(jobs.output()).isEqualTo(Outcome.DONE);
    assertThat(jobs.output()).contains("has time zone 'Mars/Olympus_Mons', which Postgres does not know");
    assertThat(rows.value(zoneOf)).isEqualTo("UTC");
    assertThat(rows.value(localRows + "'Asia/Kolkata'")).isEqualTo(0L);
    // counted in UTC now, the unknown name is still looked up (and reported) on every run, not taken as known
    jobs.printed.reset();
    assertThat(jobs.incremental().outcome()).isEqualTo(Outcome.NOTHING_TO_DO);
    assertThat(jobs.output()).contains("which Postgres does not know");

    db.execute("UPDATE organizations SET time_zone = 'Asia/Kolkata' WHERE name = ?", tenant);
    assertThat(jobs.incremental().outcome()).as(jobs.output()).isEqualTo(Outcome.DONE);
    assertRollupsAreTheTruth();
  }

  @Test
  @Order(11)
  @DisplayName("a full run in shares builds what one connection builds; a failed share leaves nothing, replacements included")
  void fullRunInShares() {
    String tenant = PREFIX + "-0002";
    db.execute("UPDATE organizations SET time_zone = 'America/Sao_Paulo' WHERE name = ?", tenant);
    jobs.printed.reset();
    RunReport full = jobs.full();
    assertThat(full.outcome()).as(jobs.output()).isEqualTo(Outcome.DONE);
    assertThat(jobs.output()).contains("analytics: [1/2] read ").contains("analytics: [2/2] read ");
    assertThat(rows.value(zoneCounted(tenant))).isEqualTo("America/Sao_Paulo");
    assertRollupsAreTheTruth();
    assertThat(jobs.incremental().outcome()).as(jobs.output()).isEqualTo(Outcome.NOTHING_TO_DO);

    // one connection builds every table anew and compares every column with the shares' tables: nothing differs
    AnalyticsSettings d = AnalyticsSettings.defaults();
    Jobs single = new Jobs(db, new AnalyticsSettings(d.lookback(), d.workMem(), d.fullWorkMem(), d.lockTimeout(),
        d.maxRangeDays(), 1));
    assertThat(single.full().outcome()).as(single.output()).isEqualTo(Outcome.NOTHING_TO_DO);
    assertThat(single.output()).doesNotContain("[1/2]");

    // the first tenant's amounts made so large that a rollup row's sum overflows: its share fails
    Object first = rows.value("SELECT id FROM organizations ORDER BY id LIMIT 1");
    assertThat((Long) rows.value("SELECT max(failed_count) FROM analytics_daily WHERE org_id = '" + first + "'"))
        .isGreaterThan(1L);
    Map<String, Map<String, Object>> daily = everyRollupRow();
    Map<String, Map<String, Object>> facts = everyFact();
    Map<String, Map<String, Object>> state = rows.keyed("SELECT * FROM analytics_job_state", "job");
    db.execute("CREATE TABLE saved_amounts AS SELECT id, amount_minor FROM transactions WHERE org_id = ?::uuid",
        first.toString());
    db.execute("UPDATE transactions SET amount_minor = 4611686018427387904 WHERE org_id = ?::uuid",
        first.toString());
    RunReport failed = jobs.full();
    assertThat(failed.outcome()).as(jobs.output()).isEqualTo(Outcome.FAILED);
    assertThat(failed.summary()).contains("nothing written").contains("bigint out of range");
    assertThat(everyRollupRow()).isEqualTo(daily);
    assertThat(everyFact()).isEqualTo(facts);
    assertThat(rows.keyed("SELECT * FROM analytics_job_state", "job")).isEqualTo(state);
    assertThat(rows.value("SELECT count(*) FROM pg_class WHERE relname LIKE 'analytics%next'")).isEqualTo(0L);

    // what a killed run in shares leaves (its replacements are committed before they are filled): the next run,
    // whatever it is, drops it
    db.execute("CREATE UNLOGGED TABLE analytics_daily_next (LIKE analytics_daily)");
    db.execute("UPDATE transactions t SET amount_minor = s.amount_minor FROM saved_amounts s WHERE s.id = t.id");
    db.execute("DROP TABLE saved_amounts");
    assertThat(jobs.incremental().outcome()).as(jobs.output()).isEqualTo(Outcome.NOTHING_TO_DO);
    assertThat(rows.value("SELECT count(*) FROM pg_class WHERE relname LIKE 'analytics%next'")).isEqualTo(0L);
    assertThat(Truth.actual(rows)).isEqualTo(Truth.expected(rows));
  }
}
