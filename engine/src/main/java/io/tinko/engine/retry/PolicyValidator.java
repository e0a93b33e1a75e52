package io.tinko.engine.retry;

import io.tinko.engine.classify.DeclineClass;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Checks a policy before it is stored: its shape, the class rules of DOMAIN.md (no blind retry of FIX_DATA,
 * AUTH_REQUIRED, CUSTOMER_ENABLE, MERCHANT_CONFIG; nothing after NEVER) and whether its own schedule, retried
 * back-to-back on one card, would already break a network limit. History from other payments can still make a
 * valid policy hit a limit; the planner handles that at run time.
 */
public final class PolicyValidator {
  private static final Set<String> NO_BLIND_RETRY = Set.of(DeclineClass.FIX_DATA.name(),
      DeclineClass.AUTH_REQUIRED.name(), DeclineClass.CUSTOMER_ENABLE.name(), DeclineClass.MERCHANT_CONFIG.name());

  private PolicyValidator() {}

  public static List<Violation> validate(RetryPolicies policies) {
    List<Violation> out = new ArrayList<>();
    policies.all().forEach((key, p) -> out.addAll(validate(key, p, policies.networkLimits())));
    return out;
  }

  /** Violations of the policy stored under {@code key} (a class name or UNKNOWN); empty when it may be saved. */
  public static List<Violation> validate(String key, RetryPolicy p, NetworkLimits limits) {
    List<Violation> out = new ArrayList<>();
    if (!p.retries()) {
      return out;
    }
    if (key.equals(DeclineClass.NEVER.name())) {
      out.add(new Violation(key + ".action", NetworkLimitGuard.NEVER_CLASS,
          "a card the issuer will never approve must not be retried"));
    }
    if (NO_BLIND_RETRY.contains(key)) {
      out.add(new Violation(key + ".action", "no_blind_retry",
          "this class needs the customer or the merchant to act first; a blind retry fails again and counts "
              + "against the card's network limits"));
    }
    shape(key, p, out);
    if (out.stream().anyMatch(v -> v.rule().equals("invalid"))) {
      return out;
    }
    List<Duration> offsets = offsets(p);
    Duration jitter = p.jitter();
    // Retries alone count for Visa; for Mastercard the original decline at offset 0 counts too.
    int visa = densest(offsets, limits.visaWindow().plus(jitter));
    if (visa > limits.visaMaxReattempts()) {
      out.add(new Violation(key + ".schedule", NetworkLimitGuard.VISA_REATTEMPTS, visa + " retries fall within "
          + limits.visaWindow() + "; Visa allows " + limits.visaMaxReattempts() + " reattempts per card"));
    }
    List<Duration> withOriginal = new ArrayList<>(offsets);
    withOriginal.add(0, Duration.ZERO);
    int mc = densest(withOriginal, limits.mastercardDeclineWindow().plus(jitter));
    if (mc > limits.mastercardMaxDeclines()) {
      out.add(new Violation(key + ".schedule", NetworkLimitGuard.MASTERCARD_DECLINES, mc + " declines could fall within "
          + limits.mastercardDeclineWindow() + "; Mastercard allows " + limits.mastercardMaxDeclines() + " per card"));
    }
    int mcAmount = densest(withOriginal, limits.mastercardSameAmountWindow().plus(jitter));
    if (mcAmount > limits.mastercardMaxSameAmount()) {
      out.add(new Violation(key + ".schedule", NetworkLimitGuard.MASTERCARD_SAME_AMOUNT, mcAmount
          + " declines of one amount could fall within " + limits.mastercardSameAmountWindow()
          + "; Mastercard allows " + limits.mastercardMaxSameAmount() + " per card and amount"));
    }
    return out;
  }

  private static void shape(String key, RetryPolicy p, List<Violation> out) {
    if (p.maxAttempts() < 1) {
      out.add(invalid(key + ".maxAttempts", "a retrying policy needs maxAttempts of at least 1"));
    }
    if (!positive(p.window())) {
      out.add(invalid(key + ".window", "a retrying policy needs a positive window"));
    }
    if (p.jitter().isNegative()) {
      out.add(invalid(key + ".jitter", "jitter cannot be negative"));
    }
    if (p.localHour() != null && (p.localHour() < 0 || p.localHour() > 23)) {
      out.add(invalid(key + ".localHour", "localHour must be 0-23"));
    }
    if (p.whenExhausted() == PolicyAction.RETRY) {
      out.add(invalid(key + ".whenExhausted", "whenExhausted cannot be retry"));
    }
    if (p.schedule().isEmpty() == (p.backoff() == null)) {
      out.add(invalid(key, "a retrying policy has exactly one of schedule and backoff"));
      return;
    }
    if (!p.schedule().isEmpty()) {
      if (p.schedule().size() < p.maxAttempts()) {
        out.add(invalid(key + ".schedule", "the schedule has " + p.schedule().size() + " offsets for maxAttempts "
            + p.maxAttempts()));
      }
      for (int i = 0; i < p.schedule().size(); i++) {
        Duration d = p.schedule().get(i);
        if (!positive(d) || (i > 0 && d.compareTo(p.schedule().get(i - 1)) <= 0)) {
          out.add(invalid(key + ".schedule[" + i + "]", "offsets must be positive and increasing"));
        } else if (d.compareTo(p.window()) > 0) {
          out.add(invalid(key + ".schedule[" + i + "]", d + " is after the window " + p.window()));
        }
      }
    } else {
      RetryPolicy.Backoff b = p.backoff();
      if (!positive(b.initial()) || b.max().compareTo(b.initial()) < 0 || !(b.multiplier() >= 1.0)) {
        out.add(invalid(key + ".backoff", "backoff needs initial > 0, max >= initial and multiplier >= 1"));
      }
    }
  }

  /** Retry times relative to the first failure if every retry is declined at once (the densest case). */
  static List<Duration> offsets(RetryPolicy p) {
    List<Duration> out = new ArrayList<>();
    if (!p.schedule().isEmpty()) {
      out.addAll(p.schedule().subList(0, Math.min(p.maxAttempts(), p.schedule().size())));
      return out;
    }
    Duration t = Duration.ZERO;
    RetryPolicy.Backoff b = p.backoff();
    for (int i = 0; i < p.maxAttempts(); i++) {
      double millis = b.initial().toMillis() * Math.pow(b.multiplier(), i);
      t = t.plusMillis(millis >= b.max().toMillis() ? b.max().toMillis() : (long) millis);
      out.add(t);
    }
    return out;
  }

  /** The most offsets inside any half-open window of length {@code w} (sorted input). */
  static int densest(List<Duration> sorted, Duration w) {
    int best = 0;
    for (int i = 0; i < sorted.size(); i++) {
      Duration end = sorted.get(i).plus(w);
      int count = 0;
      for (int j = i; j < sorted.size() && sorted.get(j).compareTo(end) < 0; j++) {
        count++;
      }
      best = Math.max(best, count);
    }
    return best;
  }

  // Duration.isPositive() arrived in Java 18; the build targets 17.
  private static boolean positive(Duration d) {
    return !d.isNegative() && !d.isZero();
  }

  private static Violation invalid(String field, String message) {
    return new Violation(field, "invalid", message);
  }
}
