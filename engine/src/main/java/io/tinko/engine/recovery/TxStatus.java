package io.tinko.engine.recovery;

import io.tinko.engine.retry.Decision;

/** Values of {@code transactions.status}, and the status each decision leaves a transaction in. */
final class TxStatus {
  static final String FAILED = "failed";
  static final String RETRYING = "retrying";
  static final String ACTION_REQUIRED = "action_required";
  static final String RECOVERED = "recovered";
  static final String GIVEN_UP = "given_up";
  static final String MERCHANT_ACTION = "merchant_action";

  private TxStatus() {}

  static String after(Decision.Action action) {
    return switch (action) {
      case SCHEDULE_RETRY -> RETRYING;
      case REQUEST_CUSTOMER_ACTION -> ACTION_REQUIRED;
      case NOTIFY_MERCHANT -> MERCHANT_ACTION;
      case GIVE_UP -> GIVEN_UP;
    };
  }
}
