package io.tinko.gateway.recovery;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.UUID;

/**
 * What a PSP's hosted page is made from: the link's row (payment, merchant, connection), the connection's opened
 * credentials, the API base URL (the PSP's own unless the connection names another, e.g. a local fake), and where the
 * PSP sends the customer back ({@code returnUrl}: /r/<token>/done) or on cancel.
 */
record HostedRequest(Row link, UUID linkId, JsonObject credentials, String apiBase, String returnUrl,
                     String cancelUrl) {

  /** The first present credential of these names (connections name them as the PSPs' dashboards do). */
  String credential(String... names) {
    for (String n : names) {
      String v = credentials.getString(n);
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return null;
  }

  /** The transaction's payment key ({@code kind:id}), which the PSP's success webhook carries back to the engine. */
  String paymentKey() {
    return link.getString("psp_payment_key");
  }

  String merchant() {
    String d = link.getString("display_name");
    return d != null && !d.isBlank() ? d : link.getString("name");
  }
}
