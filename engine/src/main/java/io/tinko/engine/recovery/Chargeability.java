package io.tinko.engine.recovery;

/**
 * Whether the executor can charge a transaction without the customer: what each PSP's API needs. A retry the
 * engine cannot execute is not scheduled; the customer is asked to act instead (and the decision says why).
 * <ul>
 *   <li>Stripe and the sandbox: an open invoice to pay, or a PaymentIntent plus a saved payment method to confirm
 *       off-session;</li>
 *   <li>Razorpay: a customer, a saved token ({@code token_...}) and the amount, for a recurring payment;</li>
 *   <li>PayPal: a subscription with an outstanding amount, captured through the subscription;</li>
 *   <li>Standard Webhooks senders: no API Tinko can call.</li>
 * </ul>
 */
final class Chargeability {
  private Chargeability() {}

  /** Null when chargeable, else the reason (a short snake_case token for the decision rule). */
  static String whyNot(TxState tx) {
    return switch (tx.psp) {
      case STRIPE, SANDBOX -> tx.invoiceId != null || (startsWith(tx.paymentId, "pi_") && tx.paymentMethodId != null)
          ? null : "no_invoice_or_payment_method";
      case RAZORPAY -> tx.customerId == null ? "no_customer"
          : !startsWith(tx.paymentMethodId, "token_") ? "no_saved_token"
          : tx.amountMinor == null ? "no_amount" : null;
      case PAYPAL -> tx.subscriptionId == null ? "not_a_subscription" : tx.amountMinor == null ? "no_amount" : null;
      case STANDARD -> "no_psp_api";
    };
  }

  static boolean chargeable(TxState tx) {
    return whyNot(tx) == null;
  }

  private static boolean startsWith(String s, String prefix) {
    return s != null && s.startsWith(prefix);
  }
}
