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
import java.util.UUID;

/**
 * Sends the customer to the PSP's own hosted page, so no card data ever reaches Tinko. Every page is created with a
 * key derived from the link, so a resubmitted form (or a retry after a timeout) can never make a second one:
 * <ul>
 *   <li>Stripe: a Checkout Session in setup mode for the customer ({@code POST /v1/checkout/sessions},
 *       form-encoded), the invoice in its metadata, {@code Idempotency-Key: tinko-link:<link id>};</li>
 *   <li>Razorpay: a payment link ({@link RazorpayLinks});</li>
 *   <li>PayPal: an Orders v2 order the customer approves ({@link PaypalOrders}).</li>
 * </ul>
 * The connection's API base URL is honoured (a local fake in tests and in the sandbox).
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
  private final RazorpayLinks razorpay;
  private final PaypalOrders paypal;

  HostedCheckout(Vertx vertx, ConnectionSecrets secrets, int timeoutMs) {
    this.client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(timeoutMs)
        .setIdleTimeout(timeoutMs / 1000 + 1).setUserAgent("tinko-gateway"));
    this.secrets = secrets;
    this.razorpay = new RazorpayLinks(client);
    this.paypal = new PaypalOrders(client);
  }

  /** Creates (or, for the same link, finds again) the hosted page. */
  Future<Hosted> create(Row link, UUID linkId, String returnUrl, String cancelUrl) {
    return request(link, linkId, returnUrl, cancelUrl).compose(r -> switch (link.getString("psp")) {
      case "stripe" -> stripe(r);
      case "razorpay" -> razorpay.create(r);
      case "paypal" -> paypal.create(r);
      default -> Future.failedFuture(new Unsupported("no hosted page for " + link.getString("psp")));
    });
  }

  /**
   * The customer is back from the PSP. Stripe and Razorpay have collected by then; a PayPal order the customer
   * approved must still be captured by the merchant (with a request id of its own, so a reload captures once).
   */
  Future<Void> returned(Row link, UUID linkId, String ref, String returnedToken) {
    if (!"paypal".equals(link.getString("psp")) || ref == null) {
      return Future.succeededFuture();
    }
    return request(link, linkId, null, null).compose(r -> paypal.capture(r, ref, returnedToken));
  }

  private Future<HostedRequest> request(Row link, UUID linkId, String returnUrl, String cancelUrl) {
    String psp = link.getString("psp");
    if (!"active".equals(link.getString("connection_status"))) {
      return Future.failedFuture(new Unsupported("the PSP connection is not active"));
    }
    JsonObject credentials;
    try {
      byte[] enc = link.getBuffer("credentials_enc") == null ? null : link.getBuffer("credentials_enc").getBytes();
      credentials = enc == null ? new JsonObject()
          : new JsonObject(secrets.openCredentials(link.getString("endpoint_id"), enc));
    } catch (RuntimeException e) {
      return Future.failedFuture(new Unsupported("the connection's credentials cannot be opened"));
    }
    String configured = link.getString("api_base_url");
    String base = configured != null && !configured.isBlank() ? configured : switch (psp) {
      case "stripe" -> STRIPE_BASE;
      case "razorpay" -> RazorpayLinks.BASE;
      case "paypal" -> PaypalOrders.BASE;
      default -> null;
    };
    if (base == null) {
      return Future.failedFuture(new Unsupported("no hosted page for " + psp));
    }
    return Future.succeededFuture(new HostedRequest(link, linkId, credentials, base, returnUrl, cancelUrl));
  }

  private Future<Hosted> stripe(HostedRequest r) {
    Row link = r.link();
    String key = r.credential("apiKey");
    if (key == null) {
      return Future.failedFuture(new Unsupported("the connection has no Stripe apiKey"));
    }
    MultiMap form = MultiMap.caseInsensitiveMultiMap().add("mode", "setup").add("success_url", r.returnUrl())
        .add("cancel_url", r.cancelUrl()).add("payment_method_types[]", "card")
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
    return client.postAbs(r.apiBase() + "/v1/checkout/sessions").putHeader("Authorization", "Bearer " + key)
        .putHeader("Idempotency-Key", "tinko-link:" + r.linkId()).sendForm(form)
        .expecting(HttpResponseExpectation.SC_SUCCESS)
        .map(resp -> {
          JsonObject session = resp.bodyAsJsonObject();
          String url = session.getString("url");
          if (url == null || !url.startsWith("http")) {
            throw new IllegalStateException("Stripe answered a session without a url");
          }
          return new Hosted(url, session.getString("id"));
        });
  }

  void close() {
    client.close();
  }
}
