package io.tinko.engine.dunning;

import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.text.NumberFormat;
import java.util.Currency;
import java.util.Locale;

/**
 * An amount in minor units, written for a customer: the currency's exponent turns minor units into major ones
 * (JPY 0, INR and EUR 2, as the PSP counted them), and the customer's locale places the symbol and separators.
 * Indian locales group by lakh and crore (₹12,34,567.89), which {@link DecimalFormat} cannot express, so those
 * integer digits are regrouped here.
 */
public final class MoneyFormat {
  private MoneyFormat() {}

  public static String format(long minor, String currency, int exponent, Locale locale) {
    BigDecimal major = BigDecimal.valueOf(minor).movePointLeft(exponent);
    NumberFormat f = NumberFormat.getCurrencyInstance(locale);
    Currency c = Currency.getInstance(currency.toUpperCase(Locale.ROOT));
    f.setCurrency(c);
    f.setMinimumFractionDigits(exponent);
    f.setMaximumFractionDigits(exponent);
    if (!indianGrouping(locale) || !(f instanceof DecimalFormat df)) {
      return f.format(major);
    }
    df.setGroupingUsed(false);
    String plain = df.format(major);
    char decimal = df.getDecimalFormatSymbols().getMonetaryDecimalSeparator();
    char group = df.getDecimalFormatSymbols().getGroupingSeparator();
    return regroup(plain, decimal, group);
  }

  /** hi, and English/other languages written in India. */
  static boolean indianGrouping(Locale locale) {
    return "hi".equals(locale.getLanguage()) || "IN".equals(locale.getCountry());
  }

  /** Inserts 3-then-2 grouping into the first run of digits (the integer part) of an ungrouped amount. */
  static String regroup(String plain, char decimal, char group) {
    int start = 0;
    while (start < plain.length() && !Character.isDigit(plain.charAt(start))) {
      start++;
    }
    int end = start;
    while (end < plain.length() && Character.isDigit(plain.charAt(end)) && plain.charAt(end) != decimal) {
      end++;
    }
    String digits = plain.substring(start, end);
    if (digits.length() <= 3) {
      return plain;
    }
    StringBuilder out = new StringBuilder(digits.substring(digits.length() - 3));
    int i = digits.length() - 3;
    while (i > 0) {
      int from = Math.max(0, i - 2);
      out.insert(0, group).insert(0, digits, from, i);
      i = from;
    }
    return plain.substring(0, start) + out + plain.substring(end);
  }

  /** For tests and logs: the symbols a locale uses. */
  static DecimalFormatSymbols symbols(Locale locale) {
    return DecimalFormatSymbols.getInstance(locale);
  }
}
