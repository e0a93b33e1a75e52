package io.tinko.loadtests.scenarios;

import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.feed;
import static io.gatling.javaapi.core.CoreDsl.foreach;
import static io.gatling.javaapi.core.CoreDsl.group;
import static io.gatling.javaapi.core.CoreDsl.repeat;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.tinko.loadtests.config.MerchantFeeder;
import io.tinko.loadtests.config.Params;
import io.tinko.loadtests.requests.MerchantApiRequests;
import java.util.List;

/**
 * A merchant's dashboard visit, {@link #PAGES} times ({@code tinko.lt.merchant.pagesPerVisit}): list the first page
 * of 50 with a status filter ({@code list transactions}, the issue 5 figure), filter by PSP and decline class
 * ({@code filter transactions}), open up to three timelines. Visits carry the dashboard's session
 * ({@link MerchantFeeder.Session}: signed in once, the access token kept and refreshed) rather than logging in each
 * time: a person stays signed in between visits and an integration uses an API key, while an Argon2id login (tens of
 * ms of CPU by design, on one of two cores here) beside every 50 requests measured the hash, not the list.
 */
public final class MerchantScenarios {
  private MerchantScenarios() {}

  /** Rounds of list, filter and timelines a visit makes after its login. */
  public static final int PAGES = Params.MERCHANT_PAGES_PER_VISIT;
  /** Requests one visit makes when the list returns at least three transactions. */
  public static final int REQUESTS_PER_VISIT = PAGES * 5;

  /** Visits counted in the group "measured" (the figures and the assertions). */
  public static ScenarioBuilder dashboardVisit(String name, MerchantFeeder.Visits visits) {
    return scenario(name).exec(feed(visits), group(WebhookScenarios.MEASURED).on(visit(visits)));
  }

  /** The same visits in the group "warm-up", which the bench summary and the assertions leave out. */
  public static ScenarioBuilder warmUp(MerchantFeeder.Visits visits) {
    return scenario(WebhookScenarios.WARM_UP + " merchants")
        .exec(feed(visits), group(WebhookScenarios.WARM_UP).on(visit(visits)));
  }

  private static ChainBuilder visit(MerchantFeeder.Visits visits) {
    return exec(
        repeat(PAGES, "page").on(
            exec(s -> s.setAll(MerchantFeeder.filters(s.getInt("visit") + s.getInt("page")))),
            counted(MerchantApiRequests.listTransactions(), visits),
            counted(MerchantApiRequests.filterTransactions(), visits),
            exec(s -> s.set("txIds", firstThree(s.getList("txIds")))),
            foreach("#{txIds}", "txId").on(counted(MerchantApiRequests.timeline(), visits))));
  }

  /** The request, then one more in the visits' request count (bench divides CPU time by it). */
  private static ChainBuilder counted(io.gatling.javaapi.http.HttpRequestActionBuilder request,
      MerchantFeeder.Visits visits) {
    return exec(request).exec(s -> {
      visits.requestSent();
      return s;
    });
  }

  private static List<Object> firstThree(List<Object> ids) {
    return ids == null ? List.of() : ids.subList(0, Math.min(3, ids.size()));
  }
}
