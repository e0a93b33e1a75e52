package io.tinko.engine.recovery;

import io.tinko.common.domain.Psp;
import io.tinko.engine.normalize.CardNetwork;
import io.tinko.engine.normalize.Money;
import io.tinko.engine.normalize.NormalizedEvent;
import io.tinko.engine.normalize.PspRefs;
import io.vertx.sqlclient.Row;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One row of {@code transactions} while a group of events (or an attempt's outcome) is applied to it in memory; the
 * row is locked for the whole database transaction, so nothing else changes it meanwhile. Fields are package-private
 * and mutable on purpose: {@link Recovery} and the appliers are its only writers.
 */
final class TxState {
  final UUID id;
  final UUID orgId;
  final Psp psp;
  final String endpointId;
  final String paymentKey;
  final boolean isNew;
  final List<AttemptRef> attempts = new ArrayList<>();
  String invoiceId;
  String paymentId;
  String subscriptionId;
  String customerId;
  String paymentMethodId;
  String customerEmail;
  String customerLocale;
  Long amountMinor;
  String currency;
  Integer amountExponent;
  CardNetwork network = CardNetwork.UNKNOWN;
  String cardFunding;
  String cardFingerprint;
  String cardKey;
  String status;
  String declineClass;
  String declineCode;
  String declineRule;
  Instant failedAt;
  Instant lastFailedAt;
  Instant recoveredAt;
  String recoveredBy;
  Instant lastEventAt;
  int retriesMade;
  Instant pspNextRetryAt;
  boolean dirty;

  TxState(UUID id, UUID orgId, Psp psp, String endpointId, String paymentKey, boolean isNew) {
    this.id = id;
    this.orgId = orgId;
    this.psp = psp;
    this.endpointId = endpointId;
    this.paymentKey = paymentKey;
    this.isNew = isNew;
    this.dirty = isNew;
  }

  /** A new transaction for a failure event; {@code paymentKey} may differ from the event's (a new cycle). */
  static TxState create(UUID id, NormalizedEvent n, String endpointId, String paymentKey) {
    TxState tx = new TxState(id, n.orgId(), n.psp(), endpointId, paymentKey, true);
    tx.status = TxStatus.FAILED;
    tx.failedAt = n.occurredAt();
    tx.lastEventAt = n.occurredAt();
    tx.merge(n);
    return tx;
  }

  static TxState fromRow(Row r) {
    TxState tx = new TxState(r.getUUID("id"), r.getUUID("org_id"), Psp.parse(r.getString("psp")).orElseThrow(),
        r.getString("endpoint_id"), r.getString("psp_payment_key"), false);
    tx.invoiceId = r.getString("invoice_id");
    tx.paymentId = r.getString("payment_id");
    tx.subscriptionId = r.getString("subscription_id");
    tx.customerId = r.getString("customer_id");
    tx.paymentMethodId = r.getString("payment_method_id");
    tx.customerEmail = r.getString("customer_email");
    tx.customerLocale = r.getString("customer_locale");
    tx.amountMinor = r.getLong("amount_minor");
    tx.currency = r.getString("currency");
    tx.amountExponent = r.getInteger("amount_exponent");
    tx.network = CardNetwork.parse(r.getString("card_network"));
    tx.cardFunding = r.getString("card_funding");
    tx.cardFingerprint = r.getString("card_fingerprint");
    tx.cardKey = r.getString("card_key");
    tx.status = r.getString("status");
    tx.declineClass = r.getString("decline_class");
    tx.declineCode = r.getString("decline_code");
    tx.declineRule = r.getString("decline_rule");
    tx.failedAt = instant(r, "failed_at");
    tx.lastFailedAt = instant(r, "last_failed_at");
    tx.recoveredAt = instant(r, "recovered_at");
    tx.recoveredBy = r.getString("recovered_by");
    tx.lastEventAt = instant(r, "last_event_at");
    tx.retriesMade = r.getInteger("retries_made");
    tx.pspNextRetryAt = instant(r, "psp_next_retry_at");
    return tx;
  }

  /** Fills what this transaction does not know yet from an event of the same payment; never overwrites. */
  void merge(NormalizedEvent n) {
    PspRefs r = n.refs();
    invoiceId = first(invoiceId, r.invoiceId());
    paymentId = first(paymentId, r.paymentId());
    subscriptionId = first(subscriptionId, r.subscriptionId());
    customerId = first(customerId, r.customerId());
    paymentMethodId = first(paymentMethodId, r.paymentMethodId());
    customerEmail = first(customerEmail, n.customerEmail());
    customerLocale = first(customerLocale, n.customerLocale());
    if (amountMinor == null && n.amount() != null) {
      amountMinor = n.amount().minor();
      currency = n.amount().currency();
      amountExponent = n.amount().exponent();
    }
    if (network == CardNetwork.UNKNOWN) {
      network = n.card().network();
    }
    cardFunding = first(cardFunding, n.card().funding());
    cardFingerprint = first(cardFingerprint, n.card().fingerprint());
    String eventCard = n.cardKey();
    if (eventCard != null && CardKeys.rank(eventCard) > CardKeys.rank(cardKey)) {
      cardKey = eventCard;
    }
    if (lastEventAt == null || n.occurredAt().isAfter(lastEventAt)) {
      lastEventAt = n.occurredAt();
    }
    dirty = true;
  }

  Money money() {
    return amountMinor == null || currency == null ? null
        : new Money(amountMinor, currency, amountExponent == null ? 2 : amountExponent);
  }

  boolean isRecovered() {
    return TxStatus.RECOVERED.equals(status);
  }

  /** The attempt not yet run (scheduled, possibly waiting to be resent), if any. */
  AttemptRef scheduled() {
    return attempts.stream().filter(a -> AttemptRef.SCHEDULED.equals(a.status)).findFirst().orElse(null);
  }

  boolean hasRunningAttempt() {
    return attempts.stream().anyMatch(a -> AttemptRef.RUNNING.equals(a.status));
  }

  /** Whether a charge of ours was sent for this payment (succeeded, running, or sent with an unknown outcome). */
  boolean ourChargeInFlightOrDone() {
    return attempts.stream().anyMatch(a -> AttemptRef.RUNNING.equals(a.status)
        || AttemptRef.SUCCEEDED.equals(a.status) || (AttemptRef.SCHEDULED.equals(a.status) && a.calls > 0));
  }

  int nextAttemptNo() {
    return attempts.stream().mapToInt(a -> a.attemptNo).max().orElse(0) + 1;
  }

  private static String first(String a, String b) {
    return a != null ? a : b;
  }

  static Instant instant(Row r, String column) {
    OffsetDateTime t = r.getOffsetDateTime(column);
    return t == null ? null : t.toInstant();
  }

  static Instant instant(Row r, int column) {
    OffsetDateTime t = r.getOffsetDateTime(column);
    return t == null ? null : t.toInstant();
  }
}
