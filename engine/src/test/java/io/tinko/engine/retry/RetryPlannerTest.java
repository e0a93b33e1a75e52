package io.tinko.engine.retry;

import static io.tinko.engine.retry.PlannerFixture.SOFT;
import static io.tinko.engine.retry.PlannerFixture.TECH;
import static io.tinko.engine.retry.PlannerFixture.ctx;
import static io.tinko.engine.retry.PlannerFixture.planner;
import static io.tinko.engine.retry.PlannerFixture.policy;
import static io.tinko.engine.retry.PlannerFixture.softNoJitter;
import static org.assertj.core.api.Assertions.assertThat;

import io.tinko.engine.classify.Classification;
import io.tinko.engine.classify.DeclineClass;
import io.tinko.engine.normalize.CardNetwork;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("Retry planning: schedules, backoff, month ends, time zones and class actions")
class RetryPlannerTest {
  private static final Instant JAN_31 = Instant.parse("2025-01-31T09:00:00Z");

  @ParameterizedTest(name = "retry {1} of a failure at {0} is due {2}")
  @CsvSource({
      "2025-01-31T09:00:00Z, 0, 2025-02-01T09:00:00Z",
      "2025-01-31T09:00:00Z, 3, 2025-02-06T09:00:00Z",
      "2025-01-31T09:00:00Z, 7, 2025-02-13T09:00:00Z",
      "2025-02-28T12:00:00Z, 0, 2025-03-01T12:00:00Z",
      "2028-02-28T12:00:00Z, 0, 2028-02-29T12:00:00Z",
      "2025-12-31T23:59:59Z, 0, 2026-01-01T23:59:59Z",
      "2025-10-26T00:30:00Z, 0, 2025-10-27T00:30:00Z"})
  @DisplayName("schedule offsets count exact days from the first failure, across month, leap-day and year ends")
  void scheduleAcrossMonthEnds(Instant firstFailure, int retriesMade, Instant due) {
    Instant lastFailure = firstFailure.plus(Duration.ofHours(retriesMade));
    Decision d = planner(lastFailure).decide(ctx(SOFT, CardNetwork.AMEX, firstFailure, lastFailure, retriesMade,
        List.of()), softNoJitter());
    assertThat(d.action()).isEqualTo(Decision.Action.SCHEDULE_RETRY);
    assertThat(d.dueAt()).isEqualTo(due);
    assertThat(d.rule()).isEqualTo("policy:RETRY_LATER:retry#" + (retriesMade + 1));
    assertThat(d.auditRule()).isEqualTo("table:stripe:insufficient_funds > policy:RETRY_LATER:retry#"
        + (retriesMade + 1));
  }

  @Test
  @DisplayName("a decision taken late never schedules in the past")
  void neverInThePast() {
    Instant now = JAN_31.plus(Duration.ofDays(3));
    Decision d = planner(now).decide(ctx(SOFT, CardNetwork.AMEX, JAN_31, JAN_31, 0, List.of()), softNoJitter());
    assertThat(d.dueAt()).isEqualTo(now);
  }

  @Test
  @DisplayName("jitter is within [0, jitter], positive only, and reproducible with the same seed")
  void jitter() {
    RetryPolicy jittered = policy("{\"action\":\"retry\",\"maxAttempts\":1,\"window\":\"P3D\",\"schedule\":[\"P1D\"],"
        + "\"jitter\":\"PT2H\"}");
    Instant base = JAN_31.plus(Duration.ofDays(1));
    Decision a = planner(JAN_31).decide(ctx(SOFT, JAN_31, 0, null), jittered);
    Decision b = planner(JAN_31).decide(ctx(SOFT, JAN_31, 0, null), jittered);
    assertThat(a.dueAt()).isEqualTo(b.dueAt()).isBetween(base, base.plus(Duration.ofHours(2)));
    assertThat(a.dueAt()).isNotEqualTo(base);
  }

  @Test
  @DisplayName("technical failures back off from the latest failure: 1 h, 2 h, 4 h, 8 h, then capped at 12 h")
  void backoff() {
    long[] hours = {1, 2, 4, 8, 12, 12};
    for (int i = 0; i < hours.length; i++) {
      Instant failedAt = JAN_31.plus(Duration.ofHours(i * 2L));
      Decision d = planner(failedAt).decide(ctx(TECH, CardNetwork.AMEX, JAN_31, failedAt, i, List.of()),
          PlannerFixture.hourlyBackoff());
      assertThat(d.dueAt()).as("retry " + (i + 1)).isEqualTo(failedAt.plus(Duration.ofHours(hours[i])));
    }
  }

  @Test
  @DisplayName("after maxAttempts retries the policy's exhaustion action follows, and the customer is told")
  void exhausted() {
    Decision d = planner(JAN_31).decide(ctx(SOFT, CardNetwork.AMEX, JAN_31, JAN_31, 8, List.of()), softNoJitter());
    assertThat(d.action()).isEqualTo(Decision.Action.REQUEST_CUSTOMER_ACTION);
    assertThat(d.rule()).isEqualTo("policy:RETRY_LATER:max_attempts");
    assertThat(d.dueAt()).isNull();
    assertThat(d.notifyCustomer()).isTrue();
  }

  @Test
  @DisplayName("the customer is emailed along with retries once notifyCustomerAfter retries have failed")
  void notifyAfter() {
    assertThat(planner(JAN_31).decide(ctx(SOFT, CardNetwork.AMEX, JAN_31, JAN_31, 1, List.of()), softNoJitter())
        .notifyCustomer()).isFalse();
    assertThat(planner(JAN_31).decide(ctx(SOFT, CardNetwork.AMEX, JAN_31, JAN_31, 2, List.of()), softNoJitter())
        .notifyCustomer()).isTrue();
  }

