package io.tinko.engine.normalize;

import io.tinko.common.domain.Psp;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.Locale;
import java.util.Map;

/**
 * Decimal exponents of currencies as each PSP counts minor units. ISO-4217 (java.util.Currency) is right for most;
 * the overrides are the documented exceptions:
 * <ul>
 *   <li>Stripe: ISK stays two-decimal in the API for backwards compatibility (amounts must be multiples of 100),
 *       while ISO says 0; MGA is on Stripe's zero-decimal list, while ISO says 2. Stripe's other zero-decimal
 *       currencies (BIF CLP DJF GNF JPY KMF KRW PYG RWF UGX VND VUV XAF XOF XPF) agree with ISO, and HUF/TWD are
 *       two-decimal in charges like ISO.</li>
 *   <li>PayPal: HUF and TWD "do not support decimals" (a decimal amount is an error), so whole units are minor
 *       units there.</li>
 * </ul>
 * Razorpay, Standard Webhooks and the sandbox follow ISO-4217.
 */
public final class Currencies {
  private static final Map<Psp, Map<String, Integer>> OVERRIDES = Map.of(
      Psp.STRIPE, Map.of("ISK", 2, "MGA", 0),
      Psp.PAYPAL, Map.of("HUF", 0, "TWD", 0));

  private Currencies() {}

  /** Decimal places of {@code currency} at {@code psp}; fails for codes that are not ISO-4217 money. */
  public static int exponent(Psp psp, String currency) {
    String code = normalizeCode(currency);
    Integer override = OVERRIDES.getOrDefault(psp, Map.of()).get(code);
    return override != null ? override : isoExponent(code);
  }

  /** ISO-4217 decimal places; fails for unknown codes and for non-money codes such as XAU (no minor unit). */
  public static int isoExponent(String currency) {
    String code = normalizeCode(currency);
    Currency c;
    try {
      c = Currency.getInstance(code);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + currency + "' is not an ISO-4217 currency code", e);
    }
    int digits = c.getDefaultFractionDigits();
    if (digits < 0) {
      throw new IllegalArgumentException(code + " has no minor unit (not a currency payments use)");
    }
    return digits;
  }

  /** An amount the PSP reported in its own minor units (Stripe, Razorpay). */
  public static Money ofMinor(Psp psp, String currency, long minor) {
    String code = normalizeCode(currency);
    return new Money(minor, code, exponent(psp, code));
  }

  /**
   * An amount the PSP reported as a decimal string (PayPal "10.00"), converted exactly: more decimals than the
   * currency has is an error, never a rounding.
   */
  public static Money ofDecimal(Psp psp, String currency, String decimal) {
    String code = normalizeCode(currency);
    int exponent = exponent(psp, code);
    BigDecimal value;
    try {
      value = new BigDecimal(decimal.trim());
    } catch (NumberFormatException | NullPointerException e) {
      throw new IllegalArgumentException("'" + decimal + "' is not a decimal amount", e);
    }
    try {
      // stripTrailingZeros lets "10.00" JPY through (zero-valued decimals), but "10.50" JPY fails.
      long minor = value.stripTrailingZeros().movePointRight(exponent).longValueExact();
      return new Money(minor, code, exponent);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(decimal + " " + code + " has more than " + exponent
          + " decimal places or is out of range", e);
    }
  }

  private static String normalizeCode(String currency) {
    if (currency == null || currency.isBlank()) {
      throw new IllegalArgumentException("currency is missing");
    }
    return currency.trim().toUpperCase(Locale.ROOT);
  }
}
