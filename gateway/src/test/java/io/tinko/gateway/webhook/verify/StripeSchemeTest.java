package io.tinko.gateway.webhook.verify;

import static io.tinko.gateway.webhook.verify.Fixtures.NOW;
import static io.tinko.gateway.webhook.verify.Fixtures.STRIPE_BODY;
import static io.tinko.gateway.webhook.verify.Fixtures.done;
import static io.tinko.gateway.webhook.verify.Fixtures.headers;
import static io.tinko.gateway.webhook.verify.Fixtures.tampered;
import static io.tinko.gateway.webhook.verify.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.MultiMap;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Stripe scheme")
class StripeSchemeTest {
  private static final String SECRET = "whsec_current0123456789abcdef";
  private static final String OLD_SECRET = "whsec_previous0123456789abcdef";
  private static final byte[] BODY = utf8(STRIPE_BODY);

  private final StripeScheme scheme = new StripeScheme(300);

  private Verdict verify(byte[] body, String header, String... secrets) {
    MultiMap h = header == null ? headers() : headers("Stripe-Signature", header);
    return done(scheme.verify(body, h, List.of(secrets), null, NOW));
  }

  @Test
  @DisplayName("a correctly signed event is valid")
  void valid() {
    assertThat(verify(BODY, WebhookSigner.stripe(NOW, BODY, SECRET), SECRET)).isEqualTo(Verdict.VALID);
  }

  @Test
  @DisplayName("a tampered body does not match")
  void tamperedBody() {
    String header = WebhookSigner.stripe(NOW, BODY, SECRET);
    assertThat(verify(tampered(BODY), header, SECRET)).isEqualTo(Verdict.MISMATCH);
  }

  @Test
  @DisplayName("a signature by another secret does not match")
  void wrongSecret() {
    assertThat(verify(BODY, WebhookSigner.stripe(NOW, BODY, "whsec_other"), SECRET)).isEqualTo(Verdict.MISMATCH);
  }

  @Test
  @DisplayName("during a rotation a signature by either the old or the new secret passes")
  void rotation() {
    assertThat(verify(BODY, WebhookSigner.stripe(NOW, BODY, OLD_SECRET), SECRET, OLD_SECRET))
        .isEqualTo(Verdict.VALID);
    assertThat(verify(BODY, WebhookSigner.stripe(NOW, BODY, SECRET), SECRET, OLD_SECRET)).isEqualTo(Verdict.VALID);
    String both = WebhookSigner.stripe(NOW, BODY, SECRET, OLD_SECRET);
    assertThat(verify(BODY, both, OLD_SECRET)).isEqualTo(Verdict.VALID);
    assertThat(verify(BODY, both, SECRET)).isEqualTo(Verdict.VALID);
  }

  @Test
  @DisplayName("no secrets configured means nothing can match")
  void noSecrets() {
    assertThat(verify(BODY, WebhookSigner.stripe(NOW, BODY, SECRET))).isEqualTo(Verdict.MISMATCH);
  }

  @Test
  @DisplayName("a timestamp just inside the tolerance passes on both sides")
  void toleranceEdges() {
    assertThat(verify(BODY, WebhookSigner.stripe(NOW - 300, BODY, SECRET), SECRET)).isEqualTo(Verdict.VALID);
    assertThat(verify(BODY, WebhookSigner.stripe(NOW + 300, BODY, SECRET), SECRET)).isEqualTo(Verdict.VALID);
  }

  @Test
  @DisplayName("a timestamp older than the tolerance is expired")
  void expired() {
    assertThat(verify(BODY, WebhookSigner.stripe(NOW - 301, BODY, SECRET), SECRET)).isEqualTo(Verdict.EXPIRED);
  }

  @Test
  @DisplayName("a timestamp further in the future than the tolerance is expired too")
  void future() {
    assertThat(verify(BODY, WebhookSigner.stripe(NOW + 301, BODY, SECRET), SECRET)).isEqualTo(Verdict.EXPIRED);
  }

