package io.tinko.engine.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("Card network spellings")
class CardNetworkTest {
  @ParameterizedTest(name = "''{0}'' is {1}")
  @CsvSource(value = {"visa,VISA", "Visa,VISA", "mastercard,MASTERCARD", "MasterCard,MASTERCARD", "MASTER_CARD,MASTERCARD",
      "Maestro,MASTERCARD", "amex,AMEX", "American Express,AMEX", "RuPay,RUPAY", "Diners Club,DINERS",
      "unionpay,UNIONPAY", "cartes_bancaires,OTHER", "unknown,UNKNOWN", "'',UNKNOWN", "NULL,UNKNOWN"},
      nullValues = "NULL")
  @DisplayName("every PSP's spelling maps to one scheme")
  void parses(String spelling, CardNetwork expected) {
    assertThat(CardNetwork.parse(spelling)).isEqualTo(expected);
  }
}
