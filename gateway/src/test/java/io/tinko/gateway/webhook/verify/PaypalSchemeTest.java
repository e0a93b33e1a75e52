package io.tinko.gateway.webhook.verify;

import static io.tinko.gateway.webhook.verify.Fixtures.headers;
import static io.tinko.gateway.webhook.verify.Fixtures.tampered;
import static io.tinko.gateway.webhook.verify.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.security.cert.TrustAnchor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("PayPal scheme")
@ExtendWith(VertxExtension.class)
class PaypalSchemeTest {
  static final String WEBHOOK_ID = "8PT597110X687430LKGECATA";
  static final String PAYLOAD = "{\"id\":\"WH-58D329510W468432D-8HN650336L201105X\",\"event_version\":\"1.0\","
      + "\"event_type\":\"PAYMENT.SALE.DENIED\",\"resource\":{\"id\":\"80021663DE681814L\",\"state\":\"denied\"}}";
  private static final byte[] BODY = utf8(PAYLOAD);

  static TestPki.Issued root;
  static TestPki.Issued signer;
  private static TestPki.Issued stranger;
  private static TestPki.Issued expired;
  static FakeCertServer server;

  private PaypalCertificateCache cache;
  private PaypalScheme scheme;
  private Context loop;
  private long now;

  @BeforeAll
  static void startServer(Vertx vertx, VertxTestContext tc) {
    root = TestPki.rootCa("CN=Test PayPal Root CA");
    TestPki.Issued intermediate = TestPki.intermediateCa("CN=Test PayPal Intermediate CA", root);
    signer = TestPki.leaf("CN=messageverificationcerts.paypal.test", intermediate);
    TestPki.Issued strangerRoot = TestPki.rootCa("CN=Someone Else's CA");
    stranger = TestPki.leaf("CN=messageverificationcerts.paypal.test", strangerRoot);
    expired = TestPki.leaf("CN=old.paypal.test", intermediate, Instant.now().minus(Duration.ofDays(60)),
        Instant.now().minus(Duration.ofDays(1)));
    server = new FakeCertServer();
    // leaf first, then the intermediate and the root, as certificate hosts commonly serve them
    server.serve("/certs/good", TestPki.pem(signer.cert(), intermediate.cert(), root.cert()));
    server.serve("/certs/stranger", stranger.certPem());
    server.serve("/certs/expired", TestPki.pem(expired.cert(), intermediate.cert()));
    server.serve("/certs/leaf-only", signer.certPem());
    server.serve("/certs/not-pem", "hello");
    server.start(vertx).onComplete(tc.succeedingThenComplete());
  }

  @BeforeEach
  void setUp(Vertx vertx) {
    server.resetHits();
    cache = new PaypalCertificateCache(vertx, List.of("127.0.0.1"), Set.of(new TrustAnchor(root.cert(), null)),
        3600, 16, server.clientTrust(), Clock.systemUTC());
    scheme = new PaypalScheme(cache, 300);
    loop = vertx.getOrCreateContext();
    now = Instant.now().getEpochSecond();
  }

  @AfterEach
  void tearDown() {
    cache.close();
  }

  /** Runs the call on an event loop, as the HTTP verticle does, and checks it completes on that same loop. */
  static Verdict onLoop(Context loop, Supplier<Future<Verdict>> call) throws Exception {
    CompletableFuture<Verdict> result = new CompletableFuture<>();
    loop.runOnContext(v -> call.get().onComplete((verdict, err) -> {
      if (Vertx.currentContext() != loop) {
        result.completeExceptionally(new AssertionError("completed on another context"));
      } else if (err != null) {
        result.completeExceptionally(err);
      } else {
        result.complete(verdict);
      }
    }));
    return result.get(10, TimeUnit.SECONDS);
  }

  static MultiMap signed(TestPki.Issued by, String algo, String certUrl, long sentAt, byte[] body) {
    String id = "b2384410-f8d2-11ed-8a5a-" + sentAt;
    String time = Instant.ofEpochSecond(sentAt).toString();
    return headers("PAYPAL-TRANSMISSION-ID", id, "PAYPAL-TRANSMISSION-TIME", time,
        "PAYPAL-TRANSMISSION-SIG", WebhookSigner.paypal(algo, by.keys().getPrivate(), id, time, WEBHOOK_ID, body),
        "PAYPAL-CERT-URL", certUrl, "PAYPAL-AUTH-ALGO", algo);
  }

