package io.tinko.loadtests.config;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;

import io.gatling.javaapi.core.OpenInjectionStep;
import java.util.List;

/**
 * Open-model injection profiles (arrivals do not wait for answers, as PSP traffic does not), picked with
 * {@code -Dtinko.lt.profile}. Each virtual user sends one webhook, so users/s = requests/s.
 * <ul>
 *   <li>smoke: the rate (default 100/s) for the duration (default 15 s) — "does it work at all"</li>
 *   <li>ramp: 1/s up to the rate over the whole duration — where does it bend</li>
 *   <li>steady: 5 s ramp (JIT warm-up), then the rate for the rest — the benchmark figure</li>
 *   <li>spike: a quarter of the rate, the full rate at once for the middle fifth, a quarter again — recovery</li>
 *   <li>soak: the rate for a long time (default 1000/s for 30 min) — leaks, sweeper, partitions, re-signing</li>
 * </ul>
 */
public final class Profiles {
  private Profiles() {}

  /** The selected profile at the configured rate and duration. */
  public static List<OpenInjectionStep> webhooks() {
    return scaled(1.0);
  }

  /** The selected profile with every rate multiplied by {@code share} (for mixed populations). */
  public static List<OpenInjectionStep> scaled(double share) {
    double rate = Params.RATE * share;
    int d = Params.DURATION;
    return switch (Params.PROFILE) {
      case SMOKE, SOAK -> List.of(constantUsersPerSec(rate).during(d));
      case RAMP -> List.of(rampUsersPerSec(Math.min(1, rate)).to(rate).during(d));
      case STEADY -> {
        int warm = Math.min(5, Math.max(1, d / 10));
        yield List.of(rampUsersPerSec(rate / 10).to(rate).during(warm), constantUsersPerSec(rate).during(d - warm));
      }
      case SPIKE -> {
        int edge = Math.max(1, d * 2 / 5);
        yield List.of(constantUsersPerSec(rate / 4).during(edge), constantUsersPerSec(rate).during(d - 2 * edge),
            constantUsersPerSec(rate / 4).during(edge));
      }
    };
  }

  /** How many users the profile injects in total (sizes the pre-signed feeder). */
  public static long expectedUsers(double share) {
    double rate = Params.RATE * share;
    int d = Params.DURATION;
    return switch (Params.PROFILE) {
      case SMOKE, SOAK, STEADY -> (long) Math.ceil(rate * d);
      case RAMP -> (long) Math.ceil(rate * d / 2 + d);
      case SPIKE -> (long) Math.ceil(rate * d);
    };
  }
}
