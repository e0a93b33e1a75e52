package io.tinko.fakes;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * PayPal Orders v2 with the buyer's approval, for the recovery page: {@code POST /v2/checkout/orders} (Bearer,
 * {@code PayPal-Request-Id}: the same id answers the same order) answers {@code PAYER_ACTION_REQUIRED} with a
 * {@code payer-action} link when {@code payment_source.paypal.experience_context} names the return URL (else
 * {@code CREATED} with an {@code approve} link); the hosted page ({@code /checkoutnow?token=}) approves and sends the
 * browser to {@code return_url?token=<order>&PayerID=...}; {@code POST /v2/checkout/orders/{id}/capture} captures an
 * approved order once (422 {@code ORDER_NOT_APPROVED} / {@code ORDER_ALREADY_CAPTURED} otherwise, a request id seen
 * before gets its first answer again) and a signed {@code PAYMENT.CAPTURE.COMPLETED} follows.
 */
final class FakePaypalOrders {
  private record Answer(int status, JsonObject body) {}

  private final FakePaypal paypal;
  private final FakePaypalWebhooks webhooks;
  private final Map<String, JsonObject> orders = new ConcurrentHashMap<>();
  private final Map<String, String> returnUrls = new ConcurrentHashMap<>();
  private final Map<String, Answer> byRequestId = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong(1000);

  FakePaypalOrders(FakePaypal paypal, FakePaypalWebhooks webhooks) {
    this.paypal = paypal;
    this.webhooks = webhooks;
  }

  int count() {
    return orders.size();
  }

  String statusOf(String orderId) {
    JsonObject o = orders.get(orderId);
    return o == null ? null : o.getString("status");
  }

  void routes(Router router) {
    router.post("/v2/checkout/orders").handler(ctx -> once(ctx, this::create));
    router.get("/v2/checkout/orders/:id").handler(ctx -> {
      JsonObject o = orders.get(ctx.pathParam("id"));
      FakePsp.json(ctx, o == null ? 404 : 200, o == null ? notFound() : o);
    });
    router.post("/v2/checkout/orders/:id/capture").handler(ctx -> once(ctx, this::capture));
    router.get("/checkoutnow").handler(this::page);
    router.post("/checkoutnow/:id/approve").handler(this::approve);
  }

  /** Authenticated, and a PayPal-Request-Id seen before gets its first answer (a 5xx is not kept). */
  private void once(RoutingContext ctx, java.util.function.Function<RoutingContext, Answer> op) {
    if (!paypal.authorized(ctx)) {
      return;
    }
    String requestId = ctx.request().getHeader("PayPal-Request-Id");
    Answer a = requestId == null ? null : byRequestId.get(requestId);
    if (a == null) {
      a = op.apply(ctx);
      if (requestId != null && a.status() < 500) {
        byRequestId.putIfAbsent(requestId, a);
      }
    } else if (a.status() == 201) {
      a = new Answer(200, a.body());
    }
    FakePsp.json(ctx, a.status(), a.body());
  }

  private synchronized Answer create(RoutingContext ctx) {
    JsonObject in = ctx.body().asJsonObject();
    JsonArray units = in == null ? null : in.getJsonArray("purchase_units");
    JsonObject amount = units == null || units.isEmpty() ? null : units.getJsonObject(0).getJsonObject("amount");
    if (!"CAPTURE".equals(in == null ? null : in.getString("intent")) || amount == null
        || amount.getString("currency_code") == null || amount.getString("value") == null) {
      return new Answer(400, issue("INVALID_REQUEST", "MISSING_REQUIRED_PARAMETER",
          "intent CAPTURE and purchase_units[0].amount are required"));
    }
    String id = (ids.incrementAndGet() + "FAKE" + UUID.randomUUID().toString().replace("-", ""))
        .substring(0, 17).toUpperCase();
    JsonObject experience = in.getJsonObject("payment_source", new JsonObject())
        .getJsonObject("paypal", new JsonObject()).getJsonObject("experience_context");
    String returnUrl = experience == null ? null : experience.getString("return_url");
    boolean payerAction = returnUrl != null;
    if (returnUrl != null) {
      returnUrls.put(id, returnUrl);
    }
    JsonObject unit = units.getJsonObject(0).copy();
    JsonObject order = new JsonObject().put("id", id).put("intent", "CAPTURE")
        .put("status", payerAction ? "PAYER_ACTION_REQUIRED" : "CREATED").put("purchase_units", new JsonArray()
            .add(unit)).put("create_time", Instant.now().toString())
        .put("links", new JsonArray()
            .add(link(paypal.baseUrl() + "/v2/checkout/orders/" + id, "self", "GET"))
            .add(link(paypal.baseUrl() + "/checkoutnow?token=" + id, payerAction ? "payer-action" : "approve", "GET"))
            .add(link(paypal.baseUrl() + "/v2/checkout/orders/" + id + "/capture", "capture", "POST")));
    if (payerAction) {
      order.put("payment_source", new JsonObject().put("paypal", new JsonObject()));
    }
    orders.put(id, order);
    return new Answer(201, order);
  }

