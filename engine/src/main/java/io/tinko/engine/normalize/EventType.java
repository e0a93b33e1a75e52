package io.tinko.engine.normalize;

/** The finer meaning of a normalized event; {@link #kind()} is what the engine branches on first. */
public enum EventType {
  /** One charge attempt was declined (Stripe charge / PaymentIntent, Razorpay payment, PayPal sale / capture). */
  PAYMENT_FAILED(EventKind.FAILED),
  /** An invoice's automatic collection failed; the PSP may retry by itself ({@code pspNextRetryAt}). */
  INVOICE_PAYMENT_FAILED(EventKind.FAILED),
  /** A PayPal subscription's cycle payment failed; PayPal may retry by itself. */
  SUBSCRIPTION_PAYMENT_FAILED(EventKind.FAILED),
  /** Razorpay subscription.pending: a charge failed and Razorpay keeps retrying it. */
  PSP_RETRY_PENDING(EventKind.FAILED),
  /** Razorpay subscription.halted: Razorpay exhausted its retries; nothing collects unless we act. */
  PSP_RETRIES_EXHAUSTED(EventKind.FAILED),
  /** A charge or PaymentIntent succeeded. */
  PAYMENT_SUCCEEDED(EventKind.SUCCEEDED),
  /** An invoice was paid. */
  INVOICE_PAID(EventKind.SUCCEEDED),
  /** A subscription cycle was charged (Razorpay subscription.charged). */
  SUBSCRIPTION_CHARGED(EventKind.SUCCEEDED),
  /** A type we do not act on: stored, marked processed, skipped. */
  IGNORED(EventKind.UNKNOWN);

  private final EventKind kind;

  EventType(EventKind kind) {
    this.kind = kind;
  }

  public EventKind kind() {
    return kind;
  }
}
