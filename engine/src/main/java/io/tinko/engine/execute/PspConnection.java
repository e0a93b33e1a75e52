package io.tinko.engine.execute;

import io.tinko.common.domain.Psp;
import io.vertx.core.json.JsonObject;

/**
 * A merchant's PSP account as the executor calls it: base URL ({@code psp_connections.api_base_url}, the PSP's
 * public API when empty) and the opened credentials. Credential names follow the merchant API's connection body:
 * {@code apiKey} (Stripe secret key), {@code clientId}/{@code clientSecret} (PayPal client, Razorpay key id/secret).
 */
public record PspConnection(String id, Psp psp, String baseUrl, JsonObject credentials) {

  @Override
  public String toString() {
    return "PspConnection[" + id + ", " + psp.id() + ", " + baseUrl + "]";   // never the credentials
  }

  String credential(String... names) {
    for (String n : names) {
      String v = credentials.getString(n);
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return null;
  }
}
