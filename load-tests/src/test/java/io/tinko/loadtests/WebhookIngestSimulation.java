package io.tinko.loadtests;

import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.global;

import io.gatling.javaapi.core.Simulation;
import io.tinko.loadtests.config.Mix;
import io.tinko.loadtests.config.Params;
import io.tinko.loadtests.config.Profiles;
import io.tinko.loadtests.config.Protocols;
import io.tinko.loadtests.config.WarmUp;
import io.tinko.loadtests.config.WebhookFeeder;
import io.tinko.loadtests.scenarios.WebhookScenarios;
import io.tinko.loadtests.support.AnswerLog;
import java.util.List;

/**
 * PSP webhook traffic at a target rate: a Stripe/Razorpay/Standard Webhooks mix signed as the PSPs sign, mostly
 * unique events, with shares of duplicates (200 duplicate), forged signatures (401) and oversized bodies (413).
 */
public class WebhookIngestSimulation extends Simulation {
  private final WebhookFeeder feeder = new WebhookFeeder("", Profiles.expectedUsers(1.0), Params.RATE,
      Mix.parse(Params.MIX), Params.DUPLICATE_SHARE, Params.BAD_SIGNATURE_SHARE, Params.OVERSIZED_SHARE, 1);
  private final WebhookFeeder warm = WarmUp.feeder();

  {
    setUp(WarmUp.before(warm, WebhookScenarios.ingest("webhooks", feeder).injectOpen(Profiles.webhooks())))
        .protocols(Protocols.http())
        .assertions(
            details(WebhookScenarios.MEASURED).responseTime().percentile(99.0).lt((int) Params.ASSERT_P99_MS),
            global().failedRequests().percent().lte(Params.ASSERT_MAX_FAILED_PERCENT));
  }

  @Override
  public void after() {
    AnswerLog.write(getClass().getSimpleName(), List.of(feeder), warm);
  }
}
