package io.tinko.engine.normalize;

import java.util.Objects;

/**
 * What the PSP told about the card: scheme, funding ("credit", "debit", "prepaid", as the PSP spells it, lower
 * case) and a fingerprint that is stable per card number (Stripe's {@code card.fingerprint}); funding and
 * fingerprint may be null.
 */
public record CardInfo(CardNetwork network, String funding, String fingerprint) {
  public static final CardInfo UNKNOWN = new CardInfo(CardNetwork.UNKNOWN, null, null);

  public CardInfo {
    Objects.requireNonNull(network, "network");
  }
}