  private MultiMap signed(TestPki.Issued by, String path) {
    return signed(by, "SHA256withRSA", server.url("127.0.0.1", path), now, BODY);
  }

  private Verdict verify(byte[] body, MultiMap headers) throws Exception {
    return verify(body, headers, WEBHOOK_ID, now);
  }

  private Verdict verify(byte[] body, MultiMap headers, String webhookId, long at) throws Exception {
    return onLoop(loop, () -> scheme.verify(body, headers, List.of(), webhookId, at));
  }

  @Test
  @DisplayName("a webhook signed by a certificate chaining to the trust store is valid")
  void valid() throws Exception {
    assertThat(verify(BODY, signed(signer, "/certs/good"))).isEqualTo(Verdict.VALID);
    assertThat(verify(BODY, signed(signer, "SHA512withRSA", server.url("127.0.0.1", "/certs/good"), now, BODY)))
        .isEqualTo(Verdict.VALID);
  }

  @Test
  @DisplayName("the certificate is fetched once and then served from the cache")
  void fetchedOnce() throws Exception {
    for (int i = 0; i < 5; i++) {
      byte[] body = utf8(PAYLOAD.replace("denied\"", "denied" + i + "\""));
      assertThat(verify(body, signed(signer, "SHA256withRSA", server.url("127.0.0.1", "/certs/good"), now, body)))
          .isEqualTo(Verdict.VALID);
    }
    assertThat(server.hits("/certs/good")).isEqualTo(1);
  }

  @Test
  @DisplayName("a tampered body, another webhook id or no webhook id does not match")
  void mismatch() throws Exception {
    MultiMap headers = signed(signer, "/certs/good");
    assertThat(verify(tampered(BODY), headers)).isEqualTo(Verdict.MISMATCH);
    assertThat(verify(BODY, headers, "OTHERWEBHOOKID", now)).isEqualTo(Verdict.MISMATCH);
    assertThat(verify(BODY, headers, null, now)).isEqualTo(Verdict.MISMATCH);
    assertThat(verify(BODY, headers, WEBHOOK_ID, now)).isEqualTo(Verdict.VALID);
  }

