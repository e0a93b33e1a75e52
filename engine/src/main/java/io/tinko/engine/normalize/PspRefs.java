package io.tinko.engine.normalize;

/**
 * The PSP's object ids an event names (all nullable): the invoice (Stripe {@code in_}, Razorpay {@code inv_}, the
 * merchant's invoice number at PayPal), the payment (Stripe PaymentIntent {@code pi_}, Razorpay {@code pay_}, PayPal
 * sale or capture id), the single charge attempt (Stripe {@code ch_}), the order (Razorpay {@code order_}, PayPal
 * order or v1 parent payment), the subscription (Stripe {@code sub_}, Razorpay {@code sub_}, PayPal billing agreement
 * {@code I-...}), the customer and the stored payment method (Stripe {@code pm_}/{@code card_}, Razorpay
 * {@code token_} or {@code card_}).
 */
public record PspRefs(String invoiceId, String paymentId, String chargeId, String orderId, String subscriptionId,
                      String customerId, String paymentMethodId) {
  public static final PspRefs NONE = new PspRefs(null, null, null, null, null, null, null);
}
