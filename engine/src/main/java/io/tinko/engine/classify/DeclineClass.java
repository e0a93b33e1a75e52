package io.tinko.engine.classify;

/** Normalized decline classes (DOMAIN.md section 3); each maps to one kind of recovery action. */
public enum DeclineClass {
  /** Soft decline: retry within the caps, email the customer after some tries. */
  RETRY_LATER,
  /** Processor or issuer trouble: retry within hours, with backoff. */
  TECHNICAL,
  /** The card data is wrong or outdated: no blind retry, ask the customer to update the card. */
  FIX_DATA,
  /** Strong customer authentication needed: send an on-session authenticate/pay link. */
  AUTH_REQUIRED,
  /** The card is not enabled for this use: ask the customer to enable online payments. */
  CUSTOMER_ENABLE,
  /** Hard decline: never retry this credential again; ask for a new payment method. */
  NEVER,
  /** The merchant's setup is at fault: alert the merchant, not the customer. */
  MERCHANT_CONFIG
}
