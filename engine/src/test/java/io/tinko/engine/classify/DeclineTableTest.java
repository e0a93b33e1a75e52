package io.tinko.engine.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tinko.common.domain.Psp;
import io.tinko.engine.normalize.CardNetwork;
import io.tinko.engine.normalize.DeclineCodes;
import java.io.StringReader;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("The classification table, row by row")
class DeclineTableTest {
  private static final DeclineClassifier CLASSIFIER = DeclineClassifier.defaults();

  // The stable rule names stored with decisions; changing one breaks stored history, so they are spelled out here.
  private static final Map<String, String> RULE_PREFIX = Map.of(
      "stripe", "table:stripe:", "razorpay", "table:razorpay:", "paypal", "table:paypal:",
      "stripe_advice", "stripe.advice_code:", "paypal_advice", "paypal.advice_code:",
      "mastercard_mac", "mastercard.mac:", "visa", "visa.response_code:");

  @ParameterizedTest(name = "{0},{1} is {2}")
  @CsvFileSource(resources = "/classify/decline-codes.csv", useHeadersInDisplayName = true)
  @DisplayName("each row classifies its code, alone in the field its source fills, as the row says")
  void everyRow(String source, String code, DeclineClass expected, String notBefore, String note) {
    boolean wildcard = code.equals("*");
    String input = wildcard ? "Q9" : code;
    Classification c = switch (source) {
      case "stripe" -> classify(Psp.STRIPE, CardNetwork.UNKNOWN, codes(null, input, null, null, null));
      case "stripe_advice" -> classify(Psp.STRIPE, CardNetwork.UNKNOWN, codes(null, null, input, null, null));
      case "razorpay" -> classify(Psp.RAZORPAY, CardNetwork.UNKNOWN, codes(null, input, null, null, null));
      case "paypal" -> classify(Psp.PAYPAL, CardNetwork.UNKNOWN, codes(null, input, null, null, null));
      case "paypal_advice" -> classify(Psp.PAYPAL, CardNetwork.UNKNOWN, codes(null, null, input, null, null));
      case "mastercard_mac" -> classify(Psp.STRIPE, CardNetwork.MASTERCARD, codes(null, null, null, input, null));
      case "visa" -> classify(Psp.STRIPE, CardNetwork.VISA, codes(null, null, null, null, input));
      default -> throw new AssertionError("a source the test does not know: " + source);
    };
    assertThat(c.declineClass()).isEqualTo(expected);
    assertThat(c.unknown()).isFalse();
    assertThat(c.notBefore()).isEqualTo(notBefore == null ? Duration.ZERO : Duration.parse(notBefore));
    assertThat(c.rule()).isEqualTo(wildcard ? "visa.category4:Q9" : RULE_PREFIX.get(source) + code);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"stripe", "razorpay", "paypal"})
  @DisplayName("a PSP's failure code is looked up in the same vocabulary when no decline code is given")
  void failureCodeFallback(String source) {
    Psp psp = Psp.parse(source).orElseThrow();
    String code = Map.of("stripe", "processing_error", "razorpay", "GATEWAY_ERROR", "paypal", "8000").get(source);
    Classification c = classify(psp, CardNetwork.UNKNOWN, codes(code, null, null, null, null));
    assertThat(c.declineClass()).isEqualTo(DeclineClass.TECHNICAL);
    assertThat(c.rule()).isEqualTo(RULE_PREFIX.get(source) + code);
  }

  @Test
  @DisplayName("lookups ignore case and zero-pad one-digit network codes")
  void canonicalCodes() {
    assertThat(classify(Psp.PAYPAL, CardNetwork.UNKNOWN, codes(null, null, null, "3", null)).rule())
        .isEqualTo("mastercard.mac:03");
    assertThat(classify(Psp.STRIPE, CardNetwork.VISA, codes(null, null, null, null, "n7")).declineClass())
        .isEqualTo(DeclineClass.FIX_DATA);
    assertThat(classify(Psp.STRIPE, CardNetwork.UNKNOWN, codes(null, "Insufficient_Funds", null, null, null))
        .rule()).isEqualTo("table:stripe:insufficient_funds");
  }

  @Test
  @DisplayName("a table with an unknown class, a duplicate code, a bad duration or no header is refused")
  void refusesBrokenTables() {
    String header = "source,code,class,not_before,note\n";
    assertThatThrownBy(() -> DeclineTable.parse(new StringReader(header + "stripe,x,SOFT,,\n")))
        .hasMessageContaining("unknown class 'SOFT'");
    assertThatThrownBy(() -> DeclineTable.parse(new StringReader(header + "stripe,x,NEVER,,\nstripe,X,NEVER,,\n")))
        .hasMessageContaining("duplicate row stripe,X");
    assertThatThrownBy(() -> DeclineTable.parse(new StringReader(header + "mastercard_mac,25,RETRY_LATER,1 day,\n")))
        .hasMessageContaining("not ISO-8601");
    assertThatThrownBy(() -> DeclineTable.parse(new StringReader(header + "amex,x,NEVER,,\n")))
        .hasMessageContaining("unknown source 'amex'");
    assertThatThrownBy(() -> DeclineTable.parse(new StringReader("stripe,x,NEVER,,\n")))
        .hasMessageContaining("expected the header");
    assertThatThrownBy(() -> DeclineTable.parse(new StringReader(header + "mastercard_mac,1,FIX_DATA,,\n"
        + "mastercard_mac,01,FIX_DATA,,\n"))).as("01 and 1 are the same MAC").hasMessageContaining("duplicate");
  }

  @Test
  @DisplayName("the shipped table has rows for every source and every class")
  void coversEverySourceAndClass() {
    var rules = CLASSIFIER.table().rules();
    assertThat(rules).extracting(DeclineRule::source).containsAll(java.util.EnumSet.allOf(CodeSource.class));
    assertThat(rules).extracting(DeclineRule::declineClass).containsAll(java.util.EnumSet.allOf(DeclineClass.class));
  }

  static Classification classify(Psp psp, CardNetwork network, DeclineCodes codes) {
    return CLASSIFIER.classify(psp, network, codes);
  }

  static DeclineCodes codes(String failure, String decline, String advice, String networkAdvice,
                            String networkDecline) {
    return new DeclineCodes(failure, decline, advice, networkAdvice, networkDecline, null);
  }
}
