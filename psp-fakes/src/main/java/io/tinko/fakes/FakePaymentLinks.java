package io.tinko.fakes;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Razorpay Payment Links, for the recovery page: {@code POST /v1/payment_links} (JSON, Basic auth) answers the link
 * entity with a {@code short_url} on this fake; a {@code reference_id} is unique per account, as at Razorpay, so a
 * second create with the same one is a 400 {@code BAD_REQUEST_ERROR} and {@code GET /v1/payment_links?reference_id=}
 * finds the first. The hosted page ({@code GET /i/<code>}) has no card fields; paying it captures a payment on the
 * link's order, posts {@code payment.captured} and then {@code payment_link.paid} (Razorpay's payload shapes: the
 * payment's own notes are empty, the link's notes ride on {@code payment_link.entity} and the order), each with
 * {@code X-Razorpay-Signature} (HMAC-SHA256 hex of the raw body under the webhook secret) and a fresh
 * {@code X-Razorpay-Event-Id}, and sends the browser to {@code callback_url} with Razorpay's query parameters and
 * {@code razorpay_signature} = HMAC(link id|reference id|status|payment id) under the key secret.
 */
final class FakePaymentLinks {
  private record Link(JsonObject entity, String code, String keySecret) {}

  private final FakeRazorpay razorpay;
  private final Vertx vertx;
  private final Map<String, Link> byId = new ConcurrentHashMap<>();
  private final Map<String, Link> byCode = new ConcurrentHashMap<>();
  private final Map<String, Link> byReference = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong(7000);
  private volatile String webhookUrl;
  private volatile String webhookSecret;

  FakePaymentLinks(FakeRazorpay razorpay, Vertx vertx) {
    this.razorpay = razorpay;
    this.vertx = vertx;
  }

  void webhooks(String url, String secret) {
    this.webhookUrl = url;
    this.webhookSecret = secret;
  }

  int count() {
    return byId.size();
  }

  void routes(Router router) {
    router.post("/v1/payment_links").handler(this::create);
    router.get("/v1/payment_links").handler(this::list);
    router.get("/v1/payment_links/:id").handler(ctx -> {
      Link l = byId.get(ctx.pathParam("id"));
      FakePsp.json(ctx, l == null ? 400 : 200, l == null ? error("The id provided does not exist") : l.entity());
    });
    router.get("/i/:code").handler(this::page);
    router.post("/i/:code/pay").handler(this::pay);
  }

  private synchronized void create(RoutingContext ctx) {
    JsonObject in = ctx.body().asJsonObject();
    Long amount = in == null ? null : in.getLong("amount");
    String currency = in == null ? null : in.getString("currency");
    if (amount == null || amount < 100 || currency == null || !currency.matches("[A-Z]{3}")) {
      FakePsp.json(ctx, 400, error("amount and currency are required; amount at least 100 minor units"));
      return;
    }
    String reference = in.getString("reference_id");
    if (reference != null && (reference.length() > 40 || byReference.containsKey(reference))) {
      FakePsp.json(ctx, 400, error(reference.length() > 40 ? "reference_id may have at most 40 characters"
          : "Payment Link with reference_id " + reference + " already exists"));
      return;
    }
    long n = ids.incrementAndGet();
    String id = "plink_Fake" + n;
    String code = "fk" + n;
    long now = System.currentTimeMillis() / 1000;
    JsonObject entity = new JsonObject().put("id", id).put("entity", "payment_link").put("amount", amount)
        .put("amount_paid", 0).put("currency", currency).put("accept_partial", in.getBoolean("accept_partial", false))
        .put("description", in.getString("description", "")).put("reference_id", reference)
        .put("customer", in.getJsonObject("customer", new JsonObject()))
        .put("notify", in.getJsonObject("notify", new JsonObject().put("sms", false).put("email", false)))
        .put("reminder_enable", in.getBoolean("reminder_enable", false))
        .put("notes", in.getValue("notes") instanceof JsonObject o ? o : new JsonObject())
        .put("callback_url", in.getString("callback_url", ""))
        .put("callback_method", in.getString("callback_method", ""))
        .put("expire_by", in.getLong("expire_by", 0L)).put("status", "created").put("payments", (Object) null)
        .put("short_url", razorpay.baseUrl() + "/i/" + code).put("created_at", now).put("updated_at", now)
        .put("cancelled_at", 0).put("expired_at", 0).put("user_id", "");
    Link link = new Link(entity, code, secretOf(ctx));
    byId.put(id, link);
    byCode.put(code, link);
    if (reference != null) {
      byReference.put(reference, link);
    }
    FakePsp.json(ctx, 200, entity);
  }

  private void list(RoutingContext ctx) {
    String reference = ctx.request().getParam("reference_id");
    JsonArray out = new JsonArray();
    byId.values().stream().filter(l -> reference == null || reference.equals(l.entity().getString("reference_id")))
        .forEach(l -> out.add(l.entity()));
    FakePsp.json(ctx, 200, new JsonObject().put("payment_links", out));
  }

