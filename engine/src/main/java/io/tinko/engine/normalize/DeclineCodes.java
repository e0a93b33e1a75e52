package io.tinko.engine.normalize;

/**
 * The codes a PSP attached to a failed attempt, in Tinko's names (all nullable):
 * <ul>
 *   <li>{@code failureCode}: the PSP's coarse error code (Stripe {@code failure_code}/{@code code}, Razorpay
 *       {@code error_code}, PayPal capture {@code status_details.reason});</li>
 *   <li>{@code declineCode}: the issuer's reason in the PSP's vocabulary (Stripe {@code decline_code} or
 *       {@code outcome.reason}, Razorpay {@code error_reason}, PayPal processor {@code response_code} or the
 *       subscription's {@code reason_code});</li>
 *   <li>{@code adviceCode}: the PSP's own advice (Stripe {@code advice_code}, PayPal v1
 *       {@code processor_response.advice_code});</li>
 *   <li>{@code networkAdviceCode}: the card network's advice, a Mastercard MAC (Stripe
 *       {@code network_advice_code}, PayPal {@code processor_response.payment_advice_code});</li>
 *   <li>{@code networkDeclineCode}: the network's response code (Stripe {@code network_decline_code});</li>
 *   <li>{@code message}: the PSP's human-readable text, for logs and the dashboard only.</li>
 * </ul>
 */
public record DeclineCodes(String failureCode, String declineCode, String adviceCode, String networkAdviceCode,
                           String networkDeclineCode, String message) {
  public static final DeclineCodes NONE = new DeclineCodes(null, null, null, null, null, null);

  public boolean isEmpty() {
    return failureCode == null && declineCode == null && adviceCode == null && networkAdviceCode == null
        && networkDeclineCode == null;
  }
}
