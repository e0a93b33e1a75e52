package io.tinko.engine.classify;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinko.common.domain.Psp;
import io.tinko.engine.normalize.CardNetwork;
import io.tinko.engine.normalize.DeclineCodes;
import io.tinko.engine.normalize.Fixtures;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Advice beats codes; unknown codes are soft and flagged")
class PrecedenceTest {
  private final DeclineClassifier classifier = DeclineClassifier.defaults();

  private Classification classify(Psp psp, CardNetwork network, String failure, String decline, String advice,
                                  String mac, String networkDecline) {
    return classifier.classify(psp, network, new DeclineCodes(failure, decline, advice, mac, networkDecline, null));
  }

  @Test
  @DisplayName("Stripe's do_not_try_again advice makes insufficient_funds a NEVER")
  void stripeAdviceNever() {
    Classification c = classify(Psp.STRIPE, CardNetwork.VISA, "card_declined", "insufficient_funds",
        "do_not_try_again", null, "51");
    assertThat(c.declineClass()).isEqualTo(DeclineClass.NEVER);
    assertThat(c.rule()).isEqualTo("stripe.advice_code:do_not_try_again");
  }

  @Test
  @DisplayName("Stripe's confirm_card_data advice makes a generic decline a FIX_DATA")
  void stripeAdviceFixData() {
    Classification c = classify(Psp.STRIPE, CardNetwork.UNKNOWN, null, "generic_decline", "confirm_card_data", null,
        null);
    assertThat(c.declineClass()).isEqualTo(DeclineClass.FIX_DATA);
  }

  @Test
  @DisplayName("a network 'never' (MAC 03, Visa category 1) beats the PSP's try_again_later advice")
  void networkNeverBeatsPspAdvice() {
    assertThat(classify(Psp.STRIPE, CardNetwork.MASTERCARD, null, "do_not_honor", "try_again_later", "03", null)
        .rule()).isEqualTo("mastercard.mac:03");
    assertThat(classify(Psp.STRIPE, CardNetwork.VISA, null, "do_not_honor", "try_again_later", null, "43").rule())
        .isEqualTo("visa.response_code:43");
    assertThat(classify(Psp.STRIPE, CardNetwork.MASTERCARD, null, null, "try_again_later", "25", null).rule())
        .as("soft network advice does not jump the PSP's advice").isEqualTo("stripe.advice_code:try_again_later");
  }

  @Test
  @DisplayName("Stripe's try_again_later advice beats a hard decline code, as the spec says advice overrides codes")
  void stripeAdviceBeatsHardCode() {
    Classification c = classify(Psp.STRIPE, CardNetwork.UNKNOWN, null, "transaction_not_allowed", "try_again_later",
        null, null);
    assertThat(c.declineClass()).isEqualTo(DeclineClass.RETRY_LATER);
  }

  @Test
  @DisplayName("Mastercard MAC 03 makes a soft decline a NEVER")
  void mac03() {
    Classification c = classify(Psp.STRIPE, CardNetwork.MASTERCARD, "card_declined", "insufficient_funds", null, "03",
        null);
    assertThat(c.declineClass()).isEqualTo(DeclineClass.NEVER);
    assertThat(c.rule()).isEqualTo("mastercard.mac:03");
  }

  @Test
  @DisplayName("MAC 21 (recurring payment cancelled) is NEVER, MAC 01 FIX_DATA, MAC 02 RETRY_LATER over any code")
  void otherMacs() {
    assertThat(classify(Psp.STRIPE, CardNetwork.MASTERCARD, null, "generic_decline", null, "21", null).declineClass())
        .isEqualTo(DeclineClass.NEVER);
    assertThat(classify(Psp.STRIPE, CardNetwork.MASTERCARD, null, "generic_decline", null, "01", null).declineClass())
        .isEqualTo(DeclineClass.FIX_DATA);
    assertThat(classify(Psp.STRIPE, CardNetwork.MASTERCARD, null, "expired_card", null, "02", null).declineClass())
        .isEqualTo(DeclineClass.RETRY_LATER);
  }

  @Test
  @DisplayName("MAC 24 to 30 give not-before floors of 1 h, 24 h, 2, 4, 6, 8 and 10 days")
  void macFloors() {
    String[] macs = {"24", "25", "26", "27", "28", "29", "30"};
    Duration[] floors = {Duration.ofHours(1), Duration.ofHours(24), Duration.ofDays(2), Duration.ofDays(4),
        Duration.ofDays(6), Duration.ofDays(8), Duration.ofDays(10)};
    for (int i = 0; i < macs.length; i++) {
      Classification c = classify(Psp.STRIPE, CardNetwork.MASTERCARD, null, "do_not_honor", null, macs[i], null);
      assertThat(c.notBefore()).as("MAC " + macs[i]).isEqualTo(floors[i]);
      assertThat(c.declineClass()).isEqualTo(DeclineClass.RETRY_LATER);
    }
  }

