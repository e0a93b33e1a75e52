package io.tinko.engine.normalize;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * An amount in minor units of an ISO-4217 currency. {@code exponent} is the number of decimal places the PSP that
 * reported the amount uses for that currency (see {@link Currencies#exponent}); it is carried along because a few
 * PSPs differ from ISO-4217 (Stripe's ISK is two-decimal, PayPal's HUF zero-decimal), so {@code minor} alone is
 * ambiguous. Money is never a double.
 */
public record Money(long minor, String currency, int exponent) {

  public Money {
    Objects.requireNonNull(currency, "currency");
    if (!isUpperCaseCode(currency)) {
      throw new IllegalArgumentException("currency must be an upper-case ISO-4217 code, got '" + currency + "'");
    }
    if (exponent < 0 || exponent > 4) {
      throw new IllegalArgumentException("exponent must be 0..4, got " + exponent);
    }
  }

  /** Three letters A-Z (a loop, not a stream: every history row the engine loads builds a Money). */
  private static boolean isUpperCaseCode(String currency) {
    if (currency.length() != 3) {
      return false;
    }
    for (int i = 0; i < 3; i++) {
      char c = currency.charAt(i);
      if (c < 'A' || c > 'Z') {
        return false;
      }
    }
    return true;
  }

  /** The exact decimal value, e.g. 12340 KWD at exponent 3 is 12.340. */
  public BigDecimal toDecimal() {
    return BigDecimal.valueOf(minor, exponent);
  }

  /** Same currency and same value, whatever the exponents (Mastercard counts declines per card and amount). */
  public boolean sameValue(Money other) {
    return other != null && currency.equals(other.currency) && toDecimal().compareTo(other.toDecimal()) == 0;
  }

  @Override
  public String toString() {
    return toDecimal().toPlainString() + " " + currency;
  }
}
