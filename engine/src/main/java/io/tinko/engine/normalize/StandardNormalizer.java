package io.tinko.engine.normalize;

import static io.tinko.engine.normalize.Json.at;
import static io.tinko.engine.normalize.Json.isoInstant;
import static io.tinko.engine.normalize.Json.smallInt;
import static io.tinko.engine.normalize.Json.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.tinko.common.domain.Psp;
import java.util.Map;
import java.util.UUID;

/**
 * Tinko's generic payload, for Standard Webhooks senders and the sandbox PSP. Standard Webhooks fixes only the
 * envelope ({@code type}, {@code timestamp}, {@code data}); the data fields are Tinko's:
 * <pre>{@code
 * {"type": "payment.failed" | "payment.succeeded",
 *  "timestamp": "2026-01-31T09:00:00Z",
 *  "data": {"payment_key": "optional, wins over the ids below",
 *           "invoice_id", "payment_id", "subscription_id", "customer_id", "payment_method_id",
 *           "amount": "12.340", "currency": "KWD",          // decimal string, ISO-4217 exponent
 *           "failure_code", "decline_code", "advice_code",   // Stripe's vocabulary
 *           "network_advice_code", "network_decline_code", "message",
 *           "card": {"network": "visa", "funding": "credit", "fingerprint": "..."},
 *           "customer": {"email": "...", "locale": "de-DE"},
 *           "attempt_count": 1, "next_retry_at": "2026-02-01T09:00:00Z"}}
 * }</pre>
 * Payment key: {@code key:<payment_key>}, else {@code invoice:<invoice_id>}, else {@code payment:<payment_id>}.
 */
final class StandardNormalizer implements PspNormalizer {
  private final Psp psp;
  private final Map<String, EventType> types = Map.of(
      "payment.failed", EventType.PAYMENT_FAILED,
      "payment.succeeded", EventType.PAYMENT_SUCCEEDED);

  StandardNormalizer(Psp psp) {
    this.psp = psp;
  }

  @Override
  public String eventTypeOf(JsonNode root) {
    return text(root, "type");
  }

  @Override
  public NormalizedEvent normalize(UUID orgId, String eventType, JsonNode root) {
    EventType type = types.getOrDefault(eventType, EventType.IGNORED);
    NormalizedEvent.Builder b = NormalizedEvent.builder(orgId, psp, eventType, type)
        .occurredAt(isoInstant(root, "timestamp"));
    if (type == EventType.IGNORED) {
      return b.build();
    }
    JsonNode d = at(root, "data");
    b.key("key", text(d, "payment_key")).key("invoice", text(d, "invoice_id")).key("payment", text(d, "payment_id"));
    b.refs(new PspRefs(text(d, "invoice_id"), text(d, "payment_id"), null, null, text(d, "subscription_id"),
        text(d, "customer_id"), text(d, "payment_method_id")));
    String amount = text(d, "amount");
    String currency = text(d, "currency");
    b.amount(amount == null || currency == null ? null : Currencies.ofDecimal(psp, currency, amount));
    JsonNode card = at(d, "card");
    if (card.isObject()) {
      b.card(new CardInfo(CardNetwork.parse(text(card, "network")), Json.lower(text(card, "funding")),
          text(card, "fingerprint")));
    }
    b.customer(text(d, "customer", "email"), text(d, "customer", "locale"));
    if (type.kind() == EventKind.FAILED) {
      b.codes(new DeclineCodes(text(d, "failure_code"), text(d, "decline_code"), text(d, "advice_code"),
          text(d, "network_advice_code"), text(d, "network_decline_code"), text(d, "message")));
    }
    b.pspAttempts(smallInt(d, "attempt_count"), isoInstant(d, "next_retry_at"));
    return b.build();
  }
}
