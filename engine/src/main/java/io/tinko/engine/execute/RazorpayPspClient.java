package io.tinko.engine.execute;

import io.tinko.engine.normalize.DeclineCodes;
import io.tinko.engine.recovery.ChargeResult;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.authentication.UsernamePasswordCredentials;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;

/**
 * Razorpay's recurring payments through the Vert.x WebClient: an order per attempt ({@code POST /v1/orders}), then
 * {@code POST /v1/payments/create/recurring} with the customer's saved token.
 *
 * <p>Razorpay has no idempotency key, so the guard is our own attempt state: the order is created and its id stored
 * on the attempt row ({@link Charge#saveRef}) BEFORE the charge call. A rerun of the attempt (after a timeout, or
 * after an engine died between claim and record) finds that order and first asks Razorpay for its payments
 * ({@code GET /v1/orders/{id}/payments}): a captured or authorized payment means the charge happened, a failed one
 * is the decline we never recorded, and only an order without payments is charged (again). A paid order also
 * refuses a second payment on Razorpay's side. The Tinko key travels in the order's notes for reconciliation.
 */
public final class RazorpayPspClient implements PspClient {
  static final String DEFAULT_BASE = "https://api.razorpay.com";

  private final WebClient web;
  private final int timeoutMs;

  public RazorpayPspClient(WebClient web, int timeoutMs) {
    this.web = web;
    this.timeoutMs = timeoutMs;
  }

  @Override
  public Future<ChargeResult> charge(Charge c) {
    String id = c.connection().credential("clientId", "keyId");
    String secret = c.connection().credential("clientSecret", "keySecret");
    if (id == null || secret == null) {
      return Future.succeededFuture(ChargeResult.rejected("no_credentials", "the connection has no Razorpay key"));
    }
    Api api = new Api(base(c), new UsernamePasswordCredentials(id, secret));
    if (c.pspRef() == null) {
      return api.post("/v1/orders", new JsonObject().put("amount", c.amount().minor())
              .put("currency", c.amount().currency()).put("receipt", "t" + c.attemptId().toString().replace("-", ""))
              .put("notes", new JsonObject().put("tinko_idempotency_key", c.idempotencyKey())))
          .compose(r -> r.statusCode() == 200 ? c.saveRef().apply(r.bodyAsJsonObject().getString("id"))
              .compose(v -> recurring(api, c, r.bodyAsJsonObject().getString("id")))
              : Future.succeededFuture(unexpected(r)))
          .recover(err -> Future.succeededFuture(ChargeResult.retryable("timeout", err.getMessage())));
    }
    return paymentsOf(api, c.pspRef()).compose(known -> known != null ? Future.succeededFuture(known)
            : recurring(api, c, c.pspRef()))
        .recover(err -> Future.succeededFuture(ChargeResult.retryable("timeout", err.getMessage())));
  }

  /** What the order's payments say happened; null when it has none (nothing was charged: safe to charge). */
  private Future<ChargeResult> paymentsOf(Api api, String orderId) {
    return api.get("/v1/orders/" + orderId + "/payments").map(r -> {
      if (r.statusCode() != 200) {
        return unexpected(r);
      }
      JsonArray items = r.bodyAsJsonObject().getJsonArray("items", new JsonArray());
      JsonObject lastFailed = null;
      for (int i = 0; i < items.size(); i++) {
        JsonObject p = items.getJsonObject(i);
        String status = p.getString("status");
        if ("captured".equals(status) || "authorized".equals(status)) {
          return ChargeResult.approved(p.getString("id"));
        }
        lastFailed = "failed".equals(status) ? p : lastFailed;
      }
      return lastFailed == null ? null : ChargeResult.declined(new DeclineCodes(lastFailed.getString("error_code"),
          lastFailed.getString("error_reason"), null, null, null, lastFailed.getString("error_description")),
          lastFailed.getString("id"));
    });
  }

  private Future<ChargeResult> recurring(Api api, Charge c, String orderId) {
    JsonObject body = new JsonObject().put("email", c.customerEmail()).put("amount", c.amount().minor())
        .put("currency", c.amount().currency()).put("order_id", orderId).put("customer_id", c.customerId())
        .put("token", c.paymentMethodId()).put("recurring", "1")
        .put("description", "Recovery attempt " + c.attemptNo())
        .put("notes", new JsonObject().put("tinko_idempotency_key", c.idempotencyKey()));
    return api.post("/v1/payments/create/recurring", body).compose(r -> {
      if (r.statusCode() == 200) {
        return Future.succeededFuture(ChargeResult.approved(r.bodyAsJsonObject().getString("razorpay_payment_id")));
      }
      JsonObject err = errorOf(r);
      String paymentId = err.getJsonObject("metadata", new JsonObject()).getString("payment_id");
      if (r.statusCode() == 400 && paymentId != null) {
        return Future.succeededFuture(ChargeResult.declined(new DeclineCodes(err.getString("code"),
            err.getString("reason"), null, null, null, err.getString("description")), paymentId));
      }
      if (r.statusCode() == 400) {
        // refused without a payment (e.g. the order is paid already): the order's payments tell what happened
        return paymentsOf(api, orderId).map(known -> known != null ? known : unexpected(r));
      }
      return Future.succeededFuture(unexpected(r));
    });
  }

  private static ChargeResult unexpected(HttpResponse<Buffer> r) {
    if (r.statusCode() >= 500 || r.statusCode() == 429) {
      return ChargeResult.retryable("http_" + r.statusCode(), "Razorpay answered " + r.statusCode());
    }
    JsonObject err = errorOf(r);
    return ChargeResult.rejected(err.getString("reason") != null ? err.getString("reason") : "http_" + r.statusCode(),
        err.getString("description"));
  }

  private static JsonObject errorOf(HttpResponse<Buffer> r) {
    try {
      JsonObject body = r.bodyAsJsonObject();
      return body == null ? new JsonObject() : body.getJsonObject("error", new JsonObject());
    } catch (RuntimeException e) {
      return new JsonObject();
    }
  }

  private static String base(Charge c) {
    return c.connection().baseUrl() == null ? DEFAULT_BASE : c.connection().baseUrl();
  }

  /** Error bodies carry the decline, so statuses are read here rather than turned into failed futures. */
  private final class Api {
    private final String base;
    private final UsernamePasswordCredentials auth;

    Api(String base, UsernamePasswordCredentials auth) {
      this.base = base;
      this.auth = auth;
    }

    Future<HttpResponse<Buffer>> post(String path, JsonObject body) {
      return web.postAbs(base + path).authentication(auth).timeout(timeoutMs).sendJsonObject(body);
    }

    Future<HttpResponse<Buffer>> get(String path) {
      return web.getAbs(base + path).authentication(auth).timeout(timeoutMs).send();
    }
  }
}