  @Test
  @DisplayName("a certificate URL on a host that is not allow-listed is refused without fetching")
  void hostNotAllowed() throws Exception {
    MultiMap headers = signed(signer, "SHA256withRSA", server.url("localhost", "/certs/good"), now, BODY);
    assertThat(verify(BODY, headers)).isEqualTo(Verdict.MALFORMED);
    assertThat(server.totalHits()).isZero();
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"http://127.0.0.1:%d/certs/good", "ftp://127.0.0.1:%d/certs/good",
      "https://user@127.0.0.1:%d/certs/good", "//127.0.0.1:%d/certs/good", "https://127.0.0.1:%d/certs/ good",
      "https://127.0.0.1.evil.test:%d/certs/good"})
  @DisplayName("a certificate URL that is not https on an allow-listed host is refused without fetching")
  void urlNotAllowed(String pattern) throws Exception {
    String url = String.format(pattern, server.port());
    assertThat(verify(BODY, signed(signer, "SHA256withRSA", url, now, BODY))).isEqualTo(Verdict.MALFORMED);
    assertThat(server.totalHits()).isZero();
  }

  @Test
  @DisplayName("a certificate from a CA outside the trust store does not verify, even with a matching signature")
  void unknownCa() throws Exception {
    assertThat(verify(BODY, signed(stranger, "/certs/stranger"))).isEqualTo(Verdict.MISMATCH);
  }

  @Test
  @DisplayName("an expired certificate does not verify")
  void expiredCertificate() throws Exception {
    assertThat(verify(BODY, signed(expired, "/certs/expired"))).isEqualTo(Verdict.MISMATCH);
  }

  @Test
  @DisplayName("a cached certificate that has expired by the verification time does not verify")
  void expiredWhileCached() throws Exception {
    assertThat(verify(BODY, signed(signer, "/certs/good"))).isEqualTo(Verdict.VALID);
    long later = signer.cert().getNotAfter().toInstant().getEpochSecond() + 60;
    MultiMap headers = signed(signer, "SHA256withRSA", server.url("127.0.0.1", "/certs/good"), later, BODY);
    assertThat(verify(BODY, headers, WEBHOOK_ID, later)).isEqualTo(Verdict.MISMATCH);
  }

  @Test
  @DisplayName("a leaf served without its intermediate cannot be chained and does not verify")
  void missingIntermediate() throws Exception {
    assertThat(verify(BODY, signed(signer, "/certs/leaf-only"))).isEqualTo(Verdict.MISMATCH);
  }

  @Test
  @DisplayName("a signature by another key than the certificate's does not verify")
  void otherKey() throws Exception {
    assertThat(verify(BODY, signed(stranger, "/certs/good"))).isEqualTo(Verdict.MISMATCH);
  }

  @Test
  @DisplayName("a failed fetch does not verify and is not retried at once")
  void fetchFailure() throws Exception {
    assertThat(verify(BODY, signed(signer, "/certs/nowhere"))).isEqualTo(Verdict.MISMATCH);
    assertThat(verify(BODY, signed(signer, "/certs/not-pem"))).isEqualTo(Verdict.MISMATCH);
    assertThat(verify(BODY, signed(signer, "/certs/nowhere"))).isEqualTo(Verdict.MISMATCH);
    assertThat(server.hits("/certs/nowhere")).isEqualTo(1);
  }

  @Test
  @DisplayName("a redirect is not followed, so it cannot lead off the allow-list")
  void noRedirects() throws Exception {
    assertThat(verify(BODY, signed(signer, "/redirect"))).isEqualTo(Verdict.MISMATCH);
    assertThat(server.hits("/certs/good")).isZero();
  }

  @Test
  @DisplayName("transmission times beyond the tolerance either way are expired")
  void transmissionTime() throws Exception {
    String url = server.url("127.0.0.1", "/certs/good");
    assertThat(verify(BODY, signed(signer, "SHA256withRSA", url, now - 301, BODY))).isEqualTo(Verdict.EXPIRED);
    assertThat(verify(BODY, signed(signer, "SHA256withRSA", url, now + 301, BODY))).isEqualTo(Verdict.EXPIRED);
    assertThat(verify(BODY, signed(signer, "SHA256withRSA", url, now - 299, BODY))).isEqualTo(Verdict.VALID);
  }

  @ParameterizedTest(name = "[{index}] without {0}")
  @ValueSource(strings = {"PAYPAL-TRANSMISSION-ID", "PAYPAL-TRANSMISSION-TIME", "PAYPAL-TRANSMISSION-SIG",
      "PAYPAL-CERT-URL", "PAYPAL-AUTH-ALGO"})
  @DisplayName("any signature header missing is reported as missing")
  void missing(String header) throws Exception {
    MultiMap headers = signed(signer, "/certs/good");
    headers.remove(header);
    assertThat(verify(BODY, headers)).isEqualTo(Verdict.MISSING);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"PAYPAL-AUTH-ALGO=SHA1withRSA", "PAYPAL-AUTH-ALGO=NONEwithRSA", "PAYPAL-AUTH-ALGO=sha256",
      "PAYPAL-TRANSMISSION-TIME=yesterday", "PAYPAL-TRANSMISSION-TIME=2026-01-01T00:00:00",
      "PAYPAL-TRANSMISSION-SIG=not*base64", "PAYPAL-TRANSMISSION-SIG=", "PAYPAL-CERT-URL=not a url"})
  @DisplayName("an unacceptable algorithm, time, signature or URL is malformed")
  void malformed(String replacement) throws Exception {
    MultiMap headers = signed(signer, "/certs/good");
    String[] kv = replacement.split("=", 2);
    headers.set(kv[0], kv[1]);
    assertThat(verify(BODY, headers)).isEqualTo(Verdict.MALFORMED);
  }

  @Test
  @DisplayName("the event id and type are the body's top-level id and event_type, not resource.id")
  void identify() throws BadPayloadException {
    assertThat(scheme.identify(BODY, headers()))
        .isEqualTo(new EventIdentity("WH-58D329510W468432D-8HN650336L201105X", "PAYMENT.SALE.DENIED"));
    assertThat(scheme.signatureHeaders()).hasSize(5).contains("PAYPAL-CERT-URL");
  }
}
