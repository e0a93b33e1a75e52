package io.tinko.loadtests;

import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.global;

import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.Simulation;
import io.tinko.loadtests.config.MerchantFeeder;
import io.tinko.loadtests.config.Mix;
import io.tinko.loadtests.config.Params;
import io.tinko.loadtests.config.Profiles;
import io.tinko.loadtests.config.Protocols;
import io.tinko.loadtests.config.WarmUp;
import io.tinko.loadtests.config.WebhookFeeder;
import io.tinko.loadtests.scenarios.MerchantScenarios;
import io.tinko.loadtests.scenarios.WebhookScenarios;
import io.tinko.loadtests.support.AnswerLog;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything at once, at one total rate: PSP webhooks (the rest), retry storms ({@code tinko.lt.mixed.stormShare},
 * default 5 %) and merchants on the API ({@code tinko.lt.mixed.merchantShare}, default 5 %; set it to 0 to run
 * before issue 5 exists).
 */
public class MixedSimulation extends Simulation {
  private final double webhookShare = 1.0 - Params.MIXED_STORM_SHARE - Params.MIXED_MERCHANT_SHARE;
  private final WebhookFeeder ingest = new WebhookFeeder("", Profiles.expectedUsers(webhookShare),
      Params.RATE * webhookShare, Mix.parse(Params.MIX), Params.DUPLICATE_SHARE, Params.BAD_SIGNATURE_SHARE,
      Params.OVERSIZED_SHARE, 1);
  private final WebhookFeeder storm = Params.MIXED_STORM_SHARE <= 0 ? null
      : new WebhookFeeder("s", Profiles.expectedUsers(Params.MIXED_STORM_SHARE), Params.RATE * Params.MIXED_STORM_SHARE,
          Mix.parse(Params.MIX), 0, 0, 0, Params.STORM_COPIES);
  private final WebhookFeeder warm = WarmUp.feeder();
  private final MerchantFeeder.Session session = new MerchantFeeder.Session();
  private final MerchantFeeder.Visits visits = new MerchantFeeder.Visits(session);

  {
    List<PopulationBuilder> populations = new ArrayList<>();
    populations.add(WebhookScenarios.ingest("webhooks", ingest).injectOpen(Profiles.scaled(webhookShare)));
    if (storm != null) {
      populations.add(WebhookScenarios.duplicateStorm("duplicate storm", storm)
          .injectOpen(Profiles.scaled(Params.MIXED_STORM_SHARE)));
    }
    if (Params.MIXED_MERCHANT_SHARE > 0) {
      populations.add(MerchantScenarios.dashboardVisit("merchants", visits)
          .injectOpen(Profiles.scaled(Params.MIXED_MERCHANT_SHARE / MerchantScenarios.REQUESTS_PER_VISIT)));
    }
    var setUp = setUp(WarmUp.before(warm, populations.toArray(new PopulationBuilder[0])))
        .protocols(Protocols.http());
    if (Params.MIXED_MERCHANT_SHARE > 0) {
      setUp.assertions(
          details(WebhookScenarios.MEASURED).responseTime().percentile(99.0).lt((int) Params.ASSERT_P99_MS),
          global().failedRequests().percent().lte(Params.ASSERT_MAX_FAILED_PERCENT),
          details(WebhookScenarios.MEASURED, "list transactions").responseTime().percentile(99.0)
              .lt((int) Params.ASSERT_MERCHANT_P99_MS));
    } else {
      setUp.assertions(
          details(WebhookScenarios.MEASURED).responseTime().percentile(99.0).lt((int) Params.ASSERT_P99_MS),
          global().failedRequests().percent().lte(Params.ASSERT_MAX_FAILED_PERCENT));
    }
  }

  @Override
  public void before() {
    if (Params.MIXED_MERCHANT_SHARE > 0) {
      MerchantFeeder.registerMerchant();
      session.accessToken();
    }
  }

  @Override
  public void after() {
    AnswerLog.write(getClass().getSimpleName(), storm == null ? List.of(ingest) : List.of(ingest, storm), warm);
  }
}
