package io.tinko.loadtests.scenarios;

import static io.gatling.javaapi.core.CoreDsl.doSwitch;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.feed;
import static io.gatling.javaapi.core.CoreDsl.group;
import static io.gatling.javaapi.core.CoreDsl.onCase;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.tinko.loadtests.config.WebhookFeeder;
import io.tinko.loadtests.requests.WebhookRequests;

/** Webhook traffic: each virtual user is one PSP delivery (open model), fed a pre-signed event. */
public final class WebhookScenarios {
  /** Group of the requests the figures are about. */
  public static final String MEASURED = "measured";
  public static final String WARM_UP = "warm-up";

  private WebhookScenarios() {}

  /** A PSP mix with duplicates, forged signatures and oversized bodies in the shares the feeder was built with. */
  public static ScenarioBuilder ingest(String name, WebhookFeeder feeder) {
    return scenario(name).exec(feed(feeder), group(MEASURED).on(deliver()));
  }

  /** The same traffic in the group "warm-up", which the bench summary and the assertions leave out. */
  public static ScenarioBuilder warmUp(WebhookFeeder feeder) {
    return scenario(WARM_UP).exec(feed(feeder), group(WARM_UP).on(deliver()));
  }

  /** The same event from many users at once: the feeder repeats each event back to back. */
  public static ScenarioBuilder duplicateStorm(String name, WebhookFeeder feeder) {
    return scenario(name).exec(feed(feeder), group(MEASURED).on(deliver()));
  }

  static ChainBuilder deliver() {
    return exec(doSwitch("#{psp}").on(
        onCase("stripe").then(exec(WebhookRequests.stripe())),
        onCase("razorpay").then(exec(WebhookRequests.razorpay())),
        onCase("paypal").then(exec(WebhookRequests.paypal())),
        onCase("standard").then(exec(WebhookRequests.standard()))));
  }
}
