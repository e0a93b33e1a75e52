package io.tinko.loadtests.bench;

import io.tinko.loadtests.config.PaypalKey;
import io.tinko.loadtests.config.Signer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Before the load, proves that the gateway verifies this run's PayPal signatures and makes it fetch and cache the
 * certificate: POSTs a correctly signed body that is not an event. 400 (invalid payload) means the signature, the
 * certificate fetch and its chain all passed, and nothing is stored; 401 means one of them failed (the gateway log
 * says which). Prints the status; exits 0 on 400.
 *
 * <p>{@code PaypalPrime <webhook url>} with the same {@code -Dtinko.lt.paypal.*} properties as the run.
 */
public final class PaypalPrime {
  public static void main(String[] args) throws Exception {
    PaypalKey key = PaypalKey.fromParams();
    byte[] body = "{\"prime\":true}".getBytes(StandardCharsets.US_ASCII);
    String transmissionId = UUID.randomUUID().toString();
    String time = Instant.now().toString().replaceFirst("\\.\\d+Z$", "Z");
    String sig = new Signer("x", "x", "whsec_cHJpbWU=", key).paypal(transmissionId, time, body);
    HttpRequest request = HttpRequest.newBuilder(URI.create(args[0]))
        .timeout(Duration.ofSeconds(15))
        .header("Content-Type", "application/json")
        .header("PAYPAL-TRANSMISSION-ID", transmissionId)
        .header("PAYPAL-TRANSMISSION-TIME", time)
        .header("PAYPAL-TRANSMISSION-SIG", sig)
        .header("PAYPAL-CERT-URL", key.certUrl())
        .header("PAYPAL-AUTH-ALGO", PaypalKey.ALGORITHM)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
    HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    System.out.println(response.statusCode());
    System.exit(response.statusCode() == 400 ? 0 : 1);
  }
}
