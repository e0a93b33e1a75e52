package io.tinko.engine.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinko.common.domain.Psp;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayName("Every fixture normalizes to the event type its PSP type means")
class NormalizerFixturesTest {
  // The meaning of every PSP type the engine handles (the issue's list); a fixture must exist for each.
  private static final Map<String, EventType> EXPECTED = Map.ofEntries(
      Map.entry("stripe/invoice.payment_failed", EventType.INVOICE_PAYMENT_FAILED),
      Map.entry("stripe/payment_intent.payment_failed", EventType.PAYMENT_FAILED),
      Map.entry("stripe/charge.failed", EventType.PAYMENT_FAILED),
      Map.entry("stripe/invoice.paid", EventType.INVOICE_PAID),
      Map.entry("stripe/invoice.payment_succeeded", EventType.INVOICE_PAID),
      Map.entry("stripe/payment_intent.succeeded", EventType.PAYMENT_SUCCEEDED),
      Map.entry("razorpay/payment.failed", EventType.PAYMENT_FAILED),
      Map.entry("razorpay/payment.captured", EventType.PAYMENT_SUCCEEDED),
      Map.entry("razorpay/payment_link.paid", EventType.PAYMENT_SUCCEEDED),
      Map.entry("razorpay/subscription.pending", EventType.PSP_RETRY_PENDING),
      Map.entry("razorpay/subscription.halted", EventType.PSP_RETRIES_EXHAUSTED),
      Map.entry("razorpay/subscription.charged", EventType.SUBSCRIPTION_CHARGED),
      Map.entry("paypal/BILLING.SUBSCRIPTION.PAYMENT.FAILED", EventType.SUBSCRIPTION_PAYMENT_FAILED),
      Map.entry("paypal/PAYMENT.SALE.DENIED", EventType.PAYMENT_FAILED),
      Map.entry("paypal/PAYMENT.CAPTURE.DENIED", EventType.PAYMENT_FAILED),
      Map.entry("paypal/PAYMENT.SALE.COMPLETED", EventType.PAYMENT_SUCCEEDED),
      Map.entry("paypal/PAYMENT.CAPTURE.COMPLETED", EventType.PAYMENT_SUCCEEDED),
      Map.entry("standard/payment.failed", EventType.PAYMENT_FAILED),
      Map.entry("standard/payment.succeeded", EventType.PAYMENT_SUCCEEDED));

  static Stream<Arguments> fixtures() throws IOException, URISyntaxException {
    Path root = Path.of(NormalizerFixturesTest.class.getResource("/fixtures").toURI());
    try (Stream<Path> files = Files.walk(root)) {
      List<Path> json = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
      return json.stream().map(p -> {
        String psp = p.getParent().getFileName().toString();
        String name = p.getFileName().toString().replaceFirst("\\.json$", "");
        return Arguments.of(Psp.parse(psp).orElseThrow(), name);
      });
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("fixtures")
  @DisplayName("a fixture yields its type, a payment key, a time and, except subscription-only events, an amount")
  void normalizesFixture(Psp psp, String name) {
    NormalizedEvent e = Fixtures.event(psp, name);
    String type = name.contains("@") ? name.substring(0, name.indexOf('@')) : name;

    assertThat(e.type()).isEqualTo(EXPECTED.get(psp.id() + "/" + type));
    assertThat(e.psp()).isEqualTo(psp);
    assertThat(e.orgId()).isEqualTo(Fixtures.ORG);
    assertThat(e.paymentKey()).matches("[a-z_]+:.+");
    assertThat(e.occurredAt()).isAfter(java.time.Instant.parse("2025-01-01T00:00:00Z"));
    boolean subscriptionOnly = psp == Psp.RAZORPAY && type.startsWith("subscription.") && !type.endsWith("charged");
    if (!subscriptionOnly) {
      assertThat(e.amount()).isNotNull();
      assertThat(e.amount().minor()).isPositive();
    }
    if (e.kind() == EventKind.SUCCEEDED) {
      assertThat(e.codes().isEmpty()).as("a success carries no decline codes").isTrue();
    }
  }

  @Test
  @DisplayName("every PSP type the engine must handle has a fixture")
  void everyTypeHasAFixture() throws IOException, URISyntaxException {
    List<String> present = fixtures().map(a -> ((Psp) a.get()[0]).id() + "/" + a.get()[1]).toList();
    assertThat(present).containsAll(EXPECTED.keySet());
  }
}
