package io.tinko.common.domain;

import java.util.Locale;
import java.util.Optional;

/** The payment service providers Tinko receives webhooks from. {@code SANDBOX} is the local fake PSP. */
public enum Psp {
  STRIPE, RAZORPAY, PAYPAL, STANDARD, SANDBOX;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Psp> parse(String s) {
    for (Psp p : values()) {
      if (p.id().equals(s)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
