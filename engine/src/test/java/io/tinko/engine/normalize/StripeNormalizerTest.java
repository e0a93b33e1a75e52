package io.tinko.engine.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinko.common.domain.Psp;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Stripe events")
class StripeNormalizerTest {

  @Test
  @DisplayName("invoice.payment_failed reads the invoice, its PaymentIntent, charge, subscription and Stripe's attempts")
  void invoicePaymentFailed() {
    NormalizedEvent e = Fixtures.event(Psp.STRIPE, "invoice.payment_failed");
    assertThat(e.correlationKeys()).containsExactly("invoice:in_1QnB2aLkdIwHu7ixVb3nR8tE",
        "payment_intent:pi_3QnB2bLkdIwHu7ix1wQkLp2s", "charge:ch_3QnB2bLkdIwHu7ix1Xy8GhQw");
    assertThat(e.refs()).isEqualTo(new PspRefs("in_1QnB2aLkdIwHu7ixVb3nR8tE", "pi_3QnB2bLkdIwHu7ix1wQkLp2s",
        "ch_3QnB2bLkdIwHu7ix1Xy8GhQw", null, "sub_1PxY7qLkdIwHu7ixNq4rT5uV", "cus_RgT5mX2vJk3Nd1", null));
    assertThat(e.amount()).isEqualTo(new Money(2000, "USD", 2));
    assertThat(e.amount().toDecimal()).isEqualByComparingTo(new BigDecimal("20.00"));
    assertThat(e.customerEmail()).isEqualTo("jenny.rosen@example.com");
    assertThat(e.pspAttemptCount()).isEqualTo(1);
    assertThat(e.pspNextRetryAt()).isEqualTo(Instant.parse("2025-02-03T09:00:00Z"));
    assertThat(e.occurredAt()).isEqualTo(Instant.parse("2025-01-31T09:00:00Z"));
    assertThat(e.codes().isEmpty()).as("an invoice names no decline code; the charge event does").isTrue();
  }

  @Test
  @DisplayName("an invoice of API 2025-03-31 finds its subscription under parent and its PaymentIntent under payments")
  void basilInvoice() {
    NormalizedEvent e = Fixtures.event(Psp.STRIPE, "invoice.payment_failed@basil");
    assertThat(e.paymentKey()).isEqualTo("invoice:in_1R3xQ8LkdIwHu7ixW5eR6tY7");
    assertThat(e.correlationKeys()).contains("payment_intent:pi_3R3xQ9LkdIwHu7ix0M1nO2pQ");
    assertThat(e.refs().subscriptionId()).isEqualTo("sub_1R0aB2LkdIwHu7ixC3dE4fG5");
    // Stripe keeps ISK two-decimal: 95000 is 950 kronur.
    assertThat(e.amount()).isEqualTo(new Money(95000, "ISK", 2));
    assertThat(e.amount().toDecimal()).isEqualByComparingTo("950");
  }

  @Test
  @DisplayName("charge.failed reads the outcome's codes and the card, in a zero-decimal currency (JPY)")
  void chargeFailed() {
    NormalizedEvent e = Fixtures.event(Psp.STRIPE, "charge.failed");
    assertThat(e.paymentKey()).isEqualTo("invoice:in_1QtK9pLkdIwHu7ixMq2Jv8Yd");
    assertThat(e.amount()).isEqualTo(new Money(3000, "JPY", 0));
    assertThat(e.amount().toDecimal()).isEqualByComparingTo("3000");
    assertThat(e.codes()).isEqualTo(new DeclineCodes("card_declined", "insufficient_funds", "try_again_later", null,
        "51", "Your card has insufficient funds."));
    assertThat(e.card()).isEqualTo(new CardInfo(CardNetwork.VISA, "credit", "Xt5EWLLDS7FJjR1c"));
    assertThat(e.cardKey()).isEqualTo("fingerprint:Xt5EWLLDS7FJjR1c");
    assertThat(e.refs().paymentMethodId()).isEqualTo("pm_1QkE3vLkdIwHu7ixP8aB2cDe");
    assertThat(e.customerEmail()).isEqualTo("taro.yamada@example.jp");
  }

  @Test
  @DisplayName("payment_intent.payment_failed reads last_payment_error with its network codes, in KWD (3 decimals)")
  void paymentIntentFailed() {
    NormalizedEvent e = Fixtures.event(Psp.STRIPE, "payment_intent.payment_failed");
    assertThat(e.correlationKeys()).containsExactly("payment_intent:pi_3QvB7mLkdIwHu7ix1Tq8Hh4J",
        "charge:ch_3QvB7mLkdIwHu7ix1Zc0Vb6N");
    assertThat(e.amount()).isEqualTo(new Money(12340, "KWD", 3));
    assertThat(e.amount().toDecimal()).isEqualByComparingTo("12.340");
    assertThat(e.codes()).isEqualTo(new DeclineCodes("card_declined", "do_not_honor", null, "25", "05",
        "Your card was declined."));
    assertThat(e.card()).isEqualTo(new CardInfo(CardNetwork.MASTERCARD, "debit", "m5QqQ1bXwYvY2GzB"));
    assertThat(e.refs().paymentMethodId()).isEqualTo("pm_1QoQ2xLkdIwHu7ixR3sT4uVw");
    assertThat(e.customerEmail()).isEqualTo("fatima.alsabah@example.com.kw");
  }

  @Test
  @DisplayName("invoice.paid reports the amount collected and no next attempt")
  void invoicePaid() {
    NormalizedEvent e = Fixtures.event(Psp.STRIPE, "invoice.paid");
    assertThat(e.kind()).isEqualTo(EventKind.SUCCEEDED);
    assertThat(e.amount()).isEqualTo(new Money(2000, "USD", 2));
    assertThat(e.pspAttemptCount()).isEqualTo(3);
    assertThat(e.pspNextRetryAt()).isNull();
    assertThat(e.refs().chargeId()).isEqualTo("ch_3QoHk1LkdIwHu7ix0Lm3NbVc");
  }
}
