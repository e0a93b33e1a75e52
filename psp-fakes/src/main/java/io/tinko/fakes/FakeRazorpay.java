package io.tinko.fakes;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Razorpay's recurring-payment API (Basic auth {@code key_id:key_secret}, JSON): {@code POST /v1/orders},
 * {@code GET /v1/orders/{id}/payments}, {@code POST /v1/payments/create/recurring}. Razorpay has no idempotency
 * header: each call to create/recurring is a new payment, except that a paid order refuses another one. Charges are
 * counted under the order's {@code notes.tinko_idempotency_key}; scripts are per customer id. Errors are Razorpay's
 * JSON ({@code error.code/description/source/step/reason/metadata}).
 */
public final class FakeRazorpay extends FakePsp {
  private final Map<String, JsonObject> orders = new ConcurrentHashMap<>();
  private final Map<String, List<JsonObject>> payments = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong(1000);
  private final FakePaymentLinks links;

  public FakeRazorpay(Vertx vertx) {
    super(vertx);
    this.links = new FakePaymentLinks(this, vertx);
  }

  /** Where paid payment links post their signed payment.captured and payment_link.paid webhooks. */
  public FakeRazorpay webhooks(String url, String secret) {
    links.webhooks(url, secret);
    return this;
  }

  /** Payment links created (a refused duplicate reference_id creates none). */
  public int paymentLinks() {
    return links.count();
  }

  /** The order and the captured payment of a paid payment link, as Razorpay makes them. */
  JsonObject[] payLink(JsonObject link) {
    String orderId = "order_fake" + ids.incrementAndGet();
    long now = System.currentTimeMillis() / 1000;
    JsonObject order = new JsonObject().put("id", orderId).put("entity", "order").put("amount", link.getLong("amount"))
        .put("amount_paid", link.getLong("amount")).put("amount_due", 0).put("currency", link.getString("currency"))
        .put("receipt", link.getString("reference_id")).put("notes", link.getJsonObject("notes").copy())
        .put("status", "paid").put("attempts", 1).put("created_at", now);
    orders.put(orderId, order);
    JsonObject payment = new JsonObject().put("id", "pay_fake" + ids.incrementAndGet()).put("entity", "payment")
        .put("amount", link.getLong("amount")).put("currency", link.getString("currency")).put("status", "captured")
        .put("captured", true).put("order_id", orderId).put("invoice_id", (Object) null).put("method", "card")
        .put("description", "#" + link.getString("id").substring("plink_".length()))
        .put("email", link.getJsonObject("customer", new JsonObject()).getString("email"))
        .put("notes", new JsonArray()).put("error_code", (Object) null).put("error_reason", (Object) null)
        .put("created_at", now);
    paymentsOf(orderId).add(payment);
    return new JsonObject[] {order, payment};
  }

  @Override
  protected void routes(Router router) {
    router.route("/v1/*").handler(this::authenticate);
    links.routes(router);
    router.post("/v1/orders").handler(this::createOrder);
    router.get("/v1/orders/:id/payments").handler(ctx -> json(ctx, 200, new JsonObject().put("entity", "collection")
        .put("count", paymentsOf(ctx.pathParam("id")).size())
        .put("items", new JsonArray(List.copyOf(paymentsOf(ctx.pathParam("id")))))));
    router.post("/v1/payments/create/recurring").handler(this::recurring);
  }

  /** Payments made on an order, newest last. */
  public List<JsonObject> paymentsOf(String orderId) {
    return payments.computeIfAbsent(orderId, k -> new CopyOnWriteArrayList<>());
  }

  public int orderCount() {
    return orders.size();
  }

  private void authenticate(RoutingContext ctx) {
    String auth = ctx.request().getHeader("Authorization");
    String decoded = auth != null && auth.startsWith("Basic ")
        ? new String(Base64.getDecoder().decode(auth.substring(6))) : "";
    if (!decoded.startsWith("rzp_") || !decoded.contains(":")) {
      json(ctx, 401, error("BAD_REQUEST_ERROR", "Authentication failed", null, null, new JsonObject()));
      return;
    }
    ctx.next();
  }

  private void createOrder(RoutingContext ctx) {
    JsonObject in = ctx.body().asJsonObject();
    String id = "order_fake" + ids.incrementAndGet();
    JsonObject order = new JsonObject().put("id", id).put("entity", "order").put("amount", in.getLong("amount"))
        .put("currency", in.getString("currency")).put("receipt", in.getString("receipt"))
        .put("notes", in.getJsonObject("notes", new JsonObject())).put("status", "created").put("attempts", 0);
    orders.put(id, order);
    json(ctx, 200, order);
  }

  private void recurring(RoutingContext ctx) {
    JsonObject in = ctx.body().asJsonObject();
    JsonObject order = orders.get(in.getString("order_id", ""));
    String key = order == null ? null : order.getJsonObject("notes").getString("tinko_idempotency_key");
    ledger.request(key);
    if (order == null) {
      json(ctx, 400, error("BAD_REQUEST_ERROR", "The id provided does not exist", "business", "input_validation_failed",
          new JsonObject()));
      return;
    }
    if ("paid".equals(order.getString("status"))) {
      json(ctx, 400, error("BAD_REQUEST_ERROR", "Order has already been paid", "business", "order_already_paid",
          new JsonObject().put("order_id", order.getString("id"))));
      return;
    }
    Step step = next(in.getString("customer_id", ""));
    if (step.kind() == Step.Kind.SERVER_ERROR) {
      json(ctx, step.status(), error("SERVER_ERROR", "The server encountered an error. The incident has been "
          + "reported to admins.", "internal", null, new JsonObject()));
      return;
    }
    String payId = "pay_fake" + ids.incrementAndGet();
    order.put("attempts", order.getInteger("attempts") + 1);
    JsonObject payment = new JsonObject().put("id", payId).put("entity", "payment").put("amount", in.getLong("amount"))
        .put("currency", in.getString("currency")).put("order_id", order.getString("id"))
        .put("customer_id", in.getString("customer_id")).put("token_id", in.getString("token"));
    if (step.charges()) {
      order.put("status", "paid");
      paymentsOf(order.getString("id")).add(payment.put("status", "captured").put("captured", true));
      ledger.charged(new Ledger.Charge(key, in.getString("customer_id"), in.getLong("amount"),
          in.getString("currency")));
      answer(ctx, step, 200, new JsonObject().put("razorpay_payment_id", payId)
          .put("razorpay_order_id", order.getString("id")).put("razorpay_signature", "fake-signature"));
      return;
    }
    ledger.declined(key);
    order.put("status", "attempted");
    String reason = step.declineCode() == null ? "payment_failed" : step.declineCode();
    String code = step.code() == null ? "BAD_REQUEST_ERROR" : step.code();
    paymentsOf(order.getString("id")).add(payment.put("status", "failed").put("error_code", code)
        .put("error_reason", reason).put("error_description", "Payment failed"));
    json(ctx, 400, error(code, "Payment failed", "customer", reason,
        new JsonObject().put("payment_id", payId).put("order_id", order.getString("id"))));
  }

  private static JsonObject error(String code, String description, String source, String reason, JsonObject meta) {
    return new JsonObject().put("error", new JsonObject().put("code", code).put("description", description)
        .put("source", source).put("step", "payment_authorization").put("reason", reason).put("metadata", meta));
  }
}
