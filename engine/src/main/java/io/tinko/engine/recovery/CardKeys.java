package io.tinko.engine.recovery;

/**
 * Card identities ({@code NormalizedEvent#cardKey}) ranked by precision: a transaction keeps the most precise one it
 * has seen, so a Stripe invoice first known by its customer is counted by its card fingerprint once a charge event
 * names it.
 */
final class CardKeys {
  private CardKeys() {}

  static int rank(String cardKey) {
    if (cardKey == null) {
      return 0;
    }
    if (cardKey.startsWith("fingerprint:")) {
      return 3;
    }
    return cardKey.startsWith("payment_method:") ? 2 : 1;
  }
}