  private void page(RoutingContext ctx) {
    Link l = byCode.get(ctx.pathParam("code"));
    if (l == null) {
      ctx.response().setStatusCode(404).end("no such payment link");
      return;
    }
    JsonObject e = l.entity();
    ctx.response().putHeader("Content-Type", "text/html; charset=utf-8").end("""
        <!DOCTYPE html><html><head><title>Fake Razorpay Payment Link</title></head><body>
        <h1 id="fake-psp">Fake Razorpay Payment Link</h1><p id="link">%s</p><p id="psp-amount">%s %d</p>
        <p id="psp-status">%s</p>
        <form method="post" action="/i/%s/pay"><button id="complete" type="submit">Pay</button></form>
        </body></html>""".formatted(e.getString("id"), e.getString("currency"), e.getLong("amount"),
        e.getString("status"), l.code()));
  }

  private void pay(RoutingContext ctx) {
    Link l = byCode.get(ctx.pathParam("code"));
    if (l == null) {
      ctx.response().setStatusCode(404).end("no such payment link");
      return;
    }
    JsonObject e = l.entity();
    String paymentId;
    Future<Void> posted = Future.succeededFuture();
    synchronized (this) {
      if (!"paid".equals(e.getString("status"))) {
        JsonObject[] orderAndPayment = razorpay.payLink(e);
        paymentId = orderAndPayment[1].getString("id");
        e.put("status", "paid").put("amount_paid", e.getLong("amount")).put("updated_at",
            System.currentTimeMillis() / 1000).put("payments", new JsonArray().add(new JsonObject()
            .put("payment_id", paymentId).put("amount", e.getLong("amount")).put("method", "card")
            .put("status", "captured")));
        razorpay.ledger().charged(new Ledger.Charge(e.getString("reference_id"), e.getString("id"),
            e.getLong("amount"), e.getString("currency")));
        posted = webhooks(e, orderAndPayment[0], orderAndPayment[1]);
      } else {
        paymentId = e.getJsonArray("payments").getJsonObject(0).getString("payment_id");
      }
    }
    String status = e.getString("status");
    String reference = e.getString("reference_id") == null ? "" : e.getString("reference_id");
    String callback = e.getString("callback_url");
    posted.onComplete(ar -> {
      if (callback == null || callback.isEmpty()) {
        ctx.response().putHeader("Content-Type", "text/html; charset=utf-8")
            .end("<!DOCTYPE html><html><body><h1 id=\"fake-psp-paid\">Paid</h1></body></html>");
        return;
      }
      String signature = FakeSigning.hmacHex(l.keySecret(), e.getString("id") + "|" + reference + "|" + status + "|"
          + paymentId);
      String query = "razorpay_payment_id=" + enc(paymentId) + "&razorpay_payment_link_id=" + enc(e.getString("id"))
          + "&razorpay_payment_link_reference_id=" + enc(reference) + "&razorpay_payment_link_status=" + enc(status)
          + "&razorpay_signature=" + signature;
      ctx.response().setStatusCode(303).putHeader("Location", callback + (callback.contains("?") ? "&" : "?")
          + query).end();
    });
  }

  /** payment.captured, then payment_link.paid, each signed; resolves when both were answered (or failed). */
  private Future<Void> webhooks(JsonObject link, JsonObject order, JsonObject payment) {
    String url = webhookUrl;
    if (url == null) {
      return Future.succeededFuture();
    }
    long now = System.currentTimeMillis() / 1000;
    JsonObject captured = event("payment.captured", now, new JsonArray().add("payment"),
        new JsonObject().put("payment", new JsonObject().put("entity", payment)));
    JsonObject paid = event("payment_link.paid", now, new JsonArray().add("payment_link").add("order").add("payment"),
        new JsonObject().put("payment_link", new JsonObject().put("entity", link))
            .put("order", new JsonObject().put("entity", order))
            .put("payment", new JsonObject().put("entity", payment)));
    HttpClient client = vertx.createHttpClient();
    return post(client, url, captured).recover(err -> Future.succeededFuture())
        .compose(v -> post(client, url, paid)).recover(err -> Future.succeededFuture())
        .onComplete(ar -> client.close()).mapEmpty();
  }

  private static JsonObject event(String type, long now, JsonArray contains, JsonObject payload) {
    return new JsonObject().put("entity", "event").put("account_id", "acc_FakeTinko").put("event", type)
        .put("contains", contains).put("payload", payload).put("created_at", now);
  }

  private Future<Void> post(HttpClient client, String url, JsonObject event) {
    String body = event.encode();
    return client.request(new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url))
        .compose(req -> req.putHeader("Content-Type", "application/json")
            .putHeader("X-Razorpay-Signature", FakeSigning.hmacHex(webhookSecret, body))
            .putHeader("X-Razorpay-Event-Id", "Evt" + ids.incrementAndGet() + "Fake")
            .send(Buffer.buffer(body)))
        .compose(r -> r.body().mapEmpty());
  }

  private static String secretOf(RoutingContext ctx) {
    String auth = ctx.request().getHeader("Authorization");
    String decoded = new String(Base64.getDecoder().decode(auth.substring(6)), StandardCharsets.UTF_8);
    return decoded.substring(decoded.indexOf(':') + 1);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static JsonObject error(String description) {
    return new JsonObject().put("error", new JsonObject().put("code", "BAD_REQUEST_ERROR")
        .put("description", description).put("source", "business").put("step", "payment_initiation")
        .put("reason", "input_validation_failed").put("metadata", new JsonObject()).put("field", "reference_id"));
  }
}
