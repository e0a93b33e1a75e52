package io.tinko.fakes;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** The three fakes on one Vert.x instance, each on its own port: what the sandbox PSP mode and tests start. */
public record PspFakes(FakeStripe stripe, FakeRazorpay razorpay, FakePaypal paypal) {

  /** Starts all three; ports 0 = any free ones. */
  public static Future<PspFakes> start(Vertx vertx, int stripePort, int razorpayPort, int paypalPort) {
    FakeStripe s = new FakeStripe(vertx);
    FakeRazorpay r = new FakeRazorpay(vertx);
    FakePaypal p = new FakePaypal(vertx);
    return Future.all(s.start(stripePort), r.start(razorpayPort), p.start(paypalPort)).map(v -> new PspFakes(s, r, p));
  }

  public Future<Void> close() {
    return Future.all(stripe.close(), razorpay.close(), paypal.close()).mapEmpty();
  }
}
