package io.tinko.engine.retry;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinko.engine.classify.Classification;
import io.tinko.engine.classify.DeclineClass;
import io.tinko.engine.normalize.CardNetwork;
import io.tinko.engine.normalize.Money;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Regression found by NetworkLimitPropertiesTest: an approval later than now must not lift floors or a NEVER block. */
class ApprovalAsOfTest {
  private static final Instant NOW = Instant.parse("2025-01-31T09:00:00Z");
  private static final Money AMOUNT = new Money(2000, "USD", 2);

  private Decision decide(List<CardAttempt> history) {
    RetryPolicy backoff = new RetryPolicy(PolicyAction.RETRY, 3, Duration.ofDays(3), List.of(),
        new RetryPolicy.Backoff(Duration.ofMinutes(1), 1, Duration.ofMinutes(1)), Duration.ZERO, 0,
        PolicyAction.GIVE_UP, null);
    RetryPlanner planner = new RetryPlanner(RetryPolicies.loadDefaults().networkLimits(),
        Clock.fixed(NOW, ZoneOffset.UTC), () -> 0L);
    return planner.decide(new RetryContext(Classification.of(DeclineClass.TECHNICAL, "t"), CardNetwork.VISA, AMOUNT,
        NOW, NOW, 0, history, ZoneOffset.UTC), backoff);
  }

  @Test
  @DisplayName("a floor of an earlier decline holds even when the history holds an approval after now")
  void floorHolds() {
    CardAttempt mac = new CardAttempt(NOW.minusSeconds(60), AMOUNT, CardAttempt.Outcome.DECLINED, true,
        DeclineClass.RETRY_LATER, Duration.ofHours(1));
    CardAttempt later = CardAttempt.approved(NOW.plus(Duration.ofMinutes(30)), AMOUNT, true);
    assertThat(decide(List.of(mac, later)).dueAt()).isEqualTo(NOW.minusSeconds(60).plus(Duration.ofHours(1)));
  }

  @Test
  @DisplayName("a NEVER decline stays a block when the only approval after it lies in the future")
  void neverHolds() {
    CardAttempt lost = CardAttempt.declined(NOW.minusSeconds(600), AMOUNT, true,
        Classification.of(DeclineClass.NEVER, "table:stripe:lost_card"));
    CardAttempt later = CardAttempt.approved(NOW.plus(Duration.ofMinutes(30)), AMOUNT, true);
    assertThat(decide(List.of(lost, later)).limit()).isEqualTo(NetworkLimitGuard.NEVER_CLASS);
  }
}
