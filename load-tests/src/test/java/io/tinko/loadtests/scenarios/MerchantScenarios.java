package io.tinko.loadtests.scenarios;

import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.feed;
import static io.gatling.javaapi.core.CoreDsl.foreach;
import static io.gatling.javaapi.core.CoreDsl.group;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.tinko.loadtests.config.MerchantFeeder;
import io.tinko.loadtests.requests.MerchantApiRequests;

/** A merchant's dashboard visit: log in, list failed payments, filter by PSP, open up to three timelines. */
public final class MerchantScenarios {
  private MerchantScenarios() {}

  /** Requests one visit makes when the list returns at least three transactions. */
  public static final int REQUESTS_PER_VISIT = 6;

  public static ScenarioBuilder dashboardVisit(String name) {
    return scenario(name).exec(
        feed(MerchantFeeder.visits()),
        group(WebhookScenarios.MEASURED).on(
        exec(MerchantApiRequests.login()),
        exec(MerchantApiRequests.listTransactions()),
        exec(MerchantApiRequests.filterTransactions()),
        exec(s -> s.set("txIds", firstThree(s.getList("txIds")))),
        foreach("#{txIds}", "txId").on(exec(MerchantApiRequests.timeline()))));
  }

  private static java.util.List<Object> firstThree(java.util.List<Object> ids) {
    return ids == null ? java.util.List.of() : ids.subList(0, Math.min(3, ids.size()));
  }
}
