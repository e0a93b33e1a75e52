package io.tinko.engine.retry;

import io.tinko.engine.classify.Classification;
import io.tinko.engine.classify.DeclineClass;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Decides what follows a decline: a pure function of the context, the class's policy, the network limits, the clock
 * and the random source (for jitter). Not thread-safe when the random source is not (one planner per verticle).
 *
 * <p>Order: the policy's action; NEVER and a card blocked by an earlier NEVER decline never get a retry; attempts
 * left; the candidate time (schedule offset from the first failure, or backoff from this failure; never before now)
 * plus jitter; advice floors (this decline's and the card's earlier ones); the tenant's local hour; then the network
 * limits move the time to the earliest compliant instant. Past the policy window the retries end, and the decision
 * names the limit when one caused it.
 */
public final class RetryPlanner {
  private static final Map<DeclineClass, String> NO_RETRY_REASONS = new EnumMap<>(Map.of(
      DeclineClass.FIX_DATA, "The card data is wrong or outdated: ask the customer to update the card.",
      DeclineClass.AUTH_REQUIRED, "The issuer requires authentication: send the customer a link to pay on-session.",
      DeclineClass.CUSTOMER_ENABLE, "The card is not enabled for this payment: ask the customer to enable it.",
      DeclineClass.NEVER, "The issuer will never approve this card: stop using it and ask for a new payment method.",
      DeclineClass.MERCHANT_CONFIG, "The merchant's setup caused the decline: alert the merchant.",
      DeclineClass.RETRY_LATER, "The policy does not retry soft declines.",
      DeclineClass.TECHNICAL, "The policy does not retry technical failures."));

  private final NetworkLimitGuard guard;
  private final Clock clock;
  private final RandomGenerator random;

  public RetryPlanner(NetworkLimits limits, Clock clock, RandomGenerator random) {
    this.guard = new NetworkLimitGuard(limits);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
  }

  /** Decides with the policy {@code policies} holds for the classification (UNKNOWN's for unknown codes). */
  public Decision decide(RetryContext ctx, RetryPolicies policies) {
    return decide(ctx, policies.forClassification(ctx.classification()));
  }

  public Decision decide(RetryContext ctx, RetryPolicy policy) {
    Classification c = ctx.classification();
    String key = RetryPolicies.keyOf(c);
    if (!policy.retries()) {
      return stop(ctx, policy.action(), "policy:" + key + ":" + policy.action().configName(),
          NO_RETRY_REASONS.get(c.declineClass()), null);
    }
    if (c.declineClass() == DeclineClass.NEVER) {
      // A policy that retries NEVER is invalid (PolicyValidator); the network rule wins regardless.
      return stop(ctx, PolicyAction.CUSTOMER_ACTION, "limit:" + NetworkLimitGuard.NEVER_CLASS,
          NO_RETRY_REASONS.get(DeclineClass.NEVER), NetworkLimitGuard.NEVER_CLASS);
    }
    List<CardAttempt> history = withCurrentDecline(ctx);
    Instant now = clock.instant();
    Optional<CardAttempt> blocked = guard.neverBlock(history, now);
    if (blocked.isPresent()) {
      return stop(ctx, policy.whenExhausted(), "limit:" + NetworkLimitGuard.NEVER_CLASS, "The card had a decline "
          + "that must never be retried (" + blocked.get().at() + ") and no approval since.",
          NetworkLimitGuard.NEVER_CLASS);
    }
    Optional<Instant> base = baseTime(ctx, policy);
    if (base.isEmpty()) {
      return stop(ctx, policy.whenExhausted(), "policy:" + key + ":max_attempts",
          "All " + policy.maxAttempts() + " retries of the policy were used.", null);
    }
    Instant at = max(base.get(), now).plus(jitter(policy.jitter()));
    at = max(at, ctx.failedAt().plus(c.notBefore()));
    at = max(at, guard.floor(history, now).orElse(at));
    if (policy.localHour() != null) {
      at = nextLocalHour(at, policy.localHour(), ctx);
    }
    NetworkLimitGuard.Placement placed = guard.earliestCompliant(ctx.network(), ctx.amount(), history, at);
    Instant deadline = ctx.firstFailedAt().plus(policy.window());
    if (placed.at() == null || placed.at().isAfter(deadline)) {
      if (placed.deferredBy() != null) {
        String limit = guard.describe(ctx.network(), placed.deferredBy()).map(NetworkLimitGuard.Limit::description)
            .orElse(placed.deferredBy());
        return stop(ctx, policy.whenExhausted(), "limit:" + placed.deferredBy(), limit
            + "; the next compliant time is past the policy window ending " + deadline + ".", placed.deferredBy());
      }
      return stop(ctx, policy.whenExhausted(), "policy:" + key + ":window",
          "The next retry (" + placed.at() + ") would fall after the policy window ending " + deadline + ".", null);
    }
    int n = ctx.retriesMade() + 1;
    boolean notify = policy.notifyCustomerAfter() > 0 && ctx.retriesMade() >= policy.notifyCustomerAfter();
    String reason = "Retry " + n + " of " + policy.maxAttempts() + " for " + c.declineClass() + " (" + c.rule()
        + ") at " + placed.at() + (placed.deferredBy() == null ? "" : ", deferred by " + placed.deferredBy()) + ".";
    return new Decision(Decision.Action.SCHEDULE_RETRY, placed.at(), "policy:" + key + ":retry#" + n, reason, notify,
        placed.deferredBy(), c);
  }

