package io.tinko.gateway.recovery;

import io.tinko.gateway.webhook.ConnectionSecrets;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpResponseExpectation;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.sqlclient.Row;

/**
 * Sends the customer to the PSP's own hosted page, so no card data ever reaches Tinko. Stripe: a Checkout Session in
 * setup mode for the customer ({@code POST /v1/checkout/sessions}, form-encoded), with the invoice in its metadata and
 * {@code Idempotency-Key: tinko-link:<link id>}, so a resubmitted form can never make a second session. The
 * connection's API base URL is honoured (a local fake in tests).
 */
final class HostedCheckout {
  static final String STRIPE_BASE = "https://api.stripe.com";

  /** The PSP does not offer a hosted page for this payment through Tinko. */
  static final class Unsupported extends RuntimeException {
    Unsupported(String message) {
      super(message);
    }
  }

  private final WebClient client;
  private final ConnectionSecrets secrets;

  HostedCheckout(Vertx vertx, ConnectionSecrets secrets, int timeoutMs) {
    this.client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(timeoutMs)
        .setIdleTimeout(timeoutMs / 1000 + 1));
    this.secrets = secrets;
  }

  /** Creates (or, for the same link, finds again) the hosted session; resolves to the URL to send the browser to. */
  Future<String> create(Row link, String idempotencyKey, String successUrl, String cancelUrl) {
    String psp = link.getString("psp");
    if (!"stripe".equals(psp)) {
      return Future.failedFuture(new Unsupported("no hosted page for " + psp + " yet"));
    }
    if (!"active".equals(link.getString("connection_status"))) {
      return Future.failedFuture(new Unsupported("the PSP connection is not active"));
    }
    String key;
    try {
      byte[] enc = link.getBuffer("credentials_enc") == null ? null : link.getBuffer("credentials_enc").getBytes();
      key = enc == null ? null : new JsonObject(secrets.openCredentials(link.getString("endpoint_id"), enc))
          .getString("apiKey");
    } catch (RuntimeException e) {
      return Future.failedFuture(new Unsupported("the connection's credentials cannot be opened"));
    }
    if (key == null) {
      return Future.failedFuture(new Unsupported("the connection has no Stripe apiKey"));
    }
    String base = link.getString("api_base_url") == null || link.getString("api_base_url").isBlank() ? STRIPE_BASE
        : link.getString("api_base_url");
    MultiMap form = MultiMap.caseInsensitiveMultiMap().add("mode", "setup").add("success_url", successUrl)
        .add("cancel_url", cancelUrl).add("payment_method_types[]", "card")
        .add("metadata[tinko_transaction]", link.getUUID("transaction_id").toString());
    if (link.getString("customer_id") != null) {
      form.add("customer", link.getString("customer_id"));
    }
    if (link.getString("invoice_id") != null) {
      form.add("metadata[invoice]", link.getString("invoice_id"));
    }
    if (link.getString("currency") != null) {
      form.add("currency", link.getString("currency").trim().toLowerCase());
    }
    return client.postAbs(base + "/v1/checkout/sessions").putHeader("Authorization", "Bearer " + key)
        .putHeader("Idempotency-Key", idempotencyKey).sendForm(form)
        .expecting(HttpResponseExpectation.SC_SUCCESS)
        .map(r -> {
          String url = r.bodyAsJsonObject().getString("url");
          if (url == null || !url.startsWith("http")) {
            throw new IllegalStateException("Stripe answered a session without a url");
          }
          return url;
        });
  }

  void close() {
    client.close();
  }
}
