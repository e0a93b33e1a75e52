package io.tinko.fakes;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stripe's API as the engine uses it: {@code POST /v1/invoices/{id}/pay} and
 * {@code POST /v1/payment_intents/{id}/confirm} (form-encoded, {@code Authorization: Bearer sk_...}), plus
 * {@code GET} of both. Idempotency as Stripe documents it: the first answer to an {@code Idempotency-Key} is stored,
 * a 500 included, and replayed for the same key (header {@code Idempotent-Replayed: true}); the same key with other
 * parameters is an {@code idempotency_error}. A paid invoice cannot be paid again. Declines are Stripe's error JSON
 * (HTTP 402, {@code card_error}, {@code decline_code}, advice codes, the charge id).
 */
public final class FakeStripe extends FakePsp {
  private record Stored(int status, JsonObject body, String params) {}

  private final Map<String, Stored> byKey = new ConcurrentHashMap<>();
  private final Map<String, String> status = new ConcurrentHashMap<>();
  private final Map<String, long[]> amounts = new ConcurrentHashMap<>();
  private final Map<String, String> currencies = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong(1000);
  private final FakeCheckout checkout;

  public FakeStripe(Vertx vertx) {
    super(vertx);
    this.checkout = new FakeCheckout(this, vertx);
  }

  /** Where completed hosted Checkout sessions post their signed invoice.paid webhook (a gateway endpoint). */
  public FakeStripe webhooks(String url, String secret) {
    checkout.webhooks(url, secret);
    return this;
  }

  /** Checkout sessions created (idempotent replays create none). */
  public int checkoutSessions() {
    return checkout.sessions();
  }

  void markPaid(String invoice, String key) {
    status.put(invoice, "paid");
    ledger.charged(new Ledger.Charge(key, invoice, amount(invoice), currencies.getOrDefault(invoice, "usd")));
  }

  long amountOf(String id) {
    return amount(id);
  }

  String currencyOf(String id) {
    return currencies.getOrDefault(id, "usd");
  }

  /** Declares an open invoice or PaymentIntent with its amount (unknown ones are open with amount 0). */
  public FakeStripe object(String id, long amountMinor, String currency) {
    amounts.put(id, new long[] {amountMinor});
    currencies.put(id, currency);
    return this;
  }

  /** Status of an invoice or PaymentIntent as this fake sees it ("open", "paid", "succeeded", ...). */
  public String statusOf(String id) {
    return status.getOrDefault(id, id.startsWith("in_") ? "open" : "requires_payment_method");
  }

  @Override
  protected void routes(Router router) {
    router.route("/v1/*").handler(this::authenticate);
    checkout.routes(router);
    router.post("/v1/invoices/:id/pay").handler(ctx -> charge(ctx, ctx.pathParam("id"), true));
    router.post("/v1/payment_intents/:id/confirm").handler(ctx -> charge(ctx, ctx.pathParam("id"), false));
    router.get("/v1/invoices/:id").handler(ctx -> json(ctx, 200, object(ctx.pathParam("id"), true)));
    router.get("/v1/payment_intents/:id").handler(ctx -> json(ctx, 200, object(ctx.pathParam("id"), false)));
  }

  private void authenticate(RoutingContext ctx) {
    String auth = ctx.request().getHeader("Authorization");
    if (auth == null || !auth.startsWith("Bearer sk_")) {
      json(ctx, 401, error("invalid_request_error", null, "Invalid API Key provided."));
      return;
    }
    ctx.next();
  }

  private void charge(RoutingContext ctx, String id, boolean invoice) {
    String key = ctx.request().getHeader("Idempotency-Key");
    String params = canonical(ctx.request().formAttributes());
    ledger.request(key);
    if (key != null) {
      Stored stored = byKey.get(key);
      if (stored != null) {
        if (!stored.params().equals(params)) {
          json(ctx, 400, error("idempotency_error", null, "Keys for idempotent requests can only be used with the "
              + "same parameters they were first used with."));
          return;
        }
        ctx.response().putHeader("Idempotent-Replayed", "true");
        json(ctx, stored.status(), stored.body());
        return;
      }
    }
    if (invoice && "paid".equals(statusOf(id))) {
      json(ctx, 400, error("invalid_request_error", "invoice_already_paid", "Invoice is already paid."));
      return;
    }
    Step step = next(id);
    String charge = "ch_fake" + ids.incrementAndGet();
    int code;
    JsonObject body;
    switch (step.kind()) {
      case APPROVE, SLOW_APPROVE -> {
        status.put(id, invoice ? "paid" : "succeeded");
        code = 200;
        body = object(id, invoice).put("latest_charge", charge);
        ledger.charged(new Ledger.Charge(key, id, amount(id), currencies.getOrDefault(id, "usd")));
      }
      case DECLINE -> {
        ledger.declined(key);
        code = 402;
        body = error("card_error", step.code() == null ? "card_declined" : step.code(), "Your card was declined.");
        JsonObject err = body.getJsonObject("error").put("charge", charge);
        put(err, "decline_code", step.declineCode());
        put(err, "advice_code", step.adviceCode());
        put(err, "network_advice_code", step.networkAdviceCode());
      }
      default -> {
        code = step.status();
        body = error("api_error", null, "An unknown error occurred while processing your request.");
      }
    }
    if (key != null) {
      byKey.put(key, new Stored(code, body, params));
    }
    answer(ctx, step, code, body);
  }

  private JsonObject object(String id, boolean invoice) {
    JsonObject o = new JsonObject().put("id", id).put("object", invoice ? "invoice" : "payment_intent")
        .put("status", statusOf(id)).put("currency", currencies.getOrDefault(id, "usd"));
    if (invoice) {
      boolean paid = "paid".equals(statusOf(id));
      o.put("amount_due", amount(id)).put("amount_paid", paid ? amount(id) : 0).put("paid", paid);
    } else {
      o.put("amount", amount(id));
    }
    return o;
  }

  private long amount(String id) {
    long[] a = amounts.get(id);
    return a == null ? 0 : a[0];
  }

  private static JsonObject error(String type, String code, String message) {
    JsonObject err = new JsonObject().put("type", type).put("message", message);
    put(err, "code", code);
    return new JsonObject().put("error", err);
  }

  private static void put(JsonObject o, String k, String v) {
    if (v != null) {
      o.put(k, v);
    }
  }

  private static String canonical(MultiMap form) {
    TreeMap<String, String> sorted = new TreeMap<>();
    form.forEach(e -> sorted.put(e.getKey(), e.getValue()));
    return sorted.toString();
  }
}
