package io.tinko.engine.recovery;

import io.tinko.engine.normalize.DeclineCodes;
import java.util.Objects;

/**
 * What a charge request to a PSP came back with.
 *
 * @param kind   APPROVED: money moved; DECLINED: the issuer or PSP declined (codes set); RETRYABLE: the outcome is
 *               unknown (timeout, 5xx, 409 in progress) and the SAME attempt must be sent again with the SAME key;
 *               REJECTED: the PSP refused the request itself (credentials, invalid parameters), nothing was charged;
 *               CANCELLED: not sent, the payment was recovered meanwhile
 * @param pspRef the PSP object of the charge (Stripe invoice/charge, Razorpay payment, PayPal transaction), if any
 * @param code   a short outcome code for the attempt row ({@code approved}, {@code card_declined}, {@code timeout},
 *               {@code http_500}, ...)
 * @param detail a human-readable detail, never a secret
 */
public record ChargeResult(Kind kind, DeclineCodes codes, String pspRef, String code, String detail) {
  public enum Kind { APPROVED, DECLINED, RETRYABLE, REJECTED, CANCELLED }

  public ChargeResult {
    Objects.requireNonNull(kind, "kind");
    codes = codes == null ? DeclineCodes.NONE : codes;
  }

  public static ChargeResult approved(String pspRef) {
    return new ChargeResult(Kind.APPROVED, null, pspRef, "approved", null);
  }

  public static ChargeResult declined(DeclineCodes codes, String pspRef) {
    String code = codes.declineCode() != null ? codes.declineCode() : codes.failureCode();
    return new ChargeResult(Kind.DECLINED, codes, pspRef, code == null ? "declined" : code, codes.message());
  }

  public static ChargeResult retryable(String code, String detail) {
    return new ChargeResult(Kind.RETRYABLE, null, null, code, detail);
  }

  public static ChargeResult rejected(String code, String detail) {
    return new ChargeResult(Kind.REJECTED, null, null, code, detail);
  }

  public static ChargeResult cancelled(String why) {
    return new ChargeResult(Kind.CANCELLED, null, null, "cancelled", why);
  }
}
