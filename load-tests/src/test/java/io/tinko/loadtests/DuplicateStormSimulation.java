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
 * A retry storm: every event is delivered by {@code tinko.lt.storm.copies} (default 20) virtual users arriving back
 * to back, so copies of one new event race each other through Redis and Postgres. Every copy must get 200; exactly
 * one may be "accepted" — the audit checks it per event (answered-accepted count and rows in Postgres).
 */
public class DuplicateStormSimulation extends Simulation {
  private final WebhookFeeder feeder = new WebhookFeeder("s", Profiles.expectedUsers(1.0), Params.RATE,
      Mix.parse(Params.MIX), 0, 0, 0, Params.STORM_COPIES);
  private final WebhookFeeder warm = WarmUp.feeder();

  {
    setUp(WarmUp.before(warm,
        WebhookScenarios.duplicateStorm("duplicate storm", feeder).injectOpen(Profiles.webhooks())))
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
