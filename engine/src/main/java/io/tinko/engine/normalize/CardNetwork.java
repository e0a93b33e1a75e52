package io.tinko.engine.normalize;

import java.util.Locale;
import java.util.Map;

/**
 * Card scheme of the payment method. Only Visa and Mastercard publish reattempt rules (DOMAIN.md section 4);
 * {@link #UNKNOWN} means the PSP did not say, and the retry planner then applies both networks' limits.
 */
public enum CardNetwork {
  VISA, MASTERCARD, AMEX, DISCOVER, JCB, DINERS, UNIONPAY, RUPAY, OTHER, UNKNOWN;

  // Spellings seen in Stripe (brand, network), Razorpay (card.network) and PayPal (card.brand); keys have no
  // spaces, underscores or dashes. Maestro is a Mastercard product, so Mastercard's rules apply to it.
  private static final Map<String, CardNetwork> SPELLINGS = Map.ofEntries(
      Map.entry("visa", VISA), Map.entry("mastercard", MASTERCARD), Map.entry("mc", MASTERCARD),
      Map.entry("maestro", MASTERCARD), Map.entry("amex", AMEX), Map.entry("americanexpress", AMEX),
      Map.entry("discover", DISCOVER), Map.entry("jcb", JCB), Map.entry("diners", DINERS),
      Map.entry("dinersclub", DINERS), Map.entry("unionpay", UNIONPAY), Map.entry("chinaunionpay", UNIONPAY),
      Map.entry("cup", UNIONPAY), Map.entry("rupay", RUPAY));

  /** Parses any PSP's spelling; null or blank is {@link #UNKNOWN}, an unlisted scheme is {@link #OTHER}. */
  public static CardNetwork parse(String s) {
    if (s == null || s.isBlank() || s.equalsIgnoreCase("unknown")) {
      return UNKNOWN;
    }
    String key = s.toLowerCase(Locale.ROOT).replaceAll("[\\s_\\-]", "");
    return SPELLINGS.getOrDefault(key, OTHER);
  }
}
