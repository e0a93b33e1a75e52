package io.tinko.analytics;

import static io.tinko.analytics.Rows.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.tinko.testing.PostgresExtension;
import io.tinko.testing.TestDatabase;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A Tokyo tenant (UTC+9) and a UTC tenant with a handful of payments whose rollups were worked out by hand: JPY
 * (exponent 0, one row written without its exponent), KWD (exponent 3), USD, a recovery that crosses midnight in
 * Tokyo, a failure that is the 10th in UTC but the 11th in Tokyo, attempts that count and ones that do not.
 */
@ExtendWith(PostgresExtension.class)
class HandComputedRollupsTest {
  private static final String TOKYO = "Asia/Tokyo";
  private TestDatabase db;
  private Rows rows;
  private Jobs jobs;
  private UUID tokyo;
  private UUID other;
  private UUID late;
  private UUID givenUp;

  @BeforeEach
  void fixtures(TestDatabase database) {
    db = database;
    db.execute("TRUNCATE analytics_facts, analytics_daily, analytics_org_zones, analytics_job_state, "
        + "recovery_attempts, transactions, organizations CASCADE");
    rows = new Rows(db);
    jobs = new Jobs(db);
    rows.partitionsFrom(LocalDate.of(2026, 3, 1), 1);
    tokyo = rows.org("Tokyo Tea", TOKYO);
    other = rows.org("Other", "UTC");
    // 23:30 JST on the 10th, recovered by our retry at 00:30 JST on the 11th: counted on the 10th (its failure day)
    UUID crossing = rows.tx(tokyo, "stripe", "recovered", "RETRY_LATER", "insufficient_funds", 5000L, "JPY", 0,
        at("2026-03-10T14:30:00Z"), at("2026-03-10T15:30:00Z"), "retry");
    rows.attempt(tokyo, crossing, 1, "declined", at("2026-03-10T15:00:00Z"));
    rows.attempt(tokyo, crossing, 2, "succeeded", at("2026-03-10T15:30:00Z"));
    // 00:10 JST on the 11th (still the 10th in UTC); one declined attempt, one still scheduled (not made)
    late = rows.tx(tokyo, "stripe", "retrying", "RETRY_LATER", "insufficient_funds", 12000L, "JPY", 0,
        at("2026-03-10T15:10:00Z"), null, null);
    rows.attempt(tokyo, late, 1, "declined", at("2026-03-10T16:00:00Z"));
    rows.attempt(tokyo, late, 2, "scheduled", at("2026-03-11T16:00:00Z"));
    // recovered through the customer link after 2 h; written without amount_exponent (JPY: 0 at Stripe)
    rows.tx(tokyo, "stripe", "recovered", "RETRY_LATER", "insufficient_funds", 3000L, "JPY", null,
        at("2026-03-10T01:00:00Z"), at("2026-03-10T03:00:00Z"), "customer_link");
    // 12.345 KWD, recovered by Razorpay's own retry two days later; a cancelled attempt does not count, an error does
    UUID kwd = rows.tx(tokyo, "razorpay", "recovered", "TECHNICAL", null, 12345L, "KWD", 3,
        at("2026-03-10T02:00:00Z"), at("2026-03-12T02:00:00Z"), "psp_retry");
    rows.attempt(tokyo, kwd, 1, "error", at("2026-03-10T05:00:00Z"));
    rows.attempt(tokyo, kwd, 2, "cancelled", at("2026-03-11T05:00:00Z"));
    givenUp = rows.tx(tokyo, "stripe", "given_up", "NEVER", "stolen_card", 1999L, "USD", 2,
        at("2026-03-10T05:00:00Z"), null, null);
    rows.attempt(tokyo, givenUp, 1, "forbidden", at("2026-03-10T05:00:00Z"));
    UUID k = rows.tx(other, "stripe", "recovered", "RETRY_LATER", "insufficient_funds", 777L, "USD", 2,
        at("2026-03-10T10:00:00Z"), at("2026-03-10T10:01:00Z"), "retry");
    rows.attempt(other, k, 1, "succeeded", at("2026-03-10T10:01:00Z"));
  }

