package io.tinko.engine.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinko.common.domain.Psp;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.DisplayName;

@DisplayName("A failure and the success that settles it share a payment key")
class PaymentKeyTest {

  static Stream<Arguments> pairs() {
    return Stream.of(
        Arguments.of(Psp.STRIPE, "invoice.payment_failed", "invoice.paid", true),
        Arguments.of(Psp.STRIPE, "charge.failed", "invoice.payment_succeeded", true),
        Arguments.of(Psp.STRIPE, "payment_intent.payment_failed", "payment_intent.succeeded", true),
        Arguments.of(Psp.RAZORPAY, "payment.failed", "payment.captured", true),
        Arguments.of(Psp.RAZORPAY, "subscription.pending", "subscription.charged", false),
        Arguments.of(Psp.RAZORPAY, "subscription.halted", "subscription.charged", false),
        Arguments.of(Psp.PAYPAL, "BILLING.SUBSCRIPTION.PAYMENT.FAILED", "PAYMENT.SALE.COMPLETED", true),
        Arguments.of(Psp.PAYPAL, "PAYMENT.SALE.DENIED", "PAYMENT.SALE.COMPLETED", true),
        Arguments.of(Psp.PAYPAL, "PAYMENT.CAPTURE.DENIED", "PAYMENT.CAPTURE.COMPLETED", true),
        Arguments.of(Psp.STANDARD, "payment.failed", "payment.succeeded", true));
  }

  @ParameterizedTest(name = "{0}: {1} and {2}")
  @MethodSource("pairs")
  @DisplayName("the failure's key is among the success's correlation keys (and is its first when marked so)")
  void failureMatchesSuccess(Psp psp, String failure, String success, boolean samePrimary) {
    NormalizedEvent failed = Fixtures.event(psp, failure);
    NormalizedEvent succeeded = Fixtures.event(psp, success);
    assertThat(failed.kind()).isEqualTo(EventKind.FAILED);
    assertThat(succeeded.kind()).isEqualTo(EventKind.SUCCEEDED);
    assertThat(succeeded.correlationKeys()).contains(failed.paymentKey());
    if (samePrimary) {
      assertThat(succeeded.paymentKey()).isEqualTo(failed.paymentKey());
    }
  }

  @ParameterizedTest(name = "{0}: {1} and {2}")
  @MethodSource("unrelated")
  @DisplayName("events of different payments share no key")
  void unrelatedPaymentsDoNotMatch(Psp psp, String a, String b) {
    assertThat(Fixtures.event(psp, a).correlationKeys())
        .doesNotContainAnyElementsOf(Fixtures.event(psp, b).correlationKeys());
  }

  static Stream<Arguments> unrelated() {
    return Stream.of(
        Arguments.of(Psp.STRIPE, "invoice.payment_failed", "charge.failed"),
        Arguments.of(Psp.STRIPE, "payment_intent.payment_failed", "invoice.paid"),
        Arguments.of(Psp.RAZORPAY, "payment.failed", "subscription.charged"),
        Arguments.of(Psp.PAYPAL, "PAYMENT.CAPTURE.DENIED", "PAYMENT.SALE.COMPLETED"));
  }
}