  @Test
  @DisplayName("the tolerance comes from the constructor")
  void configurableTolerance() {
    StripeScheme strict = new StripeScheme(10);
    String header = WebhookSigner.stripe(NOW - 11, BODY, SECRET);
    assertThat(done(strict.verify(BODY, headers("Stripe-Signature", header), List.of(SECRET), null, NOW)))
        .isEqualTo(Verdict.EXPIRED);
    assertThatThrownBy(() -> new StripeScheme(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("a missing Stripe-Signature header is reported as missing")
  void missing() {
    assertThat(verify(BODY, null, SECRET)).isEqualTo(Verdict.MISSING);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {
      "", "garbage", "t=,v1=00", "t=abc,v1=" + "00", "v1=" + "ab", "t=1767225600",
      "t=0,v1=aa", "t=-5,v1=aa", "t=1767225600,v1", "t=1767225600,v1=nothex",
      "t=1767225600,v1=ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789"})
  @DisplayName("an unparsable header, timestamp or signature is malformed")
  void malformed(String header) {
    assertThat(verify(BODY, header, SECRET)).isEqualTo(Verdict.MALFORMED);
  }

  @Test
  @DisplayName("uppercase hex of the right signature is malformed, as stripe-java only accepts lowercase")
  void uppercaseHex() {
    String header = WebhookSigner.stripe(NOW, BODY, SECRET);
    assertThat(verify(BODY, header.toUpperCase(java.util.Locale.ROOT).replace("T=", "t=").replace("V1=", "v1="),
        SECRET)).isEqualTo(Verdict.MALFORMED);
  }

  @Test
  @DisplayName("a v0 signature is ignored, so it cannot downgrade the check")
  void v0Ignored() {
    String v1 = WebhookSigner.stripe(NOW, BODY, SECRET);
    String v0Only = v1.replace("v1=", "v0=");
    assertThat(verify(BODY, v0Only, SECRET)).isEqualTo(Verdict.MALFORMED);
    assertThat(verify(BODY, v1 + ",v0=deadbeef", SECRET)).isEqualTo(Verdict.VALID);
  }

  @Test
  @DisplayName("any one matching v1 among several passes, wherever it stands")
  void anyV1() {
    String good = WebhookSigner.stripe(NOW, BODY, SECRET).substring(("t=" + NOW + ",").length());
    String header = "t=" + NOW + ",v1=" + "00".repeat(32) + ",v1=zz," + good + ",foo=bar";
    assertThat(verify(BODY, header, SECRET)).isEqualTo(Verdict.VALID);
  }

  @Test
  @DisplayName("the first t wins, so a second t cannot move a signature to another time")
  void firstTimestampWins() {
    String header = WebhookSigner.stripe(NOW, BODY, SECRET);
    assertThat(verify(BODY, header + ",t=" + (NOW + 1), SECRET)).isEqualTo(Verdict.VALID);
    String moved = "t=" + (NOW + 1) + "," + header;
    assertThat(verify(BODY, moved, SECRET)).isEqualTo(Verdict.MISMATCH);
  }

  @Test
  @DisplayName("one instance gives the same answers over many requests with alternating secrets")
  void reusedMac() {
    for (int i = 0; i < 200; i++) {
      byte[] body = utf8("{\"id\":\"evt_" + i + "\",\"type\":\"charge.failed\"}");
      String secret = i % 2 == 0 ? SECRET : OLD_SECRET;
      String header = WebhookSigner.stripe(NOW - i, body, secret);
      assertThat(verify(body, header, SECRET, OLD_SECRET)).isEqualTo(Verdict.VALID);
      assertThat(verify(tampered(body), header, SECRET, OLD_SECRET)).isEqualTo(Verdict.MISMATCH);
    }
  }

  @Test
  @DisplayName("the event id and type are the body's top-level id and type")
  void identify() throws BadPayloadException {
    assertThat(scheme.identify(BODY, headers()))
        .isEqualTo(new EventIdentity("evt_1QxT", "invoice.payment_failed"));
    assertThat(scheme.signatureHeaders()).containsExactly("Stripe-Signature");
  }
}
