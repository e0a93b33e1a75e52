package io.tinko.gateway.webhook.verify;

import io.tinko.common.config.ConfigException;
import io.tinko.common.config.TinkoConfig;
import io.tinko.common.domain.Psp;
import io.vertx.core.Vertx;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.TrustOptions;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.TrustAnchor;
import java.time.Clock;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Builds one set of schemes for one HTTP verticle instance. The schemes keep Mac and Signature objects and are not
 * thread-safe, so every verticle (event loop) gets its own; the PayPal certificate cache is the one piece shared by
 * the whole process.
 */
public final class WebhookSchemes {
  private WebhookSchemes() {
  }

  /**
   * @param paypalCertificates       shared by all verticles of the process
   * @param stripeToleranceSeconds   {@code webhooks.stripeToleranceSeconds}
   * @param standardToleranceSeconds {@code webhooks.standardToleranceSeconds}
   * @param paypalToleranceSeconds   {@code webhooks.paypalToleranceSeconds}
   * @return an unmodifiable map with a scheme for STRIPE, RAZORPAY, PAYPAL and STANDARD
   */
  public static Map<Psp, WebhookScheme> create(PaypalCertificateCache paypalCertificates, long stripeToleranceSeconds,
                                               long standardToleranceSeconds, long paypalToleranceSeconds) {
    Map<Psp, WebhookScheme> schemes = new EnumMap<>(Psp.class);
    schemes.put(Psp.STRIPE, new StripeScheme(stripeToleranceSeconds));
    schemes.put(Psp.RAZORPAY, new RazorpayScheme());
    schemes.put(Psp.PAYPAL, new PaypalScheme(paypalCertificates, paypalToleranceSeconds));
    schemes.put(Psp.STANDARD, new StandardWebhooksScheme(standardToleranceSeconds));
    return Collections.unmodifiableMap(schemes);
  }

  /** TLS trust for fetching certificates: null (the JVM's) unless {@code webhooks.paypal.fetchTrustStore} is set. */
  private static TrustOptions fetchTrust(String pemFile) {
    if (pemFile == null || pemFile.isBlank()) {
      return null;
    }
    if (!java.nio.file.Files.isReadable(java.nio.file.Path.of(pemFile))) {
      throw new ConfigException("webhooks.paypal.fetchTrustStore: cannot read '" + pemFile + "'");
    }
    return new PemTrustOptions().addCertPath(pemFile);
  }

  /**
   * The per-verticle factory from configuration ({@code webhooks.*}). Reads the PayPal trust store now, so a bad
   * {@code webhooks.paypal.trustStore} fails start-up with a {@link ConfigException}; the certificate cache is made
   * on the first call and shared by every later one, which must pass the same Vertx.
   */
  public static Function<Vertx, Map<Psp, WebhookScheme>> factory(TinkoConfig config) {
    long stripe = config.longValue("webhooks.stripeToleranceSeconds");
    long standard = config.longValue("webhooks.standardToleranceSeconds");
    long paypal = config.longValue("webhooks.paypalToleranceSeconds");
    List<String> certHosts = config.list("webhooks.paypal.certHosts");
    long certCacheSeconds = config.longValue("webhooks.paypal.certCacheSeconds");
    String trustStore = config.string("webhooks.paypal.trustStore");
    String fetchTrustStore = config.string("webhooks.paypal.fetchTrustStore");
    TrustOptions fetchTrust = fetchTrust(fetchTrustStore);
    Set<TrustAnchor> anchors;
    try {
      anchors = CertificateChains.loadTrustAnchors(trustStore);
    } catch (IOException | GeneralSecurityException e) {
      throw new ConfigException("webhooks.paypal.trustStore: cannot read CA certificates from '" + trustStore
          + "': " + e.getMessage(), e);
    }
    return new Function<>() {
      private Vertx owner;
      private PaypalCertificateCache certificates;

      @Override
      public synchronized Map<Psp, WebhookScheme> apply(Vertx vertx) {
        if (certificates == null) {
          owner = vertx;
          certificates = new PaypalCertificateCache(vertx, certHosts, anchors, certCacheSeconds,
              PaypalCertificateCache.DEFAULT_MAX_ENTRIES, fetchTrust, Clock.systemUTC());
        } else if (owner != vertx) {
          throw new IllegalStateException("one webhook scheme factory serves one Vertx instance");
        }
        return create(certificates, stripe, standard, paypal);
      }
    };
  }
}
