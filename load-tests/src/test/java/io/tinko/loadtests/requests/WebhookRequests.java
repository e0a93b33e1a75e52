package io.tinko.loadtests.requests;

import static io.gatling.javaapi.core.CoreDsl.ByteArrayBody;
import static io.gatling.javaapi.core.CoreDsl.bodyString;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import io.tinko.loadtests.config.Event;
import io.tinko.loadtests.config.PaypalKey;

/**
 * {@code POST /v1/webhooks/{psp}/{endpointId}} as each PSP sends it, from a fed {@link Event}. Everything is
 * precomputed; per request only the body is copied out of its template.
 *
 * <p>Checks: the status the contract requires for this event (200, 401 bad signature, 413 oversized) and, for a
 * valid event, a body of {"status":"accepted"} or {"status":"duplicate"}. The body check also records the answer
 * on the Event (one atomic increment) for the zero-loss audit.
 */
public final class WebhookRequests {
  private WebhookRequests() {}

  public static HttpRequestActionBuilder stripe() {
    return post().header("Stripe-Signature", s -> event(s).signature);
  }

  public static HttpRequestActionBuilder razorpay() {
    return post()
        .header("X-Razorpay-Signature", s -> event(s).signature)
        .header("X-Razorpay-Event-Id", s -> event(s).eventId);
  }

  public static HttpRequestActionBuilder standard() {
    return post()
        .header("webhook-id", s -> event(s).eventId)
        .header("webhook-timestamp", s -> event(s).timestamp)
        .header("webhook-signature", s -> event(s).signature);
  }

  /** PayPal's five headers; the certificate URL is the run's certificate server (bench.PaypalCertServer). */
  public static HttpRequestActionBuilder paypal() {
    return post()
        .header("PAYPAL-TRANSMISSION-ID", s -> event(s).transmissionId)
        .header("PAYPAL-TRANSMISSION-TIME", s -> event(s).timestamp)
        .header("PAYPAL-TRANSMISSION-SIG", s -> event(s).signature)
        .header("PAYPAL-CERT-URL", s -> event(s).certUrl)
        .header("PAYPAL-AUTH-ALGO", PaypalKey.ALGORITHM);
  }

  private static HttpRequestActionBuilder post() {
    return http("#{name}")
        .post(s -> event(s).path)
        .header("Content-Type", "application/json")
        .body(ByteArrayBody(s -> event(s).body()))
        .check(status().is(s -> event(s).expectedStatus()))
        .check(bodyString().transformWithSession((body, s) -> event(s).observe(body)).is(true));
  }

  private static Event event(Session s) {
    return (Event) s.get("e");
  }
}
