package io.tinko.engine.retry;

import io.tinko.engine.classify.Classification;
import io.tinko.engine.classify.DeclineClass;
import io.tinko.engine.normalize.CardNetwork;
import io.tinko.engine.normalize.Money;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.SplittableRandom;

/** Shared builders for planner tests: fixed clocks, seeded jitter, jitter-free policies. */
final class PlannerFixture {
  static final NetworkLimits LIMITS = new NetworkLimits(15, Duration.ofDays(30), 10, Duration.ofHours(24), 35,
      Duration.ofDays(30));
  static final Money USD_20 = new Money(2000, "USD", 2);
  static final Classification SOFT = Classification.of(DeclineClass.RETRY_LATER, "table:stripe:insufficient_funds");
  static final Classification TECH = Classification.of(DeclineClass.TECHNICAL, "table:stripe:processing_error");

  private PlannerFixture() {}

  static RetryPlanner planner(Instant now) {
    return planner(now, LIMITS);
  }

  static RetryPlanner planner(Instant now, NetworkLimits limits) {
    return new RetryPlanner(limits, Clock.fixed(now, ZoneOffset.UTC), new SplittableRandom(7));
  }

  static RetryPolicy policy(String json) {
    return RetryPolicy.fromJson(new JsonObject(json));
  }

  /** The shipped RETRY_LATER schedule without jitter, so due times are exact. */
  static RetryPolicy softNoJitter() {
    return policy("{\"action\":\"retry\",\"maxAttempts\":8,\"window\":\"P14D\",\"schedule\":[\"P1D\",\"P2D\",\"P4D\","
        + "\"P6D\",\"P8D\",\"P10D\",\"P12D\",\"P13D\"],\"notifyCustomerAfter\":2,\"whenExhausted\":\"customer_action\"}");
  }

  static RetryPolicy hourlyBackoff() {
    return policy("{\"action\":\"retry\",\"maxAttempts\":6,\"window\":\"P3D\",\"backoff\":{\"initial\":\"PT1H\","
        + "\"multiplier\":2,\"max\":\"PT12H\"},\"whenExhausted\":\"give_up\"}");
  }

  static RetryContext ctx(Classification c, CardNetwork network, Instant firstFailedAt, Instant failedAt,
                          int retriesMade, List<CardAttempt> history) {
    return new RetryContext(c, network, USD_20, firstFailedAt, failedAt, retriesMade, history, null);
  }

  static RetryContext ctx(Classification c, Instant failedAt, int retriesMade, ZoneId zone) {
    return new RetryContext(c, CardNetwork.AMEX, USD_20, failedAt, failedAt, retriesMade, List.of(), zone);
  }
}
