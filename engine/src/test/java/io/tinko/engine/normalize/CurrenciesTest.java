package io.tinko.engine.normalize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tinko.common.domain.Psp;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Currency exponents and exact amounts")
class CurrenciesTest {

  @ParameterizedTest(name = "{0} {1} has {2} decimals")
  @CsvSource({
      "STRIPE, usd, 2", "STRIPE, JPY, 0", "STRIPE, kwd, 3", "STRIPE, bhd, 3", "STRIPE, EUR, 2",
      "STRIPE, ISK, 2", "STRIPE, MGA, 0", "STRIPE, HUF, 2", "STRIPE, TWD, 2",
      "RAZORPAY, INR, 2", "RAZORPAY, JPY, 0", "RAZORPAY, KWD, 3", "RAZORPAY, ISK, 0", "RAZORPAY, MGA, 2",
      "PAYPAL, USD, 2", "PAYPAL, JPY, 0", "PAYPAL, HUF, 0", "PAYPAL, TWD, 0",
      "STANDARD, KWD, 3", "STANDARD, CLP, 0", "SANDBOX, OMR, 3"})
  @DisplayName("each PSP's exponent, with the documented exceptions to ISO-4217")
  void exponents(Psp psp, String currency, int exponent) {
    assertThat(Currencies.exponent(psp, currency)).isEqualTo(exponent);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND", "VUV",
      "XAF", "XOF", "XPF"})
  @DisplayName("every currency on Stripe's zero-decimal list is zero-decimal at Stripe")
  void stripeZeroDecimal(String currency) {
    assertThat(Currencies.exponent(Psp.STRIPE, currency)).isZero();
  }

  @ParameterizedTest(name = "{2} {1} = {3} minor units at exponent {4}")
  @CsvSource({
      "PAYPAL, USD, 10.00, 1000, 2", "PAYPAL, USD, 0.10, 10, 2", "PAYPAL, USD, 19.9, 1990, 2",
      "PAYPAL, JPY, 1500, 1500, 0", "PAYPAL, JPY, 1500.00, 1500, 0", "PAYPAL, HUF, 2500, 2500, 0",
      "STANDARD, KWD, 12.345, 12345, 3", "STANDARD, KWD, 0.001, 1, 3", "STANDARD, USD, 92233720368547758.07, "
      + "9223372036854775807, 2"})
  @DisplayName("decimal strings convert exactly, up to the largest long")
  void exactDecimals(Psp psp, String currency, String decimal, long minor, int exponent) {
    assertThat(Currencies.ofDecimal(psp, currency, decimal)).isEqualTo(new Money(minor, currency, exponent));
  }

  @Test
  @DisplayName("0.1 + 0.2 stays exactly 0.3 (no binary floating point anywhere)")
  void noFloatingPoint() {
    Money a = Currencies.ofDecimal(Psp.PAYPAL, "USD", "0.1");
    Money b = Currencies.ofDecimal(Psp.PAYPAL, "USD", "0.2");
    assertThat(a.minor() + b.minor()).isEqualTo(Currencies.ofDecimal(Psp.PAYPAL, "USD", "0.3").minor());
  }

  @ParameterizedTest(name = "{1} {0}")
  @CsvSource({"USD, 10.001", "JPY, 10.5", "KWD, 1.0001", "HUF, 100.50", "USD, 92233720368547758.08", "USD, ten"})
  @DisplayName("amounts with too many decimals, out of range or not numbers are rejected")
  void rejects(String currency, String decimal) {
    assertThatThrownBy(() -> Currencies.ofDecimal(Psp.PAYPAL, currency, decimal))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("codes that are not ISO-4217 money are rejected")
  void unknownCodes() {
    assertThatThrownBy(() -> Currencies.exponent(Psp.STRIPE, "ABC")).hasMessageContaining("ISO-4217");
    assertThatThrownBy(() -> Currencies.exponent(Psp.STRIPE, "XAU")).hasMessageContaining("no minor unit");
    assertThatThrownBy(() -> Currencies.exponent(Psp.STRIPE, " ")).hasMessageContaining("missing");
  }

  @Test
  @DisplayName("money compares by value across exponents: 950 ISK at Stripe equals 950 ISK at ISO")
  void sameValue() {
    Money stripe = Currencies.ofMinor(Psp.STRIPE, "isk", 95000);
    Money iso = Currencies.ofMinor(Psp.RAZORPAY, "ISK", 950);
    assertThat(stripe.sameValue(iso)).isTrue();
    assertThat(stripe.sameValue(Currencies.ofMinor(Psp.RAZORPAY, "ISK", 951))).isFalse();
    assertThat(stripe.sameValue(Currencies.ofMinor(Psp.RAZORPAY, "NOK", 950_00))).isFalse();
    assertThat(iso).hasToString("950 ISK");
    assertThat(Currencies.ofMinor(Psp.STRIPE, "kwd", 12340)).hasToString("12.340 KWD");
  }
}
