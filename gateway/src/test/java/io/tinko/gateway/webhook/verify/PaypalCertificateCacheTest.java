package io.tinko.gateway.webhook.verify;

import static io.tinko.gateway.webhook.verify.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.TrustAnchor;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("PayPal certificate cache")
@ExtendWith(VertxExtension.class)
class PaypalCertificateCacheTest {
  private static TestPki.Issued root;
  private static TestPki.Issued signer;
  private static FakeCertServer server;

  /** A clock the test moves by hand. */
  private static final class ManualClock extends Clock {
    final AtomicLong millis = new AtomicLong(System.currentTimeMillis());

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis.get());
    }
  }

  @BeforeAll
  static void startServer(Vertx vertx, VertxTestContext tc) {
    root = TestPki.rootCa("CN=Cache Test Root");
    signer = TestPki.leaf("CN=signer.paypal.test", root);
    server = new FakeCertServer();
    for (String path : List.of("/a", "/b", "/c", "/d", "/expiring", FakeCertServer.SLOW_PREFIX + "/cert")) {
      server.serve(path, signer.certPem());
    }
    server.start(vertx).onComplete(tc.succeedingThenComplete());
  }

  private static PaypalCertificateCache cache(Vertx vertx, long seconds, int max, Clock clock) {
    return new PaypalCertificateCache(vertx, List.of("127.0.0.1"), Set.of(new TrustAnchor(root.cert(), null)),
        seconds, max, server.clientTrust(), clock);
  }

  @Test
  @DisplayName("concurrent requests from two event loops share one fetch, and each completes on its own loop")
  void coalescedAcrossLoops(Vertx vertx, VertxTestContext tc) {
    PaypalCertificateCache cache = cache(vertx, 3600, 8, Clock.systemUTC());
    String url = server.url("127.0.0.1", FakeCertServer.SLOW_PREFIX + "/cert");
    Checkpoint done = tc.checkpoint(2);
    for (int i = 0; i < 2; i++) {
      Context loop = vertx.getOrCreateContext();
      loop.runOnContext(v -> cache.chain(url).onComplete(tc.succeeding(chain -> tc.verify(() -> {
        assertThat(Vertx.currentContext()).isSameAs(loop);
        assertThat(chain.get(0)).isEqualTo(signer.cert());
        assertThat(server.hits(FakeCertServer.SLOW_PREFIX + "/cert")).isEqualTo(1);
        done.flag();
      }))));
    }
  }

  @Test
  @DisplayName("an entry older than certCacheSeconds is fetched again")
  void expires(Vertx vertx, VertxTestContext tc) {
    ManualClock clock = new ManualClock();
    PaypalCertificateCache cache = cache(vertx, 60, 8, clock);
    String url = server.url("127.0.0.1", "/expiring");
    int before = server.hits("/expiring");
    cache.chain(url)
        .compose(c -> cache.chain(url))
        .compose(c -> {
          clock.millis.addAndGet(61_000);
          return cache.chain(url);
        })
        .onComplete(tc.succeeding(chain -> tc.verify(() -> {
          assertThat(server.hits("/expiring") - before).isEqualTo(2);
          tc.completeNow();
        })));
  }

  @Test
  @DisplayName("the cache holds no more URLs than its bound")
  void bounded(Vertx vertx, VertxTestContext tc) {
    PaypalCertificateCache cache = cache(vertx, 3600, 2, Clock.systemUTC());
    cache.chain(server.url("127.0.0.1", "/a"))
        .compose(c -> cache.chain(server.url("127.0.0.1", "/b")))
        .compose(c -> cache.chain(server.url("127.0.0.1", "/c")))
        .compose(c -> cache.chain(server.url("127.0.0.1", "/d")))
        .onComplete(tc.succeeding(c -> tc.verify(() -> {
          assertThat(cache.size()).isLessThanOrEqualTo(2);
          tc.completeNow();
        })));
  }

  @Test
  @DisplayName("host matching is exact and case-insensitive, and only https is allowed")
  void allowList(Vertx vertx) {
    PaypalCertificateCache cache = new PaypalCertificateCache(vertx, List.of("api.paypal.com"),
        Set.of(new TrustAnchor(root.cert(), null)), 60, 4, null, Clock.systemUTC());
    assertThat(cache.allows("https://api.paypal.com/v1/notifications/certs/CERT-360caa42")).isTrue();
    assertThat(cache.allows("https://API.PayPal.com/v1/notifications/certs/CERT-360caa42")).isTrue();
    assertThat(cache.allows("http://api.paypal.com/v1/notifications/certs/CERT-360caa42")).isFalse();
    assertThat(cache.allows("https://api.paypal.com.evil.test/cert")).isFalse();
    assertThat(cache.allows("https://evil.test/api.paypal.com")).isFalse();
    assertThat(cache.allows("https://api.paypal.com@evil.test/cert")).isFalse();
    assertThat(cache.allows("https://sandbox.api.paypal.com/cert")).isFalse();
    assertThat(cache.allows("not a url")).isFalse();
    cache.close();
  }

  @Test
  @DisplayName("the trust store is read from a PEM file, or from the JVM when none is configured")
  void trustAnchors(@TempDir Path dir) throws Exception {
    Path pem = dir.resolve("cas.pem");
    Files.writeString(pem, TestPki.pem(root.cert(), signer.cert()));
    assertThat(CertificateChains.loadTrustAnchors(pem.toString())).hasSize(2);
    assertThat(CertificateChains.loadTrustAnchors("")).isNotEmpty();
    Path empty = dir.resolve("empty.pem");
    Files.writeString(empty, "");
    assertThatThrownBy(() -> CertificateChains.loadTrustAnchors(empty.toString()))
        .isInstanceOf(java.security.cert.CertificateException.class);
  }

  @Test
  @DisplayName("a self-signed root appended to the served chain is dropped before validation")
  void rootDropped() throws Exception {
    List<java.security.cert.X509Certificate> chain = CertificateChains.validate(
        CertificateChains.parsePem(utf8(TestPki.pem(signer.cert(), root.cert()))),
        Set.of(new TrustAnchor(root.cert(), null)), new java.util.Date());
    assertThat(chain).containsExactly(signer.cert());
  }
}
