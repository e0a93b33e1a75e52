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
 * PayPal events ({@code {"event_type", "create_time", "resource": ...}}): subscription payment failures, v1 sales and
 * v2 captures. Amounts are decimal strings, converted exactly.
 *
 * <p>Payment key: {@code subscription:<I-...>} for anything of a subscription (a failed cycle payment and the sale
 * that later settles it share only the billing agreement id, so one recovery per subscription is open at a time),
 * else {@code order:<id>} for captures ({@code supplementary_data.related_ids.order_id}) or
 * {@code parent_payment:<PAY-...>} for v1 sales, else {@code capture:<id>} / {@code sale:<id>}. A completed capture
 * of an order Tinko created for a recovery link first names the payment it settles ({@code custom_id}
 * {@code tinko:<payment key>}), so it closes that transaction.
 */
final class PaypalNormalizer implements PspNormalizer {
  private enum Resource { SUBSCRIPTION, SALE, CAPTURE }

  private record Handler(EventType type, Resource resource) {}

  private final Map<String, Handler> handlers = Map.of(
      "BILLING.SUBSCRIPTION.PAYMENT.FAILED", new Handler(EventType.SUBSCRIPTION_PAYMENT_FAILED, Resource.SUBSCRIPTION),
      "PAYMENT.SALE.DENIED", new Handler(EventType.PAYMENT_FAILED, Resource.SALE),
      "PAYMENT.SALE.COMPLETED", new Handler(EventType.PAYMENT_SUCCEEDED, Resource.SALE),
      "PAYMENT.CAPTURE.DENIED", new Handler(EventType.PAYMENT_FAILED, Resource.CAPTURE),
      "PAYMENT.CAPTURE.COMPLETED", new Handler(EventType.PAYMENT_SUCCEEDED, Resource.CAPTURE));

  @Override
  public String eventTypeOf(JsonNode root) {
    return text(root, "event_type");
  }

  @Override
  public NormalizedEvent normalize(UUID orgId, String eventType, JsonNode root) {
    Handler handler = handlers.get(eventType);
    EventType type = handler == null ? EventType.IGNORED : handler.type();
    NormalizedEvent.Builder b = NormalizedEvent.builder(orgId, Psp.PAYPAL, eventType, type)
        .occurredAt(isoInstant(root, "create_time"));
    if (handler == null) {
      return b.build();
    }
    JsonNode r = at(root, "resource");
    if (!r.isObject()) {
      throw new NormalizationException("paypal " + eventType + " has no resource");
    }
    boolean failed = type.kind() == EventKind.FAILED;
    switch (handler.resource()) {
      case SUBSCRIPTION -> subscription(r, b);
      case SALE -> sale(r, b, failed);
      case CAPTURE -> capture(r, b, failed);
      default -> throw new IllegalStateException(handler.resource().name());
    }
    return b.build();
  }

  private static void subscription(JsonNode sub, NormalizedEvent.Builder b) {
    JsonNode lastFailed = at(sub, "billing_info", "last_failed_payment");
    b.key("subscription", text(sub, "id"));
    b.refs(new PspRefs(null, null, null, null, text(sub, "id"), text(sub, "subscriber", "payer_id"), null));
    b.amount(money(at(lastFailed, "amount"), "value", "currency_code"));
    b.customer(text(sub, "subscriber", "email_address"), null);
    b.codes(new DeclineCodes(null, text(lastFailed, "reason_code"), null, null, null, null));
    b.pspAttempts(smallInt(sub, "billing_info", "failed_payments_count"),
        isoInstant(lastFailed, "next_payment_retry_time"));
  }

  private static void sale(JsonNode sale, NormalizedEvent.Builder b, boolean failed) {
    String agreement = text(sale, "billing_agreement_id");
    b.key("subscription", agreement).key("parent_payment", text(sale, "parent_payment")).key("sale", text(sale, "id"));
    b.refs(new PspRefs(text(sale, "invoice_number"), text(sale, "id"), null, text(sale, "parent_payment"), agreement,
        null, null));
    b.amount(money(at(sale, "amount"), "total", "currency"));
    if (failed) {
      JsonNode pr = at(sale, "processor_response");
      b.codes(new DeclineCodes(text(sale, "reason_code"), text(pr, "response_code"), text(pr, "advice_code"), null,
          null, null));
    }
  }

  private static void capture(JsonNode cap, NormalizedEvent.Builder b, boolean failed) {
    String order = text(cap, "supplementary_data", "related_ids", "order_id");
    String settles = settledPaymentKey(text(cap, "custom_id"));
    if (!failed && settles != null) {
      int colon = settles.indexOf(':');
      b.key(settles.substring(0, colon), settles.substring(colon + 1));
    }
    b.key("order", order).key("capture", text(cap, "id"));
    b.refs(new PspRefs(text(cap, "invoice_id"), text(cap, "id"), null, order, null, null, null));
    b.amount(money(at(cap, "amount"), "value", "currency_code"));
    if (failed) {
      JsonNode pr = at(cap, "processor_response");
      // payment_advice_code carries the network's advice (Mastercard MAC values 01, 02, 03, 21).
      b.codes(new DeclineCodes(text(cap, "status_details", "reason"), text(pr, "response_code"), null,
          text(pr, "payment_advice_code"), null, null));
    }
  }

  /**
   * The payment key in a capture's {@code custom_id} when Tinko created its order for a recovery link
   * ({@code tinko:<kind>:<id>}, see the gateway's PaypalOrders); else null.
   */
  static String settledPaymentKey(String customId) {
    if (customId == null || !customId.startsWith("tinko:")) {
      return null;
    }
    String key = customId.substring("tinko:".length());
    return SETTLEABLE.matcher(key).matches() ? key : null;
  }

  private static final java.util.regex.Pattern SETTLEABLE =
      java.util.regex.Pattern.compile("(subscription|order|parent_payment|sale|capture):[A-Za-z0-9_:.-]{1,120}");

  private static Money money(JsonNode amount, String valueField, String currencyField) {
    String value = text(amount, valueField);
    String currency = text(amount, currencyField);
    return value == null || currency == null ? null : Currencies.ofDecimal(Psp.PAYPAL, currency, value);
  }
}
