package io.tinko.gateway.webhook.verify;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpResponseExpectation;
import io.vertx.core.net.TrustOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.GeneralSecurityException;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches, validates and caches the certificates PayPal signs webhooks with, for every {@link PaypalScheme} of one
 * process (thread-safe).
 *
 * <p>{@code PAYPAL-CERT-URL} arrives in the request, so it is an SSRF and key-substitution vector: only https URLs on
 * the allow-listed hosts (exact host match, any port) are fetched, redirects are not followed, and the chain must lead
 * to the configured trust anchors. Concurrent requests for one URL share one fetch. A chain is kept for
 * {@code certCacheSeconds} at most (never past the leaf's expiry); a failed fetch is remembered for
 * {@link #FAILURE_RETRY_MILLIS} so a burst of webhooks naming a broken URL does not become a burst of fetches.
 */
public final class PaypalCertificateCache {
  private static final Logger LOG = LoggerFactory.getLogger(PaypalCertificateCache.class);
  static final int DEFAULT_MAX_ENTRIES = 64;
  static final long FAILURE_RETRY_MILLIS = 10_000;
  private static final long FETCH_TIMEOUT_MILLIS = 5_000;
  /** PayPal's chains are a few KB; anything far larger is not a certificate chain. */
  private static final int MAX_PEM_BYTES = 64 * 1024;

  private final WebClient client;
  private final Set<String> allowedHosts;
  private final Set<TrustAnchor> anchors;
  private final long ttlMillis;
  private final int maxEntries;
  private final Clock clock;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  /** One URL's fetch: the future is shared by everyone asking while it runs and after. */
  private static final class Entry {
    final Future<List<X509Certificate>> chain;
    /** Long.MAX_VALUE while the fetch runs (the client's timeout bounds it). */
    volatile long expiresAtMillis = Long.MAX_VALUE;

    Entry(Future<List<X509Certificate>> chain) {
      this.chain = chain;
    }
  }

  /**
   * @param allowedHosts  {@code webhooks.paypal.certHosts}
   * @param trustAnchors  see {@link CertificateChains#loadTrustAnchors}
   * @param cacheSeconds  {@code webhooks.paypal.certCacheSeconds}
   * @param maxEntries    URLs kept at most
   * @param fetchTrust    trust for the TLS connection to the certificate host; null for the JVM's default (tests
   *                      pass their own server's certificate)
   */
  public PaypalCertificateCache(Vertx vertx, Collection<String> allowedHosts, Set<TrustAnchor> trustAnchors,
                                long cacheSeconds, int maxEntries, TrustOptions fetchTrust, Clock clock) {
    if (cacheSeconds <= 0 || maxEntries <= 0) {
      throw new IllegalArgumentException("certCacheSeconds and maxEntries must be positive");
    }
    WebClientOptions options = new WebClientOptions()
        .setFollowRedirects(false)
        .setConnectTimeout((int) FETCH_TIMEOUT_MILLIS)
        .setUserAgentEnabled(false);
    if (fetchTrust != null) {
      options.setTrustOptions(fetchTrust);
    }
    this.client = WebClient.create(vertx, options);
    this.allowedHosts = allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    this.anchors = Set.copyOf(trustAnchors);
    this.ttlMillis = cacheSeconds * 1000;
    this.maxEntries = maxEntries;
    this.clock = clock;
  }

  /** Whether the URL may be fetched at all: https, no user info, host on the allow-list. */
  public boolean allows(String certUrl) {
    try {
      URI uri = new URI(certUrl);
      return "https".equalsIgnoreCase(uri.getScheme())
          && uri.getRawUserInfo() == null
          && uri.getHost() != null
          && allowedHosts.contains(uri.getHost().toLowerCase(Locale.ROOT));
    } catch (URISyntaxException e) {
      return false;
    }
  }

  /**
   * The validated chain (leaf first) served at {@code certUrl}. Completes on the caller's context, so a verticle's
   * continuation stays on its own event loop even when another loop started the shared fetch. Fails with
   * {@link CertificateUnavailableException} when the URL is not allowed or the fetch or validation failed.
   */
  public Future<List<X509Certificate>> chain(String certUrl) {
    if (!allows(certUrl)) {
      return Future.failedFuture(new CertificateUnavailableException("certificate URL not allowed: " + certUrl));
    }
    long now = clock.millis();
    Entry entry = entries.get(certUrl);
    if (entry == null || entry.expiresAtMillis <= now) {
      entry = entries.compute(certUrl, (url, old) -> old != null && old.expiresAtMillis > now ? old : fetch(url));
      evictIfFull(now);
    }
    Future<List<X509Certificate>> shared = entry.chain;
    if (shared.isComplete()) {
      // a fresh, context-free future: listeners run right here on the caller's thread
      return shared.succeeded() ? Future.succeededFuture(shared.result()) : Future.failedFuture(shared.cause());
    }
    Context caller = Vertx.currentContext();
    if (caller == null) {
      return shared;
    }
    Promise<List<X509Certificate>> promise = Promise.promise();
    shared.onComplete((chain, err) -> caller.runOnContext(v -> promise.complete(chain, err)));
    return promise.future();
  }

  private Entry fetch(String url) {
    Promise<List<X509Certificate>> promise = Promise.promise();
    Entry entry = new Entry(promise.future());
    client.getAbs(url)
        .timeout(FETCH_TIMEOUT_MILLIS)
        .send()
        .expecting(HttpResponseExpectation.SC_SUCCESS)
        .map(response -> validated(response.body()))
        .onComplete((chain, err) -> {
          long now = clock.millis();
          if (err == null) {
            entry.expiresAtMillis = Math.min(now + ttlMillis, chain.get(0).getNotAfter().getTime());
            promise.complete(chain);
          } else {
            LOG.warn("paypal certificate unavailable url={} reason={}", url, err.getMessage());
            entry.expiresAtMillis = now + FAILURE_RETRY_MILLIS;
            promise.fail(err instanceof CertificateUnavailableException ? err
                : new CertificateUnavailableException("fetching " + url + " failed: " + err.getMessage()));
          }
        });
    return entry;
  }

  private List<X509Certificate> validated(Buffer body) {
    if (body == null || body.length() > MAX_PEM_BYTES) {
      throw new CertificateUnavailableException("certificate document empty or too large");
    }
    try {
      List<X509Certificate> chain = CertificateChains.parsePem(body.getBytes());
      return CertificateChains.validate(chain, anchors, new Date(clock.millis()));
    } catch (GeneralSecurityException e) {
      throw new CertificateUnavailableException("certificate not trusted: " + e.getMessage());
    }
  }

  /** Drops expired entries, then the soonest-expiring completed ones, until the map is within its bound. */
  private void evictIfFull(long now) {
    if (entries.size() <= maxEntries) {
      return;
    }
    entries.entrySet().removeIf(e -> e.getValue().expiresAtMillis <= now);
    while (entries.size() > maxEntries) {
      Map.Entry<String, Entry> soonest = null;
      for (Map.Entry<String, Entry> e : entries.entrySet()) {
        if (e.getValue().chain.isComplete()
            && (soonest == null || e.getValue().expiresAtMillis < soonest.getValue().expiresAtMillis)) {
          soonest = e;
        }
      }
      if (soonest == null) {
        return; // everything is still being fetched; those entries are bounded by the request rate and timeout
      }
      entries.remove(soonest.getKey(), soonest.getValue());
    }
  }

  int size() {
    return entries.size();
  }

  public Future<Void> close() {
    client.close();
    return Future.succeededFuture();
  }

  /** The certificate could not be had or is not trusted; the webhook is answered MISMATCH. */
  public static final class CertificateUnavailableException extends RuntimeException {
    CertificateUnavailableException(String message) {
      super(message, null, false, false);
    }
  }
}
