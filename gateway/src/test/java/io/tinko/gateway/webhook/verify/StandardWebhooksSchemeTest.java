package io.tinko.gateway.webhook.verify;

import static io.tinko.gateway.webhook.verify.Fixtures.NOW;
import static io.tinko.gateway.webhook.verify.Fixtures.done;
import static io.tinko.gateway.webhook.verify.Fixtures.headers;
import static io.tinko.gateway.webhook.verify.Fixtures.tampered;
import static io.tinko.gateway.webhook.verify.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Standard Webhooks scheme")
class StandardWebhooksSchemeTest {
  static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  static final String OLD_SECRET = "whsec_" + Base64.getEncoder().encodeToString(utf8("previous-secret-32-bytes-long!!!"));
  static final String MSG_ID = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W";
  static final String PAYLOAD = "{\"type\":\"invoice.payment_failed\",\"timestamp\":\"2026-01-01T00:00:00Z\","
      + "\"data\":{\"id\":\"inv_1\",\"type\":\"invoice\",\"amount\":4200}}";
  private static final byte[] BODY = utf8(PAYLOAD);
  private static final KeyPair ED = ed25519();

  private final StandardWebhooksScheme scheme = new StandardWebhooksScheme(300);

  private static KeyPair ed25519() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private Verdict verify(byte[] body, String id, long ts, String signature, String... secrets) {
    return done(scheme.verify(body, headers("webhook-id", id, "webhook-timestamp", Long.toString(ts),
        "webhook-signature", signature), List.of(secrets), null, NOW));
  }

  @Test
  @DisplayName("a v1 signature by the whsec_ secret is valid")
  void valid() {
    assertThat(verify(BODY, MSG_ID, NOW, WebhookSigner.standard(MSG_ID, NOW, BODY, SECRET), SECRET))
        .isEqualTo(Verdict.VALID);
  }

  @Test
  @DisplayName("a tampered body, another id or another timestamp does not match")
  void mismatch() {
    String sig = WebhookSigner.standard(MSG_ID, NOW, BODY, SECRET);
    assertThat(verify(tampered(BODY), MSG_ID, NOW, sig, SECRET)).isEqualTo(Verdict.MISMATCH);
    assertThat(verify(BODY, MSG_ID + "x", NOW, sig, SECRET)).isEqualTo(Verdict.MISMATCH);
    assertThat(verify(BODY, MSG_ID, NOW + 1, sig, SECRET)).isEqualTo(Verdict.MISMATCH);
  }

  @Test
  @DisplayName("a signature by another secret does not match")
  void wrongSecret() {
    assertThat(verify(BODY, MSG_ID, NOW, WebhookSigner.standard(MSG_ID, NOW, BODY, OLD_SECRET), SECRET))
        .isEqualTo(Verdict.MISMATCH);
  }

  @Test
  @DisplayName("during a rotation either secret's signature passes, alone or in a list")
  void rotation() {
    String both = WebhookSigner.standard(MSG_ID, NOW, BODY, OLD_SECRET, SECRET);
    assertThat(both).contains(" ");
    assertThat(verify(BODY, MSG_ID, NOW, both, SECRET)).isEqualTo(Verdict.VALID);
    assertThat(verify(BODY, MSG_ID, NOW, both, OLD_SECRET)).isEqualTo(Verdict.VALID);
    assertThat(verify(BODY, MSG_ID, NOW, WebhookSigner.standard(MSG_ID, NOW, BODY, OLD_SECRET), SECRET, OLD_SECRET))
        .isEqualTo(Verdict.VALID);
  }

  @Test
  @DisplayName("timestamps beyond the tolerance either way are expired; the edges pass")
  void tolerance() {
    for (long ts : new long[] {NOW - 301, NOW + 301}) {
      assertThat(verify(BODY, MSG_ID, ts, WebhookSigner.standard(MSG_ID, ts, BODY, SECRET), SECRET))
          .isEqualTo(Verdict.EXPIRED);
    }
    for (long ts : new long[] {NOW - 300, NOW + 300}) {
      assertThat(verify(BODY, MSG_ID, ts, WebhookSigner.standard(MSG_ID, ts, BODY, SECRET), SECRET))
          .isEqualTo(Verdict.VALID);
    }
  }

  @Test
  @DisplayName("any of the three headers missing is reported as missing")
  void missing() {
    String sig = WebhookSigner.standard(MSG_ID, NOW, BODY, SECRET);
    String ts = Long.toString(NOW);
    assertThat(done(scheme.verify(BODY, headers("webhook-timestamp", ts, "webhook-signature", sig),
        List.of(SECRET), null, NOW))).isEqualTo(Verdict.MISSING);
    assertThat(done(scheme.verify(BODY, headers("webhook-id", MSG_ID, "webhook-signature", sig),
        List.of(SECRET), null, NOW))).isEqualTo(Verdict.MISSING);
    assertThat(done(scheme.verify(BODY, headers("webhook-id", MSG_ID, "webhook-timestamp", ts),
        List.of(SECRET), null, NOW))).isEqualTo(Verdict.MISSING);
  }

