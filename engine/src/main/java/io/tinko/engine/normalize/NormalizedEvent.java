package io.tinko.engine.normalize;

import io.tinko.common.domain.Psp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * One PSP event in Tinko's model, whatever the PSP.
 *
 * <p>{@code correlationKeys} are "kind:id" strings naming the payment this event belongs to, most specific first;
 * {@link #paymentKey()} is the first. Events of one payment do not all carry the same ids (a Stripe
 * {@code charge.failed} under API versions from 2025-03-31 has no invoice id; a Razorpay {@code subscription.pending}
 * has no payment), so match an event to an existing transaction by ANY of its keys and store the first. The rules
 * per PSP are documented on each normalizer. Keys are unique per (tenant, PSP), not across PSPs.
 *
 * <p>{@code amount} is null only for events that carry none (a Razorpay subscription event without a payment).
 * {@code pspAttemptCount} and {@code pspNextRetryAt} describe the PSP's own collection attempts when it reports
 * them (Stripe invoice {@code attempt_count}/{@code next_payment_attempt}, PayPal {@code failed_payments_count}/
 * {@code next_payment_retry_time}, Razorpay {@code auth_attempts}/{@code charge_at}).
 */
public record NormalizedEvent(UUID orgId, Psp psp, String pspEventType, EventType type, List<String> correlationKeys,
                              PspRefs refs, Money amount, DeclineCodes codes, CardInfo card, String customerEmail,
                              String customerLocale, Integer pspAttemptCount, Instant pspNextRetryAt,
                              Instant occurredAt) {

  public NormalizedEvent {
    Objects.requireNonNull(orgId, "orgId");
    Objects.requireNonNull(psp, "psp");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(occurredAt, "occurredAt");
    correlationKeys = List.copyOf(correlationKeys);
    refs = refs == null ? PspRefs.NONE : refs;
    codes = codes == null ? DeclineCodes.NONE : codes;
    card = card == null ? CardInfo.UNKNOWN : card;
    if (type.kind() != EventKind.UNKNOWN && correlationKeys.isEmpty()) {
      throw new NormalizationException(psp.id() + " " + pspEventType + " names no payment, invoice or subscription");
    }
  }

  public EventKind kind() {
    return type.kind();
  }

  /** The stable key of the payment (first correlation key); null for ignored events. */
  public String paymentKey() {
    return correlationKeys.isEmpty() ? null : correlationKeys.get(0);
  }

  /**
   * The card's identity for the networks' per-card limits: the fingerprint when the PSP gives one, else the stored
   * payment method, else the customer (coarser, so stricter). Null when the event names none of them.
   */
  public String cardKey() {
    if (card.fingerprint() != null) {
      return "fingerprint:" + card.fingerprint();
    }
    if (refs.paymentMethodId() != null) {
      return "payment_method:" + refs.paymentMethodId();
    }
    return refs.customerId() == null ? null : "customer:" + refs.customerId();
  }

  static Builder builder(UUID orgId, Psp psp, String pspEventType, EventType type) {
    return new Builder(orgId, psp, pspEventType, type);
  }

  /** Collects fields while a normalizer walks the payload; keys are added in order of preference. */
  static final class Builder {
    private final UUID orgId;
    private final Psp psp;
    private final String pspEventType;
    private final EventType type;
    private final List<String> keys = new ArrayList<>();
    private PspRefs refs = PspRefs.NONE;
    private Money amount;
    private DeclineCodes codes = DeclineCodes.NONE;
    private CardInfo card = CardInfo.UNKNOWN;
    private String email;
    private String locale;
    private Integer attemptCount;
    private Instant nextRetryAt;
    private Instant occurredAt;

    private Builder(UUID orgId, Psp psp, String pspEventType, EventType type) {
      this.orgId = orgId;
      this.psp = psp;
      this.pspEventType = pspEventType;
      this.type = type;
    }

    /** Adds "kind:id" when the id is present and the key is new. */
    Builder key(String kind, String id) {
      if (id != null && !id.isBlank()) {
        String key = kind + ":" + id;
        if (!keys.contains(key)) {
          keys.add(key);
        }
      }
      return this;
    }

    Builder refs(PspRefs refs) {
      this.refs = refs;
      return this;
    }

    Builder amount(Money amount) {
      this.amount = amount;
      return this;
    }

    Builder codes(DeclineCodes codes) {
      this.codes = codes;
      return this;
    }

    Builder card(CardInfo card) {
      this.card = card;
      return this;
    }

    Builder customer(String email, String locale) {
      this.email = email;
      this.locale = locale;
      return this;
    }

    Builder pspAttempts(Integer count, Instant nextRetryAt) {
      this.attemptCount = count;
      this.nextRetryAt = nextRetryAt;
      return this;
    }

    Builder occurredAt(Instant at) {
      this.occurredAt = at;
      return this;
    }

    NormalizedEvent build() {
      if (occurredAt == null) {
        throw new NormalizationException(psp.id() + " " + pspEventType + " has no creation time");
      }
      return new NormalizedEvent(orgId, psp, pspEventType, type, keys, refs, amount, codes, card, email, locale,
          attemptCount, nextRetryAt, occurredAt);
    }
  }
}
