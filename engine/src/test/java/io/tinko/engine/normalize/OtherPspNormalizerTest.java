package io.tinko.engine.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinko.common.domain.Psp;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Razorpay, PayPal and generic events")
class OtherPspNormalizerTest {

  @Test
  @DisplayName("Razorpay payment.failed reads error_reason, the card network and funding, in paise")
  void razorpayPaymentFailed() {
    NormalizedEvent e = Fixtures.event(Psp.RAZORPAY, "payment.failed");
    assertThat(e.correlationKeys()).containsExactly("order:order_PzK2xR5tHs9JbC", "payment:pay_PzK3mT8vQw2LnA");
    assertThat(e.amount()).isEqualTo(new Money(49900, "INR", 2));
    assertThat(e.codes().declineCode()).isEqualTo("insufficient_funds");
    assertThat(e.codes().failureCode()).isEqualTo("BAD_REQUEST_ERROR");
    assertThat(e.card()).isEqualTo(new CardInfo(CardNetwork.MASTERCARD, "credit", null));
    assertThat(e.refs().customerId()).isEqualTo("cust_PzJ9wQ4eRt6YuI");
    assertThat(e.refs().paymentMethodId()).isEqualTo("card_PzK3mU1aZs7YdE");
    assertThat(e.cardKey()).isEqualTo("payment_method:card_PzK3mU1aZs7YdE");
    assertThat(e.occurredAt()).isEqualTo(Instant.parse("2025-01-31T09:00:00Z"));
  }

  @Test
  @DisplayName("Razorpay subscription.pending keys the billing cycle and reports Razorpay's next charge time")
  void razorpayPending() {
    NormalizedEvent e = Fixtures.event(Psp.RAZORPAY, "subscription.pending");
    assertThat(e.paymentKey()).isEqualTo("subscription:sub_Q1bC2dE3fG4hI5:1740787200");
    assertThat(e.amount()).as("a subscription entity carries no amount").isNull();
    assertThat(e.pspAttemptCount()).isEqualTo(1);
    assertThat(e.pspNextRetryAt()).isEqualTo(Instant.parse("2025-03-02T00:00:00Z"));
    assertThat(e.refs().subscriptionId()).isEqualTo("sub_Q1bC2dE3fG4hI5");
    assertThat(e.cardKey()).isEqualTo("customer:cust_PzJ9wQ4eRt6YuI");
  }

  @Test
  @DisplayName("Razorpay subscription.charged keys the invoice first and the billing cycle second")
  void razorpayCharged() {
    NormalizedEvent e = Fixtures.event(Psp.RAZORPAY, "subscription.charged");
    assertThat(e.correlationKeys()).containsExactly("invoice:inv_Q2cB0aZ9yX8wV7",
        "subscription:sub_Q1bC2dE3fG4hI5:1740787200", "order:order_Q2cC1bA0zY9xW8", "payment:pay_Q2cD3eF4gH5iJ6");
    assertThat(e.amount()).isEqualTo(new Money(99900, "INR", 2));
    assertThat(e.refs().paymentMethodId()).isEqualTo("token_PzQ5rT1aB2cD3e");
    assertThat(e.card().network()).isEqualTo(CardNetwork.VISA);
  }

  @Test
  @DisplayName("Razorpay payment_link.paid of a recovery link names the payment it settles first (the link's notes)")
  void razorpayPaymentLinkPaid() {
    NormalizedEvent e = Fixtures.event(Psp.RAZORPAY, "payment_link.paid");
    assertThat(e.type()).isEqualTo(EventType.PAYMENT_SUCCEEDED);
    assertThat(e.correlationKeys()).containsExactly("order:order_PzK2xR5tHs9JbC", "order:order_Q3aC4cB3aZ2yX1",
        "payment:pay_Q3aC5dE6fG7hI8");
    assertThat(e.amount()).isEqualTo(new Money(49900, "INR", 2));
    assertThat(e.occurredAt()).isEqualTo(Instant.ofEpochSecond(1738400102));
  }

  @Test
  @DisplayName("a tinko_payment_key note that is not a payment key is ignored")
  void razorpayForeignNote() throws Exception {
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    assertThat(RazorpayNormalizer.settledPaymentKey(json.readTree("{\"tinko_payment_key\": \"charge:ch_1\"}")))
        .isNull();
    assertThat(RazorpayNormalizer.settledPaymentKey(json.readTree("{\"tinko_payment_key\": \"order:a b\"}")))
        .isNull();
    assertThat(RazorpayNormalizer.settledPaymentKey(json.readTree("[]"))).isNull();
    assertThat(RazorpayNormalizer.settledPaymentKey(json.readTree("{\"tinko_payment_key\": \"invoice:inv_1\"}")))
        .isEqualTo("invoice:inv_1");
  }