  @ParameterizedTest(name = "[{index}] \"{0}\"")
  @ValueSource(strings = {"", "v1", "v1,", "v1,not base64!", "v1,AAAA", "v2,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=",
      "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4", "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI5=",
      "v1a,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4="})
  @DisplayName("a signature list without one well-formed v1 or v1a entry is malformed")
  void malformedSignature(String signature) {
    assertThat(verify(BODY, MSG_ID, NOW, signature, SECRET)).isEqualTo(Verdict.MALFORMED);
  }

  @ParameterizedTest(name = "[{index}] \"{0}\"")
  @ValueSource(strings = {"", "abc", "-5", "1.5", "17672256000000000000"})
  @DisplayName("a timestamp that is not plain digits is malformed")
  void malformedTimestamp(String timestamp) {
    assertThat(done(scheme.verify(BODY, headers("webhook-id", MSG_ID, "webhook-timestamp", timestamp,
        "webhook-signature", WebhookSigner.standard(MSG_ID, NOW, BODY, SECRET)), List.of(SECRET), null, NOW)))
        .isEqualTo(Verdict.MALFORMED);
  }

  @Test
  @DisplayName("a malformed entry next to a good one does not spoil the good one")
  void mixedEntries() {
    String sig = "v1,%%% v2,abc  " + WebhookSigner.standard(MSG_ID, NOW, BODY, SECRET);
    assertThat(verify(BODY, MSG_ID, NOW, sig, SECRET)).isEqualTo(Verdict.VALID);
  }

  @Test
  @DisplayName("a v1a ed25519 signature verifies with the whpk_ public key")
  void ed25519Valid() {
    String whpk = Ed25519Keys.toWhpk(ED.getPublic());
    String sig = WebhookSigner.standardEd25519(MSG_ID, NOW, BODY, ED.getPrivate());
    assertThat(whpk).startsWith("whpk_");
    assertThat(verify(BODY, MSG_ID, NOW, sig, whpk)).isEqualTo(Verdict.VALID);
    assertThat(verify(BODY, MSG_ID, NOW, WebhookSigner.standard(MSG_ID, NOW, BODY, SECRET) + " " + sig, whpk))
        .isEqualTo(Verdict.VALID);
  }

  @Test
  @DisplayName("a v1a signature fails on a tampered body, another key, or a v1 secret")
  void ed25519Mismatch() {
    String whpk = Ed25519Keys.toWhpk(ED.getPublic());
    String other = Ed25519Keys.toWhpk(ed25519().getPublic());
    String sig = WebhookSigner.standardEd25519(MSG_ID, NOW, BODY, ED.getPrivate());
    assertThat(verify(tampered(BODY), MSG_ID, NOW, sig, whpk)).isEqualTo(Verdict.MISMATCH);
    assertThat(verify(BODY, MSG_ID, NOW, sig, other)).isEqualTo(Verdict.MISMATCH);
    assertThat(verify(BODY, MSG_ID, NOW, sig, SECRET)).isEqualTo(Verdict.MISMATCH);
    assertThat(verify(BODY, MSG_ID, NOW, sig, other, whpk)).isEqualTo(Verdict.VALID);
  }

  @Test
  @DisplayName("an unusable secret matches nothing instead of failing the request")
  void unusableSecrets() {
    String sig = WebhookSigner.standard(MSG_ID, NOW, BODY, SECRET);
    assertThat(verify(BODY, MSG_ID, NOW, sig, "whsec_***", "whpk_short", "", SECRET)).isEqualTo(Verdict.VALID);
    assertThat(verify(BODY, MSG_ID, NOW, sig, "whsec_***", "whpk_AAAA")).isEqualTo(Verdict.MISMATCH);
  }

  @Test
  @DisplayName("the event id is the webhook-id header and the type the body's top-level type, not data.type")
  void identify() throws BadPayloadException {
    assertThat(scheme.identify(BODY, headers("webhook-id", MSG_ID)))
        .isEqualTo(new EventIdentity(MSG_ID, "invoice.payment_failed"));
    assertThatThrownBy(() -> scheme.identify(BODY, headers())).isInstanceOf(BadPayloadException.class);
    assertThat(scheme.signatureHeaders()).containsExactly("webhook-id", "webhook-timestamp", "webhook-signature");
  }
}