  @Test
  @DisplayName("a MAC on a card known to be Visa is not read as Mastercard advice")
  void macIgnoredForVisa() {
    Classification c = classify(Psp.STRIPE, CardNetwork.VISA, null, "insufficient_funds", null, "03", null);
    assertThat(c.declineClass()).isEqualTo(DeclineClass.RETRY_LATER);
    assertThat(c.rule()).isEqualTo("table:stripe:insufficient_funds");
  }

  @Test
  @DisplayName("a Visa category-1 response code makes the PSP's soft code a NEVER")
  void visaCategoryOne() {
    Classification c = classify(Psp.STRIPE, CardNetwork.VISA, "card_declined", "do_not_honor", null, null, "14");
    assertThat(c.declineClass()).isEqualTo(DeclineClass.NEVER);
    assertThat(c.rule()).isEqualTo("visa.response_code:14");
  }

  @Test
  @DisplayName("a Visa code without a row of its own yields to the PSP's code, then is category 4")
  void visaCategoryFour() {
    assertThat(classify(Psp.STRIPE, CardNetwork.VISA, null, "expired_card", null, null, "N0").rule())
        .isEqualTo("table:stripe:expired_card");
    Classification c = classify(Psp.STRIPE, CardNetwork.VISA, null, "some_new_code", null, null, "n0");
    assertThat(c.rule()).isEqualTo("visa.category4:N0");
    assertThat(c.unknown()).isFalse();
  }

  @Test
  @DisplayName("PayPal's v1 advice code and its payment_advice_code (a MAC) beat the response code")
  void paypalAdvice() {
    assertThat(classify(Psp.PAYPAL, CardNetwork.UNKNOWN, null, "5120", "03_DO_NOT_TRY_AGAIN", null, null).rule())
        .isEqualTo("paypal.advice_code:03_DO_NOT_TRY_AGAIN");
    assertThat(classifier.classify(Fixtures.event(Psp.PAYPAL, "PAYMENT.CAPTURE.DENIED")).rule())
        .isEqualTo("mastercard.mac:03");
  }

  @Test
  @DisplayName("an unknown code is RETRY_LATER, flagged unknown, with the code kept for the metric")
  void unknownCode() {
    Classification c = classify(Psp.STRIPE, CardNetwork.AMEX, "card_declined_v2", "brand_new_reason", null, null,
        null);
    assertThat(c.declineClass()).isEqualTo(DeclineClass.RETRY_LATER);
    assertThat(c.unknown()).isTrue();
    assertThat(c.rule()).isEqualTo("default:unknown");
    assertThat(c.code()).isEqualTo("brand_new_reason");
    assertThat(c.notBefore()).isZero();
  }

  @Test
  @DisplayName("a decline without any code is RETRY_LATER, flagged unknown, rule default:no_code")
  void noCode() {
    Classification c = classifier.classify(Fixtures.event(Psp.STRIPE, "invoice.payment_failed"));
    assertThat(c.unknown()).isTrue();
    assertThat(c.rule()).isEqualTo("default:no_code");
    assertThat(c.code()).isNull();
  }

  @Test
  @DisplayName("fixtures classify end to end: Stripe charge (advice), KWD PaymentIntent (MAC 25), Razorpay, PayPal")
  void fixtures() {
    assertThat(classifier.classify(Fixtures.event(Psp.STRIPE, "charge.failed")).rule())
        .isEqualTo("stripe.advice_code:try_again_later");
    Classification mac = classifier.classify(Fixtures.event(Psp.STRIPE, "payment_intent.payment_failed"));
    assertThat(mac.rule()).isEqualTo("mastercard.mac:25");
    assertThat(mac.notBefore()).isEqualTo(Duration.ofHours(24));
    assertThat(classifier.classify(Fixtures.event(Psp.RAZORPAY, "payment.failed")).rule())
        .isEqualTo("table:razorpay:insufficient_funds");
    assertThat(classifier.classify(Fixtures.event(Psp.PAYPAL, "BILLING.SUBSCRIPTION.PAYMENT.FAILED")).rule())
        .isEqualTo("table:paypal:PAYMENT_DENIED");
    assertThat(classifier.classify(Fixtures.event(Psp.STANDARD, "payment.failed")).rule())
        .isEqualTo("visa.response_code:51");
  }
}
