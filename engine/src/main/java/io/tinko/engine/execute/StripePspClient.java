package io.tinko.engine.execute;

import com.stripe.StripeClient;
import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.CardException;
import com.stripe.exception.StripeException;
import com.stripe.model.Invoice;
import com.stripe.model.PaymentIntent;
import com.stripe.model.StripeError;
import com.stripe.net.RequestOptions;
import com.stripe.param.InvoicePayParams;
import com.stripe.param.PaymentIntentConfirmParams;
import io.tinko.engine.normalize.DeclineCodes;
import io.tinko.engine.recovery.ChargeResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stripe through stripe-java's {@link StripeClient}: pays the open invoice ({@code POST /v1/invoices/{id}/pay},
 * off-session) or confirms the PaymentIntent off-session with the saved payment method. stripe-java blocks, so every
 * call runs on a worker thread. The attempt's key goes out as {@code Idempotency-Key}; stripe-java's own network
 * retries are off (a resend is the executor's decision, with the same key).
 */
public final class StripePspClient implements PspClient {
  static final String DEFAULT_BASE = "https://api.stripe.com";

  private final Vertx vertx;
  private final int timeoutMs;
  private final String defaultBase;
  private final Map<String, StripeClient> clients = new ConcurrentHashMap<>();

  /** {@code defaultBase}: used when a connection names no base URL (the sandbox's fake, or Stripe itself). */
  public StripePspClient(Vertx vertx, int timeoutMs, String defaultBase) {
    this.vertx = vertx;
    this.timeoutMs = timeoutMs;
    this.defaultBase = defaultBase == null || defaultBase.isBlank() ? DEFAULT_BASE : defaultBase;
  }

  @Override
  public Future<ChargeResult> charge(Charge c) {
    String key = c.connection().credential("apiKey", "secretKey");
    if (key == null) {
      return Future.succeededFuture(ChargeResult.rejected("no_credentials", "the connection has no Stripe apiKey"));
    }
    String base = c.connection().baseUrl() == null ? defaultBase : c.connection().baseUrl();
    StripeClient client = clients.computeIfAbsent(base + "\u0000" + key, k -> StripeClient.builder().setApiKey(key)
        .setApiBase(base).setConnectTimeout(timeoutMs).setReadTimeout(timeoutMs).setMaxNetworkRetries(0).build());
    return vertx.executeBlocking(() -> chargeBlocking(client, c), false);
  }

  private static ChargeResult chargeBlocking(StripeClient client, Charge c) {
    RequestOptions options = RequestOptions.builder().setIdempotencyKey(c.idempotencyKey()).build();
    try {
      if (c.invoiceId() != null) {
        InvoicePayParams.Builder p = InvoicePayParams.builder().setOffSession(true);
        if (c.paymentMethodId() != null && c.paymentMethodId().startsWith("pm_")) {
          p.setPaymentMethod(c.paymentMethodId());
        }
        Invoice inv = client.v1().invoices().pay(c.invoiceId(), p.build(), options);
        return "paid".equals(inv.getStatus()) ? ChargeResult.approved(inv.getId())
            : ChargeResult.retryable("invoice_" + inv.getStatus(), "the invoice is not paid yet");
      }
      PaymentIntent pi = client.v1().paymentIntents().confirm(c.paymentId(), PaymentIntentConfirmParams.builder()
          .setOffSession(true).setPaymentMethod(c.paymentMethodId()).build(), options);
      return switch (pi.getStatus()) {
        case "succeeded" -> ChargeResult.approved(pi.getLatestCharge() != null ? pi.getLatestCharge() : pi.getId());
        case "processing" -> ChargeResult.retryable("processing", "the PaymentIntent is still processing");
        default -> ChargeResult.declined(codes(pi.getLastPaymentError(), pi.getStatus()), pi.getId());
      };
    } catch (CardException e) {
      return ChargeResult.declined(codes(e.getStripeError(), e.getCode()), e.getCharge());
    } catch (ApiConnectionException e) {
      return ChargeResult.retryable("timeout", "no answer from Stripe: " + e.getMessage());
    } catch (StripeException e) {
      int status = e.getStatusCode() == null ? 0 : e.getStatusCode();
      if (status >= 500 || status == 429 || status == 409) {
        return ChargeResult.retryable("http_" + status, e.getMessage());
      }
      return ChargeResult.rejected(e.getCode() == null ? "http_" + status : e.getCode(), e.getMessage());
    }
  }

  private static DeclineCodes codes(StripeError err, String fallbackCode) {
    if (err == null) {
      return new DeclineCodes(fallbackCode, null, null, null, null, null);
    }
    return new DeclineCodes(err.getCode() != null ? err.getCode() : fallbackCode, err.getDeclineCode(),
        err.getAdviceCode(), err.getNetworkAdviceCode(), err.getNetworkDeclineCode(), err.getMessage());
  }
}
