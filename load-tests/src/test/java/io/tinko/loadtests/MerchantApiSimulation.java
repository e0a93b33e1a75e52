package io.tinko.loadtests;

import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.global;

import io.gatling.javaapi.core.Simulation;
import io.tinko.loadtests.config.MerchantFeeder;
import io.tinko.loadtests.config.Params;
import io.tinko.loadtests.scenarios.WebhookScenarios;
import io.tinko.loadtests.config.Profiles;
import io.tinko.loadtests.config.Protocols;
import io.tinko.loadtests.scenarios.MerchantScenarios;

/**
 * Merchants on their dashboard: log in, list and filter transactions, open timelines (issue 5's API). The rate is
 * requests per second; a visit makes about {@link MerchantScenarios#REQUESTS_PER_VISIT} of them. Registration runs
 * in before() and stops the run with an explanation when the API does not exist yet.
 */
public class MerchantApiSimulation extends Simulation {
  {
    setUp(MerchantScenarios.dashboardVisit("merchants")
        .injectOpen(Profiles.scaled(1.0 / MerchantScenarios.REQUESTS_PER_VISIT)))
        .protocols(Protocols.http())
        .assertions(
            details(WebhookScenarios.MEASURED, "list transactions").responseTime().percentile(99.0)
                .lt((int) Params.ASSERT_MERCHANT_P99_MS),
            global().failedRequests().percent().lte(Params.ASSERT_MAX_FAILED_PERCENT));
  }

  @Override
  public void before() {
    MerchantFeeder.registerMerchant();
  }
}
