package io.tinko.gateway.recovery;

import io.vertx.core.Future;
import io.vertx.core.http.HttpResponseExpectation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.authentication.UsernamePasswordCredentials;
import io.vertx.ext.web.client.WebClient;
import io.vertx.sqlclient.Row;

/**
 * A Razorpay payment link for the failed payment ({@code POST /v1/payment_links}, JSON, Basic auth
 * {@code key_id:key_secret}). Razorpay has no idempotency header; the guard is the link's {@code reference_id}
 * ({@code tl_<link id>}, 35 characters of the 40 allowed), which Razorpay keeps unique per account: if a first create
 * timed out after Razorpay made the link, the second create is refused and the first link is found again by
 * {@code GET /v1/payment_links?reference_id=}, so one recovery link never makes two payment links.
 *
 * <p>The link's notes carry the transaction's payment key ({@code tinko_payment_key}); Razorpay repeats them in the
 * signed {@code payment_link.paid} webhook, which is how the engine finds the payment this link settles.
 */
final class RazorpayLinks {
  static final String BASE = "https://api.razorpay.com";
  static final String NOTE_PAYMENT_KEY = "tinko_payment_key";

  private final WebClient client;

  RazorpayLinks(WebClient client) {
    this.client = client;
  }

  static String referenceId(java.util.UUID linkId) {
    return "tl_" + linkId.toString().replace("-", "");
  }

  Future<Hosted> create(HostedRequest r) {
    String keyId = r.credential("keyId", "clientId");
    String secret = r.credential("keySecret", "clientSecret");
    if (keyId == null || secret == null) {
      return Future.failedFuture(new HostedCheckout.Unsupported("the connection has no Razorpay key"));
    }
    Row link = r.link();
    Long amount = link.getLong("amount_minor");
    String currency = link.getString("currency");
    if (amount == null || currency == null) {
      return Future.failedFuture(new HostedCheckout.Unsupported("the payment's amount is not known yet"));
    }
    var auth = new UsernamePasswordCredentials(keyId, secret);
    String reference = referenceId(r.linkId());
    JsonObject customer = new JsonObject();
    if (link.getString("customer_email") != null) {
      customer.put("email", link.getString("customer_email"));
    }
    JsonObject body = new JsonObject().put("amount", amount).put("currency", currency.trim().toUpperCase())
        .put("accept_partial", false).put("reference_id", reference)
        .put("description", "Payment to " + r.merchant()).put("customer", customer)
        // Tinko sends its own emails; Razorpay must not message the customer as well
        .put("notify", new JsonObject().put("sms", false).put("email", false)).put("reminder_enable", false)
        .put("notes", new JsonObject().put(NOTE_PAYMENT_KEY, r.paymentKey())
            .put("tinko_transaction", link.getUUID("transaction_id").toString()))
        .put("callback_url", r.returnUrl()).put("callback_method", "get");
    return client.postAbs(r.apiBase() + "/v1/payment_links").authentication(auth).sendJsonObject(body)
        .compose(resp -> {
          if (resp.statusCode() == 200) {
            return Future.succeededFuture(hosted(resp.bodyAsJsonObject()));
          }
          if (resp.statusCode() == 400) {
            return existing(r, auth, reference);
          }
          return Future.failedFuture("Razorpay answered " + resp.statusCode() + " to a payment link");
        });
  }

  /** The link an earlier create made under this reference id; fails when there is none. */
  private Future<Hosted> existing(HostedRequest r, UsernamePasswordCredentials auth, String reference) {
    return client.getAbs(r.apiBase() + "/v1/payment_links").addQueryParam("reference_id", reference)
        .authentication(auth).send().expecting(HttpResponseExpectation.SC_SUCCESS).map(resp -> {
          JsonArray links = resp.bodyAsJsonObject().getJsonArray("payment_links", new JsonArray());
          for (int i = 0; i < links.size(); i++) {
            JsonObject l = links.getJsonObject(i);
            if (reference.equals(l.getString("reference_id"))) {
              return hosted(l);
            }
          }
          throw new IllegalStateException("Razorpay refused the payment link and has none under " + reference);
        });
  }

  private static Hosted hosted(JsonObject link) {
    String url = link.getString("short_url");
    if (url == null || !url.startsWith("http")) {
      throw new IllegalStateException("Razorpay answered a payment link without a short_url");
    }
    return new Hosted(url, link.getString("id"));
  }
}
