package io.tinko.engine.retry;

import io.tinko.engine.classify.Classification;
import java.time.Instant;
import java.util.Objects;

/**
 * What to do after a decline.
 *
 * @param dueAt          when to retry (SCHEDULE_RETRY only, else null)
 * @param rule           stable name of the decision rule: {@code policy:<CLASS|UNKNOWN>:retry#<n>},
 *                       {@code policy:<key>:<action>}, {@code policy:<key>:max_attempts}, {@code policy:<key>:window},
 *                       or {@code limit:<id>} when a network limit ended the retries
 * @param reason         one sentence for people (dashboard, logs)
 * @param notifyCustomer also email the customer (always true with REQUEST_CUSTOMER_ACTION)
 * @param limit          the network limit that deferred or forbade the retry ({@code visa.reattempts},
 *                       {@code mastercard.declines}, {@code mastercard.same_amount_declines}, {@code never_class}),
 *                       or null
 * @param classification the classification decided on; {@link #auditRule()} joins both rules for storage
 */
public record Decision(Action action, Instant dueAt, String rule, String reason, boolean notifyCustomer, String limit,
                       Classification classification) {

  public enum Action { SCHEDULE_RETRY, REQUEST_CUSTOMER_ACTION, NOTIFY_MERCHANT, GIVE_UP }

  public Decision {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(classification, "classification");
    if ((action == Action.SCHEDULE_RETRY) != (dueAt != null)) {
      throw new IllegalArgumentException("dueAt is set exactly when a retry is scheduled");
    }
  }

  /** The classification rule and the decision rule, e.g. {@code table:stripe:insufficient_funds > policy:...}. */
  public String auditRule() {
    return classification.rule() + " > " + rule;
  }
}