  @Test
  @DisplayName("a retry past the policy window ends the retries with rule policy:<class>:window")
  void window() {
    RetryPolicy late = policy("{\"action\":\"retry\",\"maxAttempts\":2,\"window\":\"P2D\",\"schedule\":[\"P1D\","
        + "\"P2D\"],\"localHour\":23}");
    Decision d = planner(JAN_31).decide(ctx(SOFT, JAN_31, 1, ZoneId.of("UTC")), late);
    assertThat(d.action()).isEqualTo(Decision.Action.GIVE_UP);
    assertThat(d.rule()).isEqualTo("policy:RETRY_LATER:window");
    assertThat(d.limit()).isNull();
  }

  @ParameterizedTest(name = "{0}: a retry due {1} moves to {2}")
  @CsvSource({
      // 15:00 EST on Mar 8; DST starts Mar 9 at 02:00, so 10:00 local is 14:00Z instead of 15:00Z.
      "America/New_York, 2025-03-08T20:00:00Z, 2025-03-09T14:00:00Z",
      // 08:00 EST: later the same day.
      "America/New_York, 2025-03-07T13:00:00Z, 2025-03-07T15:00:00Z",
      // 23:30 CET on Jan 31: the next 10:00 is Feb 1 (09:00Z).
      "Europe/Berlin, 2025-01-31T22:30:00Z, 2025-02-01T09:00:00Z",
      // 02:00 JST on Mar 1 is still Feb 28 in UTC: 10:00 JST Mar 1 is 01:00Z.
      "Asia/Tokyo, 2025-02-28T17:00:00Z, 2025-03-01T01:00:00Z",
      // Already inside the 10 o'clock hour: unchanged.
      "Asia/Kolkata, 2025-01-31T04:45:00Z, 2025-01-31T04:45:00Z"})
  @DisplayName("localHour moves a retry to the next start of that hour in the tenant's zone, DST and month ends included")
  void tenantLocalHour(String zone, Instant due, Instant expected) {
    RetryPolicy tenHour = policy("{\"action\":\"retry\",\"maxAttempts\":1,\"window\":\"P5D\",\"schedule\":[\"PT1H\"],"
        + "\"localHour\":10}");
    Instant failedAt = due.minus(Duration.ofHours(1));
    Decision d = planner(failedAt).decide(ctx(SOFT, failedAt, 0, ZoneId.of(zone)), tenHour);
    assertThat(d.dueAt()).isEqualTo(expected);
    ZonedDateTime local = d.dueAt().atZone(ZoneId.of(zone));
    assertThat(local.getHour()).isEqualTo(10);
  }

  @ParameterizedTest(name = "{0} asks for {1}")
  @CsvSource({"FIX_DATA, REQUEST_CUSTOMER_ACTION, customer_action", "AUTH_REQUIRED, REQUEST_CUSTOMER_ACTION, "
      + "customer_action", "CUSTOMER_ENABLE, REQUEST_CUSTOMER_ACTION, customer_action", "NEVER, REQUEST_CUSTOMER_ACTION, "
      + "customer_action", "MERCHANT_CONFIG, NOTIFY_MERCHANT, notify_merchant"})
  @DisplayName("classes without blind retries get the shipped action at once")
  void noRetryClasses(DeclineClass cls, Decision.Action action, String configName) {
    RetryPolicies shipped = RetryPolicies.loadDefaults();
    Classification c = Classification.of(cls, "test");
    Decision d = planner(JAN_31).decide(ctx(c, CardNetwork.VISA, JAN_31, JAN_31, 0, List.of()), shipped);
    assertThat(d.action()).isEqualTo(action);
    assertThat(d.rule()).isEqualTo("policy:" + cls + ":" + configName);
    assertThat(d.notifyCustomer()).isEqualTo(action == Decision.Action.REQUEST_CUSTOMER_ACTION);
    assertThat(d.reason()).isNotBlank();
  }

  @Test
  @DisplayName("a NEVER decline is not retried even by a (refused) policy that says retry")
  void neverEvenIfPolicySaysRetry() {
    Classification never = Classification.of(DeclineClass.NEVER, "mastercard.mac:21");
    Decision d = planner(JAN_31).decide(ctx(never, CardNetwork.MASTERCARD, JAN_31, JAN_31, 0, List.of()),
        softNoJitter());
    assertThat(d.action()).isEqualTo(Decision.Action.REQUEST_CUSTOMER_ACTION);
    assertThat(d.rule()).isEqualTo("limit:never_class");
    assertThat(d.limit()).isEqualTo("never_class");
  }

  @Test
  @DisplayName("an unknown code gets the conservative UNKNOWN schedule")
  void unknownCodesAreConservative() {
    Classification unknown = new Classification(DeclineClass.RETRY_LATER, "default:unknown", Duration.ZERO, true,
        "weird");
    RetryPolicies shipped = RetryPolicies.loadDefaults();
    Decision d = planner(JAN_31).decide(ctx(unknown, CardNetwork.AMEX, JAN_31, JAN_31, 0, List.of()), shipped);
    assertThat(d.rule()).isEqualTo("policy:UNKNOWN:retry#1");
    assertThat(d.dueAt()).isBetween(JAN_31.plus(Duration.ofDays(2)), JAN_31.plus(Duration.ofDays(2).plusHours(2)));
  }
}