  private void page(RoutingContext ctx) {
    String id = ctx.request().getParam("token");
    JsonObject o = id == null ? null : orders.get(id);
    if (o == null) {
      ctx.response().setStatusCode(404).end("no such order");
      return;
    }
    JsonObject amount = o.getJsonArray("purchase_units").getJsonObject(0).getJsonObject("amount");
    ctx.response().putHeader("Content-Type", "text/html; charset=utf-8").end("""
        <!DOCTYPE html><html><head><title>Fake PayPal</title></head><body>
        <h1 id="fake-psp">Fake PayPal</h1><p id="order">%s</p><p id="psp-amount">%s %s</p>
        <form method="post" action="/checkoutnow/%s/approve"><button id="complete" type="submit">Pay Now</button></form>
        </body></html>""".formatted(id, amount.getString("currency_code"), amount.getString("value"), id));
  }

  private void approve(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    JsonObject o = orders.get(id);
    String back = returnUrls.get(id);
    if (o == null || back == null) {
      ctx.response().setStatusCode(404).end("no such order");
      return;
    }
    synchronized (this) {
      if (!"COMPLETED".equals(o.getString("status"))) {
        o.put("status", "APPROVED").put("payer", new JsonObject().put("payer_id", "FAKEPAYER7Q2")
            .put("email_address", "buyer@fake.paypal.test"));
      }
    }
    ctx.response().setStatusCode(303).putHeader("Location", back + (back.contains("?") ? "&" : "?") + "token="
        + URLEncoder.encode(id, StandardCharsets.UTF_8) + "&PayerID=FAKEPAYER7Q2").end();
  }

  private synchronized Answer capture(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    JsonObject o = orders.get(id);
    if (o == null) {
      return new Answer(404, notFound());
    }
    if ("COMPLETED".equals(o.getString("status"))) {
      return new Answer(422, issue("UNPROCESSABLE_ENTITY", "ORDER_ALREADY_CAPTURED",
          "Order already captured. If 'intent=CAPTURE' only one capture per order is allowed."));
    }
    if (!"APPROVED".equals(o.getString("status"))) {
      return new Answer(422, issue("UNPROCESSABLE_ENTITY", "ORDER_NOT_APPROVED",
          "Payer has not yet approved the Order for payment."));
    }
    JsonObject unit = o.getJsonArray("purchase_units").getJsonObject(0);
    JsonObject amount = unit.getJsonObject("amount");
    String captureId = (ids.incrementAndGet() + "CAP" + UUID.randomUUID().toString().replace("-", ""))
        .substring(0, 17).toUpperCase();
    String now = Instant.now().toString();
    JsonObject capture = new JsonObject().put("id", captureId).put("status", "COMPLETED").put("amount", amount.copy())
        .put("final_capture", true).put("custom_id", unit.getString("custom_id"))
        .put("create_time", now).put("update_time", now);
    if (unit.getString("invoice_id") != null) {
      capture.put("invoice_id", unit.getString("invoice_id"));
    }
    o.put("status", "COMPLETED");
    unit.put("payments", new JsonObject().put("captures", new JsonArray().add(capture.copy())));
    paypal.ledger().charged(new Ledger.Charge(ctx.request().getHeader("PayPal-Request-Id"), id,
        new BigDecimal(amount.getString("value")).movePointRight(2).longValue(), amount.getString("currency_code")));
    JsonObject resource = capture.copy().put("supplementary_data", new JsonObject().put("related_ids",
        new JsonObject().put("order_id", id)));
    webhooks.send("PAYMENT.CAPTURE.COMPLETED", "capture", resource, "Payment completed for "
        + amount.getString("currency_code") + " " + amount.getString("value"));
    return new Answer(201, new JsonObject().put("id", id).put("status", "COMPLETED")
        .put("payer", o.getJsonObject("payer")).put("purchase_units", new JsonArray().add(new JsonObject()
            .put("reference_id", unit.getString("reference_id", "default"))
            .put("payments", unit.getJsonObject("payments")))));
  }

  private static JsonObject link(String href, String rel, String method) {
    return new JsonObject().put("href", href).put("rel", rel).put("method", method);
  }

  private static JsonObject notFound() {
    return issue("RESOURCE_NOT_FOUND", "INVALID_RESOURCE_ID", "Specified resource ID does not exist.");
  }

  private static JsonObject issue(String name, String issue, String description) {
    return new JsonObject().put("name", name).put("message", description).put("debug_id", "fake-debug")
        .put("details", new JsonArray().add(new JsonObject().put("issue", issue).put("description", description)));
  }
}