  /** The schedule's offset for the next retry, or the backoff delay after this decline; empty when none is left. */
  private static Optional<Instant> baseTime(RetryContext ctx, RetryPolicy policy) {
    int i = ctx.retriesMade();
    if (i >= policy.maxAttempts()) {
      return Optional.empty();
    }
    if (!policy.schedule().isEmpty()) {
      return i < policy.schedule().size() ? Optional.of(ctx.firstFailedAt().plus(policy.schedule().get(i)))
          : Optional.empty();
    }
    RetryPolicy.Backoff b = policy.backoff();
    if (b == null) {
      return Optional.empty();
    }
    double millis = b.initial().toMillis() * Math.pow(b.multiplier(), i);
    long capped = millis >= b.max().toMillis() ? b.max().toMillis() : (long) millis;
    return Optional.of(ctx.failedAt().plus(Duration.ofMillis(capped)));
  }

  private Duration jitter(Duration max) {
    return max.isZero() || max.isNegative() ? Duration.ZERO : Duration.ofMillis(random.nextLong(max.toMillis() + 1));
  }

  /** The next start of {@code hour} in the tenant's zone at or after {@code at}; inside that hour it stays put. */
  private static Instant nextLocalHour(Instant at, int hour, RetryContext ctx) {
    ZonedDateTime local = at.atZone(ctx.tenantZone());
    if (local.getHour() == hour) {
      return at;
    }
    ZonedDateTime start = local.truncatedTo(ChronoUnit.DAYS).withHour(hour);
    // withHour resolves a DST gap forward, so the result is always a real instant.
    return (start.toInstant().isAfter(at) ? start : start.plusDays(1).withHour(hour)).toInstant();
  }

  /** The history with the decline being decided on, added (as a reattempt, the safe side) when the caller left it out. */
  private static List<CardAttempt> withCurrentDecline(RetryContext ctx) {
    boolean present = ctx.cardHistory().stream().anyMatch(a -> a.at().equals(ctx.failedAt())
        && a.outcome() == CardAttempt.Outcome.DECLINED);
    if (present) {
      return ctx.cardHistory();
    }
    List<CardAttempt> all = new ArrayList<>(ctx.cardHistory());
    all.add(CardAttempt.declined(ctx.failedAt(), ctx.amount(), true, ctx.classification()));
    return all;
  }

  private static Decision stop(RetryContext ctx, PolicyAction action, String rule, String reason, String limit) {
    Decision.Action a = action == PolicyAction.RETRY ? Decision.Action.GIVE_UP : action.toDecision();
    return new Decision(a, null, rule, reason, a == Decision.Action.REQUEST_CUSTOMER_ACTION, limit,
        ctx.classification());
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
