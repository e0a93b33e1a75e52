package io.tinko.gateway.webhook.verify;

import static io.tinko.gateway.webhook.verify.Fixtures.NOW;
import static io.tinko.gateway.webhook.verify.Fixtures.done;
import static io.tinko.gateway.webhook.verify.Fixtures.headers;
import static io.tinko.gateway.webhook.verify.Fixtures.tampered;
import static io.tinko.gateway.webhook.verify.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.razorpay.RazorpayException;
import com.razorpay.Utils;
import io.vertx.core.MultiMap;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Razorpay scheme")
class RazorpaySchemeTest {
  private static final String SECRET = "rzp_webhook_secret_2026";
  private static final String OLD_SECRET = "rzp_webhook_secret_2025";
  private static final String PAYLOAD = "{\"entity\":\"event\",\"account_id\":\"acc_BFQ7uQEaa7j2z7\","
      + "\"event\":\"payment.failed\",\"contains\":[\"payment\"],\"payload\":{\"payment\":{\"entity\":"
      + "{\"id\":\"pay_DESlfW9H8K9uqM\",\"amount\":100,\"error_reason\":\"insufficient_funds\"}}},"
      + "\"created_at\":1567674606}";
  private static final byte[] BODY = utf8(PAYLOAD);

  private final RazorpayScheme scheme = new RazorpayScheme();

  private Verdict verify(byte[] body, String signature, String... secrets) {
    MultiMap h = signature == null ? headers() : headers("X-Razorpay-Signature", signature);
    return done(scheme.verify(body, h, List.of(secrets), null, NOW));
  }

  @Test
  @DisplayName("a correctly signed event is valid")
  void valid() {
    assertThat(verify(BODY, WebhookSigner.razorpay(SECRET, BODY), SECRET)).isEqualTo(Verdict.VALID);
  }

  @Test
  @DisplayName("a tampered body or another secret does not match")
  void mismatch() {
    assertThat(verify(tampered(BODY), WebhookSigner.razorpay(SECRET, BODY), SECRET)).isEqualTo(Verdict.MISMATCH);
    assertThat(verify(BODY, WebhookSigner.razorpay("other", BODY), SECRET)).isEqualTo(Verdict.MISMATCH);
  }

  @Test
  @DisplayName("after a rotation retries signed with the old secret still pass, and new ones too")
  void rotation() {
    assertThat(verify(BODY, WebhookSigner.razorpay(OLD_SECRET, BODY), SECRET, OLD_SECRET)).isEqualTo(Verdict.VALID);
    assertThat(verify(BODY, WebhookSigner.razorpay(SECRET, BODY), SECRET, OLD_SECRET)).isEqualTo(Verdict.VALID);
  }

  @Test
  @DisplayName("the scheme has no timestamp, so an old delivery still verifies (de-duplication handles replays)")
  void noReplayWindow() {
    String sig = WebhookSigner.razorpay(SECRET, BODY);
    assertThat(done(scheme.verify(BODY, headers("X-Razorpay-Signature", sig), List.of(SECRET), null,
        NOW + 86_400 * 30))).isEqualTo(Verdict.VALID);
  }

  @Test
  @DisplayName("a missing signature header is reported as missing")
  void missing() {
    assertThat(verify(BODY, null, SECRET)).isEqualTo(Verdict.MISSING);
  }

  @ParameterizedTest(name = "[{index}] \"{0}\"")
  @ValueSource(strings = {"", "abc", "sha256=00", "zz00000000000000000000000000000000000000000000000000000000000000",
      "00000000000000000000000000000000000000000000000000000000000000000"})
  @DisplayName("a signature that is not 64 lowercase hex digits is malformed")
  void malformed(String signature) {
    assertThat(verify(BODY, signature, SECRET)).isEqualTo(Verdict.MALFORMED);
  }

  @Test
  @DisplayName("the event id is the X-Razorpay-Event-Id header and the type the body's event")
  void identify() throws BadPayloadException {
    assertThat(scheme.identify(BODY, headers("X-Razorpay-Event-Id", "HmR7Dy1X9Ge5vH")))
        .isEqualTo(new EventIdentity("HmR7Dy1X9Ge5vH", "payment.failed"));
    assertThatThrownBy(() -> scheme.identify(BODY, headers())).isInstanceOf(BadPayloadException.class);
    assertThatThrownBy(() -> scheme.identify(utf8("not json"), headers("X-Razorpay-Event-Id", "e1")))
        .isInstanceOf(BadPayloadException.class);
    assertThat(scheme.signatureHeaders()).containsExactly("X-Razorpay-Signature", "X-Razorpay-Event-Id");
  }

  // ---- cross-check with razorpay-java's Utils.verifyWebhookSignature on the same inputs ----

  private static boolean razorpayAccepts(String payload, String signature, String secret) {
    try {
      return Utils.verifyWebhookSignature(payload, signature, secret);
    } catch (RazorpayException e) {
      return false;
    }
  }

  static Stream<Arguments> oracleCases() throws RazorpayException {
    String theirs = Utils.getHash(PAYLOAD, SECRET);
    String ours = WebhookSigner.razorpay(SECRET, BODY);
    return Stream.of(
        Arguments.of("their signer", PAYLOAD, theirs),
        Arguments.of("our signer", PAYLOAD, ours),
        Arguments.of("their signer, other secret", PAYLOAD, Utils.getHash(PAYLOAD, OLD_SECRET)),
        Arguments.of("our signer, other secret", PAYLOAD, WebhookSigner.razorpay(OLD_SECRET, BODY)),
        Arguments.of("body changed", PAYLOAD.replace("100", "101"), theirs),
        Arguments.of("body with trailing newline", PAYLOAD + "\n", theirs),
        Arguments.of("uppercase hex", PAYLOAD, theirs.toUpperCase(java.util.Locale.ROOT)),
        Arguments.of("truncated", PAYLOAD, theirs.substring(1)),
        Arguments.of("with whitespace", PAYLOAD, " " + theirs),
        Arguments.of("empty", PAYLOAD, ""));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("oracleCases")
  @DisplayName("accepts and rejects exactly what razorpay-java does")
  void agreesWithRazorpayJava(String name, String payload, String signature) {
    boolean theirs = razorpayAccepts(payload, signature, SECRET);
    boolean ours = done(scheme.verify(utf8(payload), headers("X-Razorpay-Signature", signature), List.of(SECRET),
        null, NOW)) == Verdict.VALID;
    assertThat(ours).as(name + " (razorpay-java accepts: " + theirs + ")").isEqualTo(theirs);
  }

  @Test
  @DisplayName("the oracle cases contain two accepted and eight rejected webhooks")
  void oracleCasesAreMixed() throws RazorpayException {
    assertThat(oracleCases().filter(a -> razorpayAccepts((String) a.get()[1], (String) a.get()[2], SECRET)).count())
        .isEqualTo(2);
  }
}
