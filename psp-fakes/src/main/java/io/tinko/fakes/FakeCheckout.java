package io.tinko.fakes;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stripe's hosted Checkout in setup mode, for the recovery page: {@code POST /v1/checkout/sessions} (form-encoded,
 * {@code Idempotency-Key} replays the same session) answers a session whose {@code url} is this fake's own page.
 * The page has no card fields (a browser test only clicks); completing it saves "a card" and, as the merchant's
 * Stripe would once the new default method is charged, pays the invoice named in {@code metadata[invoice]}: the
 * invoice turns paid, the ledger records the charge, and a signed {@code invoice.paid} webhook is posted to the
 * endpoint set with {@link FakeStripe#webhooks}. The browser is then sent to the session's {@code success_url}.
 */
final class FakeCheckout {
  record Session(String id, String invoice, String successUrl, String cancelUrl, String customer, String url) {}

  private final FakeStripe stripe;
  private final Vertx vertx;
  private final Map<String, Session> byKey = new ConcurrentHashMap<>();
  private final Map<String, Session> byId = new ConcurrentHashMap<>();
  private final Map<String, Boolean> completed = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong(5000);
  private volatile String webhookUrl;
  private volatile String webhookSecret;

  FakeCheckout(FakeStripe stripe, Vertx vertx) {
    this.stripe = stripe;
    this.vertx = vertx;
  }

  void webhooks(String url, String secret) {
    this.webhookUrl = url;
    this.webhookSecret = secret;
  }

  void routes(Router router) {
    router.post("/v1/checkout/sessions").handler(this::create);
    router.get("/checkout/:id").handler(this::page);
    router.post("/checkout/:id/complete").handler(this::complete);
  }

  int sessions() {
    return byId.size();
  }

  private void create(RoutingContext ctx) {
    var form = ctx.request().formAttributes();
    if (!"setup".equals(form.get("mode")) || form.get("success_url") == null) {
      FakePsp.json(ctx, 400, new JsonObject().put("error", new JsonObject().put("type", "invalid_request_error")
          .put("message", "mode=setup and success_url are required")));
      return;
    }
    String key = ctx.request().getHeader("Idempotency-Key");
    Session s = key == null ? null : byKey.get(key);
    if (s == null) {
      String id = "cs_test_fake" + ids.incrementAndGet();
      s = new Session(id, form.get("metadata[invoice]"), form.get("success_url"), form.get("cancel_url"),
          form.get("customer"), stripe.baseUrl() + "/checkout/" + id);
      byId.put(id, s);
      if (key != null) {
        byKey.put(key, s);
      }
    } else {
      ctx.response().putHeader("Idempotent-Replayed", "true");
    }
    FakePsp.json(ctx, 200, new JsonObject().put("id", s.id()).put("object", "checkout.session").put("mode", "setup")
        .put("status", completed.containsKey(s.id()) ? "complete" : "open").put("url", s.url())
        .put("success_url", s.successUrl()).put("customer", s.customer()));
  }

  private void page(RoutingContext ctx) {
    Session s = byId.get(ctx.pathParam("id"));
    if (s == null) {
      ctx.response().setStatusCode(404).end("no such session");
      return;
    }
    ctx.response().putHeader("Content-Type", "text/html; charset=utf-8").end("""
        <!DOCTYPE html><html><head><title>Fake Stripe Checkout</title></head><body>
        <h1 id="fake-psp">Fake Stripe Checkout</h1><p>Session %s (setup mode)</p>
        <form method="post" action="/checkout/%s/complete"><button id="complete" type="submit">Save card</button></form>
        </body></html>""".formatted(s.id(), s.id()));
  }

  private void complete(RoutingContext ctx) {
    Session s = byId.get(ctx.pathParam("id"));
    if (s == null) {
      ctx.response().setStatusCode(404).end("no such session");
      return;
    }
    if (completed.putIfAbsent(s.id(), true) == null && s.invoice() != null) {
      stripe.markPaid(s.invoice(), "checkout:" + s.id());
      postInvoicePaid(s);
    }
    ctx.response().setStatusCode(303).putHeader("Location", s.successUrl()).end();
  }

  private void postInvoicePaid(Session s) {
    String url = webhookUrl;
    if (url == null) {
      return;
    }
    long now = System.currentTimeMillis() / 1000;
    JsonObject invoice = new JsonObject().put("id", s.invoice()).put("object", "invoice")
        .put("amount_due", stripe.amountOf(s.invoice())).put("amount_paid", stripe.amountOf(s.invoice()))
        .put("amount_remaining", 0).put("currency", stripe.currencyOf(s.invoice())).put("customer", s.customer())
        .put("paid", true).put("status", "paid")
        .put("status_transitions", new JsonObject().put("paid_at", now));
    String body = new JsonObject().put("id", "evt_fake_" + s.id()).put("object", "event").put("created", now)
        .put("type", "invoice.paid").put("data", new JsonObject().put("object", invoice)).encode();
    HttpClient client = vertx.createHttpClient();
    client.request(new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url))
        .compose(req -> req.putHeader("Content-Type", "application/json")
            .putHeader("Stripe-Signature", "t=" + now + ",v1=" + hmac(webhookSecret, now + "." + body))
            .send(Buffer.buffer(body)))
        .onComplete(ar -> client.close());
  }

  private static String hmac(String secret, String payload) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