  /** The metric columns of one expected rollup row; unnamed counts and amounts are 0. */
  private static Map<String, Object> row(Object... pairs) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (String col : RollupSql.METRICS.split(",\\s*")) {
      m.put(col, "recover_seconds".equals(col) ? List.of() : col.startsWith("recover_p") ? null : 0L);
    }
    for (int i = 0; i < pairs.length; i += 2) {
      Object v = pairs[i + 1];
      m.put((String) pairs[i], v instanceof Integer n ? Long.valueOf(n) : v);
    }
    return m;
  }

  private static Map<String, Object> metrics(Map<String, Object> actual) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (String col : RollupSql.METRICS.split(",\\s*")) {
      m.put(col, actual.get(col));
    }
    return m;
  }

  private static final Map<String, Object> JPY_UTC = row("failed_count", 3, "failed_amount_minor", 20000,
      "recovered_count", 2, "recovered_amount_minor", 8000, "retry_count", 1, "retry_amount_minor", 5000,
      "customer_link_count", 1, "customer_link_amount_minor", 3000, "in_recovery_count", 1,
      "in_recovery_amount_minor", 12000, "attempts_made", 3, "recover_p50_seconds", 5400.0,
      "recover_p90_seconds", 6840.0, "recover_seconds", List.of(3600L, 7200L));
  private static final Map<String, Object> KWD = row("failed_count", 1, "failed_amount_minor", 12345,
      "recovered_count", 1, "recovered_amount_minor", 12345, "psp_retry_count", 1, "psp_retry_amount_minor", 12345,
      "attempts_made", 1, "recover_p50_seconds", 172800.0, "recover_p90_seconds", 172800.0,
      "recover_seconds", List.of(172800L));
  private static final Map<String, Object> USD = row("failed_count", 1, "failed_amount_minor", 1999,
      "given_up_count", 1, "given_up_amount_minor", 1999);

  @Test
  @DisplayName("UTC and Tokyo rollups match the hand-computed rows, amounts in minor units per currency and exponent")
  void handComputed() {
    RunReport r = jobs.incremental();
    assertThat(r.outcome()).as(jobs.output()).isEqualTo(Outcome.DONE);
    assertThat(r.mode()).isEqualTo("full");
    Map<String, Map<String, Object>> t = rows.daily(tokyo);
    assertThat(t.keySet()).containsExactlyInAnyOrder(
        "UTC|2026-03-10|stripe|RETRY_LATER|insufficient_funds|JPY|0",
        "UTC|2026-03-10|razorpay|TECHNICAL||KWD|3",
        "UTC|2026-03-10|stripe|NEVER|stolen_card|USD|2",
        "Asia/Tokyo|2026-03-10|stripe|RETRY_LATER|insufficient_funds|JPY|0",
        "Asia/Tokyo|2026-03-11|stripe|RETRY_LATER|insufficient_funds|JPY|0",
        "Asia/Tokyo|2026-03-10|razorpay|TECHNICAL||KWD|3",
        "Asia/Tokyo|2026-03-10|stripe|NEVER|stolen_card|USD|2");
    assertThat(metrics(t.get("UTC|2026-03-10|stripe|RETRY_LATER|insufficient_funds|JPY|0"))).isEqualTo(JPY_UTC);
    assertThat(metrics(t.get("UTC|2026-03-10|razorpay|TECHNICAL||KWD|3"))).isEqualTo(KWD);
    assertThat(metrics(t.get("Asia/Tokyo|2026-03-10|razorpay|TECHNICAL||KWD|3"))).isEqualTo(KWD);
    assertThat(metrics(t.get("UTC|2026-03-10|stripe|NEVER|stolen_card|USD|2"))).isEqualTo(USD);
    // the crossing recovery stays on the 10th in Tokyo; the 00:10 JST failure is the 11th there
    assertThat(metrics(t.get("Asia/Tokyo|2026-03-10|stripe|RETRY_LATER|insufficient_funds|JPY|0"))).isEqualTo(
        row("failed_count", 2, "failed_amount_minor", 8000, "recovered_count", 2, "recovered_amount_minor", 8000,
            "retry_count", 1, "retry_amount_minor", 5000, "customer_link_count", 1, "customer_link_amount_minor",
            3000, "attempts_made", 2, "recover_p50_seconds", 5400.0, "recover_p90_seconds", 6840.0,
            "recover_seconds", List.of(3600L, 7200L)));
    assertThat(metrics(t.get("Asia/Tokyo|2026-03-11|stripe|RETRY_LATER|insufficient_funds|JPY|0"))).isEqualTo(
        row("failed_count", 1, "failed_amount_minor", 12000, "in_recovery_count", 1, "in_recovery_amount_minor",
            12000, "attempts_made", 1));
    // rates come from the counts
    Map<String, Object> jpy = t.get("UTC|2026-03-10|stripe|RETRY_LATER|insufficient_funds|JPY|0");
    assertThat(jpy.get("recovery_rate")).isEqualTo(new BigDecimal("0.666667"));
    assertThat(jpy.get("attempts_per_recovery")).isEqualTo(new BigDecimal("1.5"));
    assertThat(t.get("UTC|2026-03-10|stripe|NEVER|stolen_card|USD|2").get("attempts_per_recovery")).isNull();
    // the other tenant has its own single UTC row and nothing of Tokyo's
    assertThat(rows.daily(other).keySet())
        .containsExactly("UTC|2026-03-10|stripe|RETRY_LATER|insufficient_funds|USD|2");
    assertThat(metrics(rows.daily(other).values().iterator().next())).isEqualTo(row("failed_count", 1,
        "failed_amount_minor", 777, "recovered_count", 1, "recovered_amount_minor", 777, "retry_count", 1,
        "retry_amount_minor", 777, "attempts_made", 1, "recover_p50_seconds", 60.0, "recover_p90_seconds", 60.0,
        "recover_seconds", List.of(60L)));
    assertThat(db.scalar("SELECT count(*) FROM analytics_job_state WHERE as_of IS NOT NULL")).isEqualTo(1);
  }

  @Test
  @DisplayName("a failure that arrives late moves its payment to the earlier day, in UTC and in Tokyo")
  void lateFailureMovesTheDay() {
    jobs.incremental();
    // the payment's first failure (08:00 JST on the 10th, 23:00 UTC on the 9th) arrives after a later one
    db.execute("UPDATE transactions SET failed_at = '2026-03-09T23:00:00Z', updated_at = now() WHERE id = ?", late);
    RunReport r = jobs.incremental();
    assertThat(r.outcome()).as(jobs.output()).isEqualTo(Outcome.DONE);
    assertThat(r.mode()).isEqualTo("incremental");
    assertThat(r.factsChanged()).isEqualTo(1);
    Map<String, Map<String, Object>> t = rows.daily(tokyo);
    assertThat(t).doesNotContainKey("Asia/Tokyo|2026-03-11|stripe|RETRY_LATER|insufficient_funds|JPY|0");
    assertThat(metrics(t.get("UTC|2026-03-09|stripe|RETRY_LATER|insufficient_funds|JPY|0"))).isEqualTo(
        row("failed_count", 1, "failed_amount_minor", 12000, "in_recovery_count", 1, "in_recovery_amount_minor",
            12000, "attempts_made", 1));
    assertThat(metrics(t.get("UTC|2026-03-10|stripe|RETRY_LATER|insufficient_funds|JPY|0"))).isEqualTo(
        row("failed_count", 2, "failed_amount_minor", 8000, "recovered_count", 2, "recovered_amount_minor", 8000,
            "retry_count", 1, "retry_amount_minor", 5000, "customer_link_count", 1, "customer_link_amount_minor",
            3000, "attempts_made", 2, "recover_p50_seconds", 5400.0, "recover_p90_seconds", 6840.0,
            "recover_seconds", List.of(3600L, 7200L)));
    assertThat(metrics(t.get("Asia/Tokyo|2026-03-10|stripe|RETRY_LATER|insufficient_funds|JPY|0")))
        .isEqualTo(JPY_UTC);
  }

  @Test
  @DisplayName("a change committed just behind the watermark is caught by the look-back; older ones by a range rebuild")
  void lookBackAndBackfill() {
    jobs.incremental();
    Object watermark = rows.value("SELECT watermark FROM analytics_job_state");
    db.execute("UPDATE transactions SET decline_code = 'lost_card', updated_at = ?::timestamptz - interval '2 minutes' "
        + "WHERE id = ?", watermark, givenUp);
    RunReport caught = jobs.incremental();
    assertThat(caught.factsChanged()).as(jobs.output()).isEqualTo(1);
    assertThat(rows.daily(tokyo)).containsKey("UTC|2026-03-10|stripe|NEVER|lost_card|USD|2")
        .doesNotContainKey("UTC|2026-03-10|stripe|NEVER|stolen_card|USD|2");

    // beyond the 5-minute look-back an incremental run cannot see it...
    db.execute("UPDATE transactions SET decline_code = 'pickup_card', updated_at = ?::timestamptz - interval '2 hours' "
        + "WHERE id = ?", watermark, givenUp);
    assertThat(jobs.incremental().outcome()).isEqualTo(Outcome.NOTHING_TO_DO);
    // ...a backfill of that day rebuilds it from the truth, and leaves the watermark where it was
    RunReport backfill = jobs.range(LocalDate.of(2026, 3, 10), LocalDate.of(2026, 3, 10));
    assertThat(backfill.outcome()).as(jobs.output()).isEqualTo(Outcome.DONE);
    assertThat(backfill.mode()).isEqualTo("range");
    assertThat(rows.daily(tokyo)).containsKey("UTC|2026-03-10|stripe|NEVER|pickup_card|USD|2")
        .doesNotContainKey("UTC|2026-03-10|stripe|NEVER|lost_card|USD|2")
        .containsKey("Asia/Tokyo|2026-03-10|stripe|NEVER|pickup_card|USD|2");
    assertThat(rows.value("SELECT watermark FROM analytics_job_state")).isEqualTo(watermark);
  }

  @Test
  @DisplayName("a change whose transaction was still open while a run read is counted by the next run, not skipped as seen")
  void openWhileARunReads() throws Exception {
    jobs.incremental();
    try (java.sql.Connection engine = db.jdbc()) {
      engine.setAutoCommit(false);
      try (var st = engine.prepareStatement(
          "UPDATE transactions SET decline_code = 'lost_card', updated_at = now() WHERE id = ?")) {
        st.setObject(1, givenUp);
        st.executeUpdate();   // its updated_at is its transaction's start: behind the next watermark
      }
      Thread.sleep(5);
      db.execute("UPDATE transactions SET updated_at = now() WHERE id = ?", late);   // moves the watermark past it
      RunReport blind = jobs.incremental();
      assertThat(blind.factsChanged()).as(jobs.output()).isZero();
      engine.commit();
    }
    // the next run's look-back holds the change, written by a transaction the last run's snapshot could not see
    RunReport caught = jobs.incremental();
    assertThat(caught.factsChanged()).as(jobs.output()).isEqualTo(1);
    assertThat(rows.daily(tokyo)).containsKey("UTC|2026-03-10|stripe|NEVER|lost_card|USD|2")
        .doesNotContainKey("UTC|2026-03-10|stripe|NEVER|stolen_card|USD|2");
    // once counted, the look-back's rows are behind the new horizon: nothing to do
    assertThat(jobs.incremental().outcome()).as(jobs.output()).isEqualTo(Outcome.NOTHING_TO_DO);
  }

  @Test
  @DisplayName("a duplicate delivery that touches a payment without changing it changes no rollup (nothing to do)")
  void duplicateTouchChangesNothing() {
    jobs.incremental();
    Map<String, Map<String, Object>> before = rows.daily(tokyo);
    db.execute("UPDATE transactions SET updated_at = now() WHERE org_id = ?", tokyo);
    db.execute("UPDATE transactions SET updated_at = now() WHERE org_id = ?", tokyo);
    RunReport r = jobs.incremental();
    assertThat(r.outcome()).as(jobs.output()).isEqualTo(Outcome.NOTHING_TO_DO);
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.transactionsRead()).isGreaterThanOrEqualTo(5);
    assertThat(rows.daily(tokyo)).isEqualTo(before);
  }

  @Test
  @DisplayName("--dry-run reports what would change and writes nothing, not even the watermark")
  void dryRun() {
    RunReport r = jobs.dryRun();
    assertThat(r.outcome()).isEqualTo(Outcome.DONE);
    assertThat(r.rowsWritten()).isEqualTo(8);
    assertThat(jobs.output()).contains("dry run, would change").contains("nothing written");
    assertThat(db.scalar("SELECT count(*) FROM analytics_daily")).isZero();
    assertThat(db.scalar("SELECT count(*) FROM analytics_facts")).isZero();
    assertThat(db.scalar("SELECT count(*) FROM analytics_job_state")).isZero();
    jobs.incremental();
    RunReport again = jobs.dryRun();
    assertThat(again.outcome()).isEqualTo(Outcome.NOTHING_TO_DO);
    assertThat(jobs.output()).contains("dry run, nothing would change");
  }

  @Test
  @DisplayName("--dry-run lists each tenant-day it would change, before -> after, in the currency's own units")
  void dryRunListsTheChanges() {
    jobs.incremental();
    Map<String, Map<String, Object>> rollups = rows.daily(tokyo);
    // the 12,000 JPY payment that failed at 00:10 JST on the 11th (15:10 UTC on the 10th) is recovered
    db.execute("UPDATE transactions SET status = 'recovered', recovered_at = '2026-03-11T00:00:00Z', "
        + "recovered_by = 'retry', updated_at = now() WHERE id = ?", late);
    RunReport r = jobs.dryRun();
    assertThat(r.outcome()).as(jobs.output()).isEqualTo(Outcome.DONE);
    assertThat(jobs.output())
        .contains("dry run: 2 tenant-day figures would change")
        .contains("Tokyo Tea (" + tokyo + ") UTC 2026-03-10 JPY: failed 3 -> 3 (20000 -> 20000), "
            + "recovered 2 -> 3 (8000 -> 20000)")
        .contains("Tokyo Tea (" + tokyo + ") Asia/Tokyo 2026-03-11 JPY: failed 1 -> 1 (12000 -> 12000), "
            + "recovered 0 -> 1 (0 -> 12000)")
        .doesNotContain("Other (");
    assertThat(rows.daily(tokyo)).isEqualTo(rollups);
  }

  @Test
  @DisplayName("--dry-run never adds up amounts of one currency written with different exponents")
  void dryRunKeepsExponentsApart() {
    jobs.incremental();
    // ISK: Stripe counts it with two decimals, PayPal with none
    rows.tx(other, "stripe", "failed", "RETRY_LATER", "insufficient_funds", 12345L, "ISK", 2,
        at("2026-03-10T12:00:00Z"), null, null);
    rows.tx(other, "paypal", "failed", "RETRY_LATER", "insufficient_funds", 500L, "ISK", 0,
        at("2026-03-10T13:00:00Z"), null, null);
    jobs.dryRun();
    assertThat(jobs.output())
        .contains("dry run: 2 tenant-day figures would change")
        .contains("Other (" + other + ") UTC 2026-03-10 ISK: failed 0 -> 1 (0.00 -> 123.45), recovered 0 -> 0 "
            + "(0.00 -> 0.00)")
        .contains("Other (" + other + ") UTC 2026-03-10 ISK: failed 0 -> 1 (0 -> 500), recovered 0 -> 0 (0 -> 0)");
    assertThat(db.scalar("SELECT count(*) FROM analytics_day_totals WHERE currency = 'ISK'")).isZero();
  }

  @Test
  @DisplayName("money in a dry run's lines keeps the currency's exponent: KWD has three decimals, JPY none")
  void dryRunMoney() {
    assertThat(DryRunDiff.money(12345L, 3)).isEqualTo("12.345");
    assertThat(DryRunDiff.money(1999L, 2)).isEqualTo("19.99");
    assertThat(DryRunDiff.money(5000L, 0)).isEqualTo("5000");
    assertThat(DryRunDiff.money(-5L, 2)).isEqualTo("-0.05");
  }
}
