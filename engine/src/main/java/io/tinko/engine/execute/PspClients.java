package io.tinko.engine.execute;

import io.tinko.common.domain.Psp;
import io.tinko.engine.recovery.ChargeResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.Map;

/**
 * The client of each PSP. The sandbox PSP speaks Stripe's API (served by the local fake in sandbox mode), so a
 * sandbox connection without a base URL goes to {@code sandboxBase}.
 */
public final class PspClients {
  private final Map<Psp, PspClient> byPsp;

  public PspClients(Map<Psp, PspClient> byPsp) {
    this.byPsp = Map.copyOf(byPsp);
  }

  public static PspClients create(Vertx vertx, int timeoutMs, String sandboxBase) {
    WebClient web = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(timeoutMs)
        .setUserAgent("tinko-engine").setKeepAlive(true));
    return new PspClients(Map.of(
        Psp.STRIPE, new StripePspClient(vertx, timeoutMs, null),
        Psp.SANDBOX, sandbox(new StripePspClient(vertx, timeoutMs, sandboxBase), sandboxBase != null),
        Psp.RAZORPAY, new RazorpayPspClient(web, timeoutMs),
        Psp.PAYPAL, new PaypalPspClient(web, timeoutMs)));
  }

  /**
   * Without the sandbox fakes running, a sandbox connection must name its base URL: it never reaches Stripe. A
   * sandbox connection needs no credentials; the fake takes any test key.
   */
  private static PspClient sandbox(PspClient stripeShaped, boolean fakesRunning) {
    return c -> {
      if (!fakesRunning && c.connection().baseUrl() == null) {
        return Future.succeededFuture(ChargeResult.rejected("sandbox_disabled", "sandbox connections are charged at "
            + "the local fake PSP: enable engine.sandbox or set the connection's base URL"));
      }
      if (c.connection().credential("apiKey") != null) {
        return stripeShaped.charge(c);
      }
      PspConnection withKey = new PspConnection(c.connection().id(), c.connection().psp(), c.connection().baseUrl(),
          c.connection().credentials().copy().put("apiKey", "sk_test_sandbox"));
      return stripeShaped.charge(new Charge(c.attemptId(), c.idempotencyKey(), c.attemptNo(), c.calls(), c.pspRef(),
          withKey, c.invoiceId(), c.paymentId(), c.subscriptionId(), c.customerId(), c.paymentMethodId(),
          c.customerEmail(), c.amount(), c.saveRef()));
    };
  }

  public Future<ChargeResult> charge(Charge c) {
    PspClient client = byPsp.get(c.connection().psp());
    if (client == null) {
      return Future.succeededFuture(ChargeResult.rejected("no_psp_api", c.connection().psp().id()
          + " has no API Tinko can charge through"));
    }
    return client.charge(c);
  }
}
