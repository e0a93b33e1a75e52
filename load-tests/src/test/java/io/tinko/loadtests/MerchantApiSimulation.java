package io.tinko.loadtests;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.global;

import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.Simulation;
import io.tinko.loadtests.config.MerchantFeeder;
import io.tinko.loadtests.config.Params;
import io.tinko.loadtests.config.Profiles;
import io.tinko.loadtests.config.Protocols;
import io.tinko.loadtests.scenarios.MerchantScenarios;
import io.tinko.loadtests.scenarios.WebhookScenarios;
import io.tinko.loadtests.support.AnswerLog;

/**
 * Merchants on their dashboard, signed in once: list and filter transactions, open timelines (issue 5's API). The
 * rate is requests per second; a visit makes about {@link MerchantScenarios#REQUESTS_PER_VISIT} of them. A warm-up
 * of the same visits at the same rate ({@code tinko.lt.warmup} seconds, group "warm-up") comes first. Registration
 * runs in before() and stops the run with an explanation when the API does not exist yet; the dashboard's one login
 * follows it there, outside the measured window ({@link MerchantFeeder.Session}). The issue 5 figure is the request
 * {@code list transactions} in the group "measured".
 */
public class MerchantApiSimulation extends Simulation {
  private final MerchantFeeder.Session session = new MerchantFeeder.Session();
  private final MerchantFeeder.Visits visits = new MerchantFeeder.Visits(session);
  private final MerchantFeeder.Visits warmVisits = new MerchantFeeder.Visits(session);

  {
    double share = 1.0 / MerchantScenarios.REQUESTS_PER_VISIT;
    PopulationBuilder measured = MerchantScenarios.dashboardVisit("merchants", visits)
        .injectOpen(Profiles.scaled(share));
    PopulationBuilder all = Params.WARMUP <= 0 ? measured
        : MerchantScenarios.warmUp(warmVisits)
            .injectOpen(constantUsersPerSec(Params.RATE * share).during(Params.WARMUP)).andThen(measured);
    setUp(all)
        .protocols(Protocols.http())
        .assertions(
            details(WebhookScenarios.MEASURED, "list transactions").responseTime().percentile(99.0)
                .lt((int) Params.ASSERT_MERCHANT_P99_MS),
            global().failedRequests().percent().lte(Params.ASSERT_MAX_FAILED_PERCENT));
  }

  @Override
  public void before() {
    MerchantFeeder.registerMerchant();
    session.accessToken();
  }

  @Override
  public void after() {
    System.out.println("merchant session: " + session.describe());
    AnswerLog.writeRun(getClass().getSimpleName(), visits.firstFeedMillis(), visits.requests(), null);
  }
}
