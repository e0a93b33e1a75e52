package io.tinko.engine.classify;

import static org.assertj.core.api.Assertions.assertThat;

import io.tinko.common.domain.Psp;
import io.tinko.engine.normalize.CardNetwork;
import io.tinko.engine.normalize.DeclineCodes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every code listed in shared/DOMAIN.md sections 3 and 4, copied here from the spec (not from the CSV), so a row
 * dropped from or misfiled in the table fails.
 */
@DisplayName("Every code of DOMAIN.md sections 3 and 4 is classified as the spec says")
class DomainSpecTest {
  private static final DeclineClassifier CLASSIFIER = DeclineClassifier.defaults();

  private enum Field { DECLINE, ADVICE, MAC, VISA }

  static Stream<Arguments> spec() {
    List<Arguments> all = new ArrayList<>();
    add(all, Psp.STRIPE, Field.DECLINE, DeclineClass.RETRY_LATER, "insufficient_funds card_velocity_exceeded "
        + "withdrawal_count_limit_exceeded generic_decline do_not_honor try_again_later call_issuer");
    add(all, Psp.STRIPE, Field.DECLINE, DeclineClass.TECHNICAL, "processing_error issuer_not_available "
        + "reenter_transaction");
    add(all, Psp.STRIPE, Field.DECLINE, DeclineClass.FIX_DATA, "expired_card incorrect_cvc invalid_expiry_month "
        + "invalid_expiry_year incorrect_zip");
    add(all, Psp.STRIPE, Field.DECLINE, DeclineClass.AUTH_REQUIRED, "authentication_required");
    add(all, Psp.STRIPE, Field.DECLINE, DeclineClass.NEVER, "lost_card stolen_card pickup_card incorrect_number "
        + "fraudulent invalid_account stop_payment_order revocation_of_authorization revocation_of_all_authorizations "
        + "highest_risk_level transaction_not_allowed do_not_try_again");
    add(all, Psp.STRIPE, Field.DECLINE, DeclineClass.MERCHANT_CONFIG, "card_not_supported currency_not_supported "
        + "invalid_amount duplicate_transaction");
    add(all, Psp.RAZORPAY, Field.DECLINE, DeclineClass.RETRY_LATER, "insufficient_funds transaction_limit_exceeded "
        + "card_declined payment_failed");
    add(all, Psp.RAZORPAY, Field.DECLINE, DeclineClass.TECHNICAL, "gateway_technical_error bank_technical_error");
    add(all, Psp.RAZORPAY, Field.DECLINE, DeclineClass.FIX_DATA, "card_expired incorrect_cvv");
    add(all, Psp.RAZORPAY, Field.DECLINE, DeclineClass.AUTH_REQUIRED, "authentication_failed");
    add(all, Psp.RAZORPAY, Field.DECLINE, DeclineClass.CUSTOMER_ENABLE, "card_not_enrolled "
        + "card_disabled_for_online_payments debit_instrument_inactive");
    add(all, Psp.RAZORPAY, Field.DECLINE, DeclineClass.NEVER, "debit_instrument_blocked payment_risk_check_failed");
    add(all, Psp.RAZORPAY, Field.DECLINE, DeclineClass.MERCHANT_CONFIG, "amount_less_than_minimum_amount");
    add(all, Psp.PAYPAL, Field.DECLINE, DeclineClass.RETRY_LATER, "5120 INSUFFICIENT_FUNDS 5100 GENERIC_DECLINE "
        + "0500 DO_NOT_HONOR 9100 DECLINED_PLEASE_RETRY INSTRUMENT_DECLINED");
    add(all, Psp.PAYPAL, Field.DECLINE, DeclineClass.TECHNICAL, "5920 ISSUER_NOT_AVAILABLE_RETRIABLE 8000 8100 8110 "
        + "8220");
    add(all, Psp.PAYPAL, Field.DECLINE, DeclineClass.FIX_DATA, "5400 EXPIRED_CARD 5110 CVV2_FAILURE 5950 "
        + "DECLINED_DUE_TO_UPDATED_ACCOUNT CARD_EXPIRED");
    add(all, Psp.PAYPAL, Field.DECLINE, DeclineClass.AUTH_REQUIRED, "5650 DECLINED_SCA_REQUIRED PAYER_ACTION_REQUIRED");
    add(all, Psp.PAYPAL, Field.DECLINE, DeclineClass.CUSTOMER_ENABLE, "5930 CARD_NOT_ACTIVATED");
    add(all, Psp.PAYPAL, Field.DECLINE, DeclineClass.NEVER, "9520 LOST_OR_STOLEN 9500 SUSPECTED_FRAUD 5140 "
        + "CARD_CLOSED PPRN REATTEMPT_NOT_PERMITTED");
    add(all, Psp.PAYPAL, Field.DECLINE, DeclineClass.MERCHANT_CONFIG, "1350 INVALID_MERCHANT");
    add(all, Psp.STRIPE, Field.ADVICE, DeclineClass.RETRY_LATER, "try_again_later");
    add(all, Psp.STRIPE, Field.ADVICE, DeclineClass.NEVER, "do_not_try_again");
    add(all, Psp.STRIPE, Field.ADVICE, DeclineClass.FIX_DATA, "confirm_card_data");
    add(all, Psp.STRIPE, Field.MAC, DeclineClass.FIX_DATA, "01 04");
    add(all, Psp.STRIPE, Field.MAC, DeclineClass.RETRY_LATER, "02 24 25 26 27 28 29 30");
    add(all, Psp.STRIPE, Field.MAC, DeclineClass.NEVER, "03 21");
    add(all, Psp.STRIPE, Field.VISA, DeclineClass.NEVER, "04 07 12 14 15 41 43 46 57 R0 R1 R3");
    add(all, Psp.STRIPE, Field.VISA, DeclineClass.RETRY_LATER, "39 51 52 53 59 61 62 65 75 78 86 93 N3 N4 Z5 5C 9G "
        + "05 N0");
    add(all, Psp.STRIPE, Field.VISA, DeclineClass.TECHNICAL, "19 91 96");
    add(all, Psp.STRIPE, Field.VISA, DeclineClass.FIX_DATA, "54 55 82 6P N7");
    add(all, Psp.STRIPE, Field.VISA, DeclineClass.AUTH_REQUIRED, "1A");
    add(all, Psp.STRIPE, Field.VISA, DeclineClass.MERCHANT_CONFIG, "03");
    return all.stream();
  }

  private static void add(List<Arguments> all, Psp psp, Field field, DeclineClass cls, String codes) {
    for (String code : codes.split(" ")) {
      all.add(Arguments.of(psp, field, code, cls));
    }
  }

  @ParameterizedTest(name = "{0} {1} {2} is {3}")
  @MethodSource("spec")
  @DisplayName("the spec's code is classified into the spec's class")
  void specCode(Psp psp, Field field, String code, DeclineClass expected) {
    DeclineCodes codes = switch (field) {
      case DECLINE -> new DeclineCodes(null, code, null, null, null, null);
      case ADVICE -> new DeclineCodes(null, null, code, null, null, null);
      case MAC -> new DeclineCodes(null, null, null, code, null, null);
      case VISA -> new DeclineCodes(null, null, null, null, code, null);
    };
    CardNetwork network = field == Field.MAC ? CardNetwork.MASTERCARD
        : field == Field.VISA ? CardNetwork.VISA : CardNetwork.UNKNOWN;
    Classification c = CLASSIFIER.classify(psp, network, codes);
    assertThat(c.declineClass()).isEqualTo(expected);
    assertThat(c.unknown()).isFalse();
  }
}
