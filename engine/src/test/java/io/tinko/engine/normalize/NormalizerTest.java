package io.tinko.engine.normalize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tinko.common.domain.Psp;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Normalizer entry point")
class NormalizerTest {
  private final Normalizer normalizer = new Normalizer();

  private NormalizedEvent normalize(Psp psp, String type, String json) {
    return normalizer.normalize(psp, Fixtures.ORG, type, json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  @DisplayName("an unknown Stripe type is ignored, not an error, and keeps its type and time")
  void unknownTypeIsIgnored() {
    NormalizedEvent e = normalize(Psp.STRIPE, "customer.created",
        "{\"type\":\"customer.created\",\"created\":1738314000,\"data\":{\"object\":{\"id\":\"cus_1\"}}}");
    assertThat(e.type()).isEqualTo(EventType.IGNORED);
    assertThat(e.kind()).isEqualTo(EventKind.UNKNOWN);
    assertThat(e.pspEventType()).isEqualTo("customer.created");
    assertThat(e.paymentKey()).isNull();
  }

  @Test
  @DisplayName("unknown Razorpay, PayPal and generic types are ignored too")
  void unknownTypesOfEveryPspAreIgnored() {
    assertThat(normalize(Psp.RAZORPAY, null, "{\"event\":\"refund.created\",\"created_at\":1738314000}").type())
        .isEqualTo(EventType.IGNORED);
    assertThat(normalize(Psp.PAYPAL, null, "{\"event_type\":\"CUSTOMER.DISPUTE.CREATED\","
        + "\"create_time\":\"2025-01-31T09:00:00Z\"}").type()).isEqualTo(EventType.IGNORED);
    assertThat(normalize(Psp.SANDBOX, null, "{\"type\":\"payment.refunded\",\"timestamp\":\"2025-01-31T09:00:00Z\"}")
        .type()).isEqualTo(EventType.IGNORED);
  }

  @Test
  @DisplayName("the event type is read from the payload when the caller passes none")
  void typeFromPayload() {
    NormalizedEvent e = normalizer.normalize(Psp.STRIPE, Fixtures.ORG, null,
        Fixtures.bytes(Psp.STRIPE, "charge.failed"));
    assertThat(e.pspEventType()).isEqualTo("charge.failed");
    assertThat(e.type()).isEqualTo(EventType.PAYMENT_FAILED);
  }

  @Test
  @DisplayName("a body that is not JSON is rejected with a NormalizationException naming the PSP")
  void notJson() {
    assertThatThrownBy(() -> normalize(Psp.RAZORPAY, "payment.failed", "event=payment.failed"))
        .isInstanceOf(NormalizationException.class).hasMessageContaining("razorpay");
    assertThatThrownBy(() -> normalize(Psp.STRIPE, "charge.failed", "[1,2]"))
        .isInstanceOf(NormalizationException.class).hasMessageContaining("not a JSON object");
  }

  @Test
  @DisplayName("a handled type without any payment id is rejected")
  void noIds() {
    assertThatThrownBy(() -> normalize(Psp.STRIPE, "charge.failed",
        "{\"type\":\"charge.failed\",\"created\":1738314000,\"data\":{\"object\":{\"amount\":100,\"currency\":\"usd\"}}}"))
        .isInstanceOf(NormalizationException.class).hasMessageContaining("names no payment");
  }

  @Test
  @DisplayName("a PayPal amount with more decimals than its currency allows is rejected, not rounded")
  void tooManyDecimals() {
    String body = "{\"event_type\":\"PAYMENT.CAPTURE.DENIED\",\"create_time\":\"2025-03-06T10:00:00Z\",\"resource\":"
        + "{\"id\":\"7NW\",\"amount\":{\"currency_code\":\"JPY\",\"value\":\"1500.50\"}}}";
    assertThatThrownBy(() -> normalize(Psp.PAYPAL, "PAYMENT.CAPTURE.DENIED", body))
        .isInstanceOf(NormalizationException.class).hasMessageContaining("1500.50 JPY");
  }

  @Test
  @DisplayName("a sandbox event keeps the sandbox as its PSP and uses ISO exponents")
  void sandboxIsItsOwnPsp() {
    NormalizedEvent e = normalize(Psp.SANDBOX, null, "{\"type\":\"payment.failed\",\"timestamp\":"
        + "\"2025-01-31T09:00:00Z\",\"data\":{\"payment_id\":\"sbx_1\",\"amount\":\"5.5\",\"currency\":\"eur\"}}");
    assertThat(e.psp()).isEqualTo(Psp.SANDBOX);
    assertThat(e.amount()).isEqualTo(new Money(550, "EUR", 2));
    assertThat(e.paymentKey()).isEqualTo("payment:sbx_1");
  }
}
