package io.tinko.engine.retry;

import static io.tinko.engine.retry.PlannerFixture.SOFT;
import static io.tinko.engine.retry.PlannerFixture.TECH;
import static io.tinko.engine.retry.PlannerFixture.USD_20;
import static io.tinko.engine.retry.PlannerFixture.ctx;
import static io.tinko.engine.retry.PlannerFixture.planner;
import static io.tinko.engine.retry.PlannerFixture.softNoJitter;
import static org.assertj.core.api.Assertions.assertThat;

import io.tinko.engine.classify.Classification;
import io.tinko.engine.classify.DeclineClass;
import io.tinko.engine.normalize.CardNetwork;
import io.tinko.engine.normalize.Money;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Network limits, floors and the NEVER block in planning")
class NetworkLimitsPlannerTest {
  private static final Instant NOW = Instant.parse("2025-01-31T09:00:00Z");

  private static List<CardAttempt> reattempts(Instant first, Duration step, int n) {
    List<CardAttempt> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(CardAttempt.declined(first.plus(step.multipliedBy(i)), USD_20, true, SOFT));
    }
    return out;
  }

  @Test
  @DisplayName("with 15 Visa reattempts in the window the retry waits until the oldest is 30 days old")
  void visaDefers() {
    List<CardAttempt> history = new ArrayList<>(reattempts(Instant.parse("2025-01-10T09:00:00Z"), Duration.ofDays(1),
        15));
    // The payment's own first decline is not a reattempt; passed explicitly so the planner does not assume one.
    history.add(CardAttempt.declined(NOW, USD_20, false, SOFT));
    Decision d = planner(NOW).decide(ctx(SOFT, CardNetwork.VISA, NOW, NOW, 0, history), softNoJitter());
    assertThat(d.action()).isEqualTo(Decision.Action.SCHEDULE_RETRY);
    assertThat(d.dueAt()).isEqualTo(Instant.parse("2025-02-09T09:00:00Z"));
    assertThat(d.limit()).isEqualTo("visa.reattempts");
    assertThat(d.rule()).isEqualTo("policy:RETRY_LATER:retry#1");
  }

  @Test
  @DisplayName("when Visa's limit pushes the retry past the policy window, it is not scheduled and the limit is named")
  void visaForbids() {
    List<CardAttempt> history = reattempts(Instant.parse("2025-01-25T09:00:00Z"), Duration.ofHours(10), 15);
    Decision d = planner(NOW).decide(ctx(SOFT, CardNetwork.VISA, NOW, NOW, 0, history), softNoJitter());
    assertThat(d.action()).isEqualTo(Decision.Action.REQUEST_CUSTOMER_ACTION);
    assertThat(d.rule()).isEqualTo("limit:visa.reattempts");
    assertThat(d.limit()).isEqualTo("visa.reattempts");
    assertThat(d.reason()).contains("Visa allows at most 15 reattempts");
  }

  @Test
  @DisplayName("first attempts are not Visa reattempts; Amex has no limits at all")
  void whatCounts() {
    List<CardAttempt> firsts = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      firsts.add(CardAttempt.declined(NOW.minus(Duration.ofDays(i + 1)), USD_20, false, SOFT));
    }
    Decision visa = planner(NOW).decide(ctx(SOFT, CardNetwork.VISA, NOW, NOW, 0, firsts), softNoJitter());
    assertThat(visa.limit()).isNull();
    List<CardAttempt> many = reattempts(NOW.minus(Duration.ofDays(2)), Duration.ofHours(1), 40);
    Decision amex = planner(NOW).decide(ctx(SOFT, CardNetwork.AMEX, NOW, NOW, 0, many), softNoJitter());
    assertThat(amex.dueAt()).isEqualTo(NOW.plus(Duration.ofDays(1)));
  }

  @Test
  @DisplayName("10 Mastercard declines in 24 h hold an hourly retry until the oldest is 24 h old")
  void mastercardDaily() {
    Instant first = NOW.minus(Duration.ofHours(20));
    List<CardAttempt> history = reattempts(first, Duration.ofHours(2), 10);
    Instant failedAt = first.plus(Duration.ofHours(18));
    Decision d = planner(failedAt).decide(ctx(TECH, CardNetwork.MASTERCARD, first, failedAt, 0, history),
        PlannerFixture.hourlyBackoff());
    assertThat(d.dueAt()).isEqualTo(first.plus(Duration.ofHours(24)));
    assertThat(d.limit()).isEqualTo("mastercard.declines");
  }

  @Test
  @DisplayName("35 declines of the same amount in 30 days stop Mastercard retries; another amount does not count")
  void mastercardSameAmount() {
    Instant first = NOW.minus(Duration.ofDays(20));
    List<CardAttempt> history = reattempts(first, Duration.ofHours(13), 35);
    Decision same = planner(NOW).decide(ctx(SOFT, CardNetwork.MASTERCARD, NOW, NOW, 0, history), softNoJitter());
    assertThat(same.limit()).isEqualTo("mastercard.same_amount_declines");
    // 35 earlier declines plus today's: the retry waits until the two oldest have left the 30 days.
    assertThat(same.dueAt()).isEqualTo(first.plus(Duration.ofHours(13)).plus(Duration.ofDays(30)));

    Money other = new Money(2500, "USD", 2);
    RetryContext otherAmount = new RetryContext(SOFT, CardNetwork.MASTERCARD, other, NOW, NOW, 0, history, null);
    Decision d = planner(NOW).decide(otherAmount, softNoJitter());
    assertThat(d.dueAt()).isEqualTo(NOW.plus(Duration.ofDays(1)));
    assertThat(d.limit()).isNull();
  }

  @Test
  @DisplayName("a decline left out of the history is added as a reattempt, the safe side: one day later than above")
  void missingCurrentDeclineIsConservative() {
    List<CardAttempt> history = reattempts(Instant.parse("2025-01-10T09:00:00Z"), Duration.ofDays(1), 15);
    Decision d = planner(NOW).decide(ctx(SOFT, CardNetwork.VISA, NOW, NOW, 0, history), softNoJitter());
    assertThat(d.dueAt()).isEqualTo(Instant.parse("2025-02-10T09:00:00Z"));
  }

  @Test
  @DisplayName("when the payment's amount is unknown every decline counts as the same amount")
  void unknownAmountIsStricter() {
    Instant first = NOW.minus(Duration.ofDays(20));
    List<CardAttempt> history = reattempts(first, Duration.ofHours(13), 35);
    RetryContext noAmount = new RetryContext(SOFT, CardNetwork.MASTERCARD, null, NOW, NOW, 0, history, null);
    assertThat(planner(NOW).decide(noAmount, softNoJitter()).limit()).isEqualTo("mastercard.same_amount_declines");
  }

  @Test
  @DisplayName("a card of unknown scheme is held to Visa's and Mastercard's limits both")
  void unknownSchemeGetsBoth() {
    List<CardAttempt> history = reattempts(Instant.parse("2025-01-10T09:00:00Z"), Duration.ofDays(1), 15);
    Decision d = planner(NOW).decide(ctx(SOFT, CardNetwork.UNKNOWN, NOW, NOW, 0, history), softNoJitter());
    assertThat(d.limit()).isEqualTo("visa.reattempts");
  }

  @Test
  @DisplayName("retries another payment already scheduled on the card count as future declines")
  void scheduledAttemptsCount() {
    Instant first = NOW.minus(Duration.ofHours(12));
    List<CardAttempt> history = new ArrayList<>(reattempts(first, Duration.ofHours(1), 9));
    history.add(CardAttempt.scheduled(NOW.plus(Duration.ofMinutes(90)), USD_20));
    Decision d = planner(NOW).decide(ctx(TECH, CardNetwork.MASTERCARD, first, NOW, 0, history),
        PlannerFixture.hourlyBackoff());
    // 9 earlier declines, today's and the scheduled one: 11 around NOW + 1 h, so the retry waits until the two
    // oldest are 24 h old.
    assertThat(d.dueAt()).isEqualTo(first.plus(Duration.ofHours(25)));
    assertThat(d.limit()).isEqualTo("mastercard.declines");
  }

  @Test
  @DisplayName("MAC 25 holds a retry 24 h after the decline, even when the backoff says 1 h")
  void macFloor() {
    Classification mac25 = new Classification(DeclineClass.RETRY_LATER, "mastercard.mac:25", Duration.ofHours(24),
        false, "25");
    Decision d = planner(NOW).decide(ctx(mac25, CardNetwork.MASTERCARD, NOW, NOW, 0, List.of()),
        PlannerFixture.hourlyBackoff());
    assertThat(d.dueAt()).isEqualTo(NOW.plus(Duration.ofHours(24)));
  }

  @Test
  @DisplayName("an earlier decline's MAC 30 keeps the card untouched for 10 days, also for a new payment")
  void historyFloor() {
    Instant earlier = NOW.minus(Duration.ofDays(2));
    Classification mac30 = new Classification(DeclineClass.RETRY_LATER, "mastercard.mac:30", Duration.ofDays(10),
        false, "30");
    List<CardAttempt> history = List.of(CardAttempt.declined(earlier, USD_20, false, mac30));
    Decision d = planner(NOW).decide(ctx(SOFT, CardNetwork.MASTERCARD, NOW, NOW, 0, history), softNoJitter());
    assertThat(d.dueAt()).isEqualTo(earlier.plus(Duration.ofDays(10)));
  }

  @Test
  @DisplayName("after a NEVER decline the card is not retried for any payment, until it is approved again")
  void neverBlocksTheCard() {
    Classification stolen = Classification.of(DeclineClass.NEVER, "table:stripe:stolen_card");
    List<CardAttempt> blocked = List.of(CardAttempt.declined(NOW.minus(Duration.ofDays(40)), USD_20, false, stolen));
    Decision d = planner(NOW).decide(ctx(SOFT, CardNetwork.VISA, NOW, NOW, 0, blocked), softNoJitter());
    assertThat(d.action()).isEqualTo(Decision.Action.REQUEST_CUSTOMER_ACTION);
    assertThat(d.rule()).isEqualTo("limit:never_class");

    List<CardAttempt> approvedSince = List.of(blocked.get(0),
        CardAttempt.approved(NOW.minus(Duration.ofDays(10)), USD_20, false));
    assertThat(planner(NOW).decide(ctx(SOFT, CardNetwork.VISA, NOW, NOW, 0, approvedSince), softNoJitter()).action())
        .isEqualTo(Decision.Action.SCHEDULE_RETRY);
  }
}
