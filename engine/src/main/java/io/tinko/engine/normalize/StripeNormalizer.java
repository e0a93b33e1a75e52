package io.tinko.engine.normalize;

import static io.tinko.engine.normalize.Json.at;
import static io.tinko.engine.normalize.Json.epochSeconds;
import static io.tinko.engine.normalize.Json.id;
import static io.tinko.engine.normalize.Json.integer;
import static io.tinko.engine.normalize.Json.smallInt;
import static io.tinko.engine.normalize.Json.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.tinko.common.domain.Psp;
import java.util.Map;
import java.util.UUID;

/**
 * Stripe events ({@code {"type", "created", "data": {"object": ...}}}) for invoices, PaymentIntents and charges.
 *
 * <p>Payment key: {@code invoice:<in_>} when the object belongs to an invoice (an invoice retried by Stripe or by us
 * keeps its id while PaymentIntents and charges change), else {@code payment_intent:<pi_>}, else
 * {@code charge:<ch_>}; the others follow as correlation keys. Both invoice shapes are read: up to API 2025-02-24
 * ({@code subscription}, {@code payment_intent}, {@code charge} on the invoice) and from 2025-03-31
 * ({@code parent.subscription_details.subscription}, {@code payments.data[].payment}).
 */
final class StripeNormalizer implements PspNormalizer {
  private interface Reader {
    void read(JsonNode obj, NormalizedEvent.Builder b);
  }

  private record Handler(EventType type, Reader reader) {}

  private final Map<String, Handler> handlers = Map.of(
      "invoice.payment_failed", new Handler(EventType.INVOICE_PAYMENT_FAILED, (o, b) -> invoice(o, b, false)),
      "invoice.paid", new Handler(EventType.INVOICE_PAID, (o, b) -> invoice(o, b, true)),
      "invoice.payment_succeeded", new Handler(EventType.INVOICE_PAID, (o, b) -> invoice(o, b, true)),
      "payment_intent.payment_failed", new Handler(EventType.PAYMENT_FAILED, StripeNormalizer::paymentIntent),
      "payment_intent.succeeded", new Handler(EventType.PAYMENT_SUCCEEDED, StripeNormalizer::paymentIntent),
      "charge.failed", new Handler(EventType.PAYMENT_FAILED, StripeNormalizer::charge));

  @Override
  public String eventTypeOf(JsonNode root) {
    return text(root, "type");
  }

  @Override
  public NormalizedEvent normalize(UUID orgId, String eventType, JsonNode root) {
    Handler handler = handlers.get(eventType);
    EventType type = handler == null ? EventType.IGNORED : handler.type();
    NormalizedEvent.Builder b = NormalizedEvent.builder(orgId, Psp.STRIPE, eventType, type)
        .occurredAt(epochSeconds(root, "created"));
    if (handler != null) {
      JsonNode obj = at(root, "data", "object");
      if (!obj.isObject()) {
        throw new NormalizationException("stripe " + eventType + " has no data.object");
      }
      handler.reader().read(obj, b);
    }
    return b.build();
  }

  private static void invoice(JsonNode inv, NormalizedEvent.Builder b, boolean paid) {
    JsonNode firstPayment = at(inv, "payments", "data").path(0).path("payment");
    String invoiceId = text(inv, "id");
    String paymentIntent = firstNonNull(id(inv, "payment_intent"), id(firstPayment, "payment_intent"));
    String charge = firstNonNull(id(inv, "charge"), id(firstPayment, "charge"));
    String subscription = firstNonNull(id(inv, "subscription"),
        id(inv, "parent", "subscription_details", "subscription"));
    b.key("invoice", invoiceId).key("payment_intent", paymentIntent).key("charge", charge);
    b.refs(new PspRefs(invoiceId, paymentIntent, charge, null, subscription, id(inv, "customer"),
        id(inv, "default_payment_method")));
    // A paid invoice's amount_paid is what was collected; a failed one still owes amount_due.
    Long minor = paid ? firstNonNull(integer(inv, "amount_paid"), integer(inv, "amount_due"))
        : integer(inv, "amount_due");
    b.amount(money(inv, minor));
    b.customer(text(inv, "customer_email"), firstPreferredLocale(inv));
    b.pspAttempts(smallInt(inv, "attempt_count"), paid ? null : epochSeconds(inv, "next_payment_attempt"));
    // An invoice carries no decline code of its own; last_finalization_error is the only error on it.
    b.codes(error(at(inv, "last_finalization_error")));
  }

