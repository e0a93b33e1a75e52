package io.tinko.loadtests.config;

import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;

import io.gatling.javaapi.core.PopulationBuilder;
import io.tinko.loadtests.scenarios.WebhookScenarios;

/** The warm-up that runs before a webhook population: {@link Params#WARMUP} s ramping to min(rate, 1000)/s. */
public final class WarmUp {
  private WarmUp() {}

  public static double rate() {
    return Math.min(Params.RATE, 1000);
  }

  public static WebhookFeeder feeder() {
    if (Params.WARMUP <= 0) {
      return null;
    }
    return new WebhookFeeder("w", (long) (rate() * Params.WARMUP / 2 + 100), rate(), Mix.parse(Params.MIX),
        Params.DUPLICATE_SHARE, Params.BAD_SIGNATURE_SHARE, Params.OVERSIZED_SHARE, 1);
  }

  /** {@code measured}, preceded by the warm-up when there is one. */
  public static java.util.List<PopulationBuilder> before(WebhookFeeder warm, PopulationBuilder... measured) {
    if (warm == null) {
      return java.util.List.of(measured);
    }
    return java.util.List.of(WebhookScenarios.warmUp(warm)
        .injectOpen(rampUsersPerSec(Math.min(10, rate())).to(rate()).during(Params.WARMUP))
        .andThen(measured));
  }
}
