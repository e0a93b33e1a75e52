package io.tinko.gateway.recovery;

import io.vertx.core.Future;
import io.vertx.core.http.HttpResponseExpectation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.authentication.UsernamePasswordCredentials;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Row;
import java.math.BigDecimal;

/**
 * PayPal Orders v2 for the recovery page: an access token ({@code POST /v1/oauth2/token}, client credentials), then
 * {@code POST /v2/checkout/orders} (intent CAPTURE, the amount, {@code custom_id} = the transaction's payment key,
 * {@code payment_source.paypal.experience_context} with the return and cancel URLs) under
 * {@code PayPal-Request-Id: tinko-link-<link id>}, so a repeated create returns the same order. The customer is sent to
 * the order's {@code payer-action} link (or {@code approve}, for orders created the older way). PayPal sends them back
 * with {@code ?token=<order id>}; then the order is captured ({@code POST /v2/checkout/orders/{id}/capture},
 * {@code PayPal-Request-Id: tinko-capture-<link id>}) and PayPal's signed PAYMENT.CAPTURE.COMPLETED, whose capture
 * carries the {@code custom_id}, tells the engine the payment is recovered.
 */
final class PaypalOrders {
  static final String BASE = "https://api-m.paypal.com";
  /** {@code custom_id} prefix: what the engine's PayPal normalizer reads back as a payment key. */
  static final String CUSTOM_ID_PREFIX = "tinko:";

  private final WebClient client;

  PaypalOrders(WebClient client) {
    this.client = client;
  }

  Future<Hosted> create(HostedRequest r) {
    Row link = r.link();
    Long minor = link.getLong("amount_minor");
    String currency = link.getString("currency");
    if (minor == null || currency == null) {
      return Future.failedFuture(new HostedCheckout.Unsupported("the payment's amount is not known yet"));
    }
    Short exponent = link.getShort("amount_exponent");
    String value = BigDecimal.valueOf(minor, exponent == null ? 2 : exponent).toPlainString();
    JsonObject unit = new JsonObject().put("reference_id", "default")
        .put("custom_id", CUSTOM_ID_PREFIX + r.paymentKey()).put("description", "Payment to " + r.merchant())
        .put("amount", new JsonObject().put("currency_code", currency.trim().toUpperCase()).put("value", value));
    JsonObject body = new JsonObject().put("intent", "CAPTURE").put("purchase_units", new JsonArray().add(unit))
        .put("payment_source", new JsonObject().put("paypal", new JsonObject().put("experience_context",
            new JsonObject().put("return_url", r.returnUrl()).put("cancel_url", r.cancelUrl())
                .put("user_action", "PAY_NOW").put("shipping_preference", "NO_SHIPPING")
                .put("brand_name", r.merchant()))));
    return token(r).compose(token -> client.postAbs(r.apiBase() + "/v2/checkout/orders")
        .putHeader("Authorization", "Bearer " + token).putHeader("PayPal-Request-Id", "tinko-link-" + r.linkId())
        .putHeader("Prefer", "return=minimal").sendJsonObject(body)
        .expecting(HttpResponseExpectation.SC_SUCCESS).map(resp -> {
          JsonObject order = resp.bodyAsJsonObject();
          String url = link(order, "payer-action");
          url = url != null ? url : link(order, "approve");
          if (url == null || !url.startsWith("http")) {
            throw new IllegalStateException("PayPal answered an order without a payer-action link");
          }
          return new Hosted(url, order.getString("id"));
        }));
  }

  /**
   * Captures the order the customer approved. {@code returnedToken} is the {@code token} PayPal put on the return
   * URL: only the order this link created is ever captured, whatever the URL says.
   */
  Future<Void> capture(HostedRequest r, String orderId, String returnedToken) {
    if (returnedToken != null && !returnedToken.equals(orderId)) {
      return Future.failedFuture(new IllegalArgumentException("the return names another order"));
    }
    return token(r).compose(token -> client.postAbs(r.apiBase() + "/v2/checkout/orders/" + orderId + "/capture")
        .putHeader("Authorization", "Bearer " + token).putHeader("PayPal-Request-Id", "tinko-capture-" + r.linkId())
        .putHeader("Content-Type", "application/json").send()
        .compose(resp -> {
          // 422 ORDER_ALREADY_CAPTURED: captured before (a reload without the request id's replay)
          if (resp.statusCode() / 100 == 2 || (resp.statusCode() == 422 && resp.bodyAsString() != null
              && resp.bodyAsString().contains("ORDER_ALREADY_CAPTURED"))) {
            return Future.<Void>succeededFuture();
          }
          return Future.failedFuture("PayPal answered " + resp.statusCode() + " to the capture of " + orderId);
        }));
  }

  private Future<String> token(HostedRequest r) {
    String id = r.credential("clientId");
    String secret = r.credential("clientSecret");
    if (id == null || secret == null) {
      return Future.failedFuture(new HostedCheckout.Unsupported("the connection has no PayPal client credentials"));
    }
    return client.postAbs(r.apiBase() + "/v1/oauth2/token").authentication(new UsernamePasswordCredentials(id, secret))
        .sendForm(io.vertx.core.MultiMap.caseInsensitiveMultiMap().add("grant_type", "client_credentials"))
        .expecting(HttpResponseExpectation.SC_SUCCESS)
        .map(resp -> resp.bodyAsJsonObject().getString("access_token"));
  }

  private static String link(JsonObject order, String rel) {
    JsonArray links = order.getJsonArray("links", new JsonArray());
    for (int i = 0; i < links.size(); i++) {
      JsonObject l = links.getJsonObject(i);
      if (rel.equals(l.getString("rel"))) {
        return l.getString("href");
      }
    }
    return null;
  }
}
