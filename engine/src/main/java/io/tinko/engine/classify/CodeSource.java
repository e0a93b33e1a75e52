package io.tinko.engine.classify;

import java.util.Locale;
import java.util.Optional;

/** Where a code in the classification table comes from; the CSV's first column and the prefix of rule names. */
public enum CodeSource {
  STRIPE("table:stripe:", false),
  STRIPE_ADVICE("stripe.advice_code:", false),
  RAZORPAY("table:razorpay:", false),
  PAYPAL("table:paypal:", false),
  PAYPAL_ADVICE("paypal.advice_code:", false),
  MASTERCARD_MAC("mastercard.mac:", true),
  VISA("visa.response_code:", true);

  private final String rulePrefix;
  private final boolean twoCharNetworkCode;

  CodeSource(String rulePrefix, boolean twoCharNetworkCode) {
    this.rulePrefix = rulePrefix;
    this.twoCharNetworkCode = twoCharNetworkCode;
  }

  /** The name used in the CSV, e.g. {@code mastercard_mac}. */
  public String csvName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<CodeSource> fromCsv(String s) {
    for (CodeSource c : values()) {
      if (c.csvName().equals(s)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  /** The stable rule name stored with each decision, e.g. {@code mastercard.mac:25}. */
  public String rule(String code) {
    return rulePrefix + code;
  }

  /**
   * The lookup form of a code: trimmed, lower case, and for network codes zero-padded to two characters, because
   * some SDKs hand the MAC over as an integer (PayPal's payment_advice_code 3 is MAC "03").
   */
  public String canonical(String code) {
    String c = code.trim().toLowerCase(Locale.ROOT);
    if (twoCharNetworkCode && c.length() == 1 && Character.isDigit(c.charAt(0))) {
      return "0" + c;
    }
    return c;
  }
}