  @Test
  @DisplayName("PayPal capture of a recovery order names the payment it settles (custom_id tinko:<key>) first")
  void paypalRecoveryCapture() {
    NormalizedEvent e = Fixtures.event(Psp.PAYPAL, "PAYMENT.CAPTURE.COMPLETED@recovery");
    assertThat(e.correlationKeys()).containsExactly("subscription:I-BW452GLLEP1G", "order:5O190127TN364715T",
        "capture:42311647XV020574X");
    assertThat(PaypalNormalizer.settledPaymentKey("tenant-acme-42")).isNull();
    assertThat(PaypalNormalizer.settledPaymentKey("tinko:invoice:x")).isNull();
  }

  @Test
  @DisplayName("PayPal subscription failure reads the failed amount exactly, the reason code and PayPal's next retry")
  void paypalSubscriptionFailed() {
    NormalizedEvent e = Fixtures.event(Psp.PAYPAL, "BILLING.SUBSCRIPTION.PAYMENT.FAILED");
    assertThat(e.paymentKey()).isEqualTo("subscription:I-BW452GLLEP1G");
    assertThat(e.amount()).isEqualTo(new Money(1000, "USD", 2));
    assertThat(e.codes().declineCode()).isEqualTo("PAYMENT_DENIED");
    assertThat(e.pspAttemptCount()).isEqualTo(1);
    assertThat(e.pspNextRetryAt()).isEqualTo(Instant.parse("2025-02-05T09:00:00Z"));
    assertThat(e.customerEmail()).isEqualTo("customer@example.com");
    assertThat(e.refs().customerId()).isEqualTo("2J6QB8YJQSJRJ");
  }

  @Test
  @DisplayName("PayPal PAYMENT.SALE.DENIED reads the processor response code")
  void paypalSaleDenied() {
    NormalizedEvent e = Fixtures.event(Psp.PAYPAL, "PAYMENT.SALE.DENIED");
    assertThat(e.correlationKeys()).containsExactly("subscription:I-BW452GLLEP1G", "sale:80021663DE681814L");
    assertThat(e.codes().declineCode()).isEqualTo("5120");
    assertThat(e.amount().toDecimal()).isEqualByComparingTo("10.00");
  }

  @Test
  @DisplayName("PayPal PAYMENT.CAPTURE.DENIED in JPY: '1500' is 1500 minor units and the advice code is a MAC")
  void paypalCaptureDenied() {
    NormalizedEvent e = Fixtures.event(Psp.PAYPAL, "PAYMENT.CAPTURE.DENIED");
    assertThat(e.correlationKeys()).containsExactly("order:5O190127TN364715T", "capture:7NW873794T343360M");
    assertThat(e.amount()).isEqualTo(new Money(1500, "JPY", 0));
    assertThat(e.codes().declineCode()).isEqualTo("5100");
    assertThat(e.codes().networkAdviceCode()).isEqualTo("03");
    assertThat(e.refs().invoiceId()).isEqualTo("INV-2025-03-0042");
    assertThat(e.card().network()).isEqualTo(CardNetwork.UNKNOWN);
  }

  @Test
  @DisplayName("the generic payload reads a three-decimal KWD amount exactly, the card and the customer's locale")
  void genericFailed() {
    NormalizedEvent e = Fixtures.event(Psp.STANDARD, "payment.failed");
    assertThat(e.paymentKey()).isEqualTo("key:acme-inv-2025-02-118");
    assertThat(e.amount()).isEqualTo(new Money(12345, "KWD", 3));
    assertThat(e.codes()).isEqualTo(new DeclineCodes("card_declined", "insufficient_funds", null, null, "51",
        "Insufficient funds"));
    assertThat(e.card()).isEqualTo(new CardInfo(CardNetwork.VISA, "debit", "acme-fp-8f3a"));
    assertThat(e.customerLocale()).isEqualTo("ar-KW");
    assertThat(e.occurredAt()).isEqualTo(Instant.parse("2025-02-28T23:30:00Z"));
  }
}
