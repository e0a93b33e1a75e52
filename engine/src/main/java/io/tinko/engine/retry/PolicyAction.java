package io.tinko.engine.retry;

import java.util.Locale;

/** What a policy does with a decline of its class; config names are lower snake case ({@code customer_action}). */
public enum PolicyAction {
  /** Schedule retries by the policy's schedule or backoff, within the network limits. */
  RETRY,
  /** No blind retry: ask the customer to act (update the card, authenticate, enable, give a new method). */
  CUSTOMER_ACTION,
  /** Alert the merchant; the customer is not contacted. */
  NOTIFY_MERCHANT,
  /** Stop: nothing more is attempted. */
  GIVE_UP;

  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static PolicyAction fromConfig(String s) {
    for (PolicyAction a : values()) {
      if (a.configName().equals(s)) {
        return a;
      }
    }
    throw new IllegalArgumentException("'" + s + "' is not one of retry, customer_action, notify_merchant, give_up");
  }

  Decision.Action toDecision() {
    return switch (this) {
      case RETRY -> Decision.Action.SCHEDULE_RETRY;
      case CUSTOMER_ACTION -> Decision.Action.REQUEST_CUSTOMER_ACTION;
      case NOTIFY_MERCHANT -> Decision.Action.NOTIFY_MERCHANT;
      case GIVE_UP -> Decision.Action.GIVE_UP;
    };
  }
}
