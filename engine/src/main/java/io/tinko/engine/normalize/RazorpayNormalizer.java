package io.tinko.engine.normalize;

import static io.tinko.engine.normalize.Json.at;
import static io.tinko.engine.normalize.Json.epochSeconds;
import static io.tinko.engine.normalize.Json.integer;
import static io.tinko.engine.normalize.Json.smallInt;
import static io.tinko.engine.normalize.Json.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.tinko.common.domain.Psp;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * Razorpay events ({@code {"event", "created_at", "payload": {"payment": {"entity"}, "subscription": {"entity"}}}}).
 *
 * <p>Payment key: {@code invoice:<inv_>} when the payment belongs to an invoice (every subscription cycle has one,
 * and a failed charge and its later success share it), else the subscription cycle
 * {@code subscription:<sub_>:<current_start>} (subscription.pending/halted carry no payment), else
 * {@code order:<order_>} (all payment attempts of one order), else {@code payment:<pay_>}. A payment.failed of a
 * subscription names its invoice but not its subscription, so it meets subscription.pending only through the
 * transaction's invoice or subscription id, not through a shared key.
 *
 * <p>{@code payment_link.paid} of a link Tinko made for a recovery also carries, first, the key of the payment it
 * settles (the link's {@code notes.tinko_payment_key}), so it closes that transaction.
 */
final class RazorpayNormalizer implements PspNormalizer {
  private final Map<String, EventType> types = Map.of(
      "payment.failed", EventType.PAYMENT_FAILED,
      "payment.captured", EventType.PAYMENT_SUCCEEDED,
      "payment_link.paid", EventType.PAYMENT_SUCCEEDED,
      "subscription.pending", EventType.PSP_RETRY_PENDING,
      "subscription.halted", EventType.PSP_RETRIES_EXHAUSTED,
      "subscription.charged", EventType.SUBSCRIPTION_CHARGED);

  @Override
  public String eventTypeOf(JsonNode root) {
    return text(root, "event");
  }

  @Override
  public NormalizedEvent normalize(UUID orgId, String eventType, JsonNode root) {
    EventType type = types.getOrDefault(eventType, EventType.IGNORED);
    NormalizedEvent.Builder b = NormalizedEvent.builder(orgId, Psp.RAZORPAY, eventType, type)
        .occurredAt(epochSeconds(root, "created_at"));
    if (type == EventType.IGNORED) {
      return b.build();
    }
    JsonNode pay = at(root, "payload", "payment", "entity");
    JsonNode sub = at(root, "payload", "subscription", "entity");
    if (!pay.isObject() && !sub.isObject()) {
      throw new NormalizationException("razorpay " + eventType + " has neither a payment nor a subscription");
    }
    String subscriptionId = text(sub, "id");
    Long cycleStart = integer(sub, "current_start");
    // a payment link Tinko created for a recovery names the payment it settles in its notes (see the gateway's
    // RazorpayLinks); Razorpay repeats the link's notes in payment_link.paid, not in the link's payment
    String settles = settledPaymentKey(at(root, "payload", "payment_link", "entity", "notes"));
    if (settles == null) {
      settles = settledPaymentKey(at(pay, "notes"));
    }
    if (settles != null) {
      int colon = settles.indexOf(':');
      b.key(settles.substring(0, colon), settles.substring(colon + 1));
    }
    b.key("invoice", text(pay, "invoice_id"))
        .key("subscription", subscriptionId == null || cycleStart == null ? null : subscriptionId + ":" + cycleStart)
        .key("order", text(pay, "order_id"))
        .key("payment", text(pay, "id"));
    String customer = text(pay, "customer_id") != null ? text(pay, "customer_id") : text(sub, "customer_id");
    String method = text(pay, "token_id") != null ? text(pay, "token_id") : text(pay, "card_id");
    b.refs(new PspRefs(text(pay, "invoice_id"), text(pay, "id"), null, text(pay, "order_id"), subscriptionId,
        customer, method));
    Long minor = integer(pay, "amount");
    String currency = text(pay, "currency");
    b.amount(minor == null || currency == null ? null : Currencies.ofMinor(Psp.RAZORPAY, currency, minor));
    b.customer(text(pay, "email"), null);
    JsonNode card = at(pay, "card");
    if (card.isObject()) {
      b.card(new CardInfo(CardNetwork.parse(text(card, "network")), Json.lower(text(card, "type")), null));
    }
    if (type.kind() == EventKind.FAILED && pay.isObject()) {
      // error_code is the category (BAD_REQUEST_ERROR, GATEWAY_ERROR); error_reason the precise reason.
      b.codes(new DeclineCodes(text(pay, "error_code"), text(pay, "error_reason"), null, null, null,
          text(pay, "error_description")));
    }
    // While pending, charge_at is when Razorpay will try the card again.
    Instant nextRetry = type == EventType.PSP_RETRY_PENDING ? epochSeconds(sub, "charge_at") : null;
    b.pspAttempts(smallInt(sub, "auth_attempts"), nextRetry);
    return b.build();
  }

  /** The {@code tinko_payment_key} note when it is a payment key this normalizer makes; else null. */
  static String settledPaymentKey(JsonNode notes) {
    String key = text(notes, "tinko_payment_key");
    return key != null && SETTLEABLE.matcher(key).matches() ? key : null;
  }

  private static final java.util.regex.Pattern SETTLEABLE =
      java.util.regex.Pattern.compile("(invoice|subscription|order|payment):[A-Za-z0-9_:.-]{1,120}");
}