  private static void paymentIntent(JsonNode pi, NormalizedEvent.Builder b) {
    JsonNode err = at(pi, "last_payment_error");
    String charge = firstNonNull(id(pi, "latest_charge"), text(err, "charge"));
    String invoice = id(pi, "invoice");
    b.key("invoice", invoice).key("payment_intent", text(pi, "id")).key("charge", charge);
    JsonNode pm = at(pi, "payment_method").isObject() ? at(pi, "payment_method") : at(err, "payment_method");
    b.refs(new PspRefs(invoice, text(pi, "id"), charge, null, null, id(pi, "customer"),
        firstNonNull(id(pi, "payment_method"), text(pm, "id"))));
    b.amount(money(pi, integer(pi, "amount")));
    b.customer(firstNonNull(text(pi, "receipt_email"), text(pm, "billing_details", "email")), null);
    b.card(card(at(pm, "card")));
    b.codes(error(err));
  }

  private static void charge(JsonNode ch, NormalizedEvent.Builder b) {
    String invoice = id(ch, "invoice");
    String paymentIntent = id(ch, "payment_intent");
    b.key("invoice", invoice).key("payment_intent", paymentIntent).key("charge", text(ch, "id"));
    b.refs(new PspRefs(invoice, paymentIntent, text(ch, "id"), null, null, id(ch, "customer"),
        id(ch, "payment_method")));
    b.amount(money(ch, integer(ch, "amount")));
    b.customer(firstNonNull(text(ch, "billing_details", "email"), text(ch, "receipt_email")), null);
    b.card(card(at(ch, "payment_method_details", "card")));
    JsonNode outcome = at(ch, "outcome");
    // A charge has no decline_code field: outcome.reason holds the issuer's (or Radar's) reason.
    b.codes(new DeclineCodes(text(ch, "failure_code"), text(outcome, "reason"), text(outcome, "advice_code"),
        text(outcome, "network_advice_code"), text(outcome, "network_decline_code"), text(ch, "failure_message")));
  }

  /** Stripe's error object (last_payment_error, last_finalization_error). */
  private static DeclineCodes error(JsonNode err) {
    if (!err.isObject()) {
      return DeclineCodes.NONE;
    }
    return new DeclineCodes(text(err, "code"), text(err, "decline_code"), text(err, "advice_code"),
        text(err, "network_advice_code"), text(err, "network_decline_code"), text(err, "message"));
  }

  private static CardInfo card(JsonNode card) {
    if (!card.isObject()) {
      return CardInfo.UNKNOWN;
    }
    // "network" is the scheme that carried the payment (co-badged cards); "brand" is the card's brand.
    String network = firstNonNull(text(card, "network"), text(card, "brand"));
    return new CardInfo(CardNetwork.parse(network), Json.lower(text(card, "funding")), text(card, "fingerprint"));
  }

  private static Money money(JsonNode obj, Long minor) {
    String currency = text(obj, "currency");
    return minor == null || currency == null ? null : Currencies.ofMinor(Psp.STRIPE, currency, minor);
  }

  private static String firstPreferredLocale(JsonNode obj) {
    JsonNode locales = at(obj, "customer", "preferred_locales");
    return locales.isArray() && !locales.isEmpty() ? locales.get(0).asText() : null;
  }

  private static <T> T firstNonNull(T a, T b) {
    return a != null ? a : b;
  }
}
