package io.tinko.fakes;

/**
 * One scripted answer of a fake PSP to a charge that it executes (a replay of a stored answer consumes no step).
 *
 * @param code         the PSP's error code (Stripe {@code code}, Razorpay {@code error.code}, PayPal issue)
 * @param declineCode  the issuer's reason (Stripe {@code decline_code}, Razorpay {@code error.reason})
 * @param delayMs      for {@link Kind#SLOW_APPROVE}: the charge is made at once, the answer comes this much later
 *                     (longer than the client waits: "charged, but the answer was lost")
 */
public record Step(Kind kind, String code, String declineCode, String adviceCode, String networkAdviceCode,
                   int status, long delayMs) {

  public enum Kind { APPROVE, DECLINE, SERVER_ERROR, SLOW_APPROVE }

  public static Step approve() {
    return new Step(Kind.APPROVE, null, null, null, null, 200, 0);
  }

  /** A decline: Stripe {@code card_declined} + decline code; Razorpay reason; PayPal issue in {@code code}. */
  public static Step decline(String code, String declineCode) {
    return new Step(Kind.DECLINE, code, declineCode, null, null, 402, 0);
  }

  public static Step decline(String code, String declineCode, String adviceCode, String networkAdviceCode) {
    return new Step(Kind.DECLINE, code, declineCode, adviceCode, networkAdviceCode, 402, 0);
  }

  public static Step serverError(int status) {
    return new Step(Kind.SERVER_ERROR, null, null, null, null, status, 0);
  }

  public static Step slowApprove(long delayMs) {
    return new Step(Kind.SLOW_APPROVE, null, null, null, null, 200, delayMs);
  }

  boolean charges() {
    return kind == Kind.APPROVE || kind == Kind.SLOW_APPROVE;
  }
}
