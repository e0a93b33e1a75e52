package io.tinko.engine.normalize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MoneyTest {
  @ParameterizedTest
  @ValueSource(strings = {"USD", "JPY", "KWD", "AAA", "ZZZ"})
  @DisplayName("three upper-case letters are a currency")
  void accepts(String currency) {
    assertThat(new Money(100, currency, 2).currency()).isEqualTo(currency);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "US", "USDX", "usd", "Usd", "US1", "U D", "@SD", "US[", "ÜSD"})
  @DisplayName("anything else is rejected, as before")
  void rejects(String currency) {
    assertThatThrownBy(() -> new Money(100, currency, 2)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("upper-case ISO-4217");
  }
}
